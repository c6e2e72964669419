-- Crossings marts: port and border level, month by month, with the comparisons analysts ask first.
CREATE TABLE marts.port_month AS
WITH f AS (
    SELECT port_code, month, measure, value FROM core.fact_crossings
)
SELECT
    f.port_code,
    p.port_name,
    p.state,
    p.border,
    f.month,
    f.measure,
    f.value,
    prev.value AS value_prev_year,
    f.value - prev.value AS yoy_change,
    CASE WHEN prev.value > 0 THEN round(100.0 * (f.value - prev.value) / prev.value, 2) END AS yoy_pct,
    (sum(f.value) OVER t12)::BIGINT AS t12m_total,
    count(*) OVER t12 AS t12m_months,
    base.value AS value_2019,
    CASE WHEN base.value > 0 THEN round(100.0 * f.value / base.value, 2) END AS index_2019
FROM f
JOIN core.dim_port p USING (port_code)
LEFT JOIN f AS prev
    ON prev.port_code = f.port_code AND prev.measure = f.measure
   AND prev.month = f.month - INTERVAL 12 MONTH
LEFT JOIN f AS base
    ON base.port_code = f.port_code AND base.measure = f.measure
   AND base.month = make_date(2019, month(f.month), 1)
WINDOW t12 AS (
    PARTITION BY f.port_code, f.measure ORDER BY f.month
    RANGE BETWEEN INTERVAL 11 MONTH PRECEDING AND CURRENT ROW
)
ORDER BY f.port_code, f.measure, f.month;

CREATE TABLE marts.border_month AS
WITH f AS (
    SELECT p.border, c.month, c.measure, sum(c.value)::BIGINT AS value, count(*) AS ports_reporting
    FROM core.fact_crossings c JOIN core.dim_port p USING (port_code)
    GROUP BY ALL
)
SELECT
    f.border,
    f.month,
    f.measure,
    f.value,
    f.ports_reporting,
    prev.value AS value_prev_year,
    f.value - prev.value AS yoy_change,
    CASE WHEN prev.value > 0 THEN round(100.0 * (f.value - prev.value) / prev.value, 2) END AS yoy_pct,
    (sum(f.value) OVER t12)::BIGINT AS t12m_total,
    count(*) OVER t12 AS t12m_months,
    base.value AS value_2019,
    CASE WHEN base.value > 0 THEN round(100.0 * f.value / base.value, 2) END AS index_2019
FROM f
LEFT JOIN f AS prev
    ON prev.border = f.border AND prev.measure = f.measure
   AND prev.month = f.month - INTERVAL 12 MONTH
LEFT JOIN f AS base
    ON base.border = f.border AND base.measure = f.measure
   AND base.month = make_date(2019, month(f.month), 1)
WINDOW t12 AS (
    PARTITION BY f.border, f.measure ORDER BY f.month
    RANGE BETWEEN INTERVAL 11 MONTH PRECEDING AND CURRENT ROW
)
ORDER BY f.border, f.measure, f.month;

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

INSERT INTO marts.data_vintage
SELECT s.source, s.title, s.publisher, min(f.month), max(f.month), current_timestamp
FROM core.dim_source s, core.fact_crossings f
WHERE s.source = 'bts_crossings'
GROUP BY ALL;
