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
        .configure_legend(labelFontSize=12, titleFontSize=13)
        .configure_view(stroke=None)
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
    chart = (
        alt.Chart(frame)
        .mark_line(strokeWidth=1.8)
        .encode(
            x=alt.X("month:T", title=text("month", lang), axis=alt.Axis(format="%Y")),
            y=alt.Y("trucks:Q", title=text("trucks_axis", lang), axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "port:N",
                title=text("port", lang),
                sort=order,
                scale=alt.Scale(domain=order, range=PALETTE[: len(order)]),
            ),
            tooltip=[
                alt.Tooltip("port:N", title=text("port", lang)),
                alt.Tooltip("month:T", title=text("month", lang), format="%b %Y"),
                alt.Tooltip("trucks:Q", title=text("trucks_value", lang), format=",.0f"),
            ],
        )
        .properties(
            width=WIDTH,
            height=HEIGHT,
            title=alt.Title(
                text("trucks_title", lang, n=top),
                subtitle=text("trucks_subtitle", lang, other=other),
            ),
        )
    )
    return _finish(chart, v, lang)


# name -> builder; the export step iterates this, so adding a chart is adding a line here.
CHARTS: dict[str, Callable[..., alt.TopLevelMixin]] = {
    "us_mexico_trucks": us_mexico_trucks,
}
