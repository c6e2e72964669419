"""GX suite for the Census `porths` answers as parsed (`transforms.census_ports` output)."""

from __future__ import annotations

from datetime import date, datetime

from transforms.census_ports import DIRECTIONS, HEADINGS
from transforms.trade_codes import COUNTRIES

FIRST_MONTH = datetime(2010, 1, 1)  # the API's data start
KEY = ("month", "trade_type", "country", "port_code", "hs_code")


def build_suite(previous_rows: int | None, min_row_ratio: float, today: date):
    """One row per month, direction, partner, port and heading; a heading of the declared list;
    values whole, not negative, the land value (all modes less air and vessel) included."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    this_month = datetime(today.year, today.month, 1)
    expectations = [
        *(gxe.ExpectColumnValuesToNotBeNull(column=c) for c in (*KEY, "hs_level", "value_usd", "land_usd")),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=list(KEY)),
        gxe.ExpectColumnValuesToMatchRegex(column="port_code", regex=r"^[0-9]{4}$"),
        gxe.ExpectColumnValuesToBeInSet(column="hs_code", value_set=[h.code for h in HEADINGS]),
        gxe.ExpectColumnValuesToBeInSet(column="trade_type", value_set=sorted(set(DIRECTIONS.values()))),
        gxe.ExpectColumnValuesToBeInSet(column="country", value_set=sorted(COUNTRIES.values())),
        *(
            gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0)
            for c in ("value_usd", "air_usd", "vessel_usd", "land_usd")
        ),
        gxe.ExpectColumnValuesToBeBetween(column="month", min_value=FIRST_MONTH, max_value=this_month),
    ]
    return gx.ExpectationSuite(name="census_ports_clean", expectations=expectations)
