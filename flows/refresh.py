"""The `refresh` flow: fetch -> parse -> validate -> build -> publish -> charts, once.
The flow is the only place that knows the order; each task calls one stage."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from expectations.runner import ValidationFailed, failure_message, validate_frame
from flows.fetch import Fetched, Target, TransientFetchError, fetch_source, prune_partials
from flows.runlog import append_run, read_runs, refresh_lock
from flows.settings import Settings
from flows.sources import SOURCES, Source
from flows.version import code_version
from transforms.crossings import check_reject_share, measure_dimension, port_dimension
from warehouse.build import BuildInput, build_warehouse
from warehouse.publish import publish, published_state


@dataclass(frozen=True)
class ParsedFiles:
    """A parsed raw file, kept as Parquet under build/parsed/ keyed by content hash and code."""

    source: str
    raw_path: str
    clean_path: str
    rejects_path: str
    layout: str
    rows_read: int
    rows_clean: int
    rows_rejected: int
    reused: bool


@dataclass
class RunSummary:
    run_id: str
    status: str  # published | unchanged
    rows: dict[str, int] = field(default_factory=dict)
    rejects: dict[str, int] = field(default_factory=dict)
    fetches: dict[str, str] = field(default_factory=dict)
    warehouse: str = ""
    charts_written: int = 0
    charts_failed: dict[str, str] = field(default_factory=dict)


def _retry_transient(task, task_run, state) -> bool:
    """Retry only failures that may pass: timeouts, connection errors, 5xx, cut-off bodies."""
    try:
        state.result()
    except TransientFetchError:
        return True
    except Exception:
        return False
    return False


@task(name="fetch", retry_condition_fn=_retry_transient, cache_policy=NO_CACHE)
def fetch_task(source: Source, settings: Settings) -> Fetched:
    log = get_run_logger()
    mirror_file = source.mirror_file(settings.mirror)
    url = settings.url_for(source.name, source.url)
    target = Target(source.name, source.name, url, "csv", source.layouts)
    fetched = fetch_source(target, settings.raw_dir, mirror_file=mirror_file, timeout=settings.http_timeout)
    log.info(
        "%s: %s %s (%s bytes, sha256 %s)",
        source.name,
        fetched.status,
        fetched.url,
        f"{fetched.bytes:,}",
        fetched.sha256[:12],
    )
    return fetched


@task(name="parse", cache_policy=NO_CACHE)
def parse_task(source: Source, fetched: Fetched, settings: Settings) -> ParsedFiles:
    """Parse a raw file, or reuse the Parquet of an earlier parse of the same bytes by the same code."""
    log = get_run_logger()
    folder = settings.build_dir / "parsed" / source.name / f"{fetched.sha256[:16]}-{code_version()}"
    info_path = folder / "info.json"
    if info_path.exists():
        parsed = ParsedFiles(**{**json.loads(info_path.read_text()), "reused": True})
        log.info(
            "%s: reusing parse of %s (%s rows)", source.name, fetched.sha256[:12], f"{parsed.rows_clean:,}"
        )
        return parsed
    label = f"{source.name} raw file {fetched.path}"
    result = source.parse(Path(fetched.path), label)
    check_reject_share(result, settings.max_reject_share, label)
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    result.clean.write_parquet(tmp / "clean.parquet")
    result.rejects.write_parquet(tmp / "rejects.parquet")
    parsed = ParsedFiles(
        source=source.name,
        raw_path=fetched.path,
        clean_path=str(folder / "clean.parquet"),
        rejects_path=str(folder / "rejects.parquet"),
        layout=result.layout,
        rows_read=result.rows_read,
        rows_clean=result.clean.height,
        rows_rejected=result.rejects.height,
        reused=False,
    )
    (tmp / "info.json").write_text(json.dumps(asdict(parsed)))
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(tmp, folder)
    log.info(
        "%s: parsed %s rows (%s layout): %s clean, %s rejected",
        source.name,
        f"{result.rows_read:,}",
        result.layout,
        f"{result.clean.height:,}",
        f"{result.rejects.height:,}",
    )
    return parsed


@task(name="validate", cache_policy=NO_CACHE)
def validate_task(
    source: Source, parsed: ParsedFiles, previous_rows: int | None, settings: Settings
) -> list[dict]:
    log = get_run_logger()
    suite = source.suite(previous_rows, settings.min_row_ratio, date.today())
    frame = pl.read_parquet(parsed.clean_path)
    report = validate_frame(frame, suite, settings.docs_dir / "data_docs", source.name)
    if not report.success:
        raise ValidationFailed(failure_message(report, f"{source.name} raw file {parsed.raw_path}"))
    log.info(
        "%s: %d expectations passed (Data Docs: %s)", source.name, len(report.results), report.docs_index
    )
    return [{**r, "suite": report.suite, "source": source.name} for r in report.results]


def _core_tables(parsed: dict[str, ParsedFiles]) -> dict[str, pl.DataFrame | Path]:
    """Frames for each core table (dimensions derived by the transforms, facts from Parquet)."""
    crossings = pl.read_parquet(parsed["bts_crossings"].clean_path)
    sources = pl.DataFrame(
        [(s.name, s.title, s.publisher, s.url) for s in SOURCES.values()],
        schema=["source", "title", "publisher", "url"],
        orient="row",
    )
    return {
        "core.dim_source": sources,
        "core.dim_port": port_dimension(crossings),
        "core.dim_measure": measure_dimension(),
        "core.fact_crossings": crossings.select("port_code", "month", "measure", "value"),
    }


@task(name="build", cache_policy=NO_CACHE)
def build_task(
    run_id: str,
    started_at: datetime,
    fetched: dict[str, Fetched],
    parsed: dict[str, ParsedFiles],
    validations: dict[str, list[dict]],
    settings: Settings,
) -> tuple[str, dict[str, int]]:
    log = get_run_logger()
    now = datetime.now(UTC)
    this_run = pl.DataFrame(
        [
            {
                "run_id": run_id,
                "started_at": started_at,
                "finished_at": now,
                "status": "published",
                "code_version": code_version(),
                "message": "; ".join(
                    f"{k}: {v.rows_clean:,} rows, {v.rows_rejected:,} rejected" for k, v in parsed.items()
                ),
            }
        ]
    )
    history = read_runs(settings.run_log)
    runs = pl.concat([history, this_run.cast(history.schema)])
    source_files = pl.DataFrame(
        [
            {
                "run_id": run_id,
                "source": name,
                "url": f.url,
                "path": f.path,
                "sha256": f.sha256,
                "bytes": f.bytes,
                "etag": f.etag,
                "last_modified": f.last_modified,
                "fetched_at": datetime.fromisoformat(f.fetched_at),
                "fetch_status": f.status,
                "layout": parsed[name].layout,
                "rows_read": parsed[name].rows_read,
                "rows_loaded": parsed[name].rows_clean,
                "rows_rejected": parsed[name].rows_rejected,
            }
            for name, f in fetched.items()
        ]
    )
    rejects = pl.concat(
        [
            pl.read_parquet(p.rejects_path).with_columns(
                pl.lit(run_id).alias("run_id"), pl.lit(name).alias("source"), pl.lit(p.raw_path).alias("file")
            )
            for name, p in parsed.items()
        ]
    )
    validation_rows = pl.DataFrame(
        [{"run_id": run_id, **row} for rows in validations.values() for row in rows],
        schema_overrides={"unexpected_count": pl.Int64},
    )
    target = settings.build_dir / "warehouse.duckdb.tmp"
    counts = build_warehouse(
        target,
        BuildInput(
            tables=_core_tables(parsed),
            runs=runs,
            source_files=source_files,
            validations=validation_rows,
            rejects=rejects,
        ),
        previous=settings.warehouse_path if settings.warehouse_path.exists() else None,
    )
    log.info("built %s: %s", target, ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    return str(target), counts


@task(name="publish", cache_policy=NO_CACHE)
def publish_task(built: str, settings: Settings) -> str:
    log = get_run_logger()
    snapshot = publish(Path(built), settings.warehouse_path, settings.snapshots_dir, settings.snapshots)
    log.info("published %s%s", settings.warehouse_path, f" (previous kept as {snapshot})" if snapshot else "")
    return str(settings.warehouse_path)


@task(name="charts", cache_policy=NO_CACHE)
def charts_task(settings: Settings) -> tuple[int, dict[str, str]]:
    from dashboards.export import export_charts

    log = get_run_logger()
    written, failed = 0, {}
    for lang in ("en", "es"):
        report = export_charts(settings.warehouse_path, settings.exports_dir, lang)
        written += len(report.written)
        failed.update({f"{name} ({lang})": why for name, why in report.failed.items()})
    log.info("exported %d chart files under %s", written, settings.exports_dir)
    for name, why in failed.items():
        log.error("chart %s failed: %s", name, why)
    return written, failed


def _current_run_id() -> str:
    from prefect.runtime import flow_run

    return str(flow_run.id or uuid.uuid4())


def _summary_markdown(summary: RunSummary) -> str:
    lines = [
        f"# Refresh {summary.run_id}: {summary.status}",
        "",
        "| source | fetch | rows loaded | rejected |",
        "|---|---|---:|---:|",
    ]
    for name, status in summary.fetches.items():
        lines.append(
            f"| {name} | {status} | {summary.rows.get(name, 0):,} | {summary.rejects.get(name, 0):,} |"
        )
    if summary.charts_failed:
        lines += ["", "Charts that failed: " + ", ".join(summary.charts_failed)]
    return "\n".join(lines)


@flow(name="refresh")
def refresh(force: bool = False) -> RunSummary:
    """Refresh every source into a new warehouse and publish it if everything passed.
    With nothing changed upstream (and the same code) it publishes nothing: status `unchanged`."""
    settings = Settings.from_env()
    log = get_run_logger()
    run_id = _current_run_id()
    started_at = datetime.now(UTC)
    with refresh_lock(settings.home):
        try:
            leftovers = prune_partials(settings.raw_dir)
            if leftovers:
                log.warning("removed %d partial downloads left by an interrupted run", leftovers)
            published = published_state(settings.warehouse_path)
            fetched = {
                name: fetch_task.with_options(
                    retries=settings.http_retries,
                    retry_delay_seconds=list(settings.retry_delays),
                )(source, settings)
                for name, source in SOURCES.items()
            }
            summary = RunSummary(
                run_id=run_id,
                status="unchanged",
                fetches={k: v.status for k, v in fetched.items()},
                warehouse=str(settings.warehouse_path),
            )
            same = all(
                published.get(name, {}).get("sha256") == f.sha256
                and published[name].get("code_version") == code_version()
                for name, f in fetched.items()
            )
            if same and not force:
                log.info("no source changed since the published warehouse; nothing rebuilt")
                append_run(
                    settings.run_log,
                    run_id,
                    started_at,
                    datetime.now(UTC),
                    "unchanged",
                    code_version(),
                    "no source changed",
                )
                create_markdown_artifact(_summary_markdown(summary), key="refresh-summary")
                return summary
            parsed = {name: parse_task(SOURCES[name], f, settings) for name, f in fetched.items()}
            validations = {
                name: validate_task(SOURCES[name], p, published.get(name, {}).get("rows_loaded"), settings)
                for name, p in parsed.items()
            }
            built, counts = build_task(run_id, started_at, fetched, parsed, validations, settings)
            publish_task(built, settings)
            summary.status = "published"
            summary.rows = {k: p.rows_clean for k, p in parsed.items()}
            summary.rejects = {k: p.rows_rejected for k, p in parsed.items()}
            if settings.charts:
                summary.charts_written, summary.charts_failed = charts_task(settings)
            append_run(
                settings.run_log,
                run_id,
                started_at,
                datetime.now(UTC),
                "published",
                code_version(),
                f"published {counts.get('core.fact_crossings', 0):,} crossings rows",
            )
            create_markdown_artifact(_summary_markdown(summary), key="refresh-summary")
            return summary
        except Exception as exc:
            append_run(
                settings.run_log,
                run_id,
                started_at,
                datetime.now(UTC),
                "failed",
                code_version(),
                f"{type(exc).__name__}: {exc}",
            )
            raise
