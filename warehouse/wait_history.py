"""The wait-times history store: one DuckDB file the collector appends readings to (each distinct
reading once) and the backfill loader adds hourly profiles to. Writers and the refresh's copy take
a file lock in turn, so the published warehouse never depends on a collection in flight."""

from __future__ import annotations

import fcntl
import hashlib
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from warehouse.build import sql_files
from warehouse.db import connect, literal, rows, run, scalar
from warehouse.errors import WarehouseError

READING_KEY = ("port_number", "vehicle_type", "lane_type", "observed_utc", "delay_minutes", "lanes_open")
TABLES = ("snapshots", "readings", "rejects", "profile_files", "profiles")
LOCK_TIMEOUT = 120.0  # seconds a writer or the refresh waits for the other to finish


class HistoryBusy(WarehouseError):
    """Another process held the history store longer than LOCK_TIMEOUT."""


class HistoryDamaged(WarehouseError):
    """The history store exists but is no DuckDB file we can read (cut short, overwritten)."""

    def __init__(self, store: Path, reason: str) -> None:
        super().__init__(
            f"the wait-time history {store} cannot be opened ({reason}); the next `hled refresh` or "
            "`hled waits` command sets it aside and rebuilds it from the responses kept under "
            "raw/cbp_wait_times"
        )
        self.store = store
        self.reason = reason

    def __reduce__(self) -> tuple[type[HistoryDamaged], tuple[Path, str]]:
        """Pickle with the constructor's own arguments (Prefect may ship exceptions between processes)."""
        return HistoryDamaged, (self.store, self.reason)


@dataclass(frozen=True)
class Appended:
    """What one snapshot added: readings in it, how many were new, and whether it was seen before."""

    readings: int
    new_readings: int
    rejected: int
    seen_before: bool


@dataclass(frozen=True)
class HistoryExport:
    """The store copied to Parquet for one build, with a fingerprint that changes when its content does."""

    readings: Path
    profiles: Path
    rejects: Path
    fingerprint: str
    reading_count: int
    profile_count: int
    reject_count: int
    snapshots: int
    last_collected: datetime | None  # newest snapshot or export added (UTC)


@contextmanager
def _held(store: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """The store's file lock, which writers and the refresh's copy take in turn."""
    store.parent.mkdir(parents=True, exist_ok=True)
    fh = (store.parent / ".history.lock").open("a+")
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise HistoryBusy(
                        f"{store} stayed locked by another collection or refresh for {timeout:.0f} s"
                    ) from None
                time.sleep(0.2)
        yield
    finally:
        fh.close()


def _open(store: Path, thorough: bool = False) -> duckdb.DuckDBPyConnection:
    """The store opened read-write with its tables; HistoryDamaged when the file is no readable store.
    `thorough` reads every row of every table: a file cut short keeps its catalog and counts, and
    fails only when its rows are read."""
    con = None
    try:
        con = connect(store)
        _create(con)
        for table in TABLES:
            scalar(
                con,
                f"SELECT bit_xor(hash(t)) FROM {table} t" if thorough else f"SELECT count(*) FROM {table}",
            )
    except duckdb.Error as exc:
        if con is not None:
            con.close()
        if "lock" in str(exc).lower():
            raise HistoryBusy(f"{store} is held by another program: {exc}") from None
        raise HistoryDamaged(store, str(exc).splitlines()[0]) from None
    return con


@contextmanager
def locked(store: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[duckdb.DuckDBPyConnection]:
    """The store opened read-write under its lock (created with its tables on first use)."""
    with _held(store, timeout):
        con = _open(store)
        try:
            yield con
        finally:
            con.close()


def set_aside_if_damaged(store: Path, aside_dir: Path) -> str | None:
    """Move a store that cannot be opened to `aside_dir` (kept for inspection); returns what was done,
    None when the store is sound or absent."""
    if not store.exists():
        return None
    with _held(store):
        try:
            _open(store, thorough=True).close()
            return None
        except HistoryDamaged as exc:
            aside_dir.mkdir(parents=True, exist_ok=True)
            aside = aside_dir / f"history-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}.duckdb"
            os.replace(store, aside)
            if Path(f"{store}.wal").exists():
                os.replace(Path(f"{store}.wal"), Path(f"{aside}.wal"))
            return f"the wait-time history {store} could not be opened ({exc.reason}); set aside as {aside}"


def _create(con: duckdb.DuckDBPyConnection) -> None:
    """Create the store's tables; a store from before profile_files was keyed by file and crossing
    (one export loaded for two crossings) gets the new key, its rows kept."""
    keys = scalar(
        con,
        "SELECT constraint_column_names FROM duckdb_constraints() "
        "WHERE table_name = 'profile_files' AND constraint_type = 'PRIMARY KEY'",
    )
    if keys == ["sha256"]:
        run(con, "BEGIN")
        run(con, "ALTER TABLE profile_files RENAME TO profile_files_by_file")
    for _, text in sql_files("history"):
        run(con, text)
    if keys == ["sha256"]:
        run(con, "INSERT INTO profile_files SELECT * FROM profile_files_by_file")
        run(con, "DROP TABLE profile_files_by_file")
        run(con, "COMMIT")


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def snapshot_known(store: Path, sha256: str) -> bool:
    """Whether a snapshot with these bytes is already in the history."""
    if not store.exists():
        return False
    with locked(store) as con:
        return bool(scalar(con, "SELECT count(*) FROM snapshots WHERE sha256 = ?", [sha256]))


def append_snapshot(
    store: Path,
    *,
    sha256: str,
    feed: str,
    url: str,
    path: str,
    taken_at: datetime | None,
    readings: pl.DataFrame,
    rejects: pl.DataFrame,
    ports: int,
    lanes_without_reading: int,
) -> Appended:
    """Add a parsed snapshot: readings already stored are not stored again (the earliest sighting is
    kept as first_seen_utc); the same bytes twice add nothing."""
    collected = _now()
    with locked(store) as con:
        if scalar(con, "SELECT count(*) FROM snapshots WHERE sha256 = ?", [sha256]):
            return Appended(readings.height, 0, rejects.height, seen_before=True)
        seen = taken_at or collected
        frame = readings.with_columns(
            pl.lit(seen).cast(pl.Datetime("us")).alias("first_seen_utc"),
            pl.lit(sha256).alias("snapshot_sha256"),
        )
        before = scalar(con, "SELECT count(*) FROM readings")
        con.register("_new", frame.to_arrow())
        try:
            run(con, "BEGIN")
            run(
                con,
                f"""INSERT INTO readings BY NAME SELECT * FROM _new
                    ON CONFLICT ({", ".join(READING_KEY)}) DO UPDATE SET
                      first_seen_utc = least(readings.first_seen_utc, excluded.first_seen_utc),
                      snapshot_sha256 = CASE
                          WHEN excluded.first_seen_utc < readings.first_seen_utc THEN excluded.snapshot_sha256
                          ELSE readings.snapshot_sha256 END""",
            )
            added = scalar(con, "SELECT count(*) FROM readings") - before
            if rejects.height:
                con.register("_rejects", rejects.with_columns(pl.lit(sha256).alias("file_sha256")).to_arrow())
                run(con, "INSERT INTO rejects BY NAME SELECT * FROM _rejects")
                con.unregister("_rejects")
            run(
                con,
                "INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    sha256,
                    feed,
                    url,
                    path,
                    collected,
                    taken_at,
                    ports,
                    readings.height,
                    added,
                    lanes_without_reading,
                    rejects.height,
                ],
            )
            run(con, "COMMIT")
        except duckdb.Error as exc:
            run(con, "ROLLBACK")
            raise WarehouseError(f"appending snapshot {sha256[:12]} to {store} failed: {exc}") from exc
        finally:
            con.unregister("_new")
    return Appended(readings.height, added, rejects.height, seen_before=False)


def append_profile(
    store: Path,
    *,
    sha256: str,
    path: str,
    original: str,
    port_number: str,
    clean: pl.DataFrame,
    rejects: pl.DataFrame,
    rows_read: int,
    dropped_columns: list[str],
) -> int:
    """Load one historical export for a crossing. It replaces the crossing's earlier backfill whole,
    so lanes or slots the new export lacks do not linger from an older one."""
    with locked(store) as con:
        con.register(
            "_profile", clean.drop("source_line").with_columns(pl.lit(sha256).alias("file_sha256")).to_arrow()
        )
        try:
            run(con, "BEGIN")
            _remove_profile(con, port_number)
            run(con, "INSERT OR REPLACE INTO profiles BY NAME SELECT * FROM _profile")
            run(con, "DELETE FROM rejects WHERE file_sha256 = ?", [sha256])
            if rejects.height:
                con.register("_rejects", rejects.with_columns(pl.lit(sha256).alias("file_sha256")).to_arrow())
                run(con, "INSERT INTO rejects BY NAME SELECT * FROM _rejects")
                con.unregister("_rejects")
            run(
                con,
                "INSERT OR REPLACE INTO profile_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    sha256,
                    path,
                    original,
                    port_number,
                    _now(),
                    rows_read,
                    clean.height,
                    rejects.height,
                    ", ".join(dropped_columns) or None,
                ],
            )
            run(con, "COMMIT")
        except duckdb.Error as exc:
            run(con, "ROLLBACK")
            raise WarehouseError(f"loading profile {original} into {store} failed: {exc}") from exc
        finally:
            con.unregister("_profile")
        return scalar(
            con,
            "SELECT count(*) FROM profiles WHERE file_sha256 = ? AND port_number = ?",
            [sha256, port_number],
        )


@dataclass(frozen=True)
class Forgotten:
    """What `forget_profile` removed: hourly averages and the files they came from."""

    averages: int
    files: list[str]


def _remove_profile(con: duckdb.DuckDBPyConnection, port_number: str) -> Forgotten:
    """Delete a crossing's backfill, its file records and the rejects no other record still names."""
    files = [
        r[0]
        for r in rows(
            con, "SELECT original FROM profile_files WHERE port_number = ? ORDER BY loaded_at", [port_number]
        )
    ]
    averages = scalar(con, "SELECT count(*) FROM profiles WHERE port_number = ?", [port_number])
    run(con, "DELETE FROM profiles WHERE port_number = ?", [port_number])
    run(con, "DELETE FROM profile_files WHERE port_number = ?", [port_number])
    run(
        con,
        """DELETE FROM rejects WHERE file_sha256 NOT IN (SELECT sha256 FROM snapshots)
             AND file_sha256 NOT IN (SELECT sha256 FROM profile_files)
             AND file_sha256 NOT IN (SELECT DISTINCT file_sha256 FROM profiles)""",
    )
    return Forgotten(averages, files)


def forget_profile(store: Path, port_number: str) -> Forgotten:
    """Remove the backfill loaded for one crossing (e.g. a file loaded with the wrong --port); the
    crossing's collected readings stay. The next refresh publishes the change."""
    if not store.exists():
        return Forgotten(0, [])
    with locked(store) as con:
        run(con, "BEGIN")
        try:
            forgotten = _remove_profile(con, port_number)
            run(con, "COMMIT")
        except duckdb.Error as exc:
            run(con, "ROLLBACK")
            raise WarehouseError(
                f"removing the backfill of {port_number} from {store} failed: {exc}"
            ) from exc
    return forgotten


def export(store: Path, folder: Path) -> HistoryExport | None:
    """Copy readings, profiles and rejects to Parquet under `folder` for a build (None: no store yet)."""
    if not store.exists():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    out = {name: folder / f"{name}.parquet" for name in ("readings", "profiles", "rejects")}
    with locked(store) as con:
        queries = {
            "readings": f"SELECT * FROM readings ORDER BY {', '.join(READING_KEY)}",
            "profiles": "SELECT p.*, f.original AS file FROM profiles p "
            "JOIN profile_files f ON f.sha256 = p.file_sha256 AND f.port_number = p.port_number "
            "ORDER BY ALL",
            "rejects": "SELECT * FROM rejects ORDER BY ALL",
        }
        for name, query in queries.items():
            run(con, f"COPY ({query}) TO {literal(out[name])} (FORMAT parquet)")
        counts = rows(
            con,
            """SELECT (SELECT count(*) FROM readings), (SELECT count(*) FROM profiles),
                      (SELECT count(*) FROM rejects), (SELECT count(*) FROM snapshots),
                      (SELECT coalesce(sum(hash(r)), 0) FROM readings r),
                      (SELECT coalesce(sum(hash(p)), 0) FROM profiles p),
                      greatest((SELECT max(collected_at) FROM snapshots),
                               (SELECT max(loaded_at) FROM profile_files))""",
        )[0]
    digest = hashlib.sha256(repr(counts[:3] + counts[4:6]).encode()).hexdigest()  # content only
    return HistoryExport(
        out["readings"],
        out["profiles"],
        out["rejects"],
        digest,
        counts[0],
        counts[1],
        counts[2],
        counts[3],
        counts[6].replace(tzinfo=UTC) if counts[6] else None,
    )
