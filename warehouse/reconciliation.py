"""What the reconciliation of two publishers of the same trade says, for the run summary: the
port-chapter-months where TransBorder and the Census trade API disagree beyond the tolerance
declared with marts.trade_reconciliation."""

from __future__ import annotations

import duckdb

from warehouse.db import rows


def disagreements(con: duckdb.DuckDBPyConnection) -> list[str]:
    """One line when some port-chapter-months disagree beyond the tolerance, naming how many and the
    largest; none when they agree (or nothing is covered by both)."""
    found = rows(
        con,
        """SELECT count(*) OVER (), month, trade_type, country, port_code, chapter, transborder_usd,
                      census_usd, difference_pct, tolerance_pct,
                      (SELECT count(*) FROM marts.trade_reconciliation)
               FROM marts.trade_reconciliation WHERE NOT within_tolerance
               ORDER BY abs(difference_usd) DESC LIMIT 1""",
    )
    if not found:
        return []
    n, month, trade_type, country, port, chapter, tb, census, pct, tolerance, compared = found[0]
    return [
        f"TransBorder and the Census trade API disagree beyond {tolerance:g} % on {n:,} of {compared:,} "
        f"port-chapter-months both cover; the largest: port {port}, HS {chapter}, {trade_type}s, "
        f"{country}, {month:%Y-%m}: TransBorder US${tb:,}, Census US${census:,} ({pct:+.2f} %); "
        "see marts.trade_reconciliation"
    ]
