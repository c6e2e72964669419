-- Marts of the Census trade API by port and HS heading (census_ports): its reconciliation with
-- TransBorder, and the HLED products named exactly.

-- Two publishers of the same trade: TransBorder's port x chapter values (dot3, all modes) against the
-- Census trade API's (census_ports, HS2 rows), for every port, chapter, month, direction and partner
-- both have. The tolerance is declared here, once: a difference beyond it is named in the run summary.
CREATE TABLE marts.trade_reconciliation AS
WITH transborder AS (
    SELECT month, trade_type, country, port_code, commodity AS chapter, sum(value_usd)::BIGINT AS value_usd
    FROM core.fact_trade_port_commodity
    WHERE commodity IN (SELECT chapter FROM core.dim_hs_heading WHERE hs_level = 'HS2')
    GROUP BY ALL
),
census AS (
    SELECT month, trade_type, country, port_code, hs_code AS chapter, value_usd
    FROM core.fact_trade_port_hs WHERE hs_level = 'HS2'
)
SELECT t.month, t.trade_type, t.country, t.port_code, t.chapter,
       t.value_usd AS transborder_usd, c.value_usd AS census_usd,
       (c.value_usd - t.value_usd)::BIGINT AS difference_usd,
       CASE WHEN greatest(t.value_usd, c.value_usd) > 0
            THEN round(100.0 * (c.value_usd - t.value_usd) / greatest(t.value_usd, c.value_usd), 4) ELSE 0 END
           AS difference_pct,
       1.0 AS tolerance_pct,  -- the tolerance, declared here once
       abs(c.value_usd - t.value_usd) <= tolerance_pct / 100 * greatest(t.value_usd, c.value_usd)
           AS within_tolerance
FROM transborder t JOIN census c USING (month, trade_type, country, port_code, chapter)
ORDER BY t.month, t.trade_type, t.country, t.port_code, t.chapter;

COMMENT ON TABLE marts.trade_reconciliation IS 'TransBorder against the Census trade API: per port, HS chapter (30, 85, 90), month, direction and partner that both publishers cover, the all-modes value of each and their difference. Within tolerance: a difference of at most 1 % of the larger value (tolerance_pct), checked by the GX suite trade_reconciliation every refresh. Both come from Census foreign-trade records, so a larger difference is a revision one has and the other not yet, or an error';
COMMENT ON COLUMN marts.trade_reconciliation.month IS 'First day of the month';
COMMENT ON COLUMN marts.trade_reconciliation.trade_type IS 'export or import';
COMMENT ON COLUMN marts.trade_reconciliation.country IS 'mexico or canada';
COMMENT ON COLUMN marts.trade_reconciliation.port_code IS '4-digit Schedule D port code';
COMMENT ON COLUMN marts.trade_reconciliation.chapter IS 'HS chapter (2 digits)';
COMMENT ON COLUMN marts.trade_reconciliation.transborder_usd IS 'TransBorder dot3 value, all modes, US dollars';
COMMENT ON COLUMN marts.trade_reconciliation.census_usd IS 'Census trade API value (imports GEN_VAL_MO, exports ALL_VAL_MO), all modes, US dollars';
COMMENT ON COLUMN marts.trade_reconciliation.difference_usd IS 'census_usd - transborder_usd';
COMMENT ON COLUMN marts.trade_reconciliation.difference_pct IS 'difference_usd as a percentage of the larger of the two values (0 when both are 0)';
COMMENT ON COLUMN marts.trade_reconciliation.tolerance_pct IS 'The tolerance in percent of the larger value';
COMMENT ON COLUMN marts.trade_reconciliation.within_tolerance IS 'True when the two publishers agree within the tolerance';

-- The HLED's products named exactly (integrated circuits and semiconductor devices, medical devices,
-- medicines...), each the sum of its Census headings, per port, partner and month, with the chapter
-- that stands in for it elsewhere beside it (the proxy TransBorder has).
CREATE TABLE marts.hled_product_trade AS
WITH products AS (
    SELECT f.country, f.port_code, f.month, h.hled_sector, h.hled_product, h.chapter,
           any_value(h.product_en) AS product_en, any_value(h.product_es) AS product_es,
           sum(f.value_usd)::BIGINT AS value_usd,
           coalesce(sum(f.value_usd) FILTER (WHERE f.trade_type = 'export'), 0)::BIGINT AS export_value_usd,
           coalesce(sum(f.value_usd) FILTER (WHERE f.trade_type = 'import'), 0)::BIGINT AS import_value_usd,
           sum(f.land_usd)::BIGINT AS land_usd
    FROM core.fact_trade_port_hs f JOIN core.dim_hs_heading h USING (hs_code)
    WHERE h.hled_product IS NOT NULL
    GROUP BY f.country, f.port_code, f.month, h.hled_sector, h.hled_product, h.chapter
),
chapters AS (
    SELECT country, port_code, month, hs_code AS chapter, sum(value_usd)::BIGINT AS chapter_value_usd
    FROM core.fact_trade_port_hs WHERE hs_level = 'HS2' GROUP BY ALL
)
SELECT CASE p.country WHEN 'mexico' THEN 'US-Mexico' ELSE 'US-Canada' END AS border, p.country, p.port_code,
       p.month, p.hled_sector, p.hled_product, p.product_en, p.product_es, p.value_usd, p.export_value_usd,
       p.import_value_usd, p.land_usd, p.chapter, c.chapter_value_usd,
       round(100.0 * p.value_usd / nullif(c.chapter_value_usd, 0), 2) AS share_of_chapter_pct
FROM products p LEFT JOIN chapters c USING (country, port_code, month, chapter)
ORDER BY p.country, p.port_code, p.hled_product, p.month;

COMMENT ON TABLE marts.hled_product_trade IS 'US trade with Mexico and Canada in the HLED''s products named exactly (integrated circuits and semiconductor devices HS 8541-8542, machines to make them 8486, medical devices 9018-9022, medicines 3004, vaccines and blood 3002) per port and month, from the Census trade API (census_ports), exports plus imports, with the HS chapter that stands in for the product where only chapters are published (TransBorder) and the product''s share of it';
COMMENT ON COLUMN marts.hled_product_trade.border IS 'US-Mexico or US-Canada (the partner''s border, every US port)';
COMMENT ON COLUMN marts.hled_product_trade.country IS 'mexico or canada';
COMMENT ON COLUMN marts.hled_product_trade.port_code IS '4-digit Schedule D port code (core.dim_port)';
COMMENT ON COLUMN marts.hled_product_trade.month IS 'First day of the month';
COMMENT ON COLUMN marts.hled_product_trade.hled_sector IS 'HLED sector the product belongs to (core.dim_commodity.hled_sector)';
COMMENT ON COLUMN marts.hled_product_trade.hled_product IS 'The product (core.dim_hs_heading.hled_product)';
COMMENT ON COLUMN marts.hled_product_trade.product_en IS 'The product''s name in English, with its headings';
COMMENT ON COLUMN marts.hled_product_trade.product_es IS 'The product''s name in Spanish, with its headings';
COMMENT ON COLUMN marts.hled_product_trade.value_usd IS 'Exports plus imports with the partner, all modes, US dollars';
COMMENT ON COLUMN marts.hled_product_trade.export_value_usd IS 'US exports, US dollars';
COMMENT ON COLUMN marts.hled_product_trade.import_value_usd IS 'US imports, US dollars';
COMMENT ON COLUMN marts.hled_product_trade.land_usd IS 'Of value_usd, by land and other modes (all modes less air and vessel)';
COMMENT ON COLUMN marts.hled_product_trade.chapter IS 'The HS chapter that holds the product (the proxy where only chapters are published)';
COMMENT ON COLUMN marts.hled_product_trade.chapter_value_usd IS 'The whole chapter at the same port and month, exports plus imports (Census HS2); NULL when the chapter was not asked or not answered';
COMMENT ON COLUMN marts.hled_product_trade.share_of_chapter_pct IS 'value_usd as a percentage of chapter_value_usd: how much of the chapter the product is';
