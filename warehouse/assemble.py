"""Assembling one build's input from the sources' loads, as the registry declares them: each source's
core tables and code-list dimensions, core.dim_port from every source's share of it, and the sources
themselves; and, for a source that failed this run, its last published data read back from the
published warehouse so the new file keeps it unchanged."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from transforms.transborder import extend_ports
from warehouse.db import connect, frame, literal, rows, run
from warehouse.indicators import emission_factor_frame

if TYPE_CHECKING:
    from flows.outcome import SourceLoad
    from flows.sources import Source

Data = pl.DataFrame | Path | list[Path]


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


def mart_sources(sources: dict[str, Source]) -> pl.DataFrame:
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


def core_inputs(sources: dict[str, Source], loads: list[SourceLoad]) -> dict[str, Data]:
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
               CASE WHEN st.state <> 'current' THEN st.since END, st.reason
        FROM core.dim_source s LEFT JOIN meta.source_status st USING (source)
        WHERE s.source = '{source.name}' AND ({present})"""
