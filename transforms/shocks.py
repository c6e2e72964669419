"""Shock detection: months where a series falls far below what its own seasonal pattern and trend
predicted, and how long it takes to get back. The method is in method_markdown() (and so in
docs/indicators.md), with the constants below."""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date
from statistics import median

import numpy as np
import polars as pl
from numpy.lib.stride_tricks import sliding_window_view

from transforms import calendar_effects
from transforms.calendar_effects import calendar_effect

Z = 3.5
MIN_DROP = 0.15
MIN_SCALE = 0.03
MIN_EXPECTED = 1_000.0
RECOVERY_SHARE = 0.95
RECOVERY_MONTHS = 2
MAX_EPISODE_MONTHS = 36
GROWTH_MONTHS = 24
MAX_GROWTH = 0.15
SCALE_MONTHS = 36
MIN_SCALE_POINTS = 12
Z_PEERS = 6.0  # a port group's fall against what its border's other port groups predict, in robust sds
MIN_OWN_DROP = 0.05  # ... while also this far below its own expectation
MIN_PEER_DROP = 0.25  # ... and at least this far below what the peers predict

INPUT_SCHEMA = {
    "border": pl.String,  # whose public holidays count (transforms/calendar_effects.py)
    "scope_type": pl.String,
    "scope": pl.String,
    "measure": pl.String,
    "month": pl.Date,
    "value": pl.Float64,
}
SHOCK_SCHEMA = {
    "scope_type": pl.String,
    "scope": pl.String,
    "measure": pl.String,
    "first_month": pl.Date,
    "trough_month": pl.Date,
    "expected_at_trough": pl.Float64,
    "actual_at_trough": pl.Float64,
    "depth_pct": pl.Float64,
    "calendar_pct": pl.Float64,
    "pre_shock_level": pl.Float64,
    "recovered_month": pl.Date,
    "months_to_recover": pl.Int32,
    "status": pl.String,
    "ended_month": pl.Date,
    "kind": pl.String,
    "kind_reason": pl.String,
    "concurrent_shocks": pl.Int32,
    "peers_expected_at_trough": pl.Float64,
    "peers_depth_pct": pl.Float64,
    "found_by": pl.String,
    "border_shock_month": pl.Date,
}
EXPECTED_SCHEMA = {
    "scope_type": pl.String,
    "scope": pl.String,
    "measure": pl.String,
    "month": pl.Date,
    "expected": pl.Float64,
}
REPORTING_GAP_MONTHS = 2  # a zero that is back to normal within this many months is a reporting gap
STEP_MONTHS = 24  # a shock not recovered that holds one new level this long is a step in the series
STEP_BAND = 0.15  # ... "one level": months within this (log) of the median shortfall
STEP_SHARE = 0.9  # ... in at least this share of its months, the first month included
SHARED_GROUPS = 3  # a step shared by this many other port groups of the border (within a month) is an event
CONCURRENT_MONTHS = 1  # shocks at other port groups starting within this many months are concurrent
MOVED_BAND = 0.1  # a one-month dip of people whose next month makes it up to within this share: counts moved
# People do not cross twice to make up a month they missed; freight can (a delay, still a disruption)
NO_CATCH_UP = frozenset(
    {
        "pedestrians",
        "personal_vehicle_passengers",
        "personal_vehicles",
        "bus_passengers",
        "buses",
        "train_passengers",
    }
)


@dataclass
class _Shock:
    start: int
    baseline: list[float]  # pre-shock log level by calendar month (12 months before the start)
    trough: int
    trough_gap: float  # log shortfall (expected - actual) at the trough
    trough_expected: float
    status: str = "open"  # open -> recovered | not_recovered (closed at MAX_EPISODE_MONTHS)
    closed: int | None = None
    recovered: int | None = None
    streak: list[int] = field(default_factory=list)  # consecutive months back at the pre-shock level
    step: tuple[float, int] | None = None  # (shortfall, months) when it settled at one new level
    found_by: str = "own history"  # or "peers": it fell well below what the border's other groups predict

    def watch(self, t: int, xt: float) -> bool:
        """Count month t towards recovery; True once RECOVERY_MONTHS months in a row are back."""
        if xt >= self.baseline[t % 12] + math.log(RECOVERY_SHARE):
            self.streak.append(t)
        else:
            self.streak = []
        if len(self.streak) >= RECOVERY_MONTHS:
            self.recovered = self.streak[0]
            return True
        return False


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def _month_date(i: int) -> date:
    return date(i // 12, i % 12 + 1, 1)


def _robust_scale(residuals: list[float]) -> float:
    mid = median(residuals)
    return max(MIN_SCALE, 1.4826 * median(abs(r - mid) for r in residuals))


def _expected(x: list[float | None], t: int) -> float | None:
    """Seasonal expectation for month t from the same month of earlier years and the recent trend."""
    diffs = [
        x[t - k] - x[t - k - 12]
        for k in range(1, GROWTH_MONTHS + 1)
        if t - k - 12 >= 0 and x[t - k] is not None and x[t - k - 12] is not None
    ]
    if len(diffs) < 6:
        return None
    g = max(-MAX_GROWTH, min(MAX_GROWTH, median(diffs)))
    years = [x[t - 12 * j] + j * g for j in (1, 2, 3) if t - 12 * j >= 0 and x[t - 12 * j] is not None]
    return median(years) if len(years) >= 2 else None


def _expectations(x: list[float | None]) -> list[float | None]:
    """`_expected(x, t)` for every month t at once (the same medians, computed with numpy): a series is
    judged month by month, and these medians were most of the detector's time."""
    n = len(x)
    a = np.array([np.nan if v is None else v for v in x], dtype=float)
    change = np.full(n, np.nan)
    change[12:] = a[12:] - a[:-12]  # change[i] = x[i] - x[i - 12]
    padded = np.concatenate([np.full(GROWTH_MONTHS, np.nan), change])
    growth = _medians(sliding_window_view(padded, GROWTH_MONTHS)[:n], least=6)  # months t-24 .. t-1
    growth = np.clip(growth, -MAX_GROWTH, MAX_GROWTH)
    years = np.full((n, 3), np.nan)
    for j in (j for j in (1, 2, 3) if n > 12 * j):
        years[12 * j :, j - 1] = a[: n - 12 * j] + j * growth[12 * j :]
    return [None if np.isnan(e) else e for e in _medians(years, least=2).tolist()]


def _medians(rows: np.ndarray, least: int) -> np.ndarray:
    """Each row's median of its numbers (NaN: none), as `statistics.median` computes it (the middle one,
    or the mean of the middle two); NaN where a row has fewer than `least`."""
    ordered = np.sort(rows, axis=1)  # NaN last
    count = (~np.isnan(rows)).sum(axis=1)
    index = np.arange(len(rows))
    upper = ordered[index, count // 2]  # a row of n numbers: count // 2 < n
    lower = ordered[index, np.maximum(count // 2 - 1, 0)]
    middle = np.where(count % 2 == 1, upper, (lower + upper) / 2)
    return np.where(count >= least, middle, np.nan)


def _detect_series(
    start: int,
    values: list[float | None],
    latest: int,
    border: str | None,
    catches_up: bool = True,
    peers: list[float | None] | None = None,
) -> tuple[list[dict], list[float | None]]:
    """Shocks in one gap-filled monthly series (None = no row that month), as output rows; `latest` is
    the last month of the whole data (a series that stops earlier has ended, it is not ongoing). Every
    month is judged net of its calendar effect (working days, Holy Week) at `border`. Also returns each
    month's expectation in the series' own units (None where there is too little history)."""
    logs = [None if v is None else math.log(v + 1.0) for v in values]
    if max(v for v in values if v is not None) >= MIN_EXPECTED:
        cal, _ = calendar_effect(border or "", _month_date(start), logs)
    else:  # never large enough to be judged: no calendar to fit
        cal = [0.0] * len(values)
    x = [None if v is None else v - c for v, c in zip(logs, cal, strict=True)]
    # against the peers: the log share of the group in what its border's other groups carried
    share = [
        None if v is None or p is None or p <= 0 else math.log(v + 1.0) - math.log(p + 1.0)
        for v, p in zip(values, peers or [None] * len(values), strict=True)
    ]
    share_months: list[int] = []
    share_residuals: list[float] = []
    expected: list[float | None] = [None] * len(x)
    in_episode = [False] * len(x)
    floor = math.log(1.0 / (1.0 - MIN_DROP))
    residual_months: list[int] = []  # months outside shocks whose residuals give the scale
    residuals: list[float] = []
    episodes: list[_Shock] = []
    open_shock: _Shock | None = None

    own_expected, share_expected = _expectations(x), _expectations(share)
    for t, xt in enumerate(x):
        if xt is None:
            continue
        e = expected[t] = own_expected[t]
        for old in episodes:  # closed without recovery: a later recovery is still recorded
            if old.status == "not_recovered" and old.recovered is None and old.watch(t, xt):
                old.status = "recovered"
        if open_shock is not None:
            in_episode[t] = True
            if e is not None and e - xt > open_shock.trough_gap:
                open_shock.trough, open_shock.trough_gap, open_shock.trough_expected = t, e - xt, e
            if open_shock.watch(t, xt):
                open_shock.status, open_shock = "recovered", None
            elif t - open_shock.start >= MAX_EPISODE_MONTHS:
                open_shock.status, open_shock.closed, open_shock = "not_recovered", t, None
            continue
        if e is None:
            continue
        r = xt - e
        recent = residuals[bisect_left(residual_months, t - SCALE_MONTHS) :]
        judged = len(recent) >= MIN_SCALE_POINTS and math.exp(e + cal[t]) - 1.0 >= MIN_EXPECTED
        es = share_expected[t] if share[t] is not None else None
        rs = None if es is None else share[t] - es  # type: ignore[operator]
        peers_recent = share_residuals[bisect_left(share_months, t - SCALE_MONTHS) :]
        # the fixed floors are checked before the robust scales, which are only needed past them
        below_peers = (
            rs is not None
            and len(peers_recent) >= MIN_SCALE_POINTS
            and r < math.log(1.0 - MIN_OWN_DROP)
            and rs < math.log(1.0 - MIN_PEER_DROP)
            and rs < -Z_PEERS * _robust_scale(peers_recent)
        )
        own = judged and r < -floor and r < -Z * _robust_scale(recent)
        if judged and (own or below_peers):
            baseline = [e] * 12
            for k in range(1, 13):  # the level to regain: actual months, or what was expected of
                prior = x[t - k]  # months that were themselves inside an earlier shock
                normal = prior is not None and not in_episode[t - k]
                baseline[(t - k) % 12] = prior if normal else (expected[t - k] or e)
            open_shock = _Shock(start=t, baseline=baseline, trough=t, trough_gap=-r, trough_expected=e)
            open_shock.found_by = "own history" if own else "peers"
            episodes.append(open_shock)
            in_episode[t] = True
            continue
        residual_months.append(t)
        residuals.append(r)
        if rs is not None:
            share_months.append(t)
            share_residuals.append(rs)
    last = max(i for i, v in enumerate(x) if v is not None)
    if open_shock is not None:
        open_shock.status = "ongoing" if start + last >= latest else "series_ended"
        open_shock.closed = last if open_shock.status == "series_ended" else None
    for shock in episodes:
        if shock.recovered is None and shock.status in ("not_recovered", "ongoing"):
            shock.step = _new_level(x, shock, last)
    in_units = [None if e is None else math.exp(e + c) - 1.0 for e, c in zip(expected, cal, strict=True)]
    rows = [_row(start, values, cal, s, in_units, catches_up) for s in episodes]
    for shock, row in zip(episodes, rows, strict=True):
        row.update(_against_peers(share, peers, shock))
    return rows, in_units


def _against_peers(share: list[float | None], peers: list[float | None] | None, s: _Shock) -> dict:
    """What the border's other port groups predicted at the trough (the group's usual share of what
    they carried, from the same months of earlier years), and how far short of it the group fell."""
    es = _expected(share, s.trough) if peers is not None and share[s.trough] is not None else None
    if es is None or peers is None or peers[s.trough] is None:
        return {"peers_expected_at_trough": None, "peers_depth_pct": None, "found_by": s.found_by}
    predicted = math.exp(es + math.log(peers[s.trough] + 1.0)) - 1.0  # type: ignore[operator]
    depth = 100.0 * (1.0 - math.exp(share[s.trough] - es))  # type: ignore[operator]
    return {
        "peers_expected_at_trough": round(predicted, 1),
        "peers_depth_pct": round(depth, 2),
        "found_by": s.found_by,
    }


def _new_level(x: list[float | None], s: _Shock, last: int) -> tuple[float, int] | None:
    """(shortfall, months) when a shock that never recovered settled at once on one new level: over
    its first MAX_EPISODE_MONTHS months (STEP_MONTHS at least), STEP_SHARE of the months, the first
    among them, lie within STEP_BAND of the median shortfall against the pre-shock level."""
    months = [t for t in range(s.start, min(s.start + MAX_EPISODE_MONTHS, last + 1)) if x[t] is not None]
    if len(months) < STEP_MONTHS:
        return None
    gaps = [s.baseline[t % 12] - x[t] for t in months]  # type: ignore[operator]
    level = median(gaps)
    near = [abs(g - level) <= STEP_BAND for g in gaps]
    if near[0] and sum(near) >= STEP_SHARE * len(near):
        return level, len(months)
    return None


def _moved(values: list[float | None], expected: list[float | None], s: _Shock) -> float | None:
    """For a one-month dip back the next month: the two months' counts against what was expected of
    them (1.0 = the next month carried exactly what the dip lacked); None when it does not apply."""
    t = s.start
    if s.trough != t or s.recovered != t + 1 or t + 1 >= len(values):
        return None
    pair = (values[t], values[t + 1], expected[t], expected[t + 1])
    if any(v is None for v in pair) or not (pair[2] + pair[3]):  # type: ignore[operator]
        return None
    return (pair[0] + pair[1]) / (pair[2] + pair[3])  # type: ignore[operator]


def _kind(
    values: list[float | None], s: _Shock, expected: list[float | None] | None = None, catches_up: bool = True
) -> tuple[str, str | None, str | None]:
    """`disruption`, or `reporting_change` with why: the series stopped reporting during the shock,
    it restarts after months without data, or it reports 0 for a month or two between ordinary months
    (a busy port does not carry nothing for a whole month and then carry on as before), or, for people,
    a one-month dip that the next month makes up (people do not cross twice: counts moved between
    months), or it settled at once on a new level and stayed there (unless other port groups stepped
    with it: detect_shocks)."""
    if s.status == "series_ended":
        return "reporting_change", "the series stops reporting during the shock", "stops"
    if s.start > 0 and values[s.start - 1] is None:
        gap = next((k for k in range(1, s.start + 1) if values[s.start - k] is not None), s.start + 1) - 1
        return "reporting_change", f"the series restarts after {gap} month(s) without data", "restarts"
    if values[s.trough] == 0 and s.recovered is not None and s.recovered - s.start <= REPORTING_GAP_MONTHS:
        reason = (
            f"reported as 0 between ordinary months, back within {s.recovered - s.start} month(s): "
            "a gap in reporting, not traffic"
        )
        return "reporting_change", reason, "zero"
    moved = None if catches_up or expected is None else _moved(values, expected, s)
    if moved is not None and abs(moved - 1.0) <= MOVED_BAND:
        reason = (
            "a one-month dip that the next month makes up (the two months "
            f"{100 * (moved - 1):+.0f} % against what was expected of them): people do not cross twice, "
            "so counts moved between months"
        )
        return "reporting_change", reason, "moved"
    if s.step is not None:
        level, months = s.step
        reason = (
            f"steps to a level {100 * (1 - math.exp(-level)):.0f} % lower at once and stays there "
            f"({months} months) while no more than {SHARED_GROUPS - 1} other port groups of the border do: "
            "a change in what is counted, or in where traffic goes, rather than a disruption"
        )
        return "reporting_change", reason, "step"
    return "disruption", None, None


def _row(
    start: int,
    values: list[float | None],
    cal: list[float],
    s: _Shock,
    expected: list[float | None] | None = None,
    catches_up: bool = True,
) -> dict:
    """A shock as an output row, its expectations back in the series' own units and calendar."""
    end = s.recovered if s.recovered is not None else s.closed
    kind, reason, rule = _kind(values, s, expected, catches_up)
    return {
        "first_month": _month_date(start + s.start),
        "trough_month": _month_date(start + s.trough),
        "expected_at_trough": round(math.exp(s.trough_expected + cal[s.trough]) - 1.0, 1),
        "actual_at_trough": values[s.trough],
        "depth_pct": round(100.0 * (1.0 - math.exp(-s.trough_gap)), 2),
        "calendar_pct": round(100.0 * (math.exp(cal[s.trough] - cal[s.trough - 12]) - 1.0), 1),
        "pre_shock_level": round(math.exp(s.baseline[s.start % 12] + cal[s.start - 12]) - 1.0, 1),
        "recovered_month": None if s.recovered is None else _month_date(start + s.recovered),
        "months_to_recover": None if s.recovered is None else s.recovered - s.start,
        "status": s.status,
        "ended_month": None if end is None else _month_date(start + end),
        "kind": kind,
        "kind_reason": reason,
        "concurrent_shocks": None,
        "_rule": rule,
    }


@dataclass
class Detection:
    """The shocks found, and what the method expected of every month of every series (in its units):
    the neighbours' side of a disruption (diversion) is read against the same expectations."""

    shocks: pl.DataFrame  # SHOCK_SCHEMA
    expected: pl.DataFrame  # EXPECTED_SCHEMA


def detect_shocks(series: pl.DataFrame) -> pl.DataFrame:
    """One row per detected disruption in each (scope_type, scope, measure) monthly series."""
    return detect(series).shocks


def detect(series: pl.DataFrame, latest: date | None = None) -> Detection:
    """Shocks in each (scope_type, scope, measure) monthly series, with the expectation of each month.
    Each series is judged on its own up to `latest` (default: the last month of any of them)."""
    out: list[dict] = []
    expected: dict[str, list] = {k: [] for k in EXPECTED_SCHEMA}
    frame = series.select(list(INPUT_SCHEMA)).cast(INPUT_SCHEMA).drop_nulls(["month"])
    if frame.height == 0:
        return Detection(pl.DataFrame(schema=SHOCK_SCHEMA), pl.DataFrame(schema=EXPECTED_SCHEMA))
    last = _month_index(latest or frame["month"].max())
    totals = {
        (measure, border, _month_index(month)): total
        for measure, border, month, total in frame.filter(pl.col("scope_type") == "port_group")
        .group_by("measure", "border", "month")
        .agg(pl.col("value").sum())
        .iter_rows()
    }
    for (scope_type, scope, measure, border), part in frame.sort("month").group_by(
        ["scope_type", "scope", "measure", "border"], maintain_order=True
    ):
        months = [_month_index(d) for d in part["month"]]
        first = months[0]
        values: list[float | None] = [None] * (months[-1] - first + 1)
        for i, v in zip(months, part["value"], strict=True):
            values[i - first] = v
        peers = None
        if scope_type == "port_group":  # what the border's other port groups carried each month
            peers = [
                None if v is None else totals.get((measure, border, first + i), 0.0) - v
                for i, v in enumerate(values)
            ]
        rows, in_units = _detect_series(first, values, last, border, measure not in NO_CATCH_UP, peers)
        kept = [(i, e) for i, e in enumerate(in_units) if e is not None and values[i] is not None]
        expected["scope_type"] += [scope_type] * len(kept)
        expected["scope"] += [scope] * len(kept)
        expected["measure"] += [measure] * len(kept)
        expected["month"] += [_month_date(first + i) for i, _ in kept]
        expected["expected"] += [round(e, 1) for _, e in kept]
        for row in rows:
            out.append(
                {"scope_type": scope_type, "scope": scope, "measure": measure, "_border": border, **row}
            )
    _concurrent(out)
    found = pl.DataFrame(
        [{k: v for k, v in r.items() if k in SHOCK_SCHEMA} for r in out], schema=SHOCK_SCHEMA
    )
    return Detection(found, pl.DataFrame(expected, schema=EXPECTED_SCHEMA))


def _concurrent(rows: list[dict]) -> None:
    """Count, for each port-group shock, the other port groups of its border and measure whose shock
    starts within CONCURRENT_MONTHS. A step in the series is a reporting change only at a port group
    and only when fewer than SHARED_GROUPS others stepped with it: a step shared by several port
    groups (the 2015 fall of the Canadian dollar, the 2020 closures) or in a whole border's total is
    an event, or a change in counting that the data cannot tell from one, and stays a disruption."""
    starts: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for r in rows:
        if r["scope_type"] == "port_group":
            starts.setdefault((r["_border"], r["measure"]), []).append(
                (_month_index(r["first_month"]), r["scope"])
            )
    for r in rows:
        if r["scope_type"] != "port_group":
            if r["_rule"] == "step":
                r["kind"], r["kind_reason"] = "disruption", None
            continue
        t = _month_index(r["first_month"])
        others = {g for m, g in starts[(r["_border"], r["measure"])] if abs(m - t) <= CONCURRENT_MONTHS}
        others.discard(r["scope"])
        r["concurrent_shocks"] = len(others)
        if r["_rule"] == "step" and len(others) >= SHARED_GROUPS:
            r["kind"], r["kind_reason"] = "disruption", None
    _border_wide(rows)


def _border_wide(rows: list[dict]) -> None:
    """Mark each port-group shock that starts within CONCURRENT_MONTHS of a disruption in its border's
    total (same measure) as part of it (`border_shock_month`): the 2020 closures are one border-wide
    shock told once, not forty port shocks, while each port's own figures stay for analysts."""
    border_starts: dict[tuple[str, str], list[int]] = {}
    for r in rows:
        r["border_shock_month"] = None
        if r["scope_type"] == "border" and r["kind"] == "disruption":
            border_starts.setdefault((r["scope"], r["measure"]), []).append(_month_index(r["first_month"]))
    for r in rows:
        if r["scope_type"] != "port_group":
            continue
        t = _month_index(r["first_month"])
        near = [
            b for b in border_starts.get((r["_border"], r["measure"]), []) if abs(b - t) <= CONCURRENT_MONTHS
        ]
        if near:
            r["border_shock_month"] = _month_date(min(near, key=lambda b: (abs(b - t), b)))


def constants() -> dict[str, float]:
    """The method's constants in force, by name (the evaluation records those it measured)."""
    numbers = {k: v for k, v in globals().items() if k.isupper() and isinstance(v, int | float)}
    return numbers | {"MIN_FIT_MONTHS": calendar_effects.MIN_FIT_MONTHS}


def method_markdown() -> str:
    """The method as documentation, with the constants in force (docs/indicators.md embeds it)."""
    return f"""Series: every crossings measure at each border, US trade with each partner (border level),
and inbound trucks, personal-vehicle passengers and pedestrians at each port group. The method uses
the data alone, no event dates:

1. Work in logs, x = ln(value + 1), on a gap-free monthly calendar (missing months are skipped; so is
   a port group's month in which one of its ports did not report a count it usually reports,
   `marts.crossings_gaps`: a gap, not a fall).
2. Calendar: a month with more working days carries more, and Holy Week (Semana Santa) moves between
   March and April with Easter. Each month's calendar effect c(t) is b . C(t), where C(t) holds its
   working days (Monday to Friday, not a national holiday of either country of the border: the
   `holidays` package), Saturdays, days, and the share of Holy Week (Palm Sunday to Holy Saturday)
   that falls in it. b is fitted for each series by robust regression (statsmodels RLM, Huber's norm)
   of its 12-month changes x(t) - x(t-12) on those of C, with an intercept, as X-13's regARIMA does
   with seasonal differences; the robust fit keeps disruptions from pulling b. A series needs
   {calendar_effects.MIN_FIT_MONTHS} such changes (else c = 0). The steps below judge x - c; what is
   reported as expected has c added back, and `calendar_pct` is c(trough) - c(a year before) in %.
3. Trend g: the median year-over-year change of x over the previous {GROWTH_MONTHS} months, clipped to
   +/-{MAX_GROWTH}. Expectation e(t): the median over the last three years j of x(t - 12j) + j g, the
   same calendar month in each year brought forward by the trend (two years at least). The median of
   three years keeps one abnormal year from moving the expectation.
4. Residual r(t) = x(t) - e(t); its scale is the robust standard deviation (1.4826 x median absolute
   deviation) of the residuals of the previous {SCALE_MONTHS} months outside shocks ({MIN_SCALE_POINTS} at
   least), never below {MIN_SCALE}.
5. A shock starts in a month whose value is at least {MIN_DROP:.0%} below the expectation and more than
   {Z:g} robust standard deviations below it, where at least {MIN_EXPECTED:,.0f} were expected. Depth is
   the largest shortfall (expected - actual) / expected while the shock lasts, at its trough month.
   Against the peers (a port group's series only): ports of one border share the season, the calendar,
   the peso and the US economy, but not a local event (a blockade, state inspections at one state's
   ports). s(t) = x(t) - ln(what the border's other port groups carried + 1) is the group's log share
   of its peers' traffic; its expectation comes from the same months of earlier years and trend as in
   step 3, its residual's robust scale as in step 4. A shock also starts in a month that is at least
   {MIN_OWN_DROP:.0%} below its own expectation and at least {MIN_PEER_DROP:.0%} and {Z_PEERS:g} robust
   standard deviations below what its peers predict (`found_by` = peers): Hidalgo/Pharr in April 2022,
   -26 % against March, only -11 % against its own April (Holy Week and fewer working days) but -25 %
   against its peers. A border-wide fall (the 2020 closures) leaves the shares as they were and is not
   found this way. Each port group's shock says what its peers predicted at the trough
   (`peers_expected_at_trough`) and how far short it fell (`peers_depth_pct`).
6. The level to regain is the 12 months before the shock, month by month (what was expected of a
   month that was missing or inside an earlier shock). The shock has recovered at the first of
   {RECOVERY_MONTHS} consecutive months back at {RECOVERY_SHARE:.0%} of that level for their calendar month
   (`recovered`, with `months_to_recover` counted from the first month). One not back within
   {MAX_EPISODE_MONTHS} months is closed as `not_recovered` so that later shocks can be seen; a recovery
   after that is still recorded. One still open at the latest month of the data is `ongoing`; one
   whose series stopped reporting is `series_ended`.
7. Each shock is a `disruption` unless the data say it is a `reporting_change` (`kind_reason` says
   which): the series stops reporting during it, restarts after months without data, or reports 0
   for a month or two between ordinary months and is back within {REPORTING_GAP_MONTHS} months; or, for
   people (pedestrians, passengers, personal vehicles, buses: people do not cross twice to make up a
   month), it dips for one month and the next makes it up, the two months within {MOVED_BAND:.0%} of what
   was expected of them (counts moved between months: El Paso's pedestrians, 222,000 in August 2024 and
   620,000 in September); trucks can catch up after a delay, so for them a dip stays a disruption; or, at a
   port group, it never recovers and steps at once to a new level and stays there: over its first
   {MAX_EPISODE_MONTHS} months ({STEP_MONTHS} at least), {STEP_SHARE:.0%} of the months, the first among
   them, lie within {STEP_BAND} (log) of their median shortfall against the pre-shock level. A step is
   still a disruption when {SHARED_GROUPS} or more other port groups of the border had a shock starting within
   {CONCURRENT_MONTHS} month of it (`concurrent_shocks`: the 2020 closures, the 2015 fall of the
   Canadian dollar), and in a border's total, where an event and a change in counting look alike.
   A closure that lifts, even slowly and not fully, is not a step. Charts show disruptions only; the
   others stay in `marts.shocks` for analysts.
8. A border-wide shock stays the border's: a port group's shock that starts within
   {CONCURRENT_MONTHS} month of a disruption in its border's total for the same measure is part of it
   (`border_shock_month` names the border's first month). The brief tells it once, as the border's, with
   the number of port groups that fell with it (April 2020: one line for US-Mexico trucks, not one per
   port); each port group's own row stays in `marts.shocks` for analysts and in that port's brief.

Limits of the peer view: it compares a group with the sum of every other group of its border, not with
a fitted synthetic control, so a group that is a large share of its border (Laredo, a third of the
US-Mexico trucks) moves its peers' total with it; an event that hits several groups of one state at
once (the April 2022 inspections at every Texas port) partly moves the peers too, which is why only
the port where it bit hardest (Hidalgo) stands out. Its three constants were chosen on the same
evaluation set it is measured on (benchmarks/shocks_evaluation.json), Hidalgo included.

Limits: the calendar coefficients b are fitted on the whole series, so a new year of data can move
them slightly, and with them a shock at the threshold; everything else uses only earlier months.
A series is judged only once it has {GROWTH_MONTHS} months of history and {MIN_SCALE_POINTS}
judged months behind it. The TransBorder data staged for development has January 2015 and then 2020
on, so US trade is judged only from about 2022 and the spring-2020 trade collapse is not in
`marts.shocks`. BTS often leaves out a month with no activity instead of reporting 0, and missing
months are skipped, so a port that closes completely shows as a gap, not as a shock."""
