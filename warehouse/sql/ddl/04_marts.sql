-- Marts every chart footer reads: which data, how recent.
CREATE TABLE marts.data_vintage (
    source       VARCHAR PRIMARY KEY,
    title        VARCHAR NOT NULL,
    publisher    VARCHAR NOT NULL,
    first_month  DATE,
    latest_month DATE,
    refreshed_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE marts.data_vintage IS 'Per source: what it is, the months it covers and when this warehouse was built (chart footers read this)';
COMMENT ON COLUMN marts.data_vintage.source IS 'Source name, joins core.dim_source';
COMMENT ON COLUMN marts.data_vintage.title IS 'Dataset title';
COMMENT ON COLUMN marts.data_vintage.publisher IS 'Publisher and dataset identifier';
COMMENT ON COLUMN marts.data_vintage.first_month IS 'Earliest month with data';
COMMENT ON COLUMN marts.data_vintage.latest_month IS 'Latest month with data';
COMMENT ON COLUMN marts.data_vintage.refreshed_at IS 'When this warehouse was built (UTC)';
