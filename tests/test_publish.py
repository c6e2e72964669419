"""Atomic publish with real processes: a reader holding the old file is neither blocked nor
disturbed, new readers see the new file, a failed build leaves the published file as it was."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import FIXTURES, sha256
from transforms.crossings import measure_dimension, parse_crossings, port_dimension
from warehouse.build import BuildInput, build_warehouse
from warehouse.errors import WarehouseError
from warehouse.publish import list_snapshots, publish

READER = textwrap.dedent(
    """
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    q = "SELECT count(*), sum(value) FROM core.fact_crossings"
    print(con.execute(q).fetchall()[0], flush=True)
    sys.stdin.readline()
    print(con.execute(q).fetchall()[0], flush=True)
    """
)


def inputs(scale: int = 1) -> BuildInput:
    clean = parse_crossings(FIXTURES / "crossings_current.csv").clean
    clean = clean.with_columns(pl.col("value") * scale)
    now = datetime.now(UTC)
    runs = pl.DataFrame(
        {
            "run_id": [f"run-{scale}"],
            "started_at": [now],
            "finished_at": [now],
            "status": ["published"],
            "code_version": ["test"],
            "message": [""],
        }
    )
    sources = pl.DataFrame({"source": ["bts_crossings"], "title": ["t"], "publisher": ["p"], "url": ["u"]})
    return BuildInput(
        tables={
            "core.dim_source": sources,
            "core.dim_port": port_dimension(clean),
            "core.dim_measure": measure_dimension(),
            "core.fact_crossings": clean.select("port_code", "month", "measure", "value"),
        },
        runs=runs,
        source_files=pl.DataFrame(),
        validations=pl.DataFrame(),
        rejects=pl.DataFrame(),
    )


def count(path: Path) -> str:
    code = (
        "import duckdb,sys; c=duckdb.connect(sys.argv[1], read_only=True); "
        "print(c.execute('SELECT count(*), sum(value) FROM core.fact_crossings').fetchall()[0])"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_reader_in_another_process_keeps_old_data_while_new_file_is_published(tmp_path) -> None:
    target = tmp_path / "warehouse.duckdb"
    build_warehouse(tmp_path / "b1", inputs(1), None)
    publish(tmp_path / "b1", target, tmp_path / "snapshots", keep=3)

    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(target)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert reader.stdout.readline().strip() == "(16, 20607)"
        build_warehouse(tmp_path / "b2", inputs(2), previous=target)
        publish(tmp_path / "b2", target, tmp_path / "snapshots", keep=3)
        assert count(target) == "(16, 41214)"
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "(16, 20607)"
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)
    assert reader.returncode == 0
    (snapshot,) = list_snapshots(tmp_path / "snapshots")
    assert count(snapshot) == "(16, 20607)"


def test_history_is_carried_and_snapshots_are_pruned(tmp_path) -> None:
    target = tmp_path / "warehouse.duckdb"
    for scale in (1, 2, 3, 4):
        build_warehouse(tmp_path / "b", inputs(scale), previous=target)
        publish(tmp_path / "b", target, tmp_path / "snapshots", keep=2)
    assert len(list_snapshots(tmp_path / "snapshots")) == 2
    code = (
        "import duckdb,sys; c=duckdb.connect(sys.argv[1], read_only=True); "
        "q='SELECT string_agg(run_id, \\',\\' ORDER BY run_id) FROM meta.runs'; "
        "print(c.execute(q).fetchall()[0][0])"
    )
    runs = subprocess.run(
        [sys.executable, "-c", code, str(target)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert runs == "run-1,run-2,run-3,run-4"


def test_failed_build_leaves_published_file_untouched(tmp_path) -> None:
    target = tmp_path / "warehouse.duckdb"
    build_warehouse(tmp_path / "b", inputs(1), None)
    publish(tmp_path / "b", target, tmp_path / "snapshots", keep=2)
    before = sha256(target)
    bad = inputs(1)
    bad.tables["core.fact_crossings"] = bad.tables["core.fact_crossings"].with_columns(value=pl.lit(-1))
    with pytest.raises(WarehouseError, match="loading core.fact_crossings failed.*CHECK"):
        build_warehouse(tmp_path / "b", bad, previous=target)
    assert sha256(target) == before
    (tmp_path / "junk").write_bytes(b"not a database")
    with pytest.raises(WarehouseError, match="does not open"):
        publish(tmp_path / "junk", target, tmp_path / "snapshots", keep=2)
    assert sha256(target) == before


def test_with_no_snapshots_kept_none_is_said_to_be_kept(tmp_path) -> None:
    """HLED_SNAPSHOTS=0: the replaced file is not kept, and publish says no snapshot (the log used to
    name one that was already pruned)."""
    target = tmp_path / "warehouse.duckdb"
    build_warehouse(tmp_path / "b1", inputs(1), None)
    assert publish(tmp_path / "b1", target, tmp_path / "snapshots", keep=0) is None
    build_warehouse(tmp_path / "b2", inputs(2), previous=target)
    assert publish(tmp_path / "b2", target, tmp_path / "snapshots", keep=0) is None
    assert list_snapshots(tmp_path / "snapshots") == []
    build_warehouse(tmp_path / "b3", inputs(1), previous=target)
    kept = publish(tmp_path / "b3", target, tmp_path / "snapshots", keep=1)
    assert kept is not None and list_snapshots(tmp_path / "snapshots") == [kept]
