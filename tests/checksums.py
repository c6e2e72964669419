"""Per-table row counts and content checksums of a warehouse file, to show two builds are identical."""

from __future__ import annotations

from pathlib import Path

import duckdb


def checksums(
    path: Path, exclude: dict[str, set[str]] | None = None, where: str = "true"
) -> dict[str, tuple[int, int]]:
    """Row count and an order-independent content checksum of every core, marts and meta table (of the
    rows matching `where`, for tables that have its columns), leaving out the columns `exclude` names
    per table or for all ("*"): things that differ by run, such as ids and times."""
    exclude = exclude or {}
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute(
            "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
            "WHERE schema_name IN ('core', 'marts', 'meta') ORDER BY 1"
        ).fetchall()
        found = {}
        for (table,) in tables:
            cols = [
                c
                for (c,) in con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE schema_name || '.' || table_name = ? "
                    "ORDER BY column_index",
                    [table],
                ).fetchall()
                if c not in exclude.get(table, set()) and c not in exclude.get("*", set())
            ]
            row = ", ".join(f'"{c}"' for c in cols)
            sql = f"SELECT count(*), coalesce(sum(hash(struct_pack({row})))::HUGEINT, 0) FROM {table}"
            try:
                found[table] = con.execute(f"{sql} WHERE {where}").fetchone()
            except duckdb.BinderException:  # the table lacks the filter's columns: all its rows
                found[table] = con.execute(sql).fetchone()
        return found
    finally:
        con.close()


# columns that say when and in what state a file was built, not what data it holds
BUILD_STATE = {"refreshed_at", "status", "stale_since", "stale_reason", "previous_refresh"}
# the same per table, where the column's name means data elsewhere (core.dim_port.state is a US state)
BUILD_STATE_OF = {"marts.data_vintage": {"state"}}
# marts tables that describe the refresh that built the file (what it compared with, how recent each
# source was that day), not the data: empty after a first refresh, one row per compared table after
# the next; a source's health changes when it fails or falls behind, its data staying the same
RUN_TABLES = ("marts.revisions_compared", "marts.source_health")


def data_checksums(path: Path) -> dict[str, tuple[int, int]]:
    """Checksums of the data an analyst reads (core and marts), leaving out when and in what state the
    file was built: two files with equal results hold the same facts, dimensions and marts."""
    found = checksums(path, {"*": BUILD_STATE, **BUILD_STATE_OF})
    return {k: v for k, v in found.items() if not k.startswith(("meta.", *RUN_TABLES))}
