"""meta.revisions through the real build step: a changed value is listed once, new and missing months
are not revisions, a source not loaded this time is not a deletion, and the history is carried."""

from __future__ import annotations

from datetime import date

import polars as pl

from tests.handmade import build_handmade, crossings, revised
from warehouse.db import connect, rows


def revisions(path) -> list[tuple]:
    con = connect(path, read_only=True)
    try:
        return rows(
            con,
            "SELECT run_id, source, fact_table, port_code, month, item, old_value, new_value, change, "
            "code_changed FROM meta.revisions ORDER BY run_id, fact_table, month, item",
        )
    finally:
        con.close()


def test_changes_are_listed_and_gaps_or_unloaded_sources_are_not(tmp_path) -> None:
    first = build_handmade(tmp_path / "1.duckdb")
    facts = crossings()
    changed = revised(facts, "2304", "trucks", date(2021, 5, 1), 1234)
    # one value revised, all of December 2022 missing, a new month added
    newer = pl.concat(
        [
            changed.filter(pl.col("month") != date(2022, 12, 1)),
            pl.DataFrame(
                {"port_code": ["2304"], "month": [date(2023, 1, 1)], "measure": ["trucks"], "value": [1600]}
            ),
        ]
    )
    second = build_handmade(tmp_path / "2.duckdb", facts=newer, previous=first, run_id="r2")
    assert revisions(second) == [
        (
            "r2",
            "bts_crossings",
            "core.fact_crossings",
            "2304",
            date(2021, 5, 1),
            "trucks",
            1200.0,
            1234.0,
            34.0,
            False,
        )
    ]
    # trade not loaded in the next build: its tables are empty, which is not a deletion of every value
    third = build_handmade(tmp_path / "3.duckdb", facts=newer, with_trade=False, previous=second, run_id="r3")
    assert revisions(third) == revisions(second)  # carried over, nothing new
