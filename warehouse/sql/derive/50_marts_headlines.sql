-- The headline figures people quote (inbound trucks, people crossing inbound, trade with the partner)
-- for each border and port and month, against the same month a year before three ways: as published;
-- like for like (only the port counts on hand in both months, so a port that did not report is a
-- gap, never a drop); and like for like per working day (trucks, trade) or per day (people), so that
-- a leap day or a holiday on a weekday is not read as a change (marts.calendar_month).
CREATE TEMP TABLE headline_cells AS
SELECT 'trucks' AS figure, c.port_code, p.border, c.month, c.measure AS cell, c.value
FROM core.fact_crossings c JOIN core.dim_port p USING (port_code)
WHERE c.measure = 'trucks' AND p.border IN ('US-Mexico', 'US-Canada')
UNION ALL
SELECT 'people', c.port_code, p.border, c.month, c.measure, c.value
FROM core.fact_crossings c JOIN core.dim_port p USING (port_code)
WHERE c.measure IN ('pedestrians', 'personal_vehicle_passengers', 'bus_passengers', 'train_passengers')
  AND p.border IN ('US-Mexico', 'US-Canada');

-- Crossings are compared port count by port count (a port that did not report is a gap). Trade is
-- published as whole tables: a port or mode without a row traded nothing that month, so its unit of
-- comparison is the border's (or the port's) month, present when the table has it.
CREATE TEMP TABLE headline_scoped AS  -- by month
SELECT 'border' AS scope_type, border AS scope, * FROM headline_cells
UNION ALL
SELECT 'port', h.port_code, h.* FROM headline_cells h
UNION ALL
SELECT 'border', CASE country WHEN 'mexico' THEN 'US-Mexico' ELSE 'US-Canada' END, 'trade', NULL,
       CASE country WHEN 'mexico' THEN 'US-Mexico' ELSE 'US-Canada' END, month, 'trade', sum(value_usd)::BIGINT
FROM core.fact_trade_port GROUP BY ALL
UNION ALL
SELECT 'port', t.port_code, 'trade', t.port_code, p.border, t.month, 'trade', sum(t.value_usd)::BIGINT
FROM core.fact_trade_port t JOIN core.dim_port p USING (port_code)
WHERE p.border = CASE t.country WHEN 'mexico' THEN 'US-Mexico' ELSE 'US-Canada' END
GROUP BY ALL;

CREATE TEMP TABLE headline_pairs AS  -- by month, 12 months back
SELECT coalesce(n.scope_type, b.scope_type) AS scope_type, coalesce(n.scope, b.scope) AS scope,
       coalesce(n.border, b.border) AS border, coalesce(n.figure, b.figure) AS figure,
       coalesce(n.month, (b.month + INTERVAL 12 MONTH)::DATE) AS month,
       coalesce(n.port_code, b.port_code) AS port_code, coalesce(n.cell, b.cell) AS cell,
       n.value AS value, b.value AS value_before
FROM headline_scoped n
FULL JOIN headline_scoped b
    ON b.scope_type = n.scope_type AND b.scope = n.scope AND b.figure = n.figure
   AND b.port_code IS NOT DISTINCT FROM n.port_code AND b.cell = n.cell
   AND b.month = n.month - INTERVAL 12 MONTH;

-- Changes in percent kept unrounded: the brief rounds once, to one decimal, for the reader.
CREATE TEMP MACRO exact_change(value, earlier) AS CASE WHEN earlier > 0 THEN 100.0 * (value / earlier - 1) END;

CREATE TABLE marts.headline_month AS  -- by month, 12 months back, base year 2019
WITH totals AS (
    SELECT h.scope_type, h.scope, h.border, h.figure, h.month,
           sum(value)::BIGINT AS value,
           sum(value_before)::BIGINT AS value_prev_year,
           count(value) AS cells,
           count(value_before) AS cells_prev_year,
           sum(value) FILTER (WHERE value_before IS NOT NULL)::BIGINT AS like_value,
           sum(value_before) FILTER (WHERE value IS NOT NULL)::BIGINT AS like_value_prev_year,
           coalesce(list({'port_code': h.port_code, 'port_name': p.port_name, 'cell': cell,
                          'value_prev_year': value_before} ORDER BY value_before DESC, h.port_code, cell)
                        FILTER (WHERE value IS NULL), []) AS missing_now,
           coalesce(list({'port_code': h.port_code, 'port_name': p.port_name, 'cell': cell, 'value': value}
                         ORDER BY value DESC, h.port_code, cell)
                        FILTER (WHERE value_before IS NULL), []) AS missing_prev_year
    FROM headline_pairs h LEFT JOIN core.dim_port p USING (port_code)
    GROUP BY ALL
    HAVING count(value) > 0
),
base AS (
    SELECT scope_type, scope, figure, month, sum(value)::BIGINT AS value
    FROM headline_scoped WHERE year(month) = 2019 GROUP BY ALL
),
calendar AS (  -- the days each figure is counted over: working days for business traffic, days for people
    SELECT border, month, 'working_days' AS basis, working_days AS n FROM marts.calendar_month
    UNION ALL SELECT border, month, 'days', days FROM marts.calendar_month
),
based AS (
    SELECT *, CASE figure WHEN 'people' THEN 'days' ELSE 'working_days' END AS basis FROM totals
)
SELECT t.scope_type, t.scope, t.border, t.figure, t.month,
       t.value, t.value_prev_year, exact_change(t.value, t.value_prev_year) AS change_pct,
       t.cells, t.cells_prev_year, t.like_value, t.like_value_prev_year,
       exact_change(t.like_value, t.like_value_prev_year) AS like_change_pct,
       t.missing_now, t.missing_prev_year,
       t.basis AS calendar_basis, c.n AS calendar_days, cp.n AS calendar_days_prev_year,
       exact_change(t.like_value / c.n, t.like_value_prev_year / cp.n) AS adjusted_change_pct,
       b.value AS value_2019, exact_change(t.value, b.value) AS change_vs_2019_pct
FROM based t
LEFT JOIN calendar c ON c.border = t.border AND c.month = t.month AND c.basis = t.basis
LEFT JOIN calendar cp ON cp.border = t.border AND cp.month = t.month - INTERVAL 12 MONTH AND cp.basis = t.basis
LEFT JOIN base b ON b.scope_type = t.scope_type AND b.scope = t.scope AND b.figure = t.figure
                AND b.month = make_date(2019, month(t.month), 1)
ORDER BY t.scope_type, t.scope, t.figure, t.month;

DROP TABLE headline_pairs;
DROP TABLE headline_scoped;
DROP TABLE headline_cells;

COMMENT ON TABLE marts.headline_month IS 'The headline figures of the brief (inbound trucks, people crossing inbound, trade with the partner in all modes) per border and port and month against the same month a year before: as published, like for like (only the port counts on hand in both months: a port that did not report is a gap, never a drop) and like for like per working day (trucks, trade) or per day (people) from marts.calendar_month';
COMMENT ON COLUMN marts.headline_month.scope_type IS 'border or port';
COMMENT ON COLUMN marts.headline_month.scope IS 'US-Mexico, US-Canada, or a port code';
COMMENT ON COLUMN marts.headline_month.border IS 'US-Mexico or US-Canada';
COMMENT ON COLUMN marts.headline_month.figure IS 'trucks (inbound truck crossings), people (pedestrians and personal-vehicle, bus and train passengers entering the US) or trade (US exports plus imports with the partner, US dollars, every mode: truck, rail, pipeline, vessel, air, mail, FTZ, other; TransBorder dot1)';
COMMENT ON COLUMN marts.headline_month.month IS 'First day of the month';
COMMENT ON COLUMN marts.headline_month.value IS 'The figure as published: the sum of every port count (trade: port x mode x direction) on hand for the month';
COMMENT ON COLUMN marts.headline_month.value_prev_year IS 'The same in the same month a year before; NULL when that month has no data';
COMMENT ON COLUMN marts.headline_month.change_pct IS 'value against value_prev_year in percent, as published: a port missing in one of the two months counts as a fall or a rise';
COMMENT ON COLUMN marts.headline_month.cells IS 'Port counts summed in value (crossings: port x measure; trade: port x mode x direction)';
COMMENT ON COLUMN marts.headline_month.cells_prev_year IS 'Port counts summed in value_prev_year';
COMMENT ON COLUMN marts.headline_month.like_value IS 'value over the port counts on hand in both months';
COMMENT ON COLUMN marts.headline_month.like_value_prev_year IS 'value_prev_year over the port counts on hand in both months';
COMMENT ON COLUMN marts.headline_month.like_change_pct IS 'Like-for-like change in percent: like_value against like_value_prev_year';
COMMENT ON COLUMN marts.headline_month.missing_now IS 'Port counts on hand a year before but not this month (gaps: a port that did not report), largest first, with their value a year before';
COMMENT ON COLUMN marts.headline_month.missing_prev_year IS 'Port counts on hand this month but not a year before, largest first';
COMMENT ON COLUMN marts.headline_month.calendar_basis IS 'working_days (trucks, trade: business traffic) or days (people cross every day of the week)';
COMMENT ON COLUMN marts.headline_month.calendar_days IS 'Working days or days of the month (marts.calendar_month)';
COMMENT ON COLUMN marts.headline_month.calendar_days_prev_year IS 'The same a year before';
COMMENT ON COLUMN marts.headline_month.adjusted_change_pct IS 'Like-for-like change per working day (trucks, trade) or per day (people), in percent: the change net of the calendar, on which the brief judges the HLED direction';
COMMENT ON COLUMN marts.headline_month.value_2019 IS 'The figure in the same calendar month of 2019, as published';
COMMENT ON COLUMN marts.headline_month.change_vs_2019_pct IS 'value against value_2019 in percent';
