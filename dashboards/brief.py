"""The monthly border brief: for each border and the busiest truck ports, what changed this month and
what it means for the HLED goals, as offline HTML and as PDF, in English and Spanish. Every number
comes from the marts (dashboards/brief_data.py); every sentence from a template in dashboards/labels.py
with the numbers formatted per language. Nothing is generated beyond filling the templates."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date
from functools import partial
from pathlib import Path

import altair as alt
import duckdb
import markupsafe
import polars as pl
import vl_convert

from dashboards.brief_data import (
    BORDER_COUNTRY,
    BRIEF_PORTS,
    FLAT_PCT,
    Brief,
    Headline,
    Scope,
    busiest_ports,
    gather,
    scope_of,
)
from dashboards.brief_pdf import write_pdf
from dashboards.labels import (
    FORMAT_LOCALE,
    LABELS,
    LANGS,
    PARTNER,
    TIME_LOCALE,
    border_name,
    brief_text,
    fmt_number,
    fmt_pct,
    group_name,
    month_long,
    publisher_name,
    text,
)
from dashboards.offline import BUNDLE, TEMPLATES, write_atomic, write_bundle
from dashboards.script_json import script_json
from dashboards.theme import PALETTE
from warehouse.access import open_published
from warehouse.db import frame

TREND_MONTHS = 36
DIVERTED_SHOWN = 10  # a disruption names what nearby ports took up from this share of its shortfall (%)
log = logging.getLogger(__name__)


@dataclass
class BriefReport:
    written: list[Path] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


@dataclass
class View:
    """A brief as text and tables in one language: what both the HTML and the PDF show."""

    lang: str
    slug: str
    title: str
    subtitle: str
    headline_head: list[str]
    headline_rows: list[list[str]]
    sentences: list[str]
    disruptions_note: str
    disruptions: list[str]
    sectors_title: str
    sectors_head: list[str]
    sectors_rows: list[list[str]]
    scorecard_title: str
    scorecard_head: list[str]
    scorecard_rows: list[list[str]]
    waits: list[str]
    revisions: list[str]
    sources: list[str]
    trend: dict  # a Vega-Lite spec of the scope's trucks

    def t(self, key: str, **values: object) -> str:
        return brief_text(key, self.lang, **values)


def _ml(d: date | None, lang: str) -> str:
    return month_long(d.year, d.month, lang) if d else brief_text("n/a", lang)


def _count(value: float | None, lang: str, measure: str) -> str:
    if value is None:
        return brief_text("n/a", lang)
    if measure == "trade":
        return fmt_number(value, lang)
    return fmt_number(value, lang, whole=True, exact=True)


def _pct_cell(pct: float | None, lang: str) -> str:
    """`+7.5 %` / `+7,5 %` for a table cell, or n/a."""
    return brief_text("n/a", lang) if pct is None else f"{fmt_pct(pct, lang)} %"


def _change(pct: float | None, lang: str) -> str:
    """`7.5 % less than in` / `7,5 % menos que en`, or about the same within FLAT_PCT."""
    if pct is None:
        return brief_text("unknown", lang)
    if abs(pct) < FLAT_PCT:
        return brief_text("same", lang)
    return brief_text("more" if pct > 0 else "fewer", lang, pct=fmt_pct(abs(pct), lang, signed=False))


def _measure_label(h: Headline, scope: Scope, lang: str) -> str:
    if h.measure == "trade":
        return brief_text("trade", lang, partner=PARTNER[scope.border][lang], month=_ml(h.month, lang))
    return brief_text(h.measure, lang)


def _scope_name(scope: Scope, lang: str) -> str:
    if scope.kind == "border":
        return border_name(scope.code, lang)
    return brief_text("port_scope", lang, name=scope.name, code=scope.code)


def _headlines(brief: Brief, phrase: str, lang: str) -> tuple[list[list[str]], list[str]]:
    """The 'this month' table rows and one sentence per measure."""
    rows, sentences = [], []
    for h in brief.headlines:
        label = _measure_label(h, brief.scope, lang)
        goal = brief_text(h.direction, lang) if h.direction else brief_text("n/a", lang)
        value = _count(h.value, lang, h.measure)
        rows.append([label, value, _pct_cell(h.vs_year, lang), _pct_cell(h.vs_2019, lang), goal])
        if h.value is None or h.month is None:
            continue
        form = (
            "sentence"
            if h.vs_2019 is not None
            else "sentence_year"
            if h.vs_year is not None
            else "sentence_value"
        )
        sentences.append(
            brief_text(
                form,
                lang,
                measure=brief_text(h.measure, lang) if h.measure != "trade" else label.split(",")[0],
                scope=phrase,
                value=value,
                month=_ml(h.month, lang),
                vs_year=_change(h.vs_year, lang),
                month_year=_ml(date(h.month.year - 1, h.month.month, 1), lang),
                vs_2019=_change(h.vs_2019, lang),
                month_2019=_ml(date(2019, h.month.month, 1), lang),
            )
        )
    return rows, sentences


def _disruption_lines(brief: Brief, lang: str) -> list[str]:
    lines = []
    for d in brief.disruptions:
        recovered = d.status == "recovered"
        line = brief_text(
            "disruption",
            lang,
            scope=group_name(d.scope_name, lang),
            measure=brief_text(f"measure_{d.measure}", lang),
            first=_ml(d.first_month, lang),
            depth=fmt_pct(d.depth_pct, lang, signed=False),
            trough=_ml(d.trough_month, lang),
            status=brief_text("recovered", lang, n=d.months_to_recover)
            if recovered
            else brief_text(d.status, lang),
        )
        if d.diverted_pct is not None and d.diverted_pct >= DIVERTED_SHOWN:
            line += brief_text("diverted", lang, pct=fmt_pct(d.diverted_pct, lang, signed=False))
        lines.append(line)
    return lines or [brief_text("no_disruption", lang)]


def _scorecard_rows(brief: Brief, lang: str) -> list[list[str]]:
    out = []
    for c in brief.scorecard:
        right = c["right_way_vs_2021"]
        verdict = (
            brief_text("n/a", lang)
            if right is None
            else brief_text("right_way" if right else "wrong_way", lang)
        )
        out.append(
            [
                c[f"pillar_{lang}"],
                c[f"headline_{lang}"],
                fmt_number(c["latest_value"], lang),
                _pct_cell(c["change_vs_2019_pct"], lang),
                _pct_cell(c["change_vs_2021_pct"], lang),
                verdict,
            ]
        )
    return out


def _wait_lines(brief: Brief, name: str, lang: str) -> list[str]:
    lines = [
        brief_text(
            "wait",
            lang,
            crossing=w.crossing,
            lane=text(w.lane, lang) if w.lane in LABELS else w.lane,
            month=_ml(w.month, lang),
            median=fmt_pct(w.median_minutes, lang, signed=False),
            p90=fmt_pct(w.p90_minutes, lang, signed=False),
        )
        for w in brief.waits
    ]
    if brief.idle:
        month, hours, tonnes = brief.idle
        idle = {"hours": fmt_number(hours, lang, whole=True), "tonnes": fmt_number(tonnes, lang)}
        lines.append(brief_text("idle", lang, month=_ml(month, lang), **idle))
    return lines or [brief_text("no_waits", lang, scope=name)]


def _revision_lines(brief: Brief, lang: str) -> list[str]:
    def exact(value: float | None) -> str:
        return brief_text("n/a", lang) if value is None else fmt_number(value, lang, whole=True, exact=True)

    if brief.compared_with is None:
        return [brief_text("first_refresh", lang)]
    since = brief.compared_with.astimezone(UTC).date().isoformat()
    head = (
        brief_text("revisions_count", lang, date=since, n=exact(brief.revisions_total))
        if brief.revisions_total
        else brief_text("no_revisions", lang, date=since)
    )
    return [head] + [
        brief_text(
            "revision",
            lang,
            port=group_name(port, lang),
            month=_ml(month, lang),
            item=item,
            old=exact(old),
            new=exact(new),
        )
        for port, month, item, old, new in brief.revisions
    ]


def _source_lines(brief: Brief, lang: str) -> list[str]:
    return [
        brief_text(
            "source_line",
            lang,
            title=v.title,
            publisher=publisher_name(v.publisher, lang),
            latest=_ml(v.latest_month, lang),
            refreshed=str(v.refreshed_at)[:10],
            status=brief_text("current" if v.status == "current" else "stale", lang),
        )
        for v in brief.vintages
    ] + [brief_text("method", lang)]


def view(brief: Brief, trend: dict, lang: str) -> View:
    """The brief's text and tables in `lang`, numbers formatted for it."""
    scope = brief.scope
    name = _scope_name(scope, lang)
    phrase = brief_text("border_phrase", lang, border=name) if scope.kind == "border" else name
    latest = brief.headlines[0].month
    rows, sentences = _headlines(brief, phrase, lang)
    where = name if scope.kind == "border" else group_name(scope.group_name or scope.name, lang)
    note = "disruptions_where_border" if scope.kind == "border" else "disruptions_where"
    partner = PARTNER[scope.border][lang]
    t = partial(brief_text, lang=lang)
    return View(
        lang=lang,
        slug=scope.slug,
        title=t("title", scope=name, month=_ml(latest, lang)),
        subtitle=t("subtitle", border=border_name(scope.border, lang)),
        headline_head=[
            t("measure"),
            _ml(latest, lang),
            t("vs_year", month=_ml(date(latest.year - 1, latest.month, 1) if latest else None, lang)),
            t("vs_year", month=_ml(date(2019, latest.month, 1) if latest else None, lang)),
            t("goal"),
        ],
        headline_rows=rows,
        sentences=sentences,
        disruptions_note=t(note, where=where),
        disruptions=_disruption_lines(brief, lang),
        sectors_title=t("sectors", partner=partner, month=_ml(brief.sectors_through, lang)),
        sectors_head=[t("sector"), t("value_usd"), t("vs_prev_12m")],
        sectors_rows=[
            [
                s.sector_en if lang == "en" else s.sector_es,
                fmt_number(s.value_12m, lang),
                _pct_cell(s.change_pct, lang),
            ]
            for s in brief.sectors
        ],
        scorecard_title=t("scorecard", scope=border_name("US-Mexico", lang)),
        scorecard_head=[t("pillar"), t("headline"), t("latest"), t("vs_2019"), t("vs_2021"), t("goal")],
        scorecard_rows=_scorecard_rows(brief, lang),
        waits=_wait_lines(brief, name, lang),
        revisions=_revision_lines(brief, lang),
        sources=_source_lines(brief, lang),
        trend=trend,
    )


def trend_spec(con: duckdb.DuckDBPyConnection, scope: Scope, lang: str) -> dict:
    """Inbound trucks over the last TREND_MONTHS months of the scope, as a small Vega-Lite line."""
    if scope.kind == "border":
        sql = "SELECT month, value FROM marts.border_month WHERE border = ? AND measure = 'trucks'"
    else:
        sql = "SELECT month, value FROM marts.port_month WHERE port_code = ? AND measure = 'trucks'"
    data = frame(con, f"{sql} ORDER BY month DESC LIMIT {TREND_MONTHS}", [scope.code]).sort("month")
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


def write_brief(con: duckdb.DuckDBPyConnection, scope: Scope, folder: Path, lang: str) -> list[Path]:
    """One brief as `<slug>.html` and `<slug>.pdf` in `folder`."""
    brief = gather(con, scope)
    v = view(brief, trend_spec(con, scope, lang), lang)
    spec = markupsafe.Markup(script_json(v.trend))  # safe inside <script>: no <, > or & left in it
    html = TEMPLATES.get_template("brief.html").render(v=v, bundle=f"../{BUNDLE}", spec=spec)
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
    """Write the briefs of every scope (or of one port, or border) under `out_dir/<lang>/brief/`, with
    the shared script bundle. A brief that fails is named in the report and does not stop the others."""
    if lang not in LANGS:
        raise ValueError(f"language {lang!r} not supported; use one of {', '.join(LANGS)}")
    folder = out_dir / lang / "brief"
    folder.mkdir(parents=True, exist_ok=True)
    report = BriefReport()
    con = open_published(warehouse)
    try:
        scopes = [scope_of(con, port)] if port else brief_scopes(con)
        write_bundle(folder.parent)  # exports/<lang>/vega-bundle.js, shared with the charts
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
