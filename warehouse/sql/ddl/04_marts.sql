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
    stale_reason VARCHAR
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
