"""GX suite for the clean crossings table (`transforms.crossings` output), declared as code."""

from __future__ import annotations

from datetime import date, datetime

from expectations.batches import least_rows
from transforms.crossings import BORDER_CODES, KEY, MEASURE_CODES

FIRST_MONTH = datetime(1996, 1, 1)


def build_suite(previous_rows: int | None, min_row_ratio: float, today: date):
    """Expectations for one load. `previous_rows` is what the last published load had: a new
    load must reach `min_row_ratio` of it, so a silently shrunken file cannot replace a good one."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    this_month = datetime(today.year, today.month, 1)
    min_rows = least_rows(previous_rows, min_row_ratio)
    expectations = [
        *(
            gxe.ExpectColumnValuesToNotBeNull(column=c)
            for c in ("port_code", "border", "month", "measure", "value")
        ),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=list(KEY)),
        gxe.ExpectColumnValuesToBeOfType(column="value", type_="int64"),
        gxe.ExpectColumnValuesToBeBetween(column="value", min_value=0),
        gxe.ExpectColumnValuesToMatchRegex(column="port_code", regex=r"^[0-9]{4}$"),
        gxe.ExpectColumnValuesToBeInSet(column="measure", value_set=list(MEASURE_CODES)),
        gxe.ExpectColumnValuesToBeInSet(column="border", value_set=list(BORDER_CODES)),
        gxe.ExpectColumnValuesToBeBetween(column="month", min_value=FIRST_MONTH, max_value=this_month),
        gxe.ExpectTableRowCountToBeBetween(min_value=min_rows),
    ]
    return gx.ExpectationSuite(name="bts_crossings_clean", expectations=expectations)
