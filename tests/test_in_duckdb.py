"""The SQL form of our GX suites judges as GX itself does: the same rows of a hand-made frame full of
edge cases (empty values, duplicated keys, bounds met exactly, `mostly`) are blamed by GX's own
pandas engine and by `expectations.in_duckdb`; and every suite the pipeline declares has a SQL form."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import great_expectations as gx
import great_expectations.expectations as gxe
import polars as pl
import pytest

from expectations import census_ports, crossings, reconciliation, schedule_d, transborder, wait_times
from expectations.in_duckdb import UnsupportedExpectation, check
from expectations.runner import validate_parquet

FRAME = pl.DataFrame(
    {
        "code": ["A1", "B2", None, "Z9", "C3x", "A1", "B2", None, "C3", "A1"],
        "amount": [0, 5, None, -1, 10, 11, 3, 7, None, 10],
        "count": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        "month": [date(2020, 1, 1), date(2019, 12, 1), None, date(2031, 1, 1), *[date(2021, 6, 1)] * 6],
        "key_a": ["x", "x", None, None, "y", "y", None, "z", "z", "w"],
        "key_b": [1, 1, None, None, 2, 3, 5, None, None, 4],
        "single": ["p", "q", "p", None, None, "r", "s", "t", "u", "v"],
    }
)


def _expectations() -> list:
    return [
        gxe.ExpectColumnValuesToNotBeNull(column="code"),
        gxe.ExpectColumnValuesToBeInSet(column="code", value_set=["A1", "B2", "C3"]),
        gxe.ExpectColumnValuesToMatchRegex(column="code", regex=r"^[A-C][0-9]$"),
        gxe.ExpectColumnValuesToMatchRegex(column="code", regex=r"[0-9]"),
        gxe.ExpectColumnValuesToBeBetween(column="amount", min_value=0, max_value=10),
        gxe.ExpectColumnValuesToBeBetween(column="amount", min_value=0, max_value=10, strict_min=True),
        gxe.ExpectColumnValuesToBeBetween(column="amount", min_value=0, max_value=10, strict_max=True),
        gxe.ExpectColumnValuesToBeBetween(column="amount", min_value=0, mostly=0.8),
        gxe.ExpectColumnValuesToBeBetween(column="amount", max_value=10, mostly=0.95),
        gxe.ExpectColumnValuesToBeBetween(
            column="month", min_value=datetime(2020, 1, 1), max_value=datetime(2026, 12, 1)
        ),
        gxe.ExpectColumnValuesToBeUnique(column="single"),
        gxe.ExpectColumnValuesToBeUnique(column="count"),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["key_a", "key_b"]),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["key_a", "key_b"], ignore_row_if="never"),
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["key_a", "key_b"], ignore_row_if="any_value_is_missing"
        ),
        gxe.ExpectColumnValuesToBeOfType(column="count", type_="int64"),
        gxe.ExpectColumnValuesToBeOfType(column="code", type_="int64"),
        gxe.ExpectTableRowCountToBeBetween(min_value=3, max_value=100),
        gxe.ExpectTableRowCountToBeBetween(min_value=11),
        gxe.ExpectColumnValuesToNotBeNull(column="no_such_column"),
    ]


def _gx_pandas(suite) -> dict[str, dict]:
    """GX's own verdicts, through its pandas engine: per expectation id, success and the rows blamed."""
    context = gx.get_context(mode="ephemeral")
    batch = (
        context.data_sources.add_pandas("oracle")
        .add_dataframe_asset("frame")
        .add_batch_definition_whole_dataframe("whole")
    )
    suite = context.suites.add(suite)
    pandas_frame = FRAME.with_columns(pl.col("month").cast(pl.Datetime("ns"))).to_pandas()
    validation = batch.get_batch(batch_parameters={"dataframe": pandas_frame}).validate(
        suite, result_format={"result_format": "COMPLETE"}
    )
    return {
        r.expectation_config.id: {
            "success": bool(r.success),
            "unexpected_count": (r.result or {}).get("unexpected_count"),
            "rows": [str(i) for i in (r.result or {}).get("unexpected_index_list") or []],
            "raised": _raised(r.exception_info or {}),
        }
        for r in validation.results
    }, suite


def _raised(info: dict) -> bool:
    """GX files an error at the top, or under the metric that raised it."""
    return bool(info.get("raised_exception")) or any(
        isinstance(v, dict) and v.get("raised_exception") for v in info.values()
    )


def test_every_rule_blames_the_rows_gx_blames() -> None:
    expected, suite = _gx_pandas(gx.ExpectationSuite(name="oracle", expectations=_expectations()))
    configs = [e.configuration for e in suite.expectations]
    with duckdb.connect() as con:
        con.register("batch_rows", FRAME.with_row_index("__order"))
        checked = check(con, "batch_rows", "CAST(__order AS VARCHAR)", configs)

    seen = {
        config.id: {
            "success": c.success,
            "unexpected_count": c.result.get("unexpected_count"),
            "rows": c.lines,
            "raised": c.error is not None,
        }
        for config, c in zip(configs, checked, strict=True)
    }
    for config in configs:
        assert seen[config.id] == expected[config.id], (config.type, dict(config.kwargs))
    verdicts = [c.success for c in checked]
    assert verdicts.count(True) == 5 and verdicts.count(False) == 15, "the frame breaks most rules"
    assert "no_such_column" in checked[-1].error


def test_values_are_listed_as_text_and_counted() -> None:
    suite = gx.ExpectationSuite(
        name="listing",
        expectations=[
            gxe.ExpectColumnValuesToBeBetween(column="month", max_value=datetime(2026, 12, 1)),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["key_a", "key_b"]),
        ],
    )
    configs = [e.configuration for e in suite.expectations]
    with duckdb.connect() as con:
        con.register("batch_rows", FRAME.with_row_index("__order").with_columns(pl.col("__order") + 2))
        month, keys = check(con, "batch_rows", "'f.csv:' || __order", configs)
    assert month.result["partial_unexpected_list"] == ["2031-01-01"]
    assert month.lines == ["f.csv:5"]
    assert keys.result["partial_unexpected_counts"] == [
        {"value": {"key_a": "x", "key_b": 1}, "count": 2},
        {"value": {"key_a": "z", "key_b": None}, "count": 2},
    ]
    assert keys.lines == ["f.csv:2", "f.csv:3", "f.csv:9", "f.csv:10"]


def test_every_suite_we_declare_has_a_sql_form() -> None:
    today = date(2026, 12, 7)
    suites = [
        crossings.build_suite(100, 0.9, today),
        census_ports.build_suite(None, 0.9, today),
        schedule_d.build_suite(None, 0.9, today),
        wait_times.build_suite(today),
        reconciliation.build_suite(5.0),
        *(transborder.build_suite(t, None, 0.9, today) for t in ("dot1", "dot2", "dot3")),
    ]
    with duckdb.connect() as con:
        con.execute("CREATE TABLE empty (source_line INTEGER)")
        for suite in suites:
            # an empty batch without the columns: every rule is run, none is unknown
            checked = check(
                con,
                "(SELECT *, 0 AS __order FROM empty)",
                "'x'",
                [e.configuration for e in suite.expectations],
            )
            assert len(checked) == len(suite.expectations), suite.name


def test_an_expectation_without_a_sql_form_is_refused_by_name() -> None:
    suite = gx.ExpectationSuite(
        name="unknown", expectations=[gxe.ExpectColumnMeanToBeBetween(column="amount", min_value=0)]
    )
    with (
        duckdb.connect() as con,
        pytest.raises(UnsupportedExpectation, match="expect_column_mean_to_be_between"),
    ):
        con.register("batch_rows", FRAME.with_row_index("__order"))
        check(con, "batch_rows", "'x'", [e.configuration for e in suite.expectations])


@pytest.mark.parametrize("folder", ["plain", "odd [ab]"])
def test_parsed_files_are_judged_where_they_lie_and_rows_named_file_and_line(tmp_path, folder) -> None:
    """Two files of one table in one batch: the bad row is named by its file's key and line, read in
    place, also under a folder name DuckDB would take for a glob (the folder the glob would match
    instead holds only good rows)."""
    where = tmp_path / folder
    where.mkdir()
    good = pl.DataFrame({"value": [1, 2], "source_line": [2, 3]})
    bad = pl.DataFrame({"value": [4, -5, 6], "source_line": [2, 3, 4]})
    decoy = tmp_path / "odd a"
    decoy.mkdir()
    good.write_parquet(decoy / "a.parquet")
    good.write_parquet(decoy / "b.parquet")
    good.write_parquet(where / "a.parquet")
    bad.write_parquet(where / "b.parquet")
    suite = gx.ExpectationSuite(
        name="two_files", expectations=[gxe.ExpectColumnValuesToBeBetween(column="value", min_value=0)]
    )
    files = [("dot1_0120", where / "a.parquet"), ("dot1_0220", where / "b.parquet")]
    report = validate_parquet(files, suite, tmp_path / "docs", "two")
    assert not report.success
    (row,) = report.results
    assert (row["unexpected_count"], row["unexpected_lines"], row["observed"]) == (1, "dot1_0220:3", "[-5]")
    alone = validate_parquet(files[1:], suite, tmp_path / "docs", "two")
    assert alone.results[0]["unexpected_lines"] == "3"
