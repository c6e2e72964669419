-- Port continuity: ports that were split or merged over time are grouped so long series stay
-- continuous. This list is the one place such groups are declared; every other port is a group of
-- its own (port_group = port_code). Add a row per member port when BTS splits or merges a port.
CREATE TEMP TABLE declared_port_groups (port_code VARCHAR, port_group VARCHAR, port_group_name VARCHAR, reason VARCHAR);
INSERT INTO declared_port_groups VALUES
    ('2402', 'EL_PASO_AREA', 'El Paso area (El Paso + Ysleta)',
     'Ysleta (2401) is reported on its own from March 2020; before that its traffic was reported under El Paso (2402)'),
    ('2401', 'EL_PASO_AREA', 'El Paso area (El Paso + Ysleta)',
     'Ysleta (2401) is reported on its own from March 2020; before that its traffic was reported under El Paso (2402)');

CREATE TABLE core.dim_port_group AS
SELECT p.port_code,
       coalesce(d.port_group, p.port_code) AS port_group,
       coalesce(d.port_group_name, p.port_name) AS port_group_name,
       p.border,
       d.reason
FROM core.dim_port p LEFT JOIN declared_port_groups d USING (port_code)
ORDER BY port_group, port_code;
DROP TABLE declared_port_groups;

COMMENT ON TABLE core.dim_port_group IS 'Port continuity: every port with the group its long series belong to. Ports split or merged over time share a group (declared in warehouse/sql/derive/06_port_groups.sql); every other port is a group of its own';
COMMENT ON COLUMN core.dim_port_group.port_code IS 'CBP port code, joins core.dim_port';
COMMENT ON COLUMN core.dim_port_group.port_group IS 'Group code: the port code itself, or a name such as EL_PASO_AREA for a declared group';
COMMENT ON COLUMN core.dim_port_group.port_group_name IS 'Group name (the port name for a group of one)';
COMMENT ON COLUMN core.dim_port_group.border IS 'US-Mexico or US-Canada (NULL for ports known only from trade data)';
COMMENT ON COLUMN core.dim_port_group.reason IS 'Why the port is grouped with others (NULL for a group of one)';
