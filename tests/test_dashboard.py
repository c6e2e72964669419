"""The chart suite and the dashboard page on the hand-made warehouse: every chart in four formats in
Spanish, footers read from the warehouse, and the page drawn by a real headless Chromium."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from dashboards.charts import CHARTS
from dashboards.export import FORMATS, export_charts
from tests.browser import open_page, png_size, requires_chromium
from tests.handmade import build_handmade
from warehouse.db import connect, run


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = tmp_path_factory.mktemp("dashboard")
    warehouse = build_handmade(root / "warehouse.duckdb", with_census=True)  # every source: every chart
    report = export_charts(warehouse, root / "exports", "es")
    return root, report


def test_every_chart_is_written_in_four_formats_with_spanish_labels(exported) -> None:
    root, report = exported
    folder = root / "exports" / "es"
    assert report.failed == {} and report.skipped == {}
    assert sorted(p.name for p in report.written) == sorted(f"{c}.{f}" for c in CHARTS for f in FORMATS)
    assert report.page == folder / "index.html"
    scorecard = (folder / "scorecard.svg").read_text()
    assert "Tablero del DEAN" in scorecard and "Cambio vs. 2021" in scorecard
    # the footer is read from marts.data_vintage: the hand-made data ends in December 2022
    assert "Datos hasta dic 2022" in (folder / "border_trucks.svg").read_text()
    spec = json.loads((folder / "top_ports.json").read_text())
    # Mexico's number formats (es_MX): 1,234.5, not Spain's 1 234,5
    assert spec["config"]["locale"]["number"]["decimal"] == "."
    assert spec["config"]["locale"]["number"]["thousands"] == ","
    html = (folder / "people_flows.html").read_text()
    assert "cdn.jsdelivr" not in html and '<script src="http' not in html
    # every HTML file of the folder shares one copy of Vega instead of inlining its own (~1 MB each)
    assert '<script src="vega-bundle.js"></script>' in html and len(html) < 200_000
    assert (folder / "vega-bundle.js").stat().st_size > 500_000
    assert '<script src="vega-bundle.js"></script>' in (folder / "index.html").read_text()
    for name in CHARTS:
        width, height = png_size(folder / f"{name}.png")
        # PNGs are drawn at 2x: the chart itself fits a 1280x720 slide with its title and footer
        assert 2 * 900 <= width <= 2 * 1280 and height <= 2 * 720, f"{name}.png is {width}x{height}"


def test_the_products_named_exactly_are_drawn_with_their_chapter(exported) -> None:
    """Laredo in 2022: 8541 + 8542 at 300,000 a month (US$3.6 M), 21.4 % of chapter 85 (1.4 M a month);
    medicines (3004) 480,000, 40 % of chapter 30; medical devices (9018) 240,000, chapter 90 not asked."""
    root, _ = exported
    spec = json.loads((root / "exports" / "es" / "hled_products_by_port.json").read_text())
    (values,) = [rows for rows in spec["datasets"].values() if rows and "product" in rows[0]]
    rows = {
        r["product"]: (round(r["value_m"], 2), r["chapter"], r["share_pct"] and round(r["share_pct"], 1))
        for r in values
    }
    assert rows == {
        "Circuitos integrados y dispositivos semiconductores (SA 8541–8542)": (3.6, "85", 21.4),
        "Medicamentos dosificados (SA 3004)": (0.48, "30", 40.0),
        "Dispositivos médicos (SA 9018–9022)": (0.24, "90", None),
    }
    assert (
        "Productos del DEAN con México por puerto"
        in (root / "exports" / "es" / "hled_products_by_port.svg").read_text()
    )


def test_scorecard_values_follow_the_warehouse(exported) -> None:
    root, _ = exported
    svg = (root / "exports" / "es" / "scorecard.svg").read_text()
    # inbound trucks: 18,000 (2019), 20,400 (2021), 24,000 (2022), +17.65 % against 2021 (es_MX)
    for cell in ("18,000", "20,400", "24,000"):
        assert cell in svg, cell
    assert re.search(r">\+17\.[67] %<", svg)
    assert ">camiones<" in svg and "% de contenedores" in svg  # units in Spanish too
    # a long name wraps onto a second line in its column instead of being cut ("Valor comerciado en camión
    # por camión de entr…" before)
    assert "…" not in svg and "Valor comerciado en camión por camión de" in svg and ">entrada<" in svg


def test_port_and_border_options(exported) -> None:
    root, _ = exported
    report = export_charts(root / "warehouse.duckdb", root / "exports", "en", port="2304")
    # only the charts a port changes are written for it, named for it
    per_port = sorted(f"{name}_2304" for name, chart in CHARTS.items() if chart.per_port)
    assert sorted({p.stem for p in report.written}) == per_port and report.failed == {}
    assert "Laredo (2304)" in (root / "exports" / "en" / "people_flows_2304.svg").read_text()
    assert "Inbound trucks: Laredo" in (root / "exports" / "en" / "border_trucks_2304.svg").read_text()
    report = export_charts(
        root / "warehouse.duckdb", root / "exports", "en", border="US-Canada", only=["top_ports"]
    )
    svg = (root / "exports" / "en" / "top_ports_US-Canada.svg").read_text()
    assert "Buffalo (0901)" in svg and "Laredo" not in svg
    with pytest.raises(ValueError, match="port '9999' is not in core.dim_port"):
        export_charts(root / "warehouse.duckdb", root / "exports", "en", port="9999")
    with pytest.raises(ValueError, match="unknown chart"):
        export_charts(root / "warehouse.duckdb", root / "exports", "en", only=["pie"])


def test_charts_read_the_marts_only(exported, tmp_path) -> None:
    """Every chart draws from a copy of the warehouse whose core schema is gone: the charts, the port
    check and the page read marts.* only (labels, port groups and the rules on which rows count)."""
    root, _ = exported
    copy = tmp_path / "marts_only.duckdb"
    shutil.copyfile(root / "warehouse.duckdb", copy)
    con = connect(copy)
    run(con, "DROP SCHEMA core CASCADE")
    try:
        for spec in CHARTS.values():
            spec.builder(con, lang="en")
            if spec.per_port:  # Laredo has data for every per-port chart
                spec.builder(con, lang="es", port="2304")
    finally:
        con.close()
    report = export_charts(copy, tmp_path / "exports", "en", port="2304", only=["top_ports", "truck_idle"])
    assert report.failed == {} and len(report.written) == 2 * len(FORMATS)


@requires_chromium
def test_dashboard_page_draws_every_chart_in_headless_chromium(exported, tmp_path) -> None:
    root, _ = exported
    page = root / "exports" / "es" / "index.html"
    shot = tmp_path / "dashboard.png"
    rendered = open_page(page, tmp_path, screenshot=shot)
    boxes = rendered.chart_boxes()
    assert sorted(boxes) == sorted(CHARTS)
    for name, box in boxes.items():
        assert 'class="marks"' in box and "<path" in box, f"chart {name} did not draw"
    assert rendered.status() == {"rendered": str(len(CHARTS)), "port": "", "errors": "0"}
    assert not [line for line in rendered.console if "rror" in line], rendered.console
    # kept under the test's temporary directory; a blank page would compress to a few kilobytes
    assert shot.stat().st_size > 150_000 and png_size(shot) == (1280, 9000)

    by_port = open_page(page, tmp_path, fragment="port=2304")
    status = by_port.status()
    assert status["port"] == "2304" and status["errors"] == "0"
    assert int(status["rendered"]) == len(CHARTS)  # Laredo has data for every per-port chart
    assert "Laredo (2304)" in by_port.chart_boxes()["people_flows"]
    # the download links follow the port: made from the charts as drawn, named for the port
    links = dict(re.findall(r'<div class="files" id="files-(\w+)">(.*?)</div>', by_port.dom))
    for name in ("border_trucks", "people_flows"):
        made = re.findall(r'<a href="([^"]+)" download="([^"]+)">', links[name])
        assert [d for _, d in made] == [f"{name}_2304.png", f"{name}_2304.svg", f"{name}_2304.json"]
        assert made[0][0].startswith("data:image/png;base64,") and len(made[0][0]) > 10_000
        assert made[2][0].startswith("blob:")
    assert '<a href="truck_idle.png">PNG</a>' in links["truck_idle"], "one view for every port"
    assert '<a href="border_trucks.png">PNG</a>' in rendered.dom, "the border view links the exported files"
    # the monthly brief: both borders always, the selected port's own beside them
    brief = re.search(r'<p id="brief">(.*?)</p>', rendered.dom).group(1)
    assert 'href="brief/US-Mexico.pdf"' in brief and 'href="brief/US-Canada.html"' in brief
    assert "brief/port-" not in brief
    port_brief = re.search(r'<p id="brief">(.*?)</p>', by_port.dom).group(1)
    assert (
        'Laredo (2304) (<a href="brief/port-2304.html">HTML</a>, <a href="brief/port-2304.pdf">PDF</a>)'
        in port_brief
    )


def test_each_border_has_one_colour_in_every_chart_and_no_port_legend_without_a_port(exported) -> None:
    root, _ = exported
    folder = root / "exports" / "es"

    def scales(name: str) -> dict[str, str]:
        found = {}
        for domain, colours in re.findall(
            r'"scale": \{"domain": (\[[^\]]*\]), "range": (\[[^\]]*\])', (folder / f"{name}.json").read_text()
        ):
            found.update(dict(zip(json.loads(domain), json.loads(colours), strict=False)))
        return found

    for name in ("border_trucks", "top_ports"):
        colours = scales(name)
        assert colours["México–EE. UU."] == "#0072B2" and colours["Canadá–EE. UU."] == "#E69F00", name
    assert "Puerto elegido" not in (folder / "top_ports.json").read_text()  # no port chosen, no legend entry
    # the change on a year before is written on the bars: Laredo 14,400 -> 18,000 trucks, +25 %
    assert "+25.0 %" in (folder / "top_ports.svg").read_text()


def test_a_gap_in_the_lines_is_named_in_the_footer() -> None:
    from datetime import date

    import polars as pl

    from dashboards.theme import gap_note

    months = [date(2020, m, 1) for m in range(9, 13)] + [date(2021, 1, 1), date(2024, 3, 1), date(2024, 4, 1)]
    two_series = pl.DataFrame(
        {
            "month": months * 2,
            "series": ["a"] * 7 + ["b"] * 7,
            "v": [1, None, None, None, 2, None, 3] + [1, None, None, None, 2, None, None],
        }
    )
    assert gap_note(two_series, "v", "es") == [
        "Sin datos publicados para oct–dic 2020, mar 2024: los huecos de las líneas (meses que no "
        "contienen los archivos de la fuente)."
    ]
    across_years = pl.DataFrame(
        {"month": [date(2020, 11, 1), date(2020, 12, 1), date(2021, 1, 1)], "v": [1, None, None]}
    )
    assert gap_note(across_years, "v", "en")[0].startswith("No data published for Dec 2020–Jan 2021:")
    assert gap_note(two_series.filter(pl.col("v").is_not_null()), "v", "en") == []
