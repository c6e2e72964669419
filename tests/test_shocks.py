"""The shock detector on synthetic monthly series whose answer is known by construction."""

from __future__ import annotations

import math
from datetime import date

import polars as pl

from transforms.calendar_effects import calendar_effect, month_regressors
from transforms.shocks import MAX_EPISODE_MONTHS, detect_shocks

SEASON = [0.8, 0.85, 1.0, 1.05, 1.1, 1.1, 1.0, 1.0, 1.05, 1.1, 0.95, 0.9]


def series(
    values: list[float | None],
    start: date = date(2010, 1, 1),
    measure: str = "trucks",
    scope: str = "US-Mexico",
) -> pl.DataFrame:
    """A monthly series of the US-Mexico border (or, when `scope` is not a border, of a port group)."""
    months, kept = [], []
    for i, v in enumerate(values):
        if v is not None:
            months.append(date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1))
            kept.append(float(v))
    n = len(months)
    return pl.DataFrame(
        {
            "border": ["US-Mexico"] * n,
            "scope_type": ["border" if scope.startswith("US-") else "port_group"] * n,
            "scope": [scope] * n,
            "measure": [measure] * n,
            "month": months,
            "value": kept,
        }
    )


def seasonal(years: int, level: float = 100_000, growth: float = 0.02, wobble: float = 0.01) -> list[float]:
    """A seasonal series growing 2 % a year with a small deterministic wobble (no shocks)."""
    return [
        level * SEASON[t % 12] * (1 + growth) ** (t / 12) * (1 + wobble * math.sin(1.7 * t))
        for t in range(12 * years)
    ]


def test_a_steady_seasonal_series_has_no_shock() -> None:
    assert detect_shocks(series(seasonal(15))).height == 0


def test_a_collapse_is_found_with_its_depth_and_recovery() -> None:
    values = seasonal(12)
    start = 12 * 8 + 3  # April of year 9 (2018)
    values[start] *= 0.35  # 65 % below what the season and trend predict
    values[start + 1] *= 0.5
    values[start + 2] *= 0.8
    found = detect_shocks(series(values))
    assert found.height == 1
    shock = found.row(0, named=True)
    assert shock["first_month"] == date(2018, 4, 1) and shock["trough_month"] == date(2018, 4, 1)
    assert 63 < shock["depth_pct"] < 67
    # the fourth month is back at the (grown) level of a year before: 3 months to recover
    assert shock["recovered_month"] == date(2018, 7, 1) and shock["months_to_recover"] == 3
    assert shock["status"] == "recovered" and shock["ended_month"] == date(2018, 7, 1)
    assert abs(shock["pre_shock_level"] - values[start - 12]) < 1


def test_a_small_dip_is_not_a_shock() -> None:
    values = seasonal(12)
    values[100] *= 0.9  # 10 % below: under the 15 % floor
    assert detect_shocks(series(values)).height == 0


def test_a_new_seasonal_pattern_is_learned_within_two_years() -> None:
    values = seasonal(14)
    for year in range(6, 14):
        values[12 * year + 5] *= 0.4  # every June from year 7 on is 60 % lower (a reporting change)
    found = detect_shocks(series(values))
    assert found["first_month"].to_list() == [date(2016, 6, 1), date(2017, 6, 1)]


def test_open_shocks_are_ongoing_or_ended_and_a_lasting_drop_is_not_recovered() -> None:
    values = seasonal(10)
    for t in range(12 * 9 + 6, 12 * 10):
        values[t] *= 0.5
    ongoing = detect_shocks(series(values)).row(0, named=True)
    assert ongoing["status"] == "ongoing" and ongoing["recovered_month"] is None
    assert ongoing["months_to_recover"] is None and ongoing["ended_month"] is None
    # the same series next to one that runs a year longer: it stopped reporting, it is not ongoing
    longer = series(seasonal(11), measure="pedestrians")
    ended = detect_shocks(pl.concat([series(values), longer])).row(0, named=True)
    assert ended["status"] == "series_ended" and ended["ended_month"] == date(2019, 12, 1)

    values = seasonal(14)
    for t in range(12 * 5, 12 * 14):
        values[t] *= 0.5  # the series never comes back
    found = detect_shocks(series(values))
    first = found.row(0, named=True)
    assert first["first_month"] == date(2015, 1, 1) and first["status"] == "not_recovered"
    assert first["ended_month"] == date(2015 + MAX_EPISODE_MONTHS // 12, 1, 1)
    assert first["months_to_recover"] is None
    assert found.height == 1  # at the new level nothing more is flagged


def test_a_slow_recovery_after_36_months_is_still_recorded() -> None:
    values = seasonal(14)
    for t in range(12 * 5, 12 * 10):
        values[t] *= 0.5  # five years down, back from 2020
    shock = detect_shocks(series(values)).row(0, named=True)
    assert shock["status"] == "recovered" and shock["recovered_month"] == date(2020, 1, 1)
    assert shock["months_to_recover"] == 60 and shock["ended_month"] == date(2020, 1, 1)


def test_recovery_needs_two_months_back() -> None:
    values = seasonal(12)
    for t in (12 * 8 + 2, 12 * 8 + 3, 12 * 8 + 5):
        values[t] *= 0.4  # March, April and June 2018 down; May 2018 back for a single month
    shock = detect_shocks(series(values)).row(0, named=True)
    # May back alone does not end it; July and August back do
    assert shock["recovered_month"] == date(2018, 7, 1) and shock["months_to_recover"] == 4


def test_the_level_to_regain_leaves_out_an_earlier_shock() -> None:
    values = seasonal(12)
    values[12 * 7 + 3] *= 0.5  # April 2017: a one-month shock
    values[12 * 8 + 2] *= 0.4  # March 2018: the next one
    values[12 * 8 + 3] *= 0.7  # April 2018: above the depressed April 2017, below a normal April
    found = detect_shocks(series(values)).sort("first_month")
    assert found["first_month"].to_list() == [date(2017, 4, 1), date(2018, 3, 1)]
    second = found.row(1, named=True)
    # measured against April 2017 as reported, April 2018 would count as back (1 month to recover);
    # against what April 2017 should have been, recovery starts in May
    assert second["recovered_month"] == date(2018, 5, 1) and second["months_to_recover"] == 2


def test_small_series_gaps_and_separate_series() -> None:
    small = seasonal(10, level=500)
    small[80] = 0.0
    assert detect_shocks(series(small)).height == 0  # expected under 1,000: too small to judge
    values = seasonal(12)
    values[30:34] = [None] * 4  # four months missing are skipped, not taken for a collapse
    values[110] *= 0.3
    both = pl.concat([series(values), series(seasonal(12), measure="pedestrians")])
    found = detect_shocks(both)
    assert found.select("measure", "first_month").rows() == [("trucks", date(2019, 3, 1))]


def test_reporting_changes_are_told_apart_from_disruptions() -> None:
    values: list[float | None] = list(seasonal(14))
    values[12 * 6 + 4] = 0.0  # May 2016: a zero between ordinary months, back the next month
    values[12 * 9 + 2] *= 0.4  # March 2019: a real 60 % drop for two months
    values[12 * 9 + 3] *= 0.6
    for t in range(12 * 11, 12 * 11 + 3):  # January-March 2021 missing, then a low restart
        values[t] = None
    values[12 * 11 + 3] *= 0.5
    found = detect_shocks(series(values)).sort("first_month")
    assert found.select("first_month", "kind").rows() == [
        (date(2016, 5, 1), "reporting_change"),
        (date(2019, 3, 1), "disruption"),
        (date(2021, 4, 1), "reporting_change"),
    ]
    reasons = found["kind_reason"].to_list()
    assert reasons[0] == (
        "reported as 0 between ordinary months, back within 1 month(s): a gap in reporting, not traffic"
    )
    assert reasons[1] is None
    assert reasons[2] == "the series restarts after 3 month(s) without data"


def test_a_series_that_stops_during_a_shock_is_a_reporting_change() -> None:
    values = seasonal(10)[: 12 * 8 + 1]
    values[-1] *= 0.3  # the last month it reports is 70 % down; other series go on two more years
    found = detect_shocks(pl.concat([series(values), series(seasonal(10), measure="buses")]))
    assert found.select("measure", "status", "kind", "kind_reason").rows() == [
        ("trucks", "series_ended", "reporting_change", "the series stops reporting during the shock")
    ]


def with_calendar(values: list[float | None], per_working_day: float, holy_week: float) -> list[float | None]:
    """`values` (monthly from January 2010) with US-Mexico calendar effects: each working day over 21
    adds `per_working_day` (log), a month holding all of Holy Week loses `holy_week` (log)."""
    out: list[float | None] = []
    for t, v in enumerate(values):
        working, _, _, share = month_regressors("US-Mexico", 2010 + t // 12, t % 12 + 1)
        out.append(None if v is None else v * math.exp(per_working_day * (working - 21) - holy_week * share))
    return out


def test_holy_week_and_working_days_are_calendar_not_shocks() -> None:
    values = with_calendar(seasonal(15, wobble=0.005), per_working_day=0.03, holy_week=0.25)
    yoy = [values[t] / values[t - 12] - 1 for t in range(12, len(values))]
    assert min(yoy) < -0.15  # a year-on-year rule would call some Easter months disruptions
    assert detect_shocks(series(values)).height == 0
    logs = [math.log(v + 1) for v in values]
    _, fitted = calendar_effect("US-Mexico", date(2010, 1, 1), logs)
    assert abs(fitted["holy_week_share"] + 0.25) < 0.03 and abs(fitted["working_days"] - 0.03) < 0.01


def test_a_one_month_drop_is_found_through_the_calendar() -> None:
    values = with_calendar(seasonal(15, wobble=0.005), per_working_day=0.03, holy_week=0.25)
    values[12 * 12 + 3] *= 0.82  # April 2022 (Holy Week in April, not in April 2021): 18 % below
    found = detect_shocks(series(values))
    assert found.select("first_month", "kind").rows() == [(date(2022, 4, 1), "disruption")]
    shock = found.row(0, named=True)
    assert 16 < shock["depth_pct"] < 20
    # April 2021 held 3 of Holy Week's 7 days and 22 working days, April 2022 all 7 and 21: about -16 %
    assert -21 < shock["calendar_pct"] < -15
    assert abs(shock["expected_at_trough"] - values[12 * 12 + 3] / 0.82) / shock["expected_at_trough"] < 0.02


def test_a_step_to_a_new_level_at_one_port_group_is_a_reporting_change() -> None:
    stepped = seasonal(14)
    for t in range(12 * 8 + 5, len(stepped)):  # from June 2018 on, 30 % lower for good
        stepped[t] *= 0.7
    found = detect_shocks(series(stepped, scope="2304"))
    assert found.select("first_month", "status", "kind", "concurrent_shocks").rows() == [
        (date(2018, 6, 1), "not_recovered", "reporting_change", 0)
    ]
    # 30 % below the trend, 27 % below the level before the step (the series still grows 2 % a year)
    assert found["kind_reason"][0] == (
        "steps to a level 27 % lower at once and stays there (36 months) while no more than 2 other "
        "port groups of the border do: a change in what is counted, or in where traffic goes, rather "
        "than a disruption"
    )
    # the same step at four port groups in the same month is an event at the border
    shared = detect_shocks(pl.concat([series(stepped, scope=g) for g in ("2304", "2305", "2309", "2310")]))
    assert shared.select("scope", "kind", "concurrent_shocks").rows() == [
        (g, "disruption", 3) for g in ("2304", "2305", "2309", "2310")
    ]
    # and a border total that steps is never called a reporting change: it cannot be told from an event
    assert detect_shocks(series(stepped)).select("kind").rows() == [("disruption",)]


def test_a_closure_that_lifts_slowly_is_a_disruption_not_a_step() -> None:
    values = seasonal(14)
    closed = 12 * 8 + 2  # March 2018: 85 % down for 20 months, then back to 70-80 % of before
    for t in range(closed, len(values)):
        k = t - closed
        values[t] *= 0.15 if k < 20 else min(0.8, 0.7 + 0.01 * (k - 20))
    found = detect_shocks(series(values, scope="3004"))
    assert found.select("first_month", "status", "kind").rows() == [
        (date(2018, 3, 1), "not_recovered", "disruption")
    ]


def test_a_dip_of_people_made_up_the_next_month_is_counts_moved_not_a_disruption() -> None:
    values = seasonal(12)
    t = 12 * 9 + 7  # August of year 10 (2019), as El Paso's pedestrians in August 2024 (222k, then 620k)
    shortfall = 0.45 * values[t]
    values[t] -= shortfall
    values[t + 1] += shortfall  # the next month carries what August lacked
    people = detect_shocks(series(values, measure="pedestrians")).to_dicts()
    assert len(people) == 1 and people[0]["first_month"] == date(2019, 8, 1)
    assert people[0]["kind"] == "reporting_change"
    assert people[0]["kind_reason"].startswith("a one-month dip that the next month makes up")
    # freight can catch up after a delay: the same counts of trucks stay a disruption
    trucks = detect_shocks(series(values, measure="trucks")).to_dicts()
    assert len(trucks) == 1 and trucks[0]["kind"] == "disruption"
    # a dip of people that is not made up stays a disruption
    lost = seasonal(12)
    lost[t] *= 0.55
    assert detect_shocks(series(lost, measure="pedestrians")).to_dicts()[0]["kind"] == "disruption"


def peers_panel(fall_at: int | None, everyone_at: int | None = None) -> pl.DataFrame:
    """Five port groups of one border moved together by a shared, noisy factor (the season, the peso,
    the economy: a group's own past cannot tell a 30 % fall from it), each with its own small noise.
    Group A falls 30 % alone at `fall_at`; every group falls 40 % together at `everyone_at`."""
    frames = []
    months = 12 * 12
    shared = [1.0 + 0.18 * math.sin(2.3 * t) * math.cos(0.7 * t) for t in range(months)]
    for k, group in enumerate("ABCDE"):
        values = []
        for t in range(months):
            v = (20_000 + 5_000 * k) * SEASON[t % 12] * shared[t] * (1 + 0.01 * math.sin(1.3 * t + k))
            if t == fall_at and group == "A":
                v *= 0.7
            if t == everyone_at:
                v *= 0.6
            values.append(v)
        frames.append(series(values, scope=group))
    return pl.concat(frames)


def test_a_fall_its_peers_did_not_share_is_found_against_them() -> None:
    """Own history alone misses it (the shared swings are as large); against the other groups of the
    border it stands out, and the shock says what they predicted and how far short it fell."""
    fall_at = 10 * 12 + 2  # March of the eleventh year, a month the shared factor is high (+13 %)
    found = detect_shocks(peers_panel(fall_at))
    at_a = found.filter((pl.col("scope") == "A") & (pl.col("first_month") == date(2020, 3, 1)))
    assert at_a.height == 1, found
    row = at_a.row(0, named=True)
    assert row["found_by"] == "peers" and row["kind"] == "disruption"
    # A carried 70 % of its usual share of the others' traffic: about 30 % below what they predicted
    assert abs(row["peers_depth_pct"] - 30.0) < 3.0
    assert (
        abs(row["actual_at_trough"] / row["peers_expected_at_trough"] - (1 - row["peers_depth_pct"] / 100))
        < 1e-3
    )
    # without the fall the same panel has no shock from the peers at all
    assert detect_shocks(peers_panel(None)).filter(pl.col("found_by") == "peers").height == 0


def test_a_fall_every_group_shares_is_not_a_local_one() -> None:
    everyone_at = 10 * 12 + 3
    found = detect_shocks(peers_panel(None, everyone_at))
    assert found.filter(pl.col("found_by") == "peers").height == 0
    # each group's own past still sees a 40 % fall: the border-wide event stays found as before
    assert set(found.filter(pl.col("first_month") == date(2020, 4, 1))["scope"]) == set("ABCDE")


def test_a_border_wide_fall_is_the_borders_shock_and_the_groups_are_part_of_it() -> None:
    """With the border's total beside its groups, every group's shock of April 2020 names the border's
    as the one it is part of; a local fall (A alone, a year later) names none."""
    groups = peers_panel(10 * 12 + 14, 10 * 12 + 3)
    total = groups.group_by("border", "measure", "month").agg(pl.col("value").sum())
    border = total.with_columns(scope_type=pl.lit("border"), scope=pl.lit("US-Mexico")).select(groups.columns)
    found = detect_shocks(pl.concat([groups, border]))
    at_border = found.filter(pl.col("scope_type") == "border")
    assert at_border["first_month"].to_list() == [date(2020, 4, 1)]
    april = found.filter((pl.col("scope_type") == "port_group") & (pl.col("first_month") == date(2020, 4, 1)))
    assert sorted(april["scope"]) == list("ABCDE")
    assert set(april["border_shock_month"]) == {date(2020, 4, 1)}
    local = found.filter((pl.col("scope") == "A") & (pl.col("first_month") == date(2021, 3, 1)))
    assert local.height == 1 and local["border_shock_month"].to_list() == [None]
    # without the border's total there is nothing to be part of
    assert detect_shocks(groups)["border_shock_month"].null_count() == detect_shocks(groups).height


def test_the_expectations_of_a_whole_series_equal_the_month_by_month_ones() -> None:
    """`_expectations` (numpy, every month at once) must give exactly what `_expected` gives month by
    month, gaps, short series and even counts of changes (a mean of the middle two) included."""
    import random

    from transforms.shocks import _expectations, _expected

    rng = random.Random(7)
    for length in (5, 13, 20, 30, 47, 120):
        for gaps in (0.0, 0.1, 0.4):
            x = [None if rng.random() < gaps else rng.gauss(8.0, 1.0) for _ in range(length)]
            assert _expectations(x) == [_expected(x, t) for t in range(length)], (length, gaps)
    flat = [1.0, 2.0] * 30  # ties everywhere
    assert _expectations(flat) == [_expected(flat, t) for t in range(len(flat))]
    assert sum(e is not None for e in _expectations(flat)) > 20
