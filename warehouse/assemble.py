"""Assembling one build's input from the sources' loads, as the registry declares them: each source's
core tables and code-list dimensions, core.dim_port from every source's share of it, and the sources
themselves; and, for a source that failed this run, its last published data read back from the
published warehouse so the new file keeps it unchanged."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Protocol

import polars as pl

from transforms.transborder import extend_ports
from warehouse.db import connect, frame, literal, rows, run
from warehouse.indicators import emission_factor_frame

Data = pl.DataFrame | Path | list[Path]


class Source(Protocol):
    """What the build reads of a registry entry (`flows.registry.Source`): named here by shape, so the
    warehouse does not import the flow."""

    @property
    def name(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def publisher(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def dimensions(self) -> Callable[[], dict[str, pl.DataFrame]]: ...
    @property
    def marts(self) -> tuple[str, ...]: ...
    @property
    def optional_marts(self) -> tuple[str, ...]: ...
    @property
    def vintage(self) -> tuple[str, str] | None: ...
    @property
    def core_tables(self) -> tuple[str, ...]: ...
    @property
    def lag_months(self) -> int | None: ...
    @property
    def lag_days(self) -> int | None: ...
    @property
    def newest_reading(self) -> str | None: ...


class SourceLoad(Protocol):
    """What the build reads of one source's load this run (`flows.outcome.SourceLoad`): its core tables
    as frames or Parquet files, and its share of core.dim_port by role."""

    @property
    def name(self) -> str: ...
    @property
    def core(self) -> Mapping[str, Data]: ...
    @property
    def ports(self) -> Mapping[str, pl.DataFrame]: ...


def published_inputs(
    warehouse: Path, core_tables: Iterable[str], port_queries: dict[str, str], folder: Path
) -> tuple[dict[str, Data], dict[str, pl.DataFrame]]:
    """A stale source's core tables (copied to Parquet under `folder`) and its share of core.dim_port,
    as the published warehouse has them; tables the published file lacks or holds no rows of are left out."""
    folder.mkdir(parents=True, exist_ok=True)
    con = connect(warehouse, read_only=True)
    try:
        present = {f"{s}.{t}" for s, t in rows(con, "SELECT schema_name, table_name FROM duckdb_tables()")}
        core: dict[str, Data] = {}
        for table in core_tables:
            if table not in present or not rows(con, f"SELECT 1 FROM {table} LIMIT 1"):
                continue
            path = folder / f"{table}.parquet"
            run(con, f"COPY (SELECT * FROM {table}) TO {literal(path)} (FORMAT parquet)")
            core[table] = path
        ports = {kind: frame(con, sql) for kind, sql in port_queries.items() if core}
    finally:
        con.close()
    return core, ports


def _dim_port(loads: list[SourceLoad]) -> pl.DataFrame | None:
    """core.dim_port: the land ports, extended by the port codes other sources use (named where a
    source names them); None when no source brings ports."""
    share = {
        kind: [ld.ports[kind] for ld in loads if kind in ld.ports] for kind in ("land", "codes", "names")
    }
    land = share["land"][0] if share["land"] else None
    if not share["codes"]:
        return land
    empty = pl.DataFrame(schema={"port_code": pl.String, "port_name": pl.String})
    codes = pl.concat(share["codes"]).unique().sort("port_code")
    names = share["names"][0] if share["names"] else None
    return extend_ports(land if land is not None else empty, codes, names)


def mart_sources(sources: Mapping[str, Source]) -> pl.DataFrame:
    """marts.mart_sources: for each mart, the sources it is built from, as the registry declares."""
    return pl.DataFrame(
        [
            (mart, s.name, required, ordinal)
            for ordinal, s in enumerate(sources.values())
            for required, marts in ((True, s.marts), (False, s.optional_marts))
            for mart in marts
        ],
        schema={"mart": pl.String, "source": pl.String, "required": pl.Boolean, "ordinal": pl.Int32},
        orient="row",
    )


def core_inputs(sources: Mapping[str, Source], loads: list[SourceLoad]) -> dict[str, Data]:
    """Frames or Parquet files for each core table, from the loads that passed or are kept."""
    tables: dict[str, Data] = {
        "core.dim_source": pl.DataFrame(
            [(s.name, s.title, s.publisher, s.url) for s in sources.values()],
            schema=["source", "title", "publisher", "url"],
            orient="row",
        ),
        "core.ref_emission_factor": emission_factor_frame(),
        "marts.mart_sources": mart_sources(sources),
    }
    usable = [ld for ld in loads if ld.core]
    for load in usable:
        tables.update(sources[load.name].dimensions())
    for load in usable:
        tables.update(load.core)
    ports = _dim_port(usable)
    if ports is not None:
        tables["core.dim_port"] = ports
    return tables


def vintage_sql(source: Source) -> str:
    """The marts.data_vintage row of a source: its months from the core table its registry entry names,
    present when any of its core tables has rows."""
    if source.vintage is None:
        raise ValueError(f"{source.name} declares no vintage (its data feeds no chart footer)")
    table, month = source.vintage
    present = " OR ".join(f"EXISTS (SELECT 1 FROM {t})" for t in source.core_tables)
    return f"""INSERT INTO marts.data_vintage
        SELECT s.source, s.title, s.publisher,
               (SELECT min({month}) FROM {table}), (SELECT max({month}) FROM {table}),
               current_timestamp, coalesce(st.state, 'current'),
               CASE WHEN st.state <> 'current' THEN st.since END, st.reason,
               coalesce(st.state, 'current')  -- state: set from marts.source_health (health_sql)
        FROM core.dim_source s LEFT JOIN meta.source_status st USING (source)
        WHERE s.source = '{source.name}' AND ({present})"""


def health_sql(source: Source, margin_months: int) -> list[str]:
    """The marts.source_health row of a source this run loaded, data or not, judged against the build's
    time as flows.health.assess judges it at `hled status`'s; then its state copied to
    marts.data_vintage. Run after every source's marts.data_vintage row is in."""
    lag_months = "NULL" if source.lag_months is None else str(int(source.lag_months))
    lag_days = "NULL" if source.lag_days is None else str(int(source.lag_days))
    reading = f"timezone('UTC', ({source.newest_reading}))" if source.newest_reading else "NULL"
    margin = int(margin_months)
    name = literal(source.name)
    return [
        f"""INSERT INTO marts.source_health
        WITH facts AS (
            SELECT s.source, s.title, st.state AS failed, st.since, st.reason AS error, v.latest_month,
                   {reading}::TIMESTAMPTZ AS newest_reading,
                   {lag_months}::INTEGER AS lag_months, {lag_days}::INTEGER AS lag_days,
                   CAST(date_trunc('month', timezone('UTC', current_timestamp))
                        - to_months({lag_months}::INTEGER) AS DATE) AS expected_month
            FROM core.dim_source s LEFT JOIN meta.source_status st USING (source)
                 LEFT JOIN marts.data_vintage v USING (source)
            WHERE s.source = {name}
        ), judged AS (
            SELECT *, CASE
                WHEN failed = 'missing' THEN 'never published'
                WHEN failed = 'stale' THEN 'stale'
                WHEN lag_days IS NOT NULL AND newest_reading IS NULL THEN 'never collected'
                WHEN newest_reading < current_timestamp - to_days(lag_days) THEN 'stale'
                WHEN lag_days IS NOT NULL THEN 'collecting'
                WHEN latest_month < expected_month - to_months({margin}) THEN 'behind'
                ELSE 'current' END AS state
            FROM facts
        )
        SELECT source, title, state, latest_month, expected_month, newest_reading, lag_months, lag_days,
               {margin}, CASE WHEN failed IN ('stale', 'missing') THEN since END,
               CASE state
                   WHEN 'never published' THEN error
                   WHEN 'behind' THEN 'newest month ' || strftime(latest_month, '%Y-%m') || ', expected '
                       || strftime(expected_month, '%Y-%m') || ' (its publisher is usually ' || lag_months
                       || ' months late; HLED_BEHIND_MARGIN_MONTHS={margin})'
                   WHEN 'stale' THEN coalesce(error, 'no reading since '
                       || strftime(newest_reading, '%Y-%m-%d %H:%M') || ' UTC, more than ' || lag_days
                       || ' days: collection stopped')
                   END,
               current_timestamp
        FROM judged""",
        f"""UPDATE marts.data_vintage v SET state = h.state
        FROM marts.source_health h WHERE h.source = v.source AND v.source = {name}""",
    ]
