-- Indicator marts declared in warehouse/indicators.py: empty-truck share, people flows, port
-- concentration and border-level trade. Each reads core tables (or the port groups) only.
CREATE TABLE marts.empty_truck_share AS
WITH containers AS (
    SELECT 'port' AS grain, c.port_code AS scope, p.port_name AS scope_name, p.border, c.month,
           sum(c.value) FILTER (WHERE c.measure = 'truck_containers_loaded') AS loaded,
           sum(c.value) FILTER (WHERE c.measure = 'truck_containers_empty') AS empty,
           sum(c.value) FILTER (WHERE c.measure = 'trucks') AS trucks
    FROM core.fact_crossings c JOIN core.dim_port p USING (port_code)
    WHERE c.measure IN ('truck_containers_loaded', 'truck_containers_empty', 'trucks')
    GROUP BY ALL
    UNION ALL
    SELECT 'port_group', g.port_group, g.port_group_name, g.border, c.month,
           sum(c.value) FILTER (WHERE c.measure = 'truck_containers_loaded'),
           sum(c.value) FILTER (WHERE c.measure = 'truck_containers_empty'),
           sum(c.value) FILTER (WHERE c.measure = 'trucks')
    FROM core.fact_crossings c JOIN core.dim_port_group g USING (port_code)
    WHERE c.measure IN ('truck_containers_loaded', 'truck_containers_empty', 'trucks')
    GROUP BY ALL
    UNION ALL
    SELECT 'border', p.border, p.border, p.border, c.month,
           sum(c.value) FILTER (WHERE c.measure = 'truck_containers_loaded'),
           sum(c.value) FILTER (WHERE c.measure = 'truck_containers_empty'),
           sum(c.value) FILTER (WHERE c.measure = 'trucks')
    FROM core.fact_crossings c JOIN core.dim_port p USING (port_code)
    WHERE c.measure IN ('truck_containers_loaded', 'truck_containers_empty', 'trucks')
    GROUP BY ALL
)
SELECT grain, scope, scope_name, border, month,
       coalesce(loaded, 0)::BIGINT AS loaded_containers,
       coalesce(empty, 0)::BIGINT AS empty_containers,
       CASE WHEN coalesce(loaded, 0) + coalesce(empty, 0) > 0
            THEN round(100.0 * coalesce(empty, 0) / (coalesce(loaded, 0) + coalesce(empty, 0)), 2) END
           AS empty_share_pct,
       CASE WHEN trucks > 0 THEN round((coalesce(loaded, 0) + coalesce(empty, 0)) / trucks, 2) END
           AS containers_per_truck
FROM containers
WHERE loaded IS NOT NULL OR empty IS NOT NULL
ORDER BY grain, scope, month;

CREATE TEMP TABLE people_series AS
WITH by_port AS (
    SELECT c.port_code, p.port_name, p.border, c.month,
           coalesce(sum(c.value) FILTER (WHERE c.measure = 'pedestrians'), 0) AS pedestrians,
           coalesce(sum(c.value) FILTER (WHERE c.measure = 'personal_vehicle_passengers'), 0) AS pv,
           coalesce(sum(c.value) FILTER (WHERE c.measure = 'bus_passengers'), 0) AS bus,
           coalesce(sum(c.value) FILTER (WHERE c.measure = 'train_passengers'), 0) AS train
    FROM core.fact_crossings c JOIN core.dim_port p USING (port_code)
    WHERE c.measure IN ('pedestrians', 'personal_vehicle_passengers', 'bus_passengers', 'train_passengers')
    GROUP BY ALL
)
SELECT [grain, scope] AS series_key, *, pedestrians + pv + bus + train AS value FROM (
    SELECT 'port' AS grain, port_code AS scope, port_name AS scope_name, border, month,
           pedestrians, pv, bus, train
    FROM by_port
    UNION ALL
    SELECT 'port_group', g.port_group, g.port_group_name, g.border, b.month,
           sum(b.pedestrians), sum(b.pv), sum(b.bus), sum(b.train)
    FROM by_port b JOIN core.dim_port_group g USING (port_code) GROUP BY ALL
    UNION ALL
    SELECT 'border', border, border, border, month, sum(pedestrians), sum(pv), sum(bus), sum(train)
    FROM by_port GROUP BY ALL
);

CREATE TABLE marts.people_flows AS
SELECT grain, scope, scope_name, border, month,
       pedestrians::BIGINT AS pedestrians,
       pv::BIGINT AS personal_vehicle_passengers,
       bus::BIGINT AS bus_passengers,
       train::BIGINT AS train_passengers,
       value::BIGINT AS people_total,
       value_prev_year::BIGINT AS people_prev_year,
       yoy_pct, t12m_total, t12m_months,
       value_base::BIGINT AS people_2019,
       index_base AS index_2019
FROM month_comparisons('people_series', 2019)
ORDER BY grain, scope, month;
DROP TABLE people_series;

CREATE TABLE marts.port_concentration AS  -- by month
WITH volumes AS (
    SELECT 'truck_crossings' AS basis, g.border, c.month, g.port_group, sum(c.value)::DOUBLE AS volume
    FROM core.fact_crossings c JOIN core.dim_port_group g USING (port_code)
    WHERE c.measure = 'trucks' AND g.border IS NOT NULL
    GROUP BY ALL
    UNION ALL
    SELECT 'trade_value', g.border, t.month, g.port_group, sum(t.value_usd)::DOUBLE
    FROM core.fact_trade_port t JOIN core.dim_port_group g USING (port_code)
    WHERE g.border = CASE t.country WHEN 'mexico' THEN 'US-Mexico' ELSE 'US-Canada' END
    GROUP BY ALL
),
shares AS (
    SELECT *, volume / sum(volume) OVER (PARTITION BY basis, border, month) AS share
    FROM volumes WHERE volume > 0
)
SELECT basis, border, month,
       count(*) AS port_groups,
       round(sum(power(100.0 * share, 2)), 1) AS hhi,
       round(1.0 / sum(share * share), 2) AS equivalent_ports,
       arg_max(port_group, share) AS top_port_group,
       round(100.0 * max(share), 2) AS top_share_pct
FROM shares
GROUP BY ALL
ORDER BY basis, border, month;

CREATE TEMP TABLE trade_border_series AS
SELECT [country] AS series_key, CASE country WHEN 'mexico' THEN 'US-Mexico' ELSE 'US-Canada' END AS border,
       country, month,
       coalesce(sum(value_usd) FILTER (WHERE trade_type = 'export'), 0) AS exports,
       coalesce(sum(value_usd) FILTER (WHERE trade_type = 'import'), 0) AS imports,
       sum(value_usd) AS value
FROM core.fact_trade_port
GROUP BY ALL;

CREATE TABLE marts.trade_border_month AS
SELECT s.border, s.country, s.month,
       s.exports::BIGINT AS export_value_usd, s.imports::BIGINT AS import_value_usd, s.value::BIGINT AS value_usd,
       s.value_prev_year::BIGINT AS value_prev_year, s.yoy_pct, s.t12m_total, s.t12m_months,
       s.value_base::BIGINT AS value_2019, s.index_base AS index_2019,
       r.value_base::BIGINT AS value_2021, r.index_base AS index_2021
FROM month_comparisons('trade_border_series', 2019) s
JOIN month_comparisons('trade_border_series', 2021) r USING (country, month)
ORDER BY s.country, s.month;
DROP TABLE trade_border_series;

COMMENT ON TABLE marts.empty_truck_share IS 'Empty-truck share per port and per border and month: empty truck containers / (loaded + empty) truck containers, a utilization signal (lower = fewer trucks crossing empty). Caveat: from 2023 several US-Mexico ports report far more loaded containers than trucks (Laredo 2024: 4.96 M loaded containers, 3.03 M trucks), so the share falls at that reporting change; containers_per_truck shows it';
COMMENT ON COLUMN marts.empty_truck_share.containers_per_truck IS '(loaded + empty containers) / inbound trucks: about 1 when each truck is counted once; well above 1 marks the reporting change in the caveat';
COMMENT ON COLUMN marts.empty_truck_share.grain IS 'port (scope is a port code), port_group (scope is a core.dim_port_group group, continuous across port splits) or border (scope is US-Mexico or US-Canada)';
COMMENT ON COLUMN marts.empty_truck_share.scope IS 'Port code, port group or border name, depending on grain';
COMMENT ON COLUMN marts.empty_truck_share.scope_name IS 'Port, port group or border name';
COMMENT ON COLUMN marts.empty_truck_share.border IS 'US-Mexico or US-Canada';
COMMENT ON COLUMN marts.empty_truck_share.month IS 'First day of the month';
COMMENT ON COLUMN marts.empty_truck_share.loaded_containers IS 'Inbound loaded truck containers (0 when the port reported only empty ones)';
COMMENT ON COLUMN marts.empty_truck_share.empty_containers IS 'Inbound empty truck containers (0 when the port reported only loaded ones)';
COMMENT ON COLUMN marts.empty_truck_share.empty_share_pct IS 'empty / (loaded + empty) x 100; NULL when both are 0';

COMMENT ON TABLE marts.people_flows IS 'People crossing inbound per port and per border and month (pedestrians, personal-vehicle, bus and train passengers), with year-over-year change, trailing 12-month total and the 2019 recovery index: legitimate travel';
COMMENT ON COLUMN marts.people_flows.grain IS 'port (scope is a port code), port_group (scope is a core.dim_port_group group, continuous across port splits) or border (scope is US-Mexico or US-Canada)';
COMMENT ON COLUMN marts.people_flows.scope IS 'Port code, port group or border name, depending on grain';
COMMENT ON COLUMN marts.people_flows.scope_name IS 'Port, port group or border name';
COMMENT ON COLUMN marts.people_flows.border IS 'US-Mexico or US-Canada';
COMMENT ON COLUMN marts.people_flows.month IS 'First day of the month';
COMMENT ON COLUMN marts.people_flows.pedestrians IS 'Inbound pedestrians (0 when not reported)';
COMMENT ON COLUMN marts.people_flows.personal_vehicle_passengers IS 'Inbound personal-vehicle passengers, drivers included (0 when not reported)';
COMMENT ON COLUMN marts.people_flows.bus_passengers IS 'Inbound bus passengers (0 when not reported)';
COMMENT ON COLUMN marts.people_flows.train_passengers IS 'Inbound train passengers (0 when not reported)';
COMMENT ON COLUMN marts.people_flows.people_total IS 'Sum of the four: people entering the US at the port or border';
COMMENT ON COLUMN marts.people_flows.people_prev_year IS 'people_total in the same month a year earlier (NULL when that month has no row)';
COMMENT ON COLUMN marts.people_flows.yoy_pct IS 'Year-over-year change of people_total in percent';
COMMENT ON COLUMN marts.people_flows.t12m_total IS 'Trailing 12-month total of people_total';
COMMENT ON COLUMN marts.people_flows.t12m_months IS 'How many of those 12 months have a row';
COMMENT ON COLUMN marts.people_flows.people_2019 IS 'people_total in the same calendar month of 2019';
COMMENT ON COLUMN marts.people_flows.index_2019 IS 'Recovery index: people_total / people_2019 x 100';

COMMENT ON TABLE marts.port_concentration IS 'Port concentration per border and month: Herfindahl-Hirschman index of the port groups'' shares of truck crossings or of trade value (higher = traffic depends on fewer ports, a supply-chain vulnerability)';
COMMENT ON COLUMN marts.port_concentration.basis IS 'truck_crossings (inbound trucks, core.fact_crossings) or trade_value (US trade with the partner through the border''s land ports, all modes, TransBorder dot1)';
COMMENT ON COLUMN marts.port_concentration.border IS 'US-Mexico or US-Canada';
COMMENT ON COLUMN marts.port_concentration.month IS 'First day of the month';
COMMENT ON COLUMN marts.port_concentration.port_groups IS 'Port groups (core.dim_port_group) with a positive volume that month';
COMMENT ON COLUMN marts.port_concentration.hhi IS 'Herfindahl-Hirschman index: sum of squared percentage shares, 0-10,000 (10,000 = everything through one port group)';
COMMENT ON COLUMN marts.port_concentration.equivalent_ports IS '10,000 / hhi: the number of equally sized ports that would give the same concentration';
COMMENT ON COLUMN marts.port_concentration.top_port_group IS 'Port group with the largest share, joins core.dim_port_group';
COMMENT ON COLUMN marts.port_concentration.top_share_pct IS 'Share of the largest port group, percent';

COMMENT ON TABLE marts.trade_border_month IS 'US trade with Mexico and with Canada per month through all US ports and modes (TransBorder dot1), with year-over-year change, trailing 12-month total and indices against the same month of 2019 (pre-pandemic) and 2021 (HLED relaunch). Current dollars, not adjusted for inflation';
COMMENT ON COLUMN marts.trade_border_month.border IS 'US-Mexico or US-Canada';
COMMENT ON COLUMN marts.trade_border_month.country IS 'mexico or canada';
COMMENT ON COLUMN marts.trade_border_month.month IS 'First day of the month';
COMMENT ON COLUMN marts.trade_border_month.export_value_usd IS 'US exports to the partner, US dollars';
COMMENT ON COLUMN marts.trade_border_month.import_value_usd IS 'US imports from the partner, US dollars';
COMMENT ON COLUMN marts.trade_border_month.value_usd IS 'Exports plus imports, US dollars';
COMMENT ON COLUMN marts.trade_border_month.value_prev_year IS 'value_usd in the same month a year earlier (NULL when that month is missing)';
COMMENT ON COLUMN marts.trade_border_month.yoy_pct IS 'Year-over-year change in percent';
COMMENT ON COLUMN marts.trade_border_month.t12m_total IS 'Trailing 12-month total of value_usd';
COMMENT ON COLUMN marts.trade_border_month.t12m_months IS 'How many of those 12 months have data (Oct-Dec 2020 were never published)';
COMMENT ON COLUMN marts.trade_border_month.value_2019 IS 'value_usd in the same calendar month of 2019 (NULL when 2019 is not loaded)';
COMMENT ON COLUMN marts.trade_border_month.index_2019 IS 'value_usd / value_2019 x 100';
COMMENT ON COLUMN marts.trade_border_month.value_2021 IS 'value_usd in the same calendar month of 2021';
COMMENT ON COLUMN marts.trade_border_month.index_2021 IS 'value_usd / value_2021 x 100';
