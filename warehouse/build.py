"""Building a new warehouse file beside the published one: DDL, loads, derived tables (marts),
run metadata carried over from the previous file, then a checkpoint. Never touches the published file."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from transforms.literal_paths import literal_paths
from warehouse import calendar_month, indicators, lineage
from warehouse.db import connect, rows, run, scalar
from warehouse.errors import WarehouseError
from warehouse.lineage import Step

META_TABLES = ("runs", "source_files", "validations", "rejects", "revisions", "file_choices", "source_status")
# meta tables whose history is carried from one published file to the next
HISTORY_TABLES = ("runs", "source_files", "validations", "revisions")


@dataclass(frozen=True)
class Revised:
    """A fact table compared with the previously published file (meta.revisions): what names one value
    (`item`, beside port and month) and the value compared, as SQL over the table's columns."""

    source: str
    table: str
    item: str
    value: str

    def keys_sql(self, side: str, where: str = "") -> str:
        """This table's values on one side: `new` (this build) or `old` (the attached previous file),
        optionally only the rows `where` selects."""
        prefix = "prev." if side == "old" else ""
        return (
            f"SELECT '{self.source}' AS source, '{self.table}' AS fact_table, port_code, month, "
            f"{self.item} AS item, {self.value} AS value, '{side}' AS side "
            f"FROM {prefix}{self.table} {f'WHERE {where} ' if where else ''}GROUP BY ALL"
        )


@dataclass
class BuildInput:
    """Everything one build loads: core tables as frames or Parquet paths, and this run's meta rows."""

    tables: dict[str, pl.DataFrame | Path | list[Path]]
    runs: pl.DataFrame
    source_files: pl.DataFrame
    validations: pl.DataFrame
    rejects: pl.DataFrame
    run_id: str = "unknown"
    file_choices: pl.DataFrame = field(default_factory=pl.DataFrame)
    source_status: pl.DataFrame = field(default_factory=pl.DataFrame)
    kept_sources: tuple[str, ...] = ()  # stale sources: their rejects and file choices are carried over
    vintages: list[str] = field(default_factory=list)  # INSERTs of marts.data_vintage, one per source
    revised: list[Revised] = field(default_factory=list)  # fact tables compared with the previous file
    # With a plan, the build starts from a copy of the previous file: per core table loaded from Parquet,
    # the files new since it was published (an empty list: the table is as published). None: a full build.
    changed: dict[str, list[Path]] | None = None
    # Marks only: no source brought anything new, some newly failed: the copy of the previous file gets
    # this run's source states, vintage and health (and its run), nothing is loaded or derived again
    marks_only: bool = False


# what a marks-only build writes anew in the copy (the rest stays as published)
MARKS = (
    "meta.source_status",
    "meta.rejects",
    "meta.file_choices",
    "marts.data_vintage",
    "marts.source_health",
)


class IncrementalMismatch(WarehouseError):
    """A table built from a copy does not hold the rows its files hold; the build is done in full."""


def sql_files(folder: str) -> list[tuple[str, str]]:
    """(name, text) of the packaged SQL files in `sql/<folder>`, in file-name order."""
    root = resources.files("warehouse") / "sql" / folder
    files = sorted((p for p in root.iterdir() if p.name.endswith(".sql")), key=lambda p: p.name)
    return [(p.name, p.read_text()) for p in files]


def _run_sql(con: duckdb.DuckDBPyConnection, folder: str) -> None:
    for name, text in sql_files(folder):
        try:
            run(con, text)
        except duckdb.Error as exc:
            raise WarehouseError(f"warehouse/sql/{folder}/{name} failed: {exc}") from exc


def _load(con: duckdb.DuckDBPyConnection, table: str, data: pl.DataFrame | Path | list[Path]) -> int:
    """Insert the columns `table` has from a frame or Parquet file(s); extra columns are left out."""
    schema, name = table.split(".")
    wanted = [
        r[0]
        for r in rows(
            con,
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? "
            "AND table_name = ? AND database_name = current_database()",
            [schema, name],
        )
    ]
    try:
        if isinstance(data, pl.DataFrame):
            con.register("_frame", data.to_arrow())
            relation, params = "_frame", []
        else:
            paths = literal_paths(data if isinstance(data, list) else [data])
            if not paths:
                return 0
            relation, params = "read_parquet(?)", [paths]
        present = (
            set(data.columns)
            if isinstance(data, pl.DataFrame)
            else {r[0] for r in rows(con, f"DESCRIBE SELECT * FROM {relation}", params)}
        )
        cols = ", ".join(f'"{c}"' for c in wanted if c in present)
        if not isinstance(data, pl.DataFrame):  # files are inserted in parallel: their rows keep no order
            run(con, "SET preserve_insertion_order = false")
        run(con, f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {relation}", params)
    except duckdb.Error as exc:
        raise WarehouseError(f"loading {table} failed: {exc}") from exc
    finally:
        if isinstance(data, pl.DataFrame):
            con.unregister("_frame")
        else:
            run(con, "RESET preserve_insertion_order")
    return scalar(con, f"SELECT count(*) FROM {table}")


def derive_steps() -> list[Step]:
    """Every step of the derive stage, in order: the calendar, the SQL marts statement by statement (each
    with the tables it names), then the indicators computed in Python."""
    temps: set[str] = set()
    statements = [
        step
        for name, text in sql_files("derive")
        for step in lineage.sql_steps(f"warehouse/sql/derive/{name}", text, temps)
    ]
    return [calendar_month.step(), *statements, *indicators.steps()]


def derive(
    con: duckdb.DuckDBPyConnection,
    changed: set[str] | None = None,
    months: dict[str, frozenset[date] | None] | None = None,
    run_beside: Callable[..., Any] | None = None,
) -> tuple[int, int, int]:
    """Everything computed from the loaded core tables: the calendar, SQL marts, then the declared
    indicators. With `changed` (a build from a copy: the core tables whose rows differ from the published
    file's), only the derived tables computed from them, directly or not, are computed again; the others
    keep their published rows. A table declared by month is computed again only for the `months` its
    changed inputs changed in (per core table; None: loaded whole). The Python work of early steps runs
    beside the SQL on a thread, through `run_beside(fn, *args)` when given (a helper process that has
    the libraries loaded). Returns the derived tables computed, kept as published, and (of those
    computed) computed for some months only."""
    steps = derive_steps()
    made = lineage.produced(steps)
    chosen, dirty, before, partial = steps, frozenset(made), {}, {}
    if changed is not None:
        dirty = frozenset(lineage.dirty_tables(steps, changed))
        chosen = lineage.to_run(steps, dirty)
        said = {t: step.changes(con) for step in chosen if step.changes is not None for t in step.writes}
        partial = lineage.partial_months(chosen, dirty, {**(months or {}), **said} if months else {})
        before = {step.label: step.before(con) for step in chosen if step.before is not None}
        for table, ways in lineage.produced([step for step in steps if step.sql]).items():
            if table in dirty and table not in partial:  # SQL marts are made anew; a Python step clears
                run(con, f"DROP TABLE {table}" if "create" in ways else f"DELETE FROM {table}")
    starts, started = lineage.early_starts(chosen), {}
    with ThreadPoolExecutor(1, thread_name_prefix="derive") as beside:

        def start(index: int) -> None:  # the Python work of the steps whose inputs are now all made
            for early in starts.get(index, []):
                try:
                    work, finish = early.early(con, dirty, before.get(early.label))  # type: ignore[misc]
                except duckdb.Error as exc:
                    raise WarehouseError(f"{early.label} failed: {exc}") from exc
                fn, args = work
                running = beside.submit(run_beside, fn, *args) if run_beside else beside.submit(fn, *args)
                started[early.label] = (running, finish)

        start(-1)
        for index, step in enumerate(chosen):
            try:
                target = next(iter(step.writes), None)
                if step.label in started:
                    running, finish = started.pop(step.label)
                    finish(con, running.result())
                elif step.by_month is not None and target in step.temps and target in partial:
                    _temporary_months(con, target, step.by_month, partial[target])
                elif step.by_month is not None and target in partial:
                    _months_again(con, target, step.by_month, partial[target])
                elif step.sql is not None:
                    run(con, step.sql)
                elif step.compute is not None:
                    step.compute(con, dirty, before.get(step.label))
            except duckdb.Error as exc:
                raise WarehouseError(f"{step.label} failed: {exc}") from exc
            start(index)
    computed = len(set(made) & dirty)
    return computed, len(made) - computed, len(partial.keys() & made.keys())


def _temporary_months(
    con: duckdb.DuckDBPyConnection, table: str, select: str, months: frozenset[date]
) -> None:
    """Make the temporary `table` with only the rows of `months` (what the marts computed by month read)."""
    run(
        con,
        f"CREATE TEMP TABLE {table} AS SELECT * FROM ({select}) WHERE month IN (SELECT unnest(?::DATE[]))",
        [sorted(months)],
    )


def _months_again(con: duckdb.DuckDBPyConnection, table: str, select: str, months: frozenset[date]) -> None:
    """Replace the rows of `months` in `table` by what its statement computes for them (its other
    months stay as published; the new rows are stored after them)."""
    chosen = [sorted(months)]
    run(con, f"DELETE FROM {table} WHERE month IN (SELECT unnest(?::DATE[]))", chosen)
    run(
        con,
        f"INSERT INTO {table} SELECT * FROM ({select}) WHERE month IN (SELECT unnest(?::DATE[]))",
        chosen,
    )


def _shared_columns(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """The columns meta.`table` has both here and in the attached previous file, quoted, comma-separated."""
    cols = rows(
        con,
        """SELECT n.column_name FROM duckdb_columns() n JOIN duckdb_columns() o
           ON o.column_name = n.column_name
           WHERE n.database_name = current_database() AND n.schema_name = 'meta'
             AND n.table_name = ? AND o.database_name = 'prev'
             AND o.schema_name = 'meta' AND o.table_name = ?""",
        [table, table],
    )
    return ", ".join(f'"{c[0]}"' for c in cols)


def _carry_history(con: duckdb.DuckDBPyConnection, previous: Path) -> None:
    """Copy run history from the last published file (only columns both versions know)."""
    run(con, "ATTACH ? AS prev (READ_ONLY)", [str(previous)])
    try:
        for table in HISTORY_TABLES:
            names = _shared_columns(con, table)
            if names:
                run(con, f"INSERT INTO meta.{table} ({names}) SELECT {names} FROM prev.meta.{table}")
    finally:
        run(con, "DETACH prev")


def _carry_kept(con: duckdb.DuckDBPyConnection, previous: Path, sources: tuple[str, ...]) -> None:
    """A stale source's rejects and file choices, as the published file has them (its data is kept)."""
    run(con, "ATTACH ? AS prev (READ_ONLY)", [str(previous)])
    try:
        for table in ("rejects", "file_choices"):
            names = _shared_columns(con, table)
            if names:
                run(
                    con,
                    f"INSERT INTO meta.{table} ({names}) SELECT {names} FROM prev.meta.{table} "
                    "WHERE source IN (SELECT unnest(?::VARCHAR[]))",
                    [list(sources)],
                )
    finally:
        run(con, "DETACH prev")


def _record_revisions(
    con: duckdb.DuckDBPyConnection,
    previous: Path,
    run_id: str,
    revised: list[Revised],
    months: dict[str, frozenset[date] | None] | None = None,
) -> int:
    """Compare the new facts with the previously published file; returns how many values changed. With
    `months` (a build from a copy), only the tables it names can differ, and of those only the months
    it lists (None: the whole table)."""
    run(con, "ATTACH ? AS prev (READ_ONLY)", [str(previous)])
    try:
        present = {
            f"core.{r[0]}"
            for r in rows(
                con,
                "SELECT table_name FROM duckdb_tables() "
                "WHERE database_name = 'prev' AND schema_name = 'core'",
            )
        }
        compared = [r for r in revised if r.table in present]  # a file from before a table: not compared
        if not compared:
            return 0
        before = scalar(
            con,
            "SELECT code_version FROM prev.meta.runs WHERE status = 'published' "
            "ORDER BY finished_at DESC LIMIT 1",
        )
        now = scalar(con, "SELECT code_version FROM meta.runs WHERE run_id = ?", [run_id])
        run(
            con,
            "CREATE TEMP TABLE this_run AS SELECT ?::VARCHAR AS run_id, ?::BOOLEAN AS code_changed",
            [run_id, before is not None and now is not None and before != now],
        )
        where = {r.table: _revisable(con, r.table, months) for r in compared}
        keys = "\nUNION ALL\n".join(
            r.keys_sql(side, where[r.table]) for r in compared for side in ("new", "old")
        )
        run(con, f"CREATE TEMP TABLE revision_keys AS {keys}")
        _run_sql(con, "revisions")
        run(con, "DROP TABLE this_run")
    finally:
        run(con, "DETACH prev")
    return scalar(con, "SELECT count(*) FROM meta.revisions WHERE run_id = ?", [run_id])


def _revisable(
    con: duckdb.DuckDBPyConnection, table: str, months: dict[str, frozenset[date] | None] | None
) -> str:
    """Which rows of `table` can differ from the previous file: all in a full build; in a build from a
    copy, the months of its new files, or all when it was loaded whole. A table the copy kept as it was
    is compared over its latest month alone: it is still listed as compared (marts.revisions_compared),
    with nothing revised, as comparing it whole would find."""
    if months is None or (table in months and months[table] is None):
        return ""
    if table in months:
        listed = ", ".join(f"DATE '{m}'" for m in sorted(months[table] or ()))
        return f"month IN ({listed})" if listed else "false"
    latest = scalar(con, f"SELECT max(month) FROM {table}")
    return f"month = DATE '{latest}'" if latest is not None else "false"


def _upsert_runs(con: duckdb.DuckDBPyConnection, runs: pl.DataFrame) -> None:
    con.register("_runs", runs.to_arrow())
    try:
        run(con, "DELETE FROM meta.runs WHERE run_id IN (SELECT run_id FROM _runs)")
        run(con, "INSERT INTO meta.runs BY NAME SELECT * FROM _runs")
    finally:
        con.unregister("_runs")


def missing_comments(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tables and columns in core/marts/meta without a COMMENT (every one must have one)."""
    found = rows(
        con,
        """SELECT schema_name || '.' || table_name FROM duckdb_tables()
           WHERE schema_name IN ('core','marts','meta') AND comment IS NULL
             AND database_name = current_database()
           UNION ALL
           SELECT schema_name || '.' || table_name || '.' || column_name FROM duckdb_columns()
           WHERE schema_name IN ('core','marts','meta') AND comment IS NULL
             AND database_name = current_database()
           ORDER BY 1""",
    )
    return [r[0] for r in found]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    schema, name = table.split(".")
    return {
        r[0]
        for r in rows(
            con,
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? "
            "AND database_name = current_database()",
            [schema, name],
        )
    }


def _parquet_rows(con: duckdb.DuckDBPyConnection, paths: list[Path]) -> int:
    """Rows in Parquet files, from their footers."""
    if not paths:
        return 0
    return scalar(con, "SELECT count(*) FROM read_parquet(?)", [literal_paths(paths)])


def _fingerprint(con: duckdb.DuckDBPyConnection, table: str) -> tuple:
    """Row count and an order-free sum of row hashes: equal when a table was loaded again with its rows."""
    return rows(con, f"SELECT count(*), sum(hash(t)::HUGEINT) FROM {table} t")[0]


@dataclass
class CopyUpdate:
    """What bringing a copy up to date did: row counts, the core tables whose rows changed, and for each
    changed table the months its new files replaced (None: the table was loaded whole)."""

    counts: dict[str, int]
    changed: set[str]
    months: dict[str, frozenset[date] | None]


def _update_copy(con: duckdb.DuckDBPyConnection, inputs: BuildInput, derived: set[str]) -> CopyUpdate:
    """Bring a copy of the previous file to this build's core tables: a table whose files are as
    published stays; for new files, the months they hold are replaced by their rows (a table without
    months is loaded anew); frames are loaded anew, and count as changed only if their rows differ. The
    `derived` tables are left to the derive step; every other marts table, and the meta tables that are
    not history, are emptied, to be loaded as in a full build."""
    changed = inputs.changed or {}
    update = CopyUpdate({}, set(), {})
    tables = [
        f"{r[0]}.{r[1]}"
        for r in rows(
            con,
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "AND (schema_name IN ('core', 'marts') OR (schema_name = 'meta' AND table_name IN "
            "('rejects', 'file_choices', 'source_status')))",
        )
    ]
    for table in (t for t in tables if t not in derived):
        data = inputs.tables.get(table)
        if data is None or isinstance(data, pl.DataFrame) or table not in changed:
            before = _fingerprint(con, table) if table.startswith("core.") else None
            run(con, f"DELETE FROM {table}")
            update.counts[table] = _load(con, table, data) if data is not None else 0
            if before is not None and _fingerprint(con, table) != before:
                update.changed.add(table)
                update.months[table] = None
            continue
        paths = data if isinstance(data, list) else [data]
        new = [str(p) for p in changed[table]]
        if new and "month" in _columns(con, table):
            replaced = rows(con, "SELECT DISTINCT month FROM read_parquet(?)", [literal_paths(new)])
            update.months[table] = frozenset(r[0] for r in replaced)
            run(
                con,
                f"DELETE FROM {table} WHERE month IN (SELECT unnest(?::DATE[]))",
                [sorted(update.months[table])],
            )
            _load(con, table, [Path(p) for p in new])
        elif new:
            run(con, f"DELETE FROM {table}")
            _load(con, table, paths)
            update.months[table] = None
        if new:
            update.changed.add(table)
        update.counts[table] = scalar(con, f"SELECT count(*) FROM {table}")
        expected = _parquet_rows(con, paths)
        if update.counts[table] != expected:
            raise IncrementalMismatch(
                f"{table}: {update.counts[table]:,} rows after replacing the months of {len(new)} new files, "
                f"but its {len(paths)} files hold {expected:,}"
            )
    return update


def build_warehouse(
    target: Path,
    inputs: BuildInput,
    previous: Path | None,
    seconds: dict[str, float] | None = None,
    storage_version: str = "latest",
    run_beside: Callable[..., Any] | None = None,
) -> dict[str, int]:
    """Build a complete warehouse at `target` (replaced if present) in `storage_version`'s format and
    return row counts; `seconds` receives the time of each step (load, derive, revisions, meta,
    checkpoint) for the run log. With `inputs.changed`, it starts from a copy of `previous` (which must
    be in that format) and loads only what is new (the result is the full build's, which
    `IncrementalMismatch` guards); otherwise it loads everything. `run_beside` is `derive`'s."""
    seconds = {} if seconds is None else seconds
    clock = time.perf_counter()

    def step(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = seconds.get(name, 0.0) + now - clock
        clock = now

    target.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (target, Path(f"{target}.wal")):
        leftover.unlink(missing_ok=True)
    incremental = inputs.changed is not None and previous is not None and previous.exists()
    marks_only = incremental and inputs.marks_only
    if incremental:
        shutil.copyfile(previous, target)
    con = connect(target, storage_version=storage_version)
    try:
        if marks_only:  # the data as published: only the states, vintage and health are written anew
            for table in MARKS:
                run(con, f"DELETE FROM {table}")
            counts = {}
        elif incremental:
            update = _update_copy(con, inputs, set(lineage.produced(derive_steps())))
            counts = update.counts
        else:
            _run_sql(con, "ddl")
            counts = {table: _load(con, table, data) for table, data in inputs.tables.items()}
        step("load")
        if not marks_only:
            computed, kept, by_month = (
                derive(con, update.changed, update.months, run_beside)
                if incremental
                else derive(con, run_beside=run_beside)
            )
            counts["derived tables computed"], counts["derived tables kept"] = computed, kept
            counts["derived tables by month"] = by_month
        step("derive")
        if previous is not None and previous.exists() and not incremental:  # a copy has its history
            _carry_history(con, previous)
        _upsert_runs(con, inputs.runs)
        if previous is not None and previous.exists() and not marks_only:
            counts["meta.revisions (this run)"] = _record_revisions(
                con, previous, inputs.run_id, inputs.revised, update.months if incremental else None
            )
        step("revisions")
        for table in ("source_files", "validations", "rejects", "file_choices", "source_status"):
            frame: pl.DataFrame = getattr(inputs, table)
            if frame.height:
                _load(con, f"meta.{table}", frame)
        if inputs.kept_sources and previous is not None and previous.exists():
            _carry_kept(con, previous, inputs.kept_sources)
        for statement in inputs.vintages:
            try:
                run(con, statement)
            except duckdb.Error as exc:
                raise WarehouseError(f"marts.data_vintage failed: {exc}") from exc
        uncommented = missing_comments(con)
        if uncommented:
            raise WarehouseError(
                "every table and column needs a COMMENT ON; missing: " + ", ".join(uncommented)
            )
        for schema, table in rows(
            con,
            "SELECT schema_name, table_name FROM duckdb_tables() "
            "WHERE schema_name IN ('core','marts') AND database_name = current_database()",
        ):
            key = f"{schema}.{table}"
            counts[key] = scalar(con, f"SELECT count(*) FROM {key}")
        step("meta")
        run(con, "CHECKPOINT")
    finally:
        con.close()
    step("checkpoint")
    return counts


def revision_counts(path: Path, run_id: str) -> dict[str, int]:
    """Per source, how many values the build at `path` found revised (meta.revisions of `run_id`)."""
    con = connect(path, read_only=True)
    try:
        found = rows(
            con,
            "SELECT source, count(*) FROM meta.revisions WHERE run_id = ? GROUP BY 1 ORDER BY 1",
            [run_id],
        )
    finally:
        con.close()
    return {source: n for source, n in found}
