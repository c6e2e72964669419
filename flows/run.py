"""One refresh run's bookkeeping, around the stages: the lock, the run log, what an interrupted run left,
what the published warehouse holds, the rows of meta.runs / meta.source_status this run writes, the
Prefect artifact, and the record of a failure."""

from __future__ import annotations

import signal
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from prefect import get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.exceptions import TerminationSignal

from flows.errors import RunStopped
from flows.ingest.transborder_zips import choice_row
from flows.leftovers import clean_leftovers
from flows.notify import run_failed
from flows.outcome import RunSummary, SourceLoad, Stopwatch, format_seconds
from flows.registry import Source
from flows.runlog import append_run, mark_killed_runs, read_runs
from flows.settings import Settings
from flows.version import code_version
from flows.wait_times import repair_history
from warehouse.assemble import core_inputs, health_sql, vintage_sql
from warehouse.build import BuildInput
from warehouse.db import storage_matches
from warehouse.meta import meta_frame, meta_rows
from warehouse.publish import published_run, published_state, published_status, recover
from warehouse.safe_text import markdown_text as md


class ChartsFailed(RuntimeError):
    """The warehouse was published but some charts could not be exported; they are named."""


@dataclass
class RefreshRun:
    """A refresh in progress: its id and start, and what the published warehouse held when it began."""

    settings: Settings
    run_id: str
    started_at: datetime
    published: dict[str, dict] = field(default_factory=dict)  # per source: files, rows, code version
    status: dict[str, dict] = field(default_factory=dict)  # per source: meta.source_status as published
    published_now: bool = False
    notices: list[str] = field(default_factory=list)  # what the run did that the operator should know
    watch: Stopwatch = field(default_factory=Stopwatch)  # build, publish and charts times

    def clean_leftovers(self) -> None:
        """Remove what an interrupted run left: partial downloads, extractions, a half-built file."""
        leftovers = clean_leftovers(self.settings.raw_dir, self.settings.build_dir)
        if leftovers:
            get_run_logger().warning("removed what an interrupted run left: %s", "; ".join(leftovers))

    def recover(self) -> None:
        """Put back a damaged published warehouse from its newest good snapshot, and set aside and rebuild
        a wait-time history that cannot be opened; each is a notice for the operator."""
        settings = self.settings
        self.notices = [
            *recover(settings.warehouse_path, settings.snapshots_dir, settings.home / "damaged"),
            *repair_history(settings),
        ]
        for notice in self.notices:
            get_run_logger().warning(notice)

    def read_published(self) -> None:
        """What the published warehouse holds per source (files, rows, code version, state), and the runs
        of the log that never finished (killed), marked so."""
        path = self.settings.warehouse_path
        self.published = published_state(path)
        self.status = published_status(path)
        for killed in mark_killed_runs(
            self.settings.run_log, self.run_id, code_version(), published_run(path)
        ):
            get_run_logger().warning(
                "run %s never finished (killed); logged in %s", killed, self.settings.run_log
            )

    def elapsed(self) -> float:
        """Seconds since the run began."""
        return (datetime.now(UTC) - self.started_at).total_seconds()

    def record(self, status: str, message: str, stages: dict[str, float] | None = None) -> None:
        append_run(
            self.settings.run_log,
            self.run_id,
            self.started_at,
            datetime.now(UTC),
            status,
            code_version(),
            message,
            stages,
        )

    def unchanged(self, loads: list[SourceLoad], marks: bool = False) -> bool:
        """Nothing to publish: every source loaded the files the published warehouse holds, by the same
        code, and every failed source is already marked so there. With `marks`, a source failing for
        the first time is allowed: nothing but its stale mark would be new (a marks-only build)."""
        for load in loads:
            before = self.status.get(load.name, {}).get("state", "current")
            if load.failure is not None:
                if before == "current" and not marks:
                    return False
            elif before != "current":
                return False
        loaded = {ld.name: ld.files for ld in loads if ld.failure is None and ld.files}
        # failed, or not asked this run (HLED_SOURCES): kept as published
        kept = {ld.name for ld in loads if ld.failure is not None} | (
            set(self.published) - {ld.name for ld in loads}
        )
        path = self.settings.warehouse_path
        if (
            self.published
            and path.exists()
            and not storage_matches(path, self.settings.duckdb_storage_version)
        ):  # HLED_DUCKDB_STORAGE_VERSION changed: the same data is written again in its format
            return False
        return set(self.published) - kept == set(loaded) and all(
            self.published[name]["files"] == files and self.published[name]["code_version"] == code_version()
            for name, files in loaded.items()
        )

    def failing_since(self, source: str) -> datetime:
        """When a source that fails this run began to fail: the first failed run in a row."""
        before = self.status.get(source, {})
        return before["since"] if before.get("state") in ("stale", "missing") else self.started_at

    def source_status(self, loads: list[SourceLoad]) -> pl.DataFrame:
        """meta.source_status of the file this run builds: current, stale (last good data kept) or
        missing, with since when (the first failed run in a row) and tonight's reason."""
        out = []
        for load in loads:
            before = self.status.get(load.name, {})
            if load.failure is None and load.kept:  # not asked this run: its state as published
                if before:
                    out.append(dict(before))
                continue
            if load.failure is None:
                if not load.source_files:
                    continue
                out.append(
                    {
                        "source": load.name,
                        "state": "current",
                        "since": self.started_at,
                        "data_run_id": self.run_id,
                    }
                )
                continue
            out.append(
                {
                    "source": load.name,
                    "state": "stale" if load.kept else "missing",
                    "since": self.failing_since(load.name),
                    "data_run_id": before.get("data_run_id")
                    or self.published.get(load.name, {}).get("run_id"),
                    "stage": load.failure.stage,
                    "rule": load.failure.rule,
                    "file": load.failure.file,
                    "reason": load.failure.message,
                }
            )
        return meta_rows("source_status", [{**row, "checked_run_id": self.run_id} for row in out])

    def build_input(
        self,
        sources: dict[str, Source],
        loads: list[SourceLoad],
        full: bool = False,
        marks_only: bool = False,
    ) -> BuildInput:
        """Everything the build loads: the core tables as the registry assembles them from the loads
        (a stale source's from the published file), this run's meta rows, and unless `full` what is new
        since the published warehouse (the build then starts from a copy of it)."""
        run_id = self.run_id
        return BuildInput(
            changed=None if full else self.changes(sources, loads),
            marks_only=marks_only and not full,
            tables=core_inputs(sources, loads),
            runs=self.runs(loads),
            source_files=meta_rows(
                "source_files", [{"run_id": run_id, **r} for ld in loads for r in ld.source_files]
            ),
            validations=meta_rows(
                "validations", [{"run_id": run_id, **r} for ld in loads for r in ld.validations]
            ),
            rejects=meta_frame(
                "rejects",
                pl.concat(
                    [f.with_columns(pl.lit(run_id).alias("run_id")) for ld in loads for f in ld.rejects],
                    how="diagonal_relaxed",
                ),
            )
            if any(ld.rejects for ld in loads)
            else meta_rows("rejects", []),
            run_id=run_id,
            file_choices=meta_rows(
                "file_choices", [{"run_id": run_id, **choice_row(c)} for ld in loads for c in ld.choices]
            ),
            source_status=self.source_status(loads),
            kept_sources=tuple(ld.name for ld in loads if ld.kept),
            vintages=[
                *(vintage_sql(sources[ld.name]) for ld in loads if ld.core and sources[ld.name].vintage),
                *(sql for ld in loads for sql in health_sql(sources[ld.name], self.settings.behind_margin)),
            ],
            revised=[r for s in sources.values() for r in s.revisions],
        )

    def changes(self, sources: dict[str, Source], loads: list[SourceLoad]) -> dict[str, list[Path]] | None:
        """Per core table loaded from files, the files new since the published warehouse, when the build
        may start from a copy of it: the same code published every source and none of its files has
        gone (a month BTS withdrew). None when the build must be full."""
        if not self.published or not self.settings.warehouse_path.exists():
            return None
        changed: dict[str, list[Path]] = {}
        for load in loads:
            if not load.core or load.kept:
                continue
            before = self.published.get(load.name)
            if before is None or before["code_version"] != code_version():
                return None
            if {key for key, _ in before["files"]} - {key for key, _ in load.files}:
                return None
            new = load.files - before["files"]
            for table, spec in sources[load.name].tables.items():
                changed[spec.core_table] = [
                    Path(parsed.clean_path)
                    for part, parsed in zip(load.parts, load.parsed, strict=True)
                    if parsed.table == table and (part.key, part.sha256) in new
                ]
        return changed

    def runs(self, loads: list[SourceLoad]) -> pl.DataFrame:
        """meta.runs: the run log so far plus this run, as published."""
        message = "; ".join(
            f"{ld.name}: {ld.rows:,} rows, {ld.rejected:,} rejected" for ld in loads if ld.failure is None
        )
        stale = [ld.name for ld in loads if ld.failure is not None]
        if stale:
            message += f"; stale: {', '.join(stale)}"
        this_run = meta_rows(
            "runs",
            [
                {
                    "run_id": self.run_id,
                    "started_at": self.started_at,
                    "finished_at": datetime.now(UTC),
                    "status": "published",
                    "code_version": code_version(),
                    "message": message,
                }
            ],
        )
        history = read_runs(self.settings.run_log).filter(pl.col("run_id") != self.run_id)
        return pl.concat([history, this_run])


def _current_run_id() -> str:
    from prefect.runtime import flow_run

    return str(flow_run.id or uuid.uuid4())


def _stopped_by(exc: BaseException) -> str:
    """How a run stopped by a signal is logged: `stopped by SIGTERM` (Prefect's engine turns SIGTERM
    inside a flow into TerminationSignal, ours into RunStopped)."""
    number = getattr(exc, "signal", None) or getattr(exc, "signal_number", None) or signal.SIGINT
    return f"stopped by {signal.Signals(number).name}"


@contextmanager
def recorded(settings: Settings) -> Iterator[RefreshRun]:
    """A new run, logged as running (a line left so was killed); a failure is logged with why, said in
    the artifact and told to HLED_NOTIFY. Taken inside the refresh lock."""
    log = get_run_logger()
    run = RefreshRun(settings, _current_run_id(), datetime.now(UTC))
    append_run(
        settings.run_log,
        run.run_id,
        run.started_at,
        run.started_at,
        "running",
        code_version(),
        "started; a run left in this state was killed",
    )
    log.info(
        "refresh run %s started: sources %s into %s", run.run_id, ", ".join(settings.sources), settings.home
    )
    try:
        yield run
    except ChartsFailed:
        raise  # the run was recorded as published: the warehouse is fine, the exports are not
    except BaseException as exc:  # killed runs keep their "running" line; everything else says why
        if isinstance(exc, Exception):
            outcome = (
                "The new warehouse was published before the failure."
                if run.published_now
                else "Nothing was published; the previous warehouse stays."
            )
            try:
                create_markdown_artifact(
                    f"# Refresh {md(run.run_id)}: failed\n\n{outcome}\n\n{md(type(exc).__name__)}: {md(exc)}",
                    key="refresh-summary",
                )
            except Exception:  # the artifact must not hide the failure it reports
                log.warning("could not record the failure artifact")
        if isinstance(exc, RunStopped | KeyboardInterrupt | TerminationSignal):
            done = (
                "its new warehouse was published first"
                if run.published_now
                else "nothing of it was published"
            )
            run.record("stopped", f"{_stopped_by(exc)}; {done}")
        else:
            run.record("failed", f"{type(exc).__name__}: {exc}")
        if isinstance(exc, Exception):
            run_failed(settings, run.run_id, exc, run.published_now)
        raise


def summary_markdown(summary: RunSummary) -> str:
    """The refresh-summary artifact: per source how it went, gaps, notices, stale sources, revisions.
    Every value that can carry text from the data or a publisher is Markdown-escaped (`md`)."""
    lines = [
        f"# Refresh {md(summary.run_id)}: {md(summary.status)}",
        "",
        "| source | fetch | files parsed | rows loaded | rejected |",
        "|---|---|---:|---:|---:|",
    ]
    for name, status in summary.fetches.items():
        lines.append(
            f"| {md(name)} | {md(status)} | {summary.parsed.get(name, 0)} | {summary.rows.get(name, 0):,} | "
            f"{summary.rejects.get(name, 0):,} |"
        )
    if summary.stale:
        lines += ["", "Failed sources (exit status 3; a stale one's last published data is kept):"]
        never = " and never published: nothing of it is in the warehouse"
        lines += [
            f"- {md(name)}: failed at {md(f.stage)}{never if name in summary.never_published else ''}: "
            f"{md(f.message)}"
            for name, f in summary.stale.items()
        ]
    if summary.coverage_gaps:
        lines += ["", "Coverage gaps: " + ", ".join(md(g) for g in summary.coverage_gaps)]
    if summary.notices:
        lines += ["", "Notices:", *[f"- {md(n)}" for n in summary.notices]]
    if summary.status == "published":
        revised = ", ".join(f"{md(k)} {v:,}" for k, v in summary.revisions.items()) or "none"
        lines += ["", f"Values revised in months already published (meta.revisions): {revised}"]
    if summary.charts_failed:
        lines += ["", "Charts that failed: " + ", ".join(md(c) for c in summary.charts_failed)]
    if summary.stages:
        lines += ["", f"Stage times: {md(format_seconds(summary.stages))}; {summary.seconds:.1f} s in all"]
    return "\n".join(lines)


def raise_for_charts(summary: RunSummary) -> None:
    if summary.charts_failed:
        names = "; ".join(f"{k}: {v}" for k, v in summary.charts_failed.items())
        raise ChartsFailed(f"warehouse published, but {len(summary.charts_failed)} charts failed: {names}")
