"""`bash run.sh bench` leaves no scratch behind (6 to 11 GB with --scale 4), unless asked to keep it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from benchmarks import run as bench


def _fake_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    (data / bench.CROSSINGS).parent.mkdir(parents=True)
    (data / bench.CROSSINGS).write_bytes(b"")
    return data


@pytest.mark.parametrize("keep", [False, True])
def test_scratch_is_removed_even_after_a_failure_unless_kept(tmp_path, monkeypatch, keep) -> None:
    seen: list[Path] = []

    def failing_bench(args, data, work: Path) -> None:
        (work / "home").mkdir()
        (work / "home" / "warehouse.duckdb").write_bytes(b"x" * 1024)
        seen.append(work)
        raise RuntimeError("a scenario failed")

    monkeypatch.setattr(bench, "_bench", failing_bench)
    monkeypatch.setattr(bench.tempfile, "tempdir", str(tmp_path))
    argv = ["bench", "--data", str(_fake_data(tmp_path))] + (["--keep"] if keep else [])
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(RuntimeError, match="a scenario failed"):
        bench.main()
    assert len(seen) == 1 and seen[0].name.startswith("hled-bench-")
    assert seen[0].exists() is keep
    assert (seen[0] / "home" / "warehouse.duckdb").exists() is keep
