"""What each derived table reads, as the build reads it from the SQL, and the disruptions judged again
only for the measures whose series changed (real DuckDB, the real shock method)."""

from __future__ import annotations

import math
import pickle
import shutil
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from tests.checksums import data_checksums
from tests.handmade import build_handmade
from warehouse import calendar_month, indicators, lineage
from warehouse.build import derive, derive_steps
from warehouse.db import connect, frame, rows, run
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
    """Declared by month and reading only facts changed in known months: those months and the months
    that read them (a year on, for year-over-year; every year's same month for a base-year month). A
    temporary series is made for the months those read. Reading a table loaded whole: whole."""
    steps = derive_steps()
    by_month = {t: (s.months_back, s.base_year) for s in steps if s.by_month for t in s.writes}
    assert by_month == {
        "marts.trade_port_month": (0, None),
        "marts.trade_value_per_truck": (0, None),
        "marts.mode_share": (0, None),
        "marts.port_concentration": (0, None),
        "sector_series": (0, None),
        "marts.priority_sector_trade": (12, 2021),
        "marts.sector_trade_border": (0, None),
        "headline_scoped": (0, None),
        "headline_pairs": (12, None),
        "marts.headline_month": (12, 2019),
    }
    september = frozenset({date(2024, 9, 1)})
    year_on = frozenset(lineage.shifted(date(2024, 9, 1), k) for k in range(13))  # 2024-09 .. 2025-09
    dirty = lineage.dirty_tables(steps, TRADE)
    partial = lineage.partial_months(lineage.to_run(steps, dirty), dirty, dict.fromkeys(TRADE, september))
    same_month = {"marts.trade_port_month", "marts.trade_value_per_truck", "marts.mode_share"}
    assert {t: partial[t] for t in same_month | {"marts.port_concentration"}} == dict.fromkeys(
        same_month | {"marts.port_concentration"}, september
    )
    assert partial["marts.priority_sector_trade"] == partial["marts.sector_trade_border"] == year_on
    # the series is made for 2023-09 .. 2025-09 (each of those months and the year before) and for 2021
    assert partial["sector_series"] == frozenset(
        {lineage.shifted(date(2023, 9, 1), k) for k in range(25)} | {date(2021, m, 1) for m in range(1, 13)}
    )
    # a base-year month reaches its calendar month in every year
    base = lineage.reached(frozenset({date(2021, 3, 1)}), 12, 2021)
    assert {date(1998, 3, 1), date(2021, 3, 1), date(2021, 4, 1), date(2022, 3, 1)} <= base
    assert date(1998, 4, 1) not in base
    # the crossings loaded again whole as well: what reads them is whole
    dirty = lineage.dirty_tables(steps, TRADE | {"core.fact_crossings"})
    partial = lineage.partial_months(
        lineage.to_run(steps, dirty), dirty, {**dict.fromkeys(TRADE, september), "core.fact_crossings": None}
    )
    assert not {"marts.trade_value_per_truck", "marts.port_concentration", "marts.headline_month"} & set(
        partial
    )
    assert "marts.trade_port_month" in partial
    # a by-month statement is run as its SELECT: the marker line is not part of it
    step = next(s for s in steps if "marts.mode_share" in s.writes and s.by_month)
    assert step.by_month.startswith("WITH by_mode AS") and not step.by_month.endswith(";")


def _trade_from_2019_to_2023(path):
    """The hand-made trade facts (2021 and 2022) with 2022's again as 2023 and 2021's as 2019, and every
    mart computed from them: a month then has a year after it, and the base year months before it."""
    con = connect(path)
    for table in sorted(TRADE):
        for years, where in ((1, 2022), (-2, 2021)):
            run(
                con,
                f"INSERT INTO {table} SELECT * REPLACE ((month + to_years({years}))::DATE AS month) "
                f"FROM {table} WHERE year(month) = {where}",
            )
    derive(con, set(TRADE))
    con.close()
    return path


@pytest.mark.parametrize(
    ("revised", "added"),
    [
        ({date(2022, 7, 1)}, None),
        ({date(2021, 3, 1)}, None),
        ({date(2019, 12, 1), date(2021, 11, 1), date(2023, 2, 1)}, None),
        (set(), date(2024, 2, 1)),
    ],
    ids=["a month", "a base-year month", "three months", "a new month after a gap"],
)
def test_marts_computed_by_month_equal_the_same_marts_computed_whole(tmp_path, revised, added) -> None:
    """The hand-made warehouse's trade facts (2019 and 2021 to 2023) revised in some months (the 2021 base
    year among them), or a month added after a gap (the calendar grows by two months): the marts
    computed by month for those months, and those they reach, equal every mart computed whole."""
    published = _trade_from_2019_to_2023(build_handmade(tmp_path / "published.duckdb"))
    changed = frozenset(revised | ({added} if added else set()))
    seen = {}
    for how in ("by month", "whole"):
        path = tmp_path / f"{how}.duckdb"
        shutil.copyfile(published, path)
        con = connect(path)
        for table in sorted(TRADE):
            run(
                con,
                f"UPDATE {table} SET value_usd = value_usd + 1000 * month(month) "
                "WHERE month IN (SELECT unnest(?::DATE[]))",
                [sorted(revised)],
            )
            if added:
                run(
                    con,
                    f"INSERT INTO {table} SELECT * REPLACE ((month + to_years(1))::DATE AS month) "
                    f"FROM {table} WHERE month = ?",
                    [lineage.shifted(added, -12)],
                )
        if added:
            assert calendar_month.changed_months(con) == {lineage.shifted(added, -1), added}
        months = dict.fromkeys(TRADE, changed) if how == "by month" else None
        _, _, by_month = derive(con, set(TRADE), months)
        con.close()
        seen[how] = (by_month, data_checksums(path))
    assert seen["by month"][0] == 7 and seen["whole"][0] == 0
    assert seen["by month"][1] == seen["whole"][1]
    assert seen["whole"][1] != data_checksums(published), "the change changes the marts"


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


def test_a_temporary_table_read_by_another_is_made_for_the_months_that_one_reads() -> None:
    """Two temporary series by month, the second a year-over-year of the first, then a mart comparing
    the second with a year before: the first series is made for what the second is made for and the
    year before that, which is more than the second's own changed months need."""
    temps: set[str] = set()
    sql = """
        CREATE TEMP TABLE cells AS  -- by month
        SELECT month, sum(value_usd) AS value FROM core.fact_trade_port GROUP BY ALL;
        CREATE TEMP TABLE pairs AS  -- by month, 12 months back
        SELECT n.month, n.value - b.value AS change FROM cells n LEFT JOIN cells b
            ON b.month = n.month - INTERVAL 12 MONTH;
        CREATE TABLE marts.totals AS  -- by month, 12 months back
        SELECT n.month, n.change - b.change AS acceleration FROM pairs n LEFT JOIN pairs b
            ON b.month = n.month - INTERVAL 12 MONTH;
    """
    steps = lineage.sql_steps("x.sql", sql, temps)
    dirty = lineage.dirty_tables(steps, {"core.fact_trade_port"})
    september = date(2024, 9, 1)
    partial = lineage.partial_months(steps, dirty, {"core.fact_trade_port": frozenset({september})})

    def span(first: int, last: int) -> frozenset[date]:
        return frozenset(lineage.shifted(september, k) for k in range(first, last + 1))

    assert partial["marts.totals"] == span(0, 24)  # a changed month reaches two years on
    assert partial["pairs"] == span(-12, 24)  # what the mart reads
    assert partial["cells"] == span(-24, 24)  # what those months of pairs read


def test_the_disruption_detector_runs_beside_the_sql_marts_and_gives_the_same_tables(
    tmp_path, monkeypatch
) -> None:
    """A step with an `early` part starts its Python work right after the last step that writes what it
    reads (the detector: some eighty SQL statements before its turn), and the warehouse it leaves is
    the one computing it at its turn leaves."""

    def early(con, dirty, before):
        return (print, ()), (lambda con, result: None)

    a = lineage.Step("a", frozenset({"marts.a"}), frozenset())
    b = lineage.Step("b", frozenset({"marts.b"}), frozenset({"marts.a"}))
    c = lineage.Step("c", frozenset({"marts.c"}), frozenset({"marts.b"}))
    e = lineage.Step("e", frozenset({"marts.e"}), frozenset({"marts.b"}), early=early)
    f = lineage.Step("f", frozenset({"marts.f"}), frozenset({"core.x"}), early=early)
    assert lineage.early_starts([a, b, c, e]) == {1: [e]}
    assert lineage.early_starts([f, a]) == {-1: [f]}

    steps = derive_steps()
    ((after, (detector,)),) = lineage.early_starts(steps).items()
    assert detector.label.startswith("shocks") and steps.index(detector) - after > 50
    assert not any(s.writes & detector.reads for s in steps[after + 1 : steps.index(detector)])

    published = build_handmade(tmp_path / "published.duckdb")
    seen = {}
    for how in ("beside", "through another process's pickles", "at its turn"):
        if how == "at its turn":
            monkeypatch.setattr(lineage, "early_starts", lambda steps: {})
        path = tmp_path / f"{how}.duckdb"
        shutil.copyfile(published, path)
        con = connect(path)
        run(
            con,
            "UPDATE core.fact_crossings SET value = value + 7 "
            "WHERE month = (SELECT max(month) FROM core.fact_crossings)",
        )
        if how == "through another process's pickles":  # what a helper process is sent and sends back
            asked: list[str] = []

            def pickled(fn, *args, asked=asked):
                asked.append(fn.__name__)
                fn, args = pickle.loads(pickle.dumps((fn, args)))
                return pickle.loads(pickle.dumps(fn(*args)))

            derive(con, {"core.fact_crossings"}, None, pickled)
            assert asked == ["_detect"]
        else:
            derive(con, {"core.fact_crossings"}, None)
        shocks = rows(con, "SELECT count(*) FROM marts.shocks")[0][0]
        con.close()
        seen[how] = (shocks, data_checksums(path))
    assert seen["beside"] == seen["through another process's pickles"] == seen["at its turn"]

    con = empty_warehouse()  # series with disruptions: the three parts give what the step gives at once
    try:
        _series(con, trade_dip=0.6)
        detector.compute(con, frozenset(), None)  # type: ignore[misc]
        at_once = _shocks(con)
        (fn, args), finish = detector.early(con, frozenset(), None)  # type: ignore[misc]
        run(con, "UPDATE marts.shocks SET depth_pct = -99")
        with ThreadPoolExecutor(1) as beside:
            finish(con, beside.submit(fn, *args).result())
        assert _shocks(con) == at_once and len(at_once) == 2
    finally:
        con.close()
    assert seen["beside"][1] != data_checksums(published), "the change changes the marts"
