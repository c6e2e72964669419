-- Tables filled from the indicator declarations (warehouse/indicators.py) after the SQL marts. Their
-- comments that quote a constant (a threshold, a base year, a window length) are written by
-- warehouse/indicators.py table_comments() from the declarations, so the two cannot disagree.
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
    calendar_pct       DOUBLE,
    pre_shock_level    DOUBLE,
    recovered_month    DATE,
    months_to_recover  INTEGER,
    status             VARCHAR NOT NULL,
    ended_month        DATE,
    kind               VARCHAR NOT NULL,
    kind_reason        VARCHAR,
    concurrent_shocks  INTEGER,
    peers_expected_at_trough DOUBLE,
    peers_depth_pct    DOUBLE,
    border_shock_month DATE,
    found_by           VARCHAR,
    neighbour_excess   DOUBLE,
    diverted_pct       DOUBLE
);
COMMENT ON TABLE marts.shocks IS 'Detected disruptions: one row per shock in a monthly series (a border, or a port group), found by the statistical method in docs/indicators.md (seasonal expectation from the series itself, no event dates)';
COMMENT ON COLUMN marts.shocks.scope_type IS 'border or port_group';
COMMENT ON COLUMN marts.shocks.peers_expected_at_trough IS 'A port group''s shock: what the other port groups of its border predicted at the trough month, its usual share of what they carried (from the same months of earlier years) times what they carried that month; NULL for a border''s total';
COMMENT ON COLUMN marts.shocks.peers_depth_pct IS 'How far the port group fell short of peers_expected_at_trough, in percent (a fall its peers did not share is local: a blockade, inspections at one state''s ports)';
COMMENT ON COLUMN marts.shocks.border_shock_month IS 'A port group''s shock that starts within a month of a disruption in its border''s total for the same measure is part of that border-wide shock: the border shock''s first month (the brief tells it once, as the border''s); NULL for a local shock and for a border''s total';
COMMENT ON COLUMN marts.shocks.found_by IS 'own history (below the expectation of its own past) or peers (below its own expectation and well below what its peers predict, docs/indicators.md)';
COMMENT ON COLUMN marts.shocks.kind IS 'disruption, or reporting_change: what the data say of the shock (a series that stops, restarts after months without data, reports 0 for a month or two between ordinary months, or steps at once to a new level and stays there while other port groups do not); charts show disruptions only';
COMMENT ON COLUMN marts.shocks.concurrent_shocks IS 'Port group shocks only: how many other port groups of the same border and measure had a shock starting within a month of this one (a border-wide event when many did); NULL for a border';
COMMENT ON COLUMN marts.shocks.diverted_pct IS 'neighbour_excess as a % of the shortfall at the trough (expected - actual): near 100 when the neighbours carried what this port group lost (a diversion), below 0 when they fell too (an event along the border)';
COMMENT ON COLUMN marts.shocks.kind_reason IS 'Why a shock is a reporting_change, in words; NULL for a disruption';
COMMENT ON COLUMN marts.shocks.scope IS 'US-Mexico / US-Canada, or a port group (joins core.dim_port_group.port_group)';
COMMENT ON COLUMN marts.shocks.scope_name IS 'Border or port group name';
COMMENT ON COLUMN marts.shocks.border IS 'US-Mexico or US-Canada';
COMMENT ON COLUMN marts.shocks.measure IS 'Crossings measure (joins core.dim_measure) or trade_value_usd (US trade with the partner, border scope only)';
COMMENT ON COLUMN marts.shocks.trough_month IS 'Month of the largest shortfall against the expectation';
COMMENT ON COLUMN marts.shocks.expected_at_trough IS 'What the seasonal pattern, trend and calendar (working days, Saturdays, month length, Holy Week) predicted for the trough month';
COMMENT ON COLUMN marts.shocks.calendar_pct IS 'How much the trough month''s calendar alone (working days, Saturdays, month length, Holy Week) moves the expectation against the same month a year before, in %: e.g. -6 when Holy Week fell in it and not a year before';
COMMENT ON COLUMN marts.shocks.actual_at_trough IS 'What was reported in the trough month';
COMMENT ON COLUMN marts.shocks.depth_pct IS 'Depth: (expected - actual) / expected x 100 at the trough';
COMMENT ON COLUMN marts.shocks.pre_shock_level IS 'The level a recovery must regain for the first month''s calendar month: its value in the year before the shock, or what was expected of it when that month was missing or inside an earlier shock';
COMMENT ON COLUMN marts.shocks.months_to_recover IS 'Months from first_month to recovered_month; NULL while it has not recovered';
COMMENT ON COLUMN marts.shocks.ended_month IS 'Month the episode ended: recovered_month, the month a not_recovered episode was closed, or the last month of a series_ended one; NULL while ongoing';

CREATE TABLE marts.shock_neighbours (
    scope          VARCHAR NOT NULL,
    scope_name     VARCHAR,
    border         VARCHAR,
    measure        VARCHAR NOT NULL,
    first_month    DATE NOT NULL,
    trough_month   DATE NOT NULL,
    neighbour      VARCHAR NOT NULL,
    neighbour_name VARCHAR,
    distance_km    DOUBLE,
    expected       DOUBLE,
    actual         DOUBLE,
    excess         DOUBLE,
    excess_pct     DOUBLE
);
COMMENT ON COLUMN marts.shock_neighbours.scope IS 'Port group of the shock (joins marts.shocks on scope, measure, first_month)';
COMMENT ON COLUMN marts.shock_neighbours.scope_name IS 'Its name';
COMMENT ON COLUMN marts.shock_neighbours.border IS 'US-Mexico or US-Canada';
COMMENT ON COLUMN marts.shock_neighbours.measure IS 'Crossings measure of the shock';
COMMENT ON COLUMN marts.shock_neighbours.first_month IS 'First month of the shock';
COMMENT ON COLUMN marts.shock_neighbours.trough_month IS 'Trough month of the shock: the month compared';
COMMENT ON COLUMN marts.shock_neighbours.neighbour IS 'A port group of the same border nearby (joins core.dim_port_group.port_group)';
COMMENT ON COLUMN marts.shock_neighbours.neighbour_name IS 'Its name';
COMMENT ON COLUMN marts.shock_neighbours.distance_km IS 'Great-circle distance between the centres (mean BTS coordinates) of the two groups'' ports, km';
COMMENT ON COLUMN marts.shock_neighbours.expected IS 'What the shock method expected of the neighbour in the trough month (its seasonal pattern, trend and calendar)';
COMMENT ON COLUMN marts.shock_neighbours.actual IS 'What the neighbour reported in the trough month';
COMMENT ON COLUMN marts.shock_neighbours.excess IS 'actual - expected: above 0 when the neighbour carried more than expected';
COMMENT ON COLUMN marts.shock_neighbours.excess_pct IS 'excess / expected x 100';

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
COMMENT ON COLUMN marts.hled_scorecard.pillar IS 'HLED pillar key, joins marts.indicator_catalog.pillar';
COMMENT ON COLUMN marts.hled_scorecard.pillar_en IS 'HLED pillar in English';
COMMENT ON COLUMN marts.hled_scorecard.pillar_es IS 'HLED pillar in Spanish';
COMMENT ON COLUMN marts.hled_scorecard.indicator_id IS 'Indicator, joins marts.indicator_catalog';
COMMENT ON COLUMN marts.hled_scorecard.headline_en IS 'What this row measures, in English';
COMMENT ON COLUMN marts.hled_scorecard.headline_es IS 'What this row measures, in Spanish';
COMMENT ON COLUMN marts.hled_scorecard.scope IS 'Where: US-Mexico border';
COMMENT ON COLUMN marts.hled_scorecard.unit IS 'Unit of the values';
COMMENT ON COLUMN marts.hled_scorecard.better IS 'Which direction is better: higher, lower or neither';
COMMENT ON COLUMN marts.hled_scorecard.months_latest IS 'Months of the latest window on hand';

-- Filled by warehouse/calendar_month.py before the SQL marts, which read it (marts.headline_month).
CREATE TABLE marts.calendar_month (
    border           VARCHAR NOT NULL,
    month            DATE NOT NULL,
    days             INTEGER NOT NULL,
    working_days     INTEGER NOT NULL,
    saturdays        INTEGER NOT NULL,
    holidays         VARCHAR[] NOT NULL,
    holy_week_share  DOUBLE NOT NULL,
    PRIMARY KEY (border, month)
);
COMMENT ON TABLE marts.calendar_month IS 'The calendar of each border and month: days, working days (Monday to Friday that are not a public holiday of either country) and Saturdays, the holidays that fell on a weekday and the share of Holy Week; the headline changes are adjusted with it';
COMMENT ON COLUMN marts.calendar_month.border IS 'US-Mexico (US and Mexican holidays) or US-Canada (US and Canadian holidays)';
COMMENT ON COLUMN marts.calendar_month.month IS 'First day of the month';
COMMENT ON COLUMN marts.calendar_month.days IS 'Days in the month (29 in a leap February)';
COMMENT ON COLUMN marts.calendar_month.working_days IS 'Monday to Friday, less the public holidays of either country that fell on one of them';
COMMENT ON COLUMN marts.calendar_month.saturdays IS 'Saturdays in the month';
COMMENT ON COLUMN marts.calendar_month.holidays IS 'The weekday public holidays of either country in the month, as YYYY-MM-DD name';
COMMENT ON COLUMN marts.calendar_month.holy_week_share IS 'Share of Holy Week (Palm Sunday to Holy Saturday) that falls in the month, 0 to 1';
