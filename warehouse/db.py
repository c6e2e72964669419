"""Small DuckDB 2.0 helpers. DuckDB 2.0 keeps a result open until it is drained, and then refuses
register()/unregister() on that connection: statements are completed, queries fully fetched."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from warehouse.errors import WarehouseError

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


def connect(
    path: Path | str, read_only: bool = False, storage_version: str | None = None
) -> duckdb.DuckDBPyConnection:
    """Open a warehouse file with the progress bar off (it would litter logs); a file opened to write
    is written in `storage_version`'s format (e.g. v1.1.0, for DuckDB 1.1 and later)."""
    config = {"storage_compatibility_version": storage_version} if storage_version and not read_only else {}
    try:
        con = duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.InvalidInputException as exc:
        if "not a known DuckDB version" not in str(exc):
            raise
        raise WarehouseError(
            f"HLED_DUCKDB_STORAGE_VERSION={storage_version!r} is not a version this DuckDB "
            f"{duckdb.__version__} can write: use latest or one like v1.1.0"
        ) from None
    run(con, "SET enable_progress_bar = false")
    return con


def storage_number(path: Path) -> int | None:
    """The storage version number in a DuckDB file's header (64 is read by DuckDB 1.0 and later),
    or None when `path` is not a DuckDB file."""
    with open(path, "rb") as f:
        head = f.read(20)
    return int.from_bytes(head[12:20], "little") if head[8:12] == b"DUCK" else None


@cache
def storage_number_for(storage_version: str) -> int | None:
    """The header number DuckDB writes for `storage_version`, asked of it with a file made once."""
    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / "probe.duckdb"
        connect(probe, storage_version=storage_version).close()
        return storage_number(probe)


def storage_matches(path: Path, storage_version: str) -> bool:
    """Whether the DuckDB file at `path` is in the format `storage_version` writes."""
    return storage_number(path) == storage_number_for(storage_version)
