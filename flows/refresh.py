"""The `refresh` flow: each source loaded on its own (fetch -> parse -> validate), a failed one kept as
last published, then build -> publish -> charts. The flow names the stages' order; the work is theirs."""

from __future__ import annotations

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.utilities.annotations import quote

from flows.ingest.polite import PACING
from flows.notify import lagging_sources, stale_sources
from flows.outcome import RunSummary, SourceLoad
from flows.run import ChartsFailed, RefreshRun, raise_for_charts, recorded, summary_markdown
from flows.runlog import refresh_lock
from flows.sources import SOURCES, checked_settings
from flows.stages import (
    build_task,
    charts_stale,
    charts_task,
    keep_not_asked,
    keep_published,
    load_source,
    publish_task,
)

__all__ = ["ChartsFailed", "RunSummary", "refresh"]


@flow(name="refresh")
def refresh(force: bool = False) -> RunSummary:
    """Refresh every source into a new warehouse and publish it. A source that fails keeps its last
    published data and is marked stale (`summary.stale`, exit status 3 in the CLI); bad data is never
    published. With nothing new (same files, code and source states) nothing is: status `unchanged`."""
    settings = checked_settings()
    log = get_run_logger()
    PACING.waited = 0.0
    with refresh_lock(settings.home), recorded(settings) as run:
        run.clean_leftovers()  # partial downloads, extractions and a half-built file of a killed run
        run.recover()  # a damaged warehouse put back from its snapshot, a damaged wait history rebuilt
        run.read_published()  # per source: files, rows, code version and state as published
        loads = [
            load_source(SOURCES[name], settings, run.published.get(name, {}).get("rows_loaded"))
            for name in settings.sources
        ]
        if PACING.waited:
            log.info("waited %.1f s in all for the publishers' pacing (HLED_HTTP_PACING)", PACING.waited)
        summary = _summary(run, loads)
        if run.unchanged(loads) and not force:
            log.info("no source changed since the published warehouse; nothing rebuilt")
            if settings.charts and charts_stale(settings):
                with run.watch.stage("charts"):
                    summary.charts_written, summary.charts_failed = charts_task(settings)
            return _finish(run, summary, "no source changed")
        marks_only = run.unchanged(loads, marks=True)  # only new stale marks: data and marts as published
        drawn = settings.charts and not charts_stale(settings)  # the exports match the published file
        loads = [keep_published(ld, SOURCES[ld.name], settings) if ld.failure else ld for ld in loads]
        loads += keep_not_asked(
            SOURCES, list(settings.sources), set(run.published) | set(run.status), settings
        )
        if not any(ld.core for ld in loads):  # every source failed and none was ever published
            log.error("no source could be loaded, and none was published before: nothing to publish")
            return _finish(run, summary, "nothing to publish")
        with run.watch.stage("build"):
            inputs = run.build_input(SOURCES, loads, full=force, marks_only=marks_only)
            built = build_task(quote(inputs), settings)  # not walked by Prefect: every file of the history
        summary.revisions, summary.build = built.revisions, built.how
        summary.derived_kept = built.counts.get("derived tables kept", 0)
        summary.derived_by_month = built.counts.get("derived tables by month", 0)
        summary.notices += built.notices
        summary.stages.update({f"build {step}": t for step, t in built.steps.items()})  # the build's profile
        with run.watch.stage("publish"):
            publish_task(built, settings)
        run.published_now = True
        summary.status = "published"
        summary.rows = {ld.name: ld.rows for ld in loads if ld.loaded}
        summary.rejects = {ld.name: ld.rejected for ld in loads if ld.loaded}
        summary.parsed = {ld.name: ld.newly_parsed for ld in loads if ld.loaded}
        if settings.charts:  # new stale marks alone: only the charts drawn from those sources change
            changed = set(summary.stale) if drawn and built.how == "marks" else None
            with run.watch.stage("charts"):
                summary.charts_written, summary.charts_failed = charts_task(settings, changed)
        return _finish(run, summary, "; ".join(f"{k} {v:,} rows" for k, v in summary.rows.items()))


def _summary(run: RefreshRun, loads: list[SourceLoad]) -> RunSummary:
    """What the loads say before anything is built: fetches, gaps, notices and the stale sources."""
    return RunSummary(
        run_id=run.run_id,
        status="unchanged",
        warehouse=str(run.settings.warehouse_path),
        fetches={ld.name: ld.fetch for ld in loads if ld.fetch or ld.failure},
        coverage_gaps=[f"{ld.name} {gap}" for ld in loads for gap in ld.gaps],
        notices=[*run.notices, *(n for ld in loads for n in ld.notices)],
        stale={ld.name: ld.failure for ld in loads if ld.failure is not None},
        never_published=[ld.name for ld in loads if ld.failure is not None and ld.name not in run.published],
        stages={f"{ld.name} {stage}": t for ld in loads for stage, t in ld.watch.seconds.items()},
    )


def _finish(run: RefreshRun, summary: RunSummary, message: str) -> RunSummary:
    """Log the run, leave the summary as the run's artifact, and report charts that failed."""
    if summary.stale:
        message += "; stale: " + ", ".join(f"{k} ({f.rule or f.stage})" for k, f in summary.stale.items())
    summary.stages.update(run.watch.seconds)
    summary.seconds = run.elapsed()
    run.record(summary.status, message, summary.stages)
    try:  # the run is recorded: telling the operator must not turn it into a failed one
        never = {
            name
            for name in summary.stale
            if name not in run.published or run.status.get(name, {}).get("state") == "missing"
        }
        since = {name: run.failing_since(name) for name in summary.stale}
        stale_sources(run.settings, summary.stale, since, never_published=never)
        lagging_sources(run.settings)
    except Exception as exc:
        get_run_logger().warning("could not tell HLED_NOTIFY of the stale or behind sources: %s", exc)
    create_markdown_artifact(summary_markdown(summary), key="refresh-summary")
    raise_for_charts(summary)
    return summary
