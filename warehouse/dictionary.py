"""The data dictionary (docs/data_dictionary.md), generated from the warehouse's own COMMENTs so
the documentation and the tables cannot disagree."""

from __future__ import annotations

import duckdb

from warehouse.build import derive, sql_files
from warehouse.db import connect, rows, run

HEADER = """# Data dictionary

Generated from the `COMMENT ON` text in `warehouse/sql/` by `hled docs`; do not edit by hand.
Every table and column below is also described inside the warehouse itself:
`SELECT * FROM duckdb_columns() WHERE schema_name IN ('core','marts','meta')`.
"""


def empty_warehouse() -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse with every table created (and no rows): DDL plus derivations."""
    con = connect(":memory:")
    for _, text in sql_files("ddl"):
        run(con, text)
    derive(con)
    return con


def render(con: duckdb.DuckDBPyConnection) -> str:
    """Markdown listing each table of core, marts and meta with its columns, types and comments."""
    tables = rows(
        con,
        """SELECT schema_name, table_name, comment FROM duckdb_tables()
           WHERE schema_name IN ('core','marts','meta') AND database_name = current_database()
           ORDER BY CASE schema_name WHEN 'core' THEN 1 WHEN 'marts' THEN 2 ELSE 3 END, table_name""",
    )
    out = [HEADER]
    for schema, table, comment in tables:
        out += [
            f"## `{schema}.{table}`",
            "",
            comment or "",
            "",
            "| column | type | meaning |",
            "|---|---|---|",
        ]
        for name, dtype, text in rows(
            con,
            """SELECT column_name, data_type, comment FROM duckdb_columns()
               WHERE schema_name = ? AND table_name = ? AND database_name = current_database()
               ORDER BY column_index""",
            [schema, table],
        ):
            out.append(f"| `{name}` | {dtype} | {(text or '').replace('|', '/')} |")
        out.append("")
    return "\n".join(out)
