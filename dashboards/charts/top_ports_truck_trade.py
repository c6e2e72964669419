"""The top US-Mexico ports by trade carried by truck over 12 months."""

from __future__ import annotations

import altair as alt
import duckdb

from dashboards.charts.common import (
    TRADE_PER_TRUCK,
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
    months_frame,
)


def top_ports_truck_trade(
    con: duckdb.DuckDBPyConnection,
    lang: str = "en",
    port: str | None = None,
    border: str | None = None,
    top: int = 10,
) -> alt.VConcatChart:
    """Top US-Mexico ports by truck trade value over the latest 12 months, value per truck in the tooltip."""
    latest = latest_month(con, "marts.trade_value_per_truck")
    frame = months_frame(
        con,
        """SELECT port_label AS port, sum(total_value_usd) / 1e9 AS value_bn,
                  sum(total_value_usd) FILTER (WHERE inbound_trucks > 0) / nullif(sum(inbound_trucks), 0)
                      AS per_truck
           FROM marts.trade_value_per_truck JOIN marts.port USING (port_code)
           WHERE month > ?::DATE - INTERVAL 12 MONTH AND NOT is_district
           GROUP BY ALL ORDER BY value_bn DESC LIMIT ?""",
        [latest, top],
    )
    chart = (
        alt.Chart(frame)
        .mark_bar(color=PALETTE[0])
        .encode(
            y=alt.Y("port:N", sort="-x", title=text("port", lang)),
            x=alt.X("value_bn:Q", title=text("value_bn_axis", lang), axis=alt.Axis(format=",.0f")),
            tooltip=[
                alt.Tooltip("port:N", title=text("port", lang)),
                alt.Tooltip("value_bn:Q", title=text("value_bn", lang), format=",.2f"),
                alt.Tooltip("per_truck:Q", title=text("per_truck", lang), format=",.0f"),
            ],
        )
        .properties(
            width=WIDTH,
            height=HEIGHT,
            title=window_title(
                con, "truck_ports_title", "truck_ports_subtitle", "marts.trade_value_per_truck", latest, lang
            ),
        )
    )
    return finish(chart, footer_lines(con, TRADE_PER_TRUCK, lang), lang)
