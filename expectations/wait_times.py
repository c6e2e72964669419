"""GX suite for the collected wait-time readings (`transforms.wait_times.latest_readings` output)."""

from __future__ import annotations

from datetime import date

from transforms.wait_times import FIRST_READING, LANES, MAX_LANES, MAX_WAIT_MINUTES, VEHICLES, latest_allowed


def build_suite(today: date):
    """Keys present and unique per lane and update time, known lane kinds, waits and lane counts in
    range, and no update time after tomorrow (a time-zone or date slip)."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    latest = latest_allowed(today)
    return gx.ExpectationSuite(
        name="cbp_wait_times_readings",
        expectations=[
            *(
                gxe.ExpectColumnValuesToNotBeNull(column=c)
                for c in ("port_number", "vehicle_type", "lane_type", "observed_utc", "delay_minutes")
            ),
            gxe.ExpectCompoundColumnsToBeUnique(
                column_list=["port_number", "vehicle_type", "lane_type", "observed_utc"]
            ),
            gxe.ExpectColumnValuesToBeInSet(column="vehicle_type", value_set=list(VEHICLES)),
            gxe.ExpectColumnValuesToBeInSet(column="lane_type", value_set=list(LANES)),
            gxe.ExpectColumnValuesToBeInSet(column="status", value_set=["delay", "no delay"]),
            gxe.ExpectColumnValuesToBeBetween(
                column="delay_minutes", min_value=0, max_value=MAX_WAIT_MINUTES
            ),
            gxe.ExpectColumnValuesToBeBetween(column="lanes_open", min_value=0, max_value=MAX_LANES),
            gxe.ExpectColumnValuesToBeBetween(
                column="observed_utc", min_value=FIRST_READING, max_value=latest
            ),
        ],
    )
