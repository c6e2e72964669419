"""The busiest truck ports of entry over the latest 12 months, with their change on a year before."""

from __future__ import annotations

import altair as alt
import duckdb
import polars as pl

from dashboards.charts.common import (
    BORDERS,
    GROUP_MONTHS,
    PORT_GROUP,
    borders_of,
    in_language,
    require,
)
from dashboards.labels import border_name, fmt_pct, month_label, text
from dashboards.theme import (
    BORDER_COLOURS,
    CHOSEN,
    HEIGHT,
    WIDTH,
    finish,
    footer_lines,
)
from warehouse.db import frame as query_frame
from warehouse.db import scalar


def top_ports(
    con: duckdb.DuckDBPyConnection,
    lang: str = "en",
    port: str | None = None,
    border: str | None = None,
    top: int = 15,
) -> alt.VConcatChart:
    """Port groups ranked by inbound trucks over the latest 12 months, with the change on a year before."""
    latest = scalar(con, "SELECT max(month) FROM marts.port_group_month WHERE measure = 'trucks'")
    frame = query_frame(
        con,
        f"""SELECT p.port_group_label AS port, p.port_group, p.border, p.t12m_total AS trucks,
                  round(100.0 * (p.t12m_total - prev.t12m_total) / nullif(prev.t12m_total, 0), 1)
                      AS change_pct,
                  p.port_group = {PORT_GROUP} AS chosen
           FROM marts.port_group_month p
           LEFT JOIN marts.port_group_month prev ON prev.port_group = p.port_group AND prev.measure = 'trucks'
                AND prev.month = p.month - INTERVAL 12 MONTH
           WHERE p.measure = 'trucks' AND p.month = ? AND list_contains(?, p.border)
           ORDER BY trucks DESC LIMIT ?""",
        [port or "", latest, borders_of(border), top],
    )
    require(frame, "no truck crossings in the latest month")
    frame = frame.with_columns(
        pl.when(pl.col("chosen").fill_null(False))
        .then(pl.lit(text("chosen_port", lang)))
        .otherwise(pl.col("border").map_elements(lambda b: border_name(b, lang), return_dtype=pl.String))
        .alias("colour")
    )
    frame = in_language(frame, "port", lang)
    domain = [border_name(b, lang) for b in BORDERS] + ([text("chosen_port", lang)] if port else [])
    colour_range = [BORDER_COLOURS[b] for b in BORDERS] + ([CHOSEN] if port else [])
    frame = frame.with_columns(  # the change on a year before, written at the end of each bar
        change_label=pl.col("change_pct").map_elements(
            lambda v: f"{fmt_pct(v, lang)} %", return_dtype=pl.String, skip_nulls=True
        )
    )
    ranked = frame.sort("trucks", descending=True)["port"].to_list()
    y = alt.Y("port:N", sort=ranked, title=text("port", lang), axis=alt.Axis(labelLimit=320))
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=y,
            x=alt.X("trucks:Q", title=text("trucks_12m_axis", lang), axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "colour:N",
                title=text("border", lang),
                scale=alt.Scale(domain=domain, range=colour_range),
            ),
            tooltip=[
                alt.Tooltip("port:N", title=text("port", lang)),
                alt.Tooltip("trucks:Q", title=text("trucks_12m_axis", lang), format=",.0f"),
                alt.Tooltip("change_pct:Q", title=text("change_year_pct", lang), format="+,.1f"),
            ],
        )
    )
    labels = bars.mark_text(align="left", baseline="middle", dx=4, fontSize=11, color="#333333").encode(
        text="change_label:N", color=alt.value("#333333")
    )
    chart = alt.layer(bars, labels).properties(
        width=WIDTH,
        height=HEIGHT,
        title=alt.Title(
            text("top_ports_title", lang, n=top),
            subtitle=text("top_ports_subtitle", lang, latest=month_label(latest.year, latest.month, lang)),
        ),
    )
    return finish(chart, footer_lines(con, GROUP_MONTHS, lang), lang)
