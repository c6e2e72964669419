"""HLED priority-sector trade, monthly, for the border or one port."""

from __future__ import annotations

import altair as alt
import duckdb

from dashboards.charts.common import (
    SECTORS,
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


def priority_sectors(
    con: duckdb.DuckDBPyConnection, lang: str = "en", port: str | None = None, border: str | None = None
) -> alt.VConcatChart:
    """Monthly US-Mexico trade by HLED sector (all ports, or one port)."""
    frame = months_frame(
        con,
        f"""SELECT month, hled_sector_{lang} AS sector, sum(value_usd) / 1e9 AS value_bn
            FROM marts.priority_sector_trade
            WHERE country = 'mexico' AND is_priority
              AND (?::VARCHAR IS NULL OR port_code = ?)
              AND month >= DATE '2020-01-01'
            GROUP BY ALL ORDER BY month""",
        [port, port],
        series="sector",
    )
    where = text("at_port", lang, port=port) if port else ""
    chart = monthly_lines(
        frame,
        ("sector", text("sector", lang)),
        ("value_bn", text("value_bn_axis", lang), text("value_bn", lang), ",.2f"),
        order_by_total(frame, "sector", "value_bn"),
        alt.Title(text("sectors_title", lang), subtitle=text("sectors_subtitle", lang, where=where)),
        lang,
        points=True,
    )
    return finish(chart, footer_lines(con, SECTORS, lang) + gap_note(frame, "value_bn", lang), lang)
