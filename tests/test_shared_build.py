"""The helper that shares a costly real-data build between the xdist workers (tests/shared_build.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.shared_build import built_once


def test_a_shared_build_runs_once_and_is_reused(tmp_path_factory) -> None:
    calls: list[Path] = []

    def build(folder: Path) -> dict[str, int]:
        calls.append(folder)
        (folder / "x").write_text("1")
        return {"n": len(calls)}

    first = built_once(tmp_path_factory, "once", build)
    again = built_once(tmp_path_factory, "once", build)
    assert first == again and first[1] == {"n": 1} and len(calls) == 1
    assert (first[0] / "x").read_text() == "1"


def test_a_failed_shared_build_is_not_tried_again(tmp_path_factory) -> None:
    calls: list[Path] = []

    def boom(folder: Path) -> None:
        calls.append(folder)
        raise RuntimeError("no staged data")

    with pytest.raises(RuntimeError, match="no staged data"):
        built_once(tmp_path_factory, "boom", boom)
    with pytest.raises(pytest.fail.Exception, match="failed in another worker: RuntimeError: no staged data"):
        built_once(tmp_path_factory, "boom", boom)
    assert len(calls) == 1
