-- Marts every chart footer reads: which data, how recent.
CREATE TABLE marts.data_vintage (
    source       VARCHAR PRIMARY KEY,
    title        VARCHAR NOT NULL,
    publisher    VARCHAR NOT NULL,
    first_month  DATE,
    latest_month DATE,
    refreshed_at TIMESTAMPTZ NOT NULL,
    status       VARCHAR NOT NULL,
    stale_since  TIMESTAMPTZ,
    stale_reason VARCHAR,
    state        VARCHAR NOT NULL
);
COMMENT ON TABLE marts.data_vintage IS 'Per source: what it is, the months it covers and when this warehouse was built (chart footers read this)';
COMMENT ON COLUMN marts.data_vintage.source IS 'Source name, joins core.dim_source';
COMMENT ON COLUMN marts.data_vintage.title IS 'Dataset title';
COMMENT ON COLUMN marts.data_vintage.publisher IS 'Publisher and dataset identifier';
COMMENT ON COLUMN marts.data_vintage.first_month IS 'Earliest month with data';
COMMENT ON COLUMN marts.data_vintage.latest_month IS 'Latest month with data';
COMMENT ON COLUMN marts.data_vintage.refreshed_at IS 'When this warehouse was built (UTC)';
COMMENT ON COLUMN marts.data_vintage.status IS 'current, or stale: the last refresh of this source failed and its last good data is kept (see meta.source_status)';
COMMENT ON COLUMN marts.data_vintage.stale_since IS 'When the first failed refresh in a row started (NULL when current)';
COMMENT ON COLUMN marts.data_vintage.stale_reason IS 'Why it is stale: the error of that refresh (NULL when current)';
COMMENT ON COLUMN marts.data_vintage.state IS 'As of refreshed_at (marts.source_health says why): current; stale (its refresh fails, last good data kept; for the wait-time history: collection stopped); behind (its newest month is older than its publisher''s usual lag plus HLED_BEHIND_MARGIN_MONTHS); collecting (wait-time history with a recent reading); never collected (wait-time history of backfilled averages only). A source with no data at all (never published, or a wait-time history never collected) has no row here, as charts read a row as data to draw: it is in marts.source_health';

CREATE TABLE marts.source_health (
    source          VARCHAR PRIMARY KEY,
    title           VARCHAR NOT NULL,
    state           VARCHAR NOT NULL,
    latest_month    DATE,
    expected_month  DATE,
    newest_reading  TIMESTAMPTZ,
    lag_months      INTEGER,
    lag_days        INTEGER,
    margin_months   INTEGER NOT NULL,
    since           TIMESTAMPTZ,
    reason          VARCHAR,
    refreshed_at    TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE marts.source_health IS 'Per source this refresh loaded (HLED_SOURCES), data or not: whether its data can be taken as recent, as of the build (`hled status` judges the same again at the time it runs). Unlike marts.data_vintage it also lists sources with no data: never published, never collected';
COMMENT ON COLUMN marts.source_health.source IS 'Source name, joins core.dim_source and marts.data_vintage';
COMMENT ON COLUMN marts.source_health.title IS 'Dataset title';
COMMENT ON COLUMN marts.source_health.state IS 'current; stale (its refresh fails, last good data kept; for the wait-time history: readings exist but the newest is older than lag_days, so collection stopped); behind (latest_month older than expected_month minus margin_months); never published (it failed and nothing of it was ever published); never collected (wait-time history with no readings: optional, collected by `hled serve` or `hled waits collect`); collecting (wait-time history with a reading within lag_days)';
COMMENT ON COLUMN marts.source_health.latest_month IS 'Latest month with data (NULL: none)';
COMMENT ON COLUMN marts.source_health.expected_month IS 'The newest month its publisher usually has out by refreshed_at: that month minus lag_months (NULL: no monthly lag, e.g. a code list or a collected history)';
COMMENT ON COLUMN marts.source_health.newest_reading IS 'Collected histories (wait times): when the newest reading was taken (UTC; NULL: none, or not a collected history)';
COMMENT ON COLUMN marts.source_health.lag_months IS 'The publisher''s usual lag in months, from the source registry (NULL: none)';
COMMENT ON COLUMN marts.source_health.lag_days IS 'Collected histories: days without a reading after which collection is taken to have stopped (NULL: not collected)';
COMMENT ON COLUMN marts.source_health.margin_months IS 'HLED_BEHIND_MARGIN_MONTHS when this was built';
COMMENT ON COLUMN marts.source_health.since IS 'stale or never published: when the first failed refresh in a row started (NULL otherwise)';
COMMENT ON COLUMN marts.source_health.reason IS 'Why it is not current: the error of the failing refresh, or what is late and by how much (NULL when current or collecting)';
COMMENT ON COLUMN marts.source_health.refreshed_at IS 'When this warehouse was built (UTC): the "today" the state was judged against';

CREATE TABLE marts.mart_sources (
    mart     VARCHAR NOT NULL,
    source   VARCHAR NOT NULL,
    required BOOLEAN NOT NULL,
    ordinal  INTEGER NOT NULL,
    PRIMARY KEY (mart, source)
);
COMMENT ON TABLE marts.mart_sources IS 'Which sources each mart is built from (from the source registry): a chart names its sources in its footer, and is left out when a required one is not loaded, through the marts it reads';
COMMENT ON COLUMN marts.mart_sources.mart IS 'Mart table name in schema marts, e.g. port_month';
COMMENT ON COLUMN marts.mart_sources.source IS 'Source name, joins marts.data_vintage and core.dim_source';
COMMENT ON COLUMN marts.mart_sources.required IS 'True when the mart needs the source; false when it uses it only when loaded';
COMMENT ON COLUMN marts.mart_sources.ordinal IS 'The source''s place in the registry (footers list sources in this order)';

-- Filled by the build's revisions step (warehouse/sql/revisions/20_latest_revisions.sql), after meta.revisions.
CREATE TABLE marts.latest_revisions (
    source      VARCHAR NOT NULL,
    fact_table  VARCHAR NOT NULL,
    port_code   VARCHAR,
    port_name   VARCHAR,
    border      VARCHAR,
    month       DATE NOT NULL,
    item        VARCHAR NOT NULL,
    old_value   DOUBLE,
    new_value   DOUBLE,
    change      DOUBLE
);
COMMENT ON TABLE marts.latest_revisions IS 'Values the publishers revised in months already published, as seen by the refresh that built this warehouse (meta.revisions of that run; its history is in meta.revisions): what changed since the previous refresh and its brief. Empty when nothing was revised or there was no previous warehouse (marts.revisions_compared tells the two apart)';
COMMENT ON COLUMN marts.latest_revisions.source IS 'Source name, joins core.dim_source';
COMMENT ON COLUMN marts.latest_revisions.fact_table IS 'Table compared: core.fact_crossings, core.fact_trade_port or core.fact_trade_port_commodity';
COMMENT ON COLUMN marts.latest_revisions.port_code IS 'Port code, joins marts.port';
COMMENT ON COLUMN marts.latest_revisions.port_name IS 'Port name (marts.port)';
COMMENT ON COLUMN marts.latest_revisions.border IS 'US-Mexico or US-Canada (marts.port)';
COMMENT ON COLUMN marts.latest_revisions.month IS 'Month whose value was revised';
COMMENT ON COLUMN marts.latest_revisions.item IS 'What the value is (a crossings measure, or a trade key: direction/partner/mode or HS chapter)';
COMMENT ON COLUMN marts.latest_revisions.old_value IS 'Value in the previously published warehouse (NULL: it appeared)';
COMMENT ON COLUMN marts.latest_revisions.new_value IS 'Value now (NULL: it disappeared)';
COMMENT ON COLUMN marts.latest_revisions.change IS 'new_value - old_value';

-- Filled by the build's revisions step (warehouse/sql/revisions/10_revisions.sql).
CREATE TABLE marts.revisions_compared (
    fact_table        VARCHAR NOT NULL,
    previous_refresh  TIMESTAMPTZ,
    values_revised    INTEGER NOT NULL
);
COMMENT ON TABLE marts.revisions_compared IS 'The fact tables the refresh that built this warehouse compared with the previously published one, one row each: empty on the first refresh (nothing to compare with), so marts.latest_revisions being empty means "nothing revised" only when this has rows';
COMMENT ON COLUMN marts.revisions_compared.fact_table IS 'Table compared: core.fact_crossings, core.fact_trade_port or core.fact_trade_port_commodity';
COMMENT ON COLUMN marts.revisions_compared.previous_refresh IS 'When the warehouse compared with was published (UTC): the latest published run it records';
COMMENT ON COLUMN marts.revisions_compared.values_revised IS 'How many of its values were revised (rows of marts.latest_revisions for this table)';
