-- The wait-times history store (HLED_HOME/wait_times/history.duckdb): what the collector and the
-- backfill loader have gathered, appended to and never rebuilt. Each refresh copies it into the warehouse.
CREATE TABLE IF NOT EXISTS snapshots (
    sha256        VARCHAR PRIMARY KEY,
    feed          VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    path          VARCHAR NOT NULL,
    collected_at  TIMESTAMP NOT NULL,
    taken_at      TIMESTAMP,
    ports         INTEGER NOT NULL,
    readings      INTEGER NOT NULL,
    new_readings  INTEGER NOT NULL,
    lanes_without_reading INTEGER NOT NULL,
    rejected      INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS readings (
    port_number    VARCHAR NOT NULL,
    crossing       VARCHAR NOT NULL,
    border         VARCHAR,
    vehicle_type   VARCHAR NOT NULL,
    lane_type      VARCHAR NOT NULL,
    observed_local TIMESTAMP NOT NULL,
    tz_abbrev      VARCHAR NOT NULL,
    observed_utc   TIMESTAMP NOT NULL,
    delay_minutes  INTEGER NOT NULL,
    lanes_open     INTEGER NOT NULL,
    max_lanes      INTEGER,
    status         VARCHAR NOT NULL,
    first_seen_utc TIMESTAMP NOT NULL,
    snapshot_sha256 VARCHAR NOT NULL,
    PRIMARY KEY (port_number, vehicle_type, lane_type, observed_utc, delay_minutes, lanes_open)
);
CREATE TABLE IF NOT EXISTS rejects (
    file_sha256 VARCHAR NOT NULL,  -- the snapshot or historical export the row came from
    line   BIGINT NOT NULL,
    rule   VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    raw    VARCHAR
);
CREATE TABLE IF NOT EXISTS profile_files (  -- one row per export loaded for a crossing
    sha256        VARCHAR NOT NULL,
    path          VARCHAR NOT NULL,
    original      VARCHAR NOT NULL,
    port_number   VARCHAR NOT NULL,
    loaded_at     TIMESTAMP NOT NULL,
    rows_read     INTEGER NOT NULL,
    rows_loaded   INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    dropped_columns VARCHAR,
    PRIMARY KEY (sha256, port_number)
);
CREATE TABLE IF NOT EXISTS profiles (
    port_number      VARCHAR NOT NULL,
    vehicle_type     VARCHAR NOT NULL,
    lane_type        VARCHAR NOT NULL,
    month_of_year    INTEGER NOT NULL,
    day_of_week      INTEGER NOT NULL,
    hour_of_day      INTEGER NOT NULL,
    avg_wait_minutes INTEGER NOT NULL,
    file_sha256      VARCHAR NOT NULL,
    PRIMARY KEY (port_number, vehicle_type, lane_type, month_of_year, day_of_week, hour_of_day)
);
