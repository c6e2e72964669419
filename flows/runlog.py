"""The run log (`$HLED_HOME/runs.jsonl`): one JSON line per finished run, failed ones included,
so the history survives runs that publish nothing. The next build loads it into `meta.runs`."""

from __future__ import annotations

import fcntl
import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from warehouse.meta import meta_schema

RUN_SCHEMA = meta_schema("runs")  # meta.runs, declared in its DDL


class RefreshBusy(RuntimeError):
    """Another refresh holds the lock on this HLED_HOME."""


def append_run(
    path: Path,
    run_id: str,
    started_at: datetime,
    finished_at: datetime | None,
    status: str,
    code_version: str,
    message: str,
    stages: dict[str, float] | None = None,
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "run_id": run_id,
        "started_at": started_at.isoformat(),
        "finished_at": finished_at.isoformat() if finished_at else None,
        "status": status,
        "code_version": code_version,
        "message": message,
    }
    if stages:  # seconds per stage, for the operator and the performance profile
        record["stages"] = {name: round(seconds, 2) for name, seconds in stages.items()}
    with path.open("a") as fh:
        fh.write(json.dumps(record) + "\n")


def read_runs(path: Path) -> pl.DataFrame:
    """All logged runs as a frame shaped like `meta.runs` (a torn last line is skipped)."""
    records = []
    if path.exists():
        for line in path.read_text().splitlines():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    if not records:
        return pl.DataFrame(schema=RUN_SCHEMA)
    frame = pl.DataFrame(records, schema={k: pl.String() for k in RUN_SCHEMA})
    return frame.with_columns(
        pl.col("started_at", "finished_at").str.to_datetime(time_zone="UTC", time_unit="us")
    ).unique("run_id", keep="last", maintain_order=True)


def mark_killed_runs(path: Path, found_by: str, code_version: str, published: str | None = None) -> list[str]:
    """Runs whose last line still says `running` died without finishing (killed, machine stopped):
    log them as `killed`, or as `published` when `published` (the run that built the published
    warehouse) is one of them: it died after its rename. Only call this holding the refresh lock."""
    if not path.exists():
        return []
    last: dict[str, dict] = {}
    for line in path.read_text().splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        last[record["run_id"]] = record
    killed = [r for r in last.values() if r.get("status") == "running" and r["run_id"] != found_by]
    for record in killed:
        after_publish = record["run_id"] == published
        append_run(
            path,
            record["run_id"],
            datetime.fromisoformat(record["started_at"]),
            None,
            "published" if after_publish else "killed",
            record.get("code_version") or code_version,
            ("published its warehouse, then " if after_publish else "")
            + f"ended without finishing (process killed or machine stopped); found by run {found_by}",
        )
    return [r["run_id"] for r in killed]


def refresh_holder(home: Path) -> str | None:
    """The pid (as written in the lock) of the refresh holding the lock on this HLED_HOME now, or None
    (a `running` line without the lock held was killed)."""
    lock_path = home / ".refresh.lock"
    if not lock_path.exists():
        return None
    with lock_path.open("a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            return fh.read().strip() or "unknown"
        fcntl.flock(fh, fcntl.LOCK_UN)
    return None


def refresh_running(home: Path) -> bool:
    """Whether a refresh holds the lock on this HLED_HOME now."""
    return refresh_holder(home) is not None


def busy(home: Path, holder: str) -> RefreshBusy:
    """The one-line refusal of a refresh started while another holds the lock."""
    return RefreshBusy(f"another refresh is running on {home} (pid {holder}); wait for it to finish")


@contextmanager
def refresh_lock(home: Path) -> Iterator[None]:
    """Only one refresh per HLED_HOME at a time; a second one fails at once, naming the holder."""
    home.mkdir(parents=True, exist_ok=True)
    lock_path = home / ".refresh.lock"
    fh = lock_path.open("a+")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            raise busy(home, fh.read().strip() or "unknown") from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        yield
    finally:
        fh.close()


def lines_in(path: Path) -> int:
    """How many runs the log holds (0 when there is none yet)."""
    if not path.exists():
        return 0
    with path.open("rb") as fh:
        return sum(1 for _ in fh)


def log_unrecorded_failure(path: Path, before: int, started_at: datetime, status: str, message: str) -> bool:
    """A run that ended before it could log itself (Prefect's server did not start, the flow never
    began) still leaves its line: appended when the log holds no more lines than `before`."""
    if lines_in(path) > before:
        return False
    from flows.version import code_version

    append_run(
        path, f"unstarted-{uuid.uuid4()}", started_at, datetime.now(UTC), status, code_version(), message
    )
    return True
