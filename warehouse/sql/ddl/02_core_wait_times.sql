-- cbp_wait_times: CBP Border Wait Times collected by this pipeline, and CBP's historical averages
CREATE TABLE core.dim_wait_crossing (
    port_number   VARCHAR PRIMARY KEY,
    border        VARCHAR NOT NULL,
    port_name     VARCHAR NOT NULL,
    crossing_name VARCHAR,
    crossing      VARCHAR NOT NULL,
    port_code     VARCHAR,
    timezone      VARCHAR NOT NULL
);
COMMENT ON TABLE core.dim_wait_crossing IS 'Crossings CBP reports wait times for (its six-character bwt port numbers), with the BTS port each belongs to; declared in transforms/bwt_crossings.csv, from the 76 ports of CBP''s bwtnew feed';
COMMENT ON COLUMN core.dim_wait_crossing.port_number IS 'CBP Border Wait Times port number, e.g. 230404 = Laredo World Trade Bridge, 535501 = Brownsville B&M';
COMMENT ON COLUMN core.dim_wait_crossing.border IS 'US-Mexico or US-Canada';
COMMENT ON COLUMN core.dim_wait_crossing.port_name IS 'Port name as CBP''s wait-time feed prints it';
COMMENT ON COLUMN core.dim_wait_crossing.crossing_name IS 'Crossing (bridge, lane group) within the port, NULL when the port has one';
COMMENT ON COLUMN core.dim_wait_crossing.crossing IS 'Port and crossing as one label, as the RSS feed titles it: "Brownsville - B&M"';
COMMENT ON COLUMN core.dim_wait_crossing.port_code IS 'BTS/CBP 4-character port code of core.dim_port and core.fact_crossings the crossing reports under (several crossings share one); NULL when none maps';
COMMENT ON COLUMN core.dim_wait_crossing.timezone IS 'IANA time zone of the crossing''s local clock';

CREATE TABLE core.fact_wait_times (
    port_number    VARCHAR NOT NULL,
    crossing       VARCHAR NOT NULL,
    border         VARCHAR,
    vehicle_type   VARCHAR NOT NULL CHECK (vehicle_type IN ('commercial', 'passenger', 'pedestrian')),
    lane_type      VARCHAR NOT NULL CHECK (lane_type IN ('standard', 'fast', 'sentri', 'ready')),
    observed_local TIMESTAMP NOT NULL,
    tz_abbrev      VARCHAR NOT NULL,
    observed_utc   TIMESTAMP NOT NULL,
    delay_minutes  INTEGER NOT NULL CHECK (delay_minutes >= 0),
    lanes_open     INTEGER NOT NULL CHECK (lanes_open >= 0),
    max_lanes      INTEGER,
    status         VARCHAR NOT NULL,
    versions       INTEGER NOT NULL,
    first_seen_utc TIMESTAMP NOT NULL,
    PRIMARY KEY (port_number, vehicle_type, lane_type, observed_utc)
);
COMMENT ON TABLE core.fact_wait_times IS 'CBP Border Wait Times readings collected by this pipeline (hled waits): one row per crossing, lane and update time. CBP publishes no bulk history, so this holds only what was collected or imported; lanes reported N/A, closed or pending carry no reading and are not here';
COMMENT ON COLUMN core.fact_wait_times.port_number IS 'CBP wait-time port number, joins core.dim_wait_crossing';
COMMENT ON COLUMN core.fact_wait_times.crossing IS 'Port and crossing label, e.g. Brownsville - B&M';
COMMENT ON COLUMN core.fact_wait_times.border IS 'US-Mexico or US-Canada';
COMMENT ON COLUMN core.fact_wait_times.vehicle_type IS 'commercial (trucks), passenger (personal vehicles) or pedestrian';
COMMENT ON COLUMN core.fact_wait_times.lane_type IS 'standard (CBP "General"), fast (FAST commercial), sentri (SENTRI/NEXUS) or ready (Ready Lane)';
COMMENT ON COLUMN core.fact_wait_times.observed_local IS 'Update time CBP gave for the lane, on the crossing''s local clock';
COMMENT ON COLUMN core.fact_wait_times.tz_abbrev IS 'Zone abbreviation CBP printed with the update time (CDT, PST, ...)';
COMMENT ON COLUMN core.fact_wait_times.observed_utc IS 'The update time in UTC (local time minus the zone''s offset)';
COMMENT ON COLUMN core.fact_wait_times.delay_minutes IS 'Estimated wait to reach the primary inspection booth, minutes, as CBP reported it';
COMMENT ON COLUMN core.fact_wait_times.lanes_open IS 'Lanes of this type open at the update time';
COMMENT ON COLUMN core.fact_wait_times.max_lanes IS 'Most lanes the crossing has for this vehicle type (NULL when CBP says N/A)';
COMMENT ON COLUMN core.fact_wait_times.status IS 'delay or no delay, as CBP reported it';
COMMENT ON COLUMN core.fact_wait_times.versions IS 'How many different values CBP published for this lane and update time (over 1: it corrected the value; the latest one is kept here)';
COMMENT ON COLUMN core.fact_wait_times.first_seen_utc IS 'When the feed snapshot that first carried the kept value was produced (UTC)';

CREATE TABLE core.fact_wait_time_profile (
    port_number      VARCHAR NOT NULL,
    vehicle_type     VARCHAR NOT NULL,
    lane_type        VARCHAR NOT NULL,
    month_of_year    INTEGER NOT NULL CHECK (month_of_year BETWEEN 1 AND 12),
    day_of_week      INTEGER NOT NULL CHECK (day_of_week BETWEEN 0 AND 6),
    hour_of_day      INTEGER NOT NULL CHECK (hour_of_day BETWEEN 0 AND 23),
    avg_wait_minutes INTEGER NOT NULL CHECK (avg_wait_minutes >= 0),
    file             VARCHAR NOT NULL,
    PRIMARY KEY (port_number, vehicle_type, lane_type, month_of_year, day_of_week, hour_of_day)
);
COMMENT ON TABLE core.fact_wait_time_profile IS 'CBP historical wait-time averages loaded with hled waits backfill: per crossing and lane, the average wait by month of year, day of week and hour. Averages over the years CBP''s export covered, not readings';
COMMENT ON COLUMN core.fact_wait_time_profile.port_number IS 'CBP wait-time port number, joins core.dim_wait_crossing';
COMMENT ON COLUMN core.fact_wait_time_profile.vehicle_type IS 'commercial, passenger or pedestrian';
COMMENT ON COLUMN core.fact_wait_time_profile.lane_type IS 'standard, fast, sentri or ready (CBP export columns cv/xcv, pv/xpv/pv_ready, ped/ped_ready)';
COMMENT ON COLUMN core.fact_wait_time_profile.month_of_year IS 'Month 1-12 (bwt_month)';
COMMENT ON COLUMN core.fact_wait_time_profile.day_of_week IS 'Day of week 0-6 as CBP numbers it in the export (bwt_day)';
COMMENT ON COLUMN core.fact_wait_time_profile.hour_of_day IS 'Hour 0-23 on the crossing''s local clock (bwt_hour)';
COMMENT ON COLUMN core.fact_wait_time_profile.avg_wait_minutes IS 'Average wait in minutes';
COMMENT ON COLUMN core.fact_wait_time_profile.file IS 'The export file loaded (its copy is kept under HLED_HOME/raw/cbp_wait_times)';
