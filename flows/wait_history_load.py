"""The refresh's load of the CBP wait-time history (a source in the registry whose data is not fetched
as files but exported from the collector's store): its readings validated once per content and code."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import partial
from typing import TYPE_CHECKING

import polars as pl
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from expectations.runner import LINE_COLUMN, ValidationFailed, failure_message, validate_frame_built
from expectations.wait_times import build_suite
from flows import helper
from flows.outcome import SourceLoad
from flows.settings import Settings
from flows.version import code_version
from transforms.cache import StageCache, digest
from transforms.wait_times import latest_readings
from warehouse import wait_history

if TYPE_CHECKING:
    from flows.registry import Source


@task(name="wait times history", cache_policy=NO_CACHE)
def load_wait_history(source: Source, settings: Settings) -> SourceLoad:
    """The refresh's load of the wait-times history: copy it for this build and validate its readings
    (GX), once per content and code. An empty load when nothing was collected yet."""
    log = get_run_logger()
    export = wait_history.export(settings.wait_history, settings.build_dir / "wait_times")
    if export is None:
        return SourceLoad(source.name)
    readings = latest_readings(pl.read_parquet(export.readings, glob=False))
    cache = StageCache(settings.build_dir / "cache", "validate")
    key = digest(export.fingerprint, code_version("expectations"))
    validations: list[dict] = []
    if readings.height and not cache.marked(source.name, key):
        frame = readings.with_row_index(LINE_COLUMN, offset=1)
        report = helper.run(
            validate_frame_built,
            frame,
            partial(build_suite, date.today()),
            settings.docs_dir / "data_docs",
            source.name,
        )
        if not report.success:
            raise ValidationFailed(
                failure_message(report, f"{source.name} history {settings.wait_history} (row = reading)")
            )
        cache.mark(source.name, key)
        validations = [{**r, "suite": report.suite, "source": source.name} for r in report.results]
    log.info(
        "wait times history: %d readings (%d lane updates), %d profile rows, %d rejects, %d snapshots",
        export.reading_count,
        readings.height,
        export.profile_count,
        export.reject_count,
        export.snapshots,
    )
    source_file = {
        "source": source.name,
        "file_key": "history",
        "url": settings.url_for(source.name, source.url),
        "path": str(settings.wait_history),
        "sha256": export.fingerprint,
        "bytes": settings.wait_history.stat().st_size,
        "fetched_at": export.last_collected or datetime.now(UTC),
        "fetch_status": f"{export.snapshots} snapshots collected",
        "layout": "bwt_history",
        "rows_read": export.reading_count + export.profile_count,
        "rows_loaded": readings.height + export.profile_count,
        "rows_rejected": export.reject_count,
        "parse_status": "collected",
    }
    rejects = pl.read_parquet(export.rejects, glob=False).select(
        pl.lit(source.name).alias("source"),
        pl.col("file_sha256").alias("file"),
        "line",
        "rule",
        "reason",
        "raw",
    )
    return SourceLoad(
        source.name,
        fetch=f"history of {export.snapshots} snapshots",
        validations=validations,
        core={"core.fact_wait_times": readings, "core.fact_wait_time_profile": export.profiles},
        source_files=[source_file],
        rejects=[rejects],
        rows=readings.height + export.profile_count,
        rejected=export.reject_count,
    )
