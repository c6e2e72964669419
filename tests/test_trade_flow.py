"""TransBorder through the real refresh flow: mirror and ZIP-over-HTTP collection, facts at their
grain, marts, coverage gaps, incremental parsing and the cross-table rule."""

from __future__ import annotations

import re
import shutil
from datetime import date

import duckdb
import pytest

import flows.ingest.fetch
from flows.outcome import SourceFailure
from flows.refresh import refresh
from tests.conftest import FIXTURES, Reply, make_mirror, make_zip, sha256

TRADE = FIXTURES / "transborder"


@pytest.fixture
def mirror(tmp_path, hled_home, monkeypatch):
    root = make_mirror(tmp_path / "mirror", FIXTURES / "crossings_current.csv")
    shutil.copytree(TRADE, root / "transborder")
    (root / "transborder" / "2020" / "dot3_0220.csv").unlink(missing_ok=True)
    monkeypatch.setenv("HLED_MIRROR", str(root))
    monkeypatch.setenv("HLED_SOURCES", "bts_crossings,transborder")
    monkeypatch.setenv("HLED_MAX_REJECT_SHARE", "0.1")
    monkeypatch.setenv("HLED_CHARTS", "0")
    return root


def _trade_failed(home, pattern: str, alone: bool = False) -> SourceFailure:
    """A refresh in which TransBorder fails on its first load, and the run reports why. With other
    sources, they are published and TransBorder is `missing` (nothing of it was ever published);
    `alone` (the only source), nothing is published at all."""
    summary = refresh()
    assert summary.exit_code == 3
    failure = summary.stale["transborder"]
    assert re.search(pattern, failure.message), failure.message
    if alone:
        assert summary.status == "unchanged" and not (home / "warehouse.duckdb").exists()
        return failure
    assert summary.status == "published"
    assert q(home, "SELECT count(*) FROM core.fact_trade_port") == [(0,)]
    status = dict(q(home, "SELECT source, state FROM meta.source_status"))
    assert status.pop("transborder") == "missing"
    assert set(status.values()) == {"current"}, "the other sources are published"
    assert q(home, "SELECT count(*) > 0 FROM core.fact_crossings") == [(True,)]
    return failure


def q(home, sql):
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_trade_facts_marts_and_coverage(prefect_server, mirror, hled_home) -> None:
    summary = refresh()
    assert summary.status == "published"
    assert summary.rows == {"bts_crossings": 16, "transborder": 20}
    assert summary.coverage_gaps == ["transborder dot3 2020-02"]
    assert q(hled_home, "SELECT count(*) FROM core.fact_trade_port") == [(8,)]
    assert q(hled_home, "SELECT count(*) FROM core.fact_trade_state_commodity") == [(8,)]
    assert q(hled_home, "SELECT count(*) FROM core.fact_trade_port_commodity") == [(4,)]
    totals = q(
        hled_home,
        """
        SELECT 'dot1', sum(value_usd) FROM core.fact_trade_port
                  WHERE country = 'mexico' AND month = '2020-01-01'
        UNION ALL SELECT 'dot2', sum(value_usd) FROM core.fact_trade_state_commodity
                  WHERE country = 'mexico' AND month = '2020-01-01'
        UNION ALL SELECT 'dot3', sum(value_usd) FROM core.fact_trade_port_commodity
                  WHERE country = 'mexico' AND month = '2020-01-01' ORDER BY 1""",
    )
    assert totals == [("dot1", 4600), ("dot2", 4600), ("dot3", 4600)]
    weights = q(
        hled_home,
        """SELECT trade_type, mode, weight_kg FROM core.fact_trade_port
                              WHERE port_code = '2304' AND month = '2020-01-01' ORDER BY 1, 2""",
    )
    assert weights == [("export", "truck", None), ("import", "rail", 900), ("import", "truck", 500)]

    per_truck = q(
        hled_home,
        """SELECT export_value_usd, import_value_usd, total_value_usd, inbound_trucks,
                                       import_value_per_inbound_truck_usd, total_value_per_inbound_truck_usd
                                FROM marts.trade_value_per_truck WHERE port_code = '2304' ORDER BY month""",
    )
    assert per_truck == [(1000, 3000, 4000, 120, 25.0, 33.33), (2000, 6000, 8000, 99, 60.61, 80.81)]
    shares = q(
        hled_home,
        """SELECT mode, share_pct FROM marts.mode_share
                             WHERE country = 'mexico' AND month = '2020-01-01' ORDER BY mode""",
    )
    assert shares == [("rail", 13.043), ("truck", 86.957)]
    sectors = q(
        hled_home,
        """SELECT hled_sector, value_usd, export_value_usd, import_value_usd
                              FROM marts.priority_sector_trade WHERE port_code = '2304' ORDER BY 1""",
    )
    assert sectors == [("pharmaceuticals", 1600, 0, 1600), ("semiconductors_ict", 3000, 1000, 2000)]
    coverage = q(
        hled_home, "SELECT month, trade_table, present, month_complete FROM marts.coverage ORDER BY 1, 2"
    )
    assert coverage == [
        (date(2020, 1, 1), "dot1", True, True),
        (date(2020, 1, 1), "dot2", True, True),
        (date(2020, 1, 1), "dot3", True, True),
        (date(2020, 2, 1), "dot1", True, False),
        (date(2020, 2, 1), "dot2", True, False),
        (date(2020, 2, 1), "dot3", False, False),
    ]
    assert q(
        hled_home,
        "SELECT port_name, is_land_port, crossings_port_code FROM core.dim_port "
        "WHERE port_code IN ('2304', '3801') ORDER BY port_code",
    ) == [
        ("Laredo", True, "2304"),
        ("3801", False, None),
    ]
    assert q(
        hled_home,
        "SELECT count(*) FROM duckdb_columns() WHERE schema_name IN ('core','marts','meta') "
        "AND comment IS NULL",
    ) == [(0,)]
    from dashboards.export import export_charts

    report = export_charts(hled_home / "warehouse.duckdb", hled_home / "exports", "es")
    assert report.failed == {}
    from dashboards.charts import CHARTS
    from flows.sources import SOURCES

    # crossings and trade loaded, no wait times collected and no Census answers: every chart but the two
    # wait-time ones and the one of the products named exactly
    waits = {name for name, spec in CHARTS.items() if set(spec.marts) & set(SOURCES["cbp_wait_times"].marts)}
    assert waits == {"wait_by_hour", "truck_idle"}
    census = {"hled_products_by_port"}
    assert sorted(p.stem for p in report.written if p.suffix == ".png") == sorted(
        set(CHARTS) - waits - census
    )
    assert report.skipped == {
        **dict.fromkeys(waits, "source not loaded: cbp_wait_times"),
        "hled_products_by_port": "source not loaded: census_ports",
    }
    assert report.page == hled_home / "exports" / "es" / "index.html"
    # one GX run per table (its files are validated together): 18 + 18 + 16 expectations
    assert q(
        hled_home,
        "SELECT count(*), count(DISTINCT suite), bool_and(success) FROM meta.validations "
        "WHERE source = 'transborder'",
    ) == [(52, 3, True)]


def test_a_new_monthly_file_is_the_only_one_parsed(prefect_server, mirror, hled_home) -> None:
    refresh()
    shutil.copyfile(TRADE / "2020" / "dot3_0120.csv", mirror / "transborder" / "2020" / "dot3_0220.csv")
    (mirror / "transborder" / "2020" / "dot3_0220.csv").write_bytes(
        (TRADE / "2020" / "dot3_0120.csv")
        .read_bytes()
        .replace(b",01,2020", b",02,2020")
        .replace(b",1000,", b",2000,")
        .replace(b",2000,300,20,", b",4000,600,40,")
        .replace(b",1600,1100,16,", b",3200,2200,32,")
        .replace(b"1220,2000,400,20,", b"1220,4000,800,40,")
    )
    summary = refresh()
    assert summary.status == "published"
    assert summary.parsed == {"bts_crossings": 0, "transborder": 1}
    assert summary.coverage_gaps == []
    statuses = q(
        hled_home,
        """SELECT file_key, parse_status FROM meta.source_files
                               WHERE run_id = (SELECT run_id FROM meta.runs ORDER BY started_at DESC LIMIT 1)
                               AND parse_status = 'parsed'""",
    )
    assert statuses == [("dot3_0220", "parsed")]
    latest = "(SELECT run_id FROM meta.runs ORDER BY started_at DESC LIMIT 1)"
    validated = q(
        hled_home,
        f"SELECT DISTINCT suite FROM meta.validations WHERE source = 'transborder' AND run_id = {latest}",
    )
    assert validated == [("transborder_dot3_clean",)], "only the new file is validated again"
    assert q(hled_home, "SELECT bool_and(month_complete) FROM marts.coverage") == [(True,)]


def test_a_refresh_reads_the_fetch_manifest_once_not_once_per_file(
    prefect_server, mirror, hled_home, monkeypatch
) -> None:
    """The manifest gains a line per file each run: read per file, a year of nightly runs made the
    TransBorder fetch take a minute."""
    refresh()
    reads: list[str] = []
    records = flows.ingest.fetch._records
    monkeypatch.setattr(
        flows.ingest.fetch, "_records", lambda raw, source: reads.append(source) or records(raw, source)
    )
    assert refresh().status == "unchanged"
    files = len(list((mirror / "transborder").glob("*/dot*_*.csv")))
    assert files == 5 and reads.count("transborder") == 1


def test_tables_that_disagree_stop_the_run(prefect_server, mirror, hled_home) -> None:
    dot2 = mirror / "transborder" / "2020" / "dot2_0120.csv"
    dot2.write_bytes(dot2.read_bytes().replace(b",1600,1100,", b",1700,1100,"))
    failure = _trade_failed(hled_home, r"transborder: tables disagree.*rule: cross_table_totals")
    assert (failure.error, failure.stage, failure.rule) == (
        "ValidationFailed",
        "validate",
        "cross_table_totals",
    )


def test_monthly_zip_over_http(prefect_server, publisher, hled_home, monkeypatch, tmp_path) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(f"year,month,url\n2020,1,{publisher.url('/raw/2020/Jan2020.zip')}\n")
    monkeypatch.setenv("HLED_TRANSBORDER_MANIFEST", str(manifest))
    monkeypatch.setenv("HLED_SOURCES", "transborder")
    monkeypatch.setenv("HLED_CHARTS", "0")
    good = make_zip(
        {
            f"Jan2020/{n.upper()}": (TRADE / "2020" / n).read_bytes()
            for n in ("dot1_0120.csv", "dot2_0120.csv", "dot3_0120.csv")
        }
        | {"Jan2020/dot1_ytd_0120.csv": b"x", "README.txt": b"hello"}
    )
    publisher.queue("/raw/2020/Jan2020.zip", Reply(200, good, {"ETag": '"z1"'}), Reply(304))
    summary = refresh()
    assert summary.status == "published" and summary.rows == {"transborder": 12}
    assert q(hled_home, "SELECT file_key, trade_table FROM meta.source_files ORDER BY 1") == [
        ("dot1_0120", "dot1"),
        ("dot2_0120", "dot2"),
        ("dot3_0120", "dot3"),
    ]
    assert len(publisher.requests) == 1
    assert refresh().status == "unchanged"
    assert len(publisher.requests) == 1, "a ZIP held and checked within the recheck days is not requested"
    monkeypatch.setenv("HLED_TRANSBORDER_RECHECK_DAYS", "0")
    assert refresh().status == "unchanged"
    assert publisher.requests[-1]["headers"]["If-None-Match"] == '"z1"'
    assert publisher.requests[-1]["headers"]["User-Agent"].startswith("hled-border/")
    assert publisher.requests[-1]["headers"]["Referer"] == publisher.url("/")


def test_zip_slip_is_refused_and_nothing_escapes(
    prefect_server, publisher, hled_home, monkeypatch, tmp_path
) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(f"year,month,url\n2020,1,{publisher.url('/evil.zip')}\n")
    monkeypatch.setenv("HLED_TRANSBORDER_MANIFEST", str(manifest))
    monkeypatch.setenv("HLED_SOURCES", "transborder")
    publisher.queue(
        "/evil.zip",
        Reply(
            200,
            make_zip(
                {
                    "../../x.csv": b"a,b\n1,2\n",
                    "dot1_0120.csv": (TRADE / "2020" / "dot1_0120.csv").read_bytes(),
                }
            ),
        ),
    )
    assert _trade_failed(hled_home, r"\.\./\.\./x\.csv.*rule: zip_slip", alone=True).error == "ArchiveError"
    assert not list(tmp_path.rglob("x.csv"))
    kept = list((hled_home / "raw" / "transborder").glob("*.zip"))
    assert len(kept) == 1 and sha256(kept[0])


def test_a_bad_row_is_named_by_file_and_line(prefect_server, mirror, hled_home) -> None:
    dot1 = mirror / "transborder" / "2020" / "dot1_0220.csv"
    dot1.write_bytes(dot1.read_bytes().replace(b"2,MI,3801,5,,XO,1220", b"2,MI,3801,2,,XO,1220"))
    message = _trade_failed(hled_home, r"transborder").message
    assert "expect_column_values_to_be_in_set" in message and "on mode" in message
    assert "dot1_0220:5" in message and "observed ['2']" in message


def test_the_same_month_twice_is_refused(prefect_server, mirror, hled_home) -> None:
    plain = mirror / "transborder" / "2020" / "dot1_0120.csv"
    (plain.parent / "dot1_0120.csv.gz").write_bytes(__import__("gzip").compress(plain.read_bytes()))
    failure = _trade_failed(hled_home, r"dot1_0120 comes from two files.*rule: one_file_per_month")
    assert failure.error == "SourceError"
