"""Overlapping jobs: a refresh's clean-up of what killed runs left must not touch the files of a
collection still running in another process."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from tests.conftest import FIXTURES, Reply
from tests.faults.conftest import CROSSINGS_PATH, GOOD, Home, hled, hled_refresh, query
from tests.faults.matrix import BY_ID

FEED = "/api/bwtnew"


def test_a_refresh_during_a_slow_collection_leaves_it_alone(crossings_home: Home) -> None:
    from prefect.settings import PREFECT_API_URL

    case = BY_ID["refresh_during_collection"]
    body = (FIXTURES / "wait_times" / "snapshots" / "json_1.json").read_bytes()
    crossings_home.publisher.queue(FEED, Reply(200, body, delay=12.0))
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, GOOD, {"ETag": '"good"'}))
    env = {
        **os.environ,
        "PREFECT_API_URL": PREFECT_API_URL.value(),
        "HLED_URL_CBP_WAIT_TIMES": crossings_home.publisher.url(FEED),
        "HLED_HTTP_TIMEOUT": "30",
    }
    collector = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "waits", "collect"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    folder = crossings_home.path / "raw" / "cbp_wait_times"
    deadline = time.monotonic() + 60
    while not list(folder.glob(f".partial-{collector.pid}-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(folder.glob(f".partial-{collector.pid}-*")), "the collection never started its download"
    outcome = hled_refresh()
    assert outcome.exit == case.exit, outcome.stderr[-2000:]
    # while the collection is still downloading its file must be there (on a loaded machine the refresh
    # may outlast the slow reply: the collection's own success below then shows nothing was removed)
    present = list(folder.glob(f".partial-{collector.pid}-*"))
    assert present or collector.poll() is not None, "the refresh removed a live download"
    out, err = collector.communicate(timeout=120)
    assert collector.returncode == 0, err[-2000:]
    assert "2 readings, 2 new" in " ".join(out.split()), out


def test_a_collection_during_a_slow_refresh_stores_its_readings(crossings_home: Home) -> None:
    from prefect.settings import PREFECT_API_URL

    case = BY_ID["collection_during_refresh"]
    body = (FIXTURES / "wait_times" / "snapshots" / "json_1.json").read_bytes()
    seen = len(crossings_home.publisher.requests)
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, GOOD, {"ETag": '"good"'}, delay=8.0))
    crossings_home.publisher.queue(FEED, Reply(200, body))
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "HLED_HTTP_TIMEOUT": "30"}
    refresher = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "refresh", "--force"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(
        r["path"] == CROSSINGS_PATH for r in crossings_home.publisher.requests[seen:]
    ):
        time.sleep(0.1)
    assert refresher.poll() is None, "the refresh ended before the collection could start"
    os.environ["HLED_URL_CBP_WAIT_TIMES"] = crossings_home.publisher.url(FEED)
    try:
        collected = hled("waits", "collect")
    finally:
        del os.environ["HLED_URL_CBP_WAIT_TIMES"]
    assert refresher.poll() is None, "the collection did not overlap the refresh"
    assert collected.exit == case.exit, collected.stderr[-2000:]
    assert "2 readings, 2 new" in " ".join(collected.stdout.split()), collected.stdout
    out, err = refresher.communicate(timeout=180)
    assert refresher.returncode == 0, err[-2000:]
    assert query(crossings_home.path / "wait_times" / "history.duckdb", "SELECT count(*) FROM readings") == [
        (2,)
    ]
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, GOOD, {"ETag": '"good"'}))
    assert hled_refresh().exit == 0
    assert query(crossings_home.warehouse, "SELECT count(*) FROM core.fact_wait_times") == [(2,)]
