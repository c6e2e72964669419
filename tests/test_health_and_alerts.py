"""What the operator's tools see: `hled status` exits with the health (0 ok, 1 failed, 3 stale,
4 never run) and HLED_NOTIFY receives one message per failed run and per stale episode, sent through
Apprise to a JSON receiver on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from flows.refresh import refresh
from tests.test_cli import run_hled

CROSSINGS = Path("bts_border_crossing") / "Border_Crossing_Entry_Data.csv"


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


def test_status_exits_with_the_health(crossings_mirror, hled_home) -> None:
    code, line = _status()
    assert code == 4 and "nothing has been published yet" in line

    assert refresh().status == "published"
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
