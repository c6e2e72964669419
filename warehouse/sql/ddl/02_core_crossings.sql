-- bts_crossings: BTS Border Crossing Entry Data
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
