"""The published warehouse opens in the DuckDB clients analysts already have: the `duckdb` shell of the
duckdb-cli package (a dev dependency) and an older DuckDB Python package, in a small environment of its
own made with uv once and kept between runs. HLED_DUCKDB_STORAGE_VERSION sets the format."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.refresh import refresh
from warehouse.db import storage_number

ROOT = Path(__file__).resolve().parent.parent
OLDEST = "1.1.3"  # the oldest DuckDB the default format is for (HLED_DUCKDB_STORAGE_VERSION=v1.1.0)
QUERY = "SELECT count(*), sum(value) FROM marts.port_month"


def _old_duckdb() -> Path:
    """Python with DuckDB OLDEST, made once under .tools/ (uv from the project's tools, PyPI)."""
    env_dir = ROOT / ".tools" / f"duckdb-{OLDEST}"
    python = env_dir / "bin" / "python"
    if python.exists():
        return python
    uv = shutil.which("uv") or str(ROOT / ".tools" / "bin" / "uv")
    base = Path(sys.base_prefix) / "bin" / f"python{sys.version_info.major}.{sys.version_info.minor}"
    partial = env_dir.with_name(env_dir.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    made = subprocess.run(
        [uv, "venv", "-q", "--python", str(base), str(partial)], capture_output=True, text=True
    )
    if made.returncode == 0:
        made = subprocess.run(
            [uv, "pip", "install", "-q", "--python", str(partial / "bin" / "python"), f"duckdb=={OLDEST}"],
            capture_output=True,
            text=True,
        )
    if made.returncode != 0:
        pytest.fail(f"could not make a DuckDB {OLDEST} environment with uv: {made.stderr.strip()[-500:]}")
    partial.rename(env_dir)
    return python


@pytest.fixture
def published(crossings_mirror, hled_home) -> Path:
    assert refresh().status == "published"
    return hled_home / "warehouse.duckdb"


def _ours(path: Path) -> tuple:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(QUERY).fetchone()
    finally:
        con.close()


def test_the_warehouse_opens_in_an_older_duckdb_and_in_the_duckdb_shell(published) -> None:
    expected = _ours(published)
    assert expected[0] > 0
    assert storage_number(published) == 64  # what DuckDB 1.0 and 1.1 read

    old = subprocess.run(
        [
            str(_old_duckdb()),
            "-c",
            "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
            "print(duckdb.__version__, *con.execute(sys.argv[2]).fetchone(), sep='|')",
            str(published),
            QUERY,
        ],
        capture_output=True,
        text=True,
    )
    assert old.returncode == 0, old.stderr
    assert old.stdout.strip() == f"{OLDEST}|{expected[0]}|{expected[1]}"

    shell = shutil.which("duckdb", path=os.path.dirname(sys.executable))
    assert shell, "the duckdb-cli dev dependency puts a duckdb shell beside python"
    # as docs/analysts.md says: duckdb -readonly data/warehouse.duckdb
    cli = subprocess.run(
        [shell, "-readonly", "-csv", "-noheader", str(published), "-c", QUERY],
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 0, cli.stderr
    assert cli.stdout.strip() == f"{expected[0]},{expected[1]}"


def test_a_changed_storage_version_rebuilds_the_unchanged_warehouse(published, monkeypatch) -> None:
    monkeypatch.setenv("HLED_DUCKDB_STORAGE_VERSION", "latest")
    again = refresh()
    assert (again.status, again.build) == ("published", "full")
    assert storage_number(published) > 64
    assert refresh().status == "unchanged"
    monkeypatch.setenv("HLED_DUCKDB_STORAGE_VERSION", "v1.1.0")
    assert refresh().status == "published"
    assert storage_number(published) == 64
