"""`hled`: the command line, one module per group of commands. Every command exits non-zero on
failure and prints the error as one line a user can act on; each imports what it runs inside itself,
so Prefect is imported only by the commands that run flows and the commands that read the warehouse
import no pipeline."""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import sys

import typer

from flows.cli import exports, pipeline, query, reports, status, waits
from flows.cli.common import err, out

__all__ = ["app", "err", "exit_status", "main", "out"]

app = typer.Typer(
    help="US–Mexico border throughput pipeline: BTS crossings into a validated DuckDB warehouse "
    "and charts.\n\nExample: HLED_MIRROR=../shared/data hled refresh",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# the commands, in the order `hled --help` lists them
app.command()(pipeline.refresh)
app.command()(pipeline.serve)
app.command("prefect-yaml")(pipeline.prefect_yaml)
app.command()(reports.brief)
app.command()(reports.charts)
app.command()(reports.docs)
app.command()(status.status)
app.command()(query.sql)
app.add_typer(exports.app, name="export")
app.command()(status.snapshots)
app.add_typer(waits.app, name="waits")


def main() -> None:
    """`hled`: run one command, then end the process without Python's teardown of every module. With
    GX, scipy and statsmodels loaded, that teardown took 1.1 s after a refresh had done and said
    everything. The process still ends as a normal exit does: other threads are waited for and every
    exit handler runs (Prefect's flush of logs and events among them) before it ends, with the
    command's status."""
    status = {"code": 0}

    def end_now() -> None:  # registered first, so it runs after every handler the command registers
        logging.shutdown()  # registered before (when logging was imported), so run here
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(status["code"])

    atexit.register(end_now)
    try:
        app()
    except SystemExit as exc:
        status["code"] = exit_status(exc.code)
        raise
    except KeyboardInterrupt:
        status["code"] = 130
        raise
    except BaseException:
        status["code"] = 1
        raise


def exit_status(code: object) -> int:
    """The status a process ends with for `sys.exit(code)`: None is 0, an int is itself, anything else
    (a message, printed by Python) is 1."""
    if code is None:
        return 0
    return code if isinstance(code, int) else 1
