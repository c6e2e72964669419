-- Values revised against the previously published warehouse (attached as `prev`). A fact table is
-- compared only when both files have rows in it (a source not loaded this time is not "deleted"),
-- and only over months both files have (new months are not revisions; a month missing from this
-- build is a coverage gap, not thousands of deletions). this_run(run_id, code_changed) and
-- revision_keys (each compared table's values, new and old, as the source registry declares them)
-- come from the build.
INSERT INTO meta.revisions
WITH compared AS (  -- tables with rows on both sides, and the previous file's months
    SELECT fact_table FROM revision_keys GROUP BY fact_table
    HAVING count(*) FILTER (WHERE side = 'new') > 0 AND count(*) FILTER (WHERE side = 'old') > 0
),
old_months AS (  -- months present on both sides
    SELECT fact_table, month FROM revision_keys GROUP BY ALL
    HAVING count(*) FILTER (WHERE side = 'old') > 0 AND count(*) FILTER (WHERE side = 'new') > 0
),
pairs AS (
    SELECT source, fact_table, port_code, month, item,
           any_value(value) FILTER (WHERE side = 'old') AS old_value,
           any_value(value) FILTER (WHERE side = 'new') AS new_value
    FROM revision_keys
    WHERE fact_table IN (SELECT fact_table FROM compared)
    GROUP BY ALL
)
SELECT (SELECT run_id FROM this_run), p.source, p.fact_table, p.port_code, p.month, p.item,
       p.old_value, p.new_value, p.new_value - p.old_value, (SELECT code_changed FROM this_run)
FROM pairs p JOIN old_months m USING (fact_table, month)
WHERE p.old_value IS DISTINCT FROM p.new_value
ORDER BY p.fact_table, p.month, p.port_code, p.item;

-- What was compared, so "nothing revised" can be told from "nothing to compare with" (a first refresh).
INSERT INTO marts.revisions_compared
SELECT k.fact_table,
       (SELECT max(finished_at) FROM prev.meta.runs WHERE status = 'published'),
       (SELECT count(*) FROM meta.revisions r
        WHERE r.run_id = (SELECT run_id FROM this_run) AND r.fact_table = k.fact_table)
FROM revision_keys k
GROUP BY k.fact_table
HAVING count(*) FILTER (WHERE k.side = 'new') > 0 AND count(*) FILTER (WHERE k.side = 'old') > 0
ORDER BY k.fact_table;

DROP TABLE revision_keys;
