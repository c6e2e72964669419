-- Run metadata. History is carried from the previously published warehouse into each new one.
CREATE TABLE meta.runs (
    run_id       VARCHAR PRIMARY KEY,
    started_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ,
    status       VARCHAR NOT NULL,
    code_version VARCHAR NOT NULL,
    message      VARCHAR
);
COMMENT ON TABLE meta.runs IS 'Every refresh run: when, outcome and code version. Failed and unchanged runs are recorded too (carried in by the next published build)';
COMMENT ON COLUMN meta.runs.run_id IS 'Identifier of the refresh run (the Prefect flow run id when run under Prefect)';
COMMENT ON COLUMN meta.runs.started_at IS 'When the run started (UTC)';
COMMENT ON COLUMN meta.runs.finished_at IS 'When the run ended (UTC); for the run that built this file, when the build finished; NULL for a killed run (its end is unknown)';
COMMENT ON COLUMN meta.runs.status IS 'published (built this or an earlier file), unchanged (nothing new upstream, nothing rebuilt), failed, or killed (ended without finishing: process killed or machine stopped; found and logged by the next run)';
COMMENT ON COLUMN meta.runs.code_version IS 'Version of the pipeline code: package version and a hash of its source';
COMMENT ON COLUMN meta.runs.message IS 'Summary of the run, or the error that stopped it';

CREATE TABLE meta.source_files (
    run_id        VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,
    file_key      VARCHAR NOT NULL,
    trade_table   VARCHAR,
    url           VARCHAR NOT NULL,
    path          VARCHAR NOT NULL,
    sha256        VARCHAR NOT NULL,
    bytes         BIGINT NOT NULL,
    etag          VARCHAR,
    last_modified VARCHAR,
    fetched_at    TIMESTAMPTZ NOT NULL,
    fetch_status  VARCHAR NOT NULL,
    layout        VARCHAR,
    rows_read     BIGINT,
    rows_loaded   BIGINT,
    rows_rejected BIGINT,
    parse_status  VARCHAR,
    archive_member VARCHAR
);
COMMENT ON TABLE meta.source_files IS 'Raw files loaded by each published run: where they came from, their content hash and row counts';
COMMENT ON COLUMN meta.source_files.run_id IS 'Run that loaded the file, joins meta.runs';
COMMENT ON COLUMN meta.source_files.source IS 'Source name from the registry, e.g. bts_crossings';
COMMENT ON COLUMN meta.source_files.file_key IS 'Which file of the source: the source name for single-file sources, dotN_MMYY for TransBorder (table and month as its rows say, whatever the file is called)';
COMMENT ON COLUMN meta.source_files.trade_table IS 'Parser table of the file: crossings, dot1, dot2 or dot3';
COMMENT ON COLUMN meta.source_files.url IS 'Publisher URL (or mirror path) the file came from';
COMMENT ON COLUMN meta.source_files.path IS 'Where the raw file is kept under HLED_HOME/raw, named by its sha256';
COMMENT ON COLUMN meta.source_files.sha256 IS 'SHA-256 of the raw file as received';
COMMENT ON COLUMN meta.source_files.bytes IS 'Size of the raw file as received, in bytes';
COMMENT ON COLUMN meta.source_files.etag IS 'HTTP ETag the publisher sent, used for the next conditional request; for a mirror or dropped file, local:size-mtime-ctime-inode, so an untouched file is not read again';
COMMENT ON COLUMN meta.source_files.last_modified IS 'HTTP Last-Modified the publisher sent';
COMMENT ON COLUMN meta.source_files.fetched_at IS 'When the file was fetched or last confirmed unchanged (UTC)';
COMMENT ON COLUMN meta.source_files.fetch_status IS 'downloaded, mirror (copied from HLED_MIRROR), inbox (a ZIP a person put in HLED_HOME/inbox/<source>/), not_modified (HTTP 304), unchanged (same content hash), held (a ZIP already held and checked within HLED_TRANSBORDER_RECHECK_DAYS: not requested) or upstream_unchanged (the publisher''s metadata said the rows had not changed: not downloaded)';
COMMENT ON COLUMN meta.source_files.layout IS 'Which published layout of the file the parser recognised';
COMMENT ON COLUMN meta.source_files.rows_read IS 'Data rows in the raw file';
COMMENT ON COLUMN meta.source_files.rows_loaded IS 'Rows loaded into the core fact after rejects and duplicate collapsing';
COMMENT ON COLUMN meta.source_files.rows_rejected IS 'Rows kept out of the fact; see meta.rejects for each with its reason';
COMMENT ON COLUMN meta.source_files.archive_member IS 'For a file taken out of a ZIP (TransBorder): its name inside the ZIP whose URL is in url; NULL otherwise';
COMMENT ON COLUMN meta.source_files.parse_status IS 'parsed (read in this run) or reused (same bytes and code as an earlier run: its parse was reused)';

CREATE TABLE meta.validations (
    run_id           VARCHAR NOT NULL,
    source           VARCHAR NOT NULL,
    suite            VARCHAR NOT NULL,
    expectation      VARCHAR NOT NULL,
    column_name      VARCHAR,
    success          BOOLEAN NOT NULL,
    observed         VARCHAR,
    unexpected_count BIGINT,
    unexpected_lines VARCHAR
);
COMMENT ON TABLE meta.validations IS 'Great Expectations results, one row per expectation per validated source in each published run';
COMMENT ON COLUMN meta.validations.run_id IS 'Run that validated, joins meta.runs';
COMMENT ON COLUMN meta.validations.source IS 'Source whose clean table was validated';
COMMENT ON COLUMN meta.validations.suite IS 'Name of the GX expectation suite';
COMMENT ON COLUMN meta.validations.expectation IS 'GX expectation type with its main arguments';
COMMENT ON COLUMN meta.validations.column_name IS 'Column(s) the expectation checks, NULL for table-level expectations';
COMMENT ON COLUMN meta.validations.success IS 'Whether the expectation held';
COMMENT ON COLUMN meta.validations.observed IS 'Observed value reported by GX (e.g. row count, or a sample of unexpected values)';
COMMENT ON COLUMN meta.validations.unexpected_count IS 'How many rows broke the expectation (NULL for table-level expectations)';
COMMENT ON COLUMN meta.validations.unexpected_lines IS 'First raw-file line numbers of rows that broke it';

CREATE TABLE meta.rejects (
    run_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    file   VARCHAR NOT NULL,
    line   BIGINT NOT NULL,
    rule   VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    raw    VARCHAR
);
COMMENT ON TABLE meta.rejects IS 'Raw rows kept out of the core facts, each with the file, line and the rule it broke';
COMMENT ON COLUMN meta.rejects.run_id IS 'Run that parsed the file, joins meta.runs';
COMMENT ON COLUMN meta.rejects.source IS 'Source name from the registry';
COMMENT ON COLUMN meta.rejects.file IS 'Raw file path under HLED_HOME/raw (named by sha256)';
COMMENT ON COLUMN meta.rejects.line IS 'Line number in the raw file (the header is line 1)';
COMMENT ON COLUMN meta.rejects.rule IS 'Short rule code: duplicate_conflict, duplicate_exact, value_not_integer, date_unparseable, port_code_missing, measure_missing';
COMMENT ON COLUMN meta.rejects.reason IS 'What was wrong with the row and what the fact kept instead, in words';
COMMENT ON COLUMN meta.rejects.raw IS 'The raw row as text, fields joined by commas';

CREATE TABLE meta.revisions (
    run_id     VARCHAR NOT NULL,
    source     VARCHAR NOT NULL,
    fact_table VARCHAR NOT NULL,
    port_code  VARCHAR,
    month      DATE NOT NULL,
    item       VARCHAR NOT NULL,
    old_value  DOUBLE,
    new_value  DOUBLE,
    change     DOUBLE,
    code_changed BOOLEAN NOT NULL
);
COMMENT ON TABLE meta.revisions IS 'Values that changed against the previously published warehouse: every key of a month both files have whose value changed, appeared or disappeared, with old and new values and the run that saw it (history kept across refreshes). New months and months missing from this build are not listed (see marts.coverage). Crossings per port, month and measure; trade summed per port, month, direction, partner and mode (dot1) or HS chapter (dot3); dot2 is not compared';
COMMENT ON COLUMN meta.revisions.run_id IS 'Run whose build saw the change, joins meta.runs';
COMMENT ON COLUMN meta.revisions.source IS 'Source name, joins core.dim_source';
COMMENT ON COLUMN meta.revisions.fact_table IS 'Table compared: core.fact_crossings (per port, month, measure), core.fact_trade_port (value per port, month, direction/partner/mode) or core.fact_trade_port_commodity (value per port, month, direction/partner/HS chapter)';
COMMENT ON COLUMN meta.revisions.port_code IS 'Port code';
COMMENT ON COLUMN meta.revisions.month IS 'First day of the revised month';
COMMENT ON COLUMN meta.revisions.item IS 'What was revised: the measure (crossings), or trade_type/country/mode (dot1) or trade_type/country/HS chapter (dot3)';
COMMENT ON COLUMN meta.revisions.old_value IS 'Value in the previously published warehouse (NULL: the key is new in a month already published); trade values are US dollars summed over the key';
COMMENT ON COLUMN meta.revisions.new_value IS 'Value in this build (NULL: the key disappeared)';
COMMENT ON COLUMN meta.revisions.change IS 'new_value - old_value (NULL when either is missing)';
COMMENT ON COLUMN meta.revisions.code_changed IS 'True when this build ran other code than the previous one: then a change may come from parsing or rules, not only from the publisher';

CREATE TABLE meta.file_choices (
    run_id          VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    file_key        VARCHAR NOT NULL,
    decision        VARCHAR NOT NULL,
    kept_url        VARCHAR NOT NULL,
    kept_member     VARCHAR,
    kept_sha256     VARCHAR NOT NULL,
    kept_written    TIMESTAMP,
    dropped_url     VARCHAR NOT NULL,
    dropped_member  VARCHAR,
    dropped_sha256  VARCHAR NOT NULL,
    dropped_written TIMESTAMP
);
COMMENT ON TABLE meta.file_choices IS 'The same table and month found in more than one file (e.g. July 2021 in its own TransBorder ZIP and in July-to-Dec-2021.zip): which file this build loaded, which it left out, and why';
COMMENT ON COLUMN meta.file_choices.run_id IS 'Run whose build made the choice, joins meta.runs';
COMMENT ON COLUMN meta.file_choices.source IS 'Source name from the registry';
COMMENT ON COLUMN meta.file_choices.file_key IS 'Table and month, dotN_MMYY, as in meta.source_files.file_key';
COMMENT ON COLUMN meta.file_choices.decision IS 'identical content: loaded once; or different content: the newer publication wins (the ZIP whose members were written last; on a tie, the later URL)';
COMMENT ON COLUMN meta.file_choices.kept_url IS 'URL (or inbox path) of the ZIP whose file was loaded';
COMMENT ON COLUMN meta.file_choices.kept_member IS 'Name of the loaded file inside that ZIP';
COMMENT ON COLUMN meta.file_choices.kept_sha256 IS 'SHA-256 of the loaded file';
COMMENT ON COLUMN meta.file_choices.kept_written IS 'Newest member timestamp of the loaded file''s ZIP (when BTS made it; the ZIP''s local time)';
COMMENT ON COLUMN meta.file_choices.dropped_url IS 'URL (or inbox path) of the ZIP whose copy was left out';
COMMENT ON COLUMN meta.file_choices.dropped_member IS 'Name of the left-out file inside that ZIP';
COMMENT ON COLUMN meta.file_choices.dropped_sha256 IS 'SHA-256 of the left-out file (equal to kept_sha256 when identical)';
COMMENT ON COLUMN meta.file_choices.dropped_written IS 'Newest member timestamp of the left-out file''s ZIP';

CREATE TABLE meta.source_status (
    source      VARCHAR PRIMARY KEY,
    state       VARCHAR NOT NULL,
    since       TIMESTAMPTZ,
    data_run_id VARCHAR,
    stage       VARCHAR,
    rule        VARCHAR,
    file        VARCHAR,
    reason      VARCHAR,
    checked_run_id VARCHAR NOT NULL
);
COMMENT ON TABLE meta.source_status IS 'Per source, as of the run that built this file: current (its data came in this run or is unchanged) or stale (its last refresh failed, so the data of its last good run is kept unchanged), since when and why';
COMMENT ON COLUMN meta.source_status.source IS 'Source name from the registry, joins core.dim_source';
COMMENT ON COLUMN meta.source_status.state IS 'current, stale (last good data kept) or missing (failed and nothing was ever published for it)';
COMMENT ON COLUMN meta.source_status.since IS 'current: when the run that loaded its data started; stale/missing: when the first failed run in a row started';
COMMENT ON COLUMN meta.source_status.data_run_id IS 'The run whose files of this source are loaded (joins meta.source_files.run_id)';
COMMENT ON COLUMN meta.source_status.stage IS 'Where the last refresh failed: fetch, parse or validate (NULL when current)';
COMMENT ON COLUMN meta.source_status.rule IS 'The rule the failure names, e.g. http_ok, file_complete, expect_column_values_to_not_be_null (NULL when current or none named)';
COMMENT ON COLUMN meta.source_status.file IS 'The file or URL the failure is about, when it names one';
COMMENT ON COLUMN meta.source_status.reason IS 'The error of the run that first failed, as the operator saw it';
COMMENT ON COLUMN meta.source_status.checked_run_id IS 'The run that built this file and set this status';
