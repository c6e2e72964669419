"""What the chart builders share: the borders, the marts each group of charts draws (its footer names
their sources, and a chart is skipped when one is not loaded), the SQL of a chosen port's group, and
small helpers (the borders a chart covers, a column in the chart's language, a window's missing months)."""

from __future__ import annotations

from datetime import date

import altair as alt
import duckdb
import polars as pl

from dashboards.labels import group_name, month_label, text
from dashboards.theme import (
    NoData,
)
from warehouse.db import rows, scalar
from warehouse.windows import TWELVE_MONTHS

BORDERS = ("US-Mexico", "US-Canada")


# the group of the chosen port (none when no port is chosen)
PORT_GROUP = "(SELECT port_group FROM marts.port WHERE port_code = ?)"


# the marts each chart draws: its footer names their sources, and it is skipped when one is not loaded
GROUP_MONTHS = ("port_group_month",)


PEOPLE = ("people_flows",)


TRADE_PER_TRUCK = ("trade_value_per_truck",)


MODE_SHARE = ("mode_share",)


SECTORS = ("priority_sector_trade",)
PRODUCTS = ("hled_product_trade",)


CONCENTRATION = ("port_concentration",)


SCORECARD = ("hled_scorecard",)


WAIT_HOURS = ("wait_times_port_hour",)


IDLE = ("truck_idle",)


def borders_of(border: str | None) -> list[str]:
    return [border] if border else list(BORDERS)


def in_language(frame: pl.DataFrame, column: str, lang: str) -> pl.DataFrame:
    """A column of port-group names as readers of the language write them (El Paso area)."""
    return frame.with_columns(
        pl.col(column).map_elements(lambda g: group_name(g, lang), return_dtype=pl.String)
    )


def port_name_of(con: duckdb.DuckDBPyConnection, port: str) -> str:
    found = rows(
        con,
        "SELECT port_label FROM marts.port WHERE port_code = ? "
        "AND port_code IN (SELECT port_code FROM marts.port_month)",
        [port],
    )
    if not found:
        raise NoData(f"port {port} has no crossings in the warehouse")
    return found[0][0]


def window_missing(con: duckdb.DuckDBPyConnection, table: str, latest: object, lang: str) -> str:
    """` · only 11 of 12 months: Mar 2024 not published` when the 12 months to `latest` lack months in
    `table` (a mart with a month column), else nothing: a 12-month bar is never shorter in silence."""
    present = [r[0] for r in rows(con, f"SELECT DISTINCT month FROM {table}")]
    missing = TWELVE_MONTHS.missing(latest, present)
    if not missing:
        return ""
    months = ", ".join(month_label(m.year, m.month, lang) for m in missing)
    return text("window_missing", lang, on_hand=TWELVE_MONTHS.months - len(missing), months=months)


def window_title(
    con: duckdb.DuckDBPyConnection, title: str, subtitle: str, mart: str, latest: date, lang: str
) -> alt.Title:
    """The title of a chart over the 12 months to `latest`: its subtitle (a label with `{latest}` and
    `{missing}`) names the window's last month and the months `mart` lacks in it."""
    return alt.Title(
        text(title, lang),
        subtitle=text(
            subtitle,
            lang,
            latest=month_label(latest.year, latest.month, lang),
            missing=window_missing(con, mart, latest, lang),
        ),
    )


def require(frame: pl.DataFrame, why: str) -> None:
    """Refuse to draw a chart of no rows: NoData saying why (the chart is left out and the page says so)."""
    if frame.height == 0:
        raise NoData(why)


def latest_month(con: duckdb.DuckDBPyConnection, mart: str, where: str = "") -> date:
    """The latest month of a mart (optionally of its rows `where`); NoData naming the mart when it has
    none, as when its source is not loaded."""
    latest = scalar(con, f"SELECT max(month) FROM {mart} {where}")
    if latest is None:
        raise NoData(f"no rows in {mart} (is its source loaded?)")
    return latest
