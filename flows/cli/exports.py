"""`hled export`: the published warehouse as CSV, an Excel workbook, or Parquet."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer

from flows.cli.common import T, err, line, out, settings_or_exit, stop_on_signals, warehouse_error

app = typer.Typer(help="Export the published warehouse to other formats.", no_args_is_help=True)


def _exported(what: Callable[[], T]) -> T:
    """Run an export; an unreadable warehouse exits 2, a disk that refuses the files 1, SIGTERM or
    SIGINT 128 + the signal, each in one line, leaving no partial or temporary file."""
    import duckdb

    from flows.errors import RunStopped
    from warehouse.errors import WarehouseError

    try:
        with stop_on_signals():
            return what()
    except RunStopped as exc:  # its partial and temporary files were removed on the way out
        line(err, "export stopped:", f"{exc}; no partial or temporary file is left")
        raise typer.Exit(128 + exc.signal_number) from None
    except WarehouseError as exc:
        warehouse_error(exc)
    except (OSError, duckdb.IOException) as exc:
        line(err, "export failed:", f"{exc} (rule: exports_writable)")
        raise typer.Exit(1) from None


@app.command("csv")
def export_csv(
    folder: Path = typer.Argument(..., help="Folder to write <schema>.<table>.csv files to."),
) -> None:
    """Write every core and marts table as CSV (UTF-8 with a byte-order mark, so Excel reads accents).

    Example: hled export csv ./csv
    """
    settings = settings_or_exit(builds=False)
    from warehouse.export import export_csv as write_csv

    for path in _exported(lambda: write_csv(settings.warehouse_path, folder, raw=settings.csv_raw)):
        out.print(str(path))


@app.command("xlsx")
def export_xlsx(
    file: Path = typer.Argument(..., help="Excel workbook to write, e.g. border.xlsx."),
) -> None:
    """Write the marts as one Excel workbook: contents, every column described, the sources' vintage,
    then a sheet per mart (a mart too large for a sheet is named in contents, not cut).

    Example: hled export xlsx border.xlsx
    """
    settings = settings_or_exit(builds=False)
    from warehouse.export import export_xlsx as write_xlsx

    book = _exported(lambda: write_xlsx(settings.warehouse_path, file))
    out.print(f"{book.path}: {len(book.sheets)} marts as sheets, with contents, columns and sources")
    for table in book.too_large:
        line(
            out,
            "not in the workbook:",
            f"{table.name} has {table.rows:,} rows, more than a sheet holds; `hled export csv DIR` writes it",
            "yellow",
        )


@app.command("parquet")
def export_parquet(
    folder: Path = typer.Argument(..., help="Folder to write <schema>.<table>.parquet files to."),
) -> None:
    """Write every core and marts table as Parquet, with each table's and column's description in
    the file's metadata.

    Example: hled export parquet ./parquet
    """
    settings = settings_or_exit(builds=False)
    from warehouse.export import export_parquet as write_parquet

    for path in _exported(lambda: write_parquet(settings.warehouse_path, folder)):
        out.print(str(path))
