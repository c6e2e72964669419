"""Chart builders: one module per chart, each reading only the published warehouse's marts. Every
builder takes (con, lang, port, border); `port` narrows a chart to one port where that makes sense,
`border` to US-Mexico or US-Canada. CHARTS is the registry the export step and the page iterate."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import altair as alt

from dashboards.charts.border_trucks import border_trucks, nearby_text
from dashboards.charts.common import (
    BORDERS,
    CONCENTRATION,
    GROUP_MONTHS,
    IDLE,
    MODE_SHARE,
    PEOPLE,
    PRODUCTS,
    SCORECARD,
    SECTORS,
    TRADE_PER_TRUCK,
    WAIT_HOURS,
    window_missing,
)
from dashboards.charts.hled_products_by_port import hled_products_by_port
from dashboards.charts.modes import mode_share, trade_by_mode
from dashboards.charts.people_flows import people_flows
from dashboards.charts.port_concentration import port_concentration
from dashboards.charts.priority_sectors import priority_sectors
from dashboards.charts.priority_sectors_by_port import priority_sectors_by_port
from dashboards.charts.recovery_heatmap import recovery_heatmap
from dashboards.charts.scorecard import scorecard
from dashboards.charts.top_ports import top_ports
from dashboards.charts.top_ports_truck_trade import top_ports_truck_trade
from dashboards.charts.trade_per_truck import trade_per_truck
from dashboards.charts.truck_idle import truck_idle
from dashboards.charts.us_mexico_trucks import us_mexico_trucks
from dashboards.charts.wait_by_hour import wait_by_hour


@dataclass(frozen=True)
class ChartSpec:
    """A chart: its builder, the marts it draws (its sources follow from them), whether `port` or
    `border` changes it."""

    builder: Callable[..., alt.TopLevelMixin]
    marts: tuple[str, ...]
    per_port: bool = False
    per_border: bool = False


# name -> chart. The export step and the dashboard page iterate this: adding a chart is adding a line.
# A chart whose marts need a source that is not loaded (HLED_SOURCES) is skipped, not failed.
CHARTS: dict[str, ChartSpec] = {
    "scorecard": ChartSpec(scorecard, SCORECARD),
    "border_trucks": ChartSpec(border_trucks, GROUP_MONTHS, per_port=True, per_border=True),
    "us_mexico_trucks": ChartSpec(us_mexico_trucks, GROUP_MONTHS, per_port=True, per_border=True),
    "top_ports": ChartSpec(top_ports, GROUP_MONTHS, per_port=True, per_border=True),
    "recovery_heatmap": ChartSpec(recovery_heatmap, PEOPLE, per_border=True),
    "people_flows": ChartSpec(people_flows, PEOPLE, per_port=True, per_border=True),
    "port_concentration": ChartSpec(port_concentration, CONCENTRATION, per_border=True),
    "trade_by_mode": ChartSpec(trade_by_mode, MODE_SHARE, per_border=True),
    "mode_share": ChartSpec(mode_share, MODE_SHARE, per_border=True),
    "top_ports_truck_trade": ChartSpec(top_ports_truck_trade, TRADE_PER_TRUCK),
    "trade_per_truck": ChartSpec(trade_per_truck, TRADE_PER_TRUCK, per_port=True),
    "priority_sectors": ChartSpec(priority_sectors, SECTORS, per_port=True),
    "priority_sectors_by_port": ChartSpec(priority_sectors_by_port, SECTORS),
    "hled_products_by_port": ChartSpec(hled_products_by_port, PRODUCTS),
    "wait_by_hour": ChartSpec(wait_by_hour, WAIT_HOURS, per_port=True, per_border=True),
    "truck_idle": ChartSpec(truck_idle, IDLE, per_port=True, per_border=True),
}

__all__ = [
    "BORDERS",
    "CHARTS",
    "ChartSpec",
    "window_missing",
    "border_trucks",
    "hled_products_by_port",
    "mode_share",
    "nearby_text",
    "people_flows",
    "port_concentration",
    "priority_sectors",
    "priority_sectors_by_port",
    "recovery_heatmap",
    "scorecard",
    "top_ports",
    "top_ports_truck_trade",
    "trade_by_mode",
    "trade_per_truck",
    "truck_idle",
    "us_mexico_trucks",
    "wait_by_hour",
]
