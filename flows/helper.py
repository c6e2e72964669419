"""A helper process for the work that needs heavy Python libraries: validation (GX) and the disruption
detector (statsmodels, scipy). `hled refresh` starts it before it imports Prefect: importing GX there
(3.5 s on one core, most of a full refresh's first validation) runs on the other core beside Prefect's
start and the first parse, the detector runs beside the SQL marts without sharing Python's lock, and
the pipeline's process imports neither. Without it (tests, served runs, a helper that died) the same
work runs in the calling process."""

from __future__ import annotations

import contextlib
import importlib
import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from flows.lifeline import end_with_parent

T = TypeVar("T")
# imported by the helper as soon as it starts, before it is asked anything
WARM = ("great_expectations", "great_expectations.expectations", "expectations.runner")
STOP_SECONDS = 5.0

log = logging.getLogger(__name__)


class HelperError(RuntimeError):
    """The helper's answer could not be sent back (an exception or result that does not pickle)."""


class _Helper:
    """One helper process and the pipe to it; one request at a time."""

    def __init__(self) -> None:
        # forked when this process has one thread in all (`hled refresh` at its start: little to copy, and
        # no resource-tracker process, which spawn starts and which outlives us as a zombie where
        # init does not reap); spawned otherwise, as a fork of a threaded process may copy a held lock
        method = "fork" if _alone() else "spawn"
        context = multiprocessing.get_context(method)
        self.conn, child = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=_serve, args=(child,), name="hled-helper", daemon=True
        )
        self.process.start()
        child.close()
        self.lock = threading.Lock()
        self.answered = False

    def call(self, fn: Callable[..., T], args: tuple) -> T:
        with self.lock:
            self.conn.send((fn, args))
            status, value = self.conn.recv()
            self.answered = True
        if status == "raised":
            raise value
        return value

    def stop(self) -> None:
        """Ended: asked to when it has answered (it waits for the next request), at once while it may
        still be importing."""
        with self.lock:
            if self.answered and self.process.is_alive():
                with contextlib.suppress(OSError):
                    self.conn.send(None)
                self.process.join(STOP_SECONDS)
            if self.process.is_alive():
                self.process.terminate()
                self.process.join(STOP_SECONDS)
            self.conn.close()


_helper: _Helper | None = None


def start() -> None:
    """Start the helper (once per process): it imports GX at once and then waits for work."""
    global _helper
    if _helper is None:
        _helper = _Helper()


def start_if_alone() -> None:
    """Start the helper when this process has no other thread, Python's or native (`hled refresh` at
    its start), where it is forked: little to copy, nothing to import twice. A process with threads (a
    test that calls the command in its own process, where polars' or DuckDB's pools may hold a lock a
    fork would copy) does the work itself, as before."""
    if _alone():
        start()


def _alone() -> bool:
    """Whether this process has one thread in all (Linux's /proc; elsewhere: not known, so no)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def stop() -> None:
    """End the helper, if one runs; validation goes on in this process."""
    global _helper
    helper, _helper = _helper, None
    if helper is not None:
        helper.stop()


def running() -> bool:
    return _helper is not None and _helper.process.is_alive()


def run(fn: Callable[..., T], *args: Any) -> T:
    """`fn(*args)` in the helper when one runs, else here. `fn` must be a module-level function and the
    arguments and result must pickle. A helper that died is not asked again: the work is done here,
    and the log says so."""
    helper = _helper
    if helper is None:
        return fn(*args)
    try:
        return helper.call(fn, args)
    except (EOFError, BrokenPipeError, ConnectionResetError) as exc:
        log.warning(
            "the helper process ended (exit code %s, %s); working in this process instead",
            helper.process.exitcode,
            type(exc).__name__,
        )
        stop()
        return fn(*args)


def _serve(conn: Connection) -> None:
    """The helper's life: import the libraries, then answer requests until told to stop or the pipe
    closes. The imports run on a thread of lowest priority (a nice value is a thread's on Linux), so
    that on a night with nothing to validate they take only idle time; the first request waits for
    them (the refresh is then waiting, so they have the core; nothing is unpickled while they run),
    and the work itself runs at the normal priority. Ctrl-C in a terminal reaches the whole group:
    the parent decides, so the helper ignores SIGINT."""
    end_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm = threading.Thread(target=_warm, name="hled-helper-imports", daemon=True)
    warm.start()
    warm.join()
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        fn, args = request
        try:
            reply = ("ok", fn(*args))
        except Exception as exc:
            reply = ("raised", exc)
        try:
            conn.send(reply)
        except Exception as exc:  # the reply does not pickle: say what it was
            conn.send(("raised", HelperError(f"{reply[0]}: {reply[1]!r} could not be sent back ({exc})")))


def _warm() -> None:
    with contextlib.suppress(OSError):
        os.nice(19)
    for module in WARM:
        importlib.import_module(module)
