"""The `refresh` flow: collect (fetch) -> parse -> validate -> build -> publish -> charts, once.
The flow is the only place that knows the order; each task calls one stage."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import hashlib
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

from expectations.runner import FILE_COLUMN, ValidationFailed, failure_message, validate_frame
from expectations.transborder import cross_table_mismatches, table_totals
from flows.collect import Collection, Part
from flows.fetch import mark_rejected
from flows.leftovers import BUILT_NAME, clean_leftovers
from flows.polite import PACING
from flows.runlog import append_run, mark_killed_runs, read_runs, refresh_lock
from flows.settings import Settings
from flows.sources import FEEDS, SOURCES, WAIT_TIMES, Source
from flows.transborder_zips import Choice
from flows.version import code_version
from flows.wait_times import WaitInputs, wait_history_task
from transforms.crossings import measure_dimension, port_dimension
from transforms.errors import ParseError, SchemaDriftError
from transforms.rawfile import check_reject_share
from transforms.trade_codes import (
    commodity_dimension,
    country_dimension,
    mode_dimension,
    region_dimension,
    trade_type_dimension,
)
from transforms.transborder import extend_ports, trade_ports
from transforms.wait_times import crossing_dimension
from warehouse.build import BuildInput, build_warehouse, revision_counts
from warehouse.indicators import emission_factor_frame
from warehouse.publish import publish, published_run, published_state


@dataclass(frozen=True)
class ParsedFiles:
    """A parsed raw file, kept as Parquet under build/parsed/ keyed by content hash and code."""

    source: str
    table: str
    key: str
    raw_path: str
    clean_path: str
    rejects_path: str
    totals_path: str
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
    parsed: dict[str, int] = field(default_factory=dict)
    coverage_gaps: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # what the operator should know: a fallback used, …
    warehouse: str = ""
    charts_written: int = 0
    charts_failed: dict[str, str] = field(default_factory=dict)
    revisions: dict[str, int] = field(default_factory=dict)  # values revised in months already published


@task(name="fetch", cache_policy=NO_CACHE)
def fetch_task(source: Source, settings: Settings) -> Collection:
    """Fetch every file of a source (each request paced and retried on its own; files held or
    unchanged upstream are not downloaded)."""
    log = get_run_logger()
    collection = source.collect(source, settings)
    log.info("%s: %d files (%s)", source.name, len(collection.parts), _fetch_status(collection.parts))
    return collection


def file_label(part: Part) -> str:
    """How messages name a file: source, key (e.g. dot1_0120), where it came from, where it is kept."""
    key = "" if part.key == part.source else f" {part.key}"
    return f"{part.source}{key} file {part.fetched.url} (kept at {part.path})"


def _parse_one(source: Source, part: Part, settings: Settings) -> ParsedFiles:
    # keyed on the bytes and the parsing code only: a chart or SQL change does not force a re-parse
    folder = (
        settings.build_dir
        / "parsed"
        / source.name
        / f"{part.key}-{part.sha256[:16]}-{code_version('transforms')}"
    )
    info_path = folder / "info.json"
    label = file_label(part)
    if info_path.exists():
        reused = ParsedFiles(**{**json.loads(info_path.read_text()), "raw_path": part.path, "reused": True})
        check_reject_share(
            pl.read_parquet(reused.rejects_path), reused.rows_read, settings.max_reject_share, label
        )
        return reused
    result = source.tables[part.table].parse(Path(part.path), label)
    check_reject_share(result.rejects, result.rows_read, settings.max_reject_share, label)
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    result.clean.write_parquet(tmp / "clean.parquet")
    result.rejects.write_parquet(tmp / "rejects.parquet")
    if "value_usd" in result.clean.columns:
        totals = result.clean.group_by("month", "country", "trade_type").agg(pl.col("value_usd").sum())
    else:
        totals = pl.DataFrame()
    totals.write_parquet(tmp / "totals.parquet")
    parsed = ParsedFiles(
        source=source.name,
        table=part.table,
        key=part.key,
        raw_path=part.path,
        clean_path=str(folder / "clean.parquet"),
        rejects_path=str(folder / "rejects.parquet"),
        totals_path=str(folder / "totals.parquet"),
        layout=result.layout,
        rows_read=result.rows_read,
        rows_clean=result.clean.height,
        rows_rejected=result.rejects.height,
        reused=False,
    )
    (tmp / "info.json").write_text(json.dumps(asdict(parsed)))
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(tmp, folder)
    return parsed


@task(name="parse", cache_policy=NO_CACHE)
def parse_task(source: Source, parts: list[Part], settings: Settings) -> list[ParsedFiles]:
    """Parse each file, or reuse the Parquet of an earlier parse of the same bytes by the same code."""
    log = get_run_logger()
    parsed = []
    for part in parts:
        try:
            parsed.append(_parse_one(source, part, settings))
        except (ParseError, SchemaDriftError) as exc:
            mark_rejected(settings.raw_dir, part.fetched, str(exc))
            raise
    for p in parsed:
        if not p.reused:
            log.info(
                "%s: parsed %s (%s layout): %s rows, %s clean, %s rejected",
                source.name,
                p.key,
                p.layout,
                f"{p.rows_read:,}",
                f"{p.rows_clean:,}",
                f"{p.rows_rejected:,}",
            )
    reused = sum(p.reused for p in parsed)
    if reused:
        log.info("%s: %d unchanged files not parsed again (same content and code)", source.name, reused)
    return parsed


def _release_memory() -> None:
    """Hand the heap a GX batch freed back to the OS: glibc keeps it otherwise, and the build that
    follows would add its memory on top (measured: 2.4 GiB peak without this)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


BATCH_ROWS = 1_500_000  # files are validated together up to this many rows (GX cost is per run, not per row)


def _validation_marker(source: Source, p: ParsedFiles, previous_rows: int | None, settings: Settings) -> Path:
    """File that records that this parse passed its suite with this code (and, for suites that
    compare against history, with this previous load and month)."""
    inputs: list = [code_version("expectations")]
    if source.tables[p.table].history:
        inputs += [previous_rows, settings.min_row_ratio, f"{date.today():%Y-%m}"]
    key = json.dumps(inputs)
    return Path(p.clean_path).with_name(f"validated-{hashlib.sha256(key.encode()).hexdigest()[:12]}")


def _validate_batch(
    source: Source, batch: list[tuple[Part, ParsedFiles]], previous_rows: int | None, settings: Settings
) -> list[dict]:
    """One GX run over several files of one table; a failure names each bad row as file:line and marks
    the files it blames as rejected."""
    table = batch[0][1].table
    suite = source.tables[table].suite(previous_rows, settings.min_row_ratio, date.today())
    frames = [pl.read_parquet(p.clean_path) for _, p in batch]
    if len(batch) > 1:  # rows are then named file:line
        frames = [
            f.with_columns(pl.lit(p.key).alias(FILE_COLUMN)) for f, (_, p) in zip(frames, batch, strict=True)
        ]
    frame = pl.concat(frames)
    report = validate_frame(frame, suite, settings.docs_dir / "data_docs", f"{source.name}_{table}")
    if not report.success:
        label = file_label(batch[0][0]) if len(batch) == 1 else f"{source.name}: {len(batch)} {table} files"
        message = failure_message(report, label)
        for part, p in batch:
            if len(batch) == 1 or f"{p.key}:" in message:
                mark_rejected(settings.raw_dir, part.fetched, message)
        raise ValidationFailed(message)
    for _, p in batch:
        _validation_marker(source, p, previous_rows, settings).touch()
    return [{**r, "suite": report.suite, "source": source.name} for r in report.results]


@task(name="validate", cache_policy=NO_CACHE)
def validate_task(
    source: Source,
    parts: list[Part],
    parsed: list[ParsedFiles],
    previous_rows: int | None,
    settings: Settings,
) -> tuple[list[dict], list[str]]:
    """Validate the files not yet validated (same bytes, code and parameters pass once), in batches per
    table; for multi-table sources check the tables agree. Returns the validation rows of this run
    and the coverage gaps found."""
    log = get_run_logger()
    rows: list[dict] = []
    for table in source.tables:
        pending = [
            (part, p)
            for part, p in zip(parts, parsed, strict=True)
            if p.table == table and not _validation_marker(source, p, previous_rows, settings).exists()
        ]
        batch: list[tuple[Part, ParsedFiles]] = []
        for item in pending:
            batch.append(item)
            if sum(p.rows_clean for _, p in batch) >= BATCH_ROWS or item is pending[-1]:
                rows += _validate_batch(source, batch, previous_rows, settings)
                batch = []
                _release_memory()
        if pending:
            log.info(
                "%s: %d %s files validated, %d already validated",
                source.name,
                len(pending),
                table,
                sum(p.table == table for p in parsed) - len(pending),
            )
    gaps: list[str] = []
    if len(source.tables) > 1:
        totals = table_totals(
            {
                table: pl.concat([pl.read_parquet(p.totals_path) for p in parsed if p.table == table])
                for table in source.tables
                if any(p.table == table for p in parsed)
            }
        )
        mismatches = cross_table_mismatches(totals)
        if mismatches.height:
            first = mismatches.row(0, named=True)
            raise ValidationFailed(
                f"{source.name}: tables disagree on total value for {mismatches.height} "
                f"month/country/direction groups (rule: cross_table_totals); first: {first}"
            )
        on_hand = set(totals["month"].to_list())
        span = pl.date_range(min(on_hand), max(on_hand), "1mo", eager=True).to_list() if on_hand else []
        gaps += [f"all tables {month:%Y-%m}" for month in span if month not in on_hand]
        for table in source.tables:
            if table not in totals.columns:
                continue
            for month in totals.filter(pl.col(table).is_null())["month"].unique().sort().to_list():
                gaps.append(f"{table} {month:%Y-%m}")
        for gap in gaps:
            log.warning(
                "%s coverage gap: %s is missing (totals over that month are incomplete)", source.name, gap
            )
    return rows, gaps


def _core_tables(
    parsed: dict[str, list[ParsedFiles]], waits: WaitInputs | None
) -> dict[str, pl.DataFrame | Path | list[Path]]:
    """Frames or Parquet files for each core table: facts from the parses and the wait-times history,
    dimensions from code lists."""
    sources = pl.DataFrame(
        [(s.name, s.title, s.publisher, s.url) for s in (*SOURCES.values(), *FEEDS.values())],
        schema=["source", "title", "publisher", "url"],
        orient="row",
    )
    tables: dict[str, pl.DataFrame | Path | list[Path]] = {
        "core.dim_source": sources,
        "core.ref_emission_factor": emission_factor_frame(),
    }
    if waits is not None:
        tables["core.dim_wait_crossing"] = crossing_dimension()
        tables["core.fact_wait_times"] = waits.readings
        tables["core.fact_wait_time_profile"] = waits.export.profiles
    crossings = parsed.get("bts_crossings", [])
    ports = port_dimension(pl.read_parquet(crossings[0].clean_path)) if crossings else None
    if crossings:
        tables["core.dim_measure"] = measure_dimension()
        tables["core.fact_crossings"] = Path(crossings[0].clean_path)
    trade = parsed.get("transborder", [])
    if trade:
        tables.update(
            {
                "core.dim_mode": mode_dimension(),
                "core.dim_commodity": commodity_dimension(),
                "core.dim_trade_type": trade_type_dimension(),
                "core.dim_country": country_dimension(),
                "core.dim_region": region_dimension(),
            }
        )
        for table, spec in SOURCES["transborder"].tables.items():
            tables[spec.core_table] = [Path(p.clean_path) for p in trade if p.table == table]
        trade_port_files = [Path(p.clean_path) for p in trade if p.table in ("dot1", "dot3")]
        empty = pl.DataFrame(schema={"port_code": pl.String, "port_name": pl.String})
        names = pl.read_parquet(parsed["schedule_d"][0].clean_path) if parsed.get("schedule_d") else None
        ports = extend_ports(ports if ports is not None else empty, trade_ports(trade_port_files), names)
    if ports is not None:
        tables["core.dim_port"] = ports
    if parsed.get("schedule_d"):
        tables["core.ref_schedule_d_port"] = Path(parsed["schedule_d"][0].clean_path)
    return tables


@task(name="build", cache_policy=NO_CACHE)
def build_task(
    run_id: str,
    started_at: datetime,
    parts: dict[str, list[Part]],
    parsed: dict[str, list[ParsedFiles]],
    validations: dict[str, list[dict]],
    settings: Settings,
    waits: WaitInputs | None = None,
    choices: list[Choice] | None = None,
) -> tuple[str, dict[str, int], dict[str, int]]:
    log = get_run_logger()
    this_run = pl.DataFrame(
        [
            {
                "run_id": run_id,
                "started_at": started_at,
                "finished_at": datetime.now(UTC),
                "status": "published",
                "code_version": code_version(),
                "message": "; ".join(
                    f"{k}: {sum(p.rows_clean for p in v):,} rows, {sum(p.rows_rejected for p in v):,} "
                    f"rejected"
                    for k, v in parsed.items()
                ),
            }
        ]
    )
    history = read_runs(settings.run_log).filter(pl.col("run_id") != run_id)  # drop its own "running" line
    runs = pl.concat([history, this_run.cast(history.schema)])
    source_files = pl.DataFrame(
        [
            {
                "run_id": run_id,
                "source": name,
                "file_key": part.key,
                "trade_table": part.table,
                "url": part.fetched.url,
                "path": part.path,
                "sha256": part.sha256,
                "bytes": Path(part.path).stat().st_size,
                "etag": part.fetched.etag,
                "last_modified": part.fetched.last_modified,
                "fetched_at": datetime.fromisoformat(part.fetched.fetched_at),
                "fetch_status": part.fetched.status,
                "layout": p.layout,
                "rows_read": p.rows_read,
                "rows_loaded": p.rows_clean,
                "rows_rejected": p.rows_rejected,
                "parse_status": "reused" if p.reused else "parsed",
                "archive_member": part.member,
            }
            for name in parsed
            for part, p in zip(parts[name], parsed[name], strict=True)
        ]
    )
    if waits is not None:
        source_files = pl.concat(
            [source_files, _wait_source_file(run_id, waits, settings)], how="diagonal_relaxed"
        )
    rejects = pl.concat(
        [
            pl.read_parquet(p.rejects_path).with_columns(
                pl.lit(run_id).alias("run_id"), pl.lit(name).alias("source"), pl.lit(p.raw_path).alias("file")
            )
            for name, files in parsed.items()
            for p in files
        ]
        + (
            [
                pl.read_parquet(waits.export.rejects).select(
                    pl.lit(run_id).alias("run_id"),
                    pl.lit(WAIT_TIMES.name).alias("source"),
                    pl.col("file_sha256").alias("file"),
                    "line",
                    "rule",
                    "reason",
                    "raw",
                )
            ]
            if waits is not None
            else []
        ),
        how="diagonal_relaxed",
    )
    validation_rows = pl.DataFrame(
        [{"run_id": run_id, **row} for rows in validations.values() for row in rows],
        schema_overrides={"unexpected_count": pl.Int64},
    )
    target = settings.build_dir / BUILT_NAME
    counts = build_warehouse(
        target,
        BuildInput(
            tables=_core_tables(parsed, waits),
            runs=runs,
            source_files=source_files,
            validations=validation_rows,
            rejects=rejects,
            run_id=run_id,
            file_choices=_choice_rows(run_id, choices or []),
        ),
        previous=settings.warehouse_path if settings.warehouse_path.exists() else None,
    )
    log.info("built %s: %s", target, ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    revisions = revision_counts(target, run_id)
    for source, n in revisions.items():
        log.info("%s: %d values changed in months already published (meta.revisions)", source, n)
    return str(target), counts, revisions


def _choice_rows(run_id: str, choices: list[Choice]) -> pl.DataFrame:
    """meta.file_choices: each table-month found in several files, which was loaded and why."""
    return pl.DataFrame(
        [
            {
                "run_id": run_id,
                "source": c.kept.archive.source,
                "file_key": c.file_key,
                "decision": c.decision,
                "kept_url": c.kept.archive.url,
                "kept_member": c.kept.member,
                "kept_sha256": c.kept.sha256,
                "kept_written": c.kept.published,
                "dropped_url": c.dropped.archive.url,
                "dropped_member": c.dropped.member,
                "dropped_sha256": c.dropped.sha256,
                "dropped_written": c.dropped.published,
            }
            for c in choices
        ]
    )


def _wait_source_file(run_id: str, waits: WaitInputs, settings: Settings) -> pl.DataFrame:
    """The meta.source_files row of the wait-times history: its fingerprint stands for its content."""
    export = waits.export
    return pl.DataFrame(
        [
            {
                "run_id": run_id,
                "source": WAIT_TIMES.name,
                "file_key": "history",
                "url": settings.url_for(WAIT_TIMES.name, WAIT_TIMES.url),
                "path": str(settings.wait_history),
                "sha256": export.fingerprint,
                "bytes": settings.wait_history.stat().st_size,
                "fetched_at": export.last_collected or datetime.now(UTC),
                "fetch_status": f"{export.snapshots} snapshots collected",
                "layout": "bwt_history",
                "rows_read": export.reading_count + export.profile_count,
                "rows_loaded": waits.readings.height + export.profile_count,
                "rows_rejected": export.reject_count,
                "parse_status": "collected",
            }
        ]
    )


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
    written, failed, skipped = 0, {}, {}
    for lang in ("en", "es"):
        report = export_charts(settings.warehouse_path, settings.exports_dir, lang)
        written += len(report.written)
        failed.update({f"{name} ({lang})": why for name, why in report.failed.items()})
        skipped.update({f"{name} ({lang})": why for name, why in report.skipped.items()})
    log.info("exported %d chart files under %s", written, settings.exports_dir)
    for name, why in skipped.items():  # a source left out by HLED_SOURCES is expected; no data is not
        (log.info if why.startswith("source not loaded") else log.warning)("chart %s skipped: %s", name, why)
    for name, why in failed.items():
        log.error("chart %s failed: %s", name, why)
    return written, failed


class ChartsFailed(RuntimeError):
    """The warehouse was published but some charts could not be exported; they are named."""


def _raise_for_charts(summary: RunSummary) -> None:
    if summary.charts_failed:
        names = "; ".join(f"{k}: {v}" for k, v in summary.charts_failed.items())
        raise ChartsFailed(f"warehouse published, but {len(summary.charts_failed)} charts failed: {names}")


def _charts_stale(settings: Settings) -> bool:
    """Exports missing or older than the published warehouse (a night that skipped or failed them)."""
    if not settings.warehouse_path.exists():
        return False
    from dashboards.export import COMPLETE_MARKER

    built = settings.warehouse_path.stat().st_mtime
    markers = [settings.exports_dir / lang / COMPLETE_MARKER for lang in ("en", "es")]
    return any(not m.exists() or m.stat().st_mtime < built for m in markers)


def _current_run_id() -> str:
    from prefect.runtime import flow_run

    return str(flow_run.id or uuid.uuid4())


def _summary_markdown(summary: RunSummary) -> str:
    lines = [
        f"# Refresh {summary.run_id}: {summary.status}",
        "",
        "| source | fetch | files parsed | rows loaded | rejected |",
        "|---|---|---:|---:|---:|",
    ]
    for name, status in summary.fetches.items():
        lines.append(
            f"| {name} | {status} | {summary.parsed.get(name, 0)} | {summary.rows.get(name, 0):,} | "
            f"{summary.rejects.get(name, 0):,} |"
        )
    if summary.coverage_gaps:
        lines += ["", "Coverage gaps: " + ", ".join(summary.coverage_gaps)]
    if summary.notices:
        lines += ["", "Notices:", *[f"- {n}" for n in summary.notices]]
    if summary.status == "published":
        revised = ", ".join(f"{k} {v:,}" for k, v in summary.revisions.items()) or "none"
        lines += ["", f"Values revised in months already published (meta.revisions): {revised}"]
    if summary.charts_failed:
        lines += ["", "Charts that failed: " + ", ".join(summary.charts_failed)]
    return "\n".join(lines)


def _fetch_status(parts: list[Part]) -> str:
    """How the source's downloads went, counted per fetched file (a ZIP holding many parts counts once)."""
    fetches = {(p.fetched.key, p.fetched.url): p.fetched.status for p in parts}
    counts: dict[str, int] = {}
    for status in fetches.values():
        counts[status] = counts.get(status, 0) + 1
    return ", ".join(f"{n} {s}" if len(fetches) > 1 else s for s, n in counts.items())


@flow(name="refresh")
def refresh(force: bool = False) -> RunSummary:
    """Refresh every source into a new warehouse and publish it if everything passed.
    With nothing changed upstream (and the same code) it publishes nothing: status `unchanged`."""
    settings = Settings.from_env()
    log = get_run_logger()
    run_id = _current_run_id()
    started_at = datetime.now(UTC)
    with refresh_lock(settings.home):
        append_run(
            settings.run_log,
            run_id,
            started_at,
            started_at,
            "running",
            code_version(),
            "started; a run left in this state was killed",
        )
        published_now = False
        PACING.waited = 0.0
        try:
            leftovers = clean_leftovers(settings.raw_dir, settings.build_dir)
            if leftovers:
                log.warning("removed what an interrupted run left: %s", "; ".join(leftovers))
            published = published_state(settings.warehouse_path)
            for killed in mark_killed_runs(
                settings.run_log, run_id, code_version(), published_run(settings.warehouse_path)
            ):
                log.warning("run %s never finished (killed); logged in %s", killed, settings.run_log)
            selected = {name: SOURCES[name] for name in settings.sources}
            collections = {name: fetch_task(source, settings) for name, source in selected.items()}
            parts = {name: c.parts for name, c in collections.items()}
            choices = [c for collection in collections.values() for c in collection.choices]
            waits = wait_history_task(settings)
            summary = RunSummary(
                run_id=run_id,
                status="unchanged",
                warehouse=str(settings.warehouse_path),
                fetches={k: _fetch_status(v) for k, v in parts.items()},
                notices=[n for c in collections.values() for n in c.notices],
            )
            if PACING.waited:
                log.info("waited %.1f s in all for the publishers' pacing (HLED_HTTP_PACING)", PACING.waited)
            loaded = {name: {(p.key, p.sha256) for p in ps} for name, ps in parts.items()}
            if waits is not None:
                loaded[WAIT_TIMES.name] = {("history", waits.export.fingerprint)}
                summary.fetches[WAIT_TIMES.name] = f"history of {waits.export.snapshots} snapshots"
            same = set(published) == set(loaded) and all(
                published[name]["files"] == files and published[name]["code_version"] == code_version()
                for name, files in loaded.items()
            )
            if same and not force:
                log.info("no source changed since the published warehouse; nothing rebuilt")
                if settings.charts and _charts_stale(settings):
                    summary.charts_written, summary.charts_failed = charts_task(settings)
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
                _raise_for_charts(summary)
                return summary
            parsed = {name: parse_task(selected[name], ps, settings) for name, ps in parts.items()}
            validations: dict[str, list[dict]] = {}
            for name, files in parsed.items():
                validations[name], gaps = validate_task(
                    selected[name], parts[name], files, published.get(name, {}).get("rows_loaded"), settings
                )
                summary.coverage_gaps += [f"{name} {g}" for g in gaps]
            if waits is not None:
                validations[WAIT_TIMES.name] = waits.validations
            built, counts, summary.revisions = build_task(
                run_id, started_at, parts, parsed, validations, settings, waits, choices
            )
            publish_task(built, settings)
            published_now = True
            summary.status = "published"
            summary.rows = {k: sum(p.rows_clean for p in v) for k, v in parsed.items()}
            summary.rejects = {k: sum(p.rows_rejected for p in v) for k, v in parsed.items()}
            summary.parsed = {k: sum(not p.reused for p in v) for k, v in parsed.items()}
            if waits is not None:
                summary.rows[WAIT_TIMES.name] = waits.readings.height + waits.export.profile_count
                summary.rejects[WAIT_TIMES.name] = waits.export.reject_count
            if settings.charts:
                summary.charts_written, summary.charts_failed = charts_task(settings)
            append_run(
                settings.run_log,
                run_id,
                started_at,
                datetime.now(UTC),
                "published",
                code_version(),
                "; ".join(f"{k} {v:,} rows" for k, v in summary.rows.items()),
            )
            create_markdown_artifact(_summary_markdown(summary), key="refresh-summary")
            _raise_for_charts(summary)
            return summary
        except ChartsFailed:
            raise  # the run was recorded as published: the warehouse is fine, the exports are not
        except BaseException as exc:  # killed runs keep their "running" line; everything else says why
            if isinstance(exc, Exception):
                outcome = (
                    "The new warehouse was published before the failure."
                    if published_now
                    else "Nothing was published; the previous warehouse stays."
                )
                try:
                    create_markdown_artifact(
                        f"# Refresh {run_id}: failed\n\n{outcome}\n\n```\n{type(exc).__name__}: {exc}\n```",
                        key="refresh-summary",
                    )
                except Exception:  # the artifact must not hide the failure it reports
                    log.warning("could not record the failure artifact")
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
