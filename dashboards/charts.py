"""Chart builders: one function per chart, each reading only the published warehouse's marts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import altair as alt
import duckdb
import polars as pl

from dashboards.labels import FORMAT_LOCALE, TIME_LOCALE, month_label, text
from warehouse.db import frame as query_frame
from warehouse.db import rows, scalar

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#999999"]
WIDTH, HEIGHT = 1040, 470  # fits a 1280×720 slide with title and footer
YEAR_AXIS = alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}, labelOverlap=True)


@dataclass(frozen=True)
class Vintage:
    publisher: str
    title: str
    latest_month: str
    refreshed: str


def vintage(con: duckdb.DuckDBPyConnection, source: str, lang: str) -> Vintage:
    """Source and data vintage for a chart footer, read from marts.data_vintage."""
    found = rows(
        con,
        "SELECT publisher, title, latest_month, refreshed_at FROM marts.data_vintage WHERE source = ?",
        [source],
    )
    if not found:
        raise LookupError(f"marts.data_vintage has no row for source {source!r}")
    publisher, title, latest, refreshed = found[0]
    return Vintage(
        publisher=publisher,
        title=title,
        latest_month=month_label(latest.year, latest.month, lang),
        refreshed=refreshed.strftime("%Y-%m-%d"),
    )


def _footer(v: Vintage, lang: str) -> alt.Chart:
    line = text(
        "footer", lang, publisher=v.publisher, title=v.title, latest=v.latest_month, refreshed=v.refreshed
    )
    return (
        alt.Chart(alt.Data(values=[{"t": line}]))
        .mark_text(align="left", baseline="top", fontSize=11, color="#555", x=0, y=0)
        .encode(text="t:N")
        .properties(width=WIDTH, height=16)
    )


def _finish(chart: alt.Chart, v: Vintage, lang: str) -> alt.VConcatChart:
    number_format = FORMAT_LOCALE[lang]
    return (
        alt.vconcat(chart, _footer(v, lang), spacing=12)
        .configure(
            font="Helvetica, Arial, sans-serif",
            locale={"number": number_format, "time": TIME_LOCALE[lang]},
        )
        .configure_title(fontSize=20, subtitleFontSize=13, anchor="start", subtitleColor="#444")
        .configure_axis(labelFontSize=12, titleFontSize=13, gridColor="#e6e6e6")
        .configure_legend(labelFontSize=12, titleFontSize=13, labelLimit=320)
        .configure_view(stroke=None)
    )


def _monthly_lines(
    frame: pl.DataFrame,
    series: tuple[str, str],
    value: tuple[str, str, str, str],
    order: list[str],
    title: alt.Title,
    lang: str,
    points: bool = False,
    extra_tooltips: tuple[alt.Tooltip, ...] = (),
) -> alt.Chart:
    """One line per series over months. `series` = (column, legend title); `value` = (column, axis
    title, tooltip title, number format)."""
    series_col, series_title = series
    value_col, axis_title, value_title, value_format = value
    mark = {"point": alt.OverlayMarkDef(size=12)} if points else {}
    return (
        alt.Chart(frame)
        .mark_line(strokeWidth=1.8, **mark)
        .encode(
            x=alt.X("month:T", title=text("month", lang), axis=YEAR_AXIS),
            y=alt.Y(f"{value_col}:Q", title=axis_title, axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                f"{series_col}:N",
                title=series_title,
                sort=order,
                scale=alt.Scale(domain=order, range=PALETTE[: len(order)]),
            ),
            tooltip=[
                alt.Tooltip(f"{series_col}:N", title=series_title),
                alt.Tooltip("month:T", title=text("month", lang), format="%b %Y"),
                alt.Tooltip(f"{value_col}:Q", title=value_title, format=value_format),
                *extra_tooltips,
            ],
        )
        .properties(width=WIDTH, height=HEIGHT, title=title)
    )


def us_mexico_trucks(
    con: duckdb.DuckDBPyConnection, lang: str = "en", top: int = 5, port: str | None = None
) -> alt.VConcatChart:
    """Monthly inbound trucks at the top US–Mexico ports (by the latest 12 months), the rest
    summed as one line. `port` puts that port in the lines whatever its rank."""
    latest = scalar(
        con,
        "SELECT max(month) FROM marts.port_month WHERE border = 'US-Mexico' AND measure = 'trucks'",
    )
    ranked = rows(
        con,
        """SELECT port_code FROM marts.port_month
           WHERE border = 'US-Mexico' AND measure = 'trucks' AND month = ?
           ORDER BY t12m_total DESC, port_code LIMIT ?""",
        [latest, top],
    )
    chosen = [r[0] for r in ranked]
    if port and port not in chosen:
        chosen.append(port)
    other = text("other_ports", lang)
    frame = query_frame(
        con,
        """SELECT month,
                      CASE WHEN list_contains(?, port_code)
                           THEN port_name || ' (' || port_code || ')' ELSE ? END AS port,
                      sum(value)::BIGINT AS trucks
               FROM marts.port_month
               WHERE border = 'US-Mexico' AND measure = 'trucks'
               GROUP BY ALL ORDER BY month""",
        [chosen, other],
    )
    order = (
        frame.filter(pl.col("month") == frame["month"].max())
        .sort("trucks", descending=True)["port"]
        .to_list()
    )
    order = [p for p in order if p != other] + [other]
    v = vintage(con, "bts_crossings", lang)
    chart = _monthly_lines(
        frame,
        ("port", text("port", lang)),
        ("trucks", text("trucks_axis", lang), text("trucks_value", lang), ",.0f"),
        order,
        alt.Title(text("trucks_title", lang, n=top), subtitle=text("trucks_subtitle", lang, other=other)),
        lang,
    )
    return _finish(chart, v, lang)


def _months_frame(
    con: duckdb.DuckDBPyConnection, sql: str, params: list, series: str | None = None
) -> pl.DataFrame:
    """Query a monthly series; months missing in the data come back as nulls so lines break there
    instead of drawing a straight line across a gap (TransBorder has whole missing months)."""
    frame = query_frame(con, sql, params)
    if frame.height == 0:
        raise LookupError("no rows in the marts for this chart (is the source loaded?)")
    if series is None:
        return frame
    months = pl.DataFrame(
        {"month": pl.date_range(frame["month"].min(), frame["month"].max(), "1mo", eager=True)}
    )
    grid = months.join(frame.select(series).unique(), how="cross")
    return grid.join(frame, on=["month", series], how="left").sort(series, "month")


def trade_by_mode(
    con: duckdb.DuckDBPyConnection, lang: str = "en", port: str | None = None
) -> alt.VConcatChart:
    """Monthly US–Mexico trade value by mode, from marts.mode_share (rail's share is the greening signal)."""
    frame = _months_frame(
        con,
        f"SELECT month, coalesce(mode_{lang}, mode) AS mode, value_usd / 1e9 AS value_bn, share_pct "
        "FROM marts.mode_share WHERE border = 'US-Mexico' AND month >= DATE '2020-01-01' ORDER BY month",
        [],
        series="mode",
    )
    v = vintage(con, "transborder", lang)
    order = (
        frame.group_by("mode")
        .agg(pl.col("value_bn").sum())
        .sort("value_bn", descending=True)["mode"]
        .to_list()
    )
    chart = _monthly_lines(
        frame,
        ("mode", text("mode", lang)),
        ("value_bn", text("value_bn_axis", lang), text("value_bn", lang), ",.2f"),
        order,
        alt.Title(text("mode_title", lang), subtitle=text("mode_subtitle", lang)),
        lang,
        points=True,
        extra_tooltips=(alt.Tooltip("share_pct:Q", title="%", format=",.1f"),),
    )
    return _finish(chart, v, lang)


def top_ports_truck_trade(
    con: duckdb.DuckDBPyConnection, lang: str = "en", port: str | None = None, top: int = 10
) -> alt.VConcatChart:
    """Top US–Mexico ports by truck trade value over the latest 12 months, value per truck in the tooltip."""
    latest = scalar(con, "SELECT max(month) FROM marts.trade_value_per_truck")
    if latest is None:
        raise LookupError("no rows in marts.trade_value_per_truck (is the transborder source loaded?)")
    frame = _months_frame(
        con,
        """SELECT coalesce(port_name, port_code) || ' (' || port_code || ')' AS port,
                  sum(total_value_usd) / 1e9 AS value_bn,
                  sum(total_value_usd) FILTER (WHERE inbound_trucks > 0) / nullif(sum(inbound_trucks), 0)
                      AS per_truck
           FROM marts.trade_value_per_truck
           WHERE month > ? - INTERVAL 12 MONTH AND port_code NOT LIKE '%X%'
           GROUP BY ALL ORDER BY value_bn DESC LIMIT ?""",
        [latest, top],
    )
    v = vintage(con, "transborder", lang)
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
                    "truck_ports_subtitle", lang, year=month_label(latest.year, latest.month, lang)
                ),
            ),
        )
    )
    return _finish(chart, v, lang)


def priority_sectors(
    con: duckdb.DuckDBPyConnection, lang: str = "en", port: str | None = None
) -> alt.VConcatChart:
    """Monthly US–Mexico trade by HLED sector (all ports, or one port)."""
    frame = _months_frame(
        con,
        f"""SELECT month, hled_sector_{lang} AS sector, sum(value_usd) / 1e9 AS value_bn
            FROM marts.priority_sector_trade
            WHERE country = 'mexico' AND hled_sector <> 'other' AND (?::VARCHAR IS NULL OR port_code = ?)
              AND month >= DATE '2020-01-01'
            GROUP BY ALL ORDER BY month""",
        [port, port],
        series="sector",
    )
    v = vintage(con, "transborder", lang)
    order = frame.group_by("sector").agg(pl.col("value_bn").sum()).sort("value_bn", descending=True)["sector"]
    order = order.to_list()
    where = text("at_port", lang, port=port) if port else ""
    chart = _monthly_lines(
        frame,
        ("sector", text("sector", lang)),
        ("value_bn", text("value_bn_axis", lang), text("value_bn", lang), ",.2f"),
        order,
        alt.Title(text("sectors_title", lang), subtitle=text("sectors_subtitle", lang, where=where)),
        lang,
        points=True,
    )
    return _finish(chart, v, lang)


# name -> (builder, source it needs). The export step iterates this: adding a chart is adding a line.
# A chart whose source is not loaded (HLED_SOURCES) is skipped, not failed.
CHARTS: dict[str, tuple[Callable[..., alt.TopLevelMixin], str]] = {
    "us_mexico_trucks": (us_mexico_trucks, "bts_crossings"),
    "trade_by_mode": (trade_by_mode, "transborder"),
    "top_ports_truck_trade": (top_ports_truck_trade, "transborder"),
    "priority_sectors": (priority_sectors, "transborder"),
}
