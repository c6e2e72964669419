"""The HLED indicator catalog: every indicator declared once (titles, pillar, goal, grain, unit, better
direction, formula, where it lives and what computes it). marts.indicator_catalog, marts.hled_scorecard
and docs/indicators.md are all generated from these declarations, so code and documents agree."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from transforms import shocks
from warehouse import diversions
from warehouse.db import frame, literal, run
from warehouse.lineage import Finish, Step, Work, tables_in
from warehouse.windows import FLAT_PCT, TWELVE_MONTHS

EVALUATION_FILE = Path(__file__).resolve().parent.parent / "benchmarks" / "shocks_evaluation.json"

SCORECARD_SCOPE = "US-Mexico"
# The indicators' constants, declared once: the scorecard SQL, the formulas in the catalog and the
# COMMENTs that quote them (table_comments()) are written from these and from the shock method's
# constants in transforms/shocks.py.
PRE_PANDEMIC_YEAR = 2019  # the recovery baseline
RELAUNCH_YEAR = 2021  # the HLED relaunch
WINDOW_MONTHS = TWELVE_MONTHS.months  # the scorecard's windows: calendar years and the latest months on hand
MAX_CONTAINERS_PER_TRUCK = 1.1  # empty-truck share: above it a port counts containers differently


@dataclass(frozen=True)
class Pillar:
    """An HLED commitment the indicators are grouped under (the project's reading of the dialogue)."""

    key: str
    en: str
    es: str
    goal: str


PILLARS: dict[str, Pillar] = {
    p.key: p
    for p in (
        Pillar(
            "facilitation",
            "Border infrastructure & trade facilitation",
            "Infraestructura fronteriza y facilitación del comercio",
            "Modernize border infrastructure and facilitate trade: more legitimate traffic and trade through "
            "the ports of entry, moved faster.",
        ),
        Pillar(
            "recovery",
            "Trade and traffic back above pre-pandemic levels",
            "Comercio y tránsito por encima de los niveles prepandemia",
            f"Recover from the pandemic: trade and crossings back above their {PRE_PANDEMIC_YEAR} levels.",
        ),
        Pillar(
            "supply_chains",
            "Resilient supply chains",
            "Cadenas de suministro resilientes",
            "Resilient North American supply chains, above all semiconductors and ICT, medical devices and "
            "pharmaceuticals; no dependence on a single crossing; quick recovery from disruptions.",
        ),
        Pillar(
            "green",
            "Greener border transportation",
            "Transporte fronterizo más limpio",
            "Greener border transportation: fewer empty and idling trucks, more freight by rail.",
        ),
        Pillar(
            "people",
            "Legitimate and fast travel of people",
            "Movilidad legítima y ágil de personas",
            "Facilitate the legitimate travel of people across the border.",
        ),
    )
}


@dataclass(frozen=True)
class Headline:
    """One scorecard row: a monthly US-Mexico series (SQL giving month, value) and how 12 months combine."""

    en: str
    es: str
    sql: str
    aggregate: str  # "sum" (12-month total) or "mean" (12-month average)
    unit: str | None = None  # when narrower than the indicator's unit


@dataclass(frozen=True)
class Indicator:
    """One declared indicator. Planned ones have no table and say what they need."""

    id: str
    title_en: str
    title_es: str
    pillar: str
    goal: str
    grain: str
    unit: str
    better: str  # higher | lower | neither
    formula: str
    table: str | None = None
    columns: tuple[str, ...] = ()
    computed_by: str | None = None
    needs: str | None = None
    headlines: tuple[Headline, ...] = field(default_factory=tuple)

    @property
    def status(self) -> str:
        return "computed" if self.table else "planned"


CROSSINGS_SQL = "warehouse/sql/derive/10_marts_crossings.sql"
TRADE_SQL = "warehouse/sql/derive/20_marts_trade.sql"
INDICATOR_SQL = "warehouse/sql/derive/30_marts_indicators.sql"
WAIT_SQL = "warehouse/sql/derive/40_marts_wait_times.sql"
PRODUCT_SQL = "warehouse/sql/derive/25_marts_census.sql"


@dataclass(frozen=True)
class EmissionFactor:
    """A declared emission factor: fuel burnt per hour times CO2 per unit of fuel, with its sources."""

    factor_id: str
    gallons_per_hour: float
    kg_co2_per_gallon: float
    source: str

    @property
    def kg_co2_per_hour(self) -> float:
        return self.gallons_per_hour * self.kg_co2_per_gallon


TRUCK_IDLE = EmissionFactor(
    "truck_idle",
    0.49,
    10.21,
    "idle fuel use of a diesel combination truck with no load, 0.49 gal/h: U.S. DOE Vehicle Technologies "
    "Office, Fact of the Week #861 (23 Feb 2015), from Argonne National Laboratory's idling-reduction "
    "worksheet; CO2 of diesel, 10.21 kg per gallon: U.S. EPA, GHG Emission Factors Hub",
)


def emission_factor_frame() -> pl.DataFrame:
    """core.ref_emission_factor rows (one place declares each factor)."""
    return pl.DataFrame(
        [
            {
                "factor_id": f.factor_id,
                "kg_co2_per_hour": f.kg_co2_per_hour,
                "fuel_gallons_per_hour": f.gallons_per_hour,
                "kg_co2_per_gallon": f.kg_co2_per_gallon,
                "source": f.source,
            }
            for f in (TRUCK_IDLE,)
        ]
    )


PORT_MONTH_GRAIN = (
    "port x month (marts.port_month), port group x month (marts.port_group_month), "
    "border x month (marts.border_month); every crossings measure"
)
PORT_BORDER_GRAIN = "port x month, port group x month and border x month (grain column)"


def _border(table: str, column: str, where: str = "") -> str:
    extra = f" AND {where}" if where else ""
    return f"SELECT month, {column} AS value FROM {table} WHERE border = '{SCORECARD_SCOPE}'{extra}"


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "inbound_crossings",
        "Inbound crossings",
        "Cruces de entrada",
        "facilitation",
        "More legitimate traffic through the ports of entry.",
        PORT_MONTH_GRAIN,
        "count per month (trucks, vehicles, containers, trains or people, by measure)",
        "higher",
        "Sum of the BTS Border Crossing Entry Data values for the port (or the border's ports) in the month.",
        "marts.border_month",
        ("value",),
        CROSSINGS_SQL,
        headlines=(
            Headline(
                "Inbound truck crossings",
                "Cruces de camiones de entrada",
                _border("marts.border_month", "value", "measure = 'trucks'"),
                "sum",
                "trucks",
            ),
        ),
    ),
    Indicator(
        "crossings_yoy_pct",
        "Year-over-year change in crossings",
        "Variación anual de los cruces",
        "facilitation",
        "Growth of legitimate traffic.",
        PORT_MONTH_GRAIN,
        "percent",
        "higher",
        "(value - value in the same month a year earlier) / value a year earlier x 100; NULL when the "
        "earlier month is missing or 0.",
        "marts.border_month",
        ("value_prev_year", "yoy_change", "yoy_pct"),
        CROSSINGS_SQL,
    ),
    Indicator(
        "crossings_t12m",
        "Trailing 12-month crossings",
        "Cruces de los últimos 12 meses",
        "facilitation",
        "Traffic through the ports free of seasonality.",
        PORT_MONTH_GRAIN,
        "count per 12 months",
        "higher",
        "Sum of the value over the month and the 11 months before it; t12m_months says how many of the "
        "12 had data.",
        "marts.border_month",
        ("t12m_total", "t12m_months"),
        CROSSINGS_SQL,
    ),
    Indicator(
        "recovery_index_2019",
        f"Recovery index against {PRE_PANDEMIC_YEAR}",
        f"Índice de recuperación frente a {PRE_PANDEMIC_YEAR}",
        "recovery",
        "Crossings back above their pre-pandemic level.",
        PORT_MONTH_GRAIN,
        f"index, same month of {PRE_PANDEMIC_YEAR} = 100",
        "higher",
        f"value / value in the same calendar month of {PRE_PANDEMIC_YEAR} x 100. By construction every "
        f"{PRE_PANDEMIC_YEAR} month is 100.",
        "marts.border_month",
        ("value_2019", "index_2019"),
        CROSSINGS_SQL,
    ),
    Indicator(
        "empty_truck_share",
        "Empty-truck share",
        "Proporción de camiones vacíos",
        "green",
        "Fewer trucks crossing empty: better use of each crossing, less traffic and emissions per load.",
        PORT_BORDER_GRAIN,
        "percent of truck containers",
        "lower",
        "Inbound empty truck containers / (loaded + empty truck containers) x 100. Caveat: from 2023 "
        "several US-Mexico ports report more loaded containers than trucks, which lowers the share at "
        "that reporting change (containers_per_truck shows it); the scorecard uses only months with at "
        f"most {MAX_CONTAINERS_PER_TRUCK} containers per truck, so its latest window ends before the change.",
        "marts.empty_truck_share",
        ("loaded_containers", "empty_containers", "empty_share_pct", "containers_per_truck"),
        INDICATOR_SQL,
        headlines=(
            Headline(
                "Empty-truck share",
                "Proporción de camiones vacíos",
                "SELECT month, empty_share_pct AS value FROM marts.empty_truck_share "
                f"WHERE grain = 'border' AND scope = '{SCORECARD_SCOPE}' "
                f"AND containers_per_truck <= {MAX_CONTAINERS_PER_TRUCK}",
                "mean",
            ),
        ),
    ),
    Indicator(
        "trade_value_per_truck",
        "Trade value per truck crossing",
        "Valor comerciado por cruce de camión",
        "facilitation",
        "Trade carried per truck crossing: how much commerce each crossing moves.",
        "US-Mexico land port x month",
        "US dollars per inbound truck",
        "higher",
        "US trade with Mexico by truck through the port (exports + imports, TransBorder dot1) / inbound "
        "truck crossings at the port (BTS crossings); imports alone per truck in a second column. "
        "The crossings count northbound trucks only.",
        "marts.trade_value_per_truck",
        ("import_value_per_inbound_truck_usd", "total_value_per_inbound_truck_usd"),
        TRADE_SQL,
        headlines=(
            Headline(
                "Truck trade value per inbound truck",
                "Valor comerciado en camión por camión de entrada",
                "SELECT month, sum(total_value_usd) / sum(inbound_trucks) AS value "
                "FROM marts.trade_value_per_truck WHERE inbound_trucks > 0 GROUP BY month",
                "mean",
            ),
        ),
    ),
    Indicator(
        "trade_value",
        "US trade with the partner",
        "Comercio de EE. UU. con el socio",
        "recovery",
        f"Trade back above pre-pandemic levels and growing after the {RELAUNCH_YEAR} relaunch.",
        "border x month (US-Mexico, US-Canada)",
        "US dollars (current)",
        "higher",
        "Exports + imports with Mexico (or Canada) through all US ports and modes (TransBorder dot1), with "
        "year-over-year change, trailing 12-month total and indices against the same month of "
        f"{PRE_PANDEMIC_YEAR} and {RELAUNCH_YEAR}.",
        "marts.trade_border_month",
        ("value_usd", "yoy_pct", "t12m_total", "index_2019", "index_2021"),
        INDICATOR_SQL,
        headlines=(
            Headline(
                "US-Mexico trade, all modes (exports + imports)",
                "Comercio México–EE. UU., todos los modos (exportaciones + importaciones)",
                _border("marts.trade_border_month", "value_usd"),
                "sum",
            ),
        ),
    ),
    Indicator(
        "trade_mode_share",
        "Mode share of trade",
        "Participación modal del comercio",
        "green",
        "How trade moves: truck, rail, pipeline, vessel, air.",
        "border x month x mode",
        "percent of trade value",
        "neither",
        "Trade value carried by the mode / all trade value with the partner that month x 100 "
        "(TransBorder dot1).",
        "marts.mode_share",
        ("share_pct",),
        TRADE_SQL,
    ),
    Indicator(
        "rail_share_of_trade",
        "Rail's share of trade",
        "Participación del ferrocarril en el comercio",
        "green",
        "Greener border transportation: freight moved by rail instead of trucks.",
        "border x month",
        "percent of trade value",
        "higher",
        "Trade value carried by rail / all trade value with the partner x 100 (the rail rows of "
        "marts.mode_share).",
        "marts.mode_share",
        ("share_pct",),
        TRADE_SQL,
        headlines=(
            Headline(
                "Rail's share of US-Mexico trade",
                "Participación del ferrocarril en el comercio México–EE. UU.",
                _border("marts.mode_share", "share_pct", "mode = 'rail'"),
                "mean",
            ),
        ),
    ),
    Indicator(
        "priority_sector_trade",
        "HLED priority-sector trade",
        "Comercio de sectores prioritarios del DEAN",
        "supply_chains",
        "Resilient supply chains for semiconductors and ICT, medical devices and pharmaceuticals.",
        "port x partner x HLED sector x month",
        f"US dollars (current); index, same month of {RELAUNCH_YEAR} = 100",
        "higher",
        "Exports + imports of the HS chapters tagged with the sector (core.dim_commodity) through the port "
        "(TransBorder dot3), with year-over-year change and an index against the same month of "
        f"{RELAUNCH_YEAR}, the HLED relaunch. A chapter is wider than the sector's name: HS 85 holds "
        "semiconductors and ICT but also motors, cables and TVs; HS 90 medical devices and every optical "
        "instrument. The border's figures (scorecard, brief) come from dot2 (marts.sector_trade_border), "
        "which has the months dot3 lacks.",
        "marts.priority_sector_trade",
        ("value_usd", "yoy_pct", "index_2021"),
        TRADE_SQL,
        headlines=tuple(
            Headline(
                f"US-Mexico trade, all modes: {en}",
                f"Comercio México–EE. UU., todos los modos: {es}",
                "SELECT month, sum(value_usd) AS value FROM marts.sector_trade_border "
                f"WHERE country = 'mexico' AND hled_sector = '{sector}' GROUP BY month",
                "sum",
                "US dollars (current)",
            )
            for sector, en, es in (
                (
                    "semiconductors_ict",
                    "electrical machinery incl. semiconductors (HS 85)",
                    "maquinaria eléctrica, incl. semiconductores (SA 85)",
                ),
                (
                    "medical_optical",
                    "optical & medical instruments (HS 90)",
                    "instrumentos ópticos y médicos (SA 90)",
                ),
                ("pharmaceuticals", "pharmaceutical products (HS 30)", "productos farmacéuticos (SA 30)"),
            )
        ),
    ),
    Indicator(
        "hled_product_trade",
        "HLED products named exactly",
        "Productos del DEAN nombrados con exactitud",
        "supply_chains",
        "Resilient supply chains for semiconductors and ICT, medical devices and pharmaceuticals.",
        "port x partner x HLED product x month",
        "US dollars (current)",
        "higher",
        "Exports + imports of the HS headings of each product (core.dim_hs_heading: integrated circuits and "
        "semiconductor devices 8541-8542, machines to make them 8486, medical devices 9018-9022, medicines "
        "3004, vaccines and blood 3002) through the port, from the Census trade API (census_ports), with the "
        "chapter that stands in for the product in TransBorder beside it. Only where that source is loaded.",
        "marts.hled_product_trade",
        ("value_usd", "chapter_value_usd", "share_of_chapter_pct"),
        PRODUCT_SQL,
        headlines=tuple(
            Headline(
                f"US-Mexico trade, all modes: {en}",
                f"Comercio México–EE. UU., todos los modos: {es}",
                "SELECT month, sum(value_usd) AS value FROM marts.hled_product_trade "
                f"WHERE country = 'mexico' AND hled_product = '{product}' GROUP BY month",
                "sum",
                "US dollars (current)",
            )
            for product, en, es in (
                (
                    "semiconductors",
                    "integrated circuits and semiconductor devices (HS 8541–8542)",
                    "circuitos integrados y dispositivos semiconductores (SA 8541–8542)",
                ),
                ("medical_devices", "medical devices (HS 9018–9022)", "dispositivos médicos (SA 9018–9022)"),
                ("medicines", "medicines in measured doses (HS 3004)", "medicamentos dosificados (SA 3004)"),
            )
        ),
    ),
    Indicator(
        "port_concentration_trucks",
        "Port concentration of truck crossings (HHI)",
        "Concentración portuaria de los cruces de camiones (IHH)",
        "supply_chains",
        "No dependence on a single crossing: traffic spread over several ports is less vulnerable.",
        "border x month",
        "index 0-10,000",
        "lower",
        "Herfindahl-Hirschman index: sum over the border's port groups of (percent share of the border's "
        "inbound trucks)^2. 10,000 = one port carries everything; equivalent_ports = 10,000 / HHI.",
        "marts.port_concentration",
        ("hhi", "equivalent_ports", "top_port_group", "top_share_pct"),
        INDICATOR_SQL,
        headlines=(
            Headline(
                "Port concentration of trucks (HHI)",
                "Concentración portuaria de camiones (IHH)",
                _border("marts.port_concentration", "hhi", "basis = 'truck_crossings'"),
                "mean",
            ),
        ),
    ),
    Indicator(
        "port_concentration_trade",
        "Port concentration of trade value (HHI)",
        "Concentración portuaria del valor comerciado (IHH)",
        "supply_chains",
        "No dependence on a single crossing for the trade itself.",
        "border x month",
        "index 0-10,000",
        "lower",
        "Herfindahl-Hirschman index of the port groups' shares of US trade with the partner through the "
        "border's land ports (all modes, TransBorder dot1).",
        "marts.port_concentration",
        ("hhi", "equivalent_ports", "top_port_group", "top_share_pct"),
        INDICATOR_SQL,
        headlines=(
            Headline(
                "Port concentration of trade value (HHI)",
                "Concentración portuaria del valor comerciado (IHH)",
                _border("marts.port_concentration", "hhi", "basis = 'trade_value'"),
                "mean",
            ),
        ),
    ),
    Indicator(
        "people_crossings",
        "People crossing",
        "Personas que cruzan",
        "people",
        "Legitimate travel of people: workers, students, shoppers, families.",
        PORT_BORDER_GRAIN,
        "people per month",
        "higher",
        "Inbound pedestrians + personal-vehicle passengers + bus passengers + train passengers, with "
        f"year-over-year change, trailing 12-month total and the {PRE_PANDEMIC_YEAR} recovery index.",
        "marts.people_flows",
        ("people_total", "yoy_pct", "t12m_total", "index_2019"),
        INDICATOR_SQL,
        headlines=(
            Headline(
                "People crossing northbound",
                "Personas que cruzan hacia el norte",
                "SELECT month, people_total AS value FROM marts.people_flows "
                f"WHERE grain = 'border' AND scope = '{SCORECARD_SCOPE}'",
                "sum",
                "people",
            ),
        ),
    ),
    Indicator(
        "shocks",
        "Shocks and recovery time",
        "Choques y tiempo de recuperación",
        "supply_chains",
        "Resilience: how deep disruptions go and how fast traffic recovers.",
        "border or port group x measure, one row per disruption",
        "percent below expectation; months to recover",
        "lower",
        "Seasonal expectation from the same month of the three previous years brought forward by the "
        "recent trend, net of calendar effects (working days, Holy Week); a shock starts when a month "
        f"falls at least {shocks.MIN_DROP * 100:g} % and {shocks.Z:g} robust standard deviations below it, "
        f"and lasts until the value is back at {shocks.RECOVERY_SHARE * 100:g} % of its pre-shock level "
        "(method below).",
        "marts.shocks",
        ("depth_pct", "months_to_recover", "status"),
        "transforms/shocks.py",
    ),
    Indicator(
        "commercial_wait_minutes",
        "Commercial (truck) wait at the line",
        "Espera comercial (camiones) en la línea",
        "facilitation",
        "Faster crossings for trade.",
        "crossing x lane x hour of day (vehicle_type = 'commercial')",
        "minutes",
        "lower",
        "Median and 90th percentile of the commercial-lane waits CBP reported for the crossing in that "
        "local hour, over every reading collected (basis readings); CBP historical averages loaded by "
        "backfill are kept apart (basis historical_average).",
        "marts.wait_times_port_hour",
        ("median_wait_minutes", "p90_wait_minutes", "observations"),
        WAIT_SQL,
    ),
    Indicator(
        "truck_idle_hours",
        "Truck idle hours at the border (estimate)",
        "Horas de camiones en espera en la frontera (estimación)",
        "green",
        "Less idling at the line.",
        "BTS port x month",
        "truck-hours per month (estimate)",
        "lower",
        "Inbound trucks of the port in the month (BTS; the same calendar month of the latest year on hand "
        "when that month is not published yet) x the median commercial wait of the port's crossings in the "
        "month / 60. Assumes every truck waits the median.",
        "marts.truck_idle",
        ("idle_truck_hours", "trucks", "median_commercial_wait_minutes", "trucks_month"),
        WAIT_SQL,
    ),
    Indicator(
        "truck_idle_emissions",
        "Idle emissions of waiting trucks (estimate)",
        "Emisiones de camiones en espera (estimación)",
        "green",
        "Greener border transportation: less CO2 from trucks idling at the line.",
        "BTS port x month",
        "tonnes CO2 per month (estimate)",
        "lower",
        f"Truck idle hours x {TRUCK_IDLE.kg_co2_per_hour:.2f} kg CO2 per truck-hour = "
        f"{TRUCK_IDLE.gallons_per_hour} gal/h of diesel at idle x {TRUCK_IDLE.kg_co2_per_gallon} kg CO2/gal. "
        f"Sources: {TRUCK_IDLE.source}. Assumes the engine idles for the whole wait.",
        "marts.truck_idle",
        ("idle_co2_tonnes", "kg_co2_per_idle_hour", "factor_source"),
        WAIT_SQL,
    ),
)

BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}
SHOCK_MEASURES = ("trucks", "personal_vehicle_passengers", "pedestrians")


def catalog_frame() -> pl.DataFrame:
    """marts.indicator_catalog rows, one per declaration."""
    return pl.DataFrame(
        [
            {
                "indicator_id": i.id,
                "title_en": i.title_en,
                "title_es": i.title_es,
                "pillar": i.pillar,
                "pillar_en": PILLARS[i.pillar].en,
                "pillar_es": PILLARS[i.pillar].es,
                "goal": i.goal,
                "grain": i.grain,
                "unit": i.unit,
                "better": i.better,
                "formula": i.formula,
                "mart_table": i.table,
                "mart_columns": ", ".join(i.columns) or None,
                "computed_by": i.computed_by,
                "status": i.status,
                "needs": i.needs,
                "in_scorecard": bool(i.headlines),
            }
            for i in INDICATORS
        ]
    )


def scorecard_sql() -> str:
    """One SELECT over every headline series: the base years and the latest months, judged by direction."""
    parts = []
    for order, (indicator, headline) in enumerate((i, h) for i in INDICATORS for h in i.headlines):
        pillar = PILLARS[indicator.pillar]
        quote = lambda text: "'" + text.replace("'", "''") + "'"  # noqa: E731
        parts.append(
            f"SELECT {order} AS ord, {quote(pillar.key)} AS pillar, {quote(pillar.en)} AS pillar_en, "
            f"{quote(pillar.es)} AS pillar_es, {quote(indicator.id)} AS indicator_id, "
            f"{quote(headline.en)} AS headline_en, {quote(headline.es)} AS headline_es, "
            f"{quote(headline.unit or indicator.unit)} AS unit, {quote(indicator.better)} AS better, "
            f"{quote(headline.aggregate)} AS agg, s.month, s.value::DOUBLE AS value "
            f"FROM ({headline.sql}) s WHERE s.value IS NOT NULL"
        )
    series = "\nUNION ALL\n".join(parts)
    years = (PRE_PANDEMIC_YEAR, RELAUNCH_YEAR)
    back = f"INTERVAL {WINDOW_MONTHS - 1} MONTH"
    windows = {str(y): f"year(s.month) = {y}" for y in years}
    windows["latest"] = f"s.month BETWEEN l.latest_month - {back} AND l.latest_month"
    aggregates = ",\n           ".join(
        f"count(*) FILTER (WHERE {w}) AS months_{k}, sum(value) FILTER (WHERE {w}) AS sum_{k}, "
        f"avg(value) FILTER (WHERE {w}) AS avg_{k}"
        for k, w in windows.items()
    )
    values = ",\n           ".join(
        f"CASE WHEN months_{k} = {WINDOW_MONTHS} THEN CASE agg WHEN 'sum' THEN sum_{k} ELSE avg_{k} END END "
        f"AS v{k}"
        for k in windows
    )
    baselines = ", ".join(f"round(v{y}, 2) AS value_{y}, months_{y}" for y in years)
    changes = ",\n       ".join(
        f"""round(vlatest - v{y}, 2) AS change_vs_{y},
       CASE WHEN v{y} <> 0 THEN round(100.0 * (vlatest - v{y}) / abs(v{y}), 2) END AS change_vs_{y}_pct,
       CASE WHEN better = 'neither' OR vlatest = v{y} THEN NULL
            WHEN better = 'higher' THEN vlatest > v{y} ELSE vlatest < v{y} END AS right_way_vs_{y}"""
        for y in years
    )
    return f"""
WITH series AS ({series}),
complete AS (  -- months ending a {WINDOW_MONTHS}-month window with every month on hand
    SELECT ord, month,
           count(*) OVER (PARTITION BY ord ORDER BY month RANGE BETWEEN {back} PRECEDING AND CURRENT ROW)
               AS months
    FROM series
),
latest AS (
    SELECT ord, coalesce(max(month) FILTER (WHERE months = {WINDOW_MONTHS}), max(month)) AS latest_month
    FROM complete GROUP BY ord
),
windows AS (
    SELECT s.ord, any_value(pillar) AS pillar, any_value(pillar_en) AS pillar_en,
           any_value(pillar_es) AS pillar_es, any_value(indicator_id) AS indicator_id,
           any_value(headline_en) AS headline_en, any_value(headline_es) AS headline_es,
           any_value(unit) AS unit, any_value(better) AS better, any_value(agg) AS agg,
           any_value(l.latest_month) AS latest_month,
           {aggregates}
    FROM series s JOIN latest l USING (ord)
    GROUP BY s.ord
),
valued AS (
    SELECT *,
           {values}
    FROM windows
)
SELECT pillar, pillar_en, pillar_es, indicator_id, headline_en, headline_es,
       '{SCORECARD_SCOPE}' AS scope, unit, better,
       CASE agg WHEN 'sum' THEN '{WINDOW_MONTHS}-month total' ELSE '{WINDOW_MONTHS}-month average' END
           AS aggregate,
       {baselines},
       latest_month, round(vlatest, 2) AS latest_value, months_latest,
       {changes}
FROM valued
ORDER BY ord
"""


SHOCK_INPUT_SQL = f"""
SELECT border, 'border' AS scope_type, border AS scope, measure, month, value::DOUBLE AS value
FROM marts.border_month
UNION ALL
SELECT border, 'border', border, 'trade_value_usd', month, value_usd::DOUBLE FROM marts.trade_border_month
UNION ALL
SELECT border, 'port_group', port_group, measure, month, value::DOUBLE FROM marts.port_group_month g
WHERE measure IN ({", ".join(f"'{m}'" for m in SHOCK_MEASURES)}) AND border IS NOT NULL
  AND NOT EXISTS (  -- a port of the group did not report a count it usually reports: a gap, not a fall
      SELECT 1 FROM marts.crossings_gaps x JOIN core.dim_port_group pg USING (port_code)
      WHERE pg.port_group = g.port_group AND x.measure = g.measure AND x.month = g.month)
"""


def table_comments() -> dict[str, str]:
    """The COMMENTs of marts.shocks and marts.hled_scorecard that quote a constant (a threshold, a base
    year, a window length), written from the declarations above and transforms/shocks.py; the other
    comments of those tables are in warehouse/sql/ddl/05_indicators.sql."""
    w = WINDOW_MONTHS
    comments = {
        "marts.shocks.first_month": "First month of the shock: the value fell at least "
        f"{shocks.MIN_DROP * 100:g} % and {shocks.Z:g} robust standard deviations below what the series' "
        "seasonal pattern and trend predicted",
        "marts.shocks.recovered_month": f"First of {shocks.RECOVERY_MONTHS} consecutive months back at "
        f"{shocks.RECOVERY_SHARE * 100:g} % of the pre-shock level of their calendar months; NULL while it "
        "has not recovered",
        "marts.shocks.status": "recovered; ongoing (not recovered by the latest month of the data); "
        f"not_recovered (not back within {shocks.MAX_EPISODE_MONTHS} months: the episode was closed so later "
        "shocks can be seen, and a later recovery is still recorded); series_ended (the series stopped "
        "reporting before recovering)",
        "marts.shock_neighbours": "Where the traffic went: for each port-group shock, every port group of "
        f"the same border within {diversions.DIVERSION_KM} km (between the centres of their ports) with what "
        "it carried in the shock's trough month against what the shock method expected of it",
        "marts.shocks.neighbour_excess": "Port group shocks: what the port groups within "
        f"{diversions.DIVERSION_KM} km of the same border carried above (+) or below (-) their expectations "
        "in the trough month, summed (marts.shock_neighbours); NULL when none has an expectation",
        "marts.hled_scorecard": "HLED scorecard: per pillar, the headline indicators for the "
        f"{SCORECARD_SCOPE} border over the latest complete {w} months against calendar {PRE_PANDEMIC_YEAR} "
        f"(pre-pandemic) and {RELAUNCH_YEAR} (HLED relaunch), and whether each moves the right way. A value "
        f"is NULL when its {w} months are not all on hand",
        "marts.hled_scorecard.aggregate": f"{w}-month total (sum of the monthly values) or {w}-month average "
        "(mean of the monthly values)",
        "marts.hled_scorecard.latest_month": f"End of the latest window: the latest month that ends {w} "
        "consecutive months on hand (the latest month with data when there is none)",
        "marts.hled_scorecard.latest_value": f"The aggregate over the {w} months ending latest_month; NULL "
        f"unless all {w} are on hand",
    }
    card = "marts.hled_scorecard"
    for year in (PRE_PANDEMIC_YEAR, RELAUNCH_YEAR):
        comments |= {
            f"{card}.value_{year}": f"The aggregate over January-December {year}; NULL unless all {w} months "
            "are on hand",
            f"{card}.months_{year}": f"Months of {year} on hand",
            f"{card}.change_vs_{year}": f"latest_value - value_{year}, in the unit",
            f"{card}.change_vs_{year}_pct": f"Change against {year} in percent of value_{year}",
            f"{card}.right_way_vs_{year}": f"True when the change against {year} goes the better way; NULL "
            "when there is no change to judge or no better direction",
        }
    return comments


def _comment(con: duckdb.DuckDBPyConnection) -> None:
    for target, text in table_comments().items():
        kind = "TABLE" if target.count(".") == 1 else "COLUMN"
        run(con, f"COMMENT ON {kind} {target} IS {literal(text)}")


def _insert(con: duckdb.DuckDBPyConnection, table: str, data: pl.DataFrame, select: str) -> None:
    con.register("_rows", data.to_arrow())
    try:
        run(con, f"INSERT INTO {table} BY NAME {select}")
    finally:
        con.unregister("_rows")


SHOCKS_INSERT = """SELECT r.*, coalesce(g.port_group_name, r.scope) AS scope_name,
       CASE r.scope_type WHEN 'border' THEN r.scope ELSE g.border END AS border
FROM _rows r
LEFT JOIN (SELECT DISTINCT port_group, port_group_name, border FROM core.dim_port_group) g
  ON r.scope_type = 'port_group' AND g.port_group = r.scope
ORDER BY r.scope_type, r.scope, r.measure, r.first_month"""
# what names a shock's place and its neighbours: when one changed, every series is judged again
SHOCK_PLACES = frozenset({"core.dim_port_group", "core.dim_port"})


def _changed_measures(before: pl.DataFrame, now: pl.DataFrame) -> set[str] | None:
    """The measures whose input series differ between the published file and this build; None when the
    latest month moved (every series is judged up to it)."""
    if before["month"].max() != now["month"].max():
        return None
    columns = sorted(now.columns)
    changed = set()
    for measure in set(before["measure"].unique()) | set(now["measure"].unique()):
        old, new = (
            f.filter(pl.col("measure") == measure).select(columns).sort(columns) for f in (before, now)
        )
        if not old.equals(new):
            changed.add(measure)
    return changed


def _shocks(con: duckdb.DuckDBPyConnection, dirty: frozenset[str], before: pl.DataFrame | None) -> None:
    """marts.shocks and marts.shock_neighbours, at once (`_shocks_early` split in its three parts)."""
    (detect, args), finish = _shocks_early(con, dirty, before)
    finish(con, detect(*args))


def _detect(series: pl.DataFrame, latest: date) -> shocks.Detection | None:
    """The detector on `series` (none: nothing to judge)."""
    return shocks.detect(series, latest) if series.height else None


def _shocks_early(
    con: duckdb.DuckDBPyConnection, dirty: frozenset[str], before: pl.DataFrame | None
) -> tuple[Work, Finish]:
    """marts.shocks and marts.shock_neighbours in three parts: the input series read now, the detector
    (Python alone, 2 s in a full build: the build runs it beside the SQL marts that follow), and the
    rows written at the step's turn. Series are judged each on its own up to the latest month, so in a
    build from a copy only the measures whose input changed are judged again (a new TransBorder month:
    the two trade series, not the 400 crossings series); the others keep their published rows."""
    series = frame(con, SHOCK_INPUT_SQL)
    latest = series["month"].max()  # every series is judged up to the latest month of any of them
    measures = None if before is None or dirty & SHOCK_PLACES else _changed_measures(before, series)
    if measures is not None:
        series = series.filter(pl.col("measure").is_in(sorted(measures)))

    def finish(con: duckdb.DuckDBPyConnection, found: Any) -> None:
        if measures is None:
            run(con, "DELETE FROM marts.shock_neighbours")
            run(con, "DELETE FROM marts.shocks")
        else:
            for table in ("marts.shock_neighbours", "marts.shocks"):
                run(con, f"DELETE FROM {table} WHERE list_contains(?, measure)", [sorted(measures)])
        if found is not None:
            _insert(con, "marts.shocks", found.shocks, SHOCKS_INSERT)
            diversions.fill(con, found.expected)

    return (_detect, (series, latest)), finish


def _catalog(con: duckdb.DuckDBPyConnection, dirty: frozenset[str], before: None) -> None:
    run(con, "DELETE FROM marts.indicator_catalog")
    _insert(con, "marts.indicator_catalog", catalog_frame(), "SELECT * FROM _rows")


def _scorecard(con: duckdb.DuckDBPyConnection, dirty: frozenset[str], before: None) -> None:
    run(con, "DELETE FROM marts.hled_scorecard")
    run(con, f"INSERT INTO marts.hled_scorecard BY NAME {scorecard_sql()}")


def _comments(con: duckdb.DuckDBPyConnection, dirty: frozenset[str], before: None) -> None:
    _comment(con)


def compute(con: duckdb.DuckDBPyConnection) -> None:
    """Every indicator computed in Python, in full (after the SQL marts)."""
    for step in steps():
        assert step.compute is not None
        step.compute(con, frozenset(), None)


def steps() -> list[Step]:
    """The indicators computed in Python after the SQL marts (marts.shocks with its neighbours,
    marts.indicator_catalog, marts.hled_scorecard) and the comments quoting their constants, each with
    the tables it reads, so a build from a copy computes again only those whose inputs changed."""
    commented = frozenset(".".join(target.split(".")[:2]) for target in table_comments())
    shock_reads = tables_in(SHOCK_INPUT_SQL + SHOCKS_INSERT + diversions.NEIGHBOURS_SQL + diversions.FILL_SQL)
    return [
        Step(
            "shocks (transforms/shocks.py)",
            writes=frozenset({"marts.shocks", "marts.shock_neighbours"}),
            reads=shock_reads - {"marts.shocks", "marts.shock_neighbours"},
            compute=_shocks,
            before=lambda con: frame(con, SHOCK_INPUT_SQL),
            early=_shocks_early,
        ),
        Step(
            "marts.indicator_catalog",
            frozenset({"marts.indicator_catalog"}),
            frozenset(),
            compute=_catalog,
        ),
        Step(
            "marts.hled_scorecard",
            frozenset({"marts.hled_scorecard"}),
            tables_in(scorecard_sql()) - {"marts.hled_scorecard"},
            compute=_scorecard,
        ),
        Step("indicator comments", commented, frozenset(), compute=_comments),
    ]


DIVERSION_TEXT = f"""For each port-group shock, every port group of the same border within \
{diversions.DIVERSION_KM} km (great-circle distance between the mean BTS coordinates of their ports) \
is compared with what the method expected of it (steps 1-3, its own seasonal pattern, trend and \
calendar) in the shock's trough month: `excess` = actual - expected. `marts.shocks.neighbour_excess` \
sums them and `diverted_pct` divides that by the shortfall at the shock's port group: near 100 when \
the neighbours carried what it lost (a diversion), near 0 when the traffic was not carried nearby that \
month, below 0 when the neighbours fell too (an event along the border, with `concurrent_shocks` \
high). Limits: a month is the finest grain, so a diversion of a few days is diluted; a neighbour's own \
disruption in the same month hides a diversion to it; the distance is between port centres, not by \
road."""


def _months(months: list[str], none: str, some: str = "local disruptions in") -> str:
    return f"{some} {', '.join(months)}" if months else none


def evaluation_markdown(path: Path = EVALUATION_FILE) -> str:
    """The committed evaluation figures (benchmarks/shocks_evaluation.json, written by
    `python -m benchmarks.shocks_evaluation --write`), flagged when the constants have changed since."""
    if not path.exists():
        return "No evaluation has been recorded (`python -m benchmarks.shocks_evaluation --write`)."
    ev = json.loads(path.read_text(encoding="utf-8"))
    unseen = [m for m in ev["missed"] if (m["largest_fall_pct"] or 0) > -ev["visible_fall_pct"]]
    quiet = ev["quiet_group"]
    now = {**shocks.constants(), "DIVERSION_KM": diversions.DIVERSION_KM}
    changed = sorted(k for k in now.keys() | ev["constants"].keys() if now.get(k) != ev["constants"].get(k))

    def share(part: dict) -> str:
        found, total = list(part.values())
        return f"**{found / total:.2f}** ({found} of {total})" if total else "n/a"

    out = [
        f"Measured on {ev['measured_on']} on the staged data (through {ev['data_through']}) against "
        f"`benchmarks/disruption_events.csv` ({ev['events_documented']} documented disruptions with their "
        "public sources) and `benchmarks/calm_periods.csv`, by `python -m benchmarks.shocks_evaluation`, "
        f"at the {len(ev['busiest'])} busiest truck port groups:",
        "",
        f"- recall, documented truck disruptions found (give or take a month): {share(ev['recall'])};",
        f"- recall on the events the monthly counts show at all (trucks at least {ev['visible_fall_pct']} % "
        f"below the same month a year before): {share(ev['visible_recall'])};",
        "- precision, truck disruptions found that match a documented event at the port group, along its "
        f"border or at a neighbour: {share(ev['precision'])};",
        f"- truck shocks inside periods known to be calm: {ev['calm_hits']};",
        f"- {quiet['port_group']}'s trucks outside {quiet['outside']}: "
        f"{_months(quiet['local'], 'no local disruption')}, "
        f"{_months(quiet['border_wide'], 'none part of a border-wide shock', 'part of a border-wide shock')}"
        ";",
        f"- matched truck disruptions found against the peers (and not by their own history): "
        f"{ev['found_by_peers']}.",
        "",
        "Targets: recall 0.6, recall on the visible events 0.9, precision 0.8, no shock in the calm "
        f"periods. {len(unseen)} of the {len(ev['missed'])} misses are events the monthly counts barely "
        f"show (less than {ev['visible_fall_pct']} % below a year before): a closure of a few days, or "
        "traffic that caught up within the month. A fall against the same month a year before also holds "
        "the trend and the calendar, which the method takes out first: the visible events missed fell "
        "less than its thresholds against their own expectation and against the border's other ports.",
        "",
        "| missed event | port group | months | expected drop | largest fall vs a year before |",
        "|---|---|---|---|---:|",
    ]
    for m in ev["missed"]:
        fall = "no data" if m["largest_fall_pct"] is None else f"{m['largest_fall_pct']:+d} %"
        out.append(f"| {m['event']} | {m['port_group']} | {m['months']} | {m['expected_drop']} | {fall} |")
    out += [
        "",
        "Limits: the documented set is what public reporting recorded, so an undocumented real event "
        "counts against precision; the four border-wide events (2020 shutdowns, 2008-09 recession) were "
        "added after the evaluation listed their shocks as unmatched; the 19 events added in session 29 (the "
        "2003 blackout, Snowvember 2014, the 2019 Matamoros strikes, Winter Storm Uri, the Laredo bridge "
        "protests of 2024 ...) were researched from public reporting before looking at the detector's "
        "output, and most are closures of a day or two that a month barely shows; sizes in the set are "
        "reporters' estimates, not counts.",
    ]
    if changed:
        out += ["", f"**These figures predate a change of {', '.join(changed)}: measure them again.**"]
    return "\n".join(out)


def render_markdown() -> str:
    """docs/indicators.md: pillars, every indicator with its formula and home, the shock method."""
    out = [
        "# HLED indicator catalog",
        "",
        "Generated from the declarations in `warehouse/indicators.py` by `hled docs`; do not edit by hand.",
        "The same declarations fill `marts.indicator_catalog` and `marts.hled_scorecard` in the warehouse.",
        "",
        "The pillars are this project's reading of the commitments of the US-Mexico High-Level Economic",
        "Dialogue (HLED). Every computed indicator names the table and columns that hold it and the code",
        "that computes it; planned ones say what they need.",
        "",
        "## Pillars",
        "",
        "| pillar | English | Español | goal |",
        "|---|---|---|---|",
    ]
    out += [f"| `{p.key}` | {p.en} | {p.es} | {p.goal} |" for p in PILLARS.values()]
    out += [
        "",
        "## Indicators",
        "",
        "| id | title | pillar | unit | better | status |",
        "|---|---|---|---|---|---|",
    ]
    out += [
        f"| [`{i.id}`](#{i.id}) | {i.title_en} / {i.title_es} | {PILLARS[i.pillar].en} "
        f"| {i.unit} | {i.better} | {i.status} |"
        for i in INDICATORS
    ]
    for i in INDICATORS:
        out += ["", f"### {i.id}", "", f"**{i.title_en}** / *{i.title_es}*", ""]
        out += [
            f"- Pillar: {PILLARS[i.pillar].en} (`{i.pillar}`). Goal: {i.goal}",
            f"- Grain: {i.grain}",
            f"- Unit: {i.unit}; better: {i.better}",
            f"- Formula: {i.formula}",
        ]
        if i.table:
            columns = ", ".join(f"`{c}`" for c in i.columns)
            out.append(f"- Table: `{i.table}` ({columns}); computed by `{i.computed_by}`")
        else:
            out.append(f"- Status: planned. Needs: {i.needs}")
        for h in i.headlines:
            kind = "12-month total" if h.aggregate == "sum" else "12-month average"
            out.append(f"- Scorecard: {h.en} / {h.es} ({kind}, {h.unit or i.unit})")
    out += [
        "",
        "## Windows, gaps and the calendar",
        "",
        WINDOWS_TEXT,
        "",
        "## Scorecard (`marts.hled_scorecard`)",
        "",
        SCORECARD_TEXT,
        "",
        "## Port continuity",
        "",
        PORT_GROUP_TEXT,
    ]
    out += ["", "## Shock detection (`marts.shocks`)", "", shocks.method_markdown(), ""]
    out += ["", "### Where the traffic went (`marts.shock_neighbours`)", "", DIVERSION_TEXT, ""]
    out += ["", "### How often it is right", "", evaluation_markdown(), ""]
    return "\n".join(out)


SCORECARD_TEXT = f"""Each headline series is a monthly {SCORECARD_SCOPE} series. It is combined over
{WINDOW_MONTHS} months (a total for counts and dollars, an average for shares, ratios and indices)
for calendar {PRE_PANDEMIC_YEAR} (pre-pandemic), calendar {RELAUNCH_YEAR} (the HLED relaunch) and the
latest {WINDOW_MONTHS} consecutive months on hand. A value is NULL unless all {WINDOW_MONTHS} of its
months are on hand (the TransBorder data staged for development has only January 2015 before 2020,
so its {PRE_PANDEMIC_YEAR} baselines are NULL). The priority-sector rows read the border's sectors
from dot2 (`marts.sector_trade_border`), which has every month, not from the sum over dot3's ports,
which lacks March 2024. Rows can therefore end in different months; `latest_month` says which, and
the brief's scorecard prints each row's window ("total, 12 months to Feb 2025") and unit.
`right_way_vs_{PRE_PANDEMIC_YEAR}` / `right_way_vs_{RELAUNCH_YEAR}` say whether the change
goes the better way. Dollar values are current dollars, not adjusted for inflation."""

WINDOWS_TEXT = f"""Every figure we publish says what it covers, or says why not.

- **Windows** are declared once in `warehouse/windows.py`: the latest month, the {WINDOW_MONTHS} months
  to a month, the year to date. The scorecard, the brief and the charts take their windows from there,
  and a window with a month the table lacks is never summed in silence: the border's sector figures
  come from TransBorder's state-by-commodity table (dot2, every month on hand; it matches the sum over
  the ports of dot3 where both have the month, `marts.sector_trade_border.ports_value_usd`); a port's
  come from dot3 and the brief says "11 of 12 months: March 2024 not published", with the change on
  the year before compared over the same months in both years.
- **Gaps are not drops.** `marts.headline_month` compares each month with the same month a year
  before three ways: as published (`change_pct`); like for like (`like_change_pct`: only the port
  counts, port x measure, on hand in both months; `missing_now` and `missing_prev_year` list the
  others, largest first); and net of the calendar (`adjusted_change_pct`). Trade is published as whole
  tables, so its unit of comparison is the table's month. The brief shows the like-for-like change and
  names the ports that did not report, with the published change beside it.
- **The calendar.** `marts.calendar_month` holds, per border and month, the days, the working days
  (Monday to Friday less the public holidays of either country, from the `holidays` package) and
  Saturdays, the weekday holidays by name, and the share of Holy Week. The change net of the calendar
  is the like-for-like change per working day for trucks and trade (business traffic) and per day
  for people (who cross every day of the week). February 2025 against February 2024 at the US-Mexico
  border: 18 working days against 19 (a leap year, Presidents' Day and Constitution Day), so trucks
  -4.3 % as counted are +1.1 % per working day. The brief's HLED direction (toward, away, flat within
  {FLAT_PCT:g} %) is judged on the change net of the calendar, and a sentence says so whenever the
  calendar explains most of a change (it turns its sign or halves it). This is a plain proportional
  adjustment, disclosed as such; the shock method fits each series' own calendar effects.
- **Each border its own frame.** The HLED is a US-Mexico dialogue: HLED directions and the scorecard
  appear in the US-Mexico border's brief and its ports' briefs only. The US-Canada briefs give the
  same figures, measured alongside, without a verdict."""

PORT_GROUP_TEXT = """Ports that BTS split or merged are grouped in `core.dim_port_group` so long series stay
continuous; the groups are declared in `warehouse/sql/derive/06_port_groups.sql`. Today one group:
`EL_PASO_AREA` = El Paso (2402) + Ysleta (2401), because Ysleta is reported on its own only from
March 2020 and under El Paso before. `marts.port_group_month`, port concentration (HHI) and port-level
shock detection use the groups; `marts.port_month` keeps the ports as published."""
