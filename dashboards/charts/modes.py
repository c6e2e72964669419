"""Trade by transport mode: values (trade_by_mode) and shares (mode_share) from one query."""

from __future__ import annotations

import altair as alt
import duckdb

from dashboards.charts.common import (
    MODE_SHARE,
)
from dashboards.labels import border_name, text
from dashboards.theme import (
    finish,
    footer_lines,
    gap_note,
    monthly_lines,
    months_frame,
    order_by_total,
)


def _modes(con: duckdb.DuckDBPyConnection, lang: str, border: str | None, share: bool) -> alt.VConcatChart:
    """Monthly trade with the partner by mode from marts.mode_share: values, or each mode's share."""
    border = border or "US-Mexico"
    frame = months_frame(
        con,
        f"""SELECT month, coalesce(mode_{lang}, mode) AS mode, value_usd / 1e9 AS value_bn, share_pct
            FROM marts.mode_share WHERE border = ? AND month >= DATE '2020-01-01'
              AND (NOT ? OR mode IN ('truck', 'rail', 'pipeline', 'vessel', 'air')) ORDER BY month""",
        [border, share],
        series="mode",
    )
    shown, other = ("share_pct", "value_bn") if share else ("value_bn", "share_pct")
    value = (
        ("share_pct", text("share_axis", lang), text("share_pct", lang), ",.1f")
        if share
        else ("value_bn", text("value_bn_axis", lang), text("value_bn", lang), ",.2f")
    )
    title, subtitle = ("share_title", "share_subtitle") if share else ("mode_title", "mode_subtitle")
    chart = monthly_lines(
        frame,
        ("mode", text("mode", lang)),
        value,
        order_by_total(frame, "mode", shown),
        alt.Title(text(title, lang, border=border_name(border, lang)), subtitle=text(subtitle, lang)),
        lang,
        points=True,
        extra_tooltips=(
            alt.Tooltip(
                f"{other}:Q", title=text(other, lang), format=",.2f" if other == "value_bn" else ",.1f"
            ),
        ),
    )
    return finish(chart, footer_lines(con, MODE_SHARE, lang) + gap_note(frame, shown, lang), lang)


def trade_by_mode(
    con: duckdb.DuckDBPyConnection, lang: str = "en", port: str | None = None, border: str | None = None
) -> alt.VConcatChart:
    """Monthly trade value with the partner by mode."""
    return _modes(con, lang, border, share=False)


def mode_share(
    con: duckdb.DuckDBPyConnection, lang: str = "en", port: str | None = None, border: str | None = None
) -> alt.VConcatChart:
    """Share of trade value by mode per month; rail's share is the greening signal."""
    return _modes(con, lang, border, share=True)
