"""`hled waits`: the CBP wait-time history: collect the current feed, import archived snapshots, load
and forget CBP's historical hourly averages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer

from flows.cli.common import T, err, line, out, prefect_env, settings_or_exit, user_errors

app = typer.Typer(
    help="CBP Border Wait Times: collect the current feed, import archived snapshots, load history.",
    no_args_is_help=True,
)


def _repaired(settings) -> None:
    """Set aside and rebuild a wait-time history that cannot be opened, saying so."""
    from flows.wait_times import repair_history

    for notice in repair_history(settings):
        line(err, "notice:", notice, "yellow")


def _waits_step(what: str, settings, step: Callable[[], T]) -> T:
    """Run one `hled waits` step on a history that opens (a damaged one is rebuilt first); a user
    error or an OSError (a full or read-only disk, a missing folder) ends in one line, exit 1."""
    try:
        _repaired(settings)
        return step()
    except (*user_errors(), OSError) as exc:
        line(err, f"{what} failed:", exc)
        raise typer.Exit(1) from None


@app.command("collect")
def waits_collect() -> None:
    """Take one snapshot of CBP's current wait times (bwtnew JSON, RSS if that fails) into the history.
    `hled serve` does this every HLED_WAIT_TIMES_EVERY minutes; the next refresh publishes it.

    Example: hled waits collect
    """
    settings = settings_or_exit()
    prefect_env(settings.home)
    from flows.wait_times import collect_wait_times

    result = _waits_step("wait-time collection", settings, collect_wait_times)
    if result.fallback_reason:
        out.print(f"bwtnew JSON failed, RSS used instead: {result.fallback_reason}")
    if result.status == "unchanged":
        out.print(f"{result.feed} from {result.url}: unchanged since the last collection, nothing new")
        return
    out.print(
        f"{result.feed} ({result.status}) from {result.url}: {result.ports} ports, "
        f"{result.readings} readings, {result.new_readings} new, "
        f"{result.lanes_without_reading} lanes without a reading, "
        f"{result.rejected} rejected; history {settings.wait_history}"
    )


@app.command("import")
def waits_import(
    path: Path = typer.Argument(
        ..., help="A snapshot file, a folder of them or a .tar.gz, replayed in name order."
    ),
) -> None:
    """Replay archived wait-time feed responses (JSON or RSS) into the history, each reading once.

    Example: hled waits import ../shared/data/cbp_wait_times/brownsville_rss_snapshots.tar.gz
    """
    settings = settings_or_exit()
    from flows.wait_times import import_snapshots

    results = _waits_step("wait-time import", settings, lambda: import_snapshots(settings, path))
    new = sum(r.new_readings for r in results)
    seen = sum(r.status == "already collected" for r in results)
    rejected = sum(r.rejected for r in results)
    out.print(
        f"{len(results)} snapshots ({seen} already collected): "
        f"{sum(r.readings for r in results):,} readings, {new:,} new, {rejected:,} rejected; "
        f"history {settings.wait_history}"
    )


@app.command("backfill")
def waits_backfill(
    path: Path = typer.Argument(
        ..., help="CBP historical wait-time export (CSV, month x day x hour averages)."
    ),
    port: str = typer.Option(..., "--port", help="CBP wait-time port number of the file, e.g. 250401."),
) -> None:
    """Load CBP's historical hourly-average wait times for one crossing (replacing its earlier ones).

    Example: hled waits backfill san_ysidro_historical_waittimes_hourly_avg.csv --port 250401
    """
    settings = settings_or_exit()
    from flows.wait_times import backfill

    loaded, rejected, dropped = _waits_step(
        "wait-time backfill", settings, lambda: backfill(settings, path, port)
    )
    note = f"; columns all 0, left out (no such lanes): {', '.join(dropped)}" if dropped else ""
    out.print(f"{loaded:,} hourly averages loaded for {port}, {rejected:,} rows rejected{note}")


@app.command("forget")
def waits_forget(
    port: str = typer.Option(..., "--port", help="CBP wait-time port number whose backfill to remove."),
) -> None:
    """Remove the historical hourly averages loaded for one crossing (a file loaded with the wrong
    --port, say); its collected readings stay. The next refresh publishes the change.

    Example: hled waits forget --port 250401
    """
    settings = settings_or_exit()
    from flows.wait_times import forget

    forgotten = _waits_step("wait-time forget", settings, lambda: forget(settings, port))
    files = ", ".join(forgotten.files) or "no file record"
    out.print(f"{forgotten.averages:,} hourly averages removed for {port} (loaded from {files})")
