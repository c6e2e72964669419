"""Validating a source's parsed files: each table's files run through its GX suite in batches (GX's
cost is per run, not per row), once per content, code and suite inputs (the stage cache remembers a
pass), then the source's totals rule across its tables."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from expectations.runner import Runner, ValidationFailed, failure_message, here, validate_parquet_built
from transforms.cache import StageCache, digest
from transforms.parsed import ParsedFile

# files are validated together up to this many rows: DuckDB reads them where they lie, so a batch costs
# little memory, and each batch renders its own Data Docs page (0.15 s)
BATCH_ROWS = 5_000_000


def least_rows(previous_rows: int | None, min_row_ratio: float) -> int:
    """The fewest rows a new load may have: `min_row_ratio` of the last published load's (1 without one)."""
    return math.ceil(previous_rows * min_row_ratio) if previous_rows else 1


@dataclass(frozen=True)
class SuiteSpec:
    """One table's suite: how to build it, and whether it reads the last published load (row-count and
    month bounds), so that a pass is redone when those inputs change."""

    build: Callable[..., Any]  # (previous_rows, min_row_ratio, today) -> GX ExpectationSuite
    history: bool = False


@dataclass(frozen=True)
class Validated:
    """What validating a source gave: the rows for meta.validations, and its coverage gaps."""

    rows: list[dict]
    gaps: list[str]


def validate_files(
    source: str,
    suites: dict[str, SuiteSpec],
    files: list[ParsedFile],
    labels: dict[str, str],
    cache: StageCache,
    suite_inputs: list,
    previous_rows: int | None,
    min_row_ratio: float,
    docs_dir: Path,
    on_reject: Callable[[str, str], None],
    totals_rule: Callable[[str, dict[str, list[Path]]], list[str]] | None = None,
    run: Runner = here,
) -> Validated:
    """Validate the files not validated before with these inputs; a failure names each bad row as
    file:line, calls `on_reject(file_key, message)` for each file it blames and raises
    ValidationFailed. `labels` name each file (by key) in messages; `run` says where each batch runs."""
    rows: list[dict] = []
    for table, spec in suites.items():
        # A suite that reads the last load is redone when its verdict on the row count could change,
        # not whenever that count does: the same file that passed with 0.9 of 399,000 rows passes again
        # with 0.9 of 399,500, and its other expectations do not read the last load at all.
        rows_now = sum(p.rows_clean for p in files if p.table == table)
        inputs = (
            [*suite_inputs, rows_now >= least_rows(previous_rows, min_row_ratio), f"{date.today():%Y-%m}"]
            if spec.history
            else suite_inputs
        )
        key = digest(*inputs)
        pending = [p for p in files if p.table == table and not cache.marked(_item(p), key)]
        batch: list[ParsedFile] = []
        for parsed in pending:
            batch.append(parsed)
            if sum(p.rows_clean for p in batch) >= BATCH_ROWS or parsed is pending[-1]:
                suite = partial(spec.build, previous_rows, min_row_ratio, date.today())
                rows += _validate_batch(source, table, suite, batch, labels, docs_dir, on_reject, run)
                for p in batch:
                    cache.mark(_item(p), key)
                batch = []
    gaps: list[str] = []
    if totals_rule is not None:
        gaps = totals_rule(source, {t: [Path(p.totals_path) for p in files if p.table == t] for t in suites})
    return Validated(rows, gaps)


def _item(parsed: ParsedFile) -> str:
    """A pass is recorded per parse (its cache folder names source, file and content)."""
    return Path(parsed.clean_path).parent.name


def _validate_batch(
    source: str,
    table: str,
    suite: Callable[[], Any],
    batch: list[ParsedFile],
    labels: dict[str, str],
    docs_dir: Path,
    on_reject: Callable[[str, str], None],
    run: Runner,
) -> list[dict]:
    """One validation of several files of one table, read where they lie; `suite()` makes its suite."""
    files = [(p.key, Path(p.clean_path)) for p in batch]
    report = run(validate_parquet_built, files, suite, docs_dir, f"{source}_{table}")
    if not report.success:
        label = labels[batch[0].key] if len(batch) == 1 else f"{source}: {len(batch)} {table} files"
        message = failure_message(report, label)
        for p in batch:
            if len(batch) == 1 or f"{p.key}:" in message:
                on_reject(p.key, message)
        raise ValidationFailed(message)
    return [{**r, "suite": report.suite, "source": source} for r in report.results]
