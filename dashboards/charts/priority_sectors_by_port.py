"""HLED priority-sector trade by port over 12 months, with the months its window lacks."""

from __future__ import annotations

import altair as alt
import duckdb

from dashboards.charts.common import (
    SECTORS,
    latest_month,
    window_title,
)
from dashboards.labels import text
from dashboards.theme import (
    HEIGHT,
    PALETTE,
    WIDTH,
    finish,
    footer_lines,
    order_by_total,
)
from warehouse.db import frame as query_frame


def priority_sectors_by_port(
    con: duckdb.DuckDBPyConnection,
    lang: str = "en",
    port: str | None = None,
    border: str | None = None,
    top: int = 10,
) -> alt.VConcatChart:
    """HLED priority-sector trade with Mexico by port over the latest 12 months on hand, stacked by sector."""
    latest = latest_month(con, "marts.priority_sector_trade", "WHERE country = 'mexico'")
    frame = query_frame(
        con,
        f"""WITH recent AS (
                SELECT port_label AS port, port_code, hled_sector_{lang} AS sector,
                       sum(value_usd) / 1e9 AS value_bn
                FROM marts.priority_sector_trade JOIN marts.port USING (port_code)
                WHERE country = 'mexico' AND month > ?::DATE - INTERVAL 12 MONTH AND NOT is_district
                  AND is_priority
                GROUP BY ALL),
            ranked AS (SELECT port_code FROM recent GROUP BY port_code ORDER BY sum(value_bn) DESC LIMIT ?)
            SELECT port, sector, value_bn FROM recent
            WHERE port_code IN (SELECT port_code FROM ranked) OR port_code = ?""",
        [latest, top, port or ""],
    )
    order = order_by_total(frame, "sector", "value_bn")
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("port:N", sort="-x", title=text("port", lang)),
            x=alt.X("sum(value_bn):Q", title=text("value_bn_axis", lang), axis=alt.Axis(format=",.1~f")),
            color=alt.Color(
                "sector:N",
                title=text("sector", lang),
                sort=order,
                scale=alt.Scale(domain=order, range=PALETTE[:3]),
            ),
            tooltip=[
                alt.Tooltip("port:N", title=text("port", lang)),
                alt.Tooltip("sector:N", title=text("sector", lang)),
                alt.Tooltip("value_bn:Q", title=text("value_bn", lang), format=",.3f"),
            ],
        )
        .properties(
            width=WIDTH,
            height=HEIGHT,
            title=window_title(
                con,
                "sectors_port_title",
                "sectors_port_subtitle",
                "marts.priority_sector_trade",
                latest,
                lang,
            ),
        )
    )
    return finish(chart, footer_lines(con, SECTORS, lang), lang)
