"""`hled` as a user runs it: a real subprocess, exit codes and one-line errors."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from flows.deployment import free_port, port_taken
from tests.checksums import data_checksums
from tests.conftest import FIXTURES, make_mirror, sha256
from tests.faults.matrix import BY_ID

HLED = [sys.executable, "-m", "flows.cli"]


def run_hled(args: list[str], env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*HLED, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=Path(__file__).resolve().parent.parent,
    )


@pytest.fixture
def cli_env(prefect_server, hled_home) -> dict[str, str]:
    """The test's HLED_* settings plus the session's Prefect server, for a child process."""
    from prefect.settings import PREFECT_API_URL

    env = dict(os.environ)
    env["PREFECT_API_URL"] = PREFECT_API_URL.value()
    env["HLED_CHARTS"] = "0"
    env["HLED_MAX_REJECT_SHARE"] = "0.1"
    return env


def test_help_shows_commands_and_an_example() -> None:
    result = run_hled(["--help"], dict(os.environ))
    assert result.returncode == 0
    for command in ("refresh", "serve", "charts", "docs"):
        assert command in result.stdout
    assert "HLED_MIRROR=../shared/data hled refresh" in result.stdout


def test_unknown_setting_exits_2_with_one_line(tmp_path) -> None:
    env = {**os.environ, "HLED_HOME": str(tmp_path), "HLED_MIROR": "x"}
    result = run_hled(["refresh"], env)
    assert result.returncode == 2
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "unknown setting HLED_MIROR" in lines[0]


def test_refresh_from_a_mirror_then_a_drifted_file_fails_cleanly(cli_env, hled_home, tmp_path) -> None:
    mirror = make_mirror(tmp_path / "mirror", FIXTURES / "crossings_current.csv")
    cli_env["HLED_MIRROR"] = str(mirror)
    ok = run_hled(["refresh"], cli_env)
    assert ok.returncode == 0, ok.stderr
    assert "refresh published" in ok.stdout and "16" in ok.stdout
    record = json.loads((hled_home / "runs.jsonl").read_text().splitlines()[-1])
    assert record["run_id"] in " ".join(ok.stdout.split()), "the console names the run id of the log"
    stages = record["stages"]
    assert list(stages)[:3] == ["bts_crossings fetch", "bts_crossings parse", "bts_crossings validate"]
    assert {"build", "publish"} <= set(stages) and all(v >= 0 for v in stages.values()), stages
    took = re.search(r"took ([0-9.]+) s; built in full: bts_crossings fetch [0-9.]+ s, ", ok.stdout)
    assert took and float(took.group(1)) >= stages["build"], ok.stdout
    warehouse = hled_home / "warehouse.duckdb"
    before = sha256(warehouse)

    again = run_hled(["refresh"], cli_env)
    assert again.returncode == 0 and "refresh unchanged" in again.stdout

    drifted = mirror / "bts_border_crossing" / "Border_Crossing_Entry_Data.csv"
    drifted.write_bytes(drifted.read_bytes().replace(b",Value,", b",Amount,", 1))
    before = data_checksums(warehouse)
    bad = run_hled(["refresh"], cli_env)
    assert bad.returncode == 3, "published, with a stale source"
    last = bad.stderr.strip().splitlines()[-1]
    assert last.startswith("stale: bts_crossings failed at fetch; its last published data is kept")
    assert "Border_Crossing_Entry_Data.csv" in last and "missing columns ['Value']" in last
    assert data_checksums(warehouse) == before
    status = run_hled(["status"], cli_env)
    assert status.returncode == 3, "status exits 3 while a source is stale"
    assert "bts_crossings is stale since" in status.stdout and "missing columns ['Value']" in status.stdout


def test_charts_without_a_warehouse_says_what_to_do(hled_home) -> None:
    result = run_hled(["charts"], {**os.environ, "HLED_HOME": str(hled_home)})
    assert result.returncode == 1
    assert "run `hled refresh` first" in result.stderr


@pytest.mark.slow
def test_serve_runs_the_refresh_on_its_schedule(hled_home, tmp_path) -> None:
    """`hled serve` with no Prefect server configured starts one and its cron schedule fires."""
    mirror = make_mirror(tmp_path / "mirror", FIXTURES / "crossings_current.csv")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update(
        {
            "HLED_MIRROR": str(mirror),
            "HLED_CRON": "* * * * *",
            "HLED_WAIT_TIMES_EVERY": "1440",
            "HLED_CHARTS": "0",
            "HLED_MAX_REJECT_SHARE": "0.1",
            "PREFECT_HOME": str(tmp_path / "prefect"),
            "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5",
            "PREFECT_LOGGING_LEVEL": "INFO",
            "HLED_UI_PORT": str(ui_port := free_port()),
        }
    )
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(  # its own process group, as systemd and a terminal give it
        [*HLED, "serve"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=Path(__file__).resolve().parent.parent,
        start_new_session=True,
    )
    warehouse = hled_home / "warehouse.duckdb"
    serve_log = tmp_path / "serve.log"

    def wait_for(condition, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while not condition() and time.monotonic() < deadline and server.poll() is None:
            time.sleep(0.5)
        return condition()

    try:
        published = wait_for(warehouse.exists, 240)
        # the deployment and its cron schedule are registered on the server (what the UI shows)
        ui = re.search(
            rf"Prefect server \(scheduler and UI\) at (http://127\.0\.0\.1:{ui_port})\n",
            serve_log.read_text(),
        )
        deployments = (
            httpx.post(f"{ui.group(1)}/api/deployments/filter", json={}, timeout=10).json() if ui else []
        )
        # the next minute's run: stopping the service in the middle of it must not hang (systemctl stop)
        second_run = wait_for(lambda: serve_log.read_text().count("Beginning flow run") >= 2, 120)
    finally:  # SIGTERM to hled serve alone, as `kill PID` sends it: it stops the run in flight itself
        os.kill(server.pid, signal.SIGTERM)
        try:
            exit_code = server.wait(timeout=90)  # seconds in practice; the bound only catches a hang
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            exit_code = "hung"
        log.close()
    output = serve_log.read_text()
    assert published, output[-3000:]
    schedules = sorted(
        (d["name"], [sch["schedule"].get("cron") or sch["schedule"]["interval"] for sch in d["schedules"]])
        for d in deployments
    )
    assert schedules == [("nightly-refresh", ["* * * * *"]), ("wait-times", [86400.0])]
    assert second_run, output[-3000:]
    assert '"status": "published"' in (hled_home / "runs.jsonl").read_text()
    assert exit_code == 0, output[-3000:]
    assert BY_ID["sigterm_serve"].exit == exit_code == 0, output[-3000:]
    assert "SIGTERM received: stopping" in output and "Pausing all deployments" in output
    # no run is left `running`: the one in flight, if any, stopped and logged itself so
    final: dict[str, str] = {}
    for record in (hled_home / "runs.jsonl").read_text().splitlines():
        final[json.loads(record)["run_id"]] = json.loads(record)["status"]
    assert "running" not in final.values(), final
    with pytest.raises(ProcessLookupError):  # nothing of its process group is left
        os.killpg(server.pid, 0)
    assert "hled serve stopped" in output, output[-3000:]
    # hled serve ends on its own line, nothing after it; the in-flight run's own process, stopped in the
    # middle of a DuckDB query, may still print Prefect's report of the interrupted run before that
    assert output.rstrip().splitlines()[-1] == "hled serve stopped", output[-3000:]
    assert not port_taken(ui_port), "the Prefect server it started is stopped too"


def test_serve_refuses_a_ui_port_in_use(hled_home) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
        result = run_hled(["serve"], {**env, "HLED_UI_PORT": str(port)})
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"error: HLED_UI_PORT={port}: something already listens on 127.0.0.1:{port} (another `hled serve`?); "
        "stop it or choose another port"
    )


def test_serve_refuses_a_bad_time_zone(hled_home) -> None:
    env = {**os.environ, "HLED_TIMEZONE": "America/Chicgo"}
    result = run_hled(["serve"], env)
    assert result.returncode == 2
    assert "HLED_TIMEZONE='America/Chicgo' is not a time zone" in result.stderr


@pytest.mark.slow
def test_first_refresh_on_a_fresh_machine(tmp_path) -> None:
    """No HLED_HOME folder, no PREFECT_HOME, no Prefect server: Prefect's temporary server starts in a
    folder under HLED_HOME that the command creates."""
    mirror = make_mirror(tmp_path / "mirror", FIXTURES / "crossings_current.csv")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "HLED_"))}
    home = tmp_path / "not" / "yet" / "there"
    env.update(
        {
            "HLED_HOME": str(home),
            "HLED_MIRROR": str(mirror),
            "HLED_SOURCES": "bts_crossings",
            "HLED_MAX_REJECT_SHARE": "0.1",
            "HLED_CHARTS": "0",
        }
    )
    result = run_hled(["refresh"], env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "refresh published" in result.stdout
    assert (home / "warehouse.duckdb").exists() and (home / "prefect").is_dir()


def test_waits_commands_collect_import_and_backfill(cli_env, hled_home, tmp_path) -> None:
    """`hled waits …` as an operator runs them: from a mirror, twice, then an archive and an export."""
    waits = FIXTURES / "wait_times"
    mirror = tmp_path / "mirror" / "cbp_wait_times"
    mirror.mkdir(parents=True)
    (mirror / "bwtnew_sample.json").write_bytes((waits / "snapshots" / "json_1.json").read_bytes())
    cli_env["HLED_MIRROR"] = str(tmp_path / "mirror")
    first = run_hled(["waits", "collect"], cli_env)
    assert first.returncode == 0, first.stderr
    assert (
        "bwtnew (mirror)" in first.stdout and "2 readings, 2 new, 12 lanes without a reading" in first.stdout
    )
    second = run_hled(["waits", "collect"], cli_env)
    assert "unchanged since the last collection, nothing new" in second.stdout
    imported = run_hled(["waits", "import", str(waits / "snapshots")], cli_env)
    assert imported.returncode == 0, imported.stderr
    # json_1.json was already collected from the mirror: its readings are not stored twice
    assert "4 snapshots (1 already collected): 10 readings, 7 new, 2 rejected" in " ".join(
        imported.stdout.split()
    )
    bad = run_hled(["waits", "backfill", str(waits / "profile_bad.csv"), "--port", "9999"], cli_env)
    assert bad.returncode == 1
    assert bad.stderr.strip().splitlines()[-1].startswith("wait-time backfill failed: --port 9999: not a CBP")
    ok = run_hled(["waits", "backfill", str(waits / "profile_bad.csv"), "--port", "250401"], cli_env)
    assert "10 hourly averages loaded for 250401, 3 rows rejected" in " ".join(ok.stdout.split())


def test_text_with_brackets_is_printed_as_it_is(hled_home, tmp_path) -> None:
    """Data and messages are plain text, never console markup: `[/x]` once ended in a traceback and
    `[bold]` vanished from what was printed."""
    from tests.handmade import build_handmade

    build_handmade(hled_home / "warehouse.duckdb")
    env = {**os.environ, "HLED_HOME": str(hled_home)}
    shown = run_hled(["sql", "SELECT '[bold]Laredo[/bold] [/x]' AS port_name"], env)
    assert shown.returncode == 0, shown.stderr
    assert "[bold]Laredo[/bold] [/x]" in shown.stdout
    bad = run_hled(["sql", "SELECT * FROM marts.[no_such]"], env)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    lines = [line for line in bad.stderr.splitlines() if line.strip()]
    assert len(lines) >= 1 and lines[0].startswith("error: query failed:") and "[no_such]" in bad.stderr


def test_the_cli_ends_at_once_with_its_status_after_every_exit_handler(tmp_path) -> None:
    """`hled` skips Python's module teardown (os._exit after the exit handlers): the status of the
    command, every line it printed, and what exit handlers write must all survive it."""
    from flows.cli import exit_status

    assert [exit_status(c) for c in (None, 0, 3, "a message")] == [0, 0, 3, 1]
    done = tmp_path / "handler-ran"
    script = (  # a handler registered while the command runs, as Prefect registers its flushes
        "import atexit, pathlib, sys\n"
        "import flows.cli as cli\n"
        "command = cli.app\n"
        "def app():\n"
        f"    atexit.register(lambda: pathlib.Path({str(done)!r}).write_text('flushed'))\n"
        "    command()\n"
        "cli.app = app\n"
        "sys.argv = ['hled', *sys.argv[1:]]\n"
        "cli.main()\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("HLED_")}
    helped = subprocess.run(
        [sys.executable, "-c", script, "--help"], env=env, capture_output=True, text=True, timeout=60
    )
    assert helped.returncode == 0 and "waits" in helped.stdout and done.read_text() == "flushed"
    done.unlink()
    env["HLED_NO_SUCH_SETTING"] = "1"
    refused = subprocess.run(
        [sys.executable, "-c", script, "status"], env=env, capture_output=True, text=True, timeout=60
    )
    assert refused.returncode == 2, refused.stderr
    assert "unknown setting HLED_NO_SUCH_SETTING" in refused.stderr and done.exists()
