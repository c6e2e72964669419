"""How concentrated each border is on a few port groups (HHI), for trucks and trade."""

from __future__ import annotations

import altair as alt
import duckdb
import polars as pl

from dashboards.charts.common import (
    BORDERS,
    CONCENTRATION,
    borders_of,
    in_language,
)
from dashboards.labels import border_name, text
from dashboards.theme import (
    BORDER_COLOURS,
    finish,
    footer_lines,
    gap_note,
    monthly_lines,
    months_frame,
)


def port_concentration(
    con: duckdb.DuckDBPyConnection, lang: str = "en", port: str | None = None, border: str | None = None
) -> alt.VConcatChart:
    """Herfindahl-Hirschman index of port concentration per border, for trucks and for trade value."""
    frame = months_frame(
        con,
        """SELECT month, border || ' · ' || CASE basis WHEN 'truck_crossings' THEN ? ELSE ? END AS series,
                   hhi, equivalent_ports, top_port_group, top_share_pct
            FROM marts.port_concentration WHERE list_contains(?, border) AND month >= DATE '2000-01-01'
            ORDER BY month""",
        [text("basis_trucks", lang), text("basis_trade", lang), borders_of(border)],
        series="series",
    )
    frame = in_language(frame, "top_port_group", lang)
    for border_code in BORDERS:
        frame = frame.with_columns(
            pl.col("series").str.replace(border_code, border_name(border_code, lang), literal=True)
        )
    order = sorted(frame["series"].unique().to_list())
    colours = {s: c for s in order for b, c in BORDER_COLOURS.items() if s.startswith(border_name(b, lang))}
    dashes = {s: [6, 3] for s in order if s.endswith(text("basis_trade", lang))}
    chart = monthly_lines(
        frame,
        ("series", text("series", lang)),
        ("hhi", text("hhi_axis", lang), text("hhi", lang), ",.0f"),
        order,
        alt.Title(text("hhi_title", lang), subtitle=text("hhi_subtitle", lang)),
        lang,
        colours=colours,
        dashes=dashes,
        extra_tooltips=(
            alt.Tooltip("equivalent_ports:Q", title=text("equivalent_ports", lang), format=",.1f"),
            alt.Tooltip("top_port_group:N", title=text("top_port", lang)),
            alt.Tooltip("top_share_pct:Q", title=text("top_share", lang), format=",.1f"),
        ),
    )
    return finish(chart, footer_lines(con, CONCENTRATION, lang) + gap_note(frame, "hhi", lang), lang)
