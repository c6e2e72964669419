"""Estimated truck idle hours and CO2 at the line, per port and month."""

from __future__ import annotations

import altair as alt
import duckdb

from dashboards.charts.common import (
    IDLE,
    require,
)
from dashboards.labels import border_name, fmt_number, text
from dashboards.theme import (
    HEIGHT,
    OTHER,
    WIDTH,
    finish,
    footer_lines,
    group_colours,
)
from warehouse.db import frame as query_frame


def truck_idle(
    con: duckdb.DuckDBPyConnection, lang: str = "en", port: str | None = None, border: str | None = None
) -> alt.VConcatChart:
    """Estimated truck idle hours per port and month (bars), CO2 and the inputs in the tooltip."""
    where, params = ["idle_truck_hours IS NOT NULL"], []
    if port:
        where.append("port_code = ?")
        params.append(port)
    if border:
        where.append("t.border = ?")
        params.append(border)
    frame = query_frame(
        con,
        f"""SELECT p.port_label AS port, p.port_group, month, idle_truck_hours, idle_co2_tonnes, trucks,
                   trucks_month,
                   median_commercial_wait_minutes, kg_co2_per_idle_hour
            FROM marts.truck_idle t JOIN marts.port p USING (port_code)
            WHERE {" AND ".join(where)} ORDER BY month, port""",
        params,
    )
    require(frame, "no month has both commercial wait readings and a truck count")
    scope = (
        frame["port"][0]
        if port
        else border_name(border or "US-Mexico", lang)
        if border
        else text("all_ports", lang)
    )
    factor = fmt_number(frame["kg_co2_per_idle_hour"][0], lang)
    palette = group_colours(con)
    idle_colours = {
        p: palette.get(g, OTHER) for p, g in frame.select("port", "port_group").unique().sort("port").rows()
    }
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month):O", title=text("month", lang)),
            xOffset="port:N",
            y=alt.Y("idle_truck_hours:Q", title=text("idle_axis", lang), axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "port:N",
                title=text("port", lang),
                scale=alt.Scale(domain=list(idle_colours), range=list(idle_colours.values())),
            ),
            tooltip=[
                alt.Tooltip("port:N", title=text("port", lang)),
                alt.Tooltip("month:T", title=text("month", lang), format="%b %Y"),
                alt.Tooltip("idle_truck_hours:Q", title=text("idle_axis", lang), format=",.0f"),
                alt.Tooltip("idle_co2_tonnes:Q", title=text("idle_co2", lang), format=",.1f"),
                alt.Tooltip("trucks:Q", title=text("trucks_value", lang), format=",d"),
                alt.Tooltip("trucks_month:T", title=text("trucks_month", lang), format="%b %Y"),
                alt.Tooltip(
                    "median_commercial_wait_minutes:Q", title=text("median_wait", lang), format=",.0f"
                ),
            ],
        )
        .properties(
            width=WIDTH,
            height=HEIGHT,
            title=alt.Title(
                text("idle_title", lang, scope=scope), subtitle=text("idle_subtitle", lang, factor=factor)
            ),
        )
    )
    return finish(chart, footer_lines(con, IDLE, lang), lang)
