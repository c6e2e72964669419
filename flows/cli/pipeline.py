"""The commands that run the pipeline: one refresh now, the schedule served, or the schedule written
for a standing Prefect server."""

from __future__ import annotations

import signal
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from flows.cli.common import err, line, out, prefect_env, settings_or_exit, stop_on_signals, user_errors

if TYPE_CHECKING:
    from flows.settings import Settings


def release(exc: BaseException) -> None:
    """Clear the locals of every frame an unwound run left in its exceptions' tracebacks (open DuckDB
    objects among them), so the process ends quietly: DuckDB's bindings print pages of "leaked
    instance" at exit when such objects outlive the interpreter."""
    import gc
    import traceback

    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        one = pending.pop()
        if one is None or id(one) in seen:
            continue
        seen.add(id(one))
        if one.__traceback__ is not None:
            traceback.clear_frames(one.__traceback__)
        pending += [one.__context__, one.__cause__]
    gc.collect()


def refresh(
    force: bool = typer.Option(False, "--force", help="Rebuild even if no source changed."),
) -> None:
    """Fetch, parse, validate, build and publish the warehouse once, then export charts.

    Example: HLED_MIRROR=../shared/data hled refresh
    """
    settings = settings_or_exit()
    prefect_env(settings.home)
    from flows import helper

    helper.start_if_alone()  # imports GX on the other core while Prefect starts here
    try:
        _refresh(settings, force)
    finally:
        helper.stop()


def _refresh(settings: Settings, force: bool) -> None:
    """The refresh flow run once, its outcome said as a table and lines (exit 1 on failure, 128 + n
    when stopped by signal n)."""
    from prefect.exceptions import TerminationSignal

    from flows.errors import RunStopped
    from flows.refresh import refresh as refresh_flow
    from flows.runlog import RefreshBusy, busy, lines_in, log_unrecorded_failure, refresh_holder

    holder = refresh_holder(settings.home)
    if holder is not None:  # said at once, before a flow run is made for it
        line(err, "refresh failed:", busy(settings.home, holder))
        raise typer.Exit(1)
    before, started = lines_in(settings.run_log), datetime.now(UTC)

    try:
        with stop_on_signals():
            summary = refresh_flow(force=force)
    except (RunStopped, TerminationSignal) as exc:
        number = exc.signal_number if isinstance(exc, RunStopped) else exc.signal
        why = f"stopped by {signal.Signals(number).name}"
        log_unrecorded_failure(settings.run_log, before, started, "stopped", why)
        release(exc)
        line(
            err,
            "refresh stopped:",
            f"{why}; the published warehouse is whole (a half-built one is never published); logged in "
            f"{settings.run_log}",
        )
        raise typer.Exit(128 + number) from None
    except RefreshBusy as exc:  # the running refresh leaves its own line
        line(err, "refresh failed:", exc)
        raise typer.Exit(1) from None
    except user_errors() as exc:
        log_unrecorded_failure(settings.run_log, before, started, "failed", f"{type(exc).__name__}: {exc}")
        line(err, "refresh failed:", exc)
        raise typer.Exit(1) from None
    except Exception as exc:  # anything unforeseen still ends as one actionable line
        logged = log_unrecorded_failure(
            settings.run_log,
            before,
            started,
            "failed",
            f"{type(exc).__name__}: {exc} (before the flow began)",
        )
        where = f"; logged in {settings.run_log}" if logged else f" (details in {settings.run_log})"
        line(err, "refresh failed:", f"{type(exc).__name__}: {exc}{where}")
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
        line(out, "notice:", notice, "yellow")
    if summary.coverage_gaps:
        out.print(f"coverage gaps (see marts.coverage): {', '.join(summary.coverage_gaps)}", soft_wrap=True)
    out.print(f"warehouse: {summary.warehouse}", soft_wrap=True)
    if summary.charts_written:
        out.print(f"charts: {summary.charts_written} files under {settings.exports_dir}")
    from flows.outcome import format_seconds

    kept = f", {summary.derived_kept} derived tables kept as published" if summary.derived_kept else ""
    if summary.derived_by_month:
        kept += f", {summary.derived_by_month} computed again for the new files' months only"
    built = {
        "copy": f"; built from a copy of the published warehouse{kept}",
        "marks": "; the published warehouse with the new stale marks only (nothing loaded or derived)",
        "full": "; built in full",
    }
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
        line(
            err,
            "never published:" if name in summary.never_published else "stale:",
            f"{name} failed at {failure.stage}; {what} (exit status {summary.exit_code}): {failure.message}",
        )
    if summary.exit_code:
        raise typer.Exit(summary.exit_code)


def serve(
    cron: str = typer.Option(None, help="Cron schedule (default HLED_CRON, '0 6 * * *')."),
    timezone: str = typer.Option(None, help="Time zone of the schedule (default HLED_TIMEZONE)."),
) -> None:
    """Serve the refresh flow on a nightly cron schedule and the wait-time collector every
    HLED_WAIT_TIMES_EVERY minutes, as Prefect deployments (runs until stopped).

    Example: hled serve --cron "30 5 * * *" --timezone America/Mexico_City
    """
    settings = settings_or_exit()
    prefect_env(settings.home)
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
        line(err, "error:", exc)
        raise typer.Exit(2) from None
    except ServerFailed as exc:
        line(err, "serve failed:", exc)
        raise typer.Exit(1) from None


def prefect_yaml() -> None:
    """Print prefect.yaml for the production route (standing server, process worker) with the
    schedules of HLED_CRON, HLED_TIMEZONE and HLED_WAIT_TIMES_EVERY.

    Example: HLED_CRON="30 5 * * *" hled prefect-yaml > prefect.yaml && prefect deploy --all
    """
    settings = settings_or_exit(builds=False)
    from flows.deployment import nightly_schedule
    from flows.errors import SettingsError
    from flows.prefect_yaml import prefect_yaml as render

    try:
        nightly_schedule(settings.cron, settings.timezone)
    except SettingsError as exc:
        line(err, "error:", exc)
        raise typer.Exit(2) from None
    out.file.write(render(settings))
