"""The figures of the monthly border brief, read from the marts only: for a border or a port, the
latest month's trucks, people and trade against a year before and the same month of 2019, the
disruptions of the last 12 months, priority-sector trade, waits and idle emissions where collected,
the HLED scorecard, and each source's vintage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb

from warehouse.db import frame, rows, scalar

BORDER_COUNTRY = {"US-Mexico": "mexico", "US-Canada": "canada"}
BRIEF_PORTS = 15  # one brief per port for this many busiest truck ports (by the latest 12 months)
FLAT_PCT = 1.0  # a change within +/- this many percent is called flat, not a direction
RECENT_MONTHS = 12  # disruptions and sector trade look back this far from the latest month


@dataclass(frozen=True)
class Scope:
    """What a brief is about: a border (`code` = US-Mexico) or a port (`code` = 2304)."""

    kind: str  # border | port
    code: str
    name: str
    border: str
    group: str | None = None  # a port's group (shocks are detected on groups)
    group_name: str | None = None

    @property
    def slug(self) -> str:
        return self.code if self.kind == "border" else f"port-{self.code}"


@dataclass(frozen=True)
class Headline:
    """One measure in its latest month against a year before and the same month of 2019."""

    measure: str  # trucks | people | trade
    month: date | None
    value: float | None
    year_before: float | None
    in_2019: float | None
    source: str  # a key of marts.data_vintage

    def pct(self, base: float | None) -> float | None:
        if self.value is None or not base:
            return None
        return 100.0 * (self.value / base - 1.0)

    @property
    def vs_year(self) -> float | None:
        return self.pct(self.year_before)

    @property
    def vs_2019(self) -> float | None:
        return self.pct(self.in_2019)

    @property
    def direction(self) -> str | None:
        """Against the HLED goal (more trucks, people and trade crossing): toward, away or flat."""
        change = self.vs_year
        if change is None:
            return None
        return "flat" if abs(change) < FLAT_PCT else "toward" if change > 0 else "away"


@dataclass(frozen=True)
class Disruption:
    scope_name: str
    measure: str
    first_month: date
    trough_month: date
    depth_pct: float
    status: str
    months_to_recover: int | None
    diverted_pct: float | None


@dataclass(frozen=True)
class Sector:
    sector_en: str
    sector_es: str
    value_12m: float
    value_prev_12m: float | None

    @property
    def change_pct(self) -> float | None:
        return None if not self.value_prev_12m else 100.0 * (self.value_12m / self.value_prev_12m - 1.0)


@dataclass(frozen=True)
class Wait:
    month: date
    crossing: str
    lane: str
    median_minutes: float | None
    p90_minutes: float | None


@dataclass(frozen=True)
class Vintage:
    source: str
    title: str
    publisher: str
    latest_month: date | None
    refreshed_at: object
    status: str


@dataclass
class Brief:
    scope: Scope
    headlines: list[Headline]
    disruptions: list[Disruption]
    sectors: list[Sector]
    sectors_through: date | None
    waits: list[Wait]
    idle: tuple[date, float, float] | None  # month, idle truck-hours, tonnes CO2 (an estimate)
    scorecard: list[dict]
    vintages: list[Vintage] = field(default_factory=list)
    revisions_total: int = 0  # values of months already published that the latest refresh saw revised
    revisions: list[tuple] = field(default_factory=list)  # the largest: port, month, item, old, new
    compared_with: datetime | None = None  # the refresh the revisions are against; None: nothing compared


def busiest_ports(con: duckdb.DuckDBPyConnection, n: int) -> list[tuple[str, str]]:
    """The n busiest ports by inbound trucks over the latest 12 months: (code, 'Name (code)')."""
    return [
        (r[0], r[1])
        for r in rows(
            con,
            """SELECT port_code, port_name || ' (' || port_code || ')' FROM marts.port_month
               WHERE measure = 'trucks' AND month = (SELECT max(month) FROM marts.port_month)
               ORDER BY t12m_total DESC, port_code LIMIT ?""",
            [n],
        )
    ]


def scope_of(con: duckdb.DuckDBPyConnection, code: str) -> Scope:
    """A border (US-Mexico, US-Canada) or a port code as a brief's scope; ValueError when unknown."""
    if code in BORDER_COUNTRY:
        return Scope("border", code, code, code)
    found = rows(
        con,
        "SELECT port_name, border, port_group, port_group_name FROM marts.port WHERE port_code = ?",
        [code],
    )
    if not found or found[0][1] not in BORDER_COUNTRY:
        raise ValueError(f"port {code!r} is not a land port of entry in marts.port (codes look like 2304)")
    name, border, group, group_name = found[0]
    return Scope("port", code, name, border, group, group_name)


def _crossings(con: duckdb.DuckDBPyConnection, scope: Scope) -> list[Headline]:
    if scope.kind == "border":
        trucks_sql = "SELECT month, value, value_prev_year, value_2019 FROM marts.border_month "
        trucks_sql += "WHERE border = ? AND measure = 'trucks' ORDER BY month DESC LIMIT 1"
    else:
        trucks_sql = "SELECT month, value, value_prev_year, value_2019 FROM marts.port_month "
        trucks_sql += "WHERE port_code = ? AND measure = 'trucks' ORDER BY month DESC LIMIT 1"
    people_sql = """SELECT month, people_total, people_prev_year, people_2019 FROM marts.people_flows
                    WHERE grain = ? AND scope = ? ORDER BY month DESC LIMIT 1"""
    out = []
    for measure, sql, params in (
        ("trucks", trucks_sql, [scope.code]),
        ("people", people_sql, [scope.kind, scope.code]),
    ):
        found = rows(con, sql, params)
        month, value, before, in_2019 = found[0] if found else (None, None, None, None)
        out.append(Headline(measure, month, value, before, in_2019, "bts_crossings"))
    return out


def _trade(con: duckdb.DuckDBPyConnection, scope: Scope) -> Headline:
    """Trade (exports + imports, all modes) in its own latest month, which lags the crossings."""
    if scope.kind == "border":
        found = rows(
            con,
            """SELECT month, value_usd, value_prev_year, value_2019 FROM marts.trade_border_month
               WHERE border = ? AND country = ? ORDER BY month DESC LIMIT 1""",
            [scope.border, BORDER_COUNTRY[scope.border]],
        )
    else:
        found = rows(
            con,
            """WITH m AS (SELECT month, sum(value_usd) AS v FROM marts.trade_port_month
                          WHERE port_code = ? GROUP BY month)
               SELECT m.month, m.v,
                      (SELECT v FROM m p WHERE p.month = m.month - INTERVAL 1 YEAR),
                      (SELECT v FROM m p WHERE p.month = make_date(2019, month(m.month), 1))
               FROM m ORDER BY m.month DESC LIMIT 1""",
            [scope.code],
        )
    month, value, before, in_2019 = found[0] if found else (None, None, None, None)
    return Headline("trade", month, value, before, in_2019, "transborder")


def _disruptions(con: duckdb.DuckDBPyConnection, scope: Scope, latest: date) -> list[Disruption]:
    """Disruptions (not reporting changes) that started in the last RECENT_MONTHS: at the port's group,
    or at the border and any of its port groups."""
    where = "scope_type = 'port_group' AND scope = ?" if scope.kind == "port" else "border = ?"
    found = rows(
        con,
        f"""SELECT scope_name, measure, first_month, trough_month, depth_pct, status, months_to_recover,
                   diverted_pct
            FROM marts.shocks
            WHERE kind = 'disruption' AND {where}
              AND first_month > ?::DATE - to_months({RECENT_MONTHS})
            ORDER BY first_month DESC, depth_pct DESC, scope_name""",
        [scope.group if scope.kind == "port" else scope.border, latest],
    )
    return [Disruption(*r) for r in found]


def _sectors(con: duckdb.DuckDBPyConnection, scope: Scope) -> tuple[list[Sector], date | None]:
    """HLED priority-sector trade with the border's partner over the latest 12 months on hand against
    the 12 before."""
    port_filter = "AND port_code = ?" if scope.kind == "port" else ""
    params = [BORDER_COUNTRY[scope.border]] + ([scope.code] if scope.kind == "port" else [])
    found = rows(
        con,
        f"""WITH s AS (SELECT * FROM marts.priority_sector_trade
                       WHERE is_priority AND country = ? {port_filter}),
                 last AS (SELECT max(month) AS m FROM marts.priority_sector_trade)
            SELECT hled_sector_en, hled_sector_es,
                   sum(value_usd) FILTER (WHERE month > last.m - to_months({RECENT_MONTHS})),
                   sum(value_usd) FILTER (WHERE month <= last.m - to_months({RECENT_MONTHS})
                                          AND month > last.m - to_months({2 * RECENT_MONTHS})),
                   any_value(last.m)
            FROM s, last GROUP BY ALL ORDER BY 3 DESC NULLS LAST""",
        params,
    )
    sectors = [Sector(en, es, now or 0.0, before) for en, es, now, before, _ in found]
    return sectors, (found[0][4] if found else None)


def _waits(con: duckdb.DuckDBPyConnection, scope: Scope) -> tuple[list[Wait], tuple | None]:
    if scope.kind != "port":
        return [], None
    waits = rows(
        con,
        """SELECT month, crossing, vehicle_type, median_wait_minutes, p90_wait_minutes
           FROM marts.wait_times_port_month
           WHERE port_code = ? AND lane_type = 'standard'
             AND month = (SELECT max(month) FROM marts.wait_times_port_month WHERE port_code = ?)
           ORDER BY crossing, vehicle_type""",
        [scope.code, scope.code],
    )
    idle = rows(
        con,
        """SELECT month, idle_truck_hours, idle_co2_tonnes FROM marts.truck_idle
           WHERE port_code = ? ORDER BY month DESC LIMIT 1""",
        [scope.code],
    )
    return [Wait(*w) for w in waits], (idle[0] if idle else None)


def _revisions(con: duckdb.DuckDBPyConnection, scope: Scope, most: int = 5) -> tuple[int, list[tuple]]:
    """What the refresh that built this warehouse saw revised at the port (or the border): how many
    values, and the `most` largest changes."""
    where = "port_code = ?" if scope.kind == "port" else "border = ?"
    found = rows(
        con,
        f"""SELECT count(*) OVER (), coalesce(port_name, port_code), month, item, old_value, new_value
            FROM marts.latest_revisions WHERE {where}
            ORDER BY abs(change) DESC NULLS LAST, month, port_code, item LIMIT ?""",
        [scope.code, most],
    )
    return (found[0][0] if found else 0), [r[1:] for r in found]


def gather(con: duckdb.DuckDBPyConnection, scope: Scope) -> Brief:
    """Every figure of one brief, from the published warehouse's marts."""
    headlines = _crossings(con, scope) + [_trade(con, scope)]
    latest = headlines[0].month or date.today()
    sectors, through = _sectors(con, scope)
    waits, idle = _waits(con, scope)
    card = frame(
        con,
        """SELECT pillar_en, pillar_es, headline_en, headline_es, unit, latest_month, latest_value,
                  change_vs_2019_pct, right_way_vs_2019, change_vs_2021_pct, right_way_vs_2021
           FROM marts.hled_scorecard ORDER BY pillar, indicator_id""",
    ).to_dicts()
    vintages = [
        Vintage(*r)
        for r in rows(
            con,
            """SELECT source, title, publisher, latest_month, refreshed_at, status
               FROM marts.data_vintage ORDER BY source""",
        )
    ]
    total, revised = _revisions(con, scope)
    compared_with = scalar(con, "SELECT max(previous_refresh) FROM marts.revisions_compared")
    return Brief(
        scope,
        headlines,
        _disruptions(con, scope, latest),
        sectors,
        through,
        waits,
        idle,
        card,
        vintages,
        total,
        revised,
        compared_with,
    )
