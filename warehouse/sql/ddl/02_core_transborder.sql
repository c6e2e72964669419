-- transborder: BTS North American TransBorder Freight Data, its code lists and its three tables
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
