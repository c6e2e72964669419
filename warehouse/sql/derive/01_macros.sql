-- Macros the marts share, so each comparison is written once. TEMP: they live only as long as the
-- build's connection and are not left in the published file.

-- Change from `earlier` to `value` in percent; NULL when there is no earlier value or it is 0.
CREATE TEMP MACRO pct_change(value, earlier) AS
    CASE WHEN earlier > 0 THEN round(100.0 * (value - earlier) / earlier, 2) END;

-- `value` as an index of `base` (base = 100); NULL when there is no base or it is 0.
CREATE TEMP MACRO index_to(value, base) AS
    CASE WHEN base > 0 THEN round(100.0 * value / base, 2) END;

-- Year-over-year, trailing 12-month and base-year comparisons for every row of a monthly series.
-- `series` names a table with the columns series_key (VARCHAR[]: what tells one series from another,
-- e.g. [grain, scope, measure]), month (first day) and value; every other column is carried along.
-- Adds value_prev_year (the same month a year earlier), yoy_change, yoy_pct, t12m_total (this month
-- and the 11 before it), t12m_months (how many of those 12 have a row), value_base (the same calendar
-- month of `base_year`) and index_base. A key with a NULL part matches no other row, as a join on
-- the key's columns would not.
CREATE TEMP MACRO month_comparisons(series, base_year) AS TABLE
SELECT s.*,
       prev.value AS value_prev_year,
       s.value - prev.value AS yoy_change,
       pct_change(s.value, prev.value) AS yoy_pct,
       (sum(s.value) OVER t12)::BIGINT AS t12m_total,
       count(*) OVER t12 AS t12m_months,
       base.value AS value_base,
       index_to(s.value, base.value) AS index_base
FROM query_table(series) s
LEFT JOIN query_table(series) prev
    ON prev.series_key = s.series_key AND list_count(s.series_key) = len(s.series_key)
   AND prev.month = s.month - INTERVAL 12 MONTH
LEFT JOIN query_table(series) base
    ON base.series_key = s.series_key AND list_count(s.series_key) = len(s.series_key)
   AND base.month = make_date(base_year, month(s.month), 1)
WINDOW t12 AS (
    PARTITION BY s.series_key ORDER BY s.month
    RANGE BETWEEN INTERVAL 11 MONTH PRECEDING AND CURRENT ROW
);
