-- Core dimensions and facts. Ports by 4-digit CBP port code (text), months as first day (DATE).
CREATE TABLE core.dim_port (
    port_code   VARCHAR PRIMARY KEY,
    port_name   VARCHAR NOT NULL,
    state       VARCHAR,
    border      VARCHAR NOT NULL,
    latitude    DOUBLE,
    longitude   DOUBLE,
    first_month DATE,
    last_month  DATE
);
COMMENT ON TABLE core.dim_port IS 'Ports of entry, one row per CBP port code, named as in the latest month the crossings data reports them';
COMMENT ON COLUMN core.dim_port.port_code IS 'CBP port code: 4 characters with leading zeros, e.g. 2304 = Laredo, 0104 = Jackman';
COMMENT ON COLUMN core.dim_port.port_name IS 'Port name as published by BTS in the port''s latest reported month';
COMMENT ON COLUMN core.dim_port.state IS 'US state of the port (full name)';
COMMENT ON COLUMN core.dim_port.border IS 'US-Mexico or US-Canada';
COMMENT ON COLUMN core.dim_port.latitude IS 'Latitude of the port (WGS84 degrees, as published, 3 decimals)';
COMMENT ON COLUMN core.dim_port.longitude IS 'Longitude of the port (WGS84 degrees, as published, 3 decimals)';
COMMENT ON COLUMN core.dim_port.first_month IS 'First month with any crossings row for this port';
COMMENT ON COLUMN core.dim_port.last_month IS 'Last month with any crossings row for this port (ports open, close and are split over time)';

CREATE TABLE core.dim_measure (
    measure  VARCHAR PRIMARY KEY,
    label_en VARCHAR NOT NULL,
    label_es VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    unit_en  VARCHAR NOT NULL,
    unit_es  VARCHAR NOT NULL
);
COMMENT ON TABLE core.dim_measure IS 'Crossing measures (what is counted) with English and Spanish labels';
COMMENT ON COLUMN core.dim_measure.measure IS 'Measure code, lower_snake_case, e.g. trucks, truck_containers_loaded, pedestrians';
COMMENT ON COLUMN core.dim_measure.label_en IS 'English label as BTS names the measure';
COMMENT ON COLUMN core.dim_measure.label_es IS 'Spanish label';
COMMENT ON COLUMN core.dim_measure.category IS 'freight (trucks, trains, containers), vehicles (personal vehicles, buses) or people (passengers, pedestrians)';
COMMENT ON COLUMN core.dim_measure.unit_en IS 'What one unit of value counts, in English (e.g. trucks, people)';
COMMENT ON COLUMN core.dim_measure.unit_es IS 'What one unit of value counts, in Spanish';

CREATE TABLE core.dim_month (
    month         DATE PRIMARY KEY,
    year          INTEGER NOT NULL,
    month_of_year INTEGER NOT NULL,
    quarter       INTEGER NOT NULL,
    month_name_en VARCHAR NOT NULL,
    month_name_es VARCHAR NOT NULL
);
COMMENT ON TABLE core.dim_month IS 'Calendar months (first day of each month) covering every month in the facts, with no gaps';
COMMENT ON COLUMN core.dim_month.month IS 'First day of the month';
COMMENT ON COLUMN core.dim_month.year IS 'Calendar year';
COMMENT ON COLUMN core.dim_month.month_of_year IS 'Month number 1-12';
COMMENT ON COLUMN core.dim_month.quarter IS 'Calendar quarter 1-4';
COMMENT ON COLUMN core.dim_month.month_name_en IS 'Month name in English';
COMMENT ON COLUMN core.dim_month.month_name_es IS 'Month name in Spanish';

CREATE TABLE core.fact_crossings (
    port_code VARCHAR NOT NULL,
    month     DATE NOT NULL,
    measure   VARCHAR NOT NULL,
    value     BIGINT NOT NULL CHECK (value >= 0),
    PRIMARY KEY (port_code, month, measure)
);
COMMENT ON TABLE core.fact_crossings IS 'Inbound (into the US) crossings per port, month and measure, from BTS Border Crossing Entry Data (keg4-3bc2). A missing row usually means no activity was reported, not zero';
COMMENT ON COLUMN core.fact_crossings.port_code IS 'CBP port code, joins core.dim_port';
COMMENT ON COLUMN core.fact_crossings.month IS 'First day of the month counted, joins core.dim_month';
COMMENT ON COLUMN core.fact_crossings.measure IS 'What is counted, joins core.dim_measure';
COMMENT ON COLUMN core.fact_crossings.value IS 'Count of inbound crossings in the month (vehicles, containers or people per the measure)';

CREATE TABLE core.dim_source (
    source    VARCHAR PRIMARY KEY,
    title     VARCHAR NOT NULL,
    publisher VARCHAR NOT NULL,
    url       VARCHAR NOT NULL
);
COMMENT ON TABLE core.dim_source IS 'Data sources loaded into this warehouse, as declared in the source registry';
COMMENT ON COLUMN core.dim_source.source IS 'Source name, e.g. bts_crossings';
COMMENT ON COLUMN core.dim_source.title IS 'Dataset title as the publisher names it';
COMMENT ON COLUMN core.dim_source.publisher IS 'Publisher and dataset identifier, for citations';
COMMENT ON COLUMN core.dim_source.url IS 'Publisher URL the source is fetched from';
