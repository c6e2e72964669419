-- Crossings marts: port and border level, month by month, with the comparisons analysts ask first.
-- One series per port and per border; the comparisons are computed once for both grains.
CREATE TEMP TABLE crossing_series AS
SELECT [grain, scope, measure] AS series_key, * FROM (
    SELECT 'port' AS grain, port_code AS scope, month, measure, value, 1 AS ports_reporting
    FROM core.fact_crossings
    UNION ALL
    SELECT 'border', p.border, c.month, c.measure, sum(c.value)::BIGINT, count(*)
    FROM core.fact_crossings c JOIN core.dim_port p USING (port_code)
    GROUP BY ALL
    UNION ALL
    SELECT 'port_group', g.port_group, c.month, c.measure, sum(c.value)::BIGINT, count(*)
    FROM core.fact_crossings c JOIN core.dim_port_group g USING (port_code)
    GROUP BY ALL
);

CREATE TEMP TABLE crossing_compared AS
SELECT * RENAME (value_base AS value_2019, index_base AS index_2019)
FROM month_comparisons('crossing_series', 2019);

CREATE TABLE marts.port_month AS
SELECT c.scope AS port_code, p.port_name, p.state, p.border, c.month, c.measure, c.value,
       c.value_prev_year, c.yoy_change, c.yoy_pct, c.t12m_total, c.t12m_months,
       c.value_2019, c.index_2019
FROM crossing_compared c JOIN core.dim_port p ON p.port_code = c.scope
WHERE c.grain = 'port'
ORDER BY port_code, measure, month;

CREATE TABLE marts.border_month AS
SELECT scope AS border, month, measure, value, ports_reporting,
       value_prev_year, yoy_change, yoy_pct, t12m_total, t12m_months, value_2019, index_2019
FROM crossing_compared
WHERE grain = 'border'
ORDER BY border, measure, month;

CREATE TABLE marts.port_group_month AS
SELECT c.scope AS port_group, g.port_group_name, g.port_group_label, g.border, c.month, c.measure, c.value,
       c.ports_reporting, c.value_prev_year, c.yoy_change, c.yoy_pct, c.t12m_total, c.t12m_months,
       c.value_2019, c.index_2019
FROM crossing_compared c
JOIN (SELECT DISTINCT port_group, port_group_name, port_group_label, border FROM marts.port) g
    ON g.port_group = c.scope
WHERE c.grain = 'port_group'
ORDER BY port_group, measure, month;

DROP TABLE crossing_compared;
DROP TABLE crossing_series;

COMMENT ON TABLE marts.port_month IS 'Crossings per port, month and measure with year-over-year change, trailing 12-month total and the 2019 recovery index';
COMMENT ON COLUMN marts.port_month.port_code IS 'CBP port code, joins core.dim_port';
COMMENT ON COLUMN marts.port_month.port_name IS 'Port name (latest published)';
COMMENT ON COLUMN marts.port_month.state IS 'US state of the port';
COMMENT ON COLUMN marts.port_month.border IS 'US-Mexico or US-Canada';
COMMENT ON COLUMN marts.port_month.month IS 'First day of the month';
COMMENT ON COLUMN marts.port_month.measure IS 'What is counted, joins core.dim_measure';
COMMENT ON COLUMN marts.port_month.value IS 'Inbound crossings in the month';
COMMENT ON COLUMN marts.port_month.value_prev_year IS 'Value in the same month a year earlier (NULL when that month has no row)';
COMMENT ON COLUMN marts.port_month.yoy_change IS 'value - value_prev_year';
COMMENT ON COLUMN marts.port_month.yoy_pct IS 'Year-over-year change in percent (NULL when the earlier value is missing or 0)';
COMMENT ON COLUMN marts.port_month.t12m_total IS 'Trailing 12-month total: sum of value over this month and the 11 before it';
COMMENT ON COLUMN marts.port_month.t12m_months IS 'How many of those 12 months have a row (below 12 means the total covers fewer months)';
COMMENT ON COLUMN marts.port_month.value_2019 IS 'Value in the same calendar month of 2019, the pre-pandemic baseline';
COMMENT ON COLUMN marts.port_month.index_2019 IS 'Recovery index: value / value_2019 x 100 (100 = same as 2019; NULL when 2019 is missing or 0)';
COMMENT ON TABLE marts.border_month IS 'Crossings summed over all ports of a border per month and measure, with year-over-year change, trailing 12-month total and the 2019 recovery index';
COMMENT ON COLUMN marts.border_month.border IS 'US-Mexico or US-Canada';
COMMENT ON COLUMN marts.border_month.month IS 'First day of the month';
COMMENT ON COLUMN marts.border_month.measure IS 'What is counted, joins core.dim_measure';
COMMENT ON COLUMN marts.border_month.value IS 'Inbound crossings in the month, summed over the border''s ports';
COMMENT ON COLUMN marts.border_month.value_prev_year IS 'Value in the same month a year earlier (NULL when that month has no row)';
COMMENT ON COLUMN marts.border_month.yoy_change IS 'value - value_prev_year';
COMMENT ON COLUMN marts.border_month.yoy_pct IS 'Year-over-year change in percent (NULL when the earlier value is missing or 0)';
COMMENT ON COLUMN marts.border_month.t12m_total IS 'Trailing 12-month total: sum of value over this month and the 11 before it';
COMMENT ON COLUMN marts.border_month.t12m_months IS 'How many of those 12 months have a row (below 12 means the total covers fewer months)';
COMMENT ON COLUMN marts.border_month.value_2019 IS 'Value in the same calendar month of 2019, the pre-pandemic baseline';
COMMENT ON COLUMN marts.border_month.index_2019 IS 'Recovery index: value / value_2019 x 100 (100 = same as 2019; NULL when 2019 is missing or 0)';
COMMENT ON COLUMN marts.border_month.ports_reporting IS 'How many ports reported a row for this border, month and measure';
COMMENT ON TABLE marts.port_group_month IS 'Crossings per port group (core.dim_port_group), month and measure: continuous long series where ports were split or merged (El Paso + Ysleta), with year-over-year change, trailing 12-month total and the 2019 recovery index';
COMMENT ON COLUMN marts.port_group_month.port_group IS 'Port group, joins core.dim_port_group (a port code for a group of one)';
COMMENT ON COLUMN marts.port_group_month.port_group_name IS 'Group name';
COMMENT ON COLUMN marts.port_group_month.port_group_label IS 'Group label as charts show it, see marts.port';
COMMENT ON COLUMN marts.port_group_month.border IS 'US-Mexico or US-Canada';
COMMENT ON COLUMN marts.port_group_month.month IS 'First day of the month';
COMMENT ON COLUMN marts.port_group_month.measure IS 'What is counted, joins core.dim_measure';
COMMENT ON COLUMN marts.port_group_month.value IS 'Inbound crossings in the month, summed over the group''s ports';
COMMENT ON COLUMN marts.port_group_month.ports_reporting IS 'How many of the group''s ports reported a row';
COMMENT ON COLUMN marts.port_group_month.value_prev_year IS 'Value in the same month a year earlier (NULL when that month has no row)';
COMMENT ON COLUMN marts.port_group_month.yoy_change IS 'value - value_prev_year';
COMMENT ON COLUMN marts.port_group_month.yoy_pct IS 'Year-over-year change in percent (NULL when the earlier value is missing or 0)';
COMMENT ON COLUMN marts.port_group_month.t12m_total IS 'Trailing 12-month total: sum of value over this month and the 11 before it';
COMMENT ON COLUMN marts.port_group_month.t12m_months IS 'How many of those 12 months have a row';
COMMENT ON COLUMN marts.port_group_month.value_2019 IS 'Value in the same calendar month of 2019';
COMMENT ON COLUMN marts.port_group_month.index_2019 IS 'Recovery index: value / value_2019 x 100 (NULL when 2019 is missing or 0)';

