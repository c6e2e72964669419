"""The windows figures are taken over, declared once: the latest month, the 12 months to a month, and
the year to date. The scorecard's SQL, the charts' 12-month bars and the brief's sector table all use
these, and all say which months of a window are missing instead of summing fewer months in silence."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

FLAT_PCT = 1.0  # a change within +/- this many percent is called flat, not a direction (brief, catalog)


def shift(month: date, months: int) -> date:
    """The first day of the month `months` after (or before, if negative) `month`."""
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Window:
    """A span of months ending at a figure's last month: `months` long, or the year to date (None)."""

    key: str
    months: int | None

    def span(self, last: date) -> list[date]:
        """Every month of the window that ends at `last`, oldest first."""
        length = self.months if self.months is not None else last.month
        return [shift(last, -k) for k in range(length - 1, -1, -1)]

    def first(self, last: date) -> date:
        return self.span(last)[0]

    def missing(self, last: date, present: Iterable[date]) -> list[date]:
        """The months of the window ending at `last` that are not in `present`."""
        have = set(present)
        return [m for m in self.span(last) if m not in have]

    def sql_between(self, column: str, last: str) -> str:
        """A SQL condition: `column` (a month) is in the window ending at the SQL expression `last`."""
        return f"{column} BETWEEN ({self.first_sql(last)}) AND ({last})"

    def first_sql(self, last: str) -> str:
        if self.months is None:
            return f"date_trunc('year', {last})::DATE"
        return f"({last} - INTERVAL {self.months - 1} MONTH)::DATE"


LATEST_MONTH = Window("latest_month", 1)
TWELVE_MONTHS = Window("12_months", 12)
YEAR_TO_DATE = Window("year_to_date", None)
