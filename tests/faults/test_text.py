"""Hostile text: a port name built to break out of the HTML it is written into stays text in every
HTML file the charts step writes, as headless Chromium shows."""

from __future__ import annotations

import duckdb

from tests.browser import open_page, requires_chromium
from tests.conftest import Reply
from tests.faults.conftest import CROSSINGS_PATH, GOOD, Home, hled, hled_refresh
from tests.faults.matrix import BY_ID
from tests.handmade import build_handmade

PAYLOAD = "</script><script>document.title='pwned'</script><!--"


@requires_chromium
def test_a_hostile_port_name_stays_text_in_the_page_and_each_chart(hled_home, tmp_path) -> None:
    case = BY_ID["hostile_text"]
    warehouse = build_handmade(hled_home / "warehouse.duckdb")
    con = duckdb.connect(str(warehouse))
    try:
        marts = con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'marts' "
            "AND column_name IN ('port_name', 'port_label')"
        ).fetchall()
        for table, column in marts:
            con.execute(
                f"UPDATE marts.{table} SET {column} = ? || {column} WHERE port_code = '2304'", [PAYLOAD]
            )
    finally:
        con.close()
    assert len(marts) >= 5
    outcome = hled("charts", "--lang", "en")
    assert outcome.exit == case.exit, outcome.stderr[-2000:]
    folder = hled_home / "exports" / "en"
    index = folder / "index.html"
    for html in sorted(folder.glob("*.html")):
        text = html.read_text()
        assert "</script><script>document.title" not in text, f"{html.name} carries the payload as markup"
    page = open_page(index, tmp_path)
    assert "pwned" not in page.dom.split("</title>")[0], "a script from the data ran"
    assert page.status()["errors"] == "0" and int(page.status()["rendered"]) == len(page.chart_boxes())
    assert "document.title='pwned'" in page.dom, "the name is shown as text"
    top = open_page(folder / "top_ports.html", tmp_path)
    assert "pwned" not in top.dom.split("</title>")[0] and 'class="marks"' in top.dom


@requires_chromium
def test_a_hostile_value_that_fails_validation_stays_text_in_the_data_docs(
    crossings_home: Home, tmp_path
) -> None:
    case = BY_ID["hostile_text_data_docs"]
    body = GOOD.replace(b"2304,US-Mexico Border,Jan 2020", b"2304," + PAYLOAD.encode() + b",Jan 2020", 1)
    assert body != GOOD
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, body))
    outcome = hled_refresh()
    crossings_home.check(case, outcome, "bts_crossings", "on border")
    docs = crossings_home.path / "reports" / "data_docs"
    shown_value = "&lt;/script&gt;&lt;script&gt;document.title"
    (page,) = [p for p in docs.glob("validations/**/*.html") if shown_value in p.read_text()]
    assert "</script><script>document.title" not in page.read_text(), "the value is written as markup"
    shown = open_page(page, tmp_path)
    assert "pwned" not in shown.dom.split("</title>")[0], "a script from the data ran"
    assert "document.title='pwned'" in shown.dom, "the failing value is shown as text"
