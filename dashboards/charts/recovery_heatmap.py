"""People crossing at the busiest port groups as an index of 2019, gaps in reporting left blank."""

from __future__ import annotations

import altair as alt
import duckdb

from dashboards.charts.common import (
    PEOPLE,
    PORT_GROUP,
    in_language,
    require,
)
from dashboards.labels import border_name, text
from dashboards.theme import (
    HEIGHT,
    WIDTH,
    finish,
    footer_lines,
)
from warehouse.db import frame as query_frame


def recovery_heatmap(
    con: duckdb.DuckDBPyConnection,
    lang: str = "en",
    port: str | None = None,
    border: str | None = None,
    top: int = 20,
) -> alt.VConcatChart:
    """People crossing at the busiest ports as an index of the same month of 2019, port x month."""
    border = border or "US-Mexico"
    frame = query_frame(
        con,
        f"""WITH busiest AS (
               SELECT scope FROM marts.people_flows
               WHERE grain = 'port_group' AND border = ? AND year(month) = 2019
               GROUP BY scope ORDER BY sum(people_total) DESC LIMIT ?),
           groups AS (SELECT DISTINCT port_group, port_group_label FROM marts.port),
           gaps AS (  -- a port of the group did not report one of its usual counts of people: a gap
               SELECT DISTINCT p.port_group, x.month
               FROM marts.crossings_gaps x JOIN marts.port p USING (port_code)
               WHERE x.measure IN ('pedestrians', 'personal_vehicle_passengers', 'bus_passengers',
                                   'train_passengers'))
           SELECT g.port_group_label AS port, month, index_2019, people_total, people_2019
           FROM marts.people_flows f JOIN groups g ON g.port_group = f.scope
           WHERE grain = 'port_group' AND month >= DATE '2020-01-01' AND index_2019 IS NOT NULL
             AND (scope IN (SELECT scope FROM busiest) OR scope = {PORT_GROUP})
             AND (f.scope, f.month) NOT IN (SELECT (port_group, month) FROM gaps)
           ORDER BY port, month""",
        [border, top, port or ""],
    )
    require(frame, "no 2019 baseline for people crossings")
    frame = in_language(frame, "port", lang)
    chart = (
        alt.Chart(frame)
        .mark_rect()
        .encode(
            x=alt.X(
                "yearmonth(month):O", title=text("month", lang), axis=alt.Axis(format="%b %Y", labelAngle=-45)
            ),
            y=alt.Y(
                "port:N",
                title=text("port", lang),
                sort=alt.EncodingSortField("people_2019", op="sum", order="descending"),
            ),
            color=alt.Color(
                "index_2019:Q",
                title=text("index_2019", lang),
                scale=alt.Scale(
                    scheme="blueorange", domainMid=100, domain=[0, 200], clamp=True, reverse=True
                ),
            ),
            tooltip=[
                alt.Tooltip("port:N", title=text("port", lang)),
                alt.Tooltip("month:T", title=text("month", lang), format="%b %Y"),
                alt.Tooltip("index_2019:Q", title=text("index_2019", lang), format=",.1f"),
                alt.Tooltip("people_total:Q", title=text("people_value", lang), format=",.0f"),
                alt.Tooltip("people_2019:Q", title=text("people_2019", lang), format=",.0f"),
            ],
        )
        .properties(
            width=WIDTH,
            height=HEIGHT,
            title=alt.Title(
                text("heatmap_title", lang, border=border_name(border, lang)),
                subtitle=text("heatmap_subtitle", lang),
            ),
        )
    )
    return finish(chart, footer_lines(con, PEOPLE, lang), lang)
