"""Typed run state: what loading one source gave (or why it failed), and what the run did."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from flows.ingest.parts import Part
from flows.ingest.transborder_zips import Choice
from transforms.parsed import ParsedFile

# exit status of `hled refresh` when it finished but some source is stale (its last good data kept)
EXIT_STALE = 3


@dataclass
class Stopwatch:
    """Seconds spent per stage, in the order the stages ran; a stage timed twice adds up."""

    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


def format_seconds(seconds: dict[str, float]) -> str:
    """`fetch 1.2 s, parse 3.4 s` for a log line or the console."""
    return ", ".join(f"{name} {value:.1f} s" for name, value in seconds.items())


@dataclass(frozen=True)
class SourceFailure:
    """Why a source could not be loaded this run: the stage, the one-line error, the rule it names
    and the file (or URL) it is about."""

    stage: str  # fetch | parse | validate
    message: str
    rule: str | None = None
    file: str | None = None
    error: str = ""  # the exception's type, e.g. ParseError

    @classmethod
    def from_error(cls, stage: str, exc: BaseException, file: str | None = None) -> SourceFailure:
        text = str(exc)
        found = re.search(r"rule: (\w+)", text) or re.search(r"\b(expect_\w+|Expect\w+)", text)
        return cls(stage, text, found.group(1) if found else None, file, type(exc).__name__)


@dataclass(frozen=True)
class SourceLoad:
    """What loading one source gave this run: fetched, parsed and validated on its own. With `failure`
    set, nothing of it is loaded from this run: the build keeps the source's last published data instead
    (`kept`, set by stages.keep_published)."""

    name: str
    fetch: str = ""  # how fetching went, e.g. "161 mirror"
    parts: list[Part] = field(default_factory=list)
    parsed: list[ParsedFile] = field(default_factory=list)
    validations: list[dict] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    failure: SourceFailure | None = None
    # what the build loads: core table -> frame or Parquet file(s); meta rows of this source
    core: dict[str, pl.DataFrame | Path | list[Path]] = field(default_factory=dict)
    ports: dict[str, pl.DataFrame] = field(default_factory=dict)  # share of core.dim_port by role
    source_files: list[dict] = field(default_factory=list)
    rejects: list[pl.DataFrame] = field(default_factory=list)
    rows: int = 0
    rejected: int = 0
    newly_parsed: int = 0
    kept: bool = False  # a failed source whose last published data the build keeps
    watch: Stopwatch = field(default_factory=Stopwatch)  # its fetch, parse and validate times

    @property
    def files(self) -> set[tuple[str, str]]:
        """(file key, sha256) of what it loaded: compared with the published warehouse's."""
        return {(r["file_key"], r["sha256"]) for r in self.source_files}

    @property
    def loaded(self) -> bool:
        return self.failure is None and bool(self.source_files)


@dataclass
class RunSummary:
    """What a refresh did, for the command line, the run log and the Prefect artifact."""

    run_id: str
    status: str  # published | unchanged
    rows: dict[str, int] = field(default_factory=dict)
    rejects: dict[str, int] = field(default_factory=dict)
    fetches: dict[str, str] = field(default_factory=dict)
    parsed: dict[str, int] = field(default_factory=dict)
    coverage_gaps: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # what the operator should know: a fallback used, …
    stale: dict[str, SourceFailure] = field(default_factory=dict)  # sources whose last good data is kept
    never_published: list[str] = field(default_factory=list)  # of those, the ones with no data to keep
    warehouse: str = ""
    charts_written: int = 0
    charts_failed: dict[str, str] = field(default_factory=dict)
    revisions: dict[str, int] = field(default_factory=dict)  # values revised in months already published
    build: str = (
        ""  # how the warehouse was built: "full", or "copy" (from the published one, new files added)
    )
    derived_kept: int = 0  # a build from a copy: derived tables kept as published (nothing they read changed)
    derived_by_month: int = 0  # ... and computed again only for the months the new files replaced
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage, e.g. "bts_crossings parse"
    seconds: float = 0.0  # the whole run, from taking the lock to the summary

    @property
    def exit_code(self) -> int:
        return EXIT_STALE if self.stale else 0
