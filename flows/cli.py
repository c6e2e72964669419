"""`hled`: the command line. Every command exits non-zero on failure and prints the error as one
line a user can act on. Prefect is imported only by the commands that run flows."""

from __future__ import annotations

import csv
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from flows.settings import Settings

app = typer.Typer(
    help="US–Mexico border throughput pipeline: BTS crossings into a validated DuckDB warehouse "
    "and charts.\n\nExample: HLED_MIRROR=../shared/data hled refresh",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# data (port names, file names, errors quoting them) may hold [brackets]: nothing printed is read as
# markup; the few styled labels are passed as rich Text
T = TypeVar("T")
err = Console(stderr=True, markup=False)
out = Console(markup=False)


def _line(console: Console, label: str, message: object, style: str = "red") -> None:
    """One line: a styled label, then the message as plain text."""
    console.print(Text.assemble((label, style), " ", str(message)), soft_wrap=True)


def _prefect_env(home: Path) -> None:
    """Quiet, offline-friendly Prefect defaults with its state under HLED_HOME (unless set)."""
    os.environ.setdefault("PREFECT_HOME", str(home / "prefect"))
    # Prefect's temporary server cannot create its database in a folder that does not exist yet
    Path(os.environ["PREFECT_HOME"]).expanduser().mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")


def _user_errors() -> tuple[type[Exception], ...]:
    from expectations.runner import ValidationFailed
    from flows.errors import SettingsError, SourceError
    from flows.refresh import ChartsFailed
    from flows.runlog import RefreshBusy
    from transforms.errors import ParseError, SchemaDriftError
    from warehouse.errors import WarehouseError

    return (
        SettingsError,
        SourceError,
        ParseError,
        SchemaDriftError,
        ValidationFailed,
        WarehouseError,
        RefreshBusy,
        ChartsFailed,
    )


def _settings(sources: bool = True):
    """The settings, or exit 2 with one line; `sources=False` for commands that only read the published
    warehouse (they then start without importing the pipeline)."""
    from flows.errors import SettingsError
    from flows.settings import Settings

    try:
        if sources:
            from flows.sources import checked_settings

            return checked_settings()
        return Settings.from_env()
    except SettingsError as exc:
        _line(err, "error:", exc)
        raise typer.Exit(2) from None


@app.command()
def refresh(
    force: bool = typer.Option(False, "--force", help="Rebuild even if no source changed."),
) -> None:
    """Fetch, parse, validate, build and publish the warehouse once, then export charts.

    Example: HLED_MIRROR=../shared/data hled refresh
    """
    settings = _settings()
    _prefect_env(settings.home)
    from flows.refresh import refresh as refresh_flow

    try:
        summary = refresh_flow(force=force)
    except _user_errors() as exc:
        _line(err, "refresh failed:", exc)
        raise typer.Exit(1) from None
    except Exception as exc:  # anything unforeseen still ends as one actionable line
        _line(
            err,
            "refresh failed:",
            f"{type(exc).__name__}: {exc} (details in the log above and in {settings.run_log})",
        )
        raise typer.Exit(1) from None
    table = Table(title=f"refresh {summary.status} (run {summary.run_id})")
    for col in ("source", "fetch", "rows loaded", "rejected"):
        table.add_column(col)
    for name, status in summary.fetches.items():
        if name in summary.stale:  # nothing of it loaded this run: its last published rows are kept
            kept = "none: never published" if name in summary.never_published else "kept (stale)"
            table.add_row(name, f"{status}; failed at {summary.stale[name].stage}", kept, "-")
        else:
            table.add_row(name, status, f"{summary.rows.get(name, 0):,}", f"{summary.rejects.get(name, 0):,}")
    out.print(table)
    for notice in summary.notices:
        _line(out, "notice:", notice, "yellow")
    if summary.coverage_gaps:
        out.print(f"coverage gaps (see marts.coverage): {', '.join(summary.coverage_gaps)}", soft_wrap=True)
    out.print(f"warehouse: {summary.warehouse}", soft_wrap=True)
    if summary.charts_written:
        out.print(f"charts: {summary.charts_written} files under {settings.exports_dir}")
    from flows.outcome import format_seconds

    built = {"copy": "; built from a copy of the published warehouse", "full": "; built in full"}
    out.print(
        f"took {summary.seconds:.1f} s{built.get(summary.build, '')}: {format_seconds(summary.stages)}",
        soft_wrap=True,
    )
    where = ["health: hled status", f"run log: {settings.run_log}"]
    if summary.charts_written:
        where.append(f"dashboard: {settings.exports_dir / 'en' / 'index.html'}")
    if any(f.stage == "validate" for f in summary.stale.values()):
        where.append(f"validation reports: {settings.docs_dir / 'data_docs' / 'index.html'}")
    out.print("next: " + "; ".join(where), soft_wrap=True)
    for name, failure in summary.stale.items():  # the last lines, so a scheduler's mail shows them
        what = (
            "it was never published: nothing of it is in the warehouse"
            if name in summary.never_published
            else "its last published data is kept"
        )
        _line(
            err,
            "never published:" if name in summary.never_published else "stale:",
            f"{name} failed at {failure.stage}; {what} (exit status {summary.exit_code}): {failure.message}",
        )
    if summary.exit_code:
        raise typer.Exit(summary.exit_code)


@app.command()
def serve(
    cron: str = typer.Option(None, help="Cron schedule (default HLED_CRON, '0 6 * * *')."),
    timezone: str = typer.Option(None, help="Time zone of the schedule (default HLED_TIMEZONE)."),
) -> None:
    """Serve the refresh flow on a nightly cron schedule and the wait-time collector every
    HLED_WAIT_TIMES_EVERY minutes, as Prefect deployments (runs until stopped).

    Example: hled serve --cron "30 5 * * *" --timezone America/Mexico_City
    """
    settings = _settings()
    _prefect_env(settings.home)
    from flows.deployment import ServerFailed, serve_refresh
    from flows.errors import SettingsError

    try:
        serve_refresh(
            cron or settings.cron,
            timezone or settings.timezone,
            settings.wait_times_every,
            settings.ui_port,
            settings.ui_host,
        )
    except SettingsError as exc:
        _line(err, "error:", exc)
        raise typer.Exit(2) from None
    except ServerFailed as exc:
        _line(err, "serve failed:", exc)
        raise typer.Exit(1) from None


@app.command("prefect-yaml")
def prefect_yaml() -> None:
    """Print prefect.yaml for the production route (standing server, process worker) with the
    schedules of HLED_CRON, HLED_TIMEZONE and HLED_WAIT_TIMES_EVERY.

    Example: HLED_CRON="30 5 * * *" hled prefect-yaml > prefect.yaml && prefect deploy --all
    """
    settings = _settings(sources=False)
    from flows.deployment import nightly_schedule
    from flows.errors import SettingsError
    from flows.prefect_yaml import prefect_yaml as render

    try:
        nightly_schedule(settings.cron, settings.timezone)
    except SettingsError as exc:
        _line(err, "error:", exc)
        raise typer.Exit(2) from None
    out.file.write(render(settings))


def _require_warehouse(settings: Settings) -> None:
    """Exit 1 with one line when nothing has been published yet."""
    if not settings.warehouse_path.exists():
        _line(err, "error:", f"no published warehouse at {settings.warehouse_path}; run `hled refresh` first")
        raise typer.Exit(1)


@app.command()
def brief(
    lang: str = typer.Option(None, "--lang", help="en or es (default: both)"),
    port: str = typer.Option(
        None, "--port", help="Only this port's brief (4-digit code, e.g. 2304) or a border (US-Mexico)."
    ),
) -> None:
    """Write the monthly border brief from the published warehouse, as HTML and PDF, under
    $HLED_HOME/exports/<lang>/brief/: both borders and the 15 busiest truck ports (a refresh that
    publishes writes them too).

    Example: hled brief --lang es --port 2304
    """
    settings = _settings(sources=False)
    _require_warehouse(settings)
    from dashboards.brief import write_briefs
    from dashboards.labels import LANGS
    from warehouse.errors import WarehouseError

    failed: dict[str, str] = {}
    for one in [lang] if lang else LANGS:
        try:
            report = write_briefs(settings.warehouse_path, settings.exports_dir, one, port)
        except ValueError as exc:
            _line(err, "error:", exc)
            raise typer.Exit(2) from None
        except WarehouseError as exc:
            _line(err, "error:", exc)
            raise typer.Exit(1) from None
        except OSError as exc:
            _line(
                err, "error:", f"cannot write the brief under {settings.exports_dir / one / 'brief'}: {exc}"
            )
            raise typer.Exit(1) from None
        for path in report.written:
            out.print(str(path))
        failed.update(report.failed)
    for name, why in failed.items():
        _line(err, f"brief {name} failed:", why)
    if failed:
        raise typer.Exit(1)


@app.command()
def charts(
    lang: str = typer.Option("en", "--lang", help="en or es"),
    port: str = typer.Option(
        None, "--port", help="Draw the per-port charts for this 4-digit port code, e.g. 2304."
    ),
    border: str = typer.Option(None, "--border", help="Restrict to US-Mexico or US-Canada."),
    only: list[str] = typer.Option(
        None, "--chart", help="Only this chart (repeatable), e.g. --chart scorecard."
    ),
) -> None:
    """Export the charts from the published warehouse (HTML, PNG, SVG, Vega-Lite JSON) under
    $HLED_HOME/exports/<lang>/, and the dashboard page index.html (not with --port/--border/--chart).

    Example: hled charts --lang es --port 2304
    """
    settings = _settings(sources=False)
    _require_warehouse(settings)
    from dashboards.export import ChartsNotWritten, export_charts
    from warehouse.errors import WarehouseError

    try:
        report = export_charts(
            settings.warehouse_path, settings.exports_dir, lang, port, only or None, border
        )
    except ValueError as exc:
        _line(err, "error:", exc)
        raise typer.Exit(2) from None
    except (WarehouseError, ChartsNotWritten) as exc:
        _line(err, "error:", exc)
        raise typer.Exit(1) from None
    for path in report.written:
        out.print(str(path))
    if report.page:
        out.print(f"dashboard page: {report.page}")
    for name, why in report.skipped.items():
        out.print(f"skipped {name}: {why}")
    if report.failed:
        for name, why in report.failed.items():
            _line(err, f"chart {name} failed:", why)
        raise typer.Exit(1)


@app.command()
def docs(
    folder: Path = typer.Option(
        Path("docs"), help="Folder to write data_dictionary.md and indicators.md to."
    ),
) -> None:
    """Write the data dictionary and the indicator catalog as Markdown, generated from the code.

    Example: hled docs --folder docs
    """
    from warehouse.dictionary import empty_warehouse, render
    from warehouse.indicators import render_markdown

    folder.mkdir(parents=True, exist_ok=True)
    con = empty_warehouse()
    try:
        (folder / "data_dictionary.md").write_text(render(con))
    finally:
        con.close()
    (folder / "indicators.md").write_text(render_markdown())
    out.print(f"wrote {folder / 'data_dictionary.md'} and {folder / 'indicators.md'}")


def _warehouse_error(exc: Exception) -> None:
    _line(err, "error:", exc)
    raise typer.Exit(2) from None


def _print_warehouse(state, found: dict) -> None:
    """The published warehouse and, per source, its state (`found`: flows.health.assess per source),
    latest month, files and freshness; then a line per source that is not current."""
    from warehouse.access import age_hours

    built = f"{state.built_at:%Y-%m-%d %H:%M} UTC" if state.built_at else "unknown"
    out.print(
        f"warehouse {state.path} ({state.bytes / 1e6:,.1f} MB), "
        f"built {built} by run {state.last_published_run}"
    )
    table = Table("source", "state", "dataset", "latest month", "files", "fetched", "hours ago")
    for s in state.sources:
        age = age_hours(s.last_fetched)
        judged = found[s.source]
        table.add_row(
            s.source,
            Text(judged.state, style="red" if judged.alarm else ""),
            s.title,
            s.latest_month or "-",
            str(s.files),
            f"{s.last_fetched:%Y-%m-%d %H:%M}" if s.last_fetched else "-",
            f"{age:,.1f}" if age is not None else "-",
        )
    out.print(table)
    for s in state.sources:
        judged = found[s.source]
        if judged.detail:  # "x is stale since …", "x is behind: newest month …"
            colon = "" if judged.detail.startswith("since ") else ":"
            _line(out, f"{s.source} is {judged.state}{colon}", judged.detail)


@app.command()
def status() -> None:
    """Show the last run, the published warehouse and, per source, its state, latest month and
    freshness; the exit status is the health: 0 ok, 1 the last run failed, 3 a source is stale, never
    published or behind its publisher's usual lag (or no refresh succeeded lately), 4 nothing published yet.

    Example: hled status || echo "the border pipeline needs a look"
    """
    settings = _settings(sources=False)
    from datetime import UTC, datetime

    from flows.health import assess, judge
    from flows.runlog import read_runs, refresh_running
    from warehouse.access import status as warehouse_status
    from warehouse.errors import WarehouseError

    runs = read_runs(settings.run_log).sort("started_at", maintain_order=True).to_dicts()
    if runs:
        last = runs[-1]
        out.print(
            Text.assemble(
                f"last run {last['run_id']}: ",
                (last["status"], "bold"),
                f" at {last['started_at']:%Y-%m-%d %H:%M} UTC - {last['message']}",
            ),
            soft_wrap=True,
        )
    else:
        out.print("no run yet")
    state = None
    if settings.warehouse_path.exists():
        try:
            state = warehouse_status(settings.warehouse_path)
        except WarehouseError as exc:
            _warehouse_error(exc)
    now = datetime.now(UTC)
    if state is not None:
        _print_warehouse(state, {s.source: assess(s, now, settings.behind_margin) for s in state.sources})
    else:
        out.print(f"no published warehouse at {settings.warehouse_path}")
    verdict = judge(
        runs,
        state.sources if state else None,
        state.built_at if state else None,
        settings.stale_after,
        now,
        refresh_running(settings.home),
        settings.behind_margin,
    )
    _line(out, "health:", verdict.summary.removeprefix("health: "), "green" if not verdict.health else "red")
    raise typer.Exit(int(verdict.health))


@app.command()
def sql(
    statement: str = typer.Argument(..., help="One SQL query, run read-only."),
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV instead of a table."),
    limit: int = typer.Option(
        100, "--limit", min=0, help="Rows fetched and shown in the table (CSV prints all)."
    ),
) -> None:
    """Run a query read-only against the published warehouse and print the result.

    Example: hled sql "SELECT border, sum(value) FROM marts.border_month WHERE measure = 'trucks' GROUP BY 1"
    """
    settings = _settings(sources=False)
    from warehouse.access import query, stream
    from warehouse.errors import WarehouseError

    try:
        if as_csv:  # every row, written as it is fetched
            writer = csv.writer(out.file, lineterminator="\n")
            stream(settings.warehouse_path, statement, writer.writerow, writer.writerows)
            return
        columns, result, more = query(settings.warehouse_path, statement, limit)
    except WarehouseError as exc:
        _warehouse_error(exc)
    table = Table(*columns)
    for row in result:
        table.add_row(*("" if v is None else str(v) for v in row))
    out.print(table)
    if more:
        out.print(f"more than {limit:,} rows; the first {limit:,} are shown (--limit N, or --csv for all)")


export_app = typer.Typer(help="Export the published warehouse to other formats.", no_args_is_help=True)
app.add_typer(export_app, name="export")


def _exported(what: Callable[[], T]) -> T:
    """Run an export; an unreadable warehouse exits 2, a disk that refuses the files 1, in one line."""
    import duckdb

    from warehouse.errors import WarehouseError

    try:
        return what()
    except WarehouseError as exc:
        _warehouse_error(exc)
    except (OSError, duckdb.IOException) as exc:
        _line(err, "export failed:", f"{exc} (rule: exports_writable)")
        raise typer.Exit(1) from None


@export_app.command("csv")
def export_csv(
    folder: Path = typer.Argument(..., help="Folder to write <schema>.<table>.csv files to."),
) -> None:
    """Write every core and marts table as CSV (UTF-8 with a byte-order mark, so Excel reads accents).

    Example: hled export csv ./csv
    """
    settings = _settings(sources=False)
    from warehouse.export import export_csv as write_csv

    for path in _exported(lambda: write_csv(settings.warehouse_path, folder)):
        out.print(str(path))


@export_app.command("xlsx")
def export_xlsx(
    file: Path = typer.Argument(..., help="Excel workbook to write, e.g. border.xlsx."),
) -> None:
    """Write the marts as one Excel workbook: contents, every column described, the sources' vintage,
    then a sheet per mart (a mart too large for a sheet is named in contents, not cut).

    Example: hled export xlsx border.xlsx
    """
    settings = _settings(sources=False)
    from warehouse.export import export_xlsx as write_xlsx

    book = _exported(lambda: write_xlsx(settings.warehouse_path, file))
    out.print(f"{book.path}: {len(book.sheets)} marts as sheets, with contents, columns and sources")
    for table in book.too_large:
        _line(
            out,
            "not in the workbook:",
            f"{table.name} has {table.rows:,} rows, more than a sheet holds; `hled export csv DIR` writes it",
            "yellow",
        )


@export_app.command("parquet")
def export_parquet(
    folder: Path = typer.Argument(..., help="Folder to write <schema>.<table>.parquet files to."),
) -> None:
    """Write every core and marts table as Parquet, with each table's and column's description in
    the file's metadata.

    Example: hled export parquet ./parquet
    """
    settings = _settings(sources=False)
    from warehouse.export import export_parquet as write_parquet

    for path in _exported(lambda: write_parquet(settings.warehouse_path, folder)):
        out.print(str(path))


@app.command()
def snapshots() -> None:
    """List the previously published warehouses kept as snapshots, newest first.

    Example: hled snapshots
    """
    settings = _settings(sources=False)
    from warehouse.publish import list_snapshots

    kept = list_snapshots(settings.snapshots_dir)
    if not kept:
        out.print(f"no snapshots in {settings.snapshots_dir}")
        return
    table = Table("snapshot", "replaced at (UTC)", "MB")
    for path in kept:
        stamp = path.stem.removeprefix("warehouse-")
        when = f"{stamp[0:4]}-{stamp[4:6]}-{stamp[6:8]} {stamp[9:11]}:{stamp[11:13]}:{stamp[13:15]}"
        table.add_row(str(path), when, f"{path.stat().st_size / 1e6:,.1f}")
    out.print(table)
    out.print(
        f"{len(kept)} kept (HLED_SNAPSHOTS={settings.snapshots}); open one read-only like the warehouse"
    )


waits = typer.Typer(
    help="CBP Border Wait Times: collect the current feed, import archived snapshots, load history.",
    no_args_is_help=True,
)
app.add_typer(waits, name="waits")


def _repaired(settings) -> None:
    """Set aside and rebuild a wait-time history that cannot be opened, saying so."""
    from flows.wait_times import repair_history

    for notice in repair_history(settings):
        _line(err, "notice:", notice, "yellow")


def _waits_step(what: str, settings, step: Callable[[], T]) -> T:
    """Run one `hled waits` step on a history that opens (a damaged one is rebuilt first); a user
    error or an OSError (a full or read-only disk, a missing folder) ends in one line, exit 1."""
    try:
        _repaired(settings)
        return step()
    except (*_user_errors(), OSError) as exc:
        _line(err, f"{what} failed:", exc)
        raise typer.Exit(1) from None


@waits.command("collect")
def waits_collect() -> None:
    """Take one snapshot of CBP's current wait times (bwtnew JSON, RSS if that fails) into the history.
    `hled serve` does this every HLED_WAIT_TIMES_EVERY minutes; the next refresh publishes it.

    Example: hled waits collect
    """
    settings = _settings()
    _prefect_env(settings.home)
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


@waits.command("import")
def waits_import(
    path: Path = typer.Argument(
        ..., help="A snapshot file, a folder of them or a .tar.gz, replayed in name order."
    ),
) -> None:
    """Replay archived wait-time feed responses (JSON or RSS) into the history, each reading once.

    Example: hled waits import ../shared/data/cbp_wait_times/brownsville_rss_snapshots.tar.gz
    """
    settings = _settings()
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


@waits.command("backfill")
def waits_backfill(
    path: Path = typer.Argument(
        ..., help="CBP historical wait-time export (CSV, month x day x hour averages)."
    ),
    port: str = typer.Option(..., "--port", help="CBP wait-time port number of the file, e.g. 250401."),
) -> None:
    """Load CBP's historical hourly-average wait times for one crossing (replacing its earlier ones).

    Example: hled waits backfill san_ysidro_historical_waittimes_hourly_avg.csv --port 250401
    """
    settings = _settings()
    from flows.wait_times import backfill

    loaded, rejected, dropped = _waits_step(
        "wait-time backfill", settings, lambda: backfill(settings, path, port)
    )
    note = f"; columns all 0, left out (no such lanes): {', '.join(dropped)}" if dropped else ""
    out.print(f"{loaded:,} hourly averages loaded for {port}, {rejected:,} rows rejected{note}")


@waits.command("forget")
def waits_forget(
    port: str = typer.Option(..., "--port", help="CBP wait-time port number whose backfill to remove."),
) -> None:
    """Remove the historical hourly averages loaded for one crossing (a file loaded with the wrong
    --port, say); its collected readings stay. The next refresh publishes the change.

    Example: hled waits forget --port 250401
    """
    settings = _settings()
    from flows.wait_times import forget

    forgotten = _waits_step("wait-time forget", settings, lambda: forget(settings, port))
    files = ", ".join(forgotten.files) or "no file record"
    out.print(f"{forgotten.averages:,} hourly averages removed for {port} (loaded from {files})")


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
