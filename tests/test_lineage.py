"""What each derived table reads, as the build reads it from the SQL, and the disruptions judged again
only for the measures whose series changed (real DuckDB, the real shock method)."""

from __future__ import annotations

import math
from datetime import date

import pytest

from warehouse import indicators, lineage
from warehouse.build import derive_steps
from warehouse.db import frame, rows, run
from warehouse.dictionary import empty_warehouse

TRADE = {"core.fact_trade_port", "core.fact_trade_port_commodity", "core.fact_trade_state_commodity"}


def test_each_mart_reads_what_its_sql_names() -> None:
    steps = derive_steps()
    reads: dict[str, set[str]] = {}
    for step in steps:
        for table in step.writes:
            reads.setdefault(table, set()).update(step.reads)
    assert reads["marts.trade_port_month"] == {"core.fact_trade_port", "core.dim_port"}
    assert "core.fact_crossings" in reads["marts.trade_value_per_truck"]
    assert {"marts.border_month", "marts.trade_border_month", "core.dim_port_group"} <= reads["marts.shocks"]
    assert reads["marts.indicator_catalog"] == set()
    # a table macro's argument names its input: sector_series feeds marts.priority_sector_trade
    assert "sector_series" in reads["marts.priority_sector_trade"]
    made = lineage.produced(steps)
    assert {"marts.port_month", "marts.shocks", "marts.hled_scorecard", "core.dim_month"} <= set(made)
    assert not set(made) & (TRADE | {"core.fact_crossings", "core.dim_port"})  # loaded, never derived


def test_a_table_declared_by_month_is_computed_again_for_the_changed_months_only() -> None:
    """Declared by month and reading only facts changed in known months: those months. Reading a table
    loaded whole (the crossings) or a windowed series (the sectors' year-over-year): the whole table."""
    steps = derive_steps()
    by_month = {t for s in steps if s.by_month for t in s.writes}
    assert by_month == {
        "marts.trade_port_month",
        "marts.trade_value_per_truck",
        "marts.mode_share",
        "marts.port_concentration",
    }
    september = frozenset({date(2024, 9, 1)})
    months = dict.fromkeys(TRADE, september)
    dirty = lineage.dirty_tables(steps, TRADE)
    partial = lineage.partial_months(lineage.to_run(steps, dirty), dirty, months)
    assert partial == dict.fromkeys(by_month, september)
    # a revised old month with a new one: both
    both = september | {date(2021, 3, 1)}
    assert set(
        lineage.partial_months(lineage.to_run(steps, dirty), dirty, dict.fromkeys(TRADE, both)).values()
    ) == {both}
    # the crossings loaded again whole as well: what reads them is whole
    dirty = lineage.dirty_tables(steps, TRADE | {"core.fact_crossings"})
    partial = lineage.partial_months(
        lineage.to_run(steps, dirty), dirty, {**months, "core.fact_crossings": None}
    )
    assert set(partial) == {"marts.trade_port_month", "marts.mode_share"}
    # a by-month statement is run as its SELECT: the marker line is not part of it
    step = next(s for s in steps if "marts.mode_share" in s.writes and s.by_month)
    assert step.by_month.startswith("WITH by_mode AS") and not step.by_month.endswith(";")


def test_a_trade_month_keeps_the_crossings_marts_and_a_crossings_file_the_trade_marts() -> None:
    steps = derive_steps()
    trade = lineage.dirty_tables(steps, TRADE)
    assert {"marts.trade_port_month", "marts.priority_sector_trade", "marts.shocks"} <= trade
    assert (
        not {"marts.port_month", "marts.border_month", "marts.crossings_gaps", "core.dim_port_group"} & trade
    )
    crossings = lineage.dirty_tables(steps, {"core.fact_crossings"})
    assert {"marts.port_month", "marts.trade_value_per_truck", "marts.shocks"} <= crossings
    assert not {"marts.trade_port_month", "marts.priority_sector_trade", "marts.mode_share"} & crossings
    chosen = {step.label for step in lineage.to_run(steps, trade)}
    creating = [s.label for s in steps if s.temps == {"sector_series"} and s.sql.startswith("CREATE")]
    assert creating and set(creating) <= chosen  # the temporary table the sector mart reads is made
    assert not any(s.label in chosen for s in steps if s.writes == {"marts.port_month"})


def test_a_statement_writing_an_undeclared_table_is_refused() -> None:
    with pytest.raises(lineage.LineageError, match="x.sql statement 1: 'scratch' is neither"):
        lineage.sql_steps("x.sql", "INSERT INTO scratch SELECT 1", set())


def _series(con, trade_dip: float) -> None:
    """Ten years of US-Mexico trucks and trade at the border, trade falling by `trade_dip` in May 2020."""
    run(con, "DELETE FROM marts.border_month")
    run(con, "DELETE FROM marts.trade_border_month")
    for t in range(120):
        month = date(2014 + t // 12, t % 12 + 1, 1)
        level = 1.0 + 0.003 * t + 0.03 * math.sin(2 * math.pi * t / 12) + 0.004 * math.sin(1.7 * t)
        trucks = 500_000 * level * (0.55 if month == date(2020, 4, 1) else 1.0)
        trade = 50e9 * level * (trade_dip if month == date(2020, 5, 1) else 1.0)
        run(
            con,
            "INSERT INTO marts.border_month (border, month, measure, value) "
            "VALUES ('US-Mexico', ?, 'trucks', ?)",
            [month, round(trucks)],
        )
        run(
            con,
            "INSERT INTO marts.trade_border_month (border, country, month, value_usd) "
            "VALUES ('US-Mexico', 'mexico', ?, ?)",
            [month, round(trade)],
        )


def _shocks(con) -> list[tuple]:
    return rows(con, "SELECT measure, first_month, kind, depth_pct FROM marts.shocks ORDER BY ALL")


def test_only_the_measures_whose_series_changed_are_judged_again() -> None:
    con = empty_warehouse()
    try:
        _series(con, trade_dip=1.0)
        indicators.compute(con)
        before = frame(con, indicators.SHOCK_INPUT_SQL)
        assert [r[:2] for r in _shocks(con)] == [("trucks", date(2020, 4, 1))]

        _series(con, trade_dip=0.6)  # the trade series revised: May 2020 now 40 % down
        step = next(s for s in indicators.steps() if s.label.startswith("shocks"))
        run(con, "UPDATE marts.shocks SET depth_pct = -99 WHERE measure = 'trucks'")  # a kept row shows
        step.compute(con, frozenset({"marts.trade_border_month"}), before)
        found = _shocks(con)
        assert [r[:2] for r in found] == [("trade_value_usd", date(2020, 5, 1)), ("trucks", date(2020, 4, 1))]
        assert found[1][3] == -99  # trucks kept as they were: their series did not change

        indicators.compute(con)  # in full, the same rows
        full = _shocks(con)
        assert full[0] == found[0] and full[1][:3] == found[1][:3] and full[1][3] != -99
    finally:
        con.close()
