"""`hled`: the command line, one module per group of commands. Every command exits non-zero on
failure and prints the error as one line a user can act on; each imports what it runs inside itself,
so Prefect is imported only by the commands that run flows and the commands that read the warehouse
import no pipeline."""

from __future__ import annotations

import typer

from flows.cli import exports, pipeline, query, reports, status, waits
from flows.cli.common import err, out

__all__ = ["app", "err", "main", "out"]

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


def main() -> None:  # pragma: no cover - console entry point
    app()
