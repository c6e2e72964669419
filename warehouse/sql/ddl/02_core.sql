-- Core dimensions and facts. Ports by 4-digit CBP port code (text), months as first day (DATE).
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

CREATE TABLE core.dim_mode (
    mode          VARCHAR PRIMARY KEY,
    disagmot_code VARCHAR NOT NULL,
    label_en      VARCHAR NOT NULL,
    label_es      VARCHAR NOT NULL,
    is_land       BOOLEAN NOT NULL
);
COMMENT ON TABLE core.dim_mode IS 'Transport modes of the TransBorder data (BTS DISAGMOT codes)';
COMMENT ON COLUMN core.dim_mode.mode IS 'Mode code: vessel, air, mail, truck, rail, pipeline, other, ftz';
COMMENT ON COLUMN core.dim_mode.disagmot_code IS 'BTS DISAGMOT code (1 vessel, 3 air, 4 mail, 5 truck, 6 rail, 7 pipeline, 8 other/unknown, 9 foreign trade zones)';
COMMENT ON COLUMN core.dim_mode.label_en IS 'English label';
COMMENT ON COLUMN core.dim_mode.label_es IS 'Spanish label';
COMMENT ON COLUMN core.dim_mode.is_land IS 'True for the land border modes: truck, rail, pipeline';

CREATE TABLE core.dim_commodity (
    commodity      VARCHAR PRIMARY KEY,
    name_en        VARCHAR NOT NULL,
    name_es        VARCHAR NOT NULL,
    hled_sector    VARCHAR NOT NULL,
    hled_sector_en VARCHAR NOT NULL,
    hled_sector_es VARCHAR NOT NULL,
    is_priority    BOOLEAN NOT NULL
);
COMMENT ON TABLE core.dim_commodity IS 'HS 2-digit chapters with the project''s HLED sector tag (semiconductors & ICT HS 85, computers & machinery HS 84, medical & optical HS 90, pharmaceuticals HS 30, vehicles & parts HS 87, other)';
COMMENT ON COLUMN core.dim_commodity.commodity IS 'HS chapter, 2 characters with leading zero (COMMODITY2), e.g. 08, 85';
COMMENT ON COLUMN core.dim_commodity.name_en IS 'Chapter title in English (short form of the HS nomenclature)';
COMMENT ON COLUMN core.dim_commodity.name_es IS 'Chapter title in Spanish';
COMMENT ON COLUMN core.dim_commodity.hled_sector IS 'HLED sector code: semiconductors_ict, computers_machinery, medical_optical, pharmaceuticals, vehicles_parts or other';
COMMENT ON COLUMN core.dim_commodity.hled_sector_en IS 'HLED sector label in English';
COMMENT ON COLUMN core.dim_commodity.hled_sector_es IS 'HLED sector label in Spanish';
COMMENT ON COLUMN core.dim_commodity.is_priority IS 'True for the supply chains HLED names: semiconductors & ICT, medical devices, pharmaceuticals';

CREATE TABLE core.dim_trade_type (
    trade_type   VARCHAR PRIMARY KEY,
    trdtype_code VARCHAR NOT NULL,
    label_en     VARCHAR NOT NULL,
    label_es     VARCHAR NOT NULL
);
COMMENT ON TABLE core.dim_trade_type IS 'Direction of trade (BTS TRDTYPE)';
COMMENT ON COLUMN core.dim_trade_type.trade_type IS 'export (US exports) or import (US imports)';
COMMENT ON COLUMN core.dim_trade_type.trdtype_code IS 'BTS TRDTYPE code: 1 export, 2 import';
COMMENT ON COLUMN core.dim_trade_type.label_en IS 'English label';
COMMENT ON COLUMN core.dim_trade_type.label_es IS 'Spanish label';

CREATE TABLE core.dim_country (
    country      VARCHAR PRIMARY KEY,
    country_code VARCHAR NOT NULL,
    label_en     VARCHAR NOT NULL,
    label_es     VARCHAR NOT NULL
);
COMMENT ON TABLE core.dim_country IS 'Trading partner of the United States (BTS COUNTRY, Census codes)';
COMMENT ON COLUMN core.dim_country.country IS 'mexico or canada';
COMMENT ON COLUMN core.dim_country.country_code IS 'Census country code: 2010 Mexico, 1220 Canada';
COMMENT ON COLUMN core.dim_country.label_en IS 'English name';
COMMENT ON COLUMN core.dim_country.label_es IS 'Spanish name';

CREATE TABLE core.dim_region (
    country     VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    PRIMARY KEY (country, region_code)
);
COMMENT ON TABLE core.dim_region IS 'Mexican states (MEXSTATE) and Canadian provinces (CANPROV) as coded by BTS';
COMMENT ON COLUMN core.dim_region.country IS 'mexico or canada';
COMMENT ON COLUMN core.dim_region.region_code IS 'BTS code: 2 letters for Mexican states (XX/OT unknown), X-prefixed for Canadian provinces';
COMMENT ON COLUMN core.dim_region.name IS 'State or province name';

CREATE TABLE core.fact_trade_port (
    month DATE NOT NULL,
    trade_type VARCHAR NOT NULL,
    country VARCHAR NOT NULL,
    us_state VARCHAR NOT NULL,
    port_code VARCHAR NOT NULL,
    mode VARCHAR NOT NULL,
    mex_state VARCHAR,
    can_province VARCHAR,
    domestic_foreign VARCHAR,
    containerized BOOLEAN,
    value_usd BIGINT NOT NULL CHECK (value_usd >= 0),
    weight_kg BIGINT CHECK (weight_kg >= 0),
    freight_usd BIGINT NOT NULL CHECK (freight_usd >= 0)
);
COMMENT ON TABLE core.fact_trade_port IS 'US trade with Mexico and Canada by port, US state and mode, monthly (TransBorder table 1, dot1). Each table covers all trade: do not add them together';
COMMENT ON COLUMN core.fact_trade_port.month IS 'First day of the month of the trade';
COMMENT ON COLUMN core.fact_trade_port.trade_type IS 'export or import (US point of view), joins core.dim_trade_type';
COMMENT ON COLUMN core.fact_trade_port.country IS 'Trading partner: mexico or canada, joins core.dim_country';
COMMENT ON COLUMN core.fact_trade_port.us_state IS 'US state code (USASTATE): origin of exports, destination of imports';
COMMENT ON COLUMN core.fact_trade_port.port_code IS 'Schedule D port code (DEPE), 4 characters; codes ending XX are district totals of unknown port';
COMMENT ON COLUMN core.fact_trade_port.mode IS 'Transport mode, joins core.dim_mode';
COMMENT ON COLUMN core.fact_trade_port.mex_state IS 'Mexican state code (MEXSTATE); NULL for Canada rows';
COMMENT ON COLUMN core.fact_trade_port.can_province IS 'Canadian province code (CANPROV); NULL for Mexico rows';
COMMENT ON COLUMN core.fact_trade_port.domestic_foreign IS 'Exports only: domestic or foreign origin goods (DF); NULL for imports';
COMMENT ON COLUMN core.fact_trade_port.containerized IS 'Containerized shipment (CONTCODE 1) or not (0); NULL where not reported (X)';
COMMENT ON COLUMN core.fact_trade_port.value_usd IS 'Trade value in US dollars';
COMMENT ON COLUMN core.fact_trade_port.weight_kg IS 'Shipping weight in kg; NULL where BTS does not report it (exports by land and other non-air, non-vessel modes), never a false zero';
COMMENT ON COLUMN core.fact_trade_port.freight_usd IS 'Freight charges in US dollars';

CREATE TABLE core.fact_trade_state_commodity (
    month DATE NOT NULL,
    trade_type VARCHAR NOT NULL,
    country VARCHAR NOT NULL,
    us_state VARCHAR NOT NULL,
    commodity VARCHAR NOT NULL,
    mode VARCHAR NOT NULL,
    mex_state VARCHAR,
    can_province VARCHAR,
    domestic_foreign VARCHAR,
    containerized BOOLEAN,
    value_usd BIGINT NOT NULL CHECK (value_usd >= 0),
    weight_kg BIGINT CHECK (weight_kg >= 0),
    freight_usd BIGINT NOT NULL CHECK (freight_usd >= 0)
);
COMMENT ON TABLE core.fact_trade_state_commodity IS 'US trade with Mexico and Canada by US state, HS chapter and mode, monthly (TransBorder table 2, dot2). Each table covers all trade: do not add them together';
COMMENT ON COLUMN core.fact_trade_state_commodity.month IS 'First day of the month of the trade';
COMMENT ON COLUMN core.fact_trade_state_commodity.trade_type IS 'export or import (US point of view), joins core.dim_trade_type';
COMMENT ON COLUMN core.fact_trade_state_commodity.country IS 'Trading partner: mexico or canada, joins core.dim_country';
COMMENT ON COLUMN core.fact_trade_state_commodity.us_state IS 'US state code (USASTATE): origin of exports, destination of imports';
COMMENT ON COLUMN core.fact_trade_state_commodity.commodity IS 'HS chapter (COMMODITY2), joins core.dim_commodity';
COMMENT ON COLUMN core.fact_trade_state_commodity.mode IS 'Transport mode, joins core.dim_mode';
COMMENT ON COLUMN core.fact_trade_state_commodity.mex_state IS 'Mexican state code (MEXSTATE); NULL for Canada rows';
COMMENT ON COLUMN core.fact_trade_state_commodity.can_province IS 'Canadian province code (CANPROV); NULL for Mexico rows';
COMMENT ON COLUMN core.fact_trade_state_commodity.domestic_foreign IS 'Exports only: domestic or foreign origin goods (DF); NULL for imports';
COMMENT ON COLUMN core.fact_trade_state_commodity.containerized IS 'Containerized shipment (CONTCODE 1) or not (0); NULL where not reported (X)';
COMMENT ON COLUMN core.fact_trade_state_commodity.value_usd IS 'Trade value in US dollars';
COMMENT ON COLUMN core.fact_trade_state_commodity.weight_kg IS 'Shipping weight in kg; NULL where BTS does not report it (exports by land and other non-air, non-vessel modes), never a false zero';
COMMENT ON COLUMN core.fact_trade_state_commodity.freight_usd IS 'Freight charges in US dollars';

CREATE TABLE core.fact_trade_port_commodity (
    month DATE NOT NULL,
    trade_type VARCHAR NOT NULL,
    country VARCHAR NOT NULL,
    port_code VARCHAR NOT NULL,
    commodity VARCHAR NOT NULL,
    mode VARCHAR NOT NULL,
    domestic_foreign VARCHAR,
    containerized BOOLEAN,
    value_usd BIGINT NOT NULL CHECK (value_usd >= 0),
    weight_kg BIGINT CHECK (weight_kg >= 0),
    freight_usd BIGINT NOT NULL CHECK (freight_usd >= 0)
);
COMMENT ON TABLE core.fact_trade_port_commodity IS 'US trade with Mexico and Canada by port, HS chapter and mode, monthly (TransBorder table 3, dot3). Each table covers all trade: do not add them together';
COMMENT ON COLUMN core.fact_trade_port_commodity.month IS 'First day of the month of the trade';
COMMENT ON COLUMN core.fact_trade_port_commodity.trade_type IS 'export or import (US point of view), joins core.dim_trade_type';
COMMENT ON COLUMN core.fact_trade_port_commodity.country IS 'Trading partner: mexico or canada, joins core.dim_country';
COMMENT ON COLUMN core.fact_trade_port_commodity.port_code IS 'Schedule D port code (DEPE), 4 characters; codes ending XX are district totals of unknown port';
COMMENT ON COLUMN core.fact_trade_port_commodity.commodity IS 'HS chapter (COMMODITY2), joins core.dim_commodity';
COMMENT ON COLUMN core.fact_trade_port_commodity.mode IS 'Transport mode, joins core.dim_mode';
COMMENT ON COLUMN core.fact_trade_port_commodity.domestic_foreign IS 'Exports only: domestic or foreign origin goods (DF); NULL for imports';
COMMENT ON COLUMN core.fact_trade_port_commodity.containerized IS 'Containerized shipment (CONTCODE 1) or not (0); NULL where not reported (X)';
COMMENT ON COLUMN core.fact_trade_port_commodity.value_usd IS 'Trade value in US dollars';
COMMENT ON COLUMN core.fact_trade_port_commodity.weight_kg IS 'Shipping weight in kg; NULL where BTS does not report it (exports by land and other non-air, non-vessel modes), never a false zero';
COMMENT ON COLUMN core.fact_trade_port_commodity.freight_usd IS 'Freight charges in US dollars';

CREATE TABLE core.ref_schedule_d_port (
    port_code     VARCHAR PRIMARY KEY,
    port_name     VARCHAR NOT NULL,
    district_code VARCHAR,
    district_name VARCHAR
);
COMMENT ON TABLE core.ref_schedule_d_port IS 'Schedule D ports and districts as listed in BTS''s TransBorder code workbook (codes_all.xls, sheet Port), read at run time';
COMMENT ON COLUMN core.ref_schedule_d_port.port_code IS 'Schedule D code: 4 characters; codes ending XX are districts (trade of unknown port within the district)';
COMMENT ON COLUMN core.ref_schedule_d_port.port_name IS 'Port name as listed (title case), with the state';
COMMENT ON COLUMN core.ref_schedule_d_port.district_code IS 'Customs district code (first two digits + XX)';
COMMENT ON COLUMN core.ref_schedule_d_port.district_name IS 'Customs district name';

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
