"""The pieces the refresh stages share: the stage cache, the meta tables' one schema, and the build's
assembly from the sources' loads (a stale source's data read back from the published file)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from flows.outcome import SourceFailure, SourceLoad
from flows.sources import SOURCES
from tests.handmade import build_handmade
from transforms.cache import StageCache, digest, half_written
from warehouse.assemble import core_inputs, published_inputs
from warehouse.build import sql_files
from warehouse.meta import meta_frame, meta_rows


def test_the_stage_cache_keeps_whole_outputs_only(tmp_path: Path) -> None:
    cache = StageCache(tmp_path / "cache", "parse")
    key = digest("sha-of-bytes", "code-1")
    assert key == digest("sha-of-bytes", "code-1") != digest("sha-of-bytes", "code-2")
    assert cache.get("dot1_0120", key) is None

    def write(folder: Path) -> dict:
        (folder / "clean.parquet").write_bytes(b"PAR1")
        return {"rows": 3}

    assert cache.put("dot1_0120", key, write) == {"rows": 3}
    assert cache.get("dot1_0120", key) == {"rows": 3}
    assert (cache.folder("dot1_0120", key) / "clean.parquet").read_bytes() == b"PAR1"

    def dies(folder: Path) -> dict:
        (folder / "clean.parquet").write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        cache.put("dot1_0220", key, dies)
    assert cache.get("dot1_0220", key) is None, "a half-written output is never read"
    assert [p.name for p in half_written(tmp_path)] == [f"dot1_0220-{key}.tmp"]
    cache.mark("dot1_0120-valid", key, suite="x")
    assert cache.marked("dot1_0120-valid", key) and not cache.marked("dot1_0120-valid", "other")


def test_each_source_names_the_ddl_file_that_creates_its_tables() -> None:
    """A source's SQL is reachable from its registry entry: the DDL file it names creates its core
    tables and the code-list tables it brings, and no other file creates them."""
    created = {name: set(re.findall(r"CREATE TABLE (core\.\w+)", text)) for name, text in sql_files("ddl")}
    for source in SOURCES.values():
        assert source.ddl in created, f"{source.name}: no warehouse/sql/ddl/{source.ddl}"
        own = {*source.core_tables, *source.dimensions()}
        assert own <= created[source.ddl], f"{source.name}: {own - created[source.ddl]} not in {source.ddl}"
        elsewhere = {t for name, tables in created.items() if name != source.ddl for t in tables}
        assert not own & elsewhere, f"{source.name}: {own & elsewhere} created outside {source.ddl}"
    assert created["02_core_wait_times.sql"] == {
        "core.dim_wait_crossing",
        "core.fact_wait_times",
        "core.fact_wait_time_profile",
    }


def test_meta_rows_follow_the_ddl() -> None:
    rows = meta_rows("source_status", [{"source": "transborder", "state": "stale", "checked_run_id": "r"}])
    assert rows.columns[:3] == ["source", "state", "since"] and rows.height == 1
    assert rows.schema["since"] == pl.Datetime("us", "UTC")
    assert rows.row(0, named=True)["rule"] is None
    with pytest.raises(KeyError, match=r"meta.source_status has no column\(s\) \['stat'\]"):
        meta_rows("source_status", [{"source": "x", "stat": "stale"}])
    rejects = meta_frame("rejects", pl.DataFrame({"line": [4], "rule": ["x"], "extra": [1]}))
    assert rejects.columns == ["run_id", "source", "file", "line", "rule", "reason", "raw"]
    assert rejects.row(0) == (None, None, None, 4, "x", None, None)


def test_a_stale_source_stands_in_with_its_published_data(tmp_path: Path) -> None:
    published = build_handmade(tmp_path / "warehouse.duckdb")
    trade = SOURCES["transborder"]
    core, ports = published_inputs(
        published,
        trade.core_tables,
        {role.kind: role.published for role in trade.ports},
        tmp_path / "kept",
    )
    # the hand-made file has dot1, dot2 and dot3 rows: each is kept from the published file
    assert sorted(core) == [
        "core.fact_trade_port",
        "core.fact_trade_port_commodity",
        "core.fact_trade_state_commodity",
    ]
    kept_port = pl.read_parquet(core["core.fact_trade_port"])
    con = duckdb.connect(str(published), read_only=True)
    try:
        count, total = con.execute("SELECT count(*), sum(value_usd) FROM core.fact_trade_port").fetchone()
    finally:
        con.close()
    assert (kept_port.height, kept_port["value_usd"].sum()) == (count, total) and count > 0
    assert sorted(ports) == ["codes"] and ports["codes"]["port_code"].to_list() != []

    kept = SourceLoad(
        "transborder", failure=SourceFailure("fetch", "refused", "http_ok"), core=core, ports=ports
    )
    crossings_ports = pl.DataFrame(
        {
            "port_code": ["2304"],
            "port_name": ["Laredo"],
            "is_land_port": [True],
            "first_month": [datetime(2020, 1, 1, tzinfo=UTC).date()],
        }
    )
    fresh = SourceLoad(
        "bts_crossings", core={"core.fact_crossings": pl.DataFrame()}, ports={"land": crossings_ports}
    )
    tables = core_inputs(SOURCES, [fresh, kept])
    assert tables["core.fact_trade_port"] == core["core.fact_trade_port"]
    assert "core.dim_mode" in tables and "core.dim_measure" in tables, "each source's code lists come too"
    dim_port = tables["core.dim_port"]
    assert dim_port.filter(pl.col("is_land_port"))["port_code"].to_list() == ["2304"]
    assert set(ports["codes"]["port_code"]) <= set(dim_port["port_code"])
    assert tables["marts.mart_sources"].filter(pl.col("mart") == "trade_value_per_truck")[
        "source"
    ].to_list() == [
        "bts_crossings",
        "transborder",
    ]
