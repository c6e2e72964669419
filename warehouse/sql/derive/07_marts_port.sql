-- The ports as charts and analysts name them: every port with its group (core.dim_port_group), the
-- labels to show, and whether a Schedule D code is a district total rather than a port.
CREATE TABLE marts.port AS
SELECT p.port_code, p.port_name, p.port_name || ' (' || p.port_code || ')' AS port_label,
       p.state, p.border, p.is_land_port, p.port_code LIKE '%XX' AS is_district,
       g.port_group, g.port_group_name,
       CASE WHEN g.port_group = g.port_group_name THEN g.port_group ELSE g.port_group_name END
       || CASE WHEN g.port_group SIMILAR TO '[0-9]{4}' THEN ' (' || g.port_group || ')' ELSE '' END
           AS port_group_label
FROM core.dim_port p JOIN core.dim_port_group g USING (port_code)
ORDER BY p.port_code;

COMMENT ON TABLE marts.port IS 'Every port (core.dim_port) with its port group and the labels charts show; the one place a dashboard looks a port up';
COMMENT ON COLUMN marts.port.port_code IS 'CBP (Schedule D) port code, joins the port_code of every mart';
COMMENT ON COLUMN marts.port.port_name IS 'Port name (latest published)';
COMMENT ON COLUMN marts.port.port_label IS 'Port name and code, e.g. Laredo (2304)';
COMMENT ON COLUMN marts.port.state IS 'US state of the port';
COMMENT ON COLUMN marts.port.border IS 'US-Mexico or US-Canada (NULL for ports known only from trade data)';
COMMENT ON COLUMN marts.port.is_land_port IS 'True for land border ports (those the BTS crossings data reports)';
COMMENT ON COLUMN marts.port.is_district IS 'True for Schedule D codes ending XX: trade of a customs district whose port is unknown, not a port (charts ranking ports leave them out)';
COMMENT ON COLUMN marts.port.port_group IS 'Port group, joins marts.port_group_month (the port code itself for a group of one, or a name such as EL_PASO_AREA)';
COMMENT ON COLUMN marts.port.port_group_name IS 'Group name (the port name for a group of one)';
COMMENT ON COLUMN marts.port.port_group_label IS 'Group label: name and code for a group of one, e.g. Laredo (2304); the group''s own name for a declared group';
