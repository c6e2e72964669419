"""The whole refresh on the staged real BTS file, downloaded over HTTP from 127.0.0.1, checked
against the totals published in shared/data/README.md."""

from __future__ import annotations

import calendar
import gzip
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from dashboards.charts import CHARTS
from dashboards.export import FORMATS
from tests.browser import CHROMIUM, open_page
from tests.conftest import SHARED_DATA, Reply, requires_shared, serve_publisher
from tests.shared_build import built_once

pytestmark = [pytest.mark.slow, requires_shared]

# shared/data/README.md, "Headline totals: inbound Trucks, US-Mexico border, by calendar year"
US_MEXICO_TRUCKS = {
    1996: 3_254_084,
    1997: 3_689_665,
    1998: 3_946_543,
    1999: 4_358_721,
    2000: 4_525_579,
    2001: 4_304_959,
    2002: 4_426_593,
    2003: 4_238_045,
    2004: 4_503_688,
    2005: 4_677_601,
    2006: 4_760_516,
    2007: 4_882_500,
    2008: 4_866_252,
    2009: 4_291_465,
    2010: 4_742_925,
    2011: 4_868_376,
    2012: 5_103_923,
    2013: 5_194_867,
    2014: 5_414_568,
    2015: 5_535_371,
    2016: 5_802_781,
    2017: 6_039_774,
    2018: 6_310_903,
    2019: 6_440_255,
    2020: 6_366_384,
    2021: 6_949_300,
    2022: 7_258_400,
    2023: 7_356_659,
    2024: 7_617_207,
}
PATH = "/api/views/keg4-3bc2/rows.csv"
REPLICA_FROM = (2021, 7)  # the replica test's first month: July 2021 is in two ZIPs


def _cleared_env(env: pytest.MonkeyPatch, values: dict[str, str]) -> None:
    """The caller's HLED_* variables cleared, then `values` set."""
    for key in [k for k in os.environ if k.startswith("HLED_") and k != "HLED_TEST_SHARED_DATA"]:
        env.delenv(key)
    for key, value in values.items():
        env.setenv(key, value)


def _refresh_over_http(folder: Path):
    """One full refresh of the real file served gzip-encoded, like data.bts.gov does (no charts: they
    are drawn from the real data by the Spanish charts test on the mirror warehouse)."""
    from flows.refresh import refresh

    body = (SHARED_DATA / "bts_border_crossing" / "Border_Crossing_Entry_Data.csv.gz").read_bytes()
    with serve_publisher() as server, pytest.MonkeyPatch.context() as env:
        server.queue(PATH, Reply(200, body, {"Content-Encoding": "gzip", "ETag": '"real"'}))
        home = folder / "home"
        _cleared_env(
            env,
            {
                "HLED_HOME": str(home),
                "HLED_URL_BTS_CROSSINGS": server.url(PATH),
                "HLED_SOURCES": "bts_crossings",
                "HLED_CHARTS": "0",
            },
        )
        return home, refresh()


@pytest.fixture(scope="module")
def real_warehouse(prefect_server, tmp_path_factory):
    """The crossings refreshed over HTTP, built once per session (tests/shared_build.py): read only."""
    return built_once(tmp_path_factory, "real-crossings", _refresh_over_http)[1]


def q(home, sql, params=None):
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_us_mexico_truck_totals_match_the_published_figures(real_warehouse) -> None:
    home, summary = real_warehouse
    assert summary.status == "published"
    assert summary.rows == {"bts_crossings": 399_395}
    got = dict(
        q(
            home,
            """SELECT year(f.month), sum(f.value)::BIGINT FROM core.fact_crossings f
                   JOIN core.dim_port p USING (port_code)
                   WHERE p.border = 'US-Mexico' AND f.measure = 'trucks' AND year(f.month) <= 2024
                   GROUP BY 1""",
        )
    )
    assert got == US_MEXICO_TRUCKS


def test_other_published_checks(real_warehouse) -> None:
    home, _ = real_warehouse
    canada = dict(
        q(
            home,
            """SELECT year(month), sum(value)::BIGINT FROM marts.border_month
                             WHERE border = 'US-Canada' AND measure = 'trucks' GROUP BY 1""",
        )
    )
    assert (canada[2000], canada[2019], canada[2024]) == (7_048_128, 5_681_155, 5_550_550)
    people = dict(
        q(
            home,
            """SELECT year(month), sum(value)::BIGINT FROM marts.border_month
                             WHERE border = 'US-Mexico' AND measure = 'pedestrians' GROUP BY 1""",
        )
    )
    assert (people[2019], people[2023], people[2024]) == (49_175_926, 39_421_651, 40_769_064)
    top = q(
        home,
        """SELECT port_code, sum(value)::BIGINT FROM marts.port_month
                     WHERE border = 'US-Mexico' AND measure = 'trucks' AND year(month) = 2024
                     GROUP BY 1 ORDER BY 2 DESC LIMIT 5""",
    )
    assert top == [
        ("2304", 3_026_632),
        ("2506", 1_059_759),
        ("2305", 721_489),
        ("2401", 670_627),
        ("2507", 462_526),
    ]
    assert q(home, "SELECT count(*), min(month), max(month) FROM core.dim_month") == [
        (350, date(1996, 1, 1), date(2025, 2, 1))
    ]


def test_duplicates_follow_the_documented_rule(real_warehouse) -> None:
    home, _ = real_warehouse
    assert q(home, "SELECT rule, count(*) FROM meta.rejects GROUP BY 1 ORDER BY 1") == [
        ("duplicate_conflict", 1),
        ("duplicate_exact", 10),
    ]
    assert q(
        home,
        """SELECT value FROM core.fact_crossings WHERE port_code = '2606'
                      AND month = DATE '2021-02-01' AND measure = 'bus_passengers'""",
    ) == [(2175,)]


def test_raw_file_is_kept_compressed_and_everything_is_documented(real_warehouse) -> None:
    home, _ = real_warehouse
    ((path, status, etag),) = q(home, "SELECT path, fetch_status, etag FROM meta.source_files")
    assert (status, etag) == ("downloaded", '"real"')
    assert path.endswith(".csv.gz")
    assert gzip.decompress(Path(path).read_bytes()).startswith(b"Port Name,State,Port Code")
    assert q(
        home,
        """SELECT count(*) FROM duckdb_columns()
                      WHERE schema_name IN ('core','marts','meta') AND comment IS NULL""",
    ) == [(0,)]
    laredo = q(
        home,
        """SELECT value, yoy_pct, index_2019, t12m_months FROM marts.port_month
                        WHERE port_code = '2304' AND measure = 'trucks' AND month = DATE '2024-12-01'""",
    )
    ((value, yoy, index, months),) = laredo
    assert value > 0 and months == 12 and yoy is not None and index is not None


def _mirror_env(home: Path) -> dict[str, str]:
    return {"HLED_HOME": str(home), "HLED_MIRROR": str(SHARED_DATA), "HLED_CHARTS": "0"}


def _refresh_from_the_mirror(folder: Path):
    """`hled refresh` as the README says, with HLED_MIRROR pointing at the staged data: all sources."""
    from flows.refresh import refresh
    from flows.sources import checked_settings
    from flows.wait_times import backfill, import_snapshots

    home = folder / "home"
    with pytest.MonkeyPatch.context() as env:
        _cleared_env(env, _mirror_env(home))
        settings = checked_settings()
        settings.home.mkdir(parents=True)
        waits = SHARED_DATA / "cbp_wait_times"
        import_snapshots(settings, waits / "brownsville_rss_snapshots.tar.gz")
        backfill(settings, waits / "san_ysidro_historical_waittimes_hourly_avg.csv", "250401")
        return home, refresh()


@pytest.fixture(scope="module")
def real_mirror_warehouse(prefect_server, tmp_path_factory):
    """All sources refreshed from the staged data, built once per session and shared by the workers
    (tests/shared_build.py): tests read it, or copy the home before changing anything."""
    return built_once(tmp_path_factory, "real-mirror", _refresh_from_the_mirror)[1]


def test_mirror_refresh_publishes_the_collected_wait_times(real_mirror_warehouse) -> None:
    """The README's quick start with wait times: 424 Brownsville RSS snapshots and the San Ysidro export."""
    home, summary = real_mirror_warehouse
    assert summary.rows["cbp_wait_times"] == 2423 + 5 * 2016  # lane updates (16 corrected twice) + averages
    assert q(home, "SELECT count(*), sum(versions) FROM core.fact_wait_times") == [(2423, 2439)]
    assert q(
        home,
        "SELECT DISTINCT port_code, border FROM marts.wait_times_port_hour WHERE basis = 'readings'",
    ) == [("2301", "US-Mexico")]
    # Brownsville's commercial crossings (standard and FAST lanes) are Los Indios and Veterans International
    assert q(
        home,
        """SELECT crossing, count(*), min(month), max(month) FROM marts.wait_times_port_month
           WHERE vehicle_type = 'commercial' GROUP BY 1 ORDER BY 1""",
    ) == [
        ("Brownsville - Los Indios", 2, date(2026, 8, 1), date(2026, 8, 1)),
        ("Brownsville - Veterans International", 2, date(2026, 8, 1), date(2026, 8, 1)),
    ]
    # August 2026 is not published by BTS: August 2024's trucks at Brownsville stand in
    idle = q(home, "SELECT month, trucks_month, trucks, is_estimate FROM marts.truck_idle")
    august_2024 = q(
        home,
        "SELECT value FROM core.fact_crossings WHERE port_code = '2301' AND measure = 'trucks' "
        "AND month = DATE '2024-08-01'",
    )[0][0]
    assert idle == [(date(2026, 8, 1), date(2024, 8, 1), august_2024, True)]
    # the San Ysidro averages: 5 lanes with data x 24 hours, each hour's median over 12 months x 7 days
    assert q(home, "SELECT count(*) FROM marts.wait_times_port_hour WHERE basis = 'historical_average'") == [
        (5 * 24,)
    ]
    export = pl.read_csv(SHARED_DATA / "cbp_wait_times" / "san_ysidro_historical_waittimes_hourly_avg.csv")
    expected = export.filter(pl.col("bwt_hour") == 15)["pv_time_avg"].median()
    assert q(
        home,
        """SELECT observations, median_wait_minutes FROM marts.wait_times_port_hour
           WHERE basis = 'historical_average' AND vehicle_type = 'passenger' AND lane_type = 'standard'
             AND hour_of_day = 15""",
    ) == [(84, expected)]


def test_mirror_refresh_loads_crossings_and_all_transborder_files(real_mirror_warehouse) -> None:
    home, summary = real_mirror_warehouse
    assert summary.status == "published"
    assert summary.rows["bts_crossings"] == 399_395
    # October-December 2020 were never posted on the page (PUBLISHERS.md); March 2024's dot3 is not staged
    assert summary.coverage_gaps == [
        "transborder all tables 2020-10",
        "transborder all tables 2020-11",
        "transborder all tables 2020-12",
        "transborder dot3 2024-03",
    ]
    trucks = dict(
        q(
            home,
            """SELECT year(month), sum(value)::BIGINT FROM marts.border_month
                             WHERE border = 'US-Mexico' AND measure = 'trucks' GROUP BY 1""",
        )
    )
    assert all(trucks[year] == total for year, total in US_MEXICO_TRUCKS.items())
    # 161 monthly files: 2020-01..2024-09 of dot1/dot2/dot3, without dot3 2024-03 (2015-01 is staged
    # too, but before HLED_TRANSBORDER_FROM=2018-01)
    assert q(home, "SELECT count(*) FROM meta.source_files WHERE source = 'transborder'") == [(161,)]


@pytest.mark.parametrize(
    "table", ["core.fact_trade_port", "core.fact_trade_state_commodity", "core.fact_trade_port_commodity"]
)
def test_us_mexico_trade_totals_match_the_published_figures(real_mirror_warehouse, table) -> None:
    home, _ = real_mirror_warehouse
    got = q(
        home,
        f"""SELECT year(month), round(sum(value_usd) / 1e9, 2) FROM {table}
                      WHERE country = 'mexico' AND year(month) BETWEEN 2021 AND 2023 GROUP BY 1 ORDER BY 1""",
    )
    assert got == [(2021, 661.16), (2022, 779.31), (2023, 798.83)]


def test_laredo_is_the_top_port_by_trade_value_in_2023(real_mirror_warehouse) -> None:
    home, _ = real_mirror_warehouse
    top = q(
        home,
        """SELECT port_code, round(sum(value_usd) / 1e9, 1) FROM core.fact_trade_port_commodity
                     WHERE country = 'mexico' AND year(month) = 2023 GROUP BY 1 ORDER BY 2 DESC LIMIT 5""",
    )
    assert top == [("2304", 312.9), ("2401", 73.4), ("2506", 60.6), ("2305", 44.5), ("2303", 37.0)]
    assert q(
        home,
        """SELECT count(*) FROM core.fact_trade_port WHERE trade_type = 'export'
                      AND mode = 'truck' AND weight_kg IS NOT NULL""",
    ) == [(0,)]
    assert q(
        home, "SELECT month, trade_table FROM marts.coverage WHERE NOT present AND month >= '2021-01-01'"
    ) == [(date(2024, 3, 1), "dot3")]
    # Oct–Dec 2020 are missing from all three tables (BTS never posted October 2020)
    assert q(
        home,
        """SELECT month, count(*) FILTER (WHERE NOT present) FROM marts.coverage
                      WHERE month BETWEEN '2020-09-01' AND '2021-01-01' GROUP BY 1 ORDER BY 1""",
    ) == [
        (date(2020, 9, 1), 0),
        (date(2020, 10, 1), 3),
        (date(2020, 11, 1), 3),
        (date(2020, 12, 1), 3),
        (date(2021, 1, 1), 0),
    ]
    assert q(
        home,
        """SELECT count(*) FROM marts.trade_value_per_truck t JOIN core.dim_port p USING (port_code)
                      WHERE p.border IS DISTINCT FROM 'US-Mexico'""",
    ) == [(0,)]


def test_schedule_d_names_trade_only_ports(real_mirror_warehouse) -> None:
    home, summary = real_mirror_warehouse
    assert summary.rows["schedule_d"] == 535
    ports = q(
        home,
        """SELECT port_code, port_name, is_land_port, crossings_port_code FROM core.dim_port
                       WHERE port_code IN ('2304', '23XX', '5301') ORDER BY 1""",
    )
    assert ports == [
        ("2304", "Laredo", True, "2304"),
        ("23XX", "Laredo, TX (district, port unknown)", False, None),
        ("5301", "Houston, TX", False, None),
    ]
    assert q(home, "SELECT district_name FROM core.ref_schedule_d_port WHERE port_code = '0712'") == [
        ("Ogdensburg, NY",)
    ]


def test_indicators_on_the_real_data(real_mirror_warehouse) -> None:
    """The 2019 index is 100 by construction; Laredo's 2023 trade per truck is the ratio of the two
    publishers' own files; the catalog has at least 12 computed indicators."""
    home, _ = real_mirror_warehouse
    assert q(
        home,
        "SELECT DISTINCT index_2019 FROM marts.border_month WHERE year(month) = 2019 AND value > 0",
    ) == [(100.0,)]
    assert q(
        home,
        """SELECT DISTINCT index_2019 FROM marts.port_group_month
           WHERE port_group = 'EL_PASO_AREA' AND year(month) = 2019 AND value > 0""",
    ) == [(100.0,)]
    raw = duckdb.connect()
    trade = raw.execute(
        """SELECT sum(VALUE::BIGINT) FROM read_csv(?, all_varchar = true)
           WHERE DEPE = '2304' AND COUNTRY = '2010' AND DISAGMOT = '5'""",
        [[str(SHARED_DATA / "transborder" / "2023" / f"dot1_{m:02d}23.csv.gz") for m in range(1, 13)]],
    ).fetchall()[0][0]
    trucks = raw.execute(
        """SELECT sum("Value"::BIGINT) FROM read_csv(?, all_varchar = true)
           WHERE "Port Code" = '2304' AND "Measure" = 'Trucks' AND "Date" LIKE '% 2023'""",
        [str(SHARED_DATA / "bts_border_crossing" / "Border_Crossing_Entry_Data.csv.gz")],
    ).fetchall()[0][0]
    assert trucks == 2_936_130
    mart = q(
        home,
        """SELECT sum(total_value_usd), sum(inbound_trucks), sum(total_value_usd) / sum(inbound_trucks)
           FROM marts.trade_value_per_truck WHERE port_code = '2304' AND year(month) = 2023""",
    )[0]
    assert mart[:2] == (trade, trucks) and mart[2] == pytest.approx(trade / trucks)
    # the published per-truck column for one month equals that month's ratio of the two files
    june_trade = raw.execute(
        """SELECT sum(VALUE::BIGINT) FROM read_csv(?, all_varchar = true)
           WHERE DEPE = '2304' AND COUNTRY = '2010' AND DISAGMOT = '5'""",
        [str(SHARED_DATA / "transborder" / "2023" / "dot1_0623.csv.gz")],
    ).fetchall()[0][0]
    june_trucks = raw.execute(
        """SELECT sum("Value"::BIGINT) FROM read_csv(?, all_varchar = true)
           WHERE "Port Code" = '2304' AND "Measure" = 'Trucks' AND "Date" = 'Jun 2023'""",
        [str(SHARED_DATA / "bts_border_crossing" / "Border_Crossing_Entry_Data.csv.gz")],
    ).fetchall()[0][0]
    assert q(
        home,
        """SELECT total_value_per_inbound_truck_usd FROM marts.trade_value_per_truck
           WHERE port_code = '2304' AND month = DATE '2023-06-01'""",
    ) == [(round(june_trade / june_trucks, 2),)]
    # El Paso alone looks far from recovered after Ysleta split off; the El Paso area does not
    split = q(
        home,
        """SELECT grain, index_2019 FROM marts.people_flows WHERE month = DATE '2024-06-01'
           AND scope IN ('2402', 'EL_PASO_AREA') ORDER BY grain""",
    )
    assert split == [("port", 69.07), ("port_group", 98.91)]
    computed = q(home, "SELECT count(*) FROM marts.indicator_catalog WHERE status = 'computed'")[0][0]
    assert computed >= 12


def test_shocks_find_the_pandemic_collapse_and_local_truck_disruptions(real_mirror_warehouse) -> None:
    home, _ = real_mirror_warehouse
    pandemic = q(
        home,
        """SELECT first_month, trough_month, depth_pct, recovered_month, months_to_recover, status
           FROM marts.shocks WHERE scope = 'US-Mexico' AND measure = 'personal_vehicle_passengers'
             AND trough_month = DATE '2020-04-01'""",
    )
    # March 2020 already fell (restrictions from 21 March); April is the trough, 65 % below the
    # seasonal expectation; back at 95 % of the pre-shock level, calendar for calendar (April 2019,
    # itself inside the April 2019 shock, counts at what was expected of it), in January and
    # February 2023
    assert pandemic == [(date(2020, 3, 1), date(2020, 4, 1), 65.38, date(2023, 1, 1), 34, "recovered")]
    trucks = q(
        home,
        """SELECT scope, first_month, months_to_recover FROM marts.shocks
           WHERE scope_type = 'port_group' AND measure = 'trucks' AND border = 'US-Mexico'
             AND first_month >= DATE '2021-01-01' ORDER BY first_month""",
    )
    # short local disruptions at single ports, well after the pandemic (El Paso area in Sep 2023;
    # Eagle Pass in Sep 2023, the Texas inspections, 18 % below, and in Dec 2023), each recovered
    # within months
    assert ("EL_PASO_AREA", date(2023, 9, 1), 2) in trucks
    assert ("2303", date(2023, 9, 1), 1) in trucks and ("2303", date(2023, 12, 1), 1) in trucks
    # April 2020 is the border's trucks shock: the port groups that fell with it are part of it
    april = q(
        home,
        """SELECT count(*), count(DISTINCT border_shock_month), min(border_shock_month) FROM marts.shocks
           WHERE scope_type = 'port_group' AND measure = 'trucks' AND border = 'US-Mexico'
             AND first_month BETWEEN DATE '2020-03-01' AND DATE '2020-05-01'""",
    )
    assert april[0][0] >= 10 and april[0][1:] == (1, date(2020, 4, 1))
    assert ("2305", date(2022, 4, 1), 2) in trucks  # the Texas inspections, against its peers
    scorecard = q(home, "SELECT DISTINCT pillar FROM marts.hled_scorecard ORDER BY 1")
    assert scorecard == [("facilitation",), ("green",), ("people",), ("recovery",), ("supply_chains",)]


def test_hidalgo_in_april_2022_is_in_the_border_and_port_briefs(real_mirror_warehouse) -> None:
    """The Texas inspections of April 2022, found against the peers, in the US-Mexico and port-2305
    briefs built from the staged data (among the disruptions since the HLED relaunch), in both
    languages, with both expectations in words."""
    from dashboards.brief_data import disruptions, gather, scope_of
    from dashboards.brief_view import view
    from warehouse.access import open_published

    home, _ = real_mirror_warehouse
    con = open_published(home / "warehouse.duckdb")
    try:
        briefs = {code: gather(con, scope_of(con, code)) for code in ("US-Mexico", "2305")}
    finally:
        con.close()
    for code, brief in briefs.items():
        en = [
            line for line in view(brief, {}, "en").earlier_disruptions if line.startswith("Hidalgo, trucks")
        ]
        assert en == [
            "Hidalgo, trucks: from April 2022, 11.4 % below what its own past predicted at its deepest "
            "(April 2022); recovered in 2 month(s). The border's other ports did not share it: 25.4 % below "
            "what they predicted for this port. Nearby ports carried more than the whole shortfall above "
            "what was expected of them (337.1 % of it)."
        ], code
        es = view(brief, {}, "es").earlier_disruptions
        assert any(line.startswith("Hidalgo, camiones: desde abril de 2022") for line in es), (code, es)
    # told from 2020, the border's brief has April 2020's trucks once, as the border's, with the port
    # groups that fell with it, and none of those again by itself
    con = open_published(home / "warehouse.duckdb")
    try:
        _, since_2020 = disruptions(con, scope_of(con, "US-Mexico"), date(2025, 2, 1), since=date(2020, 1, 1))
    finally:
        con.close()
    april = [d for d in since_2020 if d.measure == "trucks" and d.first_month == date(2020, 4, 1)]
    assert [(d.scope_name, d.border_shock_month) for d in april] == [("US-Mexico", None)]
    assert april[0].with_groups >= 10
    assert not [d for d in since_2020 if d.border_shock_month is not None]


def test_charts_in_spanish_and_the_dashboard_page_on_the_real_data(real_mirror_warehouse, tmp_path) -> None:
    """`hled charts --lang es` as a user runs it: every chart in four formats, footers with the real
    latest month, and the page drawn by headless Chromium where it is installed."""
    home, _ = real_mirror_warehouse
    env = {k: v for k, v in os.environ.items() if not k.startswith("HLED_")}
    env["HLED_HOME"] = str(home)
    result = subprocess.run(
        [sys.executable, "-m", "flows.cli", "charts", "--lang", "es"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    folder = home / "exports" / "es"
    # the staged data has no Census answers of the monthly layout: only that chart is left out, said so
    assert "skipped hled_products_by_port: source not loaded: census_ports" in result.stdout
    drawn = [name for name in CHARTS if name != "hled_products_by_port"]
    for name in drawn:
        for fmt in FORMATS:
            assert (folder / f"{name}.{fmt}").stat().st_size > 1000, f"{name}.{fmt}"
    # the staged crossings file ends in February 2025, the staged TransBorder files in September 2024
    assert "Datos hasta feb 2025" in (folder / "border_trucks.svg").read_text()
    assert "Datos hasta sep 2024" in (folder / "mode_share.svg").read_text()
    assert "Camiones que entran a EE. UU." in (folder / "border_trucks.svg").read_text()
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed: the page was written but not opened")
    rendered = open_page(folder / "index.html", tmp_path, screenshot=tmp_path / "real.png")
    assert rendered.status()["rendered"] == str(len(drawn)) and rendered.status()["errors"] == "0"
    assert not [line for line in rendered.console if "rror" in line], rendered.console
    assert (tmp_path / "real.png").stat().st_size > 150_000


def test_each_question_of_the_analysts_guide_has_an_answer(real_mirror_warehouse) -> None:
    from tests.test_analysts_doc import examples

    home, _ = real_mirror_warehouse
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        for number, sql in enumerate(examples(), start=1):
            found = con.execute(sql).fetchall()
            assert found or number > 12, f"question {number} of docs/analysts.md returned no rows"
    finally:
        con.close()


def test_a_refresh_from_the_bts_replica_gives_the_mirror_facts(
    real_mirror_warehouse, tmp_path_factory, capsys
) -> None:
    """The staged months rebuilt as bts.gov's ZIPs (real names, folders, Mac junk, year-to-date and
    annual members, July-December 2021 in one ZIP that also holds July), found on the replica's index
    page behind its CDN rules, give the same trade facts as the mirror, table by table. From July 2021
    (REPLICA_FROM): two thirds of the months, every quirk but the plain 2020 names."""
    import time

    from flows.ingest.polite import PACING
    from flows.ingest.transborder_index import folder_year
    from flows.refresh import refresh
    from tests.checksums import checksums
    from tests.replica import publish_all, serve_bts, staged_transborder_zips

    mirror_home, _ = real_mirror_warehouse
    zips = staged_transborder_zips(SHARED_DATA, tmp_path_factory.mktemp("zips"))
    # the index is read by year folder (flows/transborder_index.in_range): 2021's ZIPs are all fetched
    wanted = [z for z in zips if folder_year(z.url_path) >= REPLICA_FROM[0]]
    home = tmp_path_factory.mktemp("replica") / "home"
    with serve_bts(pacing=0.05) as bts, pytest.MonkeyPatch.context() as env:
        publish_all(bts, zips)
        bts.challenge = {wanted[0].url_path, wanted[-1].url_path}
        _cleared_env(
            env,
            {
                "HLED_HOME": str(home),
                "HLED_URL_TRANSBORDER": bts.index_url,
                "HLED_SOURCES": "transborder",
                "HLED_TRANSBORDER_FROM": "{}-{:02d}".format(*REPLICA_FROM),
                "HLED_CHARTS": "0",
                "HLED_HTTP_PACING": "0.1",
                "HLED_RETRY_DELAYS": "0.05",
            },
        )
        started = time.monotonic()
        summary = refresh()
        elapsed = time.monotonic() - started
        assert bts.refusals() == 0
        assert sorted(bts.downloads()) == sorted(z.url_path for z in wanted)
    with capsys.disabled():
        waited = PACING.waited
        print(f"\nreplica refresh of {len(wanted)} ZIPs: {elapsed:.1f} s, {waited:.1f} s waiting for pacing")
    assert summary.status == "published"
    facts = ("core.fact_trade_port", "core.fact_trade_state_commodity", "core.fact_trade_port_commodity")
    since = "month >= DATE '{}-{:02d}-01'".format(*REPLICA_FROM)
    ours = checksums(home / "warehouse.duckdb", where=since)
    mirror = checksums(mirror_home / "warehouse.duckdb", where=since)
    assert {t: ours[t] for t in facts} == {t: mirror[t] for t in facts}
    assert ours["core.fact_trade_port"][0] > 700_000
    assert q(home, "SELECT count(DISTINCT file_key), count(*) FROM meta.file_choices") == [(3, 3)]


def test_a_forced_rebuild_of_the_real_data_gives_identical_tables(real_mirror_warehouse, tmp_path) -> None:
    """Idempotence on the real data, on a copy of the shared warehouse's home."""
    from flows.refresh import refresh
    from tests.checksums import RUN_TABLES, checksums

    shared, _ = real_mirror_warehouse
    home = tmp_path / "home"
    shutil.copytree(shared, home, ignore=shutil.ignore_patterns("exports"))  # a test may be writing charts
    volatile = {"*": {"refreshed_at"}}
    run_state = ("meta.", *RUN_TABLES)  # what the run compared with: nothing the first time

    def tables() -> dict:
        found = checksums(home / "warehouse.duckdb", volatile)
        return {k: v for k, v in found.items() if not k.startswith(run_state)}

    before = tables()
    with pytest.MonkeyPatch.context() as env:
        _cleared_env(env, _mirror_env(home))
        assert refresh(force=True).status == "published"
    after = tables()
    assert after == before
    assert before["core.fact_trade_port"][0] > 1_000_000 and len(before) > 30
    assert q(home, "SELECT count(*) FROM meta.revisions") == [(0,)]


def test_the_latest_month_added_from_a_copy_equals_the_full_build(prefect_server, tmp_path) -> None:
    """The incremental build on the staged data: everything but the latest TransBorder month published,
    then that month added (built from a copy), then a forced full build of the same files."""
    from benchmarks.run import _latest_trade_month, _link_mirror
    from flows.refresh import refresh
    from tests.checksums import data_checksums

    home, mirror = tmp_path / "home", tmp_path / "mirror"
    latest = _latest_trade_month(SHARED_DATA)
    _link_mirror(SHARED_DATA, mirror, leave_out=latest)
    with pytest.MonkeyPatch.context() as env:
        # TransBorder alone, the source whose months arrive one by one (the crossings file is replaced
        # whole), from the latest year's January: the same path as the whole history at a sixth of the cost
        _cleared_env(
            env,
            {
                "HLED_HOME": str(home),
                "HLED_MIRROR": str(mirror),
                "HLED_CHARTS": "0",
                "HLED_SOURCES": "transborder",
                "HLED_TRANSBORDER_FROM": f"20{latest[2:]}-01",
            },
        )
        assert refresh().build == "full"
        _link_mirror(SHARED_DATA, mirror, leave_out=None)
        added = refresh()
        assert (added.status, added.build) == ("published", "copy")
        from_copy = data_checksums(home / "warehouse.duckdb")
        assert refresh(force=True).build == "full"
        assert data_checksums(home / "warehouse.duckdb") == from_copy
    month = f"20{latest[2:]}-{latest[:2]}-01"
    assert q(home, f"SELECT count(*) > 0 FROM core.fact_trade_port WHERE month = DATE '{month}'") == [(True,)]


def test_the_recorded_disruption_evaluation_is_what_the_detector_gives_now(real_mirror_warehouse) -> None:
    """docs/indicators.md quotes benchmarks/shocks_evaluation.json: a change to the detector must be
    measured again (`python -m benchmarks.shocks_evaluation --write`) before it lands."""
    from benchmarks.shocks_evaluation import RESULTS, _warehouse_inputs, report

    home, _ = real_mirror_warehouse
    now = report(_warehouse_inputs(home / "warehouse.duckdb", 20), "staged data")
    recorded = json.loads(RESULTS.read_text(encoding="utf-8"))
    assert {k: v for k, v in now.items() if k != "measured_on"} == {
        k: v for k, v in recorded.items() if k != "measured_on"
    }


# The figures audit: every figure of the briefs recomputed from the core facts with this test's own SQL
# and calendar (not through the marts), in both languages, for both borders and three ports.
AUDIT_SCOPES = ("US-Mexico", "US-Canada", "2304", "2506", "3801")
PEOPLE_MEASURES = ("pedestrians", "personal_vehicle_passengers", "bus_passengers", "train_passengers")
PARTNER_OF = {"US-Mexico": "mexico", "US-Canada": "canada"}
HOLIDAY_COUNTRIES = {"US-Mexico": ("US", "MX"), "US-Canada": ("US", "CA")}


def _working_days(border: str, month: date) -> int:
    import holidays
    import numpy as np

    end = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    off = [d for c in HOLIDAY_COUNTRIES[border] for d in holidays.country_holidays(c, years=month.year)]
    return int(np.busday_count(month, end, holidays=off))


def _audit_crossings(con, scope: str, border: str, measures: tuple[str, ...]) -> dict:
    where = "p.border = ?" if scope == border else "c.port_code = ?"
    latest = con.execute(
        f"""SELECT max(month) FROM core.fact_crossings c JOIN core.dim_port p USING (port_code)
            WHERE {where} AND measure = 'trucks'""",
        [scope],
    ).fetchone()[0]
    before = date(latest.year - 1, latest.month, 1)

    def cells(month: date) -> dict:
        found = con.execute(
            f"""SELECT c.port_code, c.measure, c.value FROM core.fact_crossings c
                JOIN core.dim_port p USING (port_code)
                WHERE {where} AND c.month = ? AND c.measure IN ({",".join("?" * len(measures))})""",
            [scope, month, *measures],
        ).fetchall()
        return {(port, m): v for port, m, v in found}

    now, then = cells(latest), cells(before)
    common = now.keys() & then.keys()
    like = 100 * (sum(now[k] for k in common) / sum(then[k] for k in common) - 1)
    people = measures != ("trucks",)
    days = [
        calendar.monthrange(m.year, m.month)[1] if people else _working_days(border, m)
        for m in (latest, before)
    ]
    adjusted = 100 * ((sum(now[k] for k in common) / days[0]) / (sum(then[k] for k in common) / days[1]) - 1)
    return {"month": latest, "value": sum(now.values()), "like": like, "adjusted": adjusted}


def _audit_trade(con, scope: str, border: str) -> dict:
    where = "country = ?" if scope == border else "country = ? AND port_code = ?"
    params = [PARTNER_OF[border]] + ([] if scope == border else [scope])
    latest = con.execute(f"SELECT max(month) FROM core.fact_trade_port WHERE {where}", params).fetchone()[0]
    before = date(latest.year - 1, latest.month, 1)
    value, earlier = (
        con.execute(
            f"SELECT sum(value_usd) FROM core.fact_trade_port WHERE {where} AND month = ?", [*params, m]
        ).fetchone()[0]
        for m in (latest, before)
    )
    days = [_working_days(border, m) for m in (latest, before)]
    return {
        "month": latest,
        "value": value,
        "like": 100 * (value / earlier - 1),
        "adjusted": 100 * ((value / days[0]) / (earlier / days[1]) - 1),
    }


def _audit_sectors(con, scope: str, border: str) -> list[tuple[str, float, float]]:
    """HS 85, 90, 30 over the 12 months to the table's latest month, against the same months a year
    before that both windows hold: from the state table for a border, the port table for a port."""
    table = "core.fact_trade_state_commodity" if scope == border else "core.fact_trade_port_commodity"
    where = "country = ?" if scope == border else "country = ? AND port_code = ?"
    params = [PARTNER_OF[border]] + ([] if scope == border else [scope])
    months = {
        r[0]
        for r in con.execute(f"SELECT DISTINCT month FROM {table} WHERE country = ?", params[:1]).fetchall()
    }
    last = max(months)
    window = [date(last.year - (last.month - k <= 0), (last.month - k - 1) % 12 + 1, 1) for k in range(12)]
    compared = [m for m in window if m in months and date(m.year - 1, m.month, 1) in months]

    def total(chapter: str, ms: list[date]) -> float:
        if not ms:
            return 0.0
        return con.execute(
            f"""SELECT coalesce(sum(value_usd), 0) FROM {table}
                WHERE {where} AND commodity = ? AND month IN ({",".join("?" * len(ms))})""",
            [*params, chapter, *ms],
        ).fetchone()[0]

    out = []
    for chapter in ("85", "90", "30"):
        value = total(chapter, [m for m in window if m in months])
        earlier = total(chapter, [date(m.year - 1, m.month, 1) for m in compared])
        if value:
            out.append((chapter, value, 100 * (total(chapter, compared) / earlier - 1) if earlier else None))
    return out


def test_every_figure_of_the_briefs_recomputed_from_the_core_facts(real_mirror_warehouse) -> None:
    from dashboards.brief_data import gather, scope_of
    from dashboards.brief_view import view
    from dashboards.labels import LANGS, fmt_number, fmt_pct
    from warehouse.access import open_published

    home, _ = real_mirror_warehouse
    con = open_published(home / "warehouse.duckdb")
    try:
        for code in AUDIT_SCOPES:
            scope = scope_of(con, code)
            border = scope.border
            expected = {
                "trucks": _audit_crossings(con, code, border, ("trucks",)),
                "people": _audit_crossings(con, code, border, PEOPLE_MEASURES),
                "trade": _audit_trade(con, code, border),
            }
            sectors = _audit_sectors(con, code, border)
            scorecard_trucks = con.execute(
                """SELECT sum(c.value) FROM core.fact_crossings c JOIN core.dim_port p USING (port_code)
                   WHERE p.border = 'US-Mexico' AND c.measure = 'trucks'
                     AND c.month > (SELECT max(month) FROM core.fact_crossings) - INTERVAL 12 MONTH"""
            ).fetchone()[0]
            for lang in LANGS:
                v = view(gather(con, scope), {}, lang)
                for row, figure in zip(v.headline_rows, ("trucks", "people", "trade"), strict=True):
                    e = expected[figure]
                    value = (
                        fmt_number(e["value"], lang)
                        if figure == "trade"
                        else fmt_number(e["value"], lang, whole=True, exact=True)
                    )
                    assert value in row[1], (code, lang, figure, row)
                    assert row[2] == f"{fmt_pct(e['like'], lang)} %", (code, lang, figure, row)
                    assert row[3] == f"{fmt_pct(e['adjusted'], lang)} %", (code, lang, figure, row)
                    if border == "US-Mexico":  # the verdict follows the change net of the calendar
                        goal = "flat" if abs(e["adjusted"]) < 1 else "toward" if e["adjusted"] > 0 else "away"
                        words = {
                            "en": {"flat": "flat", "toward": "toward the goal", "away": "away from the goal"},
                            "es": {
                                "flat": "sin cambio",
                                "toward": "hacia la meta",
                                "away": "en contra de la meta",
                            },
                        }
                        assert row[5] == words[lang][goal], (code, lang, figure, row)
                    else:
                        assert len(row) == 5  # no HLED verdict at the US-Canada border
                got = [(r[1], r[2]) for r in v.sectors_rows]
                want = [
                    (
                        f"US${fmt_number(value, lang)}",
                        "n/a" if change is None else f"{fmt_pct(change, lang)} %",
                    )
                    for _, value, change in sorted(sectors, key=lambda s: -s[1])
                ]
                assert got == [(a, b if b != "n/a" or lang == "en" else "s. d.") for a, b in want], (
                    code,
                    lang,
                )
                if border == "US-Mexico":
                    assert v.scorecard_rows[0][3].startswith(
                        fmt_number(scorecard_trucks, lang, whole=True, exact=True)
                    )
    finally:
        con.close()


def census_answers(shared_data: Path, year: int, folder: Path) -> int:
    """The Census API's answers for `year`, as the replica gives them from the staged TransBorder dot3
    months (chapters summed, headings a fixed share), saved as a mirror's census_ports/ files."""
    from tests.census_replica import CensusReplica
    from tests.replica import staged_csv
    from transforms.census_ports import COMMODITY, HEADINGS, request_variables

    replica = CensusReplica()
    for month in range(1, 13):
        path = staged_csv(shared_data, 3, year, month)
        if path is not None:
            replica.add_dot3(gzip.decompress(path.read_bytes()))
    folder.mkdir(parents=True)
    for direction in ("imports", "exports"):
        for heading in HEADINGS:
            query = {
                COMMODITY[direction]: [heading.code],
                "COMM_LVL": [heading.level],
                "CTY_CODE": ["1220", "2010"],
                "time": [f"from {year}-01 to {year}-12"],
            }
            answer = replica.answer(direction, request_variables(direction).split(","), query)
            (folder / f"{direction}_{heading.code}_{year}.json").write_bytes(answer.body or b"[]")
    return len(replica.chapters)


def test_census_answers_of_the_staged_months_reconcile_with_transborder_to_the_dollar(tmp_path) -> None:
    """A year of staged TransBorder months with the Census answers a publisher of the same records would
    give (the replica's, from dot3): every port-chapter-month both cover agrees, the products are named,
    and the mirror's census_ports/ folder is read like the API."""
    from benchmarks.run import _link_mirror
    from flows.refresh import refresh

    year = 2024
    home, mirror = tmp_path / "home", tmp_path / "mirror"
    _link_mirror(SHARED_DATA, mirror, leave_out=None)
    cells = census_answers(SHARED_DATA, year, mirror / "census_ports")
    with pytest.MonkeyPatch.context() as env:
        _cleared_env(
            env,
            {
                "HLED_HOME": str(home),
                "HLED_MIRROR": str(mirror),
                "HLED_CHARTS": "0",
                "HLED_SOURCES": "transborder,census_ports",
                "HLED_TRANSBORDER_FROM": f"{year}-01",
                "HLED_CENSUS_FROM": f"{year}-01",
            },
        )
        summary = refresh()
    assert summary.status == "published" and not summary.stale
    assert not any("disagree" in n for n in summary.notices)
    compared, agree, off = q(
        home,
        "SELECT count(*), count(*) FILTER (WHERE within_tolerance), max(abs(difference_usd)) "
        "FROM marts.trade_reconciliation",
    )[0]
    chapters = q(
        home,
        "SELECT count(*) FROM (SELECT DISTINCT month, trade_type, country, port_code, commodity "
        "FROM core.fact_trade_port_commodity WHERE commodity IN ('30', '85', '90') "
        "AND regexp_full_match(port_code, '[0-9]{4}'))",
    )[0][0]
    # every port x chapter x month x direction x partner of dot3 in the three chapters is compared
    # (TransBorder's district codes, 23XX, are not ports the API answers for)
    assert compared == chapters == agree and off == 0 and cells > compared
    laredo = q(
        home,
        "SELECT sum(value_usd) FROM marts.hled_product_trade WHERE port_code = '2304' "
        "AND hled_product = 'semiconductors' AND country = 'mexico'",
    )[0][0]
    chapter_85 = q(
        home,
        "SELECT sum(value_usd) FROM core.fact_trade_port_commodity WHERE port_code = '2304' "
        "AND commodity = '85' AND country = 'mexico'",
    )[0][0]
    assert laredo == pytest.approx(0.2 * chapter_85, rel=1e-3)  # 8541 (7 %) + 8542 (13 %) of chapter 85
