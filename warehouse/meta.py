"""The meta tables' columns, declared once in warehouse/sql/ddl/03_meta.sql: Python builds its rows
as frames with exactly those columns and types, so a misspelt or missing column fails at once."""

from __future__ import annotations

from functools import cache
from importlib import resources

import duckdb
import polars as pl

from warehouse.db import frame, run

DDL = ("01_schemas.sql", "03_meta.sql")


def _utc(schema: pl.Schema) -> pl.Schema:
    """Times with a zone are UTC (DuckDB names it Etc/UTC; the run log and polars say UTC)."""
    return pl.Schema(
        {
            name: pl.Datetime(dtype.time_unit, "UTC")
            if isinstance(dtype, pl.Datetime) and dtype.time_zone
            else dtype
            for name, dtype in schema.items()
        }
    )


@cache
def _empty_meta() -> dict[str, pl.Schema]:
    con = duckdb.connect(":memory:")
    try:
        for name in DDL:
            run(con, (resources.files("warehouse") / "sql" / "ddl" / name).read_text())
        tables = frame(con, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'meta' ORDER BY 1")[
            "table_name"
        ].to_list()
        return {t: _utc(frame(con, f"SELECT * FROM meta.{t} LIMIT 0").schema) for t in tables}
    finally:
        con.close()


def meta_schema(table: str) -> pl.Schema:
    """Column names and types of meta.`table`, from its DDL."""
    return _empty_meta()[table]


def meta_rows(table: str, records: list[dict]) -> pl.DataFrame:
    """Rows of meta.`table` as a frame with its DDL's columns and types; a key the table does not have
    is an error (a typo would otherwise drop the value silently). Columns not given are NULL."""
    schema = meta_schema(table)
    unknown = sorted({k for r in records for k in r} - set(schema))
    if unknown:
        raise KeyError(f"meta.{table} has no column(s) {unknown}; see warehouse/sql/ddl/03_meta.sql")
    return pl.DataFrame(records, schema=schema) if records else pl.DataFrame(schema=schema)


def meta_frame(table: str, data: pl.DataFrame) -> pl.DataFrame:
    """A frame (e.g. rejects read from Parquet) shaped as meta.`table`: its columns, in order and type."""
    schema = meta_schema(table)
    return data.select(
        [pl.col(c).cast(t) if c in data.columns else pl.lit(None, t).alias(c) for c, t in schema.items()]
    )
