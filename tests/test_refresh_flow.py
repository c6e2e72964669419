"""The real `refresh` flow (Prefect test server, GX, DuckDB) on hand-made fixtures served over HTTP."""

from __future__ import annotations

import os
import re
import subprocess
import time
from datetime import date

import duckdb
import pytest

from expectations.runner import ValidationFailed
from flows.ingest.fetch import NotDataError
from flows.refresh import refresh
from tests.checksums import data_checksums
from tests.conftest import FIXTURES, Reply, sha256
from transforms.errors import ParseError, SchemaDriftError

GOOD = (FIXTURES / "crossings_current.csv").read_bytes()
PATH = "/api/views/keg4-3bc2/rows.csv"


@pytest.fixture
def served(publisher, hled_home, monkeypatch):
    monkeypatch.setenv("HLED_URL_BTS_CROSSINGS", publisher.url(PATH))
    # the fixture's 1 conflicting duplicate in 18 rows is over the default 1% reject budget
    monkeypatch.setenv("HLED_MAX_REJECT_SHARE", "0.1")
    return publisher


def query(home, sql, params=None):
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_refresh_builds_a_documented_warehouse_and_charts(prefect_server, served, hled_home) -> None:
    served.queue(PATH, Reply(200, GOOD, {"ETag": '"a"'}))
    summary = refresh()
    assert summary.status == "published"
    assert summary.rows == {"bts_crossings": 16}
    assert summary.rejects == {"bts_crossings": 2}

    assert query(hled_home, "SELECT count(*), sum(value) FROM core.fact_crossings") == [(16, 20607)]
    assert query(hled_home, "SELECT port_code, port_name, border FROM core.dim_port ORDER BY 1") == [
        ("0104", "Jackman", "US-Canada"),
        ("2304", "Laredo", "US-Mexico"),
        ("2506", "Otay Mesa", "US-Mexico"),
    ]
    laredo = query(
        hled_home,
        """SELECT month, value, value_prev_year, yoy_change, yoy_pct, t12m_total, t12m_months, index_2019
           FROM marts.port_month WHERE port_code = '2304' AND measure = 'trucks' ORDER BY month""",
    )
    assert laredo == [
        (date(2019, 1, 1), 100, None, None, None, 100, 1, 100.0),
        (date(2019, 2, 1), 110, None, None, None, 210, 2, 100.0),
        (date(2020, 1, 1), 120, 100, 20, 20.0, 230, 2, 120.0),
        (date(2020, 2, 1), 99, 110, -11, -10.0, 219, 2, 90.0),
    ]
    border = query(
        hled_home,
        """SELECT month, value, ports_reporting, index_2019 FROM marts.border_month
           WHERE border = 'US-Mexico' AND measure = 'trucks' ORDER BY month""",
    )
    assert border == [
        (date(2019, 1, 1), 160, 2, 100.0),
        (date(2019, 2, 1), 175, 2, 100.0),
        (date(2020, 1, 1), 170, 2, 106.25),
        (date(2020, 2, 1), 169, 2, 96.57),
    ]
    assert query(hled_home, "SELECT count(*), min(month), max(month) FROM core.dim_month") == [
        (14, date(2019, 1, 1), date(2020, 2, 1))
    ]
    missing = query(
        hled_home,
        "SELECT table_name, column_name FROM duckdb_columns() "
        "WHERE schema_name IN ('core','marts','meta') AND comment IS NULL",
    )
    assert missing == []
    assert query(hled_home, "SELECT rule, line FROM meta.rejects ORDER BY line") == [
        ("duplicate_conflict", 12),
        ("duplicate_exact", 15),
    ]
    files = query(
        hled_home, "SELECT source, sha256, etag, rows_read, rows_loaded, rows_rejected FROM meta.source_files"
    )
    assert files == [("bts_crossings", sha256(FIXTURES / "crossings_current.csv"), '"a"', 18, 16, 2)]
    assert query(hled_home, "SELECT count(*), bool_and(success) FROM meta.validations") == [(13, True)]
    assert query(hled_home, "SELECT status FROM meta.runs") == [("published",)]

    for lang in ("en", "es"):
        folder = hled_home / "exports" / lang
        assert (folder / ".complete").exists()  # the marker an unchanged night checks
        names = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
        # with only the crossings loaded: the crossings charts in four formats, the dashboard page, the
        # script they share and the monthly brief's folder
        charts = sorted({n.split(".")[0] for n in names} - {"index", "vega-bundle", "brief"})
        assert charts == [
            "border_trucks",
            "people_flows",
            "port_concentration",
            "recovery_heatmap",
            "scorecard",
            "top_ports",
            "us_mexico_trucks",
        ]
        files = [f"{c}.{ext}" for c in charts for ext in ("html", "json", "png", "svg")]
        assert names == sorted([*files, "index.html", "vega-bundle.js", "brief"])
        html = (folder / "us_mexico_trucks.html").read_text()
        assert "cdn.jsdelivr" not in html and '<script src="http' not in html
        assert (folder / "us_mexico_trucks.png").read_bytes()[:4] == b"\x89PNG"
    assert "Fuente: BTS" not in (hled_home / "exports" / "en" / "us_mexico_trucks.svg").read_text()
    assert "Datos hasta feb 2020" in (hled_home / "exports" / "es" / "us_mexico_trucks.svg").read_text()
    assert (hled_home / "reports" / "data_docs" / "index.html").exists()


def test_unchanged_upstream_publishes_nothing_and_is_logged(
    prefect_server, served, hled_home, monkeypatch
) -> None:
    monkeypatch.setenv("HLED_CHARTS", "0")
    served.queue(PATH, Reply(200, GOOD, {"ETag": '"a"'}), Reply(304), Reply(304))
    assert refresh().status == "published"
    before = sha256(hled_home / "warehouse.duckdb")
    summary = refresh()
    assert summary.status == "unchanged"
    assert summary.fetches == {"bts_crossings": "not_modified"}
    assert sha256(hled_home / "warehouse.duckdb") == before
    assert served.requests[-1]["headers"]["If-None-Match"] == '"a"'
    assert refresh(force=True).status == "published"
    statuses = query(hled_home, "SELECT status FROM meta.runs ORDER BY started_at")
    assert statuses == [("published",), ("unchanged",), ("published",)]
    assert len(list((hled_home / "snapshots").glob("warehouse-*.duckdb"))) == 1


def test_500_then_200_is_retried(prefect_server, served, hled_home, monkeypatch) -> None:
    monkeypatch.setenv("HLED_CHARTS", "0")
    served.queue(PATH, Reply(500), Reply(502), Reply(200, GOOD))
    assert refresh().status == "published"
    # each refresh asks Socrata's metadata first (not served here: the download goes ahead)
    assert [r["path"] for r in served.requests if r["path"] == PATH] == [PATH] * 3


NEGATIVE = GOOD.replace(b"Jan 2020,Trucks,120", b"Jan 2020,Trucks,-120")
RENAMED = GOOD.replace(b"Measure,Value", b"Measure,Count", 1)
CUT = GOOD[: GOOD.rindex(b"Jackman") + 40]
HTML = b"<html><head><title>Error</title></head><body>Service unavailable</body></html>\n"


@pytest.mark.parametrize(
    ("body", "error", "rules"),
    [
        (CUT, ParseError, ["file_complete", "line 19"]),
        (HTML, NotDataError, ["rule: is_csv", "quarantine"]),
        (RENAMED, SchemaDriftError, ["missing columns ['Value']", "unexpected columns ['Count']"]),
        (
            NEGATIVE,
            ValidationFailed,
            [
                "expect_column_values_to_be_between(min_value=0.0) on value",
                "1 rows at lines 4",
                "observed [-120]",
            ],
        ),
    ],
    ids=["truncated", "html", "renamed-column", "negative-value"],
)
def test_bad_input_marks_the_source_stale_and_keeps_its_published_data(
    prefect_server, served, hled_home, monkeypatch, body, error, rules
) -> None:
    monkeypatch.setenv("HLED_CHARTS", "0")
    served.queue(PATH, Reply(200, GOOD), Reply(200, body))
    assert refresh().status == "published"
    warehouse = hled_home / "warehouse.duckdb"
    before = data_checksums(warehouse)
    summary = refresh()
    assert summary.status == "published" and summary.exit_code == 3
    failure = summary.stale["bts_crossings"]
    assert failure.error == error.__name__
    assert "bts_crossings" in failure.message
    for rule in rules:
        assert rule in failure.message
    assert data_checksums(warehouse) == before, "nothing of the bad file is published"
    assert query(hled_home, "SELECT count(*) FROM core.fact_crossings") == [(16,)]
    assert query(hled_home, "SELECT state, reason FROM meta.source_status") == [("stale", failure.message)]
    kept = [p.read_bytes() for p in (hled_home / "raw" / "bts_crossings").rglob("*.csv")]
    assert body in kept, "the bad download is kept for inspection"
    log = (hled_home / "runs.jsonl").read_text().splitlines()
    assert '"status": "published"' in log[-1] and "stale: bts_crossings" in log[-1]


def test_unreachable_publisher_names_url_and_mirror(prefect_server, served, hled_home, monkeypatch) -> None:
    monkeypatch.setenv("HLED_CHARTS", "0")
    served.queue(PATH, Reply(200, GOOD))
    assert refresh().status == "published"
    before = data_checksums(hled_home / "warehouse.duckdb")
    monkeypatch.setenv("HLED_URL_BTS_CROSSINGS", "http://127.0.0.1:9/rows.csv")
    monkeypatch.setenv("HLED_HTTP_RETRIES", "1")
    failure = refresh().stale["bts_crossings"]
    assert failure.error == "TransientFetchError"
    assert re.search(r"cannot reach http://127.0.0.1:9/rows.csv.*HLED_MIRROR", failure.message)
    assert (failure.stage, failure.rule, failure.file) == (
        "fetch",
        "reachable",
        "http://127.0.0.1:9/rows.csv",
    )
    assert data_checksums(hled_home / "warehouse.duckdb") == before


def test_a_first_run_whose_only_source_fails_publishes_nothing(
    prefect_server, served, hled_home, monkeypatch
) -> None:
    monkeypatch.setenv("HLED_CHARTS", "0")
    served.queue(PATH, Reply(200, CUT))
    summary = refresh()
    assert (summary.status, summary.exit_code) == ("unchanged", 3)
    assert summary.stale["bts_crossings"].rule == "file_complete"
    assert not (hled_home / "warehouse.duckdb").exists(), "an empty warehouse is not published"
    log = (hled_home / "runs.jsonl").read_text().splitlines()
    assert "nothing to publish; stale: bts_crossings (file_complete)" in log[-1]


def test_a_file_that_failed_is_not_revalidated_by_its_etag(
    prefect_server, served, hled_home, monkeypatch
) -> None:
    monkeypatch.setenv("HLED_CHARTS", "0")
    served.queue(
        PATH,
        Reply(200, GOOD, {"ETag": '"good"'}),
        Reply(200, CUT, {"ETag": '"cut"'}),
        Reply(200, GOOD, {"ETag": '"good"'}),
    )
    assert refresh().status == "published"
    assert refresh().stale["bts_crossings"].rule == "file_complete"
    recovered = refresh()
    assert recovered.status == "published" and not recovered.stale, "a recovered source is published again"
    assert served.requests[-1]["headers"]["If-None-Match"] == '"good"'
    assert query(hled_home, "SELECT state, stage FROM meta.source_status") == [("current", None)]


def test_reused_parse_still_obeys_the_reject_budget(prefect_server, served, hled_home, monkeypatch) -> None:
    monkeypatch.setenv("HLED_CHARTS", "0")
    served.queue(PATH, Reply(200, GOOD))
    assert refresh().status == "published"
    monkeypatch.setenv("HLED_MAX_REJECT_SHARE", "0.01")
    failure = refresh(force=True).stale["bts_crossings"]
    assert failure.error == "ParseError"
    assert re.search(r"1 of 18 rows rejected.*rule: reject_share", failure.message)


def test_second_refresh_at_once_is_refused_and_leftovers_are_cleaned(
    prefect_server, served, hled_home, monkeypatch
) -> None:
    from flows.runlog import RefreshBusy, refresh_lock

    monkeypatch.setenv("HLED_CHARTS", "0")
    served.queue(PATH, Reply(200, GOOD))
    with refresh_lock(hled_home), pytest.raises(RefreshBusy, match="another refresh is running"):
        refresh()
    dead = subprocess.Popen(["true"])
    dead.wait()  # a process that has ended: what it left is a leftover
    folder = hled_home / "raw" / "cbp_wait_times"
    folder.mkdir(parents=True, exist_ok=True)
    leftover = folder / f".partial-{dead.pid}-killed"
    leftover.write_bytes(b"half a download")
    writing = folder / f".partial-{os.getppid()}-import-x"  # a live process (this one's parent) writes it
    writing.write_bytes(b"being written")
    old = folder / ".partial-from-an-older-version"
    old.write_bytes(b"no pid in the name")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    assert refresh().status == "published"
    assert not leftover.exists() and not old.exists()
    assert writing.read_bytes() == b"being written", "a file another process is writing is left alone"
    statuses = [
        line.split('"status": "')[1].split('"')[0]
        for line in (hled_home / "runs.jsonl").read_text().splitlines()
    ]
    assert statuses == ["running", "published"]


def test_unchanged_night_restores_missing_charts(prefect_server, served, hled_home, monkeypatch) -> None:
    monkeypatch.setenv("HLED_CHARTS", "0")
    served.queue(PATH, Reply(200, GOOD, {"ETag": '"a"'}), Reply(304))
    assert refresh().status == "published"
    assert not (hled_home / "exports").exists()
    monkeypatch.setenv("HLED_CHARTS", "1")
    summary = refresh()
    assert summary.status == "unchanged"
    # seven crossings charts in four formats, and the briefs (both borders and the two ports of the
    # served file) as HTML and PDF, in two languages
    assert summary.charts_written == (7 * 4 + 4 * 2) * 2
    assert (hled_home / "exports" / "es" / "us_mexico_trucks.png").exists()
    assert sorted(p.name for p in (hled_home / "exports" / "es" / "brief").glob("*.pdf"))[:2] == [
        "US-Canada.pdf",
        "US-Mexico.pdf",
    ]
