"""Read-only access for analysts and operators: what the published warehouse holds and how fresh it
is, and ad-hoc SQL (exports are in `warehouse.export`). Nothing here can write the published file."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from warehouse.db import literal, rows
from warehouse.errors import WarehouseError


@dataclass
class SourceStatus:
    source: str
    title: str
    latest_month: str | None
    last_fetched: datetime | None
    files: int
    # as meta.source_status says: current; stale (its last refresh failed and the data of an earlier run
    # is kept); missing (it failed and nothing of it was ever published). flows.health.assess judges
    # from it, the lag and `now` what `hled status` shows (behind, never published, never collected, …)
    state: str = "current"
    since: datetime | None = None  # stale since (the first failed run in a row)
    reason: str | None = None
    lag_months: int | None = None  # the publisher's usual lag (None: none, or a warehouse built before)
    lag_days: int | None = None  # a collected history: days without a reading before it is stale
    newest_reading: datetime | None = None  # a collected history: its newest reading (UTC)


@dataclass
class WarehouseStatus:
    path: Path
    bytes: int
    built_at: datetime | None
    last_published_run: str | None
    sources: list[SourceStatus]


def open_published(path: Path, files: bool = False) -> duckdb.DuckDBPyConnection:
    """Read-only, times in UTC; without `files` a query cannot read or write files either."""
    if not path.exists():
        raise WarehouseError(f"no published warehouse at {path}; run `hled refresh` first")
    try:
        con = duckdb.connect(str(path), read_only=True, config={"enable_external_access": files})
    except duckdb.Error as exc:
        raise WarehouseError(
            f"the published warehouse {path} cannot be opened ({exc}); if it is damaged, `hled refresh` "
            "sets it aside and restores the newest snapshot"
        ) from None
    con.execute("SET TimeZone = 'UTC'").fetchall()
    con.execute("SET enable_progress_bar = false").fetchall()
    return con


def status(path: Path) -> WarehouseStatus:
    """Per source: the latest month of data and when its files were last fetched, from the file itself."""
    con = open_published(path)
    try:
        published = rows(
            con,
            "SELECT run_id, finished_at FROM meta.runs WHERE status = 'published' "
            "ORDER BY finished_at DESC LIMIT 1",
        )
        tables = {
            name
            for (name,) in rows(
                con,
                "SELECT table_name FROM duckdb_tables() WHERE schema_name IN ('meta', 'marts') "
                "AND table_name IN ('source_status', 'source_health')",
            )
        }
        status_join = (
            "LEFT JOIN meta.source_status st ON st.source = v.source"
            if "source_status" in tables
            else "LEFT JOIN (SELECT NULL AS source, NULL AS state, NULL AS since, NULL AS reason, "
            "NULL AS data_run_id) st ON false"
        )
        # every source the build loaded, data or not (marts.source_health); a warehouse built before it
        # existed: the sources with data (marts.data_vintage), no lag known
        listed = (
            """(SELECT h.source, h.title, h.latest_month, h.lag_months, h.lag_days, h.newest_reading
                FROM marts.source_health h)"""
            if "source_health" in tables
            else """(SELECT source, title, latest_month, NULL::INTEGER AS lag_months,
                        NULL::INTEGER AS lag_days, NULL::TIMESTAMPTZ AS newest_reading
                     FROM marts.data_vintage)"""
        )
        sources = [
            SourceStatus(source, title, latest.strftime("%Y-%m") if latest else None, *rest)
            for source, title, latest, *rest in rows(
                con,
                f"""SELECT v.source, v.title, v.latest_month, max(f.fetched_at), count(DISTINCT f.file_key),
                          coalesce(st.state, 'current'), CASE WHEN st.state <> 'current' THEN st.since END,
                          CASE WHEN st.state <> 'current' THEN st.reason END,
                          v.lag_months, v.lag_days, v.newest_reading
                   FROM {listed} v
                   {status_join}
                   LEFT JOIN meta.source_files f ON f.source = v.source
                        AND f.run_id = coalesce(st.data_run_id,
                            (SELECT run_id FROM meta.runs WHERE status = 'published'
                             ORDER BY finished_at DESC LIMIT 1))
                   GROUP BY ALL ORDER BY v.source""",
            )
        ]
    finally:
        con.close()
    run_id, built = published[0] if published else (None, None)
    return WarehouseStatus(path, path.stat().st_size, built, run_id, sources)


BATCH = 10_000  # rows fetched at a time when a result is streamed


@dataclass(frozen=True)
class SqlLimits:
    """What an analyst's query may take: seconds before it is stopped, and DuckDB's memory_limit."""

    timeout: float
    memory: str


def query(
    path: Path, sql: str, limit: int | None = None, limits: SqlLimits | None = None
) -> tuple[list[str], list[tuple], bool]:
    """Run one query on a read-only connection: column names, at most `limit` rows (all when None)
    and whether there were more. Only `limit` + 1 rows are fetched, whatever the query returns."""
    with _result(path, sql, limits) as (columns, result):
        if result is None:
            return columns, [], False
        rows_ = result.fetchmany(limit + 1) if limit is not None else result.fetchall()
    more = limit is not None and len(rows_) > limit
    return columns, rows_[:limit] if more else rows_, more


def stream(
    path: Path,
    sql: str,
    header: Callable[[list[str]], None],
    write: Callable[[list], None],
    limits: SqlLimits | None = None,
) -> None:
    """Run one query read-only, give its column names to `header`, then its rows to `write` in batches
    (a result of any size is never held whole)."""
    with _result(path, sql, limits) as (columns, result):
        header(columns)
        while result is not None and (batch := result.fetchmany(BATCH)):
            write(batch)


def _limited(con: duckdb.DuckDBPyConnection, limits: SqlLimits) -> threading.Timer:
    """Cap the connection's memory and lock its configuration (a query's SET or PRAGMA cannot lift
    the cap); returns the started timer that interrupts it after `limits.timeout` seconds."""
    con.execute(f"SET memory_limit = {literal(limits.memory)}").fetchall()
    con.execute("SET lock_configuration = true").fetchall()
    timer = threading.Timer(limits.timeout, con.interrupt)
    timer.daemon = True
    timer.start()
    return timer


def _why(exc: duckdb.Error, limits: SqlLimits | None) -> str:
    """A query's error in words an analyst can act on: stopped at the time limit, short of memory,
    refused a setting, or DuckDB's own message."""
    text = str(exc)
    if limits is not None and isinstance(exc, duckdb.InterruptException):
        return (
            f"query stopped after {limits.timeout:g} s (HLED_SQL_TIMEOUT): narrow it (a WHERE on month or "
            "port, an aggregate), or raise the setting"
        )
    if limits is not None and isinstance(exc, duckdb.OutOfMemoryException):
        return (
            f"query needs more memory than HLED_SQL_MEMORY={limits.memory}: narrow it, or raise the setting"
        )
    if "configuration has been locked" in text:
        return (
            "hled sql does not change settings (memory_limit and the others are fixed by HLED_SQL_MEMORY "
            "and HLED_SQL_TIMEOUT); run the query without the SET, RESET or PRAGMA"
        )
    return f"query failed: {exc}"


@contextmanager
def _result(
    path: Path, sql: str, limits: SqlLimits | None = None
) -> Iterator[tuple[list[str], duckdb.DuckDBPyConnection | None]]:
    """The executed query (None when it returns no rows) on an open read-only connection, within
    `limits` when given; an error, when the query starts or while its rows are fetched, is a
    WarehouseError naming the query."""
    con = open_published(path)
    timer = _limited(con, limits) if limits is not None else None
    try:
        try:
            statements = con.extract_statements(sql)
            if not statements:
                raise WarehouseError(
                    "hled sql needs a query, and this text holds none (only spaces, ; or comments)"
                )
            if len(statements) > 1:  # DuckDB would run them all and show only the last result
                raise WarehouseError(
                    f"hled sql runs one statement at a time, and this text holds {len(statements)}; "
                    "run each on its own, or combine them into one query (UNION ALL, a WITH clause)"
                )
            result = con.execute(sql)
            columns = [d[0] for d in result.description] if result.description is not None else []
            yield columns, result if result.description is not None else None
        except duckdb.Error as exc:
            raise WarehouseError(_why(exc, limits)) from None
    finally:
        if timer is not None:
            timer.cancel()
        con.close()


def age_hours(moment: datetime | None) -> float | None:
    """Hours since `moment` (None stays None)."""
    return None if moment is None else (datetime.now(UTC) - moment).total_seconds() / 3600
