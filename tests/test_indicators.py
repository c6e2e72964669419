"""Indicator marts, the scorecard and the catalog on a small hand-made warehouse whose every value can
be worked out by hand: two US-Mexico port groups (Laredo; El Paso, split into El Paso + Ysleta from
2021) and one US-Canada port, in calendar 2019, 2021 and 2022."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.handmade import build_handmade
from transforms.trade_codes import hled_sector
from warehouse.db import connect, rows, run
from warehouse.dictionary import empty_warehouse
from warehouse.indicators import INDICATORS, PILLARS, render_markdown

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    path = build_handmade(tmp_path_factory.mktemp("indicators") / "w.duckdb")
    con = connect(path, read_only=True)
    yield lambda sql, params=None: rows(con, sql, params)
    con.close()


def test_port_groups_keep_el_paso_continuous(wh) -> None:
    assert wh("SELECT port_code, port_group FROM core.dim_port_group ORDER BY 1") == [
        ("0901", "0901"),
        ("2304", "2304"),
        ("2401", "EL_PASO_AREA"),
        ("2402", "EL_PASO_AREA"),
    ]
    got = wh(
        """SELECT month, value, ports_reporting, index_2019 FROM marts.port_group_month
           WHERE port_group = 'EL_PASO_AREA' AND measure = 'trucks' AND month IN ('2019-03-01', '2021-03-01')
           ORDER BY 1"""
    )
    # 500 trucks in 2019 under El Paso alone; 300 + 200 in 2021 from the two ports: index 100, not 60
    assert got == [(date(2019, 3, 1), 500, 1, 100.0), (date(2021, 3, 1), 500, 2, 100.0)]
    assert wh(
        "SELECT index_2019 FROM marts.port_month WHERE port_code = '2402' AND measure = 'trucks' "
        "AND month = '2021-03-01'"
    ) == [(60.0,)]


def test_marts_name_the_ports_and_their_groups(wh) -> None:
    """marts.port is where charts look a port up: its group and the labels they show."""
    el_paso = "El Paso area (El Paso + Ysleta)"
    assert wh(
        "SELECT port_code, port_label, port_group, port_group_label, is_district FROM marts.port ORDER BY 1"
    ) == [
        ("0901", "Buffalo (0901)", "0901", "Buffalo (0901)", False),
        ("2304", "Laredo (2304)", "2304", "Laredo (2304)", False),
        ("2401", "Ysleta (2401)", "EL_PASO_AREA", el_paso, False),
        ("2402", "El Paso (2402)", "EL_PASO_AREA", el_paso, False),
    ]
    assert wh("SELECT DISTINCT port_group, port_group_label FROM marts.port_group_month ORDER BY 1") == [
        ("0901", "Buffalo (0901)"),
        ("2304", "Laredo (2304)"),
        ("EL_PASO_AREA", el_paso),
    ]
    # the HLED priority sectors are flagged in the mart (charts do not keep their own list)
    assert wh("SELECT DISTINCT hled_sector, is_priority FROM marts.priority_sector_trade ORDER BY 1") == [
        ("pharmaceuticals", True),
        ("semiconductors_ict", True),
    ]


def test_month_comparisons_macro_is_the_one_year_over_year_rule() -> None:
    """The macro every monthly mart uses: a year earlier, trailing 12 months, a base year; a key with a
    NULL part matches nothing, as a join on the key's columns would not."""
    con = empty_warehouse()
    try:
        run(
            con,
            """CREATE TEMP TABLE s AS SELECT * FROM (VALUES
                   (['a'], DATE '2019-03-01', 50), (['a'], DATE '2020-02-01', 0),
                   (['a'], DATE '2020-03-01', 100), (['a'], DATE '2021-02-01', 10),
                   (['a'], DATE '2021-03-01', 150),
                   ([NULL], DATE '2020-03-01', 7), ([NULL], DATE '2021-03-01', 8)
               ) t(series_key, month, value)""",
        )
        got = rows(
            con,
            """SELECT series_key[1], month, value_prev_year, yoy_change, yoy_pct, t12m_total, t12m_months,
                      value_base, index_base
               FROM month_comparisons('s', 2019) WHERE year(month) = 2021 ORDER BY 1, 2""",
        )
    finally:
        con.close()
    assert got == [
        ("a", date(2021, 2, 1), 0, 10, None, 110, 2, None, None),  # no change in percent from 0
        ("a", date(2021, 3, 1), 100, 50, 50.0, 160, 2, 50, 300.0),
        (None, date(2021, 3, 1), None, None, None, 8, 1, None, None),
    ]


def test_border_volumes_year_over_year_and_trailing_totals(wh) -> None:
    got = wh(
        """SELECT value, value_prev_year, yoy_pct, t12m_total, t12m_months, index_2019
           FROM marts.border_month
           WHERE border = 'US-Mexico' AND measure = 'trucks' AND month = '2022-06-01'"""
    )
    # 1500 + 300 + 200 = 2000 against 1200 + 300 + 200 = 1700 a year earlier and 1500 in June 2019
    assert got == [(2000, 1700, 17.65, 6 * 1700 + 6 * 2000, 12, 133.33)]  # July 2021 to June 2022
    index_2019 = wh("SELECT DISTINCT index_2019 FROM marts.border_month WHERE year(month) = 2019")
    assert index_2019 == [(100.0,)]


def test_empty_truck_share_and_people_flows(wh) -> None:
    share = wh(
        """SELECT grain, month, loaded_containers, empty_containers, empty_share_pct, containers_per_truck
           FROM marts.empty_truck_share
           WHERE scope IN ('2304', 'US-Mexico') AND grain IN ('port', 'border')
             AND month IN ('2021-01-01', '2022-01-01')
           ORDER BY grain, month"""
    )
    assert share == [
        ("border", date(2021, 1, 1), 600, 400, 40.0, round(1000 / 1700, 2)),
        ("border", date(2022, 1, 1), 600, 200, 25.0, round(800 / 2000, 2)),
        ("port", date(2021, 1, 1), 600, 400, 40.0, round(1000 / 1200, 2)),
        ("port", date(2022, 1, 1), 600, 200, 25.0, round(800 / 1500, 2)),
    ]
    people = wh(
        """SELECT pedestrians, personal_vehicle_passengers, bus_passengers, train_passengers, people_total,
                  people_prev_year, yoy_pct, people_2019, index_2019
           FROM marts.people_flows WHERE grain = 'port' AND scope = '2304' AND month = '2022-05-01'"""
    )
    assert people == [(100, 150, 50, 0, 300, 300, 0.0, 450, 66.67)]


def test_port_concentration_uses_port_groups(wh) -> None:
    got = wh(
        """SELECT basis, month, port_groups, hhi, equivalent_ports, top_port_group, top_share_pct
           FROM marts.port_concentration WHERE border = 'US-Mexico' AND month IN ('2019-01-01', '2022-01-01')
           ORDER BY 1, 2"""
    )
    assert got == [
        # trade: Laredo 5 M (truck 4.5 M + rail 0.5 M) and El Paso area 1 M in 2021; 10 M and 1 M in 2022
        (
            "trade_value",
            date(2022, 1, 1),
            2,
            round((10 / 11 * 100) ** 2 + (1 / 11 * 100) ** 2, 1),
            1.2,
            "2304",
            90.91,
        ),
        # trucks 2019: 1000 / 1500 and 500 / 1500 -> 4444.4 + 1111.1
        ("truck_crossings", date(2019, 1, 1), 2, 5555.6, 1.8, "2304", 66.67),
        # 2022: Laredo 1500, El Paso area 300 + 200 (one group, not two ports: 6250, not 5950)
        ("truck_crossings", date(2022, 1, 1), 2, 6250.0, 1.6, "2304", 75.0),
    ]


def test_trade_per_truck_mode_share_sectors_and_border_trade(wh) -> None:
    assert wh(
        """SELECT import_value_per_inbound_truck_usd, total_value_per_inbound_truck_usd
           FROM marts.trade_value_per_truck WHERE port_code = '2304' AND month = '2022-01-01'"""
    ) == [(6_000_000 / 1500, 9_000_000 / 1500)]
    assert wh(
        "SELECT share_pct FROM marts.mode_share "
        "WHERE country = 'mexico' AND mode = 'rail' AND month = '2022-01-01'"
    ) == [(round(100 * 1_000_000 / 11_000_000, 3),)]
    assert hled_sector("85") == "semiconductors_ict" and hled_sector("30") == "pharmaceuticals"
    assert wh(
        """SELECT hled_sector, value_usd, value_2021, index_2021 FROM marts.priority_sector_trade
           WHERE port_code = '2304' AND month = '2022-04-01' ORDER BY 1"""
    ) == [("pharmaceuticals", 100_000, 100_000, 100.0), ("semiconductors_ict", 1_400_000, 700_000, 200.0)]
    assert wh(
        """SELECT value_usd, value_prev_year, yoy_pct, t12m_total, value_2019, index_2021
           FROM marts.trade_border_month WHERE border = 'US-Mexico' AND month = '2022-12-01'"""
    ) == [(11_000_000, 6_000_000, 83.33, 12 * 11_000_000, None, 183.33)]


def test_scorecard_compares_the_latest_12_months_with_2019_and_2021(wh) -> None:
    got = {
        (r[0], r[1]): r[2:]
        for r in wh(
            """SELECT indicator_id, headline_en, value_2019, months_2019, value_2021, latest_month,
                      latest_value,
                      change_vs_2019_pct, right_way_vs_2019, change_vs_2021_pct, right_way_vs_2021
               FROM marts.hled_scorecard"""
        )
    }
    trucks = got[("inbound_crossings", "Inbound truck crossings")]
    assert trucks == (18_000.0, 12, 20_400.0, date(2022, 12, 1), 24_000.0, 33.33, True, 17.65, True)
    hhi = got[("port_concentration_trucks", "Port concentration of trucks (HHI)")]
    # concentration went up: the wrong way for a "lower is better" indicator
    assert hhi[0] == 5555.6 and hhi[4] == 6250.0 and hhi[6] is False and hhi[8] is False
    empty = got[("empty_truck_share", "Empty-truck share")]
    assert empty[4] == 25.0 and empty[8] is True  # 40 % in 2021 -> 25 %: lower is better
    trade_total = got[("trade_value", "US-Mexico trade, all modes (exports + imports)")]
    # no 2019 trade on hand: the 2019 baseline is NULL, never a partial year
    assert trade_total[:2] == (None, 0) and trade_total[2] == 12 * 6_000_000.0 and trade_total[4] == 12 * 11e6
    rail = got[("rail_share_of_trade", "Rail's share of US-Mexico trade")]
    assert rail[2] == 8.33 and rail[8] is True  # mean of the monthly 8.333 % in 2021
    pillars = {r[0] for r in wh("SELECT DISTINCT pillar FROM marts.hled_scorecard")}
    assert pillars == set(PILLARS)


def test_catalog_has_every_declaration_and_each_points_at_real_columns(wh) -> None:
    catalog = wh(
        "SELECT indicator_id, pillar, unit, formula, mart_table, mart_columns, status "
        "FROM marts.indicator_catalog"
    )
    assert len(catalog) == len(INDICATORS) and sum(1 for r in catalog if r[6] == "computed") >= 12
    assert all(r[1] in PILLARS and r[2] and r[3] for r in catalog)
    for _, _, _, _, table, columns, status in catalog:
        if status != "computed":
            continue
        schema, name = table.split(".")
        present = {
            r[0]
            for r in wh(
                "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ?",
                [schema, name],
            )
        }
        assert set(columns.split(", ")) <= present, (table, columns)
    for indicator in INDICATORS:
        assert indicator.computed_by is None or (ROOT / indicator.computed_by).exists()
        assert indicator.better in ("higher", "lower", "neither")


def test_indicator_docs_are_generated_from_the_declarations() -> None:
    committed = (ROOT / "docs" / "indicators.md").read_text()
    assert committed == render_markdown(), "docs/indicators.md is stale: run `hled docs`"
    assert "### empty_truck_share" in committed and "Needs:" not in committed  # every indicator computed
    # the emissions estimate states its factor and where it comes from
    emissions = committed.split("### truck_idle_emissions")[1].split("###")[0]
    assert (
        "5.00 kg CO2 per truck-hour" in emissions
        and "0.49 gal/h" in emissions
        and "10.21 kg CO2/gal" in emissions
    )
    assert "Fact of the Week #861" in emissions and "GHG Emission Factors Hub" in emissions
    assert "(estimate)" in emissions


def test_empty_warehouse_has_catalog_rows_and_empty_indicator_tables() -> None:
    con = empty_warehouse()
    try:
        assert rows(con, "SELECT count(*) FROM marts.indicator_catalog") == [(len(INDICATORS),)]
        assert rows(con, "SELECT count(*) FROM marts.hled_scorecard") == [(0,)]
        assert rows(con, "SELECT count(*) FROM marts.shocks") == [(0,)]
    finally:
        con.close()
