"""The source registry: each source declared once — publisher, how its files are collected, and per
table the headers that prove a file is right, the parser, the GX suite and the core table it feeds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from expectations import crossings as crossings_suite
from expectations import schedule_d as schedule_d_suite
from expectations import transborder as transborder_suite
from flows.collect import collect_single, collect_transborder
from flows.errors import SourceError
from flows.socrata import rows_updated_at
from transforms import crossings, schedule_d, transborder


@dataclass(frozen=True)
class Table:
    """One kind of file a source delivers and where its rows go."""

    layouts: dict[str, tuple[str, ...]]  # accepted headers by layout name
    parse: Callable[[Path, str], Any]  # (path, label) -> object with clean, rejects, layout, rows_read
    suite: Callable[..., Any]  # (previous_rows, min_row_ratio, today) -> GX ExpectationSuite
    core_table: str
    # the suite also depends on the last published load and today's month (row count, month bound),
    # so a file's validation is redone when those change; otherwise it holds for the file's bytes
    history: bool = False


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    publisher: str
    url: str
    mirror_paths: tuple[str, ...]  # relative to HLED_MIRROR, first existing one wins (single-file sources)
    tables: dict[str, Table]
    collect: Callable[..., Any]  # (source, settings) -> Collection
    kind: str = "csv"  # what a single-file source downloads: csv or xls
    # (url, source name, HttpPolicy) -> the publisher's version of the data, asked before downloading
    upstream_version: Callable[..., str | None] | None = None

    def mirror_file(self, mirror: Path | None) -> Path | None:
        """The file standing in for the publisher inside a mirror directory, if any."""
        if mirror is None:
            return None
        for rel in self.mirror_paths:
            if (mirror / rel).is_file():
                return mirror / rel
        tried = ", ".join(self.mirror_paths)
        raise SourceError(f"{self.name}: HLED_MIRROR={mirror} has none of: {tried}")


def _parse_trade(table: str, path: Path, label: str) -> transborder.ParsedTrade:
    return transborder.parse_transborder(path, table, label)


BTS_CROSSINGS = Source(
    name="bts_crossings",
    title="Border Crossing Entry Data",
    publisher="U.S. DOT Bureau of Transportation Statistics (data.bts.gov keg4-3bc2), from CBP",
    url="https://data.bts.gov/api/views/keg4-3bc2/rows.csv?accessType=DOWNLOAD",
    mirror_paths=(
        "bts_border_crossing/Border_Crossing_Entry_Data.csv.gz",
        "bts_border_crossing/Border_Crossing_Entry_Data.csv",
    ),
    tables={
        "crossings": Table(
            layouts=crossings.LAYOUTS,
            parse=crossings.parse_crossings,
            suite=crossings_suite.build_suite,
            core_table="core.fact_crossings",
            history=True,
        )
    },
    collect=collect_single,
    upstream_version=rows_updated_at,
)

TRANSBORDER = Source(
    name="transborder",
    title="North American TransBorder Freight Data",
    publisher="U.S. DOT Bureau of Transportation Statistics, from Census foreign-trade data",
    url="https://www.bts.gov/topics/transborder-raw-data",
    mirror_paths=("transborder",),
    tables={
        table: Table(
            layouts=transborder.LAYOUTS[table],
            parse=partial(_parse_trade, table),
            suite=partial(transborder_suite.build_suite, table),
            core_table=core,
        )
        for table, core in (
            ("dot1", "core.fact_trade_port"),
            ("dot2", "core.fact_trade_state_commodity"),
            ("dot3", "core.fact_trade_port_commodity"),
        )
    },
    collect=collect_transborder,
)

SCHEDULE_D = Source(
    name="schedule_d",
    title="TransBorder code workbook: Schedule D ports",
    publisher="U.S. DOT Bureau of Transportation Statistics, TransBorder code lists (codes_all.xls)",
    url="https://www.bts.gov/sites/bts.dot.gov/files/docs/transborder/codes_all.xls",
    mirror_paths=("reference/transborder_codes/codes_all.xls",),
    tables={
        "ports": Table(
            layouts=schedule_d.LAYOUTS,
            parse=schedule_d.parse_schedule_d,
            suite=schedule_d_suite.build_suite,
            core_table="core.ref_schedule_d_port",
        )
    },
    collect=collect_single,
    kind="xls",
)

SOURCES: dict[str, Source] = {s.name: s for s in (BTS_CROSSINGS, TRANSBORDER, SCHEDULE_D)}


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


WAIT_TIMES = Feed(
    name="cbp_wait_times",
    title="Border Wait Times",
    publisher="U.S. Customs and Border Protection (bwt.cbp.gov), collected by this pipeline",
    url="https://bwt.cbp.gov/api/bwtnew",
    fallback_name="cbp_wait_times_rss",
    fallback_url="https://bwt.cbp.gov/api/bwtrss/getAllPortsRss/Mexico",
    mirror_path="cbp_wait_times/bwtnew_sample.json",
    fallback_mirror_path="cbp_wait_times/brownsville_bwt_rss_sample_latest.xml",
)
FEEDS: dict[str, Feed] = {WAIT_TIMES.name: WAIT_TIMES}
URL_NAMES = frozenset({*SOURCES, *FEEDS, *(f.fallback_name for f in FEEDS.values())})  # HLED_URL_<NAME>
