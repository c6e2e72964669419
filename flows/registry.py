"""What a source is: the types of the registry (a source, the tables it delivers, its share of the
ports, a live feed) and the signatures of what a source plugs in (its collector, its own load, its
change check). Declared low, so collectors, stages and the build all read them and none imports the
registry's entries (`flows.sources`) to know a type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from expectations.batches import SuiteSpec
from flows.errors import SourceError
from transforms.parsed import Parser
from warehouse.build import Revised

if TYPE_CHECKING:
    from flows.ingest.parts import Collection
    from flows.ingest.polite import HttpPolicy
    from flows.outcome import SourceLoad
    from flows.settings import Settings

# what a source plugs in: its collector (which files it has, fetched into the raw store and cut into
# parts), its own load when it is not collected as files, and the publisher's cheap version check
# (url, source name, HTTP policy) -> version, asked before downloading
Collector = Callable[["Source", "Settings"], "Collection"]
Loader = Callable[["Source", "Settings"], "SourceLoad"]
UpstreamVersion = Callable[[str, str, "HttpPolicy"], "str | None"]


@dataclass(frozen=True)
class Table:
    """One kind of file a source delivers and where its rows go."""

    layouts: dict[str, tuple[str, ...]]  # accepted headers by layout name
    parse: Parser
    suite: SuiteSpec
    core_table: str


@dataclass(frozen=True)
class PortRole:
    """A source's share of core.dim_port, which several sources build together: `land` ports (with names
    and places), more port `codes`, or `names` for codes. `read` takes the clean Parquet of `tables`;
    `published` is the SQL that gives the same from the published warehouse when the source is stale."""

    kind: str
    tables: tuple[str, ...]
    read: Callable[[list[Path]], pl.DataFrame]
    published: str


def _no_dimensions() -> dict[str, pl.DataFrame]:
    return {}


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    publisher: str
    url: str
    mirror_paths: tuple[str, ...]  # relative to HLED_MIRROR, first existing one wins (single-file sources)
    tables: dict[str, Table]
    collect: Collector
    ddl: str  # the file of warehouse/sql/ddl that creates its core tables, e.g. 02_core_crossings.sql
    kind: str = "csv"  # what a single-file source downloads: csv or xls
    upstream_version: UpstreamVersion | None = None  # the publisher's version, asked before downloading
    dimensions: Callable[[], dict[str, pl.DataFrame]] = _no_dimensions  # code-list tables it brings
    ports: tuple[PortRole, ...] = ()
    # (source, {table: totals Parquet files}) -> coverage gaps; raises ValidationFailed when tables disagree
    totals_rule: Callable[[str, dict[str, list[Path]]], list[str]] | None = None
    # core table and month expression chart footers report (None: no footer, e.g. a code workbook)
    vintage: tuple[str, str] | None = None
    # marts that need it, and marts that use it when it is loaded: a chart's footer and whether it can be
    # drawn follow from the marts it reads (marts.mart_sources), so no chart names a source
    marts: tuple[str, ...] = ()
    optional_marts: tuple[str, ...] = ()
    extra_core_tables: tuple[str, ...] = ()  # core tables filled other than from `tables`
    load: Loader | None = None  # a source not collected as files (the wait-times history) loads itself
    revised: tuple[tuple[str, str, str], ...] = ()  # (fact table, item SQL, value SQL) compared on publish
    # How late the publisher usually is: its newest month is about `lag_months` before today's (None: no
    # months to be late with, e.g. a code list). A source whose newest month is older than that plus
    # HLED_BEHIND_MARGIN_MONTHS is "behind" (`hled status` exits 3). A history this pipeline collects
    # itself counts in days instead: its newest reading older than `lag_days` means collection stopped.
    lag_months: int | None = None
    lag_days: int | None = None
    newest_reading: str | None = None  # a collected history: SQL of its newest reading's UTC time

    @property
    def revisions(self) -> list[Revised]:
        return [Revised(self.name, table, item, value) for table, item, value in self.revised]

    @property
    def core_tables(self) -> tuple[str, ...]:
        """Every core table this source fills (what is kept from the last published file when it fails)."""
        return (*(t.core_table for t in self.tables.values()), *self.extra_core_tables)

    def mirror_file(self, mirror: Path | None) -> Path | None:
        """The file standing in for the publisher inside a mirror directory, if any."""
        if mirror is None:
            return None
        for rel in self.mirror_paths:
            if (mirror / rel).is_file():
                return mirror / rel
        tried = ", ".join(self.mirror_paths)
        raise SourceError(f"{self.name}: HLED_MIRROR={mirror} has none of: {tried}")


@dataclass(frozen=True)
class Feed:
    """A live feed collected on its own schedule into a history (not fetched by the refresh)."""

    name: str
    title: str
    publisher: str
    url: str
    fallback_name: str  # HLED_URL_<FALLBACK_NAME> overrides the fallback URL
    fallback_url: str  # a second layout of the same data, tried when the first fails
    mirror_path: str  # relative to HLED_MIRROR
    fallback_mirror_path: str
