-- Core dimensions shared by the sources: the ports every source names, the calendar, the sources
-- themselves and the factors the estimates use. Each source's own tables are in 02_core_<source>.sql.
-- Ports by 4-digit CBP port code (text), months as first day (DATE).
CREATE TABLE core.dim_port (
    port_code   VARCHAR PRIMARY KEY,
    port_name   VARCHAR NOT NULL,
    state       VARCHAR,
    border      VARCHAR,
    latitude    DOUBLE,
    longitude   DOUBLE,
    first_month DATE,
    last_month  DATE,
    is_land_port BOOLEAN NOT NULL,
    crossings_port_code VARCHAR
);
COMMENT ON TABLE core.dim_port IS 'Ports of entry, one row per CBP (Schedule D) port code: every port of the crossings data, named as in its latest month, plus the ports that appear only in the TransBorder trade data (named from Schedule D, else by their code)';
COMMENT ON COLUMN core.dim_port.port_code IS 'CBP port code: 4 characters with leading zeros, e.g. 2304 = Laredo, 0104 = Jackman';
COMMENT ON COLUMN core.dim_port.port_name IS 'Port name as published by BTS in the port''s latest reported month';
COMMENT ON COLUMN core.dim_port.state IS 'US state of the port (full name)';
COMMENT ON COLUMN core.dim_port.border IS 'US-Mexico or US-Canada (NULL for ports known only from trade data)';
COMMENT ON COLUMN core.dim_port.latitude IS 'Latitude of the port (WGS84 degrees, as published, 3 decimals)';
COMMENT ON COLUMN core.dim_port.longitude IS 'Longitude of the port (WGS84 degrees, as published, 3 decimals)';
COMMENT ON COLUMN core.dim_port.first_month IS 'First month with any crossings row for this port';
COMMENT ON COLUMN core.dim_port.last_month IS 'Last month with any crossings row for this port (ports open, close and are split over time)';
COMMENT ON COLUMN core.dim_port.is_land_port IS 'True for land border ports (those the BTS crossings data reports); false for ports known only from trade data (seaports, airports, inland ports, districts)';
COMMENT ON COLUMN core.dim_port.crossings_port_code IS 'Crosswalk: the port code in core.fact_crossings for this port (the same CBP code), NULL when the crossings data has no such port';

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

CREATE TABLE core.ref_emission_factor (
    factor_id              VARCHAR PRIMARY KEY,
    kg_co2_per_hour        DOUBLE NOT NULL,
    fuel_gallons_per_hour  DOUBLE NOT NULL,
    kg_co2_per_gallon      DOUBLE NOT NULL,
    source                 VARCHAR NOT NULL
);
COMMENT ON TABLE core.ref_emission_factor IS 'Emission factors the estimates use, declared once in warehouse/indicators.py with their sources';
COMMENT ON COLUMN core.ref_emission_factor.factor_id IS 'Factor name, e.g. truck_idle';
COMMENT ON COLUMN core.ref_emission_factor.kg_co2_per_hour IS 'kg CO2 per hour: fuel_gallons_per_hour x kg_co2_per_gallon';
COMMENT ON COLUMN core.ref_emission_factor.fuel_gallons_per_hour IS 'Diesel burnt per hour of idling, US gallons';
COMMENT ON COLUMN core.ref_emission_factor.kg_co2_per_gallon IS 'kg CO2 per US gallon of diesel burnt';
COMMENT ON COLUMN core.ref_emission_factor.source IS 'Where both numbers come from';
