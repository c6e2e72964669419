"""GX suite on marts.trade_reconciliation: TransBorder and the Census trade API, two publishers of the
same Census records, agree on every port-chapter-month both cover within the stated tolerance."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import polars as pl

from expectations.runner import LINE_COLUMN, Runner, here, validate_frame_built

SUITE = "trade_reconciliation"
SOURCE = "census_ports"  # its results are filed under the source that brings the second publisher


def build_suite(tolerance_pct: float):
    """The difference within plus or minus `tolerance_pct` percent of the larger value, in every row."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    return gx.ExpectationSuite(
        name=SUITE,
        expectations=[
            gxe.ExpectColumnValuesToBeBetween(
                column="difference_pct", min_value=-tolerance_pct, max_value=tolerance_pct
            ),
            gxe.ExpectColumnValuesToNotBeNull(column="census_usd"),
            gxe.ExpectColumnValuesToNotBeNull(column="transborder_usd"),
        ],
    )


def validate_reconciliation(frame: pl.DataFrame, docs_dir: Path, run: Runner = here) -> list[dict]:
    """The suite run on the mart's rows (line = row in month, port, chapter order); rows for
    meta.validations, failures included: a disagreement is said, not a reason to withhold either source."""
    if frame.height == 0:
        return []
    tolerance = float(frame["tolerance_pct"][0])
    report = run(
        validate_frame_built,
        frame.with_row_index(LINE_COLUMN, offset=1),
        partial(build_suite, tolerance),
        docs_dir,
        SUITE,
    )
    return [{**r, "suite": report.suite, "source": SOURCE} for r in report.results]
