"""DuckDB reads every path as a glob: a path with `[`, `*` or `?` is passed so that it matches only
itself, even where a sibling folder matches the glob (real DuckDB, real files)."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from transforms.literal_paths import literal_path, literal_paths


@pytest.mark.parametrize(
    ("name", "decoy"), [("data [old]", "data o"), ("runs*", "runs-2026"), ("a?b", "axb")]
)
def test_a_path_is_read_as_itself_not_as_a_glob(tmp_path, name, decoy) -> None:
    for folder in (name, decoy):
        (tmp_path / folder).mkdir()
        pl.DataFrame({"folder": [folder]}).write_parquet(tmp_path / folder / "clean.parquet")
    wanted = tmp_path / name / "clean.parquet"
    as_glob = duckdb.execute("SELECT folder FROM read_parquet(?)", [[str(wanted)]]).fetchall()
    assert as_glob != [(name,)], "DuckDB no longer reads this path as a glob: the helper may go"
    assert duckdb.execute("SELECT folder FROM read_parquet(?)", [literal_paths([wanted])]).fetchall() == [
        (name,)
    ]
    assert literal_path("a[b]*?.parquet") == "a[[]b][*][?].parquet"
