-- Trade marts from the TransBorder facts. Each TransBorder table covers all trade, so every mart
-- reads exactly one of them (dot1 for port × mode, dot3 for port × commodity).
CREATE TABLE marts.trade_port_month AS  -- by month
SELECT t.port_code, p.port_name, t.month, t.mode, t.trade_type, t.country,
       sum(t.value_usd)::BIGINT AS value_usd,
       sum(t.weight_kg)::BIGINT AS weight_kg,
       sum(t.freight_usd)::BIGINT AS freight_usd
FROM core.fact_trade_port t LEFT JOIN core.dim_port p USING (port_code)
GROUP BY ALL
ORDER BY port_code, month, mode, trade_type, country;

CREATE TABLE marts.trade_value_per_truck AS  -- by month
WITH trade AS (
    SELECT port_code, month,
           sum(value_usd) FILTER (WHERE trade_type = 'export')::BIGINT AS export_value_usd,
           sum(value_usd) FILTER (WHERE trade_type = 'import')::BIGINT AS import_value_usd
    FROM core.fact_trade_port
    WHERE country = 'mexico' AND mode = 'truck'
    GROUP BY ALL
)
SELECT t.port_code, p.port_name, t.month,
       coalesce(t.export_value_usd, 0) AS export_value_usd,
       coalesce(t.import_value_usd, 0) AS import_value_usd,
       coalesce(t.export_value_usd, 0) + coalesce(t.import_value_usd, 0) AS total_value_usd,
       c.value AS inbound_trucks,
       CASE WHEN c.value > 0 THEN round(coalesce(t.import_value_usd, 0) / c.value, 2) END
           AS import_value_per_inbound_truck_usd,
       CASE WHEN c.value > 0
            THEN round((coalesce(t.export_value_usd, 0) + coalesce(t.import_value_usd, 0)) / c.value, 2) END
           AS total_value_per_inbound_truck_usd
FROM trade t
JOIN core.dim_port p ON p.port_code = t.port_code AND p.border = 'US-Mexico'
LEFT JOIN core.fact_crossings c
    ON c.port_code = t.port_code AND c.month = t.month AND c.measure = 'trucks'
ORDER BY port_code, month;

CREATE TABLE marts.mode_share AS  -- by month
WITH by_mode AS (
    SELECT country, month, mode, sum(value_usd)::BIGINT AS value_usd
    FROM core.fact_trade_port GROUP BY ALL
)
SELECT CASE b.country WHEN 'mexico' THEN 'US-Mexico' ELSE 'US-Canada' END AS border,
       b.country, b.month, b.mode, m.label_en AS mode_en, m.label_es AS mode_es, b.value_usd,
       round(100.0 * b.value_usd / sum(b.value_usd) OVER (PARTITION BY b.country, b.month), 3) AS share_pct
FROM by_mode b LEFT JOIN core.dim_mode m USING (mode)
ORDER BY b.country, b.month, b.mode;

CREATE TEMP TABLE sector_series AS  -- by month
SELECT [t.port_code, t.country, d.hled_sector] AS series_key, t.port_code, t.country, t.month, d.hled_sector,
       sum(t.value_usd)::BIGINT AS value,
       sum(t.value_usd) FILTER (WHERE t.trade_type = 'export')::BIGINT AS export_value_usd,
       sum(t.value_usd) FILTER (WHERE t.trade_type = 'import')::BIGINT AS import_value_usd
FROM core.fact_trade_port_commodity t JOIN core.dim_commodity d USING (commodity)
GROUP BY ALL;

CREATE TABLE marts.priority_sector_trade AS  -- by month, 12 months back, base year 2021
SELECT s.port_code, p.port_name, s.country, s.month, s.hled_sector,
       (SELECT any_value(hled_sector_en) FROM core.dim_commodity d WHERE d.hled_sector = s.hled_sector)
           AS hled_sector_en,
       (SELECT any_value(hled_sector_es) FROM core.dim_commodity d WHERE d.hled_sector = s.hled_sector)
           AS hled_sector_es,
       (SELECT any_value(is_priority) FROM core.dim_commodity d WHERE d.hled_sector = s.hled_sector)
           AS is_priority,
       s.value AS value_usd, coalesce(s.export_value_usd, 0) AS export_value_usd,
       coalesce(s.import_value_usd, 0) AS import_value_usd,
       s.value_prev_year, s.yoy_pct,
       s.value_base AS value_2021, s.index_base AS index_2021
FROM month_comparisons('sector_series', 2021) s
LEFT JOIN core.dim_port p USING (port_code)
ORDER BY s.port_code, s.country, s.hled_sector, s.month;
DROP TABLE sector_series;

-- The same sectors for each border from dot2 (US state x commodity), which covers every port: it has
-- months dot3 lacks (March 2024), so the border's 12-month sector figures come from here, and
-- ports_value_usd (the sum over dot3's ports) shows the two reconcile where both have the month.
CREATE TABLE marts.sector_trade_border AS  -- by month
WITH states AS (
    SELECT CASE t.country WHEN 'mexico' THEN 'US-Mexico' ELSE 'US-Canada' END AS border, t.country, t.month,
           d.hled_sector,
           sum(t.value_usd)::BIGINT AS value_usd,
           coalesce(sum(t.value_usd) FILTER (WHERE t.trade_type = 'export'), 0)::BIGINT AS export_value_usd,
           coalesce(sum(t.value_usd) FILTER (WHERE t.trade_type = 'import'), 0)::BIGINT AS import_value_usd
    FROM core.fact_trade_state_commodity t JOIN core.dim_commodity d USING (commodity)
    GROUP BY ALL
),
ports AS (
    SELECT country, month, hled_sector, sum(value_usd)::BIGINT AS value_usd
    FROM marts.priority_sector_trade GROUP BY ALL
),
labels AS (
    SELECT hled_sector, any_value(hled_sector_en) AS hled_sector_en, any_value(hled_sector_es) AS hled_sector_es,
           bool_or(is_priority) AS is_priority
    FROM core.dim_commodity GROUP BY ALL
)
SELECT s.border, s.country, s.month, s.hled_sector, l.hled_sector_en, l.hled_sector_es, l.is_priority,
       s.value_usd, s.export_value_usd, s.import_value_usd, p.value_usd AS ports_value_usd
FROM states s
JOIN labels l USING (hled_sector)
LEFT JOIN ports p USING (country, month, hled_sector)
ORDER BY s.country, s.hled_sector, s.month;

CREATE TABLE marts.coverage AS
WITH present AS (
    SELECT 'dot1' AS trade_table, month, count(*) AS rows FROM core.fact_trade_port GROUP BY ALL
    UNION ALL SELECT 'dot2', month, count(*) FROM core.fact_trade_state_commodity GROUP BY ALL
    UNION ALL SELECT 'dot3', month, count(*) FROM core.fact_trade_port_commodity GROUP BY ALL
),
months AS (  -- every month in the span, so months missing from all three tables show too
    SELECT month FROM core.dim_month
    WHERE month BETWEEN (SELECT min(month) FROM present) AND (SELECT max(month) FROM present)
),
tables AS (SELECT unnest(['dot1', 'dot2', 'dot3']) AS trade_table)
SELECT m.month, t.trade_table, coalesce(p.rows, 0) AS rows, p.rows IS NOT NULL AS present,
       count(p.rows) OVER (PARTITION BY m.month) = 3 AS month_complete
FROM months m CROSS JOIN tables t
LEFT JOIN present p ON p.month = m.month AND p.trade_table = t.trade_table
ORDER BY m.month, t.trade_table;


COMMENT ON TABLE marts.trade_port_month IS 'US trade with Mexico and Canada per port, month, mode, direction and partner (from TransBorder dot1)';
COMMENT ON COLUMN marts.trade_port_month.port_code IS 'Schedule D port code, joins core.dim_port';
COMMENT ON COLUMN marts.trade_port_month.port_name IS 'Port name (from the crossings data, else Schedule D, else the code)';
COMMENT ON COLUMN marts.trade_port_month.month IS 'First day of the month';
COMMENT ON COLUMN marts.trade_port_month.mode IS 'Transport mode, joins core.dim_mode';
COMMENT ON COLUMN marts.trade_port_month.trade_type IS 'export or import (US point of view)';
COMMENT ON COLUMN marts.trade_port_month.country IS 'mexico or canada';
COMMENT ON COLUMN marts.trade_port_month.value_usd IS 'Trade value, US dollars';
COMMENT ON COLUMN marts.trade_port_month.weight_kg IS 'Shipping weight, kg, summed over rows where it is reported (exports by land are not)';
COMMENT ON COLUMN marts.trade_port_month.freight_usd IS 'Freight charges, US dollars';

COMMENT ON TABLE marts.trade_value_per_truck IS 'US-Mexico land ports: trade with Mexico carried by truck through the port in a month, divided by the port''s inbound truck crossings that month. Caveat: from March 2020 Ysleta (2401) reports trucks that El Paso (2402) reported before, so per-truck values of those two ports jump at the split';
COMMENT ON COLUMN marts.trade_value_per_truck.port_code IS 'Port code (TransBorder DEPE = crossings port code)';
COMMENT ON COLUMN marts.trade_value_per_truck.port_name IS 'Port name';
COMMENT ON COLUMN marts.trade_value_per_truck.month IS 'First day of the month';
COMMENT ON COLUMN marts.trade_value_per_truck.export_value_usd IS 'US exports to Mexico by truck through the port (southbound), US dollars';
COMMENT ON COLUMN marts.trade_value_per_truck.import_value_usd IS 'US imports from Mexico by truck through the port (northbound), US dollars';
COMMENT ON COLUMN marts.trade_value_per_truck.total_value_usd IS 'Exports plus imports by truck, US dollars';
COMMENT ON COLUMN marts.trade_value_per_truck.inbound_trucks IS 'Inbound (northbound) truck crossings at the port that month, from core.fact_crossings; NULL when not reported';
COMMENT ON COLUMN marts.trade_value_per_truck.import_value_per_inbound_truck_usd IS 'Imports by truck / inbound trucks: value carried north per truck crossing, US dollars';
COMMENT ON COLUMN marts.trade_value_per_truck.total_value_per_inbound_truck_usd IS 'Both directions of truck trade / inbound trucks (the crossings count northbound trucks only), US dollars';

COMMENT ON TABLE marts.mode_share IS 'Share of US trade value with each partner by transport mode, per month (from TransBorder dot1); rail''s share is the greening signal';
COMMENT ON COLUMN marts.mode_share.border IS 'US-Mexico or US-Canada';
COMMENT ON COLUMN marts.mode_share.country IS 'mexico or canada';
COMMENT ON COLUMN marts.mode_share.month IS 'First day of the month';
COMMENT ON COLUMN marts.mode_share.mode IS 'Transport mode, joins core.dim_mode';
COMMENT ON COLUMN marts.mode_share.mode_en IS 'Mode label in English';
COMMENT ON COLUMN marts.mode_share.mode_es IS 'Mode label in Spanish';
COMMENT ON COLUMN marts.mode_share.value_usd IS 'Exports plus imports by this mode, US dollars';
COMMENT ON COLUMN marts.mode_share.share_pct IS 'Percent of the month''s total trade value with the partner carried by this mode';

COMMENT ON TABLE marts.priority_sector_trade IS 'Trade per port, partner, HLED sector and month (from TransBorder dot3), with year-over-year change and an index against the same month of 2021 (the HLED relaunch)';
COMMENT ON COLUMN marts.priority_sector_trade.port_code IS 'Schedule D port code, joins core.dim_port';
COMMENT ON COLUMN marts.priority_sector_trade.port_name IS 'Port name';
COMMENT ON COLUMN marts.priority_sector_trade.country IS 'mexico or canada';
COMMENT ON COLUMN marts.priority_sector_trade.month IS 'First day of the month';
COMMENT ON COLUMN marts.priority_sector_trade.hled_sector IS 'HLED sector, see core.dim_commodity';
COMMENT ON COLUMN marts.priority_sector_trade.hled_sector_en IS 'HLED sector label in English';
COMMENT ON COLUMN marts.priority_sector_trade.hled_sector_es IS 'HLED sector label in Spanish';
COMMENT ON COLUMN marts.priority_sector_trade.is_priority IS 'True for the supply chains HLED names (core.dim_commodity.is_priority): semiconductors & ICT, medical devices, pharmaceuticals';
COMMENT ON COLUMN marts.priority_sector_trade.value_usd IS 'Exports plus imports, US dollars';
COMMENT ON COLUMN marts.priority_sector_trade.export_value_usd IS 'US exports, US dollars';
COMMENT ON COLUMN marts.priority_sector_trade.import_value_usd IS 'US imports, US dollars';
COMMENT ON COLUMN marts.priority_sector_trade.value_prev_year IS 'value_usd in the same month a year earlier (NULL when that month is missing)';
COMMENT ON COLUMN marts.priority_sector_trade.yoy_pct IS 'Year-over-year change in percent';
COMMENT ON COLUMN marts.priority_sector_trade.value_2021 IS 'value_usd in the same calendar month of 2021';
COMMENT ON COLUMN marts.priority_sector_trade.index_2021 IS 'value_usd / value_2021 x 100 (100 = same as the 2021 relaunch year)';

COMMENT ON TABLE marts.sector_trade_border IS 'Trade per border, partner, HLED sector and month from TransBorder dot2 (US state x commodity), which has every month on hand; the border figures of the HLED sectors (brief, scorecard) come from here because dot3 (port x commodity) lacks some months (March 2024)';
COMMENT ON COLUMN marts.sector_trade_border.border IS 'US-Mexico or US-Canada';
COMMENT ON COLUMN marts.sector_trade_border.country IS 'mexico or canada';
COMMENT ON COLUMN marts.sector_trade_border.month IS 'First day of the month';
COMMENT ON COLUMN marts.sector_trade_border.hled_sector IS 'HLED sector, see core.dim_commodity';
COMMENT ON COLUMN marts.sector_trade_border.hled_sector_en IS 'HLED sector label in English, naming the HS chapter it holds';
COMMENT ON COLUMN marts.sector_trade_border.hled_sector_es IS 'HLED sector label in Spanish, naming the HS chapter it holds';
COMMENT ON COLUMN marts.sector_trade_border.is_priority IS 'True for the supply chains HLED names';
COMMENT ON COLUMN marts.sector_trade_border.value_usd IS 'Exports plus imports with the partner, US dollars, every mode';
COMMENT ON COLUMN marts.sector_trade_border.export_value_usd IS 'US exports, US dollars';
COMMENT ON COLUMN marts.sector_trade_border.import_value_usd IS 'US imports, US dollars';
COMMENT ON COLUMN marts.sector_trade_border.ports_value_usd IS 'The same summed over the ports of dot3 (marts.priority_sector_trade); NULL in a month dot3 lacks; equal to value_usd where both have the month';

COMMENT ON TABLE marts.coverage IS 'Which TransBorder tables are present for each month between the first and last month on hand: a month missing from a table is a coverage gap, and sums over it are incomplete';
COMMENT ON COLUMN marts.coverage.month IS 'First day of the month';
COMMENT ON COLUMN marts.coverage.trade_table IS 'dot1 (port x state), dot2 (state x commodity) or dot3 (port x commodity)';
COMMENT ON COLUMN marts.coverage.rows IS 'Rows loaded for this table and month';
COMMENT ON COLUMN marts.coverage.present IS 'Whether the table has data for the month';
COMMENT ON COLUMN marts.coverage.month_complete IS 'True when all three tables have the month';
