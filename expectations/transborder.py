"""GX suites for the clean TransBorder tables (`transforms.transborder` output), declared as code,
and the cross-table rule: dot1, dot2 and dot3 give the same total value per month, country and
trade type (they do in BTS's data); a month missing from a table is a coverage gap, not an error."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import polars as pl

from transforms.trade_codes import (
    CANADIAN_PROVINCES,
    COUNTRIES,
    HS2,
    MEXICAN_STATES,
    MODES,
    TRADE_TYPES,
    US_STATES,
)
from transforms.transborder import AMOUNTS, KEYS

FIRST_MONTH = datetime(1993, 1, 1)


def build_suite(table: str, previous_rows: int | None, min_row_ratio: float, today: date):
    """Expectations for monthly files of `table` (row counts are not compared across months; the
    month bound only matters for a file's first validation, when it is new)."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    keys = KEYS[table]
    codes = [k for k in keys if k in ("port_code", "us_state", "commodity")]
    expectations = [
        *(
            gxe.ExpectColumnValuesToNotBeNull(column=c)
            for c in ("month", "trade_type", "country", "mode", *codes)
        ),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=list(keys), ignore_row_if="never"),
        gxe.ExpectColumnValuesToBeInSet(column="trade_type", value_set=sorted(TRADE_TYPES.values())),
        gxe.ExpectColumnValuesToBeInSet(column="country", value_set=sorted(COUNTRIES.values())),
        gxe.ExpectColumnValuesToBeInSet(column="mode", value_set=sorted(m[0] for m in MODES.values())),
        gxe.ExpectColumnValuesToBeBetween(
            column="month", min_value=FIRST_MONTH, max_value=datetime(today.year, today.month, 1)
        ),
        *(gxe.ExpectColumnValuesToBeBetween(column=a, min_value=0) for a in AMOUNTS),
    ]
    # region codes in their BTS code lists (empty values are not judged: Canada rows have no MEXSTATE)
    for column, codes in (
        ("us_state", US_STATES),
        ("mex_state", MEXICAN_STATES),
        ("can_province", CANADIAN_PROVINCES),
    ):
        if column in keys:
            expectations.append(gxe.ExpectColumnValuesToBeInSet(column=column, value_set=sorted(codes)))
    if "commodity" in keys:
        expectations.append(gxe.ExpectColumnValuesToBeInSet(column="commodity", value_set=sorted(HS2)))
    if "port_code" in keys:
        expectations.append(
            gxe.ExpectColumnValuesToMatchRegex(column="port_code", regex=r"^[0-9]{2}[0-9X]{2}$")
        )
    return gx.ExpectationSuite(name=f"transborder_{table}_clean", expectations=expectations)


def table_totals(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Total value per table, month, country and trade type, one column per table."""
    long = pl.concat(
        [
            f.group_by("month", "country", "trade_type")
            .agg(pl.col("value_usd").sum())
            .with_columns(pl.lit(table).alias("table"))
            for table, f in frames.items()
        ]
    )
    return long.pivot(on="table", index=["month", "country", "trade_type"], values="value_usd").sort(
        "month", "country", "trade_type"
    )


def cross_table_mismatches(totals: pl.DataFrame) -> pl.DataFrame:
    """Rows where the tables present for a month disagree on the total (gaps are not mismatches)."""
    tables = [c for c in totals.columns if c.startswith("dot")]
    present = [pl.col(t) for t in tables]
    return totals.filter(pl.max_horizontal(present) != pl.min_horizontal(present))


def totals_rule(source: str, totals: dict[str, list[Path]]) -> list[str]:
    """The cross-table rule over a source's parsed totals (Parquet per table): raises ValidationFailed
    when the tables disagree; returns the coverage gaps ("all tables YYYY-MM", "dot2 YYYY-MM")."""
    from expectations.runner import ValidationFailed

    frames = {  # one read per table: the history's files read one by one took ten times as long
        table: pl.read_parquet(paths, glob=False) for table, paths in totals.items() if paths
    }
    if not frames:
        return []
    merged = table_totals(frames)
    mismatches = cross_table_mismatches(merged)
    if mismatches.height:
        first = mismatches.row(0, named=True)
        raise ValidationFailed(
            f"{source}: tables disagree on total value for {mismatches.height} "
            f"month/country/direction groups (rule: cross_table_totals); first: {first}"
        )
    on_hand = set(merged["month"].to_list())
    span = pl.date_range(min(on_hand), max(on_hand), "1mo", eager=True).to_list()
    gaps = [f"all tables {month:%Y-%m}" for month in span if month not in on_hand]
    for table in totals:
        if table not in merged.columns:
            continue
        for month in merged.filter(pl.col(table).is_null())["month"].unique().sort().to_list():
            gaps.append(f"{table} {month:%Y-%m}")
    return gaps
