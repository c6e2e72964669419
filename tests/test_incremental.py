"""The incremental build: a refresh that finds new files starts from a copy of the published warehouse
and loads only them, and the result equals a full rebuild of the same inputs, table for table."""

from __future__ import annotations

import shutil
from datetime import date

import duckdb

from flows.refresh import refresh
from tests.checksums import data_checksums
from tests.conftest import FIXTURES, make_mirror

TRADE = FIXTURES / "transborder"


def _query(path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _january_published_february_held(tmp_path, monkeypatch) -> tuple:
    """A mirror of the hand-made crossings and TransBorder files with February 2020's set aside in a
    folder (returned with the mirror), the environment set for refreshes of both sources."""
    root = make_mirror(tmp_path / "mirror", FIXTURES / "crossings_current.csv")
    shutil.copytree(TRADE, root / "transborder")
    held = tmp_path / "held"
    held.mkdir()
    for path in sorted((root / "transborder" / "2020").glob("dot*_0220.csv")):
        path.rename(held / path.name)
    for key, value in {
        "HLED_MIRROR": str(root),
        "HLED_SOURCES": "bts_crossings,transborder",
        "HLED_MAX_REJECT_SHARE": "0.5",
        "HLED_CHARTS": "0",
    }.items():
        monkeypatch.setenv(key, value)
    return root, held


def test_a_new_month_is_built_from_a_copy_and_equals_the_full_build(
    prefect_server, hled_home, monkeypatch, tmp_path
) -> None:
    """Also under a home folder whose name DuckDB would read as a glob (`data [old]`): the refresh
    validates and builds from a copy there as anywhere else."""
    hled_home = tmp_path / "data [old]"
    monkeypatch.setenv("HLED_HOME", str(hled_home))
    root, held = _january_published_february_held(tmp_path, monkeypatch)
    february = sorted(held.iterdir())
    assert len(february) >= 2
    first = refresh()
    assert (first.status, first.build) == ("published", "full")
    warehouse = hled_home / "warehouse.duckdb"
    months = "SELECT DISTINCT strftime(month, '%Y-%m') FROM core.fact_trade_port ORDER BY 1"
    assert _query(warehouse, months) == [("2020-01",)]

    for path in february:
        path.rename(root / "transborder" / "2020" / path.name)
    added = refresh()
    assert (added.status, added.build) == ("published", "copy")
    assert _query(warehouse, months) == [("2020-01",), ("2020-02",)]
    from_copy = data_checksums(warehouse)
    assert from_copy["core.fact_trade_port"][0] == 8 and from_copy["marts.trade_port_month"][0] > 0

    full = refresh(force=True)
    assert (full.status, full.build) == ("published", "full")
    assert data_checksums(warehouse) == from_copy, "the build from a copy differs from the full build"
    runs = "SELECT count(*) FROM meta.runs WHERE status = 'published'"
    assert _query(warehouse, runs) == [(3,)], "the copy carries the run history on"


def test_the_crossings_are_not_validated_again_while_the_row_count_verdict_holds(
    prefect_server, hled_home, monkeypatch, tmp_path
) -> None:
    """The crossings suite reads the last load's row count; the same file is validated again only when
    that could change its verdict (first load: at least 1 row; then 0.9 of the last load's rows)."""
    root = make_mirror(tmp_path / "mirror", FIXTURES / "crossings_current.csv")
    for key, value in {"HLED_MIRROR": str(root), "HLED_MAX_REJECT_SHARE": "0.5", "HLED_CHARTS": "0"}.items():
        monkeypatch.setenv(key, value)
    warehouse = hled_home / "warehouse.duckdb"
    checked = (
        "SELECT r.run_id, count(v.run_id) FROM meta.runs r LEFT JOIN meta.validations v "
        "ON v.run_id = r.run_id AND v.source = 'bts_crossings' WHERE r.status = 'published' "
        "GROUP BY r.run_id, r.started_at ORDER BY r.started_at"
    )
    assert refresh().status == "published"
    assert refresh(force=True).status == "published"
    (first, n_first), (second, n_second) = _query(warehouse, checked)
    assert n_first >= 10, "the first load is validated by every expectation"
    assert n_second == 0, "the same file, with a verdict on its row count that cannot change, is not"
    monkeypatch.setenv("HLED_MIN_ROW_RATIO", "1")  # 16 of 16 rows: still passes, same verdict
    assert refresh(force=True).status == "published"
    assert _query(warehouse, checked)[-1][1] == 0


def test_a_revised_old_month_and_a_new_one_recompute_only_the_trade_marts(
    prefect_server, hled_home, monkeypatch, tmp_path
) -> None:
    """BTS republishes January with one export revised (in all three tables, so they still agree) and
    publishes February: the copy replaces both months, records the revision, computes again only what
    reads the trade facts (the crossings marts are kept as published), and equals a full build."""
    root, held = _january_published_february_held(tmp_path, monkeypatch)
    assert refresh().build == "full"
    warehouse = hled_home / "warehouse.duckdb"
    export = "SELECT sum(value_usd) FROM core.fact_trade_port WHERE trade_type = 'export'"
    assert _query(warehouse, export) == [(1000,)]

    for path in sorted((root / "transborder" / "2020").glob("dot*_0120.csv")):
        text = path.read_text()
        assert text.count(",2010,1000,0,10,1,X,01,2020") == 1
        path.write_text(text.replace(",2010,1000,0,10,1,X,01,2020", ",2010,1250,0,10,1,X,01,2020"))
    for path in held.iterdir():
        path.rename(root / "transborder" / "2020" / path.name)
    added = refresh()
    assert (added.status, added.build) == ("published", "copy")
    assert added.revisions == {"transborder": 2}  # dot1 and dot3 (dot2 is not compared)
    revised = (
        "SELECT month, item, old_value, new_value FROM meta.revisions "
        "WHERE fact_table = 'core.fact_trade_port'"
    )
    assert _query(warehouse, revised) == [(date(2020, 1, 1), "export/mexico/truck", 1000.0, 1250.0)]
    # kept: the port dimension, the crossings marts, wait times, Census products, the catalog
    assert added.derived_kept >= 10
    # computed again for January and February and the months they reach: the seven marts declared by month
    assert added.derived_by_month == 7
    months = "SELECT DISTINCT strftime(month, '%Y-%m') FROM marts.trade_port_month ORDER BY 1"
    assert _query(warehouse, months) == [("2020-01",), ("2020-02",)]
    # marts.latest_revisions lists what the latest run revised: this run's two, none for the full build after
    data = lambda: {k: v for k, v in data_checksums(warehouse).items() if k != "marts.latest_revisions"}  # noqa: E731
    from_copy = data()

    full = refresh(force=True)
    assert (full.build, full.derived_kept, full.derived_by_month) == ("full", 0, 0)
    assert data() == from_copy, "the build from a copy differs from the full build"
