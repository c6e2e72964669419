"""Where the traffic went: for each port-group shock, what the neighbouring port groups of the same
border carried in its trough month against what the shock method expected of them. A disruption at
Pharr that sends trucks to Laredo shows as Laredo above its expectation in the same month."""

from __future__ import annotations

import duckdb
import polars as pl

from warehouse.db import run

DIVERSION_KM = 250  # port groups of the same border this close (between their ports' centres) are neighbours

# Port-group pairs of the same border within DIVERSION_KM, by great-circle distance between the mean
# coordinates of their ports (core.dim_port, as BTS publishes them).
NEIGHBOURS_SQL = f"""
WITH places AS (
    SELECT g.port_group, any_value(g.port_group_name) AS name, any_value(g.border) AS border,
           avg(p.latitude) AS lat, avg(p.longitude) AS lon
    FROM core.dim_port_group g JOIN core.dim_port p USING (port_code)
    WHERE p.latitude IS NOT NULL AND p.longitude IS NOT NULL AND g.border IS NOT NULL
    GROUP BY g.port_group
), pairs AS (
    SELECT a.port_group, b.port_group AS neighbour, b.name AS neighbour_name,
           2 * 6371 * asin(sqrt(
               pow(sin(radians(b.lat - a.lat) / 2), 2)
               + cos(radians(a.lat)) * cos(radians(b.lat)) * pow(sin(radians(b.lon - a.lon) / 2), 2)
           )) AS distance_km
    FROM places a JOIN places b ON a.border = b.border AND a.port_group <> b.port_group
)
SELECT port_group, neighbour, neighbour_name, round(distance_km, 1) AS distance_km
FROM pairs WHERE distance_km <= {DIVERSION_KM}
"""

FILL_SQL = f"""
INSERT INTO marts.shock_neighbours BY NAME
SELECT s.scope, s.scope_name, s.border, s.measure, s.first_month, s.trough_month,
       n.neighbour, n.neighbour_name, n.distance_km, e.expected, m.value::DOUBLE AS actual,
       round(m.value - e.expected, 1) AS excess,
       round(100 * (m.value - e.expected) / nullif(e.expected, 0), 2) AS excess_pct
FROM marts.shocks s
JOIN ({NEIGHBOURS_SQL}) n ON n.port_group = s.scope
JOIN _expected e
  ON e.scope_type = 'port_group' AND e.scope = n.neighbour AND e.measure = s.measure
 AND e.month = s.trough_month
JOIN marts.port_group_month m
  ON m.port_group = n.neighbour AND m.measure = s.measure AND m.month = s.trough_month
WHERE s.scope_type = 'port_group'
ORDER BY s.scope, s.measure, s.first_month, n.distance_km
"""

_SUMMARY_SQL = """
UPDATE marts.shocks s
SET neighbour_excess = d.excess,
    diverted_pct = round(100 * d.excess / nullif(s.expected_at_trough - s.actual_at_trough, 0), 1)
FROM (SELECT scope, measure, first_month, sum(excess::DECIMAL(18, 1))::DOUBLE AS excess  -- exact: a sum
      -- of doubles depends on the order DuckDB's threads add them, and a rebuild must give the same value
      FROM marts.shock_neighbours GROUP BY ALL) d
WHERE s.scope_type = 'port_group' AND s.scope = d.scope AND s.measure = d.measure
  AND s.first_month = d.first_month
"""


def fill(con: duckdb.DuckDBPyConnection, expected: pl.DataFrame) -> None:
    """marts.shock_neighbours, and the neighbours' total on marts.shocks, from the shocks already in
    marts.shocks and `expected` (the shock method's expectation of every month, transforms/shocks.py)."""
    con.register("_expected", expected.to_arrow())
    try:
        run(con, FILL_SQL)
    finally:
        con.unregister("_expected")
    run(con, _SUMMARY_SQL)
