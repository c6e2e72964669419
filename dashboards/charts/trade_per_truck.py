"""Trade carried per inbound truck at the main US-Mexico ports, monthly."""

from __future__ import annotations

import altair as alt
import duckdb

from dashboards.charts.common import (
    TRADE_PER_TRUCK,
)
from dashboards.labels import text
from dashboards.theme import (
    finish,
    footer_lines,
    gap_note,
    monthly_lines,
    months_frame,
    order_by_total,
)
from warehouse.db import rows


def trade_per_truck(
    con: duckdb.DuckDBPyConnection,
    lang: str = "en",
    port: str | None = None,
    border: str | None = None,
    top: int = 6,
) -> alt.VConcatChart:
    """Monthly trade carried per inbound truck at the US-Mexico ports with the most truck trade."""
    ranked = [
        r[0]
        for r in rows(
            con,
            """SELECT port_code FROM marts.trade_value_per_truck WHERE inbound_trucks > 0
               GROUP BY port_code ORDER BY sum(total_value_usd) DESC LIMIT ?""",
            [top],
        )
    ]
    if port and port not in ranked:
        ranked.append(port)
    frame = months_frame(
        con,
        """SELECT month, port_label AS port,
                  total_value_per_inbound_truck_usd / 1e3 AS per_truck_k, total_value_usd / 1e9 AS value_bn,
                  inbound_trucks
           FROM marts.trade_value_per_truck JOIN marts.port USING (port_code)
           WHERE list_contains(?, port_code) AND inbound_trucks > 0 AND month >= DATE '2020-01-01'
           ORDER BY month""",
        [ranked],
        series="port",
    )
    order = order_by_total(frame, "port", "value_bn")
    chart = monthly_lines(
        frame,
        ("port", text("port", lang)),
        ("per_truck_k", text("per_truck_axis", lang), text("per_truck_k", lang), ",.1f"),
        order,
        alt.Title(text("per_truck_title", lang), subtitle=text("per_truck_subtitle", lang)),
        lang,
        points=True,
        extra_tooltips=(
            alt.Tooltip("value_bn:Q", title=text("value_bn", lang), format=",.2f"),
            alt.Tooltip("inbound_trucks:Q", title=text("trucks_value", lang), format=",.0f"),
        ),
    )
    return finish(chart, footer_lines(con, TRADE_PER_TRUCK, lang) + gap_note(frame, "value_bn", lang), lang)
