"""Inbound trucks at the busiest US-Mexico port groups."""

from __future__ import annotations

import altair as alt
import duckdb
import polars as pl

from dashboards.charts.common import (
    GROUP_MONTHS,
    in_language,
)
from dashboards.labels import border_name, group_name, text
from dashboards.theme import (
    CHOSEN,
    OTHER,
    finish,
    footer_lines,
    group_colours,
    monthly_lines,
    months_frame,
)
from warehouse.db import rows, scalar


def us_mexico_trucks(
    con: duckdb.DuckDBPyConnection,
    lang: str = "en",
    port: str | None = None,
    border: str | None = None,
    top: int = 5,
) -> alt.VConcatChart:
    """Monthly inbound trucks at the top port groups of a border (by the latest 12 months), the rest
    summed as one line. `port` puts that port's group in the lines whatever its rank."""
    border = border or "US-Mexico"
    latest = scalar(
        con, "SELECT max(month) FROM marts.port_group_month WHERE border = ? AND measure = 'trucks'", [border]
    )
    ranked = rows(
        con,
        """SELECT port_group FROM marts.port_group_month WHERE border = ? AND measure = 'trucks' AND month = ?
           ORDER BY t12m_total DESC, port_group LIMIT ?""",
        [border, latest, top],
    )
    chosen = [r[0] for r in ranked]
    if port:
        chosen += [r[0] for r in rows(con, "SELECT port_group FROM marts.port WHERE port_code = ?", [port])]
    other = text("other_ports", lang)
    frame = months_frame(
        con,
        """SELECT month, CASE WHEN list_contains(?, port_group) THEN port_group_label ELSE ? END AS port,
                  sum(value)::BIGINT AS trucks
           FROM marts.port_group_month WHERE border = ? AND measure = 'trucks'
           GROUP BY ALL ORDER BY month""",
        [chosen, other, border],
    )
    order = (
        frame.filter(pl.col("month") == frame["month"].max())
        .sort("trucks", descending=True)["port"]
        .to_list()
    )
    order = [p for p in order if p != other] + [other]
    palette = group_colours(con)
    labels = dict(
        rows(
            con,
            "SELECT DISTINCT port_group_label, port_group FROM marts.port_group_month WHERE border = ?",
            [border],
        )
    )
    colours = {label: palette.get(labels.get(label, ""), CHOSEN) for label in order if label != other}
    colours[other] = OTHER
    frame = in_language(frame, "port", lang)
    colours = {group_name(k, lang): v for k, v in colours.items()}
    order = [group_name(p, lang) for p in order]
    chart = monthly_lines(
        frame,
        ("port", text("port", lang)),
        ("trucks", text("trucks_axis", lang), text("trucks_value", lang), ",.0f"),
        order,
        alt.Title(
            text("trucks_title", lang, n=top, border=border_name(border, lang)),
            subtitle=text("trucks_subtitle", lang, other=other),
        ),
        lang,
        colours=colours,
    )
    return finish(chart, footer_lines(con, GROUP_MONTHS, lang), lang)
