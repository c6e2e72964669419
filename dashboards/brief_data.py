"""The figures of the monthly border brief, read from the marts only: for a border or a port, the
latest month's trucks, people and trade against a year before and the same month of 2019, the
disruptions of the last 12 months, priority-sector trade, waits and idle emissions where collected,
the HLED scorecard, and each source's vintage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb

from warehouse.db import frame, rows, scalar
from warehouse.windows import FLAT_PCT, TWELVE_MONTHS, shift

BORDER_COUNTRY = {"US-Mexico": "mexico", "US-Canada": "canada"}
HLED_BORDER = "US-Mexico"  # the HLED is a US-Mexico dialogue: its verdicts and scorecard are this border's
BRIEF_PORTS = 15  # one brief per port for this many busiest truck ports (by the latest 12 months)
RECENT_MONTHS = 12  # disruptions that started this far back are listed (sector windows: warehouse/windows.py)
HLED_SINCE = date(
    2021, 9, 1
)  # the HLED relaunch (9 September 2021): earlier disruptions since then are listed too


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
    """One measure in its latest month against a year before (as published, like for like and net of
    the calendar) and the same month of 2019, from marts.headline_month."""

    measure: str  # trucks | people | trade
    month: date | None
    value: float | None
    year_before: float | None
    in_2019: float | None
    source: str  # a key of marts.data_vintage
    raw_pct: float | None = None  # as published
    like_pct: float | None = None  # only the port counts on hand in both months
    adjusted_pct: float | None = None  # like for like per working day (trucks, trade) or per day (people)
    calendar_basis: str = "working_days"
    calendar_days: tuple[int | None, int | None] = (None, None)  # this month, a year before
    missing_now: list[dict] = field(default_factory=list)  # port counts on hand a year before only
    missing_before: list[dict] = field(default_factory=list)  # port counts on hand this month only
    vs_2019: float | None = None

    @property
    def vs_year(self) -> float | None:
        """The change on a year before that is shown: like for like (equal to the published one when
        every port count is on hand in both months)."""
        return self.like_pct if self.like_pct is not None else self.raw_pct

    @property
    def judged(self) -> float | None:
        """The change the HLED direction is judged on: net of the calendar where it can be."""
        return self.adjusted_pct if self.adjusted_pct is not None else self.vs_year

    @property
    def direction(self) -> str | None:
        """Against the HLED goal (more trucks, people and trade crossing): toward, away or flat."""
        change = self.judged
        if change is None:
            return None
        return "flat" if abs(change) < FLAT_PCT else "toward" if change > 0 else "away"

    @property
    def calendar_explains(self) -> bool:
        """The calendar explains most of the change: it turns its direction, or halves it or more."""
        shown, net = self.vs_year, self.adjusted_pct
        if shown is None or net is None or abs(shown) < FLAT_PCT:
            return False
        return (shown > 0) != (net > 0) or abs(net) < abs(shown) / 2

    @property
    def has_gaps(self) -> bool:
        return bool(self.missing_now or self.missing_before) and self.raw_pct != self.like_pct


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
    peers_depth_pct: float | None = None  # how far below what the border's other port groups predicted
    found_by: str = "own history"
    border_shock_month: date | None = None  # a port group's shock that is part of its border's
    with_groups: int = 0  # a border's shock: how many port groups' shocks are part of it


@dataclass(frozen=True)
class Sector:
    sector_en: str
    sector_es: str
    value_12m: float  # over the months of the window on hand
    change_pct: float | None  # over the months on hand in both this window and the one before


@dataclass(frozen=True)
class SectorWindow:
    """The window the sector figures cover: its last month, the months of it the table lacks, and over
    how many months the change on the year before is compared (like for like)."""

    through: date
    missing: list[date]
    compared: int
    table: str  # sector_trade_border (dot2), priority_sector_trade (per port, dot3), hled_product_trade

    @property
    def on_hand(self) -> int:
        return TWELVE_MONTHS.months - len(self.missing)


@dataclass(frozen=True)
class Wait:
    month: date
    crossing: str
    lane: str
    median_minutes: float | None
    p90_minutes: float | None
    days_observed: int = 0  # days of the month with a reading: a partial collection says so


@dataclass(frozen=True)
class Vintage:
    source: str
    title: str
    publisher: str
    latest_month: date | None
    refreshed_at: object
    status: str
    state: str = "current"  # current, stale, behind, collecting, never collected (marts.source_health)


@dataclass(frozen=True)
class SourceHealth:
    """A source as the refresh judged it, data or not (marts.source_health): a source never published
    or a wait-time history never collected is named too, never silently absent."""

    source: str
    title: str
    state: str
    latest_month: date | None
    expected_month: date | None
    newest_reading: datetime | None
    since: datetime | None


@dataclass
class Brief:
    scope: Scope
    headlines: list[Headline]
    disruptions: list[Disruption]  # the last RECENT_MONTHS, and any not recovered
    sectors: list[Sector]
    sectors_window: SectorWindow | None
    waits: list[Wait]
    idle: tuple[date, float, float] | None  # month, idle truck-hours, tonnes CO2 (an estimate)
    scorecard: list[dict]
    vintages: list[Vintage] = field(default_factory=list)
    revisions_total: int = 0  # values of months already published that the latest refresh saw revised
    revisions: list[tuple] = field(default_factory=list)  # the largest: port, month, item, old, new
    compared_with: datetime | None = None  # the refresh the revisions are against; None: nothing compared
    health: dict[str, SourceHealth] = field(default_factory=dict)
    products: list[Sector] = field(default_factory=list)  # the HLED products named exactly (Census)
    products_window: SectorWindow | None = None
    earlier_disruptions: list[Disruption] = field(default_factory=list)  # since HLED_SINCE, before those


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


HEADLINE_SOURCES = {"trucks": "bts_crossings", "people": "bts_crossings", "trade": "transborder"}


def _headlines(con: duckdb.DuckDBPyConnection, scope: Scope) -> list[Headline]:
    """Trucks, people and trade in each one's own latest month (trade lags the crossings), from
    marts.headline_month: as published, like for like and net of the calendar."""
    out = []
    for measure, source in HEADLINE_SOURCES.items():
        found = rows(
            con,
            """SELECT month, value, value_prev_year, value_2019, change_pct, like_change_pct,
                      adjusted_change_pct, calendar_basis, calendar_days, calendar_days_prev_year,
                      missing_now, missing_prev_year, change_vs_2019_pct
               FROM marts.headline_month
               WHERE scope_type = ? AND scope = ? AND figure = ? ORDER BY month DESC LIMIT 1""",
            [scope.kind, scope.code, measure],
        )
        if not found:
            out.append(Headline(measure, None, None, None, None, source))
            continue
        month, value, before, in_2019, raw, like, adjusted, basis, days, days_before, gone, new, vs_2019 = (
            found[0]
        )
        out.append(
            Headline(
                measure,
                month,
                value,
                before,
                in_2019,
                source,
                raw,
                like,
                adjusted,
                basis,
                (days, days_before),
                list(gone),
                list(new),
                vs_2019,
            )
        )
    return out


def disruptions(
    con: duckdb.DuckDBPyConnection, scope: Scope, latest: date, since: date = HLED_SINCE
) -> tuple[list[Disruption], list[Disruption]]:
    """Disruptions (not reporting changes) at the port's group, or at the border and its port groups,
    with their evidence: those that started in the last RECENT_MONTHS or have not recovered yet, and the
    earlier ones since `since` (the HLED relaunch). In a border's brief a port group's shock that is part
    of a border-wide one is told once, in the border's line (`with_groups`), not again by itself."""
    if scope.kind == "port":
        where, params = "s.scope_type = 'port_group' AND s.scope = ?", [scope.group]
    else:
        where, params = "s.border = ? AND s.border_shock_month IS NULL", [scope.border]
    found = rows(
        con,
        f"""SELECT s.scope_name, s.measure, s.first_month, s.trough_month, s.depth_pct, s.status,
                   s.months_to_recover, s.diverted_pct, s.peers_depth_pct,
                   coalesce(s.found_by, 'own history'), s.border_shock_month,
                   (SELECT count(*) FROM marts.shocks p
                    WHERE s.scope_type = 'border' AND p.scope_type = 'port_group' AND p.border = s.border
                      AND p.measure = s.measure AND p.border_shock_month = s.first_month
                      AND p.kind = 'disruption') AS with_groups,
                   s.first_month > ?::DATE - to_months({RECENT_MONTHS}) OR s.status = 'ongoing' AS recent
            FROM marts.shocks s
            WHERE s.kind = 'disruption' AND {where} AND (s.first_month >= ? OR s.status = 'ongoing')
            ORDER BY s.first_month DESC, s.depth_pct DESC, s.scope_name""",
        [latest, *params, since],
    )
    recent = [Disruption(*r[:-1]) for r in found if r[-1]]
    earlier = [Disruption(*r[:-1]) for r in found if not r[-1]]
    return recent, earlier


def _sectors(con: duckdb.DuckDBPyConnection, scope: Scope) -> tuple[list[Sector], SectorWindow | None]:
    """HLED priority-sector trade with the border's partner over the 12 months to the latest month of
    the table, against the same months a year before. A border's figures come from the state table
    (every month on hand); a port's from the port table, whose missing months are named, never summed
    as if the window were whole."""
    country = BORDER_COUNTRY[scope.border]
    state_table = scalar(
        con, "SELECT count(*) > 0 FROM marts.sector_trade_border WHERE country = ?", [country]
    )
    if scope.kind == "border" and state_table:
        table, where, params = "marts.sector_trade_border", "country = ?", [country]
    elif scope.kind == "border":  # no state table loaded: the sum over the ports, its gaps named
        table, where, params = "marts.priority_sector_trade", "country = ?", [country]
    else:
        table, where, params = (
            "marts.priority_sector_trade",
            "country = ? AND port_code = ?",
            [country, scope.code],
        )
    return _twelve_months(con, table, "hled_sector_en, hled_sector_es", f"{where} AND is_priority", params)


def _products(con: duckdb.DuckDBPyConnection, scope: Scope) -> tuple[list[Sector], SectorWindow | None]:
    """The HLED products named exactly (integrated circuits, medical devices, medicines...) from the
    Census trade API, over the 12 months to its latest month, for the border or the port; none when the
    source is not loaded."""
    where, params = "country = ?", [BORDER_COUNTRY[scope.border]]
    if scope.kind == "port":
        where, params = f"{where} AND port_code = ?", [*params, scope.code]
    return _twelve_months(con, "marts.hled_product_trade", "product_en, product_es", where, params)


def _twelve_months(
    con: duckdb.DuckDBPyConnection, table: str, labels: str, where: str, params: list
) -> tuple[list[Sector], SectorWindow | None]:
    """Per label, the value over the 12 months to the table's latest month for `where`, and the change on
    the same months a year before, compared only over months on hand in both windows."""
    on_hand = {r[0] for r in rows(con, f"SELECT DISTINCT month FROM {table} WHERE country = ?", params[:1])}
    if not on_hand:
        return [], None
    last = max(on_hand)
    window = TWELVE_MONTHS.span(last)
    compared = [m for m in window if m in on_hand and shift(m, -12) in on_hand]
    found = rows(
        con,
        f"""SELECT {labels}, month, sum(value_usd) FROM {table}
            WHERE {where} AND month >= ? GROUP BY ALL""",
        params + [shift(window[0], -12)],
    )
    values: dict[tuple[str, str], dict[date, float]] = {}
    for en, es, month, value in found:
        values.setdefault((en, es), {})[month] = float(value)
    sectors = []
    for (en, es), by_month in values.items():
        now = sum(by_month.get(m, 0.0) for m in window)
        like_now = sum(by_month.get(m, 0.0) for m in compared)
        like_before = sum(by_month.get(shift(m, -12), 0.0) for m in compared)
        sectors.append(Sector(en, es, now, 100.0 * (like_now / like_before - 1.0) if like_before else None))
    sectors.sort(key=lambda x: (-x.value_12m, x.sector_en))
    missing = TWELVE_MONTHS.missing(last, on_hand)
    return sectors, SectorWindow(last, missing, len(compared), table.removeprefix("marts."))


def _waits(con: duckdb.DuckDBPyConnection, scope: Scope) -> tuple[list[Wait], tuple | None]:
    if scope.kind != "port":
        return [], None
    waits = rows(
        con,
        """SELECT month, crossing, vehicle_type, median_wait_minutes, p90_wait_minutes, days_observed
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
        f"""SELECT count(*) OVER (), coalesce(port_name, port_code), month, item, old_value, new_value,
                   fact_table
            FROM marts.latest_revisions WHERE {where}
            ORDER BY abs(change) DESC NULLS LAST, month, port_code, item LIMIT ?""",
        [scope.code, most],
    )
    return (found[0][0] if found else 0), [r[1:] for r in found]


def gather(con: duckdb.DuckDBPyConnection, scope: Scope) -> Brief:
    """Every figure of one brief, from the published warehouse's marts."""
    headlines = _headlines(con, scope)
    latest = headlines[0].month or date.today()
    sectors, window = _sectors(con, scope)
    products, products_window = _products(con, scope)
    waits, idle = _waits(con, scope)
    card = frame(  # the HLED is a US-Mexico dialogue: its scorecard is the US-Mexico border's only
        con,
        """SELECT pillar_en, pillar_es, headline_en, headline_es, unit, aggregate, latest_month, latest_value,
                  change_vs_2019_pct, right_way_vs_2019, change_vs_2021_pct, right_way_vs_2021
           FROM marts.hled_scorecard WHERE scope = ? ORDER BY pillar, indicator_id""",
        [scope.border],
    ).to_dicts()
    vintages = [
        Vintage(*r)
        for r in rows(
            con,
            """SELECT source, title, publisher, latest_month, refreshed_at, status, state
               FROM marts.data_vintage ORDER BY source""",
        )
    ]
    health = {
        r[0]: SourceHealth(*r)
        for r in rows(
            con,
            """SELECT source, title, state, latest_month, expected_month, newest_reading, since
               FROM marts.source_health ORDER BY source""",
        )
    }
    total, revised = _revisions(con, scope)
    compared_with = scalar(con, "SELECT max(previous_refresh) FROM marts.revisions_compared")
    recent, earlier = disruptions(con, scope, latest)
    return Brief(
        scope,
        headlines,
        recent,
        sectors,
        window,
        waits,
        idle,
        card,
        vintages,
        total,
        revised,
        compared_with,
        health,
        products,
        products_window,
        earlier,
    )
