-- Coverage of the sources reported cell by cell: which port x measure x month counts of the crossings
-- a port normally reports are missing (a gap is never a zero or a drop), and on which days the
-- wait-time history holds readings. TransBorder's coverage, table x month, is marts.coverage.
CREATE TABLE marts.crossings_gaps AS
WITH cells AS (
    SELECT port_code, measure, month, value FROM core.fact_crossings
),
series AS (
    SELECT port_code, measure, min(month) AS first_month FROM cells GROUP BY ALL
),
published AS (  -- the months the publisher's file holds at all (a month missing everywhere is not a port's gap)
    SELECT DISTINCT month FROM cells
),
grid AS (  -- every published month after a series' first
    SELECT s.port_code, s.measure, m.month
    FROM series s JOIN published m ON m.month > s.first_month
),
counted AS (
    SELECT g.port_code, g.measure, g.month, c.value,
           count(c.value) OVER w AS months_reported,
           last_value(c.value IGNORE NULLS) OVER w AS last_value
    FROM grid g LEFT JOIN cells c USING (port_code, measure, month)
    WINDOW w AS (PARTITION BY g.port_code, g.measure ORDER BY g.month
                 RANGE BETWEEN INTERVAL 12 MONTH PRECEDING AND INTERVAL 1 MONTH PRECEDING)
)
SELECT c.port_code, p.port_name, p.border, c.measure, c.month, c.months_reported AS months_reported_before,
       c.last_value AS last_value_before, y.value AS value_year_before
FROM counted c
JOIN core.dim_port p USING (port_code)
LEFT JOIN cells y ON y.port_code = c.port_code AND y.measure = c.measure AND y.month = c.month - INTERVAL 12 MONTH
WHERE c.value IS NULL AND c.months_reported >= 10
ORDER BY c.port_code, c.measure, c.month;

CREATE TABLE marts.wait_times_days AS
WITH days AS (
    SELECT w.port_number, w.vehicle_type, w.observed_local::DATE AS day, count(*) AS readings
    FROM core.fact_wait_times w
    WHERE w.lane_type = 'standard'
    GROUP BY ALL
),
spans AS (
    SELECT port_number, vehicle_type, min(day) AS first_day, max(day) AS last_day FROM days GROUP BY ALL
)
SELECT s.port_number, c.crossing, c.port_code, c.border, s.vehicle_type, g.day::DATE AS day,
       coalesce(d.readings, 0) AS readings, d.readings IS NOT NULL AS collected
FROM spans s
CROSS JOIN LATERAL generate_series(s.first_day::TIMESTAMP, s.last_day::TIMESTAMP, INTERVAL 1 DAY) AS g(day)
LEFT JOIN days d ON d.port_number = s.port_number AND d.vehicle_type = s.vehicle_type AND d.day = g.day::DATE
LEFT JOIN core.dim_wait_crossing c ON c.port_number = s.port_number
ORDER BY s.port_number, s.vehicle_type, day;

COMMENT ON TABLE marts.crossings_gaps IS 'Crossings counts a port normally reports that are missing: a port x measure x month with no row although the port reported that measure in at least 10 of the 12 months before. A gap is not a zero or a fall: the brief compares like for like without it and the recovery heatmap leaves the cell blank';
COMMENT ON COLUMN marts.crossings_gaps.port_code IS 'CBP port code, joins core.dim_port';
COMMENT ON COLUMN marts.crossings_gaps.port_name IS 'Port name';
COMMENT ON COLUMN marts.crossings_gaps.border IS 'US-Mexico or US-Canada';
COMMENT ON COLUMN marts.crossings_gaps.measure IS 'The measure not reported, joins core.dim_measure';
COMMENT ON COLUMN marts.crossings_gaps.month IS 'First day of the month without the count';
COMMENT ON COLUMN marts.crossings_gaps.months_reported_before IS 'Of the 12 months before, how many have the count (10 to 12: a port that normally reports it)';
COMMENT ON COLUMN marts.crossings_gaps.last_value_before IS 'The latest count reported before the gap';
COMMENT ON COLUMN marts.crossings_gaps.value_year_before IS 'The count in the same month a year before (NULL when that month has none either)';

COMMENT ON TABLE marts.wait_times_days IS 'Coverage of the collected wait-time history: per wait-time port, vehicle type and day between its first and last reading (standard lanes), how many readings it holds; a day with none is a gap in collection, not a day without waiting';
COMMENT ON COLUMN marts.wait_times_days.port_number IS 'CBP wait-time port number, joins core.dim_wait_crossing';
COMMENT ON COLUMN marts.wait_times_days.crossing IS 'Port and crossing label';
COMMENT ON COLUMN marts.wait_times_days.port_code IS 'BTS port code the crossing reports under';
COMMENT ON COLUMN marts.wait_times_days.border IS 'US-Mexico or US-Canada';
COMMENT ON COLUMN marts.wait_times_days.vehicle_type IS 'commercial, passenger or pedestrian';
COMMENT ON COLUMN marts.wait_times_days.day IS 'Local day of the crossing';
COMMENT ON COLUMN marts.wait_times_days.readings IS 'Standard-lane readings held for the day (0: none collected)';
COMMENT ON COLUMN marts.wait_times_days.collected IS 'Whether any reading was collected that day';
