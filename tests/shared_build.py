"""A costly fixture built once per test session and shared by every xdist worker: the first worker to
ask builds it under a lock, the others wait for it and read the same folder (read-only)."""

from __future__ import annotations

import fcntl
import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], Any]
) -> tuple[Path, Any]:
    """(folder, what `build(folder)` returned), building it only if no worker of this session has. A
    build that failed is not tried again: the other workers' tests fail at once, naming the error."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # each worker's basetemp is a folder of the session's
        base = base.parent
    folder, result = base / f"shared-{name}", base / f"shared-{name}.pickle"
    failed = base / f"shared-{name}.failed"
    with (base / f"shared-{name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if failed.exists():
            pytest.fail(f"the shared {name} build failed in another worker: {failed.read_text()}")
        if not result.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            try:
                built = build(folder)
            except BaseException as exc:
                failed.write_text(f"{type(exc).__name__}: {exc}"[:2000])
                raise
            result.write_bytes(pickle.dumps(built))
        return folder, pickle.loads(result.read_bytes())
