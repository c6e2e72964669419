"""Serving the refresh flow on a schedule and the wait-time collector every few minutes (Prefect
deployments). Prefect's automatic temporary
server runs no scheduler, so without PREFECT_API_URL `hled serve` starts a real local server."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from prefect.deployments.runner import RunnerDeployment
from prefect.runner import Runner
from prefect.schedules import Cron, Interval

from flows.errors import SettingsError
from flows.lifeline import end_with_parent
from flows.refresh import refresh
from flows.wait_times import collect_wait_times

DEPLOYMENT_NAME = "nightly-refresh"


class ServerFailed(RuntimeError):
    """The local Prefect server `hled serve` starts did not come up."""


WAIT_DEPLOYMENT_NAME = "wait-times"


def nightly_schedule(cron: str, timezone: str):
    """A Prefect cron schedule; a bad cron string or time zone is a SettingsError now, not at 6 am."""
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"HLED_TIMEZONE={timezone!r} is not a time zone like America/Chicago") from None
    try:
        return Cron(cron, timezone=timezone)
    except ValueError as exc:
        raise SettingsError(f"HLED_CRON={cron!r} is not a valid cron expression: {exc}") from None


def nightly_deployment(cron: str, timezone: str):
    """The deployment `hled serve` serves, built without starting anything (tests inspect it)."""
    return refresh.to_deployment(name=DEPLOYMENT_NAME, schedules=[nightly_schedule(cron, timezone)])


def wait_times_deployment(every_minutes: float):
    """The collector's deployment: one snapshot of CBP's feed every `every_minutes` minutes."""
    return collect_wait_times.to_deployment(
        name=WAIT_DEPLOYMENT_NAME, schedules=[Interval(timedelta(minutes=every_minutes))]
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_taken(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        return s.connect_ex((host, port)) == 0


@contextmanager
def local_server(timeout: float = 120.0, port: int | None = None, host: str = "127.0.0.1") -> Iterator[str]:
    """Run `prefect server start` on `host` (on `port`, else a free one) for as long as the block
    lasts; yields its API URL. The server is in a session of its own, so that a signal to our whole
    process group (`kill -TERM -PID`, a terminal's Ctrl-C) does not take it away while the runner
    still needs it to stop; it is told to end with us if we die first."""
    local = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # where we reach it
    if port is not None and port_taken(port, local):
        raise SettingsError(
            f"HLED_UI_PORT={port}: something already listens on {local}:{port} (another `hled serve`?); "
            "stop it or choose another port"
        )
    port = port or free_port()
    prefect = Path(sys.executable).with_name("prefect")
    log_path = Path(os.environ.get("PREFECT_HOME", ".")) / "server.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        server = subprocess.Popen(
            [str(prefect), "server", "start", "--host", host, "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=end_with_parent,  # no orphan keeps HLED_UI_PORT
        )
    url = f"http://{local}:{port}/api"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if server.poll() is not None:
                raise ServerFailed(f"the Prefect server exited with {server.returncode}; see {log_path}")
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise ServerFailed(
                    f"the Prefect server did not answer within {timeout:.0f} s; see {log_path}"
                )
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


STOP_GRACE = 20.0  # seconds the runs in flight get, after SIGTERM, to stop and log themselves stopped
OWN_GRACE = 3.0  # ... first to stop on their own (a signal to the whole group reached them too)


def _runs_in_flight() -> list[int]:
    """Our child processes in our own session: the flow runs in flight (the local Prefect server has a
    session of its own and stops with local_server)."""
    me, session = os.getpid(), os.getsid(0)
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            pid = int(stat.parent.name)
            if int(fields[1]) == me and os.getsid(pid) == session:
                found.append(pid)
        except (OSError, ValueError):
            continue
    return found


def _wait_gone(pids: list[int], seconds: float) -> list[int]:
    """The pids still alive after waiting up to `seconds` for them to end (reaped when ours)."""
    deadline = time.monotonic() + seconds
    while True:
        alive = []
        for pid in pids:
            with contextlib.suppress(ChildProcessError):
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    continue
            if Path(f"/proc/{pid}").exists():
                alive.append(pid)
        if not alive or time.monotonic() >= deadline:
            return alive
        time.sleep(0.2)


class _Stopper:
    """SIGTERM or SIGINT: the runs in flight are told to stop (each logs itself `stopped`), then `end`
    asks the runner to stop at a point of its own choosing, pausing the schedules. A second signal
    ends at once."""

    def __init__(self, log: Any, end: Callable[[], None]) -> None:
        self.log, self.end, self.state = log, end, "serving"

    def stop(self, name: str) -> None:
        if self.state != "serving":  # a second signal: now
            for pid in _runs_in_flight():
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            print(f"hled serve stopped at once ({name} again)", flush=True)
            os._exit(128 + signal.Signals[name].value)
        self.state = "stopping"
        runs = _runs_in_flight()
        self.log.info("%s received: stopping %d run(s) in flight, then pausing schedules", name, len(runs))
        left = _wait_gone(runs, OWN_GRACE)
        for pid in left:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
        for pid in _wait_gone(left, STOP_GRACE):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        self.state = "stopped"
        self.end()

    def on_signal(self, number: int, _frame: object) -> None:
        """The handler of SIGINT (Ctrl-C, `kill -INT`) and, through the runner, SIGTERM."""
        self.stop(signal.Signals(number).name)


class _Runner(Runner):
    """Prefect's runner stopped from a signal without an exception thrown into whatever the loop was
    doing: Prefect 3.8's own SIGTERM handler never awaits its stop coroutine, so `systemctl stop`
    during a run left `hled serve` hanging, and a KeyboardInterrupt raised at an arbitrary point once
    landed in a worker thread's hand-off and left the exit waiting on that thread. The runs in flight
    are stopped first, so each is logged `stopped` rather than left `running`."""

    stopper: _Stopper
    _stopping: asyncio.Task | None = None

    def handle_sigterm(self, *args: Any, **kwargs: Any) -> None:
        self.stopper.on_signal(signal.SIGTERM, None)

    def end_soon(self) -> None:
        """From a signal handler: ask the loop to stop the runner once it is up (a signal during its
        start-up waits for it)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            raise KeyboardInterrupt  # not serving yet: nothing in flight to leave half-done
        loop.call_soon_threadsafe(self._stop_when_started)

    def _stop_when_started(self) -> None:
        if not self.started:
            self._loop.call_later(0.2, self._stop_when_started)
        elif self._stopping is None:
            self._stopping = self._loop.create_task(self.astop())


async def _quietly(runner: _Runner) -> None:
    """Start `runner` on a loop that does not print the tracebacks of connections cancelled on the way
    out (the runner's control channel when a stopped run's process has gone): stopping says one line."""

    def handler(loop: asyncio.AbstractEventLoop, context: dict) -> None:
        if not isinstance(context.get("exception"), asyncio.CancelledError | KeyboardInterrupt):
            loop.default_exception_handler(context)

    runner._loop = asyncio.get_running_loop()
    runner._loop.set_exception_handler(handler)
    await runner.start()


def _serve(*deployments: RunnerDeployment) -> None:
    """Serve the deployments until SIGINT or SIGTERM; schedules are paused on the way out."""
    runner = _Runner(pause_on_shutdown=True)
    runner.stopper = _Stopper(runner._logger, runner.end_soon)
    for deployment in deployments:
        runner.add_deployment(deployment)
        print(f"Serving deployment '{deployment.flow_name}/{deployment.name}'", flush=True)
    print("Stop with Ctrl-C or SIGTERM", flush=True)
    previous = signal.signal(signal.SIGINT, runner.stopper.on_signal)
    try:
        asyncio.run(_quietly(runner))
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGINT, previous)
    print("hled serve stopped", flush=True)


def serve_refresh(
    cron: str, timezone: str, wait_every: float = 15.0, ui_port: int | None = None, ui_host: str = "127.0.0.1"
) -> None:
    """Serve the nightly refresh and the wait-time collector until interrupted, on PREFECT_API_URL or
    a local server whose UI listens on `ui_host`:`ui_port`."""
    deployments = (nightly_deployment(cron, timezone), wait_times_deployment(wait_every))
    if os.environ.get("PREFECT_API_URL"):
        _serve(*deployments)
        return
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with local_server(port=ui_port, host=ui_host) as url, temporary_settings({PREFECT_API_URL: url}):
        where = f" (listening on {ui_host})" if ui_host != "127.0.0.1" else ""
        print(f"Prefect server (scheduler and UI) at {url.removesuffix('/api')}{where}", flush=True)
        _serve(*deployments)
