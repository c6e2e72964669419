-- Wait-time marts: CBP's reported waits by crossing, lane and hour of day, by month next to the
-- month's inbound crossings, and the truck idle-time estimate. Empty when no wait times were collected.
CREATE TABLE marts.wait_times_port_hour AS
SELECT *,  -- readings where the crossing has any for the vehicle type and lane, else historical averages
       basis = 'readings'
       OR NOT bool_or(basis = 'readings') OVER (PARTITION BY port_number, vehicle_type, lane_type) AS preferred
FROM (
    SELECT w.port_number, coalesce(c.crossing, any_value(w.crossing)) AS crossing, c.port_code,
           coalesce(c.border, any_value(w.border)) AS border, w.vehicle_type, w.lane_type,
           hour(w.observed_local) AS hour_of_day, 'readings' AS basis,
           count(*) AS observations,
           median(w.delay_minutes)::DOUBLE AS median_wait_minutes,
           round(quantile_cont(w.delay_minutes, 0.9), 1) AS p90_wait_minutes,
           round(avg(w.delay_minutes), 1) AS mean_wait_minutes,
           min(w.observed_local)::DATE AS first_day, max(w.observed_local)::DATE AS last_day
    FROM core.fact_wait_times w LEFT JOIN core.dim_wait_crossing c USING (port_number)
    GROUP BY w.port_number, c.crossing, c.port_code, c.border, w.vehicle_type, w.lane_type, hour(w.observed_local)
    UNION ALL
    SELECT p.port_number, c.crossing, c.port_code, c.border, p.vehicle_type, p.lane_type, p.hour_of_day,
           'historical_average', count(*), median(p.avg_wait_minutes)::DOUBLE,
           round(quantile_cont(p.avg_wait_minutes, 0.9), 1), round(avg(p.avg_wait_minutes), 1), NULL, NULL
    FROM core.fact_wait_time_profile p JOIN core.dim_wait_crossing c USING (port_number)
    GROUP BY ALL
)
ORDER BY ALL;
COMMENT ON TABLE marts.wait_times_port_hour IS 'Wait by crossing, lane and hour of day: from collected readings (basis readings) and from CBP historical averages loaded by backfill (basis historical_average, kept apart: an average of averages is not a reading)';
COMMENT ON COLUMN marts.wait_times_port_hour.port_number IS 'CBP wait-time port number, joins core.dim_wait_crossing';
COMMENT ON COLUMN marts.wait_times_port_hour.crossing IS 'Port and crossing label';
COMMENT ON COLUMN marts.wait_times_port_hour.port_code IS 'BTS port code the crossing reports under (NULL when none maps)';
COMMENT ON COLUMN marts.wait_times_port_hour.border IS 'US-Mexico or US-Canada';
COMMENT ON COLUMN marts.wait_times_port_hour.vehicle_type IS 'commercial, passenger or pedestrian';
COMMENT ON COLUMN marts.wait_times_port_hour.lane_type IS 'standard, fast, sentri or ready';
COMMENT ON COLUMN marts.wait_times_port_hour.hour_of_day IS 'Hour 0-23 on the crossing''s local clock';
COMMENT ON COLUMN marts.wait_times_port_hour.basis IS 'readings (core.fact_wait_times) or historical_average (core.fact_wait_time_profile, month x weekday averages)';
COMMENT ON COLUMN marts.wait_times_port_hour.observations IS 'Readings in the hour (basis readings) or month x weekday averages (historical_average)';
COMMENT ON COLUMN marts.wait_times_port_hour.median_wait_minutes IS 'Median wait, minutes';
COMMENT ON COLUMN marts.wait_times_port_hour.p90_wait_minutes IS '90th percentile wait, minutes (interpolated)';
COMMENT ON COLUMN marts.wait_times_port_hour.mean_wait_minutes IS 'Mean wait, minutes';
COMMENT ON COLUMN marts.wait_times_port_hour.first_day IS 'First local day with a reading (NULL for historical averages)';
COMMENT ON COLUMN marts.wait_times_port_hour.last_day IS 'Last local day with a reading (NULL for historical averages)';
COMMENT ON COLUMN marts.wait_times_port_hour.preferred IS 'True for the basis to show: readings where the crossing has any for this vehicle type and lane, historical averages only where it has none (the two are never mixed in one series)';

CREATE TABLE marts.wait_times_port_month AS
WITH waits AS (
    SELECT w.port_number, coalesce(c.crossing, any_value(w.crossing)) AS crossing, c.port_code,
           coalesce(c.border, any_value(w.border)) AS border, w.vehicle_type, w.lane_type,
           date_trunc('month', w.observed_local)::DATE AS month,
           count(*) AS observations, count(DISTINCT w.observed_local::DATE) AS days_observed,
           median(w.delay_minutes)::DOUBLE AS median_wait_minutes,
           round(quantile_cont(w.delay_minutes, 0.9), 1) AS p90_wait_minutes,
           round(avg(w.delay_minutes), 1) AS mean_wait_minutes, max(w.delay_minutes) AS max_wait_minutes
    FROM core.fact_wait_times w LEFT JOIN core.dim_wait_crossing c USING (port_number)
    GROUP BY w.port_number, c.crossing, c.port_code, c.border, w.vehicle_type, w.lane_type, 7
)
SELECT w.*,
       m.measure AS inbound_measure,
       f.value AS port_inbound
FROM waits w
LEFT JOIN (VALUES ('commercial', 'trucks'), ('passenger', 'personal_vehicles'), ('pedestrian', 'pedestrians'))
    m(vehicle_type, measure) USING (vehicle_type)
LEFT JOIN core.fact_crossings f ON f.port_code = w.port_code AND f.month = w.month AND f.measure = m.measure
ORDER BY ALL;
COMMENT ON TABLE marts.wait_times_port_month IS 'Wait by crossing, lane and month from collected readings, next to the inbound crossings of the BTS port in that month where the port maps and the month is published';
COMMENT ON COLUMN marts.wait_times_port_month.port_number IS 'CBP wait-time port number';
COMMENT ON COLUMN marts.wait_times_port_month.crossing IS 'Port and crossing label';
COMMENT ON COLUMN marts.wait_times_port_month.port_code IS 'BTS port code the crossing reports under, joins core.dim_port and marts.port_month';
COMMENT ON COLUMN marts.wait_times_port_month.border IS 'US-Mexico or US-Canada';
COMMENT ON COLUMN marts.wait_times_port_month.vehicle_type IS 'commercial, passenger or pedestrian';
COMMENT ON COLUMN marts.wait_times_port_month.lane_type IS 'standard, fast, sentri or ready';
COMMENT ON COLUMN marts.wait_times_port_month.month IS 'First day of the month (local time)';
COMMENT ON COLUMN marts.wait_times_port_month.observations IS 'Readings in the month (a collection that ran part of the month has fewer)';
COMMENT ON COLUMN marts.wait_times_port_month.days_observed IS 'Distinct local days with a reading';
COMMENT ON COLUMN marts.wait_times_port_month.median_wait_minutes IS 'Median wait, minutes';
COMMENT ON COLUMN marts.wait_times_port_month.p90_wait_minutes IS '90th percentile wait, minutes (interpolated)';
COMMENT ON COLUMN marts.wait_times_port_month.mean_wait_minutes IS 'Mean wait, minutes';
COMMENT ON COLUMN marts.wait_times_port_month.max_wait_minutes IS 'Longest wait reported, minutes';
COMMENT ON COLUMN marts.wait_times_port_month.inbound_measure IS 'The crossings measure matching the vehicle type: trucks, personal_vehicles or pedestrians';
COMMENT ON COLUMN marts.wait_times_port_month.port_inbound IS 'Inbound crossings of that measure at the whole BTS port (all its crossings) in the month; NULL when not published (yet) or the port does not map';

CREATE TABLE marts.truck_idle AS
WITH waits AS (
    SELECT c.port_code, date_trunc('month', w.observed_local)::DATE AS month,
           string_agg(DISTINCT c.crossing, '; ' ORDER BY c.crossing) AS crossings,
           count(*) AS commercial_observations, count(DISTINCT w.observed_local::DATE) AS days_observed,
           median(w.delay_minutes)::DOUBLE AS median_commercial_wait_minutes
    FROM core.fact_wait_times w JOIN core.dim_wait_crossing c USING (port_number)
    WHERE w.vehicle_type = 'commercial' AND c.port_code IS NOT NULL
    GROUP BY ALL
),
matched AS (
    SELECT w.*, f.month AS trucks_month, f.value AS trucks,
           row_number() OVER (PARTITION BY w.port_code, w.month ORDER BY f.month DESC NULLS LAST) AS pick
    FROM waits w
    LEFT JOIN core.fact_crossings f
      ON f.port_code = w.port_code AND f.measure = 'trucks'
     AND month(f.month) = month(w.month) AND f.month <= w.month
)
SELECT m.port_code, p.port_name, p.border, m.month, m.crossings, m.commercial_observations, m.days_observed,
       m.median_commercial_wait_minutes, m.trucks, m.trucks_month,
       round(m.trucks * m.median_commercial_wait_minutes / 60.0, 1) AS idle_truck_hours,
       e.kg_co2_per_hour AS kg_co2_per_idle_hour,
       round(m.trucks * m.median_commercial_wait_minutes / 60.0 * e.kg_co2_per_hour / 1000.0, 2) AS idle_co2_tonnes,
       TRUE AS is_estimate,
       e.source AS factor_source
FROM matched m
LEFT JOIN core.dim_port p USING (port_code)
LEFT JOIN core.ref_emission_factor e ON e.factor_id = 'truck_idle'
WHERE m.pick = 1
ORDER BY m.port_code, m.month;
COMMENT ON TABLE marts.truck_idle IS 'Estimate: hours trucks spend waiting at the line per BTS port and month (inbound trucks x median commercial wait) and the CO2 of idling through them. An estimate: it assumes every truck waits the median and idles the whole wait';
COMMENT ON COLUMN marts.truck_idle.port_code IS 'BTS port code, joins core.dim_port and marts.port_month';
COMMENT ON COLUMN marts.truck_idle.port_name IS 'Port name';
COMMENT ON COLUMN marts.truck_idle.border IS 'US-Mexico or US-Canada';
COMMENT ON COLUMN marts.truck_idle.month IS 'Month of the wait readings (first day)';
COMMENT ON COLUMN marts.truck_idle.crossings IS 'The port''s crossings whose commercial readings are counted';
COMMENT ON COLUMN marts.truck_idle.commercial_observations IS 'Commercial-lane readings (standard and FAST) in the month';
COMMENT ON COLUMN marts.truck_idle.days_observed IS 'Distinct local days with a commercial reading: a month collected for a few days gives a rough median';
COMMENT ON COLUMN marts.truck_idle.median_commercial_wait_minutes IS 'Median commercial wait over the month''s readings, minutes';
COMMENT ON COLUMN marts.truck_idle.trucks IS 'Inbound trucks at the port (core.fact_crossings) in trucks_month';
COMMENT ON COLUMN marts.truck_idle.trucks_month IS 'Month the truck count is from: the same month when BTS has published it, else the same calendar month of the latest year on hand; NULL when none';
COMMENT ON COLUMN marts.truck_idle.idle_truck_hours IS 'trucks x median_commercial_wait_minutes / 60, truck-hours (estimate)';
COMMENT ON COLUMN marts.truck_idle.kg_co2_per_idle_hour IS 'Emission factor used, kg CO2 per truck-hour of idling (core.ref_emission_factor)';
COMMENT ON COLUMN marts.truck_idle.idle_co2_tonnes IS 'idle_truck_hours x kg_co2_per_idle_hour / 1000, tonnes CO2 (estimate)';
COMMENT ON COLUMN marts.truck_idle.is_estimate IS 'Always true: these are modelled, not measured';
COMMENT ON COLUMN marts.truck_idle.factor_source IS 'Source of the emission factor';

