-- Tables filled from the indicator declarations (warehouse/indicators.py) after the SQL marts.
CREATE TABLE marts.shocks (
    scope_type         VARCHAR NOT NULL,
    scope              VARCHAR NOT NULL,
    scope_name         VARCHAR,
    border             VARCHAR,
    measure            VARCHAR NOT NULL,
    first_month        DATE NOT NULL,
    trough_month       DATE NOT NULL,
    expected_at_trough DOUBLE,
    actual_at_trough   DOUBLE,
    depth_pct          DOUBLE,
    pre_shock_level    DOUBLE,
    recovered_month    DATE,
    months_to_recover  INTEGER,
    status             VARCHAR NOT NULL,
    ended_month        DATE
);
COMMENT ON TABLE marts.shocks IS 'Detected disruptions: one row per shock in a monthly series (a border, or a port group), found by the statistical method in docs/indicators.md (seasonal expectation from the series itself, no event dates)';
COMMENT ON COLUMN marts.shocks.scope_type IS 'border or port_group';
COMMENT ON COLUMN marts.shocks.scope IS 'US-Mexico / US-Canada, or a port group (joins core.dim_port_group.port_group)';
COMMENT ON COLUMN marts.shocks.scope_name IS 'Border or port group name';
COMMENT ON COLUMN marts.shocks.border IS 'US-Mexico or US-Canada';
COMMENT ON COLUMN marts.shocks.measure IS 'Crossings measure (joins core.dim_measure) or trade_value_usd (US trade with the partner, border scope only)';
COMMENT ON COLUMN marts.shocks.first_month IS 'First month of the shock: the value fell at least 15 % and 4 robust standard deviations below what the series'' seasonal pattern and trend predicted';
COMMENT ON COLUMN marts.shocks.trough_month IS 'Month of the largest shortfall against the expectation';
COMMENT ON COLUMN marts.shocks.expected_at_trough IS 'What the seasonal pattern and trend predicted for the trough month';
COMMENT ON COLUMN marts.shocks.actual_at_trough IS 'What was reported in the trough month';
COMMENT ON COLUMN marts.shocks.depth_pct IS 'Depth: (expected - actual) / expected x 100 at the trough';
COMMENT ON COLUMN marts.shocks.pre_shock_level IS 'The level a recovery must regain for the first month''s calendar month: its value in the year before the shock, or what was expected of it when that month was missing or inside an earlier shock';
COMMENT ON COLUMN marts.shocks.recovered_month IS 'First of two consecutive months back at 95 % of the pre-shock level of their calendar months; NULL while it has not recovered';
COMMENT ON COLUMN marts.shocks.months_to_recover IS 'Months from first_month to recovered_month; NULL while it has not recovered';
COMMENT ON COLUMN marts.shocks.status IS 'recovered; ongoing (not recovered by the latest month of the data); not_recovered (not back within 36 months: the episode was closed so later shocks can be seen, and a later recovery is still recorded); series_ended (the series stopped reporting before recovering)';
COMMENT ON COLUMN marts.shocks.ended_month IS 'Month the episode ended: recovered_month, the month a not_recovered episode was closed, or the last month of a series_ended one; NULL while ongoing';

CREATE TABLE marts.indicator_catalog (
    indicator_id VARCHAR PRIMARY KEY,
    title_en     VARCHAR NOT NULL,
    title_es     VARCHAR NOT NULL,
    pillar       VARCHAR NOT NULL,
    pillar_en    VARCHAR NOT NULL,
    pillar_es    VARCHAR NOT NULL,
    goal         VARCHAR NOT NULL,
    grain        VARCHAR NOT NULL,
    unit         VARCHAR NOT NULL,
    better       VARCHAR NOT NULL,
    formula      VARCHAR NOT NULL,
    mart_table   VARCHAR,
    mart_columns VARCHAR,
    computed_by  VARCHAR,
    status       VARCHAR NOT NULL,
    needs        VARCHAR,
    in_scorecard BOOLEAN NOT NULL
);
COMMENT ON TABLE marts.indicator_catalog IS 'Every HLED indicator this project computes or plans, generated from its one declaration in warehouse/indicators.py (docs/indicators.md is generated from the same declarations)';
COMMENT ON COLUMN marts.indicator_catalog.indicator_id IS 'Stable identifier';
COMMENT ON COLUMN marts.indicator_catalog.title_en IS 'Title in English';
COMMENT ON COLUMN marts.indicator_catalog.title_es IS 'Title in Spanish';
COMMENT ON COLUMN marts.indicator_catalog.pillar IS 'HLED pillar key, see pillar_en';
COMMENT ON COLUMN marts.indicator_catalog.pillar_en IS 'HLED pillar in English';
COMMENT ON COLUMN marts.indicator_catalog.pillar_es IS 'HLED pillar in Spanish';
COMMENT ON COLUMN marts.indicator_catalog.goal IS 'The HLED goal the indicator speaks to';
COMMENT ON COLUMN marts.indicator_catalog.grain IS 'Level of detail: which scopes (port, port group, border) and period';
COMMENT ON COLUMN marts.indicator_catalog.unit IS 'Unit of the value';
COMMENT ON COLUMN marts.indicator_catalog.better IS 'Which direction is better: higher, lower or neither';
COMMENT ON COLUMN marts.indicator_catalog.formula IS 'How it is computed, in words';
COMMENT ON COLUMN marts.indicator_catalog.mart_table IS 'Table holding the values (NULL for planned indicators)';
COMMENT ON COLUMN marts.indicator_catalog.mart_columns IS 'Columns of mart_table holding the values, comma-separated';
COMMENT ON COLUMN marts.indicator_catalog.computed_by IS 'Code that computes it (file in the repository)';
COMMENT ON COLUMN marts.indicator_catalog.status IS 'computed, or planned (not computed: the data on hand cannot support it)';
COMMENT ON COLUMN marts.indicator_catalog.needs IS 'For planned indicators: the data or work it needs';
COMMENT ON COLUMN marts.indicator_catalog.in_scorecard IS 'Whether it has headline rows in marts.hled_scorecard';

CREATE TABLE marts.hled_scorecard (
    pillar             VARCHAR NOT NULL,
    pillar_en          VARCHAR NOT NULL,
    pillar_es          VARCHAR NOT NULL,
    indicator_id       VARCHAR NOT NULL,
    headline_en        VARCHAR NOT NULL,
    headline_es        VARCHAR NOT NULL,
    scope              VARCHAR NOT NULL,
    unit               VARCHAR NOT NULL,
    better             VARCHAR NOT NULL,
    aggregate          VARCHAR NOT NULL,
    value_2019         DOUBLE,
    months_2019        INTEGER NOT NULL,
    value_2021         DOUBLE,
    months_2021        INTEGER NOT NULL,
    latest_month       DATE,
    latest_value       DOUBLE,
    months_latest      INTEGER NOT NULL,
    change_vs_2019     DOUBLE,
    change_vs_2019_pct DOUBLE,
    right_way_vs_2019  BOOLEAN,
    change_vs_2021     DOUBLE,
    change_vs_2021_pct DOUBLE,
    right_way_vs_2021  BOOLEAN
);
COMMENT ON TABLE marts.hled_scorecard IS 'HLED scorecard: per pillar, the headline indicators for the US-Mexico border over the latest complete 12 months against calendar 2019 (pre-pandemic) and 2021 (HLED relaunch), and whether each moves the right way. A value is NULL when its 12 months are not all on hand';
COMMENT ON COLUMN marts.hled_scorecard.pillar IS 'HLED pillar key, joins marts.indicator_catalog.pillar';
COMMENT ON COLUMN marts.hled_scorecard.pillar_en IS 'HLED pillar in English';
COMMENT ON COLUMN marts.hled_scorecard.pillar_es IS 'HLED pillar in Spanish';
COMMENT ON COLUMN marts.hled_scorecard.indicator_id IS 'Indicator, joins marts.indicator_catalog';
COMMENT ON COLUMN marts.hled_scorecard.headline_en IS 'What this row measures, in English';
COMMENT ON COLUMN marts.hled_scorecard.headline_es IS 'What this row measures, in Spanish';
COMMENT ON COLUMN marts.hled_scorecard.scope IS 'Where: US-Mexico border';
COMMENT ON COLUMN marts.hled_scorecard.unit IS 'Unit of the values';
COMMENT ON COLUMN marts.hled_scorecard.better IS 'Which direction is better: higher, lower or neither';
COMMENT ON COLUMN marts.hled_scorecard.aggregate IS '12-month total (sum of the monthly values) or 12-month average (mean of the monthly values)';
COMMENT ON COLUMN marts.hled_scorecard.value_2019 IS 'The aggregate over January-December 2019; NULL unless all 12 months are on hand';
COMMENT ON COLUMN marts.hled_scorecard.months_2019 IS 'Months of 2019 on hand';
COMMENT ON COLUMN marts.hled_scorecard.value_2021 IS 'The aggregate over January-December 2021; NULL unless all 12 months are on hand';
COMMENT ON COLUMN marts.hled_scorecard.months_2021 IS 'Months of 2021 on hand';
COMMENT ON COLUMN marts.hled_scorecard.latest_month IS 'End of the latest window: the latest month that ends 12 consecutive months on hand (the latest month with data when there is none)';
COMMENT ON COLUMN marts.hled_scorecard.latest_value IS 'The aggregate over the 12 months ending latest_month; NULL unless all 12 are on hand';
COMMENT ON COLUMN marts.hled_scorecard.months_latest IS 'Months of the latest window on hand';
COMMENT ON COLUMN marts.hled_scorecard.change_vs_2019 IS 'latest_value - value_2019, in the unit';
COMMENT ON COLUMN marts.hled_scorecard.change_vs_2019_pct IS 'Change against 2019 in percent of value_2019';
COMMENT ON COLUMN marts.hled_scorecard.right_way_vs_2019 IS 'True when the change against 2019 goes the better way; NULL when there is no change to judge or no better direction';
COMMENT ON COLUMN marts.hled_scorecard.change_vs_2021 IS 'latest_value - value_2021, in the unit';
COMMENT ON COLUMN marts.hled_scorecard.change_vs_2021_pct IS 'Change against 2021 in percent of value_2021';
COMMENT ON COLUMN marts.hled_scorecard.right_way_vs_2021 IS 'True when the change against 2021 goes the better way; NULL when there is no change to judge or no better direction';
