"""Network faults: the publisher unreachable, slow, failing, lying about its body, or looping."""

from __future__ import annotations

import socket

from tests.conftest import Reply
from tests.faults.conftest import CROSSINGS_PATH, GOOD, Home, facts, hled_refresh, query
from tests.faults.matrix import BY_ID

REVISED = GOOD.replace(b"Feb 2020,Trucks,99,", b"Feb 2020,Trucks,140,")


def _csv_requests(home: Home) -> list[dict]:
    """Requests for the CSV itself (each refresh also asks Socrata's metadata first, which this
    publisher does not serve: the download then goes ahead as before)."""
    return [r for r in home.publisher.requests if r["path"] == CROSSINGS_PATH]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_connection_refused(crossings_home: Home, monkeypatch) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/rows.csv"
    monkeypatch.setenv("HLED_URL_BTS_CROSSINGS", url)
    monkeypatch.setenv("HLED_HTTP_RETRIES", "1")
    outcome = hled_refresh()
    crossings_home.check(BY_ID["connection_refused"], outcome, "bts_crossings", f"cannot reach {url}")
    assert not crossings_home.files("bts_crossings", "quarantine/*")


def test_timeout(crossings_home: Home, monkeypatch) -> None:
    monkeypatch.setenv("HLED_HTTP_TIMEOUT", "0.3")
    monkeypatch.setenv("HLED_HTTP_RETRIES", "1")
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, REVISED, delay=1.0))
    outcome = hled_refresh()
    crossings_home.check(BY_ID["timeout"], outcome, "bts_crossings", CROSSINGS_PATH, "ReadTimeout")
    assert len(_csv_requests(crossings_home)) == 2  # the first try and one retry


def test_500_then_200_is_retried_and_published(crossings_home: Home) -> None:
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(500), Reply(200, REVISED))
    outcome = hled_refresh()
    crossings_home.check(BY_ID["500_then_200"], outcome)
    assert len(_csv_requests(crossings_home)) == 2
    value = "SELECT value FROM core.fact_crossings WHERE port_code = '2304' AND month = '2020-02-01'"
    assert query(crossings_home.warehouse, value + " AND measure = 'trucks'") == [(140,)]


def test_404(crossings_home: Home) -> None:
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(404, b"not here"))
    outcome = hled_refresh()
    crossings_home.check(BY_ID["404"], outcome, "bts_crossings", CROSSINGS_PATH, "HTTP 404")
    assert len(_csv_requests(crossings_home)) == 1, "a 404 is not retried"


def test_cut_off_body_is_retried_then_kept_in_quarantine(crossings_home: Home) -> None:
    # over 1 MiB, so the client has written whole chunks before the connection drops
    row = b"Laredo,Texas,2304,US-Mexico Border,Mar 2020,Trucks,%d,27.500,-99.507,POINT (-99.507 27.5)\n"
    big = REVISED + b"".join(row % i for i in range(30_000))
    cut = 1_500_000
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, big, cut_after=cut))
    outcome = hled_refresh()
    expected = f"received {cut} bytes, expected {len(big)}"
    crossings_home.check(BY_ID["cut_off_body"], outcome, "bts_crossings", CROSSINGS_PATH, expected)
    assert len(_csv_requests(crossings_home)) == 4  # 1 try and 3 retries
    kept = crossings_home.files("bts_crossings", "quarantine/*")
    assert len(kept) == 4
    assert all(len(body) >= 1 << 20 and big.startswith(body) for body in kept.values())
    assert "bytes received are kept at" in outcome.error and "quarantine" in outcome.error


def test_html_page_with_200(crossings_home: Home) -> None:
    page = b"<!DOCTYPE html>\n<html><body>Service temporarily unavailable</body></html>\n"
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, page))
    outcome = hled_refresh()
    crossings_home.check(BY_ID["html_200"], outcome, "bts_crossings", CROSSINGS_PATH, "HTML")
    kept = list(crossings_home.files("bts_crossings", "quarantine/*").values())
    assert kept == [page] * 4, "a page in place of data is a failed try: retried 3 times, each answer kept"
    assert len(_csv_requests(crossings_home)) == 4


def test_redirect_loop(crossings_home: Home) -> None:
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(302, headers={"Location": CROSSINGS_PATH}))
    before = facts(crossings_home.warehouse)
    outcome = hled_refresh()
    crossings_home.check(BY_ID["redirect_loop"], outcome, "bts_crossings", CROSSINGS_PATH, "loop")
    assert facts(crossings_home.warehouse) == before
