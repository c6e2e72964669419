"""Hostile text: a port name built to break out of the HTML it is written into stays text in every
HTML file the charts step writes, as headless Chromium shows."""

from __future__ import annotations

import csv
import io

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
    marts = _named_columns(warehouse, ("port_name", "port_label"))
    con = duckdb.connect(str(warehouse))
    try:
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


CONTROL = "Laredo\x1b[31m\x01"


def _named_columns(warehouse, columns: tuple[str, ...]) -> list[tuple[str, str]]:
    """(table, column) of every mart column among `columns`."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'marts' "
            "AND column_name IN (SELECT unnest(?))",
            [list(columns)],
        ).fetchall()
    finally:
        con.close()


def _set_names(warehouse, names: dict[str, str]) -> None:
    """Every mart's names of the given ports and of their single-port groups replaced (the published
    warehouse changed in place)."""
    named = _named_columns(warehouse, ("port_name", "port_label", "port_group_name", "port_group_label"))
    con = duckdb.connect(str(warehouse))
    try:
        for code, name in names.items():
            for table, column in named:
                key = "port_group" if column.startswith("port_group") else "port_code"
                con.execute(f"UPDATE marts.{table} SET {column} = ? WHERE {key} = ?", [name, code])
    finally:
        con.close()


def test_control_characters_from_the_data_are_shown_never_sent(hled_home) -> None:
    case = BY_ID["control_characters"]
    warehouse = build_handmade(hled_home / "warehouse.duckdb")
    _set_names(warehouse, {"2304": CONTROL})
    charts = hled("charts", "--lang", "en")
    assert charts.exit == case.exit, charts.stderr[-2000:]
    folder = hled_home / "exports" / "en"
    svg = (folder / "top_ports.svg").read_text()
    assert "Laredo\ufffd[31m\ufffd" in svg and "\x1b" not in svg
    assert all(p.stat().st_size > 1000 for p in folder.glob("*.png"))
    brief = hled("brief", "--lang", "en", "--port", "2304")
    assert brief.exit == 0, brief.stderr[-2000:]
    html = (hled_home / "exports" / "en" / "brief" / "port-2304.html").read_text()
    assert "\x1b" not in html and "\x01" not in html
    sql = hled("sql", "SELECT port_name FROM marts.port WHERE port_code = '2304'")
    assert sql.exit == 0 and "Laredo\ufffd[31m\ufffd" in sql.stdout and "\x1b" not in sql.stdout
    as_csv = hled("sql", "--csv", "SELECT port_name FROM marts.port WHERE port_code = '2304'")
    assert as_csv.stdout.splitlines() == ["port_name", "Laredo\ufffd[31m\ufffd"]


FORMULAS = ('=HYPERLINK("http://example.invalid","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)")


def _csv_column(path, column: str) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [row[column] for row in csv.DictReader(fh)]


def test_csv_cells_a_spreadsheet_would_run_are_written_as_text(hled_home, tmp_path, monkeypatch) -> None:
    case = BY_ID["csv_formulas"]
    warehouse = build_handmade(hled_home / "warehouse.duckdb")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        codes = [c for (c,) in con.execute("SELECT port_code FROM marts.port ORDER BY 1 LIMIT 4").fetchall()]
    finally:
        con.close()
    _set_names(warehouse, dict(zip(codes, FORMULAS, strict=True)))
    outcome = hled("export", "csv", str(tmp_path / "csv"))
    assert outcome.exit == case.exit, outcome.stderr[-2000:]
    names = _csv_column(tmp_path / "csv" / "marts.port.csv", "port_name")
    assert {f"'{f}" for f in FORMULAS} <= set(names) and not set(FORMULAS) & set(names)
    # a negative number is a number, not a formula: numeric columns are written as they are
    changes = (tmp_path / "csv" / "marts.border_month.csv").read_text(encoding="utf-8-sig")
    assert ",-" in changes and ",'-" not in changes
    sql = f"SELECT port_name FROM marts.port WHERE port_code IN ({', '.join(repr(c) for c in codes)})"
    shown = list(csv.reader(io.StringIO(hled("sql", "--csv", sql).stdout)))[1:]
    assert sorted(r[0] for r in shown) == sorted(f"'{f}" for f in FORMULAS)
    monkeypatch.setenv("HLED_CSV_RAW", "1")
    raw = list(csv.reader(io.StringIO(hled("sql", "--csv", sql).stdout)))[1:]
    assert sorted(r[0] for r in raw) == sorted(FORMULAS)
    assert hled("export", "csv", str(tmp_path / "raw")).exit == 0
    assert set(FORMULAS) <= set(_csv_column(tmp_path / "raw" / "marts.port.csv", "port_name"))


MARKDOWN = "![x](http://127.0.0.1:9/p.png) [y](javascript:alert(1)) <img src=x onerror=alert(1)>"


def test_markdown_from_the_data_in_the_run_summary_is_shown_as_text(crossings_home: Home) -> None:
    from markdown_it import MarkdownIt
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    case = BY_ID["markdown_in_summary"]
    body = GOOD.replace(b"2304,US-Mexico Border,Jan 2020", b"2304," + MARKDOWN.encode() + b",Jan 2020", 1)
    assert body != GOOD
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, body))
    outcome = hled_refresh()
    crossings_home.check(case, outcome, "bts_crossings")
    with get_client(sync_client=True) as client:
        (artifact,) = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["refresh-summary"])),
            sort=ArtifactSort.CREATED_DESC,
            limit=1,
        )
    html = MarkdownIt("commonmark").render(artifact.data)
    assert "127.0.0.1:9" in html and "javascript:alert" in html, "the value is shown"
    assert "<img" not in html and "<a " not in html, html


def test_log_messages_show_control_characters_from_the_data(caplog) -> None:
    """Every command that runs a flow installs it (flows.cli.common.prefect_env): a logged name with an
    ESC sequence reaches no handler as codes."""
    import logging

    from flows.logs import visible_log_text

    visible_log_text()
    with caplog.at_level(logging.INFO, logger="hled"):
        logging.getLogger("hled").info("rejected row of %s", CONTROL)
    assert caplog.messages == ["rejected row of Laredo\ufffd[31m\ufffd"]
