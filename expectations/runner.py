"""Runs a GX suite on a clean polars frame (as SQL in DuckDB, `expectations.in_duckdb`), turns the
results into rows for `meta.validations` and a pass/fail, and writes GX Data Docs (static HTML, rendered
by GX from those results) to a fixed directory."""

from __future__ import annotations

import copy
import html
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import polars as pl

from expectations.docs_site import keep_validation
from expectations.in_duckdb import Checked, check
from transforms.literal_paths import literal_path
from warehouse.db import literal

LINE_COLUMN = "source_line"
FILE_COLUMN = "file_key"  # when a batch holds several files, failing rows are named file:line
SITE = "hled_data_docs"


class ValidationFailed(RuntimeError):
    """A clean table broke one or more expectations; the run must not publish."""


@dataclass(frozen=True)
class ValidationReport:
    suite: str
    success: bool
    results: list[dict]
    docs_index: Path | None

    def failures(self) -> list[dict]:
        return [r for r in self.results if not r["success"]]


class _CompiledTemplates(jinja2.BytecodeCache):
    """A Jinja bytecode cache for the whole process, keyed by template name and source checksum. GX
    makes a new Jinja environment for every Data Docs page it renders, so it compiled its fifty-odd
    templates again for each validation: about half of a validation's time (0.3 s of 0.6 s a batch)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


@cache
def _share_compiled_templates() -> None:
    """Give every GX Jinja view the process's compiled templates (once per process)."""
    from great_expectations.render.view.view import DefaultJinjaView

    shared = _CompiledTemplates()
    init = DefaultJinjaView.__init__

    def with_shared_cache(self, *args, **kwargs) -> None:
        init(self, *args, **kwargs)
        self.env.bytecode_cache = shared

    DefaultJinjaView.__init__ = with_shared_cache


def _context(docs_dir: Path):
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        data_docs_sites={
            SITE: {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        },
    )
    return gx.get_context(project_config=config, mode="ephemeral")


def _describe(config) -> tuple[str, str | None]:
    kwargs = dict(config.kwargs)
    column = kwargs.pop("column", None) or kwargs.pop("column_list", None)
    if isinstance(column, list):
        column = ",".join(column)
    shown = ", ".join(
        f"{k}={v!s}" for k, v in kwargs.items() if k not in ("result_format", "batch_id") and v is not None
    )
    return f"{config.type}({shown})" if shown else config.type, column


def _row(config, checked: Checked) -> dict:
    """One meta.validations row: the rule, what was seen, and the first offending rows by file:line."""
    expectation, column = _describe(config)
    detail = checked.result
    observed = detail.get("observed_value")
    if observed is None and detail.get("partial_unexpected_list"):
        observed = detail["partial_unexpected_list"][:5]
    if checked.error:
        observed = f"error: {checked.error}"
    return {
        "expectation": expectation,
        "column_name": column,
        "success": checked.success,
        "observed": None if observed is None else str(observed),
        "unexpected_count": detail.get("unexpected_count"),
        "unexpected_lines": ", ".join(checked.lines) or None,
    }


def validate_frame(frame: pl.DataFrame, suite, docs_dir: Path, name: str) -> ValidationReport:
    """Validate `frame` against `suite` (in DuckDB, over the frame's memory); Data Docs go to
    `docs_dir`. `name` labels the batch. Offending rows are named by line, or file:line."""
    with duckdb.connect() as con:
        con.register("batch_rows", frame.with_row_index("__order"))
        return _validate(con, FILE_COLUMN in frame.columns, suite, docs_dir, name)


def validate_parquet(files: list[tuple[str, Path]], suite, docs_dir: Path, name: str) -> ValidationReport:
    """Validate the Parquet files (key, path) of one table where they lie, as one batch: rows are named
    by line, or file:line when there are several files."""
    parts = [
        f"SELECT * EXCLUDE (file_row_number), {literal(key)} AS {FILE_COLUMN}, "
        f"{position}::BIGINT * 4294967296 + file_row_number AS __order "
        f"FROM read_parquet({literal(literal_path(path))}, file_row_number = true)"
        for position, (key, path) in enumerate(files)
    ]
    with duckdb.connect() as con:
        con.execute("CREATE TEMP VIEW batch_rows AS " + " UNION ALL ".join(parts))
        return _validate(con, len(files) > 1, suite, docs_dir, name)


Runner = Callable[..., Any]  # run(fn, *args): where a validation runs (`here`, or a helper process)


def here(fn: Callable[..., Any], *args: Any) -> Any:
    """Run a validation in this process."""
    return fn(*args)


def validate_parquet_built(
    files: list[tuple[str, Path]], build: Callable[[], Any], docs_dir: Path, name: str
) -> ValidationReport:
    """`validate_parquet` with the suite made by `build()` where it runs: a process that validates
    imports GX, the one that asks need not."""
    return validate_parquet(files, build(), docs_dir, name)


def validate_frame_built(
    frame: pl.DataFrame, build: Callable[[], Any], docs_dir: Path, name: str
) -> ValidationReport:
    """`validate_frame` with the suite made by `build()` where it runs."""
    return validate_frame(frame, build(), docs_dir, name)


def _validate(
    con: duckdb.DuckDBPyConnection, several: bool, suite, docs_dir: Path, name: str
) -> ValidationReport:
    """Run `suite` over the view `batch_rows` of `con`, write its Data Docs, and report."""
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    docs_dir.mkdir(parents=True, exist_ok=True)
    label = f"{FILE_COLUMN} || ':' || {LINE_COLUMN}" if several else f"CAST({LINE_COLUMN} AS VARCHAR)"
    configs = [e.configuration for e in suite.expectations]
    checked = check(con, "batch_rows", label, configs)
    with tempfile.TemporaryDirectory(dir=docs_dir.parent, prefix=".gx-site-") as scratch:
        page = _docs(suite, configs, checked, docs_dir, Path(scratch), name)
    return ValidationReport(
        suite=suite.name,
        success=all(c.success for c in checked),
        results=[_row(config, c) for config, c in zip(configs, checked, strict=True)],
        docs_index=page,
    )


def _docs(suite, configs: list, checked: list[Checked], docs_dir: Path, scratch: Path, name: str) -> Path:
    """The Data Docs of one validation: GX renders its pages from the results in `scratch`, and the
    pages are kept in `docs_dir`."""
    import great_expectations as gx
    from great_expectations.core import ExpectationSuiteValidationResult, ExpectationValidationResult
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    _share_compiled_templates()
    context = _context(scratch)
    context.suites.add(suite)
    results = [
        ExpectationValidationResult(
            success=c.success,
            expectation_config=config,
            result=c.result,
            exception_info={
                "raised_exception": c.error is not None,
                "exception_message": c.error,
                "exception_traceback": None,
            },
        )
        for config, c in zip(configs, checked, strict=True)
    ]
    passed = sum(c.success for c in checked)
    run = RunIdentifier(run_time=datetime.now(UTC))
    batch = f"{name}-{name}_clean"
    validation = ExpectationSuiteValidationResult(
        success=passed == len(checked),
        results=results,
        suite_name=suite.name,
        statistics={
            "evaluated_expectations": len(checked),
            "successful_expectations": passed,
            "unsuccessful_expectations": len(checked) - passed,
            "success_percent": 100 * passed / len(checked) if checked else None,
        },
        meta={
            "great_expectations_version": gx.__version__,
            "batch_spec": {"batch_data": "DuckDB", "data_asset_name": f"{name}_clean"},
            "active_batch_definition": {
                "datasource_name": name,
                "data_connector_name": "duckdb",
                "data_asset_name": f"{name}_clean",
                "batch_identifiers": {},
            },
            "run_id": run,
            "validation_time": run.run_time.isoformat(),
        },
        batch_id=batch,
    )
    identifier = ValidationResultIdentifier(ExpectationSuiteIdentifier(name=suite.name), run, batch)
    _write_docs(context, identifier, validation)
    return keep_validation(
        scratch, docs_dir, suite.name, validation.success, len(checked), len(checked) - passed
    )


# Result keys whose values GX's Data Docs put into table cells as raw HTML: values from the data
DATA_KEYS = ("partial_unexpected_list", "unexpected_list", "partial_unexpected_counts", "observed_value")


def _escaped(value: object) -> object:
    """`value` with every string in it HTML-escaped (lists and dicts walked)."""
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    return value


def _write_docs(context, identifier, validation) -> None:
    """Write the Data Docs from a copy of the results whose data values are escaped: GX renders
    unexpected values into table cells as markup, so a port name with `</td><script>` would run."""
    from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

    shown = copy.deepcopy(validation)
    for result in shown.results:
        detail = result.result or {}
        for key in DATA_KEYS:
            if key in detail:
                detail[key] = _escaped(detail[key])
    context.validation_results_store.set(identifier, shown)
    context.build_data_docs(
        site_names=[SITE],
        resource_identifiers=[identifier, ExpectationSuiteIdentifier(name=validation.suite_name)],
    )


def failure_message(report: ValidationReport, label: str) -> str:
    """One line per broken expectation: rule, how many rows, which lines, what was seen."""
    failed = report.failures()
    parts = []
    for r in failed:
        where = f" at lines {r['unexpected_lines']}" if r["unexpected_lines"] else ""
        count = f"{r['unexpected_count']:,} rows" if r["unexpected_count"] is not None else "failed"
        parts.append(
            f"{r['expectation']} on {r['column_name'] or 'table'}: {count}{where}; observed {r['observed']}"
        )
    docs = f" (Data Docs: {report.docs_index})" if report.docs_index else ""
    return (
        f"{label}: {len(failed)} of {len(report.results)} expectations of suite {report.suite} "
        f"failed{docs}: " + " | ".join(parts)
    )
