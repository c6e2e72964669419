-- This run's revisions as a mart the dashboards and the brief may read (they read marts only).
INSERT INTO marts.latest_revisions
SELECT r.source, r.fact_table, r.port_code, p.port_name, p.border, r.month, r.item, r.old_value,
       r.new_value, r.change
FROM meta.revisions r LEFT JOIN marts.port p USING (port_code)
WHERE r.run_id = (SELECT run_id FROM this_run)
ORDER BY abs(r.change) DESC NULLS LAST, r.month, r.port_code, r.item;
