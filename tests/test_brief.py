"""The monthly border brief on the hand-made warehouse, whose every value can be worked out by hand
(tests/handmade.py): its numbers in both languages, its PDF opened, its pages counted and page 1
rendered, and a hostile port name kept as text."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime

import polars as pl
import pypdf
import pypdfium2
import pytest
import vl_convert

from dashboards import charts
from dashboards.brief import trend_spec, write_briefs
from dashboards.brief_data import Disruption, gather, scope_of
from dashboards.brief_view import view
from dashboards.labels import LANGS
from dashboards.offline import BUNDLE
from tests.handmade import build_handmade, crossings, revised
from warehouse.access import open_published
from warehouse.db import connect, run
from warehouse.indicators import SHOCK_INPUT_SQL

HOSTILE = '<script>alert("x")</script> & Laredo'
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def briefs(tmp_path_factory):
    root = tmp_path_factory.mktemp("brief")
    warehouse = build_handmade(root / "warehouse.duckdb")
    reports = {lang: write_briefs(warehouse, root / "exports", lang) for lang in ("en", "es")}
    return root, warehouse, reports


def _gathered(briefs, code: str):
    """The brief's data for one scope of the hand-made warehouse."""
    _, warehouse, _ = briefs
    con = open_published(warehouse)
    try:
        return gather(con, scope_of(con, code))
    finally:
        con.close()


def test_the_brief_figures_are_the_warehouse_s(briefs) -> None:
    _, warehouse, _ = briefs
    con = open_published(warehouse)
    try:
        laredo = view(gather(con, scope_of(con, "2304")), {}, "en")
        border = view(gather(con, scope_of(con, "US-Mexico")), {}, "es")
    finally:
        con.close()
    # Laredo, December 2022: 1,500 trucks (1,200 a year before, 1,000 in 2019); 150 personal-vehicle
    # passengers + 100 pedestrians + 50 bus passengers = 300 people (300; 450 in 2019); trade
    # 6 M + 3 M truck + 1 M rail = 10 M (5 M a year before; none staged for 2019)
    assert laredo.title == "Laredo (2304): border brief, December 2022"
    # December 2022 and December 2021 have the same working days at the US-Mexico border (21) and days,
    # so the change net of the calendar is the change itself; every value carries its unit
    assert laredo.headline_rows == [
        ["Inbound trucks", "1,500 trucks", "+25.0 %", "+25.0 %", "+50.0 %", "toward the goal"],
        ["People crossing inbound", "300 people", "+0.0 %", "+0.0 %", "-33.3 %", "flat"],
        [
            "Trade with Mexico, all modes (December 2022)",
            "US$10.0 M",
            "+100.0 %",
            "+100.0 %",
            "n/a",
            "toward the goal",
        ],
    ]
    assert laredo.notes == []  # every port count on hand in both months, and no calendar effect
    assert laredo.sentences[0] == (
        "Inbound trucks at Laredo (2304): 1,500 trucks in December 2022, 25.0 % more than in December 2021 "
        "and 50.0 % more than in December 2019."
    )
    assert laredo.sentences[2].endswith(
        "100.0 % more than in December 2021; no figure for December 2019 to compare."
    )
    # HS 85 at 700,000 a month in 2021 and 1.4 M in 2022; HS 30 at 100,000 a month both years
    assert laredo.sectors_rows == [
        ["Electrical machinery incl. semiconductors & ICT (HS 85)", "US$16.8 M", "+100.0 %"],
        ["Pharmaceutical products (HS 30)", "US$1.2 M", "+0.0 %"],
    ]
    assert laredo.sectors_notes == [
        "From TransBorder's port-by-commodity table. Sectors are HS chapters: wider than their names."
    ]
    # the World Trade Bridge readings of 5 December 2022: commercial median 30 minutes; with 1,500
    # trucks that is 750 idle truck-hours
    # the hand-made readings end in 2022: the collection has stopped, and the brief says so first
    assert laredo.waits[0] == (
        "CBP wait times stopped being collected after 2022-12-05: "
        "the figures below are the last ones on hand."
    )
    assert laredo.waits[1].startswith(
        "Laredo - World Trade Bridge, commercial, December 2022: median 30.0 min, 90th percentile"
    )
    # data to December 2022 is behind: its publisher (BTS, about 2 months late) has far later months out
    assert "Border Crossing Entry Data (BTS (test)): data to December 2022" in laredo.sources[0]
    assert "; behind: its publisher usually has " in laredo.sources[0]
    assert laredo.waits[-1].startswith("Trucks idled an estimated 750 hours at the line in December 2022")
    assert laredo.disruptions == ["No disruption detected in the last 12 months, and none still under way."]
    # the border in Spanish: 1,500 + 300 (El Paso) + 200 (Ysleta) = 2,000 trucks against 1,700 and 1,500
    # in Mexico's formats (es_MX): 2,000 and 17.6 %, not Spain's 2 000 and 17,6 %
    assert border.title == "México–EE. UU.: informe fronterizo, diciembre de 2022"
    assert border.headline_rows[0] == [
        "Camiones que entran a EE. UU.",
        "2,000 camiones",
        "+17.6 %",
        "+17.6 %",
        "+33.3 %",
        "hacia la meta",
    ]
    assert border.sentences[0] == (
        "Camiones que entran a EE. UU. en la frontera México–EE. UU.: 2,000 camiones en diciembre de 2022, "
        "17.6 % más que en diciembre de 2021 y 33.3 % más que en diciembre de 2019."
    )
    assert border.headline_rows[2][1:3] == ["US$11.0 millones", "+83.3 %"]  # Laredo's 10 M and El Paso's 1 M
    # the border's sectors from the state table (dot2), which reconciles with the ports' sum
    assert border.sectors_rows[0] == [
        "Maquinaria y equipo eléctrico, incl. semiconductores y TIC (SA 85)",
        "US$16.8 millones",
        "+100.0 %",
    ]
    assert border.sectors_notes[0].startswith("De la tabla de TransBorder por estado y mercancía")
    # the scorecard: each row says its window and its unit
    assert border.scorecard_rows[0] == [
        "Infraestructura fronteriza y facilitación del comercio",
        "Cruces de camiones de entrada",
        "total, 12 meses hasta dic 2022",
        "24,000 camiones",
        "+33.3 %",
        "+17.6 %",
        "buen rumbo",
    ]
    assert border.page_footer(1, 2).endswith("Actualizado el " + border.page_footer(1, 2).split("el ")[-1])
    assert "Página 1 de 2" in border.page_footer(1, 2)


def test_every_brief_is_written_as_html_and_a_printable_pdf(briefs) -> None:
    root, _, reports = briefs
    for lang, size in (("en", (612, 792)), ("es", (612, 792))):  # Letter (carta) in both, in points
        report = reports[lang]
        folder = root / "exports" / lang / "brief"
        # both borders and every port with trucks (the hand-made data has four, fewer than 15)
        slugs = ["US-Mexico", "US-Canada", "port-2304", "port-0901", "port-2402", "port-2401"]
        assert report.failed == {}
        assert sorted(p.name for p in report.written) == sorted(
            f"{s}.{x}" for s in slugs for x in ("html", "pdf")
        )
        assert not (folder / BUNDLE).exists()
        html = (folder / "port-2304.html").read_text(encoding="utf-8")
        # the HTML brief travels alone: its chart is inline SVG, with no script and no file beside it
        assert "<script" not in html and "<svg" in html and BUNDLE not in html and "cdn." not in html
        pdf = pypdf.PdfReader(folder / "port-2304.pdf")
        assert len(pdf.pages) >= 2
        assert [round(float(x)) for x in pdf.pages[0].mediabox[2:]] == list(size)
        first = pdf.pages[0].extract_text()
        assert "Laredo (2304)" in first and (
            "1,500 trucks" in first if lang == "en" else "1,500 camiones" in first
        )
        assert ("HLED scorecard" if lang == "en" else "Tablero del DEAN") in pdf.pages[1].extract_text()
        # every page can be cited alone: the brief, its sources' months, the refresh, the page number
        for n, page in enumerate(pdf.pages, start=1):
            said = " ".join(page.extract_text().split())
            assert ("Page" if lang == "en" else "Página") in said and f" {n} " in said, said[-200:]
            assert "Laredo (2304)" in said and (
                "data to December 2022" in said or "datos hasta diciembre de 2022" in said
            )
        page = pypdfium2.PdfDocument(folder / "port-2304.pdf")[0].render(scale=1).to_pil().convert("L")
        inked = sum(1 for v in page.getdata() if v < 128)
        assert inked > 0.01 * page.width * page.height, "page 1 renders blank"


def test_the_trend_chart_names_months_in_the_brief_s_language(briefs) -> None:
    _, warehouse, _ = briefs
    con = open_published(warehouse)
    try:
        svgs = {
            lang: vl_convert.vegalite_to_svg(trend_spec(con, scope_of(con, "2304"), lang)) for lang in LANGS
        }
    finally:
        con.close()
    labels = {lang: re.findall(r">(\w+) (20\d\d)<", svg) for lang, svg in svgs.items()}
    assert labels["en"] and labels["es"] and len(labels["en"]) == len(labels["es"])
    months = {lang: {m for m, _ in found} for lang, found in labels.items()}
    assert months["en"] <= {"Jan", "Apr", "Jul", "Oct"} and months["es"] <= {"ene", "abr", "jul", "oct"}
    assert not re.search(r">20\d\d-\d\d<", svgs["es"])


def test_a_hostile_port_name_stays_text(briefs, tmp_path) -> None:
    root, warehouse, _ = briefs
    copy = tmp_path / "w.duckdb"
    copy.write_bytes(warehouse.read_bytes())
    con = connect(copy)
    run(con, "UPDATE marts.port SET port_name = ? WHERE port_code = '2304'", [HOSTILE])
    con.close()
    report = write_briefs(copy, tmp_path / "exports", "en", port="2304")
    assert report.failed == {}
    html = (tmp_path / "exports" / "en" / "brief" / "port-2304.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Laredo (2304)" in html
    assert "<script" not in html  # no script at all, none from the data
    text = pypdf.PdfReader(tmp_path / "exports" / "en" / "brief" / "port-2304.pdf").pages[0].extract_text()
    assert '<script>alert("x")</script> & Laredo (2304)' in text


def test_an_unknown_port_or_language_is_refused(briefs) -> None:
    root, warehouse, _ = briefs
    with pytest.raises(ValueError, match="port '9999' is not a land port of entry"):
        write_briefs(warehouse, root / "exports", "en", port="9999")
    with pytest.raises(ValueError, match="language 'fr' not supported"):
        write_briefs(warehouse, root / "exports", "fr")


def test_the_brief_names_what_the_publishers_revised_since_the_previous_refresh(briefs, tmp_path) -> None:
    _, first, _ = briefs
    facts = revised(crossings(), "2304", "trucks", date(2022, 11, 1), 1450)
    con = open_published(first)
    try:  # the first refresh had nothing to compare with, and says so rather than "nothing revised"
        assert view(gather(con, scope_of(con, "2304")), {}, "en").revisions == [
            "This is the first refresh: there is no earlier one to compare with. "
            "Revisions are listed from the next refresh on."
        ]
        published = con.execute(
            "SELECT max(finished_at) FROM meta.runs WHERE status = 'published'"
        ).fetchone()[0]
    finally:
        con.close()
    since = published.astimezone(UTC).date().isoformat()
    second = build_handmade(tmp_path / "w.duckdb", facts=facts, previous=first, run_id="r2")
    con = open_published(second)
    try:
        assert view(gather(con, scope_of(con, "2304")), {}, "en").revisions == [
            f"Against the refresh of {since}, the publishers revised 1 value(s) of months already "
            "published; the largest:",
            "Laredo, November 2022, trucks: from 1,500 to 1,450.",
        ]
        assert view(gather(con, scope_of(con, "2304")), {}, "es").revisions[1] == (
            "Laredo, noviembre de 2022, camiones: de 1,500 a 1,450."
        )
        assert view(gather(con, scope_of(con, "0901")), {}, "es").revisions == [
            f"Frente a la actualización del {since}, los editores no revisaron ningún valor de un mes ya "
            "publicado."
        ]
        assert con.execute(
            "SELECT fact_table, values_revised FROM marts.revisions_compared ORDER BY 1"
        ).fetchall() == [
            ("core.fact_crossings", 1),
            ("core.fact_trade_port", 0),
            ("core.fact_trade_port_commodity", 0),
        ]
    finally:
        con.close()


@pytest.fixture(scope="module")
def july(tmp_path_factory):
    """The hand-made warehouse cut at July 2022, with Laredo's July trucks at 1,160 (1,200 a year
    before) and its July pedestrians not reported: July 2022 has 20 working days at the US-Mexico border
    (Independence Day on Monday the 4th), July 2021 had 21 (the 5th observed)."""
    facts = crossings().filter(pl.col("month") <= date(2022, 7, 1))
    facts = revised(facts, "2304", "trucks", date(2022, 7, 1), 1160)
    facts = facts.filter(
        ~(
            (pl.col("port_code") == "2304")
            & (pl.col("measure") == "pedestrians")
            & (pl.col("month") == date(2022, 7, 1))
        )
    )
    path = build_handmade(tmp_path_factory.mktemp("july") / "w.duckdb", facts=facts)
    con = open_published(path)
    try:
        yield {"path": path} | {
            (c, lang): view(gather(con, scope_of(con, c)), {}, lang)
            for c in ("2304", "US-Canada")
            for lang in LANGS
        }
    finally:
        con.close()


def test_the_verdict_follows_the_change_net_of_the_calendar(july) -> None:
    laredo = july[("2304", "en")]
    # 1,160 against 1,200 is -3.3 % as counted, but per working day (1,160 / 20 against 1,200 / 21)
    # it is +1.5 %: toward the goal, and a sentence says the calendar explains the change
    assert laredo.headline_rows[0] == [
        "Inbound trucks",
        "1,160 trucks",
        "-3.3 %",
        "+1.5 %",
        "+16.0 %",
        "toward the goal",
    ]
    assert (
        "Inbound trucks: the calendar explains most of this change. July 2022 had 20 working days against 21 "
        "in July 2021; net of the calendar the change is +1.5 %, and the HLED direction is judged on that."
    ) in laredo.notes
    spanish = july[("2304", "es")]
    assert (
        spanish.headline_rows[0][2:4] == ["-3.3 %", "+1.5 %"]
        and spanish.headline_rows[0][5] == "hacia la meta"
    )
    assert any(
        n.startswith("Camiones que entran a EE. UU.: el calendario explica")
        and "Julio de 2022 tuvo 20 días hábiles frente a 21 en julio de 2021" in n
        for n in spanish.notes
    )
    assert (
        "Personas que cruzan hacia EE. UU.: comparación homogénea. Laredo (2304) peatones se reportó en "
        "julio de 2021 pero no en julio de 2022; se excluye de ambos meses. Con las cifras publicadas, el "
        "cambio es de -33.3 %." in spanish.notes
    )


def test_a_port_that_did_not_report_is_a_gap_not_a_drop(july) -> None:
    laredo = july[("2304", "en")]
    # July 2022: 150 personal-vehicle + 50 bus passengers, no pedestrian row; July 2021: 150 + 100 + 50.
    # As published 200 against 300 is -33.3 %; like for like (the same port counts) it is 0.0 %
    assert laredo.headline_rows[1] == [
        "People crossing inbound",
        "200 people",
        "+0.0 %",
        "+0.0 %",
        "-55.6 %",
        "flat",
    ]
    assert (
        "People crossing inbound: compared like for like. Laredo (2304) pedestrians reported in July 2021 "
        "but not in July 2022; it is left out of both months. As published, the change is -33.3 %."
    ) in laredo.notes


def test_the_us_canada_brief_carries_no_hled_verdict(july) -> None:
    for lang in LANGS:
        canada = july[("US-Canada", lang)]
        assert not canada.hled and canada.scorecard_rows == []
        assert len(canada.headline_head) == 5 and all(len(r) == 5 for r in canada.headline_rows)
        assert ("without HLED verdicts" if lang == "en" else "sin juicios del DEAN") in canada.subtitle
        assert not any("HLED direction" in n or "meta del DEAN" in n for n in canada.notes)
    laredo = july[("2304", "en")]
    assert laredo.hled and laredo.headline_head[-1] == "HLED goal" and laredo.scorecard_rows


def test_a_month_missing_from_the_port_table_is_named_and_the_border_is_re_sourced(tmp_path) -> None:
    path = build_handmade(tmp_path / "w.duckdb", drop_commodity_month=date(2022, 3, 1))
    con = open_published(path)
    try:
        laredo = view(gather(con, scope_of(con, "2304")), {}, "en")
        border = view(gather(con, scope_of(con, "US-Mexico")), {}, "es")
        subtitle = " ".join(
            charts.priority_sectors_by_port(con, "en").to_dict()["vconcat"][0]["title"]["subtitle"]
        )
    finally:
        con.close()
    # Laredo from the port table: 11 months of 1.4 M (HS 85), compared with the same 11 months of 2021
    assert laredo.sectors_rows[0] == [
        "Electrical machinery incl. semiconductors & ICT (HS 85)",
        "US$15.4 M",
        "+100.0 %",
    ]
    assert laredo.sectors_notes[1] == (
        "11 of 12 months: March 2022 not published; the values cover 11 months and the change compares the "
        "same 11 months a year before."
    )
    # the border from the state table, which has March: all 12 months, no note of a gap
    assert border.sectors_rows[0][1] == "US$16.8 millones" and len(border.sectors_notes) == 1
    # the chart's 12-month bars say they are 11 months
    assert "only 11 of 12 months: Mar 2022 not published" in subtitle


def test_a_missing_count_is_a_gap_in_the_coverage_and_a_blank_in_the_heatmap(july) -> None:
    con = open_published(july["path"])
    try:
        gaps = con.execute(
            "SELECT port_code, measure, month, months_reported_before, value_year_before "
            "FROM marts.crossings_gaps"
        ).fetchall()
        heatmap = charts.recovery_heatmap(con, "en").to_dict()
        shock_input = con.execute(
            f"SELECT month FROM ({SHOCK_INPUT_SQL}) WHERE scope_type = 'port_group' "
            "AND measure = 'pedestrians' AND month >= DATE '2022-06-01' ORDER BY month"
        ).fetchall()
    finally:
        con.close()
    # the shock method skips the month too: Laredo's pedestrians are judged in June, not in July
    assert shock_input == [(date(2022, 6, 1),)]
    # Laredo reported pedestrians in each of the 12 months before July 2022 (100 a month), then none
    assert gaps == [("2304", "pedestrians", date(2022, 7, 1), 12, 100)]
    cells = {(r["port"], r["month"][:7]) for r in heatmap["datasets"][next(iter(heatmap["datasets"]))]}
    assert ("Laredo (2304)", "2022-06") in cells and ("Laredo (2304)", "2022-07") not in cells  # blank


def test_a_source_never_published_is_named_among_the_sources(briefs, tmp_path) -> None:
    _, warehouse, _ = briefs
    copy = tmp_path / "w.duckdb"
    copy.write_bytes(warehouse.read_bytes())
    con = connect(copy)  # as a refresh leaves it when bts.gov refused every TransBorder download
    run(con, "DELETE FROM marts.data_vintage WHERE source = 'transborder'")
    run(
        con,
        "UPDATE marts.source_health SET state = 'never published', "
        "since = TIMESTAMPTZ '2026-12-01 06:00:00+00' WHERE source = 'transborder'",
    )
    con.close()
    con = open_published(copy)
    try:
        sources = view(gather(con, scope_of(con, "US-Mexico")), {}, "es").sources
    finally:
        con.close()
    assert (
        "North American TransBorder Freight Data: sin datos publicados: "
        "su actualización falla desde el 2026-12-01." in sources
    )


def test_a_revised_trade_value_is_given_in_dollars(briefs) -> None:
    brief = _gathered(briefs, "2304")
    revised_trade = dataclasses.replace(
        brief,
        compared_with=datetime(2026, 12, 1, 6, tzinfo=UTC),
        revisions_total=1,
        revisions=[
            ("Laredo", date(2022, 11, 1), "import/mexico/truck", 6_000_000, 6_250_000, "core.fact_trade_port")
        ],
    )
    assert view(revised_trade, {}, "en").revisions[1] == (
        "Laredo, November 2022, import/mexico/truck: from US$6.0 M to US$6.2 M."
    )
    assert view(revised_trade, {}, "es").revisions[1] == (
        "Laredo, noviembre de 2022, import/mexico/truck: de US$6.0 millones a US$6.2 millones."
    )


def test_the_products_named_exactly_stand_beside_their_chapters(tmp_path) -> None:
    """With the Census trade API loaded, the sector table adds the HLED's products by their headings:
    integrated circuits and semiconductor devices (8541 + 8542), medical devices, medicines; each over
    its own 12 months, said in a note, the chapter rows kept as they were."""
    warehouse = build_handmade(tmp_path / "w.duckdb", with_census=True)
    con = open_published(warehouse)
    try:
        laredo = view(gather(con, scope_of(con, "2304")), {}, "en")
        border = view(gather(con, scope_of(con, "US-Mexico")), {}, "es")
        reconciled = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE within_tolerance), sum(abs(difference_usd)) "
            "FROM marts.trade_reconciliation"
        ).fetchone()
        card = con.execute(
            "SELECT headline_en, latest_month, latest_value, change_vs_2021_pct FROM marts.hled_scorecard "
            "WHERE indicator_id = 'hled_product_trade' ORDER BY headline_en"
        ).fetchall()
    finally:
        con.close()
    # 2022 against 2021 at Laredo: 8541 + 8542 = 300,000 a month (150,000 in 2021), 9018 20,000, 3004 40,000
    assert laredo.sectors_rows[2:] == [
        ["Integrated circuits and semiconductor devices (HS 8541–8542)", "US$3.6 M", "+100.0 %"],
        ["Medicines in measured doses (HS 3004)", "US$480,000", "+0.0 %"],
        ["Medical devices (HS 9018–9022)", "US$240,000", "+0.0 %"],
    ]
    assert laredo.sectors_rows[0][0] == "Electrical machinery incl. semiconductors & ICT (HS 85)"
    assert (
        laredo.sectors_notes[-1].startswith("The products named exactly")
        and "December 2022" in (laredo.sectors_notes[-1])
    )
    assert border.sectors_rows[2][0] == "Circuitos integrados y dispositivos semiconductores (SA 8541–8542)"
    assert border.sectors_notes[-1].startswith("Los productos nombrados con exactitud")
    # the chapters the Census rows carry are TransBorder's own: 24 months x 2 chapters agree to the dollar
    assert reconciled == (48, 48, 0)
    # the scorecard names the products too: 12 months to December 2022 against calendar 2021
    assert card == [
        (
            "US-Mexico trade, all modes: integrated circuits and semiconductor devices (HS 8541–8542)",
            date(2022, 12, 1),
            3_600_000.0,
            100.0,
        ),
        ("US-Mexico trade, all modes: medical devices (HS 9018–9022)", date(2022, 12, 1), 240_000.0, 0.0),
        (
            "US-Mexico trade, all modes: medicines in measured doses (HS 3004)",
            date(2022, 12, 1),
            480_000.0,
            0.0,
        ),
    ]


def test_a_disruption_found_against_the_peers_says_so(briefs) -> None:
    brief = _gathered(briefs, "US-Mexico")
    hidalgo = Disruption(
        "Hidalgo", "trucks", date(2022, 4, 1), date(2022, 4, 1), 11.42, "recovered", 1, None, 25.37, "peers"
    )
    lines = {
        lang: view(dataclasses.replace(brief, disruptions=[hidalgo]), {}, lang).disruptions for lang in LANGS
    }
    assert lines["en"] == [
        "Hidalgo, trucks: from April 2022, 11.4 % below what its own past predicted at its deepest "
        "(April 2022); recovered in 1 month(s). The border's other ports did not share it: 25.4 % below "
        "what they predicted for this port."
    ]
    assert lines["es"][0].endswith(
        "no la compartieron: 25.4 % por debajo de lo que predecían para este puerto."
    )


def test_a_shared_fall_and_a_border_wide_one_are_told_as_such(briefs) -> None:
    """A port's fall its peers shared says so with the figure; a border's shock names how many port
    groups fell with it, and a port group's shock that is part of it names the border's month."""
    brief = _gathered(briefs, "US-Mexico")
    laredo = Disruption(
        "Laredo",
        "trucks",
        date(2020, 4, 1),
        date(2020, 4, 1),
        30.1,
        "recovered",
        3,
        None,
        2.04,
        border_shock_month=date(2020, 4, 1),
    )
    border = dataclasses.replace(
        laredo,
        scope_name="US-Mexico",
        depth_pct=29.0,
        peers_depth_pct=None,
        border_shock_month=None,
        with_groups=13,
    )
    en = view(dataclasses.replace(brief, disruptions=[], earlier_disruptions=[border, laredo]), {}, "en")
    assert en.disruptions == ["No disruption detected in the last 12 months, and none still under way."]
    assert en.earlier_title == "Earlier disruptions since the HLED relaunch (September 2021)"
    assert en.earlier_disruptions[0].endswith("recovered in 3 month(s). 13 port groups fell with it.")
    assert en.earlier_disruptions[1].endswith(
        "The border's other ports fell with it: against what they predicted for this port, -2.0 %. "
        "Part of a fall across the whole border from April 2020."
    )
    es = view(dataclasses.replace(brief, disruptions=[], earlier_disruptions=[border]), {}, "es")
    assert es.earlier_disruptions[0].endswith("13 grupos de puertos cayeron con ella.")
