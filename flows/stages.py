"""The refresh's stages as Prefect tasks, each calling its stage's own code: load one source (fetch, parse,
validate — on its own, so one source's failure is recorded and the others go on), keep a failed source's
last published data, build, publish, export charts."""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import httpx
import polars as pl
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from expectations.batches import Validated, validate_files
from expectations.reconciliation import validate_reconciliation
from expectations.runner import ValidationFailed
from flows import helper
from flows.errors import SourceError
from flows.history_guard import refuse_shrinking
from flows.ingest.fetch import mark_rejected
from flows.ingest.parts import Collection, Part
from flows.leftovers import BUILT_NAME
from flows.outcome import SourceFailure, SourceLoad, Stopwatch, format_seconds
from flows.progress import progress
from flows.registry import Source
from flows.settings import Settings
from flows.version import code_version
from transforms.cache import StageCache, digest
from transforms.errors import ParseError, SchemaDriftError
from transforms.parsed import ParsedFile, parse_cached
from warehouse.assemble import published_inputs
from warehouse.build import BuildInput, IncrementalMismatch, build_warehouse, revision_counts
from warehouse.db import connect, frame, run, storage_matches
from warehouse.errors import WarehouseError
from warehouse.meta import meta_rows
from warehouse.publish import publish
from warehouse.reconciliation import disagreements

# what a source's own trouble raises (unreachable, refused, a bad file, a broken rule): that source is
# marked stale and the run goes on; anything else is a fault of the run and stops it
SOURCE_TROUBLE = (
    SourceError,
    ParseError,
    SchemaDriftError,
    ValidationFailed,
    WarehouseError,
    httpx.HTTPError,
    OSError,
)


def file_label(part: Part) -> str:
    """How messages name a file: source, key (e.g. dot1_0120), where it came from, where it is kept."""
    key = "" if part.key == part.source else f" {part.key}"
    return f"{part.source}{key} file {part.fetched.url} (kept at {part.path})"


def fetch_status(parts: list[Part]) -> str:
    """How the source's downloads went, counted per fetched file (a ZIP holding many parts counts once)."""
    fetches = {(p.fetched.key, p.fetched.url): p.fetched.status for p in parts}
    counts: dict[str, int] = {}
    for status in fetches.values():
        counts[status] = counts.get(status, 0) + 1
    return ", ".join(f"{n} {s}" if len(fetches) > 1 else s for s, n in counts.items())


@task(name="fetch", cache_policy=NO_CACHE)
def fetch_task(source: Source, settings: Settings) -> Collection:
    """Fetch every file of a source (each request paced and retried on its own; files held or
    unchanged upstream are not downloaded)."""
    collection = source.collect(source, settings)
    get_run_logger().info(
        "%s: %d files (%s)", source.name, len(collection.parts), fetch_status(collection.parts)
    )
    return collection


# Files parsed at once: polars parses without holding Python's lock, so one thread more than the cores
# keeps them busy through each file's own Python steps (6.6 s against 8.3 s for the staged TransBorder
# files on 2 cores, the same files written)
PARSE_THREADS = min(4, (os.cpu_count() or 1) + 1)


def _parse_one(source: Source, part: Part, settings: Settings, cache: StageCache, code: str) -> ParsedFile:
    """One file parsed (or its earlier parse reused); a file that cannot be parsed is marked rejected."""
    try:
        return parse_cached(
            cache,
            source.tables[part.table].parse,
            source.name,
            part.table,
            part.key,
            Path(part.path),
            digest(part.sha256, code),
            file_label(part),
            settings.max_reject_share,
        )
    except (ParseError, SchemaDriftError) as exc:
        mark_rejected(settings.raw_dir, part.fetched, str(exc))
        raise


@task(name="parse", cache_policy=NO_CACHE)
def parse_task(source: Source, parts: list[Part], settings: Settings) -> list[ParsedFile]:
    """Parse each file, or reuse the Parquet of an earlier parse of the same bytes by the same code."""
    log = get_run_logger()
    cache = StageCache(settings.build_dir / "cache", "parse")
    code = code_version("transforms")
    parsed = []
    with progress(
        f"{source.name}: parsing {len(parts)} files",
        len(parts),
        lambda done, seconds: log.info(
            "%s: %d of %d files parsed, %.0f s", source.name, done, len(parts), seconds
        ),
    ) as advance:
        pool = ThreadPoolExecutor(PARSE_THREADS, thread_name_prefix="parse")
        try:  # in the files' order: the first bad file is the one reported
            for one in pool.map(lambda part: _parse_one(source, part, settings, cache, code), parts):
                parsed.append(one)
                advance(1)
        finally:  # after a bad file, the files not yet started are not parsed
            pool.shutdown(cancel_futures=True)
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


@task(name="validate", cache_policy=NO_CACHE)
def validate_task(
    source: Source, parts: list[Part], parsed: list[ParsedFile], previous_rows: int | None, settings: Settings
) -> Validated:
    """Validate the files not yet validated (same bytes, code and suite inputs pass once), in batches per
    table, then the source's totals rule across its tables."""
    log = get_run_logger()
    by_key = {part.key: part for part in parts}
    validated = validate_files(
        source.name,
        {table: spec.suite for table, spec in source.tables.items()},
        parsed,
        labels={key: file_label(part) for key, part in by_key.items()},
        cache=StageCache(settings.build_dir / "cache", "validate"),
        suite_inputs=[code_version("expectations")],
        previous_rows=previous_rows,
        min_row_ratio=settings.min_row_ratio,
        docs_dir=settings.docs_dir / "data_docs",
        on_reject=lambda key, message: mark_rejected(settings.raw_dir, by_key[key].fetched, message),
        totals_rule=source.totals_rule,
        run=helper.run,
    )
    for gap in validated.gaps:
        log.warning(
            "%s coverage gap: %s is missing (totals over that month are incomplete)", source.name, gap
        )
    return validated


def _file_row(part: Part, parsed: ParsedFile) -> dict:
    """The meta.source_files row of one parsed file (the run id is added by the build)."""
    return {
        "source": part.source,
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
        "layout": parsed.layout,
        "rows_read": parsed.rows_read,
        "rows_loaded": parsed.rows_clean,
        "rows_rejected": parsed.rows_rejected,
        "parse_status": "reused" if parsed.reused else "parsed",
        "archive_member": part.member,
    }


def _load_files(source: Source, settings: Settings, previous_rows: int | None) -> SourceLoad:
    """Fetch, parse and validate a source published as files; its own trouble ends in a failed load
    that names the stage it reached."""
    watch, stage, fetched = Stopwatch(), "fetch", ""
    try:
        with watch.stage("fetch"):
            collection = fetch_task(source, settings)
        if not collection.parts:  # left out of this run (a mirror without it), said in the notices
            return SourceLoad(source.name, fetch="left out", notices=collection.notices, watch=watch)
        fetched, stage = fetch_status(collection.parts), "parse"
        with watch.stage("parse"):
            # quote(): Prefect would walk every file of the history in the parameters (0.5 s at 4x)
            parsed = parse_task(source, quote(collection.parts), settings)
        stage = "validate"
        with watch.stage("validate"):
            validated = validate_task(source, quote(collection.parts), quote(parsed), previous_rows, settings)
            refuse_shrinking(source, parsed, settings)  # fewer months than published: refused as a whole
    except SOURCE_TROUBLE as exc:
        return _failed(
            source, "validate" if isinstance(exc, ValidationFailed) else stage, exc, fetched, watch
        )
    ports = {}
    for role in source.ports:
        paths = [Path(p.clean_path) for p in parsed if p.table in role.tables]
        if paths:
            ports[role.kind] = role.read(paths)
    return SourceLoad(
        source.name,
        fetch=fetched,
        parts=collection.parts,
        parsed=parsed,
        validations=validated.rows,
        gaps=validated.gaps,
        notices=collection.notices,
        choices=collection.choices,
        core={
            spec.core_table: [Path(p.clean_path) for p in parsed if p.table == table]
            for table, spec in source.tables.items()
        },
        ports=ports,
        source_files=[_file_row(part, p) for part, p in zip(collection.parts, parsed, strict=True)],
        rejects=[  # only files with rejects: reading every file's empty list grew with the history
            pl.read_parquet(p.rejects_path, glob=False).with_columns(
                pl.lit(source.name).alias("source"), pl.lit(p.raw_path).alias("file")
            )
            for p in parsed
            if p.rows_rejected
        ],
        rows=sum(p.rows_clean for p in parsed),
        rejected=sum(p.rows_rejected for p in parsed),
        newly_parsed=sum(not p.reused for p in parsed),
        watch=watch,
    )


def _load_own(source: Source, settings: Settings) -> SourceLoad:
    """A source that loads itself (the wait-time history): its trouble ends in a failed load too."""
    assert source.load is not None
    watch = Stopwatch()
    try:
        with watch.stage("load"):
            load = source.load(source, settings)
    except SOURCE_TROUBLE as exc:
        return _failed(source, "validate" if isinstance(exc, ValidationFailed) else "fetch", exc, "", watch)
    return replace(load, watch=watch)


def _failed(source: Source, stage: str, exc: BaseException, fetched: str, watch: Stopwatch) -> SourceLoad:
    """The load of a source that failed at `stage`: why, and the file it is about; nothing of it loaded."""
    get_run_logger().error(
        "%s failed at %s (its last published data, if any, is kept): %s", source.name, stage, exc
    )
    failure = SourceFailure.from_error(stage, exc, _failed_file(str(exc)))
    return SourceLoad(source.name, fetch=fetched or "failed", failure=failure, watch=watch)


def _failed_file(message: str) -> str | None:
    """The file or URL a source error message is about (messages name it as `kept at …` or a URL)."""
    found = (
        re.search(r"kept at ([^)]+)\)", message)
        or re.search(r"kept at (.+?)(?:; |$)", message)
        or re.search(r"(https?://[^\s;,)]+)", message)
    )
    return found.group(1) if found else None


def load_source(source: Source, settings: Settings, previous_rows: int | None) -> SourceLoad:
    """Fetch -> parse -> validate one source. Its own trouble is caught and recorded in the result
    (failure: stage, message, rule, file), so the other sources go on; other errors stop the run."""
    if source.load is not None:
        load = _load_own(source, settings)
    else:
        load = _load_files(source, settings, previous_rows)
    get_run_logger().info("%s took %s", source.name, format_seconds(load.watch.seconds))
    return load


def keep_published(load: SourceLoad, source: Source, settings: Settings) -> SourceLoad:
    """A failed source stands in with its last published data (its core tables and share of the ports,
    read from the published warehouse); without a published warehouse there is nothing to keep."""
    if not settings.warehouse_path.exists():
        return load
    core, ports = published_inputs(
        settings.warehouse_path,
        source.core_tables,
        {role.kind: role.published for role in source.ports},
        settings.build_dir / "kept" / source.name,
    )
    return replace(
        load, core=core, ports=ports, kept=bool(core), source_files=[], rejects=[], validations=[], parsed=[]
    )


def keep_not_asked(
    sources: dict[str, Source], asked: list[str], published: set[str], settings: Settings
) -> list[SourceLoad]:
    """The published sources a run limited by HLED_SOURCES does not refresh: kept as published, state
    and all, instead of emptied."""
    return [
        keep_published(SourceLoad(name, fetch="not asked (HLED_SOURCES)"), sources[name], settings)
        for name in sources
        if name not in asked and name in published
    ]


@dataclass(frozen=True)
class Built:
    """The build's result: the new file, its row counts, the values revised in months already published
    (per source), how it was built ("full"; "copy" of the published one; "marks": that copy with new
    source states only), and its steps' seconds."""

    path: Path
    counts: dict[str, int]
    revisions: dict[str, int]
    how: str
    steps: dict[str, float]
    notices: tuple[str, ...] = ()  # what the operator should know of the data built, e.g. publishers disagree


@task(name="build", cache_policy=NO_CACHE)
def build_task(inputs: BuildInput, settings: Settings) -> Built:
    """Build the new warehouse file beside the published one."""
    log = get_run_logger()
    target = settings.build_dir / BUILT_NAME
    steps: dict[str, float] = {}
    previous = settings.warehouse_path if settings.warehouse_path.exists() else None
    version = settings.duckdb_storage_version
    if inputs.changed is not None and previous is not None and not storage_matches(previous, version):
        log.info("the published warehouse is not in the format of HLED_DUCKDB_STORAGE_VERSION=%s", version)
        inputs = replace(inputs, changed=None)
    if inputs.changed is not None:
        new = sum(len(paths) for paths in inputs.changed.values())
        log.info("building from a copy of the published warehouse: %d new files to load", new)
    how = "full" if inputs.changed is None or previous is None else "marks" if inputs.marks_only else "copy"
    try:
        counts = build_warehouse(target, inputs, previous, steps, version, helper.run)
    except IncrementalMismatch as exc:  # the copy did not come out as the files say: build in full
        log.warning("%s; building in full instead", exc)
        how = "full"
        counts = build_warehouse(
            target, replace(inputs, changed=None, marks_only=False), previous, steps, version, helper.run
        )
    log.info("built %s: %s", target, ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    log.info("build took %s", format_seconds(steps))
    revisions = revision_counts(target, inputs.run_id)
    for source, n in revisions.items():
        log.info("%s: %d values changed in months already published (meta.revisions)", source, n)
    notices = _reconcile(target, inputs.run_id, settings)
    for notice in notices:
        log.warning(notice)
    return Built(target, counts, revisions, how, steps, notices)


def _reconcile(target: Path, run_id: str, settings: Settings) -> tuple[str, ...]:
    """TransBorder against the Census trade API in the new file: the GX suite on
    marts.trade_reconciliation (results into its meta.validations and Data Docs) and the line for the
    run summary when they disagree; a disagreement is said, it does not withhold either source."""
    con = connect(target)
    try:
        mart = frame(con, "SELECT * FROM marts.trade_reconciliation")
        found = validate_reconciliation(mart, settings.docs_dir / "data_docs", helper.run)
        if found:
            con.register("reconciled", meta_rows("validations", [{"run_id": run_id, **r} for r in found]))
            run(con, "INSERT INTO meta.validations BY NAME SELECT * FROM reconciled")
        return tuple(disagreements(con))
    finally:
        con.close()


@task(name="publish", cache_policy=NO_CACHE)
def publish_task(built: Built, settings: Settings) -> str:
    """Put the built file in place of the published one (the previous one kept as a snapshot)."""
    snapshot = publish(built.path, settings.warehouse_path, settings.snapshots_dir, settings.snapshots)
    get_run_logger().info(
        "published %s%s", settings.warehouse_path, f" (previous kept as {snapshot})" if snapshot else ""
    )
    return str(settings.warehouse_path)


@task(name="charts", cache_policy=NO_CACHE)
def charts_task(settings: Settings, changed: set[str] | None = None) -> tuple[int, dict[str, str]]:
    """Export every chart (or, with `changed`, those drawn from a source whose data or state changed)
    and the monthly briefs in both languages; returns how many files were written and which failed."""
    from dashboards.brief import write_briefs
    from dashboards.export import ChartsNotWritten, export_charts

    log = get_run_logger()
    written, failed, skipped = 0, {}, {}
    for lang in ("en", "es"):
        try:
            report = export_charts(settings.warehouse_path, settings.exports_dir, lang, changed=changed)
        except ChartsNotWritten as exc:  # named as the failure of the charts, the warehouse stays published
            failed[f"every chart ({lang})"] = str(exc)
            continue
        written += len(report.written)
        failed.update({f"{name} ({lang})": why for name, why in report.failed.items()})
        skipped.update({f"{name} ({lang})": why for name, why in report.skipped.items()})
        try:
            briefs = write_briefs(settings.warehouse_path, settings.exports_dir, lang)
        except OSError as exc:
            failed[f"brief ({lang})"] = f"cannot write the brief: {exc}"
            continue
        written += len(briefs.written)
        failed.update({f"brief {name}": why for name, why in briefs.failed.items()})
    log.info("exported %d chart and brief files under %s", written, settings.exports_dir)
    for name, why in skipped.items():  # a source left out by HLED_SOURCES is expected; no data is not
        (log.info if why.startswith("source not loaded") else log.warning)("chart %s skipped: %s", name, why)
    for name, why in failed.items():
        log.error("chart %s failed: %s", name, why)
    return written, failed


def charts_stale(settings: Settings) -> bool:
    """Exports missing or older than the published warehouse (a night that skipped or failed them)."""
    if not settings.warehouse_path.exists():
        return False
    from dashboards.export import COMPLETE_MARKER

    built = settings.warehouse_path.stat().st_mtime
    markers = [settings.exports_dir / lang / COMPLETE_MARKER for lang in ("en", "es")]
    return any(not m.exists() or m.stat().st_mtime < built for m in markers)
