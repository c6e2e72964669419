"""Process faults: the refresh killed with SIGKILL in the build and in the publish step, two refreshes
at once, and an analyst's read-only connection held open through a refresh."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT, Reply, sha256
from tests.faults.conftest import CROSSINGS_PATH, GOOD, Home, hled_refresh, query
from tests.faults.matrix import BY_ID

REVISED = GOOD.replace(b"Feb 2020,Trucks,99,", b"Feb 2020,Trucks,140,")
LAREDO_FEB_2020 = (
    "SELECT value FROM core.fact_crossings "
    "WHERE port_code = '2304' AND month = '2020-02-01' AND measure = 'trucks'"
)


def _child_env() -> dict[str, str]:
    from prefect.settings import PREFECT_API_URL

    return {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}


def _killer(point: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.faults.killer", point, *args],
        cwd=ROOT,
        env=_child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _runs(home: Home) -> list[dict]:
    return [json.loads(line) for line in (home.path / "runs.jsonl").read_text().splitlines()]


@pytest.mark.parametrize("case_id", ["sigkill_build", "sigkill_publish"])
def test_sigkill_before_the_rename_keeps_the_old_warehouse(crossings_home: Home, case_id: str) -> None:
    case = BY_ID[case_id]
    point = case_id.removeprefix("sigkill_")
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, REVISED))
    child = _killer(point)
    _, stderr = child.communicate(timeout=300)
    assert child.returncode == case.exit, stderr[-2000:]

    assert sha256(crossings_home.warehouse) == crossings_home.before
    assert query(crossings_home.warehouse, LAREDO_FEB_2020) == [(99,)]
    leftover = crossings_home.path / "build" / "warehouse.duckdb.tmp"
    assert leftover.exists(), "the half-built (or built, unpublished) file is left behind"
    killed = _runs(crossings_home)[-1]
    assert killed["status"] == "running"

    # the next night: upstream back to the published file, so nothing is rebuilt, yet the leftovers go
    crossings_home.publisher.replies[CROSSINGS_PATH].clear()
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, GOOD))
    outcome = hled_refresh()
    assert outcome.exit == 0 and "refresh unchanged" in outcome.stdout, outcome.stderr[-2000:]
    assert not leftover.exists() and not leftover.with_name(leftover.name + ".wal").exists()
    assert sha256(crossings_home.warehouse) == crossings_home.before
    statuses = {r["run_id"]: r["status"] for r in _runs(crossings_home)}
    assert statuses[killed["run_id"]] == "killed"

    crossings_home.publisher.replies[CROSSINGS_PATH].clear()
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, REVISED))
    outcome = hled_refresh()
    assert outcome.exit == 0 and "refresh published" in outcome.stdout, outcome.stderr[-2000:]
    assert query(crossings_home.warehouse, LAREDO_FEB_2020) == [(140,)]
    assert query(
        crossings_home.warehouse,
        f"SELECT status, finished_at IS NULL, message LIKE 'ended without finishing%' FROM meta.runs "
        f"WHERE run_id = '{killed['run_id']}'",
    ) == [("killed", True, True)]


def test_sigkill_after_the_rename_leaves_the_new_warehouse_whole(crossings_home: Home) -> None:
    case = BY_ID["sigkill_after_rename"]
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, REVISED))
    child = _killer("after_rename")
    _, stderr = child.communicate(timeout=300)
    assert child.returncode == case.exit, stderr[-2000:]
    assert query(crossings_home.warehouse, LAREDO_FEB_2020) == [(140,)]
    assert query(crossings_home.warehouse, "SELECT count(*) FROM core.fact_crossings") == [(16,)]
    killed = _runs(crossings_home)[-1]
    assert killed["status"] == "running"

    after = sha256(crossings_home.warehouse)
    outcome = hled_refresh()
    assert outcome.exit == 0 and "refresh unchanged" in outcome.stdout, outcome.stderr[-2000:]
    assert sha256(crossings_home.warehouse) == after
    last = {r["run_id"]: r for r in _runs(crossings_home)}[killed["run_id"]]
    assert last["status"] == "published" and last["message"].startswith("published its warehouse, then ended")


def test_a_second_refresh_while_one_runs_is_refused(crossings_home: Home, tmp_path) -> None:
    case = BY_ID["concurrent"]
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, REVISED))
    markers = tmp_path / "markers"
    markers.mkdir()
    first = _killer("hold", str(markers))
    try:
        deadline = time.monotonic() + 120
        while not (markers / "held").exists():
            assert first.poll() is None and time.monotonic() < deadline, (
                first.stderr.read() if first.poll() else ""
            )
            time.sleep(0.1)
        second = hled_refresh()
        assert second.exit == case.exit
        assert second.error.startswith("refresh failed: another refresh is running on ")
        assert f"(pid {first.pid})" in second.error
    finally:
        (markers / "go").touch()
        _, stderr = first.communicate(timeout=300)
    assert first.returncode == 0, stderr[-2000:]
    assert query(crossings_home.warehouse, LAREDO_FEB_2020) == [(140,)]
    assert [r["status"] for r in _runs(crossings_home)] == ["running", "published", "running", "published"]


READER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
sql = sys.argv[2]
print(con.execute(sql).fetchone()[0], flush=True)
sys.stdin.readline()
print(con.execute(sql).fetchone()[0], con.execute("SELECT count(*) FROM meta.runs").fetchone()[0], flush=True)
"""


def test_an_analyst_connection_held_open_does_not_block_a_refresh(crossings_home: Home) -> None:
    case = BY_ID["analyst_reader"]
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(crossings_home.warehouse), LAREDO_FEB_2020],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "99"
        crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, REVISED))
        outcome = hled_refresh()
        crossings_home.check(case, outcome)
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().split() == ["99", "1"], (
            "the open connection reads the old file, whole"
        )
    finally:
        reader.kill()
        reader.wait()
    assert query(crossings_home.warehouse, LAREDO_FEB_2020) == [(140,)]
