"""A small hand-made warehouse whose every indicator value can be worked out by hand: two US-Mexico
port groups (Laredo; El Paso, split into El Paso + Ysleta from 2021) and one US-Canada port, in
calendar 2019, 2021 and 2022, with trade through Laredo and El Paso in 2021-2022."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl

from flows.sources import SOURCES
from transforms.census_ports import heading_dimension
from transforms.crossings import measure_dimension
from transforms.trade_codes import commodity_dimension, mode_dimension
from transforms.wait_times import crossing_dimension
from warehouse.assemble import health_sql, mart_sources, vintage_sql
from warehouse.build import BuildInput, build_warehouse
from warehouse.indicators import emission_factor_frame

MONTHS = [date(y, m, 1) for y in (2019, 2021, 2022) for m in range(1, 13)]
# inbound trucks per month by year: El Paso 2402 carries Ysleta's 200 trucks until 2021
TRUCKS = {
    "2304": {2019: 1000, 2021: 1200, 2022: 1500},
    "2402": {2019: 500, 2021: 300, 2022: 300},
    "2401": {2021: 200, 2022: 200},
    "0901": {2019: 800, 2021: 800, 2022: 800},
}


def crossings() -> pl.DataFrame:
    facts = []
    for month in MONTHS:
        for port, by_year in TRUCKS.items():
            if month.year in by_year:
                facts.append((port, month, "trucks", by_year[month.year]))
        facts += [
            ("2304", month, "truck_containers_loaded", 600),
            ("2304", month, "truck_containers_empty", 200 if month.year == 2022 else 400),
            ("2304", month, "pedestrians", 100),
            ("2304", month, "personal_vehicle_passengers", 300 if month.year == 2019 else 150),
            ("2304", month, "bus_passengers", 50),
        ]
    return pl.DataFrame(facts, schema=["port_code", "month", "measure", "value"], orient="row")


def revised(facts: pl.DataFrame, port_code: str, measure: str, month: date, value: int) -> pl.DataFrame:
    """Crossings `facts` with one value changed, as a publisher's revision of a month already out."""
    hit = (pl.col("port_code") == port_code) & (pl.col("measure") == measure) & (pl.col("month") == month)
    return facts.with_columns(pl.when(hit).then(value).otherwise(pl.col("value")).alias("value"))


def trade(drop_commodity_month: date | None = None) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Trade by port (dot1), by port and HS chapter (dot3, without `drop_commodity_month` if given, as
    BTS's 2024 files lack March) and by state and HS chapter (dot2: the same sums, every month)."""
    port, commodity, state = [], [], []
    for month in (m for m in MONTHS if m.year >= 2021):
        grow = 2 if month.year == 2022 else 1
        for trade_type, mode, value in (
            ("import", "truck", 3_000_000 * grow),
            ("export", "truck", 1_500_000 * grow),
            ("import", "rail", 500_000 * grow),
        ):
            port.append((month, trade_type, "mexico", "TX", "2304", mode, value, 0))
        port.append((month, "import", "mexico", "TX", "2402", "truck", 1_000_000, 0))
        for chapter, value in (("85", 700_000 * grow), ("30", 100_000)):
            if month != drop_commodity_month:
                commodity.append((month, "import", "mexico", "2304", chapter, "truck", value, 0))
            state.append((month, "import", "mexico", "TX", chapter, "truck", value, 0))
    cols = ["month", "trade_type", "country", "us_state", "port_code", "mode", "value_usd", "freight_usd"]
    ccols = ["month", "trade_type", "country", "port_code", "commodity", "mode", "value_usd", "freight_usd"]
    scols = ["month", "trade_type", "country", "us_state", "commodity", "mode", "value_usd", "freight_usd"]
    return (
        pl.DataFrame(port, schema=cols, orient="row"),
        pl.DataFrame(commodity, schema=ccols, orient="row"),
        pl.DataFrame(state, schema=scols, orient="row"),
    )


def census(drop_month: date | None = None) -> pl.DataFrame:
    """The Census trade API's port x HS rows at Laredo (imports from Mexico, 2021-2022): chapters 85 and
    30 equal to TransBorder's dot3, and the headings of three HLED products (8541 + 8542 double in 2022,
    the others stay); all by land."""
    facts = []
    for month in (m for m in MONTHS if m.year >= 2021 and m != drop_month):
        grow = 2 if month.year == 2022 else 1
        for code, value in (
            ("85", 700_000 * grow),
            ("30", 100_000),
            ("8542", 100_000 * grow),
            ("8541", 50_000 * grow),
            ("9018", 20_000),
            ("3004", 40_000),
        ):
            level = "HS2" if len(code) == 2 else "HS4"
            facts.append((month, "import", "mexico", "2304", code, level, value, 0, 0, value, "LAREDO, TX"))
    cols = ["month", "trade_type", "country", "port_code", "hs_code", "hs_level", "value_usd", "air_usd"]
    return pl.DataFrame(facts, schema=[*cols, "vessel_usd", "land_usd", "port_name"], orient="row")


def ports() -> pl.DataFrame:
    return pl.DataFrame(
        [
            ("2304", "Laredo", "Texas", "US-Mexico", True, "2304"),
            ("2402", "El Paso", "Texas", "US-Mexico", True, "2402"),
            ("2401", "Ysleta", "Texas", "US-Mexico", True, "2401"),
            ("0901", "Buffalo", "New York", "US-Canada", True, "0901"),
        ],
        schema=["port_code", "port_name", "state", "border", "is_land_port", "crossings_port_code"],
        orient="row",
    )


def wait_readings() -> pl.DataFrame:
    """Laredo World Trade Bridge on 5 Dec 2022 (CST): commercial waits 10-50 minutes at 8-12 h (median
    30) and one passenger reading; with December 2022's 1,500 trucks that is 750 idle truck-hours."""
    rows = [
        ("230404", "commercial", "standard", datetime(2022, 12, 5, 8 + i), 10 * (i + 1), 4) for i in range(5)
    ] + [("230404", "passenger", "standard", datetime(2022, 12, 5, 9), 25, 6)]
    return pl.DataFrame(
        [
            {
                "port_number": port,
                "crossing": "Laredo - World Trade Bridge",
                "border": "US-Mexico",
                "vehicle_type": vehicle,
                "lane_type": lane,
                "observed_local": local,
                "tz_abbrev": "CST",
                "observed_utc": local + timedelta(hours=6),
                "delay_minutes": delay,
                "lanes_open": lanes,
                "max_lanes": 8,
                "status": "delay",
                "versions": 1,
                "first_seen_utc": local + timedelta(hours=6, minutes=20),
            }
            for port, vehicle, lane, local, delay, lanes in rows
        ]
    )


def build_handmade(
    path: Path,
    facts: pl.DataFrame | None = None,
    with_trade: bool = True,
    previous: Path | None = None,
    run_id: str = "r",
    drop_commodity_month: date | None = None,
    with_census: bool = False,
) -> Path:
    """Build the hand-made warehouse at `path` through the real build step (optionally with other
    crossings facts, without trade, without one month of the port-commodity table, with the Census
    trade API's rows, or against a previously published file)."""
    trade_port, trade_commodity, trade_state = (
        trade(drop_commodity_month) if with_trade else tuple(t.clear() for t in trade())
    )
    now = datetime.now(UTC)
    sources = pl.DataFrame(
        {
            "source": ["bts_crossings", "transborder", "cbp_wait_times"],
            "title": [
                "Border Crossing Entry Data",
                "North American TransBorder Freight Data",
                "Border Wait Times",
            ],
            "publisher": ["BTS (test)", "BTS (test)", "CBP (test)"],
            "url": ["http://127.0.0.1/crossings", "http://127.0.0.1/transborder", "http://127.0.0.1/bwtnew"],
        }
    )
    if with_census:
        sources = pl.concat(
            [
                sources,
                pl.DataFrame(
                    [("census_ports", "Census trade API", "Census (test)", "http://127.0.0.1/porths")],
                    schema=sources.columns,
                    orient="row",
                ),
            ]
        )
    inputs = BuildInput(
        tables={
            "core.dim_source": sources,
            "core.dim_port": ports(),
            "core.dim_measure": measure_dimension(),
            "core.dim_mode": mode_dimension(),
            "core.dim_commodity": commodity_dimension(),
            "core.fact_crossings": crossings() if facts is None else facts,
            "core.fact_trade_port": trade_port,
            "core.fact_trade_port_commodity": trade_commodity,
            "core.fact_trade_state_commodity": trade_state,
            "core.dim_wait_crossing": crossing_dimension(),
            "core.fact_wait_times": wait_readings(),
            "core.ref_emission_factor": emission_factor_frame(),
            "marts.mart_sources": mart_sources(SOURCES),
            **(
                {"core.dim_hs_heading": heading_dimension(), "core.fact_trade_port_hs": census()}
                if with_census
                else {}
            ),
        },
        runs=pl.DataFrame(
            {
                "run_id": [run_id],
                "started_at": [now],
                "finished_at": [now],
                "status": ["published"],
                "code_version": ["test"],
                "message": [""],
            }
        ),
        source_files=pl.DataFrame(),
        validations=pl.DataFrame(),
        rejects=pl.DataFrame(),
        run_id=run_id,
        vintages=[vintage_sql(s) for s in SOURCES.values() if s.vintage and s.name in set(sources["source"])]
        + [sql for s in SOURCES.values() if s.name in set(sources["source"]) for sql in health_sql(s, 2)],
        revised=[r for s in SOURCES.values() for r in s.revisions],
    )
    build_warehouse(path, inputs, previous)
    return path
