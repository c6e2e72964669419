"""What every chart shares: palette, slide size, the source-and-vintage footer read from the warehouse,
the language's number and month formats, and the monthly line chart most charts are built on."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

import altair as alt
import duckdb
import polars as pl

from dashboards.labels import FORMAT_LOCALE, MONTHS, TIME_LOCALE, month_label, publisher_name, text
from warehouse.db import frame as query_frame
from warehouse.db import rows

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#999999"]
GOOD, BAD, NEUTRAL = "#0072B2", "#D55E00", "#555555"
# One colour per border and per port group, the same in every chart: borders blue and orange; the
# busiest port groups of each border the palette in rank order, the rest and "other ports" grey, and
# a chosen port that is not among them black.
BORDER_COLOURS = {"US-Mexico": PALETTE[0], "US-Canada": PALETTE[1]}
OTHER, CHOSEN = PALETTE[7], "#000000"
GROUP_COLOURS = 7  # busiest port groups per border with a colour of their own
WIDTH, HEIGHT = 860, 420  # with axes and legend, fits a 1280×720 slide (tests check the PNG width)
YEAR_AXIS = alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}, labelOverlap=True)


class NoData(LookupError):
    """The marts hold nothing for this chart (source not loaded, or a port with no such data)."""


@dataclass(frozen=True)
class Vintage:
    publisher: str
    title: str
    latest_month: str
    refreshed: str
    stale_since: str | None = None  # the source's last refresh failed: its data is as of this date


def vintage(con: duckdb.DuckDBPyConnection, source: str, lang: str) -> Vintage:
    """Source and data vintage for a chart footer, read from marts.data_vintage."""
    found = rows(
        con,
        "SELECT publisher, title, latest_month, refreshed_at, stale_since FROM marts.data_vintage "
        "WHERE source = ?",
        [source],
    )
    if not found:
        raise NoData(f"marts.data_vintage has no row for source {source!r}")
    publisher, title, latest, refreshed, stale_since = found[0]
    return Vintage(
        publisher=publisher_name(publisher, lang),
        title=title,
        latest_month=month_label(latest.year, latest.month, lang) if latest else "–",
        refreshed=refreshed.strftime("%Y-%m-%d"),
        stale_since=stale_since.strftime("%Y-%m-%d") if stale_since else None,
    )


def chart_sources(con: duckdb.DuckDBPyConnection, marts: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The sources a chart drawn from `marts` rests on, in registry order: those loaded in this
    warehouse, and required ones that are not (the chart is then left out)."""
    found = rows(
        con,
        """SELECT m.source, bool_or(m.required), v.source IS NOT NULL
           FROM marts.mart_sources m LEFT JOIN marts.data_vintage v USING (source)
           WHERE list_contains(?, m.mart) GROUP BY m.source, v.source ORDER BY min(m.ordinal)""",
        [list(marts)],
    )
    return [s for s, _, loaded in found if loaded], [
        s for s, required, loaded in found if required and not loaded
    ]


def footer_lines(con: duckdb.DuckDBPyConnection, marts: tuple[str, ...], lang: str) -> list[str]:
    """One footer line per loaded source the chart's marts are built from; a stale source says so."""
    out = []
    for source in chart_sources(con, marts)[0]:
        v = vintage(con, source, lang)
        values = {"publisher": v.publisher, "title": v.title, "latest": v.latest_month}
        if v.stale_since:  # the source's last refresh failed: say how old its data is
            out.append(text("footer_stale", lang, since=v.stale_since, **values))
        else:
            out.append(text("footer", lang, refreshed=v.refreshed, **values))
    if not out:
        raise NoData(f"no source of {', '.join(marts)} is loaded")
    return out


SUBTITLE_CHARS = int(WIDTH / 6.8)  # a 13 px subtitle line that fits the chart's width


def _wrap_subtitle(chart: alt.TopLevelMixin) -> None:
    """A long subtitle (a caveat, a missing month) on several lines instead of running off the slide."""
    title = getattr(chart, "title", alt.Undefined)
    if (
        isinstance(title, alt.Title)
        and isinstance(title.subtitle, str)
        and len(title.subtitle) > SUBTITLE_CHARS
    ):
        title.subtitle = textwrap.wrap(title.subtitle, SUBTITLE_CHARS)


def finish(chart: alt.TopLevelMixin, lines: list[str], lang: str) -> alt.VConcatChart:
    """The chart with its footer under it and the shared theme and language locale."""
    _wrap_subtitle(chart)
    footer = (
        alt.Chart(alt.Data(values=[{"t": line, "i": i} for i, line in enumerate(lines)]))
        .mark_text(align="left", baseline="top", fontSize=11, color="#555")
        .encode(text="t:N", y=alt.Y("i:O", axis=None), x=alt.value(0))
        .properties(width=WIDTH, height=16 * len(lines))
    )
    return (
        alt.vconcat(chart, footer, spacing=12)
        .configure(
            font="Helvetica, Arial, sans-serif",
            locale={"number": FORMAT_LOCALE[lang], "time": TIME_LOCALE[lang]},
        )
        .configure_title(fontSize=20, subtitleFontSize=13, anchor="start", subtitleColor="#444")
        .configure_axis(labelFontSize=12, titleFontSize=13, gridColor="#e6e6e6")
        .configure_legend(labelFontSize=12, titleFontSize=13, labelLimit=360, orient="bottom", columns=3)
        .configure_view(stroke=None)
    )


def months_frame(
    con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None, series: str | None = None
) -> pl.DataFrame:
    """Query a monthly series; months missing in the data come back as nulls so lines break there
    instead of drawing a straight line across a gap (TransBorder has whole missing months)."""
    frame = query_frame(con, sql, params or [])
    if frame.height == 0:
        raise NoData("no rows in the marts for this chart (is the source loaded, does the port have data?)")
    if series is None:
        return frame
    months = pl.DataFrame(
        {"month": pl.date_range(frame["month"].min(), frame["month"].max(), "1mo", eager=True)}
    )
    grid = months.join(frame.select(series).unique(), how="cross")
    return grid.join(frame, on=["month", series], how="left").sort(series, "month")


def monthly_lines(
    frame: pl.DataFrame,
    series: tuple[str, str],
    value: tuple[str, str, str, str],
    order: list[str],
    title: alt.Title,
    lang: str,
    points: bool = False,
    extra_tooltips: tuple[alt.Tooltip, ...] = (),
    colours: dict[str, str] | None = None,
    dashes: dict[str, list[int]] | None = None,
) -> alt.Chart:
    """One line per series over months. `series` = (column, legend title); `value` = (column, axis
    title, tooltip title, number format); `colours` / `dashes` fix a series' colour and dash (else
    the palette in `order`)."""
    series_col, series_title = series
    value_col, axis_title, value_title, value_format = value
    mark = {"point": alt.OverlayMarkDef(size=12)} if points else {}
    return (
        alt.Chart(frame)
        .mark_line(strokeWidth=1.8, **mark)
        .encode(
            x=alt.X("month:T", title=text("month", lang), axis=YEAR_AXIS),
            y=alt.Y(f"{value_col}:Q", title=axis_title, axis=alt.Axis(format=axis_format(value_format))),
            color=alt.Color(
                f"{series_col}:N",
                title=series_title,
                sort=order,
                scale=alt.Scale(
                    domain=order,
                    range=[colours.get(s, OTHER) for s in order] if colours else PALETTE[: len(order)],
                ),
            ),
            **(
                {
                    "strokeDash": alt.StrokeDash(
                        f"{series_col}:N",
                        title=series_title,
                        sort=order,
                        scale=alt.Scale(domain=order, range=[dashes.get(s, [1, 0]) for s in order]),
                    )
                }
                if dashes
                else {}
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


def group_colours(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """port_group -> colour: the GROUP_COLOURS busiest truck port groups of each border (latest 12
    months), in rank order; a group not listed is drawn OTHER (or CHOSEN when it is the chosen one)."""
    ranked = rows(
        con,
        """SELECT port_group, row_number() OVER (PARTITION BY border ORDER BY t12m_total DESC, port_group)
           FROM marts.port_group_month
           WHERE measure = 'trucks' AND border IS NOT NULL
             AND month = (SELECT max(month) FROM marts.port_group_month WHERE measure = 'trucks')""",
    )
    return {group: PALETTE[rank - 1] for group, rank in ranked if rank <= GROUP_COLOURS}


def gap_note(frame: pl.DataFrame, value: str, lang: str) -> list[str]:
    """A footer line naming the months with no data in any series (the gaps in the lines), as ranges:
    `Oct–Dec 2020, Mar 2024`; nothing when there is none."""
    by_month = frame.group_by("month").agg(pl.col(value).is_not_null().any().alias("has")).sort("month")
    gaps = by_month.filter(~pl.col("has"))["month"].to_list()
    runs: list[list] = []
    for month in gaps:
        if runs and (month.year * 12 + month.month) - (runs[-1][-1].year * 12 + runs[-1][-1].month) == 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    if not runs:
        return []

    def label(run: list) -> str:
        first, last = run[0], run[-1]
        end = month_label(last.year, last.month, lang)
        if first == last:
            return end
        start = (
            MONTHS[lang][first.month - 1]
            if first.year == last.year
            else month_label(first.year, first.month, lang)
        )
        return f"{start}–{end}"

    return [text("footer_gaps", lang, months=", ".join(label(r) for r in runs))]


def axis_format(tooltip_format: str) -> str:
    """An axis format from a tooltip's: the same, without trailing zeros (`13`, not `13.00`)."""
    return re.sub(r"(\.\d+)f$", r"\1~f", tooltip_format)


def order_by_total(frame: pl.DataFrame, series: str, value: str) -> list[str]:
    """Series names, largest total first (legend and colour order)."""
    return frame.group_by(series).agg(pl.col(value).sum()).sort(value, descending=True)[series].to_list()
