-- schedule_d: the Schedule D ports of BTS's TransBorder code workbook
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
