"""The monthly border brief on the hand-made warehouse, whose every value can be worked out by hand
(tests/handmade.py): its numbers in both languages, its PDF opened, its pages counted and page 1
rendered, and a hostile port name kept as text."""

from __future__ import annotations

import re
from datetime import UTC, date

import pypdf
import pypdfium2
import pytest
import vl_convert

from dashboards.brief import trend_spec, view, write_briefs
from dashboards.brief_data import gather, scope_of
from dashboards.labels import LANGS
from dashboards.offline import BUNDLE
from tests.handmade import build_handmade, crossings, revised
from warehouse.access import open_published
from warehouse.db import connect, run

HOSTILE = '<script>alert("x")</script> & Laredo'
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def briefs(tmp_path_factory):
    root = tmp_path_factory.mktemp("brief")
    warehouse = build_handmade(root / "warehouse.duckdb")
    reports = {lang: write_briefs(warehouse, root / "exports", lang) for lang in ("en", "es")}
    return root, warehouse, reports


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
    assert laredo.headline_rows == [
        ["Inbound trucks", "1,500", "+25.0 %", "+50.0 %", "toward the goal"],
        ["People crossing inbound", "300", "+0.0 %", "-33.3 %", "flat"],
        ["Trade with Mexico, US$ (December 2022)", "10.0 M", "+100.0 %", "n/a", "toward the goal"],
    ]
    assert laredo.sentences[0] == (
        "Inbound trucks at Laredo (2304): 1,500 in December 2022, 25.0 % more than in December 2021 "
        "and 50.0 % more than in December 2019."
    )
    assert laredo.sentences[2].endswith(
        "100.0 % more than in December 2021; no figure for December 2019 to compare."
    )
    # HS 85 at 700,000 a month in 2021 and 1.4 M in 2022; HS 30 at 100,000 a month both years
    assert laredo.sectors_rows == [
        ["Electrical machinery, semiconductors & ICT equipment", "16.8 M", "+100.0 %"],
        ["Pharmaceuticals", "1.2 M", "+0.0 %"],
    ]
    # the World Trade Bridge readings of 5 December 2022: commercial median 30 minutes; with 1,500
    # trucks that is 750 idle truck-hours
    assert laredo.waits[0].startswith(
        "Laredo - World Trade Bridge, commercial, December 2022: median 30.0 min"
    )
    assert laredo.waits[-1].startswith("Trucks idled an estimated 750 hours at the line in December 2022")
    assert laredo.disruptions == ["No disruption detected in the last 12 months."]
    # the border in Spanish: 1,500 + 300 (El Paso) + 200 (Ysleta) = 2,000 trucks against 1,700 and 1,500
    assert border.title == "México–EE. UU.: informe fronterizo, diciembre de 2022"
    assert border.headline_rows[0] == [
        "Camiones que entran a EE. UU.",
        f"2{NBSP}000",
        "+17,6 %",
        "+33,3 %",
        "hacia la meta",
    ]
    assert border.sentences[0] == (
        f"Camiones que entran a EE. UU. en la frontera México–EE. UU.: 2{NBSP}000 en diciembre de 2022, "
        "17,6 % más que en diciembre de 2021 y 33,3 % más que en diciembre de 2019."
    )
    assert border.headline_rows[2][1:3] == ["11,0 M", "+83,3 %"]  # Laredo's 10 M and El Paso's 1 M


def test_every_brief_is_written_as_html_and_a_printable_pdf(briefs) -> None:
    root, _, reports = briefs
    for lang, size in (("en", (612, 792)), ("es", (595, 842))):  # Letter and A4, in points
        report = reports[lang]
        folder = root / "exports" / lang / "brief"
        # both borders and every port with trucks (the hand-made data has four, fewer than 15)
        slugs = ["US-Mexico", "US-Canada", "port-2304", "port-0901", "port-2402", "port-2401"]
        assert report.failed == {}
        assert sorted(p.name for p in report.written) == sorted(
            f"{s}.{x}" for s in slugs for x in ("html", "pdf")
        )
        assert (folder.parent / BUNDLE).stat().st_size > 500_000  # one script for the folder's HTML files
        assert not (folder / BUNDLE).exists()
        html = (folder / "port-2304.html").read_text(encoding="utf-8")
        assert (
            f'<script src="../{BUNDLE}">' in html and "cdn." not in html and '<script src="http' not in html
        )
        pdf = pypdf.PdfReader(folder / "port-2304.pdf")
        assert len(pdf.pages) >= 2
        assert [round(float(x)) for x in pdf.pages[0].mediabox[2:]] == list(size)
        first = pdf.pages[0].extract_text()
        assert "Laredo (2304)" in first and ("1,500" in first if lang == "en" else "+25,0 %" in first)
        assert ("HLED scorecard" if lang == "en" else "Tablero del DEAN") in pdf.pages[1].extract_text()
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
    assert len(re.findall(r"<script", html)) == 3  # the bundle, the chart's data, the call: none from data
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
            "This warehouse is the first refresh: there is no earlier one to compare with. "
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
