"""The source registry: each source declared once — publisher, how its files are collected, per table
the headers that prove a file is right, the parser, the GX suite and the core table it feeds, and what
the build takes from it: its dimension tables, its share of core.dim_port, its totals rule, the months
its chart footers report and the marts built from it. The flow and the build read only this; the
types are `flows.registry`'s."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from expectations import census_ports as census_suite
from expectations import crossings as crossings_suite
from expectations import schedule_d as schedule_d_suite
from expectations import transborder as transborder_suite
from expectations.batches import SuiteSpec
from flows.ingest.census_api import collect_census
from flows.ingest.single_file import collect_single
from flows.ingest.socrata import rows_updated_at
from flows.ingest.transborder import collect_transborder
from flows.registry import Feed, PortRole, Source, Table
from flows.settings import Names, Settings
from transforms import census_ports, crossings, schedule_d, trade_codes, transborder
from transforms.parsed import ParseResult
from transforms.wait_times import crossing_dimension

if TYPE_CHECKING:
    from flows.outcome import SourceLoad


def _load_wait_history(source: Source, settings: Settings) -> SourceLoad:
    """The wait-time history's own load, imported when it runs: it brings Prefect, which must not be
    imported before the command line has set its environment (PREFECT_HOME, the start-up timeout)."""
    from flows.wait_history_load import load_wait_history

    return load_wait_history(source, settings)


def _parse_trade(table: str, path: Path, label: str) -> ParseResult:
    return transborder.parse_transborder(path, table, label)


def _land_ports(paths: list[Path]) -> pl.DataFrame:
    return crossings.port_dimension(pl.read_parquet(paths[0], glob=False))


def _schedule_d_names(paths: list[Path]) -> pl.DataFrame:
    return pl.read_parquet(paths[0], glob=False).select("port_code", "port_name")


def _trade_dimensions() -> dict[str, pl.DataFrame]:
    return {
        "core.dim_mode": trade_codes.mode_dimension(),
        "core.dim_commodity": trade_codes.commodity_dimension(),
        "core.dim_trade_type": trade_codes.trade_type_dimension(),
        "core.dim_country": trade_codes.country_dimension(),
        "core.dim_region": trade_codes.region_dimension(),
    }


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
            suite=SuiteSpec(crossings_suite.build_suite, history=True),
            core_table="core.fact_crossings",
        )
    },
    collect=collect_single,
    ddl="02_core_crossings.sql",
    upstream_version=rows_updated_at,
    dimensions=lambda: {"core.dim_measure": crossings.measure_dimension()},
    ports=(PortRole("land", ("crossings",), _land_ports, "SELECT * FROM core.dim_port WHERE is_land_port"),),
    vintage=("core.fact_crossings", "month"),
    lag_months=2,  # BTS posts a month's CBP counts about two months after it ends
    revised=(("core.fact_crossings", "measure", "value::DOUBLE"),),
    marts=(
        "port_month",
        "border_month",
        "port_group_month",
        "empty_truck_share",
        "people_flows",
        "port_concentration",
        "hled_scorecard",
        "shocks",
        "trade_value_per_truck",
        "truck_idle",
        "headline_month",
        "crossings_gaps",
    ),
    optional_marts=("wait_times_port_month",),
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
            suite=SuiteSpec(partial(transborder_suite.build_suite, table)),
            core_table=core,
        )
        for table, core in (
            ("dot1", "core.fact_trade_port"),
            ("dot2", "core.fact_trade_state_commodity"),
            ("dot3", "core.fact_trade_port_commodity"),
        )
    },
    collect=collect_transborder,
    ddl="02_core_transborder.sql",
    dimensions=_trade_dimensions,
    ports=(
        PortRole(
            "codes",
            ("dot1", "dot3"),
            transborder.trade_ports,
            "SELECT port_code FROM core.fact_trade_port "
            "UNION SELECT port_code FROM core.fact_trade_port_commodity",
        ),
    ),
    totals_rule=transborder_suite.totals_rule,
    vintage=("core.fact_trade_port", "month"),
    lag_months=2,  # BTS releases a TransBorder month about two months after it ends
    revised=(
        ("core.fact_trade_port", "trade_type || '/' || country || '/' || mode", "sum(value_usd)::DOUBLE"),
        (
            "core.fact_trade_port_commodity",
            "trade_type || '/' || country || '/' || commodity",
            "sum(value_usd)::DOUBLE",
        ),
    ),
    marts=(
        "trade_port_month",
        "trade_value_per_truck",
        "mode_share",
        "priority_sector_trade",
        "coverage",
        "trade_border_month",
        "sector_trade_border",
        "trade_reconciliation",
    ),
    optional_marts=("port_concentration", "hled_scorecard", "shocks", "headline_month"),
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
            suite=SuiteSpec(schedule_d_suite.build_suite),
            core_table="core.ref_schedule_d_port",
        )
    },
    collect=collect_single,
    ddl="02_core_schedule_d.sql",
    kind="xls",
    lag_months=None,  # a code list: it has no months, so it cannot fall behind
    ports=(
        PortRole(
            "names",
            ("ports",),
            _schedule_d_names,
            "SELECT port_code, port_name FROM core.ref_schedule_d_port",
        ),
    ),
)


CENSUS_PORTS = Source(
    name="census_ports",
    title="U.S. international trade by port and HS heading (porths)",
    publisher="U.S. Census Bureau, international trade API (api.census.gov, timeseries/intltrade)",
    url="https://api.census.gov/data/timeseries/intltrade",
    mirror_paths=(),  # the collector reads a mirror's census_ports/ folder of answers itself
    tables={
        "porths": Table(
            layouts=census_ports.LAYOUTS,
            parse=census_ports.parse_porths,
            suite=SuiteSpec(census_suite.build_suite),
            core_table="core.fact_trade_port_hs",
        )
    },
    collect=collect_census,
    ddl="02_core_census_ports.sql",
    kind="json",
    dimensions=lambda: {"core.dim_hs_heading": census_ports.heading_dimension()},
    ports=(
        PortRole(
            "codes",
            ("porths",),
            transborder.trade_ports,
            "SELECT DISTINCT port_code FROM core.fact_trade_port_hs",
        ),
    ),
    vintage=("core.fact_trade_port_hs", "month"),
    lag_months=2,  # Census releases a month's trade about five weeks after it ends
    revised=(
        (
            "core.fact_trade_port_hs",
            "trade_type || '/' || country || '/' || hs_code",
            "sum(value_usd)::DOUBLE",
        ),
    ),
    marts=("trade_reconciliation", "hled_product_trade"),
)

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

WAIT_HISTORY = Source(
    name=WAIT_TIMES.name,
    title=WAIT_TIMES.title,
    publisher=WAIT_TIMES.publisher,
    url=WAIT_TIMES.url,
    mirror_paths=(),
    tables={},
    collect=collect_single,
    ddl="02_core_wait_times.sql",
    dimensions=lambda: {"core.dim_wait_crossing": crossing_dimension()},
    vintage=("core.fact_wait_times", "date_trunc('month', observed_local)::DATE"),
    marts=("wait_times_port_hour", "wait_times_port_month", "truck_idle", "wait_times_days"),
    extra_core_tables=("core.fact_wait_times", "core.fact_wait_time_profile"),
    load=_load_wait_history,
    lag_days=2,  # collected every HLED_WAIT_TIMES_EVERY minutes: no reading for two days, it stopped
    newest_reading="SELECT max(observed_utc) FROM core.fact_wait_times",
)
SOURCES: dict[str, Source] = {
    s.name: s for s in (BTS_CROSSINGS, TRANSBORDER, SCHEDULE_D, CENSUS_PORTS, WAIT_HISTORY)
}
URL_NAMES = frozenset({*SOURCES, *FEEDS, *(f.fallback_name for f in FEEDS.values())})  # HLED_URL_<NAME>
NAMES = Names(tuple(SOURCES), URL_NAMES)


def checked_settings(env: dict[str, str] | None = None) -> Settings:
    """The settings of a command that builds: HLED_SOURCES and HLED_URL_<NAME> checked against the
    registry's names (default: the process environment)."""
    return Settings.from_env(env, NAMES)
