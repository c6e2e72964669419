"""Calendar effects on monthly border traffic: working days, Saturdays, month length and Holy Week.

A month with one working day more carries more trucks, and Holy Week (Semana Santa) moves between
March and April with Easter. Each series' effects are estimated by robust regression (statsmodels'
RLM, Huber's norm) of its 12-month log changes on the 12-month changes of these regressors, as
regARIMA does in X-13 with seasonal differencing; the robust fit keeps disruptions such as 2020 from
pulling the coefficients. The shock detector judges each month net of its calendar effect.
"""

from __future__ import annotations

import calendar
import math
import warnings
from datetime import date, timedelta
from functools import cache

import holidays
import numpy as np
from dateutil.easter import easter

# The public holidays that thin traffic at each border: both countries' national holidays.
BORDER_COUNTRIES = {"US-Mexico": ("US", "MX"), "US-Canada": ("US", "CA")}
HOLY_WEEK_DAYS = 7  # Palm Sunday to Holy Saturday: the week before Easter Sunday
MIN_FIT_MONTHS = 36  # 12-month changes needed before a series' calendar effects are estimated
REGRESSORS = ("working_days", "saturdays", "days_in_month", "holy_week_share")


@cache
def _holiday_names(border: str, year: int) -> dict[date, str]:
    """Each public holiday of either country of the border in the year, with its names (both
    countries' when they share a day)."""
    names: dict[date, list[str]] = {}
    for country in BORDER_COUNTRIES.get(border, ("US",)):
        for day, name in holidays.country_holidays(country, years=year).items():
            names.setdefault(day, []).append(f"{name} ({country})")
    return {day: "; ".join(found) for day, found in sorted(names.items())}


@cache
def _holidays(border: str, year: int) -> frozenset[date]:
    return frozenset(_holiday_names(border, year))


def weekday_holidays(border: str, year: int, month: int) -> list[tuple[date, str]]:
    """The public holidays of either country of the border that fell on a weekday of the month."""
    return [
        (day, name)
        for day, name in _holiday_names(border, year).items()
        if day.month == month and day.weekday() < 5
    ]


@cache
def month_regressors(border: str, year: int, month: int) -> tuple[float, float, float, float]:
    """Working days (Monday to Friday, not a public holiday of either country), Saturdays, days in
    the month, and the share of Holy Week that falls in it."""
    length = calendar.monthrange(year, month)[1]
    days = [date(year, month, d) for d in range(1, length + 1)]
    off = _holidays(border, year)
    working = sum(1 for d in days if d.weekday() < 5 and d not in off)
    saturdays = sum(1 for d in days if d.weekday() == 5)
    sunday = easter(year)
    week = [sunday - timedelta(days=k) for k in range(1, HOLY_WEEK_DAYS + 1)]
    share = sum(1 for d in week if (d.year, d.month) == (year, month)) / HOLY_WEEK_DAYS
    return float(working), float(saturdays), float(length), share


def calendar_effect(border: str, first: date, x: list[float | None]) -> tuple[list[float], dict[str, float]]:
    """The calendar part of a log series x (month 0 = `first`) and its coefficients by regressor;
    zeros and an empty dict when there are fewer than MIN_FIT_MONTHS 12-month changes to fit."""
    n = len(x)
    start = first.year * 12 + first.month - 1
    regs = np.array([month_regressors(border, (start + t) // 12, (start + t) % 12 + 1) for t in range(n)])
    rows = [t for t in range(12, n) if x[t] is not None and x[t - 12] is not None]
    if len(rows) < MIN_FIT_MONTHS:
        return [0.0] * n, {}
    dx = np.array([x[t] - x[t - 12] for t in rows])
    if np.median(np.abs(dx - np.median(dx))) == 0:  # mostly unchanged (e.g. zeros): nothing to fit
        return [0.0] * n, {}
    dr = regs[rows] - regs[[t - 12 for t in rows]]
    keep = [j for j in range(dr.shape[1]) if np.ptp(dr[:, j]) > 0]  # e.g. no leap February in the span
    if not keep:
        return [0.0] * n, {}
    design = np.column_stack([np.ones(len(rows)), dr[:, keep]])
    # imported here, once a series is long enough to fit: a build of short series never loads statsmodels
    from statsmodels.robust.norms import HuberT
    from statsmodels.robust.robust_linear_model import RLM
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    with warnings.catch_warnings():  # a series that barely moves: its fit is still usable
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        fit = RLM(dx, design, M=HuberT()).fit()
    beta = np.zeros(dr.shape[1])
    beta[keep] = fit.params[1:]
    if not all(math.isfinite(b) for b in beta):
        return [0.0] * n, {}
    effect = regs @ beta
    effect -= effect.mean()
    return effect.tolist(), dict(zip(REGRESSORS, beta.tolist(), strict=True))
