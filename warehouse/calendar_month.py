"""marts.calendar_month: the working days, Saturdays, days and holidays of every month of the facts at
each border, so that a month's change can be judged net of its calendar (a leap day, a holiday that
fell on a weekday, Holy Week moving between March and April) by SQL and by readers alike."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from transforms.calendar_effects import BORDER_COUNTRIES, month_regressors, weekday_holidays
from warehouse.db import rows, run
from warehouse.lineage import Step, shifted, tables_in

FACT_MONTHS = """SELECT min(month), max(month) FROM (
    SELECT month FROM core.fact_crossings UNION ALL SELECT month FROM core.fact_trade_port
    UNION ALL SELECT month FROM core.fact_trade_state_commodity
    UNION ALL SELECT month FROM core.fact_trade_port_commodity)"""


def calendar_frame(first: date, last: date) -> pl.DataFrame:
    """One row per border and month from `first` to `last` (first days of months)."""
    out = []
    for border in BORDER_COUNTRIES:
        index, end = first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
        for i in range(index, end + 1):
            year, month = divmod(i, 12)
            working, saturdays, days, holy = month_regressors(border, year, month + 1)
            off = [f"{d.isoformat()} {name}" for d, name in weekday_holidays(border, year, month + 1)]
            out.append(
                {
                    "border": border,
                    "month": date(year, month + 1, 1),
                    "days": int(days),
                    "working_days": int(working),
                    "saturdays": int(saturdays),
                    "holidays": off,
                    "holy_week_share": holy,
                }
            )
    return pl.DataFrame(out, schema_overrides={"holidays": pl.List(pl.String)})


def step() -> Step:
    """The derive step that fills marts.calendar_month, with the fact tables whose months it spans."""
    return Step(
        "marts.calendar_month (warehouse/calendar_month.py)",
        writes=frozenset({"marts.calendar_month"}),
        reads=tables_in(FACT_MONTHS),
        compute=lambda con, dirty, before: fill(con),
        changes=changed_months,
    )


def changed_months(con: duckdb.DuckDBPyConnection) -> frozenset[date]:
    """The months whose rows `fill` adds or removes, against the table as it is: a month's row depends
    on the month alone, so only a span that grew or shrank changes any."""
    first, last = rows(con, FACT_MONTHS)[0]
    span: set[date] = set()
    while first is not None and first <= last:
        span.add(first)
        first = shifted(first, 1)
    held = {r[0] for r in rows(con, "SELECT DISTINCT month FROM marts.calendar_month")}
    return frozenset(span ^ held)


def fill(con: duckdb.DuckDBPyConnection) -> None:
    """Fill marts.calendar_month for the months the facts span (nothing when there are no facts)."""
    run(con, "DELETE FROM marts.calendar_month")
    first, last = rows(con, FACT_MONTHS)[0]
    if first is None:
        return
    con.register("_calendar", calendar_frame(first, last).to_arrow())
    try:
        run(con, "INSERT INTO marts.calendar_month BY NAME SELECT * FROM _calendar")
    finally:
        con.unregister("_calendar")
