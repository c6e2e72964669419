"""The monthly brief as text and tables in one language: every figure from the brief's data
(dashboards/brief_data.py), every sentence a template of dashboards/labels.py filled with numbers
formatted for the language. The HTML and the PDF both show this view."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date
from functools import partial

from dashboards.brief_data import (
    FLAT_PCT,
    HLED_BORDER,
    HLED_SINCE,
    Brief,
    Disruption,
    Headline,
    Scope,
    SectorWindow,
)
from dashboards.labels import (
    BRIEF,
    LABELS,
    PARTNER,
    border_name,
    brief_text,
    fmt_number,
    fmt_pct,
    group_name,
    month_label,
    month_long,
    publisher_name,
    text,
)
from warehouse.windows import TWELVE_MONTHS

DIVERTED_SHOWN = 10  # a disruption names what nearby ports took up from this share of its shortfall (%)
LOCAL_SHOWN = 10  # a port's fall this far (%) below what its peers predicted is told as not shared


@dataclass
class View:
    """A brief as text and tables in one language: what both the HTML and the PDF show."""

    lang: str
    slug: str
    title: str
    subtitle: str
    hled: bool  # HLED verdicts and scorecard: the US-Mexico border's briefs only
    headline_head: list[str]
    headline_rows: list[list[str]]
    sentences: list[str]
    notes: list[str]  # what the calendar and the gaps in reporting do to this month's changes
    disruptions_note: str
    disruptions: list[str]
    earlier_title: str  # the disruptions since the HLED relaunch, before the last 12 months
    earlier_disruptions: list[str]
    sectors_title: str
    sectors_head: list[str]
    sectors_rows: list[list[str]]
    sectors_notes: list[str]
    scorecard_title: str
    scorecard_head: list[str]
    scorecard_rows: list[list[str]]
    waits: list[str]
    revisions: list[str]
    sources: list[str]
    footer: (
        str  # on every page: the brief, its sources' vintage, the refresh; {page} and {pages} left to fill
    )
    trend: dict  # a Vega-Lite spec of the scope's trucks

    def t(self, key: str, **values: object) -> str:
        return brief_text(key, self.lang, **values)

    def page_footer(self, page: int, pages: int) -> str:
        return self.footer.format(page=page, pages=pages)


def _ml(d: date | None, lang: str) -> str:
    return month_long(d.year, d.month, lang) if d else brief_text("n/a", lang)


# The unit of each scorecard row (warehouse/indicators.py declares them in words) as a brief unit.
UNIT_KINDS = {
    "trucks": "trucks",
    "people": "people",
    "US dollars (current)": "usd",
    "US dollars per inbound truck": "usd_per_truck",
    "percent of truck containers": "pct",
    "percent of trade value": "pct",
    "index 0-10,000": "index",
}
MEASURE_UNITS = {"trucks": "trucks", "people": "people", "trade": "usd"}


def _amount(value: float | None, kind: str, lang: str) -> str:
    """A figure with its unit: `591,249 trucks`, `US$72.5 bn`, `29.6 %`, `US$78,760 per truck`."""
    if value is None:
        return brief_text("n/a", lang)
    if kind in ("trucks", "people", "usd_per_truck", "index"):
        number = fmt_number(value, lang, whole=True, exact=True)
    elif kind == "pct":
        number = fmt_pct(value, lang, signed=False)
    else:
        number = fmt_number(value, lang)
    return brief_text(f"unit_{kind}", lang, n=number)


def _count(value: float | None, lang: str, measure: str) -> str:
    return _amount(value, MEASURE_UNITS[measure], lang)


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


def _measure_name(h: Headline, scope: Scope, lang: str) -> str:
    """The measure as a sentence names it: `Inbound trucks`, `Trade with Mexico (all modes)`."""
    if h.measure == "trade":
        return brief_text("trade_measure", lang, partner=PARTNER[scope.border][lang])
    return brief_text(h.measure, lang)


def _scope_name(scope: Scope, lang: str) -> str:
    if scope.kind == "border":
        return border_name(scope.code, lang)
    return brief_text("port_scope", lang, name=scope.name, code=scope.code)


def _headlines(brief: Brief, phrase: str, lang: str, hled: bool) -> tuple[list[list[str]], list[str]]:
    """The 'this month' table rows (the HLED direction only where `hled`) and one sentence per measure."""
    rows, sentences = [], []
    for h in brief.headlines:
        label = _measure_label(h, brief.scope, lang)
        value = _count(h.value, lang, h.measure)
        row = [
            label,
            value,
            _pct_cell(h.vs_year, lang),
            _pct_cell(h.adjusted_pct, lang),
            _pct_cell(h.vs_2019, lang),
        ]
        if hled:
            row.append(brief_text(h.direction, lang) if h.direction else brief_text("n/a", lang))
        rows.append(row)
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
                measure=_measure_name(h, brief.scope, lang),
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


CELLS_NAMED = 3  # a gap note names this many port counts, then says how many more


def _cells(cells: list[dict], lang: str) -> str:
    """`Progreso (2309) pedestrians, Laredo (2304) bus passengers and 4 more`."""

    def name(c: dict) -> str:
        cell = c["cell"]
        what = brief_text(f"measure_{cell}", lang) if f"measure_{cell}" in BRIEF else cell
        return f"{group_name(c['port_name'] or c['port_code'], lang)} ({c['port_code']}) {what}"

    named = ", ".join(name(c) for c in cells[:CELLS_NAMED])
    return (
        brief_text("and_more", lang, cells=named, n=len(cells) - CELLS_NAMED)
        if len(cells) > CELLS_NAMED
        else named
    )


def _notes(brief: Brief, lang: str, hled: bool) -> list[str]:
    """Where the calendar explains most of a change, and where ports missing in one of the two months
    make the published change differ from the like-for-like one: each said in a sentence."""
    notes = []
    for h in brief.headlines:
        if h.month is None:
            continue
        measure = _measure_name(h, brief.scope, lang)
        month, before = _ml(h.month, lang), _ml(date(h.month.year - 1, h.month.month, 1), lang)
        if h.has_gaps:
            gone = h.missing_now
            key, cells = ("gap_note", gone) if gone else ("gap_note_new", h.missing_before)
            notes.append(
                brief_text(
                    key,
                    lang,
                    measure=measure,
                    cells=_cells(cells, lang),
                    reported=brief_text("reported_one" if len(cells) == 1 else "reported_many", lang),
                    left_out=brief_text("left_out_one" if len(cells) == 1 else "left_out_many", lang),
                    month=month,
                    month_year=before,
                    raw=fmt_pct(h.raw_pct, lang),
                )
            )
        if h.calendar_explains:
            days, days_before = h.calendar_days
            notes.append(
                brief_text(
                    "calendar_note",
                    lang,
                    measure=measure,
                    Month=month[:1].upper() + month[1:],  # it opens a sentence: "Febrero de 2025 tuvo"
                    days=days,
                    basis=brief_text(h.calendar_basis, lang),
                    days_before=days_before,
                    month_year=before,
                    net=fmt_pct(h.adjusted_pct, lang),
                    judged=brief_text("judged_on_it", lang) if hled else "",
                )
            )
    return notes


def _disruption_lines(disruptions: list[Disruption], lang: str) -> list[str]:
    """One sentence per disruption: how far below its own past's expectation it fell, how far below what
    the border's other ports predicted (a local fall, or a shared one), and the border-wide shock it is
    part of, or the port groups that fell with a border's."""
    lines = []
    for d in disruptions:
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
        if d.peers_depth_pct is not None and (d.found_by == "peers" or d.peers_depth_pct >= LOCAL_SHOWN):
            line += brief_text("below_peers", lang, pct=fmt_pct(d.peers_depth_pct, lang, signed=False))
        elif d.peers_depth_pct is not None:  # its peers fell too: a shared fall
            line += brief_text("shared_with_peers", lang, pct=fmt_pct(-d.peers_depth_pct, lang, signed=True))
        if d.border_shock_month is not None:
            line += brief_text("part_of_border", lang, month=_ml(d.border_shock_month, lang))
        if d.with_groups:
            line += brief_text("groups_with_it", lang, n=d.with_groups)
        if d.diverted_pct is not None and d.diverted_pct >= DIVERTED_SHOWN:
            key = "diverted" if d.diverted_pct <= 100 else "diverted_more"
            line += brief_text(key, lang, pct=fmt_pct(d.diverted_pct, lang, signed=False))
        lines.append(line)
    return lines


def _scorecard_rows(brief: Brief, lang: str) -> list[list[str]]:
    """Each row with its own window (the series end in different months) and its value with its unit."""
    out = []
    for c in brief.scorecard:
        right = c["right_way_vs_2021"]
        verdict = (
            brief_text("n/a", lang)
            if right is None
            else brief_text("right_way" if right else "wrong_way", lang)
        )
        end = c["latest_month"]
        window = "window_total" if c["aggregate"].endswith("total") else "window_average"
        out.append(
            [
                c[f"pillar_{lang}"],
                c[f"headline_{lang}"],
                brief_text(window, lang, month=month_label(end.year, end.month, lang)) if end else "–",
                _amount(c["latest_value"], UNIT_KINDS.get(c["unit"], "number"), lang),
                _pct_cell(c["change_vs_2019_pct"], lang),
                _pct_cell(c["change_vs_2021_pct"], lang),
                verdict,
            ]
        )
    return out


def _sector_notes(brief: Brief, lang: str) -> list[str]:
    """Which table the sector figures come from, and the months its window lacks; then the same of the
    products named exactly, when the Census trade API is loaded."""
    w = brief.sectors_window
    notes = []
    if w is not None:
        table = "sectors_border_table" if w.table == "sector_trade_border" else "sectors_port_table"
        notes = [brief_text(table, lang), *_window_notes(w, lang)]
    p = brief.products_window
    if p is not None and brief.products:
        notes += [brief_text("products_note", lang, month=_ml(p.through, lang)), *_window_notes(p, lang)]
    return notes


def _window_notes(w: SectorWindow, lang: str) -> list[str]:
    """The months a 12-month window lacks, or over how many months its change is compared."""
    notes = []
    if w.missing:
        months = ", ".join(_ml(m, lang) for m in w.missing)
        notes.append(
            brief_text("sectors_missing", lang, on_hand=w.on_hand, months=months, compared=w.compared)
        )
    elif w.compared < TWELVE_MONTHS.months:
        notes.append(brief_text("sectors_compared", lang, compared=w.compared))
    return notes


WAIT_SOURCE = "cbp_wait_times"


def _wait_lines(brief: Brief, name: str, lang: str) -> list[str]:
    """The port's waits of the latest month collected, said with the state of the collection: never
    collected, stopped (stale), or collecting."""
    health = brief.health.get(WAIT_SOURCE)
    if health is not None and health.state == "never collected":
        return [brief_text("wait_state_never", lang)]
    head = []
    if health is not None and health.state == "stale" and health.newest_reading is not None:
        head = [brief_text("wait_state_stale", lang, latest=str(health.newest_reading)[:10])]
    lines = [
        brief_text(
            "wait",
            lang,
            crossing=w.crossing,
            lane=text(w.lane, lang) if w.lane in LABELS else w.lane,
            month=_ml(w.month, lang),
            median=fmt_pct(w.median_minutes, lang, signed=False),
            p90=fmt_pct(w.p90_minutes, lang, signed=False),
            days=w.days_observed,
            month_days=calendar.monthrange(w.month.year, w.month.month)[1],
        )
        for w in brief.waits
    ]
    if brief.idle:
        month, hours, tonnes = brief.idle
        idle = {"hours": fmt_number(hours, lang, whole=True), "tonnes": fmt_number(tonnes, lang)}
        lines.append(brief_text("idle", lang, month=_ml(month, lang), **idle))
    return head + (lines or [brief_text("no_waits", lang, scope=name.removesuffix("."))])


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

    def amount(value: float | None, table: str) -> str:
        """A crossings count as counted, a trade value in US$: each value with its unit."""
        if table == "core.fact_crossings" or value is None:
            return exact(value)
        return _amount(value, "usd", lang)

    def what(item: str, table: str) -> str:
        key = f"measure_{item}"
        return brief_text(key, lang) if table == "core.fact_crossings" and key in BRIEF else item

    return [head] + [
        brief_text(
            "revision",
            lang,
            port=group_name(port, lang),
            month=_ml(month, lang),
            item=what(item, table),
            old=amount(old, table),
            new=amount(new, table),
        )
        for port, month, item, old, new, table in brief.revisions
    ]


def _state(brief: Brief, source: str, state: str, lang: str) -> str:
    """A source's state in words: current, stale, behind its publisher's usual lag (with the month
    expected by now), collecting."""
    if state == "behind" and source in brief.health and brief.health[source].expected_month:
        return brief_text("behind", lang, expected=_ml(brief.health[source].expected_month, lang))
    if state == "stale" and source == WAIT_SOURCE:  # a collected history goes stale when collection stops
        return brief_text("state_collection_stopped", lang)
    return brief_text(state if f"state_{state}" not in BRIEF else f"state_{state}", lang)


def _source_lines(brief: Brief, lang: str) -> list[str]:
    """Each source with its data's latest month, the refresh and its state, and the sources the refresh
    loaded that have no data at all (never published), named too."""
    dated = {v.source for v in brief.vintages}
    missing = [
        brief_text(
            "source_missing",
            lang,
            title=h.title,
            since=str(h.since)[:10] if h.since else brief_text("n/a", lang),
        )
        for h in brief.health.values()
        if h.source not in dated and h.state == "never published"
    ]
    return (
        [
            brief_text(
                "source_line",
                lang,
                title=v.title,
                publisher=publisher_name(v.publisher, lang),
                latest=_ml(v.latest_month, lang),
                refreshed=str(v.refreshed_at)[:10],
                status=_state(brief, v.source, v.state if v.status == "current" else "stale", lang),
            )
            for v in brief.vintages
        ]
        + missing
        + [brief_text("method", lang)]
    )


def _footer(brief: Brief, title: str, lang: str) -> str:
    """The line every page carries, so a page shared alone can be cited: the brief, its sources' latest
    months and the refresh, with `{page}` and `{pages}` left for the page numbers."""
    dated = [v for v in brief.vintages if v.latest_month is not None]
    sources = "; ".join(
        brief_text("source_short", lang, title=v.title, latest=_ml(v.latest_month, lang)) for v in dated
    )
    refreshed = max((str(v.refreshed_at)[:10] for v in brief.vintages), default="–")
    text = brief_text(
        "page_footer", lang, title=title, sources=sources, refreshed=refreshed, page="\0", pages="\1"
    )
    return text.replace("{", "{{").replace("}", "}}").replace("\0", "{page}").replace("\1", "{pages}")


def view(brief: Brief, trend: dict, lang: str) -> View:
    """The brief's text and tables in `lang`, numbers formatted for it."""
    scope = brief.scope
    hled = scope.border == HLED_BORDER
    name = _scope_name(scope, lang)
    phrase = brief_text("border_phrase", lang, border=name) if scope.kind == "border" else name
    latest = brief.headlines[0].month
    rows, sentences = _headlines(brief, phrase, lang, hled)
    where = name if scope.kind == "border" else group_name(scope.group_name or scope.name, lang)
    note = "disruptions_where_border" if scope.kind == "border" else "disruptions_where"
    partner = PARTNER[scope.border][lang]
    t = partial(brief_text, lang=lang)
    year_before = date(latest.year - 1, latest.month, 1) if latest else None
    title = t("title", scope=name, month=_ml(latest, lang))
    window = brief.sectors_window
    return View(
        lang=lang,
        slug=scope.slug,
        title=title,
        subtitle=t("subtitle" if hled else "subtitle_alongside", border=border_name(scope.border, lang)),
        hled=hled,
        headline_head=[
            t("measure"),
            _ml(latest, lang),
            t("vs_year", month=_ml(year_before, lang)),
            t("net_calendar", month=_ml(year_before, lang)),
            t("vs_year", month=_ml(date(2019, latest.month, 1) if latest else None, lang)),
        ]
        + ([t("goal")] if hled else []),
        headline_rows=rows,
        sentences=sentences,
        notes=_notes(brief, lang, hled),
        disruptions_note=t(note, where=where),
        disruptions=_disruption_lines(brief.disruptions, lang) or [t("no_disruption")],
        earlier_title=t("earlier_disruptions", month=_ml(HLED_SINCE, lang)),
        earlier_disruptions=_disruption_lines(brief.earlier_disruptions, lang),
        sectors_title=t("sectors", partner=partner, month=_ml(window.through if window else None, lang)),
        sectors_head=[t("sector"), t("value_usd"), t("vs_prev_12m")],
        sectors_rows=[
            [
                s.sector_en if lang == "en" else s.sector_es,
                _amount(s.value_12m, "usd", lang),
                _pct_cell(s.change_pct, lang),
            ]
            for s in [*brief.sectors, *brief.products]
        ],
        sectors_notes=_sector_notes(brief, lang),
        scorecard_title=t("scorecard", scope=border_name(HLED_BORDER, lang)) if hled else "",
        scorecard_head=[
            t("pillar"),
            t("headline"),
            t("window"),
            t("latest"),
            t("vs_2019"),
            t("vs_2021"),
            t("goal"),
        ],
        scorecard_rows=_scorecard_rows(brief, lang) if hled else [],
        waits=_wait_lines(brief, name, lang),
        revisions=_revision_lines(brief, lang),
        sources=_source_lines(brief, lang),
        footer=_footer(brief, title, lang),
        trend=trend,
    )
