-- census_ports: the Census Bureau's international trade API by port and HS heading (porths)
CREATE TABLE core.dim_hs_heading (
    hs_code      VARCHAR PRIMARY KEY,
    hs_level     VARCHAR NOT NULL,
    chapter      VARCHAR NOT NULL,
    hled_sector  VARCHAR NOT NULL,
    hled_product VARCHAR,
    product_en   VARCHAR,
    product_es   VARCHAR,
    title_en     VARCHAR NOT NULL,
    title_es     VARCHAR NOT NULL
);
COMMENT ON TABLE core.dim_hs_heading IS 'HS chapters and headings asked of the Census trade API, declared in transforms/census_ports.py: the exact headings of the HLED sectors (integrated circuits 8542, semiconductor devices 8541, medical devices 9018-9022, medicines 3004...) and their chapters, asked too so that they can be reconciled with TransBorder';
COMMENT ON COLUMN core.dim_hs_heading.hs_code IS 'HS code: 2 digits for a chapter, 4 for a heading';
COMMENT ON COLUMN core.dim_hs_heading.hs_level IS 'HS2 (chapter) or HS4 (heading), as the API''s COMM_LVL';
COMMENT ON COLUMN core.dim_hs_heading.chapter IS 'The HS chapter the code belongs to (its first two digits)';
COMMENT ON COLUMN core.dim_hs_heading.hled_sector IS 'HLED sector the code serves (semiconductors_ict, medical_optical, pharmaceuticals), as core.dim_commodity.hled_sector';
COMMENT ON COLUMN core.dim_hs_heading.hled_product IS 'The HLED product the heading belongs to, named exactly (semiconductors = 8541 + 8542, medical_devices = 9018-9022, medicines = 3004, ...); NULL for a whole chapter';
COMMENT ON COLUMN core.dim_hs_heading.product_en IS 'The product''s name in English, with its headings';
COMMENT ON COLUMN core.dim_hs_heading.product_es IS 'The product''s name in Spanish, with its headings';
COMMENT ON COLUMN core.dim_hs_heading.title_en IS 'What the code holds, in English';
COMMENT ON COLUMN core.dim_hs_heading.title_es IS 'What the code holds, in Spanish';

CREATE TABLE core.fact_trade_port_hs (
    month        DATE    NOT NULL,
    trade_type   VARCHAR NOT NULL,
    country      VARCHAR NOT NULL,
    port_code    VARCHAR NOT NULL,
    hs_code      VARCHAR NOT NULL,
    hs_level     VARCHAR NOT NULL,
    value_usd    BIGINT  NOT NULL,
    air_usd      BIGINT  NOT NULL,
    vessel_usd   BIGINT  NOT NULL,
    land_usd     BIGINT  NOT NULL,
    port_name    VARCHAR,
    PRIMARY KEY (month, trade_type, country, port_code, hs_code)
);
COMMENT ON TABLE core.fact_trade_port_hs IS 'US trade with Mexico and Canada by port of entry, HS chapter or heading and month, from the Census Bureau''s international trade API (porths). Imports are general imports by port of unlading, exports by port of export. Total and grouping rows of the API are left out. A chapter row and its headings overlap: do not add levels together';
COMMENT ON COLUMN core.fact_trade_port_hs.month IS 'First day of the month';
COMMENT ON COLUMN core.fact_trade_port_hs.trade_type IS 'export (US exports) or import (US imports), as core.dim_trade_type';
COMMENT ON COLUMN core.fact_trade_port_hs.country IS 'Trading partner: mexico (Census code 2010) or canada (1220), as core.dim_country';
COMMENT ON COLUMN core.fact_trade_port_hs.port_code IS '4-digit Schedule D port code (core.dim_port); the API''s own spelling of the name (e.g. HILDAGO, TX for 2305) is in port_name only';
COMMENT ON COLUMN core.fact_trade_port_hs.hs_code IS 'HS chapter or heading (core.dim_hs_heading)';
COMMENT ON COLUMN core.fact_trade_port_hs.hs_level IS 'HS2 (chapter) or HS4 (heading)';
COMMENT ON COLUMN core.fact_trade_port_hs.value_usd IS 'Value in US dollars, all modes (imports GEN_VAL_MO, exports ALL_VAL_MO)';
COMMENT ON COLUMN core.fact_trade_port_hs.air_usd IS 'Value in US dollars carried by air (AIR_VAL_MO)';
COMMENT ON COLUMN core.fact_trade_port_hs.vessel_usd IS 'Value in US dollars carried by vessel (VES_VAL_MO)';
COMMENT ON COLUMN core.fact_trade_port_hs.land_usd IS 'Value in US dollars by land and other modes: all modes less air and vessel (the API has no truck or rail split)';
COMMENT ON COLUMN core.fact_trade_port_hs.port_name IS 'Port name as the API spells it';
