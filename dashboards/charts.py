"""Chart builders: one function per chart, each reading only the published warehouse's marts. Every
builder takes (con, lang, port, border); `port` narrows a chart to one port where that makes sense,
`border` to US-Mexico or US-Canada."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass

import altair as alt
import duckdb
import polars as pl

from dashboards.labels import border_name, fmt_number, fmt_pct, group_name, month_label, text, unit_name
from dashboards.theme import (
    BAD,
    BORDER_COLOURS,
    CHOSEN,
    GOOD,
    HEIGHT,
    NEUTRAL,
    OTHER,
    PALETTE,
    WIDTH,
    YEAR_AXIS,
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
from warehouse.db import rows, scalar
from warehouse.windows import TWELVE_MONTHS

BORDERS = ("US-Mexico", "US-Canada")
# the group of the chosen port (none when no port is chosen)
PORT_GROUP = "(SELECT port_group FROM marts.port WHERE port_code = ?)"


# the marts each chart draws: its footer names their sources, and it is skipped when one is not loaded
GROUP_MONTHS = ("port_group_month",)
PEOPLE = ("people_flows",)
TRADE_PER_TRUCK = ("trade_value_per_truck",)
MODE_SHARE = ("mode_share",)
SECTORS = ("priority_sector_trade",)
CONCENTRATION = ("port_concentration",)
SCORECARD = ("hled_scorecard",)
WAIT_HOURS = ("wait_times_port_hour",)
IDLE = ("truck_idle",)


def _borders(border: str | None) -> list[str]:
    return [border] if border else list(BORDERS)


def _in_language(frame: pl.DataFrame, column: str, lang: str) -> pl.DataFrame:
    """A column of port-group names as readers of the language write them (El Paso area)."""
    return frame.with_columns(
        pl.col(column).map_elements(lambda g: group_name(g, lang), return_dtype=pl.String)
    )


def _port_name(con: duckdb.DuckDBPyConnection, port: str) -> str:
    found = rows(
        con,
        "SELECT port_label FROM marts.port WHERE port_code = ? "
        "AND port_code IN (SELECT port_code FROM marts.port_month)",
        [port],
    )
    if not found:
        raise NoData(f"port {port} has no crossings in the warehouse")
    return found[0][0]


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
        chosen = _borders(border)
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
    frame = _in_language(frame, "port", lang)
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
        [port or "", latest, _borders(border), top],
    )
    if frame.height == 0:
        raise NoData("no truck crossings in the latest month")
    frame = frame.with_columns(
        pl.when(pl.col("chosen").fill_null(False))
        .then(pl.lit(text("chosen_port", lang)))
        .otherwise(pl.col("border").map_elements(lambda b: border_name(b, lang), return_dtype=pl.String))
        .alias("colour")
    )
    frame = _in_language(frame, "port", lang)
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
    if frame.height == 0:
        raise NoData("no 2019 baseline for people crossings")
    frame = _in_language(frame, "port", lang)
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


def trade_per_truck(
    con: duckdb.DuckDBPyConnection,
    lang: str = "en",
    port: str | None = None,
    border: str | None = None,
    top: int = 6,
) -> alt.VConcatChart:
    """Monthly trade carried per inbound truck at the US-Mexico ports with the most truck trade."""
    ranked = [
        r[0]
        for r in rows(
            con,
            """SELECT port_code FROM marts.trade_value_per_truck WHERE inbound_trucks > 0
               GROUP BY port_code ORDER BY sum(total_value_usd) DESC LIMIT ?""",
            [top],
        )
    ]
    if port and port not in ranked:
        ranked.append(port)
    frame = months_frame(
        con,
        """SELECT month, port_label AS port,
                  total_value_per_inbound_truck_usd / 1e3 AS per_truck_k, total_value_usd / 1e9 AS value_bn,
                  inbound_trucks
           FROM marts.trade_value_per_truck JOIN marts.port USING (port_code)
           WHERE list_contains(?, port_code) AND inbound_trucks > 0 AND month >= DATE '2020-01-01'
           ORDER BY month""",
        [ranked],
        series="port",
    )
    order = order_by_total(frame, "port", "value_bn")
    chart = monthly_lines(
        frame,
        ("port", text("port", lang)),
        ("per_truck_k", text("per_truck_axis", lang), text("per_truck_k", lang), ",.1f"),
        order,
        alt.Title(text("per_truck_title", lang), subtitle=text("per_truck_subtitle", lang)),
        lang,
        points=True,
        extra_tooltips=(
            alt.Tooltip("value_bn:Q", title=text("value_bn", lang), format=",.2f"),
            alt.Tooltip("inbound_trucks:Q", title=text("trucks_value", lang), format=",.0f"),
        ),
    )
    return finish(chart, footer_lines(con, TRADE_PER_TRUCK, lang) + gap_note(frame, "value_bn", lang), lang)


def top_ports_truck_trade(
    con: duckdb.DuckDBPyConnection,
    lang: str = "en",
    port: str | None = None,
    border: str | None = None,
    top: int = 10,
) -> alt.VConcatChart:
    """Top US-Mexico ports by truck trade value over the latest 12 months, value per truck in the tooltip."""
    latest = scalar(con, "SELECT max(month) FROM marts.trade_value_per_truck")
    if latest is None:
        raise NoData("no rows in marts.trade_value_per_truck (is the transborder source loaded?)")
    frame = months_frame(
        con,
        """SELECT port_label AS port, sum(total_value_usd) / 1e9 AS value_bn,
                  sum(total_value_usd) FILTER (WHERE inbound_trucks > 0) / nullif(sum(inbound_trucks), 0)
                      AS per_truck
           FROM marts.trade_value_per_truck JOIN marts.port USING (port_code)
           WHERE month > ?::DATE - INTERVAL 12 MONTH AND NOT is_district
           GROUP BY ALL ORDER BY value_bn DESC LIMIT ?""",
        [latest, top],
    )
    chart = (
        alt.Chart(frame)
        .mark_bar(color=PALETTE[0])
        .encode(
            y=alt.Y("port:N", sort="-x", title=text("port", lang)),
            x=alt.X("value_bn:Q", title=text("value_bn_axis", lang), axis=alt.Axis(format=",.0f")),
            tooltip=[
                alt.Tooltip("port:N", title=text("port", lang)),
                alt.Tooltip("value_bn:Q", title=text("value_bn", lang), format=",.2f"),
                alt.Tooltip("per_truck:Q", title=text("per_truck", lang), format=",.0f"),
            ],
        )
        .properties(
            width=WIDTH,
            height=HEIGHT,
            title=alt.Title(
                text("truck_ports_title", lang),
                subtitle=text(
                    "truck_ports_subtitle",
                    lang,
                    year=month_label(latest.year, latest.month, lang),
                    missing=window_missing(con, "marts.trade_value_per_truck", latest, lang),
                ),
            ),
        )
    )
    return finish(chart, footer_lines(con, TRADE_PER_TRUCK, lang), lang)


def window_missing(con: duckdb.DuckDBPyConnection, table: str, latest: object, lang: str) -> str:
    """` · only 11 of 12 months: Mar 2024 not published` when the 12 months to `latest` lack months in
    `table` (a mart with a month column), else nothing: a 12-month bar is never shorter in silence."""
    present = [r[0] for r in rows(con, f"SELECT DISTINCT month FROM {table}")]
    missing = TWELVE_MONTHS.missing(latest, present)
    if not missing:
        return ""
    months = ", ".join(month_label(m.year, m.month, lang) for m in missing)
    return text("window_missing", lang, on_hand=TWELVE_MONTHS.months - len(missing), months=months)


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


def priority_sectors_by_port(
    con: duckdb.DuckDBPyConnection,
    lang: str = "en",
    port: str | None = None,
    border: str | None = None,
    top: int = 10,
) -> alt.VConcatChart:
    """HLED priority-sector trade with Mexico by port over the latest 12 months on hand, stacked by sector."""
    latest = scalar(con, "SELECT max(month) FROM marts.priority_sector_trade WHERE country = 'mexico'")
    if latest is None:
        raise NoData("no rows in marts.priority_sector_trade (is the transborder source loaded?)")
    frame = query_frame(
        con,
        f"""WITH recent AS (
                SELECT port_label AS port, port_code, hled_sector_{lang} AS sector,
                       sum(value_usd) / 1e9 AS value_bn
                FROM marts.priority_sector_trade JOIN marts.port USING (port_code)
                WHERE country = 'mexico' AND month > ?::DATE - INTERVAL 12 MONTH AND NOT is_district
                  AND is_priority
                GROUP BY ALL),
            ranked AS (SELECT port_code FROM recent GROUP BY port_code ORDER BY sum(value_bn) DESC LIMIT ?)
            SELECT port, sector, value_bn FROM recent
            WHERE port_code IN (SELECT port_code FROM ranked) OR port_code = ?""",
        [latest, top, port or ""],
    )
    order = order_by_total(frame, "sector", "value_bn")
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("port:N", sort="-x", title=text("port", lang)),
            x=alt.X("sum(value_bn):Q", title=text("value_bn_axis", lang), axis=alt.Axis(format=",.1~f")),
            color=alt.Color(
                "sector:N",
                title=text("sector", lang),
                sort=order,
                scale=alt.Scale(domain=order, range=PALETTE[:3]),
            ),
            tooltip=[
                alt.Tooltip("port:N", title=text("port", lang)),
                alt.Tooltip("sector:N", title=text("sector", lang)),
                alt.Tooltip("value_bn:Q", title=text("value_bn", lang), format=",.3f"),
            ],
        )
        .properties(
            width=WIDTH,
            height=HEIGHT,
            title=alt.Title(
                text("sectors_port_title", lang),
                subtitle=text(
                    "sectors_port_subtitle",
                    lang,
                    latest=month_label(latest.year, latest.month, lang),
                    missing=window_missing(con, "marts.priority_sector_trade", latest, lang),
                ),
            ),
        )
    )
    return finish(chart, footer_lines(con, SECTORS, lang), lang)


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
        [text("basis_trucks", lang), text("basis_trade", lang), _borders(border)],
        series="series",
    )
    frame = _in_language(frame, "top_port_group", lang)
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


PEOPLE_COLUMNS = ("personal_vehicle_passengers", "pedestrians", "bus_passengers", "train_passengers")


def people_flows(
    con: duckdb.DuckDBPyConnection, lang: str = "en", port: str | None = None, border: str | None = None
) -> alt.VConcatChart:
    """People crossing northbound per month by way of crossing, at a border or a port (stacked areas)."""
    if port:
        where, params, scope = "grain = 'port' AND scope = ?", [port], _port_name(con, port)
    else:
        where, params = "grain = 'border' AND scope = ?", [border or "US-Mexico"]
        scope = border_name(border or "US-Mexico", lang)
    wide = query_frame(
        con,
        f"SELECT month, {', '.join(PEOPLE_COLUMNS)} FROM marts.people_flows WHERE {where} ORDER BY month",
        params,
    )
    if wide.height == 0:
        raise NoData(f"no people crossings for {scope}")
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


def scorecard(
    con: duckdb.DuckDBPyConnection, lang: str = "en", port: str | None = None, border: str | None = None
) -> alt.VConcatChart:
    """The HLED scorecard as a table: per pillar and headline, 2019, 2021, the latest 12 months and the
    change against 2021, coloured by whether it moves the right way."""
    table = query_frame(
        con,
        f"""SELECT pillar_{lang} AS pillar, headline_{lang} AS headline, unit, value_2019, value_2021,
                   latest_month, latest_value, change_vs_2021_pct, right_way_vs_2021
            FROM marts.hled_scorecard""",
    )
    if table.height == 0:
        raise NoData("marts.hled_scorecard is empty")
    columns = [  # (key, left edge in px, width in px)
        ("pillar", 0, 215),
        ("headline", 220, 265),
        ("unit", 490, 150),
        ("v2019", 645, 70),
        ("v2021", 720, 70),
        ("latest", 795, 75),
        ("until", 875, 70),
        ("change", 950, 100),
    ]
    cells = []
    for i, r in enumerate(table.iter_rows(named=True)):
        latest = r["latest_month"]
        change = r["change_vs_2021_pct"]
        values = {
            "pillar": r["pillar"],
            "headline": r["headline"],
            "unit": unit_name(r["unit"], lang),
            "v2019": fmt_number(r["value_2019"], lang),
            "v2021": fmt_number(r["value_2021"], lang),
            "latest": fmt_number(r["latest_value"], lang),
            "until": month_label(latest.year, latest.month, lang) if latest else "–",
            "change": "–" if change is None else f"{fmt_pct(change, lang)} %",
        }
        verdict = {True: "good", False: "bad"}.get(r["right_way_vs_2021"], "neutral")
        for key, _, width in columns:
            cells.append(
                {
                    "row": i + 1,
                    "column": key,
                    "text": "\n".join(textwrap.wrap(values[key], int(width / CHAR_PX)) or [""]),
                    "verdict": verdict if key == "change" else "neutral",
                }
            )
    for key, _, _ in columns:
        cells.append({"row": 0, "column": key, "text": text(f"sc_{key}", lang), "verdict": "header"})
    frame = pl.DataFrame(cells)
    colour = alt.Color(
        "verdict:N",
        scale=alt.Scale(domain=["good", "bad", "neutral", "header"], range=[GOOD, BAD, NEUTRAL, "#222222"]),
        legend=alt.Legend(
            title=text("sc_legend", lang),
            orient="bottom",
            values=["good", "bad", "neutral"],
            labelExpr=(
                f"{{'good': {text('sc_good', lang)!r}, 'bad': {text('sc_bad', lang)!r}, "
                f"'neutral': {text('sc_neutral', lang)!r}}}[datum.label]"
            ),
        ),
    )
    layers = [
        alt.Chart(frame)
        .transform_filter((alt.datum.column == key) & ((alt.datum.row == 0) == header))
        .mark_text(
            align="left",
            baseline="middle",
            fontSize=12,
            lineBreak="\n",
            lineHeight=13,
            x=left,
            fontWeight="bold" if header else "normal",
        )
        .encode(y=alt.Y("row:O", axis=None), text="text:N", color=colour)
        for key, left, width in columns
        for header in (True, False)
    ]
    chart = alt.layer(*layers).properties(
        width=1050,
        height=HEIGHT,
        title=alt.Title(text("scorecard_title", lang), subtitle=text("scorecard_subtitle", lang)),
    )
    return finish(chart, footer_lines(con, SCORECARD, lang), lang)


MAX_WAIT_SERIES = 6
CHAR_PX = 6.2  # average width of a 12 px Helvetica character: scorecard cells wrap at their column width


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
            _port_name(con, port)
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
    if found.height == 0:
        raise NoData(f"no wait times for {scope}")
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
    if frame.height == 0:
        raise NoData("no month has both commercial wait readings and a truck count")
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


@dataclass(frozen=True)
class ChartSpec:
    """A chart: its builder, the marts it draws (its sources follow from them), whether `port` or
    `border` changes it."""

    builder: Callable[..., alt.TopLevelMixin]
    marts: tuple[str, ...]
    per_port: bool = False
    per_border: bool = False


# name -> chart. The export step and the dashboard page iterate this: adding a chart is adding a line.
# A chart whose marts need a source that is not loaded (HLED_SOURCES) is skipped, not failed.
CHARTS: dict[str, ChartSpec] = {
    "scorecard": ChartSpec(scorecard, SCORECARD),
    "border_trucks": ChartSpec(border_trucks, GROUP_MONTHS, per_port=True, per_border=True),
    "us_mexico_trucks": ChartSpec(us_mexico_trucks, GROUP_MONTHS, per_port=True, per_border=True),
    "top_ports": ChartSpec(top_ports, GROUP_MONTHS, per_port=True, per_border=True),
    "recovery_heatmap": ChartSpec(recovery_heatmap, PEOPLE, per_border=True),
    "people_flows": ChartSpec(people_flows, PEOPLE, per_port=True, per_border=True),
    "port_concentration": ChartSpec(port_concentration, CONCENTRATION, per_border=True),
    "trade_by_mode": ChartSpec(trade_by_mode, MODE_SHARE, per_border=True),
    "mode_share": ChartSpec(mode_share, MODE_SHARE, per_border=True),
    "top_ports_truck_trade": ChartSpec(top_ports_truck_trade, TRADE_PER_TRUCK),
    "trade_per_truck": ChartSpec(trade_per_truck, TRADE_PER_TRUCK, per_port=True),
    "priority_sectors": ChartSpec(priority_sectors, SECTORS, per_port=True),
    "priority_sectors_by_port": ChartSpec(priority_sectors_by_port, SECTORS),
    "wait_by_hour": ChartSpec(wait_by_hour, WAIT_HOURS, per_port=True, per_border=True),
    "truck_idle": ChartSpec(truck_idle, IDLE, per_port=True, per_border=True),
}
