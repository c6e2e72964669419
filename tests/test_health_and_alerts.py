"""What the operator's tools see: `hled status` exits with the health (0 ok, 1 failed, 3 stale, never
published or behind its publisher's lag, 4 never run) and HLED_NOTIFY receives one message per failed
run and per stale, never-published and behind episode, sent through Apprise to a JSON receiver on
127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from flows.health import Health, expected_month, judge
from flows.notify import lagging_sources
from flows.refresh import refresh
from flows.sources import checked_settings
from tests.conftest import Reply
from tests.faults.conftest import CROSSINGS_PATH, GOOD
from tests.replica import serve_bts
from tests.test_cli import run_hled
from warehouse.access import SourceStatus
from warehouse.access import status as warehouse_status

CROSSINGS = Path("bts_border_crossing") / "Border_Crossing_Entry_Data.csv"
NOT_BEHIND = "1200"  # HLED_BEHIND_MARGIN_MONTHS: the hand-made months of 2020 are not behind today


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[dict]]]:
    """An HTTP server that keeps every JSON body posted to it: (its json:// URL, the bodies)."""
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the standard library's name
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"json://127.0.0.1:{server.server_address[1]}/", received
    finally:
        server.shutdown()
        server.server_close()


def _status(**settings: str) -> tuple[int, str]:
    result = run_hled(["status"], {**os.environ, **settings})
    health = [line for line in result.stdout.splitlines() if line.startswith("health:")]
    assert len(health) == 1, result.stdout + result.stderr
    return result.returncode, health[0]


def _drift(mirror: Path) -> bytes:
    """Rename a column of the crossings file (the source then fails at fetch); returns the good bytes."""
    path = mirror / CROSSINGS
    good = path.read_bytes()
    path.write_bytes(good.replace(b",Value,", b",Amount,", 1))
    return good


def test_status_exits_with_the_health(crossings_mirror, hled_home, monkeypatch) -> None:
    code, line = _status()
    assert code == 4 and "nothing has been published yet" in line

    assert refresh().status == "published"
    code, line = _status()  # the hand-made data ends in February 2020, years behind its publisher's lag
    expected = f"{expected_month(datetime.now(UTC), 2):%Y-%m}"
    assert (code, line) == (
        3,
        f"health: stale (exit 3): bts_crossings is behind: newest month 2020-02, expected {expected} "
        "(its publisher is usually 2 months late; HLED_BEHIND_MARGIN_MONTHS=2)",
    )

    monkeypatch.setenv("HLED_BEHIND_MARGIN_MONTHS", NOT_BEHIND)
    code, line = _status()
    assert (code, line) == (0, "health: ok (exit 0): the last run succeeded and every source is current")

    code, line = _status(HLED_STALE_AFTER="0")
    assert code == 3 and "no refresh has succeeded since" in line and "HLED_STALE_AFTER=0" in line

    build = hled_home / "build"
    build.rename(hled_home / "build-away")
    build.write_text("not a folder: the build cannot be written")
    with pytest.raises(OSError):
        refresh(force=True)
    code, line = _status()
    assert code == 1 and "failed at" in line and "NotADirectoryError" in line, line

    build.unlink()
    (hled_home / "build-away").rename(build)
    good = _drift(crossings_mirror)
    assert refresh().exit_code == 3
    code, line = _status()
    assert code == 3 and line.startswith("health: stale (exit 3): bts_crossings is stale since"), line

    (crossings_mirror / CROSSINGS).write_bytes(good)
    assert refresh().status == "published"
    assert _status()[0] == 0

    # a run killed mid-way leaves its `running` line; no refresh holds the lock: it was killed
    log = hled_home / "runs.jsonl"
    last = json.loads(log.read_text().splitlines()[-1])
    log.write_text(log.read_text() + json.dumps({**last, "run_id": "killed-run", "status": "running"}) + "\n")
    code, line = _status()
    assert code == 1 and "the last run killed-run started at" in line and "never finished (killed)" in line


def test_a_failed_run_and_each_stale_episode_are_told_once(
    crossings_mirror, hled_home, monkeypatch, receiver
) -> None:
    url, received = receiver
    monkeypatch.setenv("HLED_NOTIFY", url)
    monkeypatch.setenv("HLED_BEHIND_MARGIN_MONTHS", NOT_BEHIND)
    assert refresh().status == "published"
    assert received == [], "a good run tells nobody"

    good = _drift(crossings_mirror)
    assert refresh().exit_code == 3
    assert received == [], "stale for less than HLED_STALE_AFTER (36 hours by default)"

    monkeypatch.setenv("HLED_STALE_AFTER", "0")
    (hled_home / "notified.json").write_text('{"bts_crossings": ')  # torn: told again, never a failed run
    assert refresh().exit_code == 3
    assert [m["title"] for m in received] == ["hled: bts_crossings is stale"]
    assert list(json.loads((hled_home / "notified.json").read_text())) == ["bts_crossings"]
    body = received[0]["message"]
    assert "bts_crossings has been stale since" in body and "it failed at fetch, rule known_header" in body
    kept = re.search(r"the file it refused is kept at (\S+?)\. ", body)
    assert kept, body
    assert Path(kept.group(1)).is_relative_to(hled_home) and Path(kept.group(1)).read_bytes()
    assert "missing columns ['Value']" in body

    assert refresh().exit_code == 3
    assert len(received) == 1, "the same stale episode is told once"

    (crossings_mirror / CROSSINGS).write_bytes(good)
    assert refresh().status == "published"
    _drift(crossings_mirror)
    assert refresh().exit_code == 3
    assert [m["title"] for m in received] == ["hled: bts_crossings is stale"] * 2, "a new episode is told"

    (crossings_mirror / CROSSINGS).write_bytes(good)
    build = hled_home / "build"
    build.rename(hled_home / "build-away")
    build.write_text("not a folder")
    with pytest.raises(OSError):
        refresh(force=True)
    assert len(received) == 3 and received[2]["title"].startswith("hled: refresh ")
    assert received[2]["title"].endswith(" failed")
    failed = received[2]["message"]
    assert (
        failed.startswith("NotADirectoryError") and "nothing was published; the previous warehouse" in failed
    )


def test_a_notification_url_apprise_does_not_know_is_refused_at_start(hled_home) -> None:
    env = {**os.environ, "HLED_NOTIFY": "nosuchscheme://example.org/x"}
    result = run_hled(["refresh"], env)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: HLED_NOTIFY: 'nosuchscheme://example.org/x' is not a notification URL Apprise knows "
        "(e.g. mailtos://user:pass@example.org, json://host:port/path)"
    )
    sql = run_hled(["sql", "SELECT 1"], env)  # reading the warehouse does not load Apprise
    assert "no published warehouse" in sql.stderr and "HLED_NOTIFY" not in sql.stderr


def test_a_source_refused_before_it_was_ever_published_is_listed_exits_3_and_is_told(
    prefect_server, publisher, hled_home, monkeypatch, receiver
) -> None:
    """A fresh install where bts.gov refuses every TransBorder download: the crossings are published, and
    TransBorder is `never published` in `hled status` (exit 3), marts.source_health and HLED_NOTIFY."""
    url, received = receiver
    with serve_bts() as bts:
        bts.refuse_all = True
        for key, value in {
            "HLED_URL_BTS_CROSSINGS": publisher.url(CROSSINGS_PATH),
            "HLED_URL_TRANSBORDER": bts.index_url,
            "HLED_SOURCES": "bts_crossings,transborder,cbp_wait_times",
            "HLED_MAX_REJECT_SHARE": "0.5",
            "HLED_CHARTS": "0",
            "HLED_HTTP_RETRIES": "1",
            "HLED_BEHIND_MARGIN_MONTHS": NOT_BEHIND,
            "HLED_NOTIFY": url,
        }.items():
            monkeypatch.setenv(key, value)
        publisher.queue(CROSSINGS_PATH, Reply(200, GOOD, {"ETag": '"good"'}))
        first = refresh()
        assert (first.status, first.exit_code, list(first.stale)) == ("published", 3, ["transborder"])
        assert first.never_published == ["transborder"]  # the refresh does not call it "kept"

        result = run_hled(["status"], dict(os.environ))
        assert result.returncode == 3, result.stdout + result.stderr
        health = result.stdout.strip().splitlines()[-1]
        assert health.startswith("health: stale (exit 3): transborder is never published (failing since ")
        assert health.endswith("; cbp_wait_times never collected (optional)"), health
        said = {line.split(" ")[0]: line for line in result.stdout.splitlines() if " is " in line}
        assert said["transborder"].startswith("transborder is never published: failing since ")
        assert "nothing of it was ever published" in said["transborder"] and "403" in said["transborder"]
        assert said["cbp_wait_times"].startswith("cbp_wait_times is never collected: no reading collected")
        assert "bts_crossings" not in said, "current: no line of its own"

        con = duckdb.connect(str(hled_home / "warehouse.duckdb"), read_only=True)
        try:
            health_rows = con.execute(
                "SELECT source, state, latest_month IS NULL, since IS NOT NULL, reason LIKE '%403%' "
                "FROM marts.source_health ORDER BY 1"
            ).fetchall()
            vintage = con.execute(
                "SELECT source, status, state FROM marts.data_vintage ORDER BY 1"
            ).fetchall()
        finally:
            con.close()
        assert health_rows == [
            ("bts_crossings", "current", False, False, None),
            ("cbp_wait_times", "never collected", True, False, None),
            ("transborder", "never published", True, True, True),
        ]
        assert vintage == [("bts_crossings", "current", "current")], "no data, no row in marts.data_vintage"

        assert [m["title"] for m in received] == ["hled: transborder was never published"], "told at once"
        body = received[0]["message"]
        assert "nothing of it was ever published: it failed at fetch, rule http_ok" in body, body

        again = refresh()
        assert (again.status, again.exit_code) == ("unchanged", 3)
        assert len(received) == 1, "the same episode is told once"
        assert run_hled(["status"], dict(os.environ)).returncode == 3


def _run(at: datetime) -> dict:
    return {"run_id": "r1", "status": "published", "started_at": at, "finished_at": at, "message": "ok"}


def _trade(latest: str | None) -> SourceStatus:
    return SourceStatus(
        "transborder", "North American TransBorder Freight Data", latest, None, 3, lag_months=2
    )


def test_judge_says_a_source_behind_its_publishers_lag() -> None:
    december = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    verdict = judge([_run(december - timedelta(hours=2))], [_trade("2024-09")], None, 36, december)
    assert verdict.health is Health.STALE
    assert verdict.summary == (
        "health: stale (exit 3): transborder is behind: newest month 2024-09, expected 2026-10 "
        "(its publisher is usually 2 months late; HLED_BEHIND_MARGIN_MONTHS=2)"
    )
    november = datetime(2024, 11, 20, 6, 0, tzinfo=UTC)
    verdict = judge([_run(november - timedelta(hours=2))], [_trade("2024-09")], None, 36, november)
    assert (verdict.health, verdict.reasons) == (Health.OK, [])
    # the edge: September with two months' lag and two of margin is current up to January's end
    for now, margin, health in (
        (datetime(2025, 1, 31, 23, 0, tzinfo=UTC), 2, Health.OK),
        (datetime(2025, 2, 1, 0, 30, tzinfo=UTC), 2, Health.STALE),
        (datetime(2024, 11, 20, 6, 0, tzinfo=UTC), 0, Health.OK),
        (datetime(2024, 12, 1, 6, 0, tzinfo=UTC), 0, Health.STALE),
    ):
        assert judge([_run(now)], [_trade("2024-09")], None, 36, now, behind_margin=margin).health is health

    code_list = SourceStatus("schedule_d", "Schedule D ports", None, None, 1)  # no lag: never behind
    assert judge([_run(december)], [code_list], None, 36, december).health is Health.OK


def test_judge_tells_the_wait_history_never_collected_collecting_and_stopped() -> None:
    now = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)

    def waits(newest: datetime | None) -> SourceStatus:
        return SourceStatus(
            "cbp_wait_times", "Border Wait Times", None, None, 0, lag_days=2, newest_reading=newest
        )

    never = judge([_run(now)], [waits(None)], None, 36, now)
    assert never.health is Health.OK, "an optional collector never run is said, not an alarm"
    assert never.summary.endswith("every source is current; cbp_wait_times never collected (optional)")
    assert judge([_run(now)], [waits(now - timedelta(hours=3))], None, 36, now).summary == (
        "health: ok (exit 0): the last run succeeded and every source is current"
    )
    stopped = judge([_run(now)], [waits(now - timedelta(days=3))], None, 36, now)
    assert stopped.health is Health.STALE
    assert stopped.summary == (
        "health: stale (exit 3): cbp_wait_times is stale: no reading since 2026-12-04 08:00 UTC, more than "
        "2 days: collection stopped (is `hled serve` running?)"
    )


def test_a_source_behind_is_told_once_per_episode(crossings_mirror, hled_home, monkeypatch, receiver) -> None:
    url, received = receiver
    monkeypatch.setenv("HLED_NOTIFY", url)
    assert refresh().status == "published"  # the hand-made crossings end in February 2020
    assert [m["title"] for m in received] == ["hled: bts_crossings is behind"]
    assert "bts_crossings is behind: newest month 2020-02, expected " in received[0]["message"]
    con = duckdb.connect(str(hled_home / "warehouse.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT source, status, state FROM marts.data_vintage").fetchall() == [
            ("bts_crossings", "current", "behind")
        ]
        assert con.execute(
            "SELECT state, latest_month, expected_month, lag_months, margin_months FROM marts.source_health"
        ).fetchall() == [("behind", datetime(2020, 2, 1).date(), expected_month(datetime.now(UTC), 2), 2, 2)]
    finally:
        con.close()

    assert refresh().status == "unchanged"
    assert len(received) == 1, "the same behind episode is told once"

    settings = checked_settings()
    sources = warehouse_status(settings.warehouse_path).sources
    told = hled_home / "notified.json"
    assert json.loads(told.read_text()) == {"bts_crossings:behind": "2020-02"}
    # in April 2020 February is within BTS's usual lag: the episode is over and forgotten ...
    assert lagging_sources(settings, sources, now=datetime(2020, 4, 10, tzinfo=UTC)) == []
    assert json.loads(told.read_text()) == {}
    # ... so falling behind again is a new episode, told again, once
    december = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    assert lagging_sources(settings, sources, now=december) == ["bts_crossings"]
    assert lagging_sources(settings, sources, now=december) == []
    assert [m["title"] for m in received] == ["hled: bts_crossings is behind"] * 2
    assert "expected 2026-10 (its publisher is usually 2 months late" in received[1]["message"]
