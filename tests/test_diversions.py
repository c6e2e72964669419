"""Where the traffic went: a disruption at one port group and the neighbours' side of it, on a
hand-made warehouse (real DuckDB, the real shock method and SQL)."""

from __future__ import annotations

import math
from datetime import date

from dashboards.charts import nearby_text
from warehouse.db import rows, run
from warehouse.dictionary import empty_warehouse
from warehouse.indicators import compute

# three US-Mexico port groups: Hidalgo and Laredo about 200 km apart, Nogales far to the west
PLACES = [
    ("2305", "Hidalgo", 26.095, -98.271),
    ("2304", "Laredo", 27.5, -99.507),
    ("2604", "Nogales", 31.33, -110.94),
]
LEVEL = {"2305": 50_000, "2304": 200_000, "2604": 30_000}
SEASON = [0.9, 0.92, 1.0, 1.02, 1.05, 1.04, 0.98, 1.0, 1.0, 1.05, 1.0, 0.94]
MONTHS = [date(2013 + t // 12, t % 12 + 1, 1) for t in range(12 * 11)]  # 2013-2023
APRIL_2022 = MONTHS.index(date(2022, 4, 1))


def value(group: str, t: int) -> float:
    """A steady seasonal series growing 1 % a year; in April 2022 Hidalgo loses 20,000 trucks and
    Laredo carries 12,000 more."""
    v = LEVEL[group] * SEASON[t % 12] * 1.01 ** (t / 12) * (1 + 0.004 * math.sin(1.3 * t))
    if t == APRIL_2022:
        v += {"2305": -20_000, "2304": 12_000}.get(group, 0)
    return round(v)


def test_a_disruption_shows_where_its_traffic_went() -> None:
    con = empty_warehouse()
    try:
        run(con, "DELETE FROM marts.indicator_catalog")
        for code, name, lat, lon in PLACES:
            run(
                con,
                "INSERT INTO core.dim_port (port_code, port_name, state, border, latitude, longitude, "
                "is_land_port) VALUES (?, ?, 'X', 'US-Mexico', ?, ?, true)",
                [code, name, lat, lon],
            )
            run(
                con,
                "INSERT INTO core.dim_port_group VALUES (?, ?, ?, 'US-Mexico', 'one port')",
                [code, code, name],
            )
            for t, month in enumerate(MONTHS):
                run(
                    con,
                    "INSERT INTO marts.port_group_month (port_group, port_group_name, border, month, "
                    "measure, value) VALUES (?, ?, 'US-Mexico', ?, 'trucks', ?)",
                    [code, name, month, value(code, t)],
                )
        compute(con)
        shocks = rows(
            con,
            """SELECT scope, first_month, kind, concurrent_shocks, neighbour_excess, diverted_pct,
                      expected_at_trough - actual_at_trough FROM marts.shocks""",
        )
        assert len(shocks) == 1  # Laredo's gain is no shock, Nogales never moved
        scope, first, kind, concurrent, excess, diverted, lost = shocks[0]
        assert (scope, first, kind, concurrent) == ("2305", date(2022, 4, 1), "disruption", 0)
        assert abs(lost - 20_000) < 600
        neighbours = rows(
            con,
            """SELECT neighbour, neighbour_name, distance_km, expected, actual, excess, excess_pct
               FROM marts.shock_neighbours""",
        )
        # Nogales, 1,300 km away, is not a neighbour; Laredo is, and carried ~12,000 above expected
        assert [n[:2] for n in neighbours] == [("2304", "Laredo")]
        _, _, km, expected, actual, gain, gain_pct = neighbours[0]
        assert 190 < km < 205
        assert actual == value("2304", APRIL_2022) and abs(gain - 12_000) < 1_500
        assert gain == round(actual - expected, 1) and abs(gain_pct - 100 * gain / expected) < 0.01
        assert excess == gain and abs(diverted - 60) < 8  # 12,000 of 20,000 taken up nearby
        # the border_trucks tooltip of Hidalgo's shock, in both languages
        shock = {"code": "2305", "first_month": date(2022, 4, 1)}
        whole, pct = f"{round(gain):,}", f"{gain_pct:+.0f}"
        assert nearby_text(con, shock, "en") == f"Laredo +{whole} ({pct} %)"
        assert nearby_text(con, shock, "es") == f"Laredo +{whole} ({pct} %)"  # Mexico writes 12,006 too
    finally:
        con.close()
