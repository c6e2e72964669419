"""Waits at the line by hour of day, from collected readings or CBP historical averages."""

from __future__ import annotations

import altair as alt
import duckdb
import polars as pl

from dashboards.charts.common import (
    WAIT_HOURS,
    port_name_of,
    require,
)
from dashboards.labels import border_name, text
from dashboards.theme import (
    HEIGHT,
    PALETTE,
    WIDTH,
    finish,
    footer_lines,
)
from warehouse.db import frame as query_frame
from warehouse.db import rows

MAX_WAIT_SERIES = 6


def wait_by_hour(
    con: duckdb.DuckDBPyConnection, lang: str = "en", port: str | None = None, border: str | None = None
) -> alt.VConcatChart:
    """Median wait by local hour of day, standard lanes: commercial lanes at the crossings with the most
    readings, or every vehicle type at one port's crossings. Historical averages fill crossings without
    readings and are labelled as such."""
    where, params = ["lane_type = 'standard'"], []
    if port:
        where.append("port_code = ?")
        params.append(port)
        scope = (
            port_name_of(con, port)
            if rows(con, "SELECT 1 FROM marts.port_month WHERE port_code = ?", [port])
            else port
        )
    else:
        where.append("vehicle_type = 'commercial'")
        scope = border_name(border, lang) if border else text("wait_commercial_trucks", lang)
    if border:
        where.append("border = ?")
        params.append(border)
    found = query_frame(
        con,
        f"""SELECT crossing, vehicle_type, basis, hour_of_day, median_wait_minutes, p90_wait_minutes,
                   observations, first_day, last_day,
                   (sum(observations) OVER (PARTITION BY port_number, vehicle_type))::BIGINT AS weight
            FROM marts.wait_times_port_hour WHERE preferred AND {" AND ".join(where)}""",
        params,
    )
    require(found, f"no wait times for {scope}")
    frame = found.with_columns(
        (
            pl.col("crossing")
            + (
                pl.lit(" · ")
                + pl.col("vehicle_type").replace_strict(
                    {v: text(v, lang) for v in ("commercial", "passenger", "pedestrian")}
                )
                if port
                else pl.lit("")
            )
            + pl.when(pl.col("basis") == "historical_average")
            .then(pl.lit(text("avg_suffix", lang)))
            .otherwise(pl.lit(""))
        ).alias("series")
    )
    keep = (
        frame.group_by("series")
        .agg(pl.col("weight").first(), pl.col("basis").first())
        .sort(["basis", "weight"], descending=[True, True])
        .head(MAX_WAIT_SERIES)["series"]
        .to_list()
    )
    frame = frame.filter(pl.col("series").is_in(keep))
    readings = frame.filter(pl.col("basis") == "readings")
    basis = []
    if readings.height:
        basis.append(
            text(
                "wait_basis_readings",
                lang,
                first=str(readings["first_day"].min()),
                last=str(readings["last_day"].max()),
            )
        )
    if readings.height < frame.height:
        basis.append(text("wait_basis_profile", lang))
    chart = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "hour_of_day:Q",
                title=text("hour_axis", lang),
                scale=alt.Scale(domain=[0, 23]),
                axis=alt.Axis(tickCount=24, format="d"),
            ),
            y=alt.Y("median_wait_minutes:Q", title=text("wait_axis", lang)),
            color=alt.Color(
                "series:N", title=text("crossing", lang), sort=keep, scale=alt.Scale(range=PALETTE)
            ),
            tooltip=[
                alt.Tooltip("series:N", title=text("crossing", lang)),
                alt.Tooltip("hour_of_day:Q", title=text("hour_axis", lang)),
                alt.Tooltip("median_wait_minutes:Q", title=text("wait_axis", lang), format=",.0f"),
                alt.Tooltip("p90_wait_minutes:Q", title=text("wait_p90", lang), format=",.0f"),
                alt.Tooltip("observations:Q", title=text("observations", lang), format=",d"),
            ],
        )
        .properties(
            width=WIDTH,
            height=HEIGHT,
            title=alt.Title(
                text("wait_hour_title", lang, scope=scope),
                subtitle=text("wait_hour_subtitle", lang, basis="; ".join(basis)),
            ),
        )
    )
    return finish(chart, footer_lines(con, WAIT_HOURS, lang), lang)
