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
       1.0 AS tolerance_pct,
       abs(c.value_usd - t.value_usd) <= 1000
           OR abs(c.value_usd - t.value_usd) <= 0.01 * greatest(t.value_usd, c.value_usd) AS within_tolerance
FROM transborder t JOIN census c USING (month, trade_type, country, port_code, chapter)
ORDER BY t.month, t.trade_type, t.country, t.port_code, t.chapter;

COMMENT ON TABLE marts.trade_reconciliation IS 'TransBorder against the Census trade API: per port, HS chapter (30, 85, 90), month, direction and partner that both publishers cover, the all-modes value of each and their difference. Within tolerance: a difference of at most 1 % of the larger value or US$1,000. Both come from Census foreign-trade records, so a larger difference is a revision one has and the other not yet, or an error';
COMMENT ON COLUMN marts.trade_reconciliation.month IS 'First day of the month';
COMMENT ON COLUMN marts.trade_reconciliation.trade_type IS 'export or import';
COMMENT ON COLUMN marts.trade_reconciliation.country IS 'mexico or canada';
COMMENT ON COLUMN marts.trade_reconciliation.port_code IS '4-digit Schedule D port code';
COMMENT ON COLUMN marts.trade_reconciliation.chapter IS 'HS chapter (2 digits)';
COMMENT ON COLUMN marts.trade_reconciliation.transborder_usd IS 'TransBorder dot3 value, all modes, US dollars';
COMMENT ON COLUMN marts.trade_reconciliation.census_usd IS 'Census trade API value (imports GEN_VAL_MO, exports ALL_VAL_MO), all modes, US dollars';
COMMENT ON COLUMN marts.trade_reconciliation.difference_usd IS 'census_usd - transborder_usd';
COMMENT ON COLUMN marts.trade_reconciliation.difference_pct IS 'difference_usd as a percentage of the larger of the two values (0 when both are 0)';
COMMENT ON COLUMN marts.trade_reconciliation.tolerance_pct IS 'The tolerance in percent of the larger value (a difference of US$1,000 or less is always within it)';
COMMENT ON COLUMN marts.trade_reconciliation.within_tolerance IS 'True when the two publishers agree within the tolerance';
