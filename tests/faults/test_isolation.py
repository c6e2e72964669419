"""Isolation: one source failing does not hold the others back. Crossings over HTTP and TransBorder ZIPs
over HTTP are published first; then bts.gov refuses the crossings while TransBorder brings a revision,
two nights running, until the crossings answer again."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from dashboards.theme import footer_lines
from flows.sources import checked_settings
from flows.wait_times import import_snapshots
from tests.checksums import data_checksums
from tests.conftest import FIXTURES, Reply, sha256
from tests.faults.conftest import (
    CROSSINGS_PATH,
    GOOD,
    MONTHS,
    TRADE,
    Home,
    hled_refresh,
    make_zip,
    month_zip,
    query,
    with_baseline,
    zip_path,
)
from tests.faults.matrix import BY_ID

REVISED_CROSSINGS = GOOD.replace(b"Feb 2020,Trucks,99,", b"Feb 2020,Trucks,140,")
FIRST_ROW = b"1,TX,2304,5,NL,,2010,1000,0,10,1,X,01,2020"
FREIGHT = "SELECT sum(freight_usd) FROM core.fact_trade_port WHERE month = '2020-01-01'"
TRUCKS = (
    "SELECT value FROM core.fact_crossings "
    "WHERE port_code = '2304' AND month = '2020-02-01' AND measure = 'trucks'"
)
SINCE = "SELECT since FROM meta.source_status WHERE source = 'bts_crossings'"


def _revised_january() -> bytes:
    """January's ZIP with one dot1 row's freight revised 10 -> 17 (totals of value unchanged)."""
    members = {}
    for n in ("dot1_0120.csv", "dot2_0120.csv", "dot3_0120.csv"):
        body = (TRADE / "2020" / n).read_bytes()
        members[f"Jan2020/{n}"] = body.replace(FIRST_ROW, FIRST_ROW.replace(b",0,10,1,", b",0,17,1,"))
    return make_zip(members)


@pytest.fixture
def both(prefect_server, publisher, hled_home, monkeypatch, baselines, tmp_path_factory) -> Home:
    """Crossings and two TransBorder ZIPs over HTTP, published first (once per worker, then copied);
    then bts.gov refuses the crossings (HTTP 403) unless a test queues otherwise."""
    folder = tmp_path_factory.getbasetemp() / "both_baseline"
    manifest = folder / "manifest.csv"
    for key, value in {
        "HLED_HOME": str(folder / "home"),
        "HLED_URL_BTS_CROSSINGS": publisher.url(CROSSINGS_PATH),
        "HLED_TRANSBORDER_MANIFEST": str(manifest),
        "HLED_SOURCES": "bts_crossings,transborder",
        "HLED_MAX_REJECT_SHARE": "0.5",
        "HLED_CHARTS": "0",
        "HLED_TRANSBORDER_RECHECK_DAYS": "0",
        "HLED_HTTP_RETRIES": "1",
    }.items():
        monkeypatch.setenv(key, value)
    home = Home(folder / "home", publisher)

    def publish() -> None:
        folder.mkdir(parents=True)
        manifest.write_text(
            "year,month,url\n" + "".join(f"2020,{m},{publisher.url(zip_path(m))}\n" for m in MONTHS)
        )
        publisher.queue(CROSSINGS_PATH, Reply(200, GOOD, {"ETag": '"good"'}))
        for month in MONTHS:
            publisher.queue(zip_path(month), Reply(200, month_zip(month), {"ETag": f'"m{month}"'}))
        home.publish_baseline()
        publisher.replies.clear()

    with_baseline("both", home, baselines, folder, publish)
    for month in MONTHS:
        publisher.queue(zip_path(month), Reply(200, month_zip(month), {"ETag": f'"m{month}"'}))
    publisher.queue(CROSSINGS_PATH, Reply(403, b"Access Denied"))
    return home


def _status(home: Home) -> list[tuple]:
    return query(home.warehouse, "SELECT source, state, rule FROM meta.source_status ORDER BY 1")


def test_a_refused_source_does_not_hold_back_a_revision(both: Home) -> None:
    crossings_before = query(both.warehouse, "SELECT count(*), sum(value) FROM core.fact_crossings")
    freight_before = query(both.warehouse, FREIGHT)[0][0]
    both.publisher.replies[zip_path(1)].clear()
    both.publisher.queue(zip_path(1), Reply(200, _revised_january(), {"ETag": '"revised"'}))
    outcome = hled_refresh()
    case = BY_ID["refused_while_other_revised"]
    assert outcome.exit == case.exit, outcome.stderr[-2000:]
    assert outcome.error.startswith("stale: bts_crossings") and case.rule in outcome.error
    assert "HTTP 403" in outcome.error and CROSSINGS_PATH in outcome.error
    assert query(both.warehouse, FREIGHT) == [(freight_before + 7,)], "the revision is published"
    assert query(both.warehouse, "SELECT count(*), sum(value) FROM core.fact_crossings") == crossings_before
    assert _status(both) == [("bts_crossings", "stale", "http_ok"), ("transborder", "current", None)]
    # trade per truck: the new trade values over the kept truck counts
    assert query(
        both.warehouse, "SELECT count(*) FROM marts.trade_value_per_truck WHERE inbound_trucks IS NOT NULL"
    ) != [(0,)]
    vintage = query(
        both.warehouse, "SELECT source, status, stale_since IS NOT NULL FROM marts.data_vintage ORDER BY 1"
    )
    assert vintage == [("bts_crossings", "stale", True), ("transborder", "current", False)]
    con = duckdb.connect(str(both.warehouse), read_only=True)
    try:
        crossings_line, trade_line = footer_lines(con, ("trade_value_per_truck",), "en")
        spanish = footer_lines(con, ("port_group_month",), "es")[0]
    finally:
        con.close()
    assert "Data through Feb 2020: the last good data, as its refresh has failed since 20" in crossings_line
    assert "refreshed" in trade_line and "failed" not in trade_line
    assert "falla desde el 20" in spanish


def test_a_source_stale_two_nights_then_recovering(both: Home) -> None:
    first = hled_refresh()
    assert first.exit == BY_ID["stale_two_nights"].exit and BY_ID["stale_two_nights"].rule in first.error
    # nothing but the stale mark is new: the published file gets it, nothing is loaded or derived again
    assert "with the new stale marks only" in " ".join(first.stdout.split()), first.stdout
    since = query(both.warehouse, SINCE)
    published = sha256(both.warehouse)
    data = data_checksums(both.warehouse)
    assert data == both.data_before

    second = hled_refresh()
    assert second.exit == 3 and second.error.startswith("stale: bts_crossings")
    assert sha256(both.warehouse) == published, "nothing new: the second night publishes nothing"
    assert (
        query(both.warehouse, "SELECT since FROM meta.source_status WHERE source = 'bts_crossings'") == since
    )
    assert both.last_run()["status"] == "unchanged" and "stale: bts_crossings" in both.last_run()["message"]

    both.publisher.replies[CROSSINGS_PATH].clear()
    both.publisher.queue(CROSSINGS_PATH, Reply(200, REVISED_CROSSINGS, {"ETag": '"revised"'}))
    third = hled_refresh()
    assert third.exit == BY_ID["stale_recovers"].exit, third.stderr[-2000:]
    assert "refresh published" in third.stdout
    assert query(both.warehouse, TRUCKS) == [(140,)]
    assert _status(both) == [("bts_crossings", "current", None), ("transborder", "current", None)]
    assert query(both.warehouse, "SELECT DISTINCT status FROM marts.data_vintage") == [("current",)]


def test_a_bad_reading_in_the_wait_history_holds_nothing_else_back(crossings_home: Home) -> None:
    case = BY_ID["bad_reading_in_history"]
    settings = checked_settings()
    import_snapshots(settings, FIXTURES / "wait_times" / "snapshots")
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, GOOD, {"ETag": '"good"'}))
    assert hled_refresh().exit == 0
    store = duckdb.connect(str(settings.wait_history))
    try:
        store.execute("UPDATE readings SET observed_utc = TIMESTAMP '2099-01-01' WHERE delay_minutes = 60")
    finally:
        store.close()
    crossings_home.publisher.replies[CROSSINGS_PATH].clear()
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, REVISED_CROSSINGS, {"ETag": '"revised"'}))
    for _night in range(2):
        outcome = hled_refresh()
        assert outcome.exit == case.exit, outcome.stderr[-2000:]
        assert (
            outcome.error.startswith("stale: cbp_wait_times failed at validate")
            and case.rule in outcome.error
        )
        assert "observed_utc" in outcome.error and "2099-01-01" in outcome.error
        assert query(crossings_home.warehouse, TRUCKS) == [(140,)], "the crossings' revision is published"


def _manifest_of(both: Home, tmp_path, months: list[int]) -> str:
    manifest = tmp_path / "fewer.csv"
    manifest.write_text(
        "year,month,url\n" + "".join(f"2020,{m},{both.publisher.url(zip_path(m))}\n" for m in months)
    )
    return str(manifest)


TRADE_MONTHS = "SELECT DISTINCT month FROM core.fact_trade_port ORDER BY 1"


def test_an_input_that_would_lose_months_is_refused_unless_the_operator_allows_it(
    both: Home, monkeypatch, tmp_path
) -> None:
    case = BY_ID["history_shrinks"]
    both.publisher.replies[CROSSINGS_PATH].clear()
    both.publisher.queue(CROSSINGS_PATH, Reply(200, GOOD, {"ETag": '"good"'}))
    monkeypatch.setenv("HLED_TRANSBORDER_MANIFEST", _manifest_of(both, tmp_path, [2]))
    outcome = hled_refresh()
    both.check(
        case, outcome, "transborder", "core.fact_trade_port", "2020-01", "HLED_ALLOW_SHRINK=transborder"
    )
    assert query(both.warehouse, TRADE_MONTHS) == [(date(2020, 1, 1),), (date(2020, 2, 1),)]
    assert ("transborder", "stale", "history_shrinks") in _status(both)
    monkeypatch.setenv("HLED_ALLOW_SHRINK", "transborder")
    allowed = hled_refresh()
    assert allowed.exit == 0, allowed.stderr[-2000:]
    assert query(both.warehouse, TRADE_MONTHS) == [(date(2020, 2, 1),)]
    assert _status(both) == [("bts_crossings", "current", None), ("transborder", "current", None)]


def test_a_run_limited_to_one_source_keeps_the_others_as_published(both: Home, monkeypatch) -> None:
    case = BY_ID["limited_run_keeps_others"]
    trade = "SELECT count(*), sum(freight_usd) FROM core.fact_trade_port"
    trade_before = query(both.warehouse, trade)
    marts_before = query(both.warehouse, "SELECT count(*) FROM marts.trade_value_per_truck")
    both.publisher.replies[CROSSINGS_PATH].clear()
    both.publisher.queue(CROSSINGS_PATH, Reply(200, REVISED_CROSSINGS, {"ETag": '"revised"'}))
    monkeypatch.setenv("HLED_SOURCES", "bts_crossings")
    outcome = hled_refresh()
    assert outcome.exit == case.exit, outcome.stderr[-2000:]
    assert query(both.warehouse, TRUCKS) == [(140,)]
    assert query(both.warehouse, trade) == trade_before != [(0, None)]
    assert query(both.warehouse, "SELECT count(*) FROM marts.trade_value_per_truck") == marts_before
    assert _status(both) == [("bts_crossings", "current", None), ("transborder", "current", None)]
    # and the next full night finds nothing of TransBorder's changed: it is not fetched again as new
    monkeypatch.setenv("HLED_SOURCES", "bts_crossings,transborder")
    assert hled_refresh().exit == 0 and both.last_run()["status"] == "unchanged"


def test_the_first_failure_night_redraws_only_the_charts_of_the_failed_source(
    both: Home, monkeypatch
) -> None:
    """With the charts current, a night of new stale marks alone redraws the charts drawn from the
    failed source (their footers change) and keeps the others' files as they are; the page is whole."""
    monkeypatch.setenv("HLED_CHARTS", "1")
    both.publisher.replies[CROSSINGS_PATH].clear()
    both.publisher.queue(CROSSINGS_PATH, Reply(200, GOOD, {"ETag": '"good"'}))
    drawn = hled_refresh()  # nothing new: the charts the baseline skipped are drawn
    assert drawn.exit == 0, drawn.stderr[-2000:]
    folder = both.path / "exports" / "en"
    trade, trucks = folder / "mode_share.svg", folder / "border_trucks.svg"
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (trade, trucks)}
    both.publisher.replies[CROSSINGS_PATH].clear()
    both.publisher.queue(CROSSINGS_PATH, Reply(403, b"Access Denied"))
    failing = hled_refresh()
    assert failing.exit == 3 and "with the new stale marks only" in " ".join(failing.stdout.split())
    assert (trade.stat().st_mtime_ns, trade.read_bytes()) == before[trade], "a trade chart was redrawn"
    assert trucks.stat().st_mtime_ns != before[trucks][0]
    assert "the last good data" in trucks.read_text() and "the last good data" not in trade.read_text()
    page = (folder / "index.html").read_text()
    assert '"mode_share"' in page and '"border_trucks"' in page, "the page lists every chart"
