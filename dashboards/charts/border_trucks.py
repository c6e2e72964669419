"""Inbound trucks at each border, the disruptions marked, and where their traffic went."""

from __future__ import annotations

import altair as alt
import duckdb
import polars as pl

from dashboards.charts.common import (
    GROUP_MONTHS,
    borders_of,
)
from dashboards.labels import border_name, fmt_number, group_name, text
from dashboards.theme import (
    BORDER_COLOURS,
    CHOSEN,
    NoData,
    finish,
    footer_lines,
    gap_note,
    group_colours,
    monthly_lines,
    months_frame,
    order_by_total,
)
from warehouse.db import frame as query_frame
from warehouse.db import rows


def border_trucks(
    con: duckdb.DuckDBPyConnection, lang: str = "en", port: str | None = None, border: str | None = None
) -> alt.VConcatChart:
    """Monthly inbound trucks per border (or at one port's group) with the detected shocks marked."""
    if port:
        group = rows(con, "SELECT port_group FROM marts.port WHERE port_code = ?", [port])
        if not group:
            raise NoData(f"port {port} is not in marts.port")
        scope_sql = "SELECT port_group_name AS scope, month, value FROM marts.port_group_month "
        scope_sql += "WHERE port_group = ? AND measure = 'trucks' ORDER BY month"
        params: list = [group[0][0]]
        shock_where, shock_params = "scope_type = 'port_group' AND scope = ?", [group[0][0]]
    else:
        chosen = borders_of(border)
        scope_sql = "SELECT border AS scope, month, value FROM marts.border_month "
        scope_sql += "WHERE measure = 'trucks' AND list_contains(?, border) ORDER BY month"
        params = [chosen]
        shock_where, shock_params = "scope_type = 'border' AND list_contains(?, scope)", [chosen]
    frame = months_frame(con, scope_sql, params, series="scope").with_columns(
        pl.col("scope").map_elements(lambda b: group_name(border_name(b, lang), lang), return_dtype=pl.String)
    )
    shocks = query_frame(
        con,
        f"""SELECT scope_name AS scope, scope AS code, first_month, trough_month AS month,
                   actual_at_trough AS value, depth_pct, months_to_recover, status, diverted_pct
            FROM marts.shocks WHERE measure = 'trucks' AND kind = 'disruption' AND {shock_where}
            ORDER BY first_month""",
        shock_params,
    ).with_columns(
        pl.col("scope").map_elements(lambda b: group_name(border_name(b, lang), lang), return_dtype=pl.String)
    )
    shocks = shocks.with_columns(
        nearby=pl.Series([nearby_text(con, r, lang) for r in shocks.iter_rows(named=True)])
    )
    order = order_by_total(frame, "scope", "value")
    if port:
        colours = {order[0]: group_colours(con).get(group[0][0], CHOSEN)}
    else:
        colours = {border_name(b, lang): colour for b, colour in BORDER_COLOURS.items()}
    lines = monthly_lines(
        frame,
        ("scope", text("scope", lang)),
        ("value", text("trucks_axis", lang), text("trucks_value", lang), ",.0f"),
        order,
        alt.Title(
            text("port_trucks_title", lang, scope=order[0]) if port else text("border_trucks_title", lang),
            subtitle=text("border_trucks_subtitle", lang),
        ),
        lang,
        colours=colours,
    )
    marks = (
        alt.Chart(shocks)
        .mark_point(
            shape="triangle-down",
            size=130,
            filled=True,
            color="#222222",
            stroke="white",
            strokeWidth=1,
            yOffset=-9,
        )
        .encode(
            x="month:T",
            y="value:Q",
            tooltip=[
                alt.Tooltip("scope:N", title=text("scope", lang)),
                alt.Tooltip("first_month:T", title=text("shock_start", lang), format="%b %Y"),
                alt.Tooltip("month:T", title=text("shock_trough", lang), format="%b %Y"),
                alt.Tooltip("depth_pct:Q", title=text("shock_depth", lang), format=",.1f"),
                alt.Tooltip("months_to_recover:Q", title=text("shock_recovery", lang), format=",.0f"),
                *(
                    [
                        alt.Tooltip("nearby:N", title=text("shock_nearby", lang)),
                        alt.Tooltip("diverted_pct:Q", title=text("shock_diverted", lang), format=",.0f"),
                    ]
                    if port
                    else []
                ),
            ],
        )
    )
    return finish(
        alt.layer(lines, marks), footer_lines(con, GROUP_MONTHS, lang) + gap_note(frame, "value", lang), lang
    )


def nearby_text(con: duckdb.DuckDBPyConnection, shock: dict, lang: str, most: int = 3) -> str:
    """The neighbouring port groups that moved most against their expectation in a shock's trough
    month, e.g. `Laredo +3,912 (+6 %); Eagle Pass -210 (-1 %)` (marts.shock_neighbours)."""
    found = rows(
        con,
        """SELECT neighbour_name, excess, excess_pct FROM marts.shock_neighbours
           WHERE scope = ? AND measure = 'trucks' AND first_month = ?
           ORDER BY abs(excess) DESC, neighbour LIMIT ?""",
        [shock["code"], shock["first_month"], most],
    )
    return "; ".join(
        f"{group_name(name, lang)} {fmt_number(excess, lang, signed=True, whole=True)}"
        + ("" if pct is None else f" ({pct:+.0f} %)")
        for name, excess, pct in found
    )
