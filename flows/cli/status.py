"""The commands an operator checks with: the pipeline's health (`status`, whose exit status is the
verdict) and the previously published warehouses kept as snapshots."""

from __future__ import annotations

import typer
from rich.table import Table
from rich.text import Text

from flows.cli.common import line, out, settings_or_exit, warehouse_error


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
            line(out, f"{s.source} is {judged.state}{colon}", judged.detail)


def status() -> None:
    """Show the last run, the published warehouse and, per source, its state, latest month and
    freshness; the exit status is the health: 0 ok, 1 the last run failed, 3 a source is stale, never
    published or behind its publisher's usual lag (or no refresh succeeded lately), 4 nothing published yet.

    Example: hled status || echo "the border pipeline needs a look"
    """
    settings = settings_or_exit(builds=False)
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
            warehouse_error(exc)
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
    line(out, "health:", verdict.summary.removeprefix("health: "), "green" if not verdict.health else "red")
    raise typer.Exit(int(verdict.health))


def snapshots() -> None:
    """List the previously published warehouses kept as snapshots, newest first.

    Example: hled snapshots
    """
    settings = settings_or_exit(builds=False)
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
