"""Runs a GX suite on a clean polars frame (as pandas, in memory), turns the results into rows for
`meta.validations` and a pass/fail, and writes GX Data Docs (static HTML) to a fixed directory."""

from __future__ import annotations

import copy
import html
import logging
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
import polars as pl

from expectations.docs_site import keep_validation

LINE_COLUMN = "source_line"
FILE_COLUMN = "file_key"  # when a batch holds several files, failing rows are named file:line
MAX_LINES = 10
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


def _row(result, line_label) -> dict:
    """One meta.validations row. GX reports failing rows as positions in the frame (asking it
    for an id column instead is 10-100x slower when many rows fail); map them to file lines."""
    expectation, column = _describe(result.expectation_config)
    detail = result.result or {}
    positions = [p for p in (detail.get("unexpected_index_list") or [])[:MAX_LINES] if isinstance(p, int)]
    lines = [line_label(p) for p in positions]
    observed = detail.get("observed_value")
    if observed is None and detail.get("partial_unexpected_list"):
        observed = detail["partial_unexpected_list"][:5]
    if result.exception_info and result.exception_info.get("raised_exception"):
        observed = f"error: {result.exception_info.get('exception_message')}"
    return {
        "expectation": expectation,
        "column_name": column,
        "success": bool(result.success),
        "observed": None if observed is None else str(observed),
        "unexpected_count": detail.get("unexpected_count"),
        "unexpected_lines": ", ".join(map(str, lines)) or None,
    }


def validate_frame(frame: pl.DataFrame, suite, docs_dir: Path, name: str) -> ValidationReport:
    """Validate `frame` against `suite`; Data Docs go to `docs_dir`. `name` labels the batch."""
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    docs_dir.mkdir(parents=True, exist_ok=True)
    lines = frame[LINE_COLUMN]
    files = frame[FILE_COLUMN] if FILE_COLUMN in frame.columns else None

    def line_label(position: int) -> str:
        return f"{files[position]}:{lines[position]}" if files is not None else str(lines[position])

    dates = [c for c, t in frame.schema.items() if t == pl.Date]
    pandas_frame = (
        frame.drop(FILE_COLUMN, strict=False).with_columns(pl.col(dates).cast(pl.Datetime("ns"))).to_pandas()
    )

    with tempfile.TemporaryDirectory(dir=docs_dir.parent, prefix=".gx-site-") as scratch:
        return _run(pandas_frame, suite, docs_dir, Path(scratch), name, line_label)


def _run(pandas_frame, suite, docs_dir: Path, scratch: Path, name: str, line_label) -> ValidationReport:
    """One GX checkpoint run; GX builds its Data Docs in `scratch`, and the pages are kept in `docs_dir`."""
    import great_expectations as gx

    _share_compiled_templates()
    context = _context(scratch)
    batch = (
        context.data_sources.add_pandas(name)
        .add_dataframe_asset(f"{name}_clean")
        .add_batch_definition_whole_dataframe("whole")
    )
    suite = context.suites.add(suite)
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{name}_validation", data=batch, suite=suite)
    )
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=f"{name}_checkpoint",
            validation_definitions=[definition],
            result_format={"result_format": "COMPLETE"},
        )
    )
    outcome = checkpoint.run(batch_parameters={"dataframe": pandas_frame})
    ((identifier, validation),) = outcome.run_results.items()
    _write_docs(context, identifier, validation)
    failed = sum(not r.success for r in validation.results)
    page = keep_validation(
        scratch, docs_dir, suite.name, bool(outcome.success), len(validation.results), failed
    )
    return ValidationReport(
        suite=suite.name,
        success=bool(outcome.success),
        results=[_row(r, line_label) for r in validation.results],
        docs_index=page,
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
