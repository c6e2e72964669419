"""People crossing into the US by way of crossing, monthly."""

from __future__ import annotations

import altair as alt
import duckdb
import polars as pl

from dashboards.charts.common import (
    PEOPLE,
    port_name_of,
    require,
)
from dashboards.labels import border_name, text
from dashboards.theme import (
    HEIGHT,
    PALETTE,
    WIDTH,
    YEAR_AXIS,
    finish,
    footer_lines,
)
from warehouse.db import frame as query_frame

PEOPLE_COLUMNS = ("personal_vehicle_passengers", "pedestrians", "bus_passengers", "train_passengers")


def people_flows(
    con: duckdb.DuckDBPyConnection, lang: str = "en", port: str | None = None, border: str | None = None
) -> alt.VConcatChart:
    """People crossing northbound per month by way of crossing, at a border or a port (stacked areas)."""
    if port:
        where, params, scope = "grain = 'port' AND scope = ?", [port], port_name_of(con, port)
    else:
        where, params = "grain = 'border' AND scope = ?", [border or "US-Mexico"]
        scope = border_name(border or "US-Mexico", lang)
    wide = query_frame(
        con,
        f"SELECT month, {', '.join(PEOPLE_COLUMNS)} FROM marts.people_flows WHERE {where} ORDER BY month",
        params,
    )
    require(wide, f"no people crossings for {scope}")
    labels = {c: text(c, lang) for c in PEOPLE_COLUMNS}
    frame = (
        wide.unpivot(index="month", on=list(PEOPLE_COLUMNS), variable_name="way", value_name="people")
        .with_columns(pl.col("way").replace_strict(labels))
        .filter(pl.col("month") >= pl.date(2000, 1, 1))
    )
    order = [labels[c] for c in PEOPLE_COLUMNS]
    chart = (
        alt.Chart(frame)
        .mark_area(opacity=0.85)
        .encode(
            x=alt.X("month:T", title=text("month", lang), axis=YEAR_AXIS),
            y=alt.Y("people:Q", stack=True, title=text("people_axis", lang), axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "way:N", title=text("way", lang), sort=order, scale=alt.Scale(domain=order, range=PALETTE[:4])
            ),
            order=alt.Order("way_order:Q"),
            tooltip=[
                alt.Tooltip("way:N", title=text("way", lang)),
                alt.Tooltip("month:T", title=text("month", lang), format="%b %Y"),
                alt.Tooltip("people:Q", title=text("people_value", lang), format=",.0f"),
            ],
        )
        .transform_calculate(way_order=f"indexof({order!r}, datum.way)")
        .properties(
            width=WIDTH,
            height=HEIGHT,
            title=alt.Title(text("people_title", lang, scope=scope), subtitle=text("people_subtitle", lang)),
        )
    )
    return finish(chart, footer_lines(con, PEOPLE, lang), lang)
