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
    build that fails leaves nothing behind, so the next worker to ask tries again and fails the same way."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # each worker's basetemp is a folder of the session's
        base = base.parent
    folder, result = base / f"shared-{name}", base / f"shared-{name}.pickle"
    with (base / f"shared-{name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            built = build(folder)
            result.write_bytes(pickle.dumps(built))
        return folder, pickle.loads(result.read_bytes())
