"""Small DuckDB 2.0 helpers. DuckDB 2.0 keeps a result open until it is drained, and then refuses
register()/unregister() on that connection: statements are completed, queries fully fetched."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    import polars as pl


def run(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> None:
    """Execute statement(s) to their end."""
    con.execute(sql, params or []).complete()


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    """All rows of a query."""
    return con.execute(sql, params or []).fetchall()


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> Any:
    """The first column of the first row (None when there is no row)."""
    result = rows(con, sql, params)
    return result[0][0] if result else None


def frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pl.DataFrame:
    """A query's result as a polars frame."""
    import polars as pl  # here, so reading the warehouse without frames does not load polars

    return pl.from_arrow(con.sql(sql, params=params or None).to_arrow_table())


def literal(text: object) -> str:
    """`text` as a quoted SQL string literal, for the few places DuckDB takes no parameter (COPY ... TO,
    COMMENT ON): a quote in a path or a comment stays text."""
    return "'" + str(text).replace("'", "''") + "'"


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open a warehouse file with the progress bar off (it would litter logs)."""
    con = duckdb.connect(str(path), read_only=read_only)
    run(con, "SET enable_progress_bar = false")
    return con
