"""The monthly border brief written out: for each border and the busiest truck ports, what changed
this month and what it means for the HLED goals, as self-contained HTML and as PDF, in English and
Spanish. The figures come from the marts (dashboards/brief_data.py), the text and tables from
dashboards/brief_view.py; here the trend chart is drawn and the files written."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import altair as alt
import duckdb
import markupsafe
import polars as pl
import vl_convert

from dashboards.brief_data import (
    BORDER_COUNTRY,
    BRIEF_PORTS,
    Scope,
    busiest_ports,
    gather,
    scope_of,
)
from dashboards.brief_pdf import write_pdf
from dashboards.brief_view import view
from dashboards.labels import (
    FORMAT_LOCALE,
    LANGS,
    TIME_LOCALE,
    brief_text,
)
from dashboards.offline import TEMPLATES, write_atomic
from dashboards.theme import PALETTE
from warehouse.access import open_published
from warehouse.db import frame
from warehouse.safe_text import visible_strings

TREND_MONTHS = 36
log = logging.getLogger(__name__)


@dataclass
class BriefReport:
    written: list[Path] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def trend_spec(con: duckdb.DuckDBPyConnection, scope: Scope, lang: str) -> dict:
    """Inbound trucks over the last TREND_MONTHS months of the scope, as a small Vega-Lite line."""
    if scope.kind == "border":
        sql = "SELECT month, value FROM marts.border_month WHERE border = ? AND measure = 'trucks'"
    else:
        sql = "SELECT month, value FROM marts.port_month WHERE port_code = ? AND measure = 'trucks'"
    data = frame(con, f"{sql} ORDER BY month DESC LIMIT {TREND_MONTHS}", [scope.code]).sort("month")
    if data.height:  # months without data as gaps in the line, not a straight line drawn across them
        span = pl.date_range(data["month"].min(), data["month"].max(), "1mo", eager=True).alias("month")
        data = span.to_frame().join(data, on="month", how="left")
    data = data.with_columns(pl.col("month").cast(pl.String))
    colour = PALETTE[0] if scope.border == "US-Mexico" else PALETTE[1]
    chart = (
        alt.Chart(data, width=480, height=140, title=brief_text("trend_title", lang))
        .mark_line(color=colour, strokeWidth=2)
        .encode(
            x=alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=6)),
            y=alt.Y("value:Q", title=None, axis=alt.Axis(format="~s")),
        )
        .configure(locale={"number": FORMAT_LOCALE[lang], "time": TIME_LOCALE[lang]})
    )
    return chart.to_dict()


def _inline_svg(svg: str) -> str:
    """vl-convert's SVG document as an element to place in HTML: without its XML declaration, with a
    role and title for screen readers."""
    svg = svg.split("?>", 1)[1] if svg.startswith("<?xml") else svg
    return svg.strip()


def write_brief(con: duckdb.DuckDBPyConnection, scope: Scope, folder: Path, lang: str) -> list[Path]:
    """One brief as `<slug>.html` and `<slug>.pdf` in `folder`."""
    brief = gather(con, scope)
    v = view(brief, visible_strings(trend_spec(con, scope, lang)), lang)
    # the chart drawn here, as inline SVG: the HTML brief travels alone (emailed, attached), no script
    svg = markupsafe.Markup(_inline_svg(vl_convert.vegalite_to_svg(v.trend)))
    html = TEMPLATES.get_template("brief.html").render(v=v, chart=svg)
    png = vl_convert.vegalite_to_png(v.trend, scale=2)
    html_path, pdf_path = folder / f"{v.slug}.html", folder / f"{v.slug}.pdf"
    write_atomic(html_path, html)
    write_atomic(pdf_path, write_pdf(v, png))
    return [html_path, pdf_path]


def brief_scopes(con: duckdb.DuckDBPyConnection) -> list[Scope]:
    """Both borders, then the BRIEF_PORTS busiest truck ports."""
    return [scope_of(con, b) for b in BORDER_COUNTRY] + [
        scope_of(con, p) for p, _ in busiest_ports(con, BRIEF_PORTS)
    ]


def write_briefs(warehouse: Path, out_dir: Path, lang: str, port: str | None = None) -> BriefReport:
    """Write the briefs of every scope (or of one port, or border) under `out_dir/<lang>/brief/`, each
    file whole on its own. A brief that fails is named in the report and does not stop the others."""
    if lang not in LANGS:
        raise ValueError(f"language {lang!r} not supported; use one of {', '.join(LANGS)}")
    folder = out_dir / lang / "brief"
    folder.mkdir(parents=True, exist_ok=True)
    report = BriefReport()
    con = open_published(warehouse)
    try:
        scopes = [scope_of(con, port)] if port else brief_scopes(con)
        for scope in scopes:
            try:
                report.written += write_brief(con, scope, folder, lang)
            except OSError:
                raise
            except Exception as exc:  # one brief's failure must not lose the others
                log.error("brief %s (%s) failed: %s", scope.slug, lang, exc)
                report.failed[f"{scope.slug} ({lang})"] = f"{type(exc).__name__}: {exc}"
    finally:
        con.close()
    return report
