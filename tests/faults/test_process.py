"""Process faults: the refresh killed with SIGKILL in the build and in the publish step, two refreshes
at once, and an analyst's read-only connection held open through a refresh."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

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


def _own_server_env(**extra: str) -> dict[str, str]:
    """A child `hled refresh` that starts its own temporary Prefect server, as on an operator's machine."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    return {**env, **extra}


def test_a_server_that_does_not_start_still_leaves_the_run_in_the_log(crossings_home: Home) -> None:
    case = BY_ID["server_start_fails"]
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, REVISED))
    before = len(_runs(crossings_home))
    child = subprocess.run(
        [sys.executable, "-m", "flows.cli", "refresh"],
        cwd=ROOT,
        env=_own_server_env(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="0"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert child.returncode == case.exit, child.stderr[-2000:]
    (last,) = [line for line in child.stderr.splitlines() if line.startswith("refresh failed:")]
    assert last.startswith("refresh failed: RuntimeError: ") and case.rule in last and "runs.jsonl" in last
    assert "Traceback" not in child.stderr
    runs = _runs(crossings_home)
    assert len(runs) == before + 1 and runs[-1]["status"] == "failed" and case.rule in runs[-1]["message"]
    assert sha256(crossings_home.warehouse) == crossings_home.before
    status = subprocess.run(
        [sys.executable, "-m", "flows.cli", "status"],
        cwd=ROOT,
        env=_own_server_env(),
        capture_output=True,
        text=True,
    )
    assert status.returncode == 1 and "failed" in status.stdout + status.stderr


def _children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def test_sigterm_stops_a_refresh_with_its_temporary_server(crossings_home: Home, tmp_path) -> None:
    case = BY_ID["sigterm_refresh"]
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, REVISED))
    markers = tmp_path / "markers"
    markers.mkdir()
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.killer", "hold", str(markers)],
        cwd=ROOT,
        env=_own_server_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 240
    while not (markers / "held").exists():
        assert child.poll() is None and time.monotonic() < deadline, (
            child.stderr.read() if child.poll() else ""
        )
        time.sleep(0.1)
    servers = _children(child.pid)
    assert servers, "the refresh runs its own temporary Prefect server"
    child.send_signal(signal.SIGTERM)
    _, stderr = child.communicate(timeout=120)
    assert child.returncode == case.exit, stderr[-2000:]
    (said,) = [line for line in stderr.splitlines() if line.startswith("refresh stopped:")]
    assert case.rule in said and "Traceback" not in stderr and "leaked" not in stderr, stderr[-2000:]
    time.sleep(1)
    assert not {p for p in servers if Path(f"/proc/{p}").exists()}, "its temporary server outlived it"
    assert (
        _runs(crossings_home)[-1]["status"] == "stopped" and case.rule in _runs(crossings_home)[-1]["message"]
    )
    assert sha256(crossings_home.warehouse) == crossings_home.before
    again = hled_refresh()
    assert again.exit == 0, again.stderr[-2000:]
    assert query(crossings_home.warehouse, LAREDO_FEB_2020) == [(140,)]
