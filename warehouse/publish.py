"""Atomic publish of a built warehouse file, snapshots of the ones it replaces, and the read-only
look at the published file that the next refresh needs (what it loaded, from which files)."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from warehouse.db import connect, rows
from warehouse.errors import WarehouseError

REQUIRED_TABLES = ("core.fact_crossings", "core.dim_port", "marts.port_month", "meta.runs")


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def verify(path: Path) -> None:
    """Open a built file read-only and check the tables every reader relies on are there."""
    try:
        con = connect(path, read_only=True)
    except duckdb.Error as exc:
        raise WarehouseError(f"built file {path} does not open: {exc}") from exc
    try:
        present = {f"{s}.{t}" for s, t in rows(con, "SELECT schema_name, table_name FROM duckdb_tables()")}
    finally:
        con.close()
    missing = [t for t in REQUIRED_TABLES if t not in present]
    if missing:
        raise WarehouseError(f"built file {path} lacks tables {missing}; not published")


def publish(built: Path, target: Path, snapshots_dir: Path, keep: int) -> Path | None:
    """Move `built` over `target` in one rename. The replaced file is kept as a dated snapshot
    (a hard link, so readers holding it open keep reading it); only `keep` snapshots stay.
    Returns the snapshot path, if one was made and kept (none with `keep` 0)."""
    verify(built)
    snapshot = None
    with open(built, "rb") as fh:
        os.fsync(fh.fileno())
    if target.exists():
        snapshots_dir.mkdir(parents=True, exist_ok=True)
        snapshot = snapshots_dir / f"warehouse-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}.duckdb"
        os.link(target, snapshot)
        stale_wal = Path(f"{target}.wal")
        if stale_wal.exists():
            os.replace(stale_wal, Path(f"{snapshot}.wal"))
    os.replace(built, target)
    _fsync_dir(target.parent)
    prune_snapshots(snapshots_dir, keep)
    return snapshot if snapshot is not None and snapshot.exists() else None  # HLED_SNAPSHOTS=0 keeps none


def damaged(path: Path) -> str | None:
    """Why `path` is no readable warehouse (not a DuckDB file, cut short, lacking its tables); None
    when it opens, or when only a writer's lock keeps it from opening (that is not damage)."""
    try:
        verify(path)
    except WarehouseError as exc:
        cause = exc.__cause__
        if isinstance(cause, duckdb.ConnectionException) or "lock" in str(cause or "").lower():
            return None
        return str(cause or exc)
    return None


def recover(target: Path, snapshots_dir: Path, aside_dir: Path) -> list[str]:
    """A published file that cannot be opened is set aside under `aside_dir` (kept for inspection) and
    the newest snapshot that opens takes its place; returns what was done, for the operator."""
    why = damaged(target) if target.exists() else None
    if why is None:
        return []
    aside_dir.mkdir(parents=True, exist_ok=True)
    aside = aside_dir / f"warehouse-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}.duckdb"
    os.replace(target, aside)
    if Path(f"{target}.wal").exists():
        os.replace(Path(f"{target}.wal"), Path(f"{aside}.wal"))
    done = [f"the published warehouse could not be opened ({why}); set aside as {aside}"]
    for snapshot in list_snapshots(snapshots_dir):
        if damaged(snapshot) is None:
            partial = target.with_name(f".{target.name}.restoring")
            shutil.copy2(snapshot, partial)
            os.replace(partial, target)
            _fsync_dir(target.parent)
            return [*done, f"restored the newest snapshot that opens, {snapshot}, as the published warehouse"]
    return [*done, "no snapshot opens: this refresh builds the warehouse anew"]


def list_snapshots(snapshots_dir: Path) -> list[Path]:
    """Snapshot files, newest first."""
    if not snapshots_dir.is_dir():
        return []
    return sorted(snapshots_dir.glob("warehouse-*.duckdb"), reverse=True)


def prune_snapshots(snapshots_dir: Path, keep: int) -> None:
    for old in list_snapshots(snapshots_dir)[max(keep, 0) :]:
        old.unlink(missing_ok=True)
        Path(f"{old}.wal").unlink(missing_ok=True)


def published_state(target: Path) -> dict[str, dict]:
    """Per source, what the published file loaded in its latest run: the set of (file key, sha256),
    the rows loaded and the run's code version. Empty when nothing is published yet."""
    if not target.exists():
        return {}
    try:
        con = connect(target, read_only=True)
    except duckdb.Error as exc:
        raise WarehouseError(
            f"published warehouse {target} cannot be opened read-only: {exc}; a process holding it open "
            "for writing blocks the refresh: analysts should use duckdb.connect(path, read_only=True)"
        ) from exc
    try:
        found = rows(
            con,
            """WITH latest AS (
                   SELECT s.source, max(r.started_at) AS started_at
                   FROM meta.source_files s JOIN meta.runs r USING (run_id) GROUP BY ALL)
               SELECT s.source, list((s.file_key, s.sha256)), sum(s.rows_loaded)::BIGINT,
                      any_value(r.code_version), any_value(r.run_id)
               FROM meta.source_files s JOIN meta.runs r USING (run_id)
               JOIN latest l ON l.source = s.source AND l.started_at = r.started_at
               GROUP BY s.source""",
        )
    finally:
        con.close()
    return {
        source: {
            "files": {(k, sha) for k, sha in files},
            "rows_loaded": loaded,
            "code_version": version,
            "run_id": run_id,
        }
        for source, files, loaded, version, run_id in found
    }


def published_status(target: Path) -> dict[str, dict]:
    """Per source, meta.source_status of the published file (empty before there was such a table)."""
    if not target.exists():
        return {}
    con = connect(target, read_only=True)
    try:
        if not rows(
            con, "SELECT 1 FROM duckdb_tables() WHERE schema_name = 'meta' AND table_name = 'source_status'"
        ):
            return {}
        cur = con.execute("SELECT * FROM meta.source_status")
        names = [d[0] for d in cur.description]
        return {r[0]: dict(zip(names, r, strict=True)) for r in cur.fetchall()}
    finally:
        con.close()


def published_run(target: Path) -> str | None:
    """The run that built the published warehouse (None when nothing is published)."""
    if not target.exists():
        return None
    con = connect(target, read_only=True)
    try:
        found = rows(
            con, "SELECT run_id FROM meta.runs WHERE status = 'published' ORDER BY finished_at DESC LIMIT 1"
        )
    finally:
        con.close()
    return found[0][0] if found else None


def published_months(target: Path, tables: tuple[str, ...]) -> dict[str, set]:
    """Per core table of `tables` that has a `month` column and rows in the published warehouse, the
    months it holds; empty when nothing is published. A new load is checked against it: a source must
    not lose months or tables silently."""
    if not target.exists():
        return {}
    con = connect(target, read_only=True)
    try:
        with_month = {
            f"{s}.{t}"
            for s, t in rows(
                con,
                "SELECT schema_name, table_name FROM duckdb_columns() "
                "WHERE database_name = current_database() AND column_name = 'month'",
            )
        }
        return {
            table: {m for (m,) in rows(con, f"SELECT DISTINCT month FROM {table} WHERE month IS NOT NULL")}
            for table in tables
            if table in with_month
        }
    finally:
        con.close()
