"""GX suite for the Schedule D port list read from BTS's code workbook."""

from __future__ import annotations

from datetime import date


def build_suite(previous_rows: int | None, min_row_ratio: float, today: date):
    """Codes present, unique, 4 characters (districts end in XX); every port named."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    return gx.ExpectationSuite(
        name="schedule_d_ports",
        expectations=[
            gxe.ExpectColumnValuesToNotBeNull(column="port_code"),
            gxe.ExpectColumnValuesToNotBeNull(column="port_name"),
            gxe.ExpectColumnValuesToBeUnique(column="port_code"),
            gxe.ExpectColumnValuesToMatchRegex(column="port_code", regex=r"^[0-9]{2}[0-9X]{2}$"),
            gxe.ExpectTableRowCountToBeBetween(min_value=100),
        ],
    )
