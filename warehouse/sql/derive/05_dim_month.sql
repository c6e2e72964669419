-- Calendar months without gaps from the first to the last month of any fact.
INSERT INTO core.dim_month
SELECT
    m::DATE AS month,
    year(m) AS year,
    month(m) AS month_of_year,
    quarter(m) AS quarter,
    ['January','February','March','April','May','June','July','August','September',
     'October','November','December'][month(m)] AS month_name_en,
    ['enero','febrero','marzo','abril','mayo','junio','julio','agosto','septiembre',
     'octubre','noviembre','diciembre'][month(m)] AS month_name_es
FROM (
    SELECT min(month) AS lo, max(month) AS hi FROM (
        SELECT month FROM core.fact_crossings
        UNION ALL SELECT month FROM core.fact_trade_port
        UNION ALL SELECT month FROM core.fact_trade_state_commodity
        UNION ALL SELECT month FROM core.fact_trade_port_commodity
    )
) bounds,
generate_series(bounds.lo::TIMESTAMP, bounds.hi::TIMESTAMP, INTERVAL 1 MONTH) AS g(m);
