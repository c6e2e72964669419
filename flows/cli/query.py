"""`hled sql`: one read-only query against the published warehouse, as a table or as CSV."""

from __future__ import annotations

import csv

import typer
from rich.table import Table

from flows.cli.common import out, settings_or_exit, warehouse_error


def sql(
    statement: str = typer.Argument(..., help="One SQL query, run read-only."),
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV instead of a table."),
    limit: int = typer.Option(
        100, "--limit", min=0, help="Rows fetched and shown in the table (CSV prints all)."
    ),
) -> None:
    """Run a query read-only against the published warehouse and print the result.

    Example: hled sql "SELECT border, sum(value) FROM marts.border_month WHERE measure = 'trucks' GROUP BY 1"
    """
    settings = settings_or_exit(builds=False)
    from warehouse.access import SqlLimits, query, stream
    from warehouse.errors import WarehouseError
    from warehouse.safe_text import spreadsheet_safe, visible

    limits = SqlLimits(settings.sql_timeout, settings.sql_memory)

    try:
        if as_csv:  # every row, written as it is fetched
            writer = csv.writer(out.file, lineterminator="\n")
            if settings.csv_raw:
                stream(settings.warehouse_path, statement, writer.writerow, writer.writerows, limits)
            else:  # formulas as text, and no terminal escape from the data reaches the console

                def cell(v: object) -> object:
                    return visible(v) if isinstance(v, str) else v

                stream(
                    settings.warehouse_path,
                    statement,
                    lambda names: writer.writerow([spreadsheet_safe(cell(n)) for n in names]),
                    lambda batch: writer.writerows([[spreadsheet_safe(cell(v)) for v in r] for r in batch]),
                    limits,
                )
            return
        columns, result, more = query(settings.warehouse_path, statement, limit, limits)
    except WarehouseError as exc:
        warehouse_error(exc)
    table = Table(*(visible(c) for c in columns))
    for row in result:
        table.add_row(*("" if v is None else visible(str(v)) for v in row))
    out.print(table)
    if more:
        out.print(f"more than {limit:,} rows; the first {limit:,} are shown (--limit N, or --csv for all)")
