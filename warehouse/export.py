"""The published warehouse in the formats people open without SQL: CSV for any tool (UTF-8 with a
byte-order mark, so Excel shows "Nuevo León"), one Excel workbook of the marts with every column
described, and Parquet with each table's and column's description in the file. Each file is written
beside its name and renamed into place, so a reader never sees half of one."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb

from warehouse.access import open_published
from warehouse.db import literal, rows
from warehouse.safe_text import spreadsheet_safe_sql

SCHEMAS = ("core", "marts")
BOM = "\ufeff".encode()
SHEET_ROWS = 1_048_576 - 1  # an Excel sheet's rows, less the header
BATCH = 100_000


@dataclass(frozen=True)
class Table:
    name: str  # schema.table
    rows: int
    description: str


@dataclass
class Workbook:
    """What `export_xlsx` wrote: the file, the marts it holds as sheets and the ones too large for one."""

    path: Path
    sheets: list[str] = field(default_factory=list)
    too_large: list[Table] = field(default_factory=list)


def _tables(con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...], counted: bool = False) -> list[Table]:
    """The tables of `schemas` with their descriptions (and row counts when `counted`)."""
    found = rows(
        con,
        "SELECT schema_name || '.' || table_name, coalesce(comment, '') FROM duckdb_tables() "
        "WHERE database_name = current_database() AND schema_name IN (SELECT unnest(?)) ORDER BY 1",
        [list(schemas)],
    )
    return [
        Table(name, rows(con, f"SELECT count(*) FROM {name}")[0][0] if counted else -1, text)
        for name, text in found
    ]


@contextmanager
def _written(target: Path) -> Iterator[Path]:
    """A partial file beside `target` to write; renamed into place at the end, removed on failure."""
    partial = _partial(target)
    try:
        yield partial
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str, str]]:
    schema, name = table.split(".")
    return rows(
        con,
        "SELECT column_name, data_type, coalesce(comment, '') FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = ? AND table_name = ? "
        "ORDER BY column_index",
        [schema, name],
    )


def _safe_columns(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """The table's columns, its text columns made spreadsheet-safe (warehouse/safe_text.py)."""
    return ", ".join(
        spreadsheet_safe_sql(quoted(name)) if kind == "VARCHAR" else quoted(name)
        for name, kind, _ in _columns(con, table)
    )


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _partial(target: Path) -> Path:
    return target.with_name(f".{target.name}.partial")


def export_csv(path: Path, folder: Path, raw: bool = False) -> list[Path]:
    """Every core and marts table as `<folder>/<schema>.<table>.csv`: a header, then the rows, UTF-8
    with a byte-order mark; times in UTC, dates as YYYY-MM-DD. Unless `raw`, a text cell a spreadsheet
    would run as a formula is written as text (a leading ')."""
    folder.mkdir(parents=True, exist_ok=True)
    con = open_published(path, files=True)
    written = []
    try:
        for table in _tables(con, SCHEMAS):
            target = folder / f"{table.name}.csv"
            body = _partial(target).with_suffix(".body")
            try:
                with _written(target) as partial:
                    query = (
                        table.name if raw else f"(SELECT {_safe_columns(con, table.name)} FROM {table.name})"
                    )
                    con.execute(f"COPY {query} TO {literal(body)} (FORMAT csv, HEADER true)").fetchall()
                    with partial.open("wb") as out, body.open("rb") as data:
                        out.write(BOM)
                        shutil.copyfileobj(data, out, 1 << 20)
            finally:
                body.unlink(missing_ok=True)
            written.append(target)
    finally:
        con.close()
    return written


def export_parquet(path: Path, folder: Path) -> list[Path]:
    """Every core and marts table as `<folder>/<schema>.<table>.parquet`, streamed; the table's
    description is the file's `description` metadata and each column's the `description` metadata of
    its field (pyarrow, polars and pandas read them)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    con = open_published(path)
    written = []
    try:
        for table in _tables(con, SCHEMAS):
            described = {name: text for name, _, text in _columns(con, table.name)}
            reader = con.sql(f"SELECT * FROM {table.name}").to_arrow_reader(BATCH)
            schema = pa.schema(
                [f.with_metadata({"description": described.get(f.name, "")}) for f in reader.schema],
                metadata={"description": table.description, "table": table.name},
            )
            target = folder / f"{table.name}.parquet"
            with _written(target) as partial, pq.ParquetWriter(partial, schema) as writer:
                for batch in reader:
                    writer.write_batch(pa.RecordBatch.from_arrays(batch.columns, schema=schema))
            written.append(target)
    finally:
        con.close()
    return written


def export_xlsx(path: Path, target: Path) -> Workbook:
    """The marts as one Excel workbook: a `contents` sheet (each mart, its rows and description, and
    where it is), `columns` (every column described), `sources` (marts.data_vintage), then a sheet per
    mart. A mart with more rows than a sheet holds is not cut: `contents` says so and names the CSV."""
    import xlsxwriter
    from xlsxwriter.exceptions import XlsxWriterException

    target.parent.mkdir(parents=True, exist_ok=True)
    partial = _partial(target)
    _writable(partial)  # a read-only or full target fails now, not after minutes of work
    con = open_published(path)
    result = Workbook(target)
    # xlsxwriter's temporary files (one per sheet, as large as the sheet) beside the target, not in /tmp,
    # and removed whatever happens
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    book = xlsxwriter.Workbook(
        str(partial),
        {
            "tmpdir": str(scratch),
            "constant_memory": True,
            "remove_timezone": True,
            "nan_inf_to_errors": True,
            "strings_to_formulas": False,  # a port name starting with = stays text
            "default_date_format": "yyyy-mm-dd",
        },
    )
    bold = book.add_format({"bold": True})
    try:
        marts = _tables(con, ("marts",), counted=True)
        fits = [t for t in marts if t.rows <= SHEET_ROWS]
        result.too_large = [t for t in marts if t.rows > SHEET_ROWS]
        contents = [
            (
                t.name,
                t.rows,
                t.description,
                f"sheet {t.name.removeprefix('marts.')}"
                if t.rows <= SHEET_ROWS
                else f"too large for a sheet ({t.rows:,} rows; a sheet holds {SHEET_ROWS:,}): "
                f"hled export csv gives {t.name}.csv",
            )
            for t in marts
        ]
        _sheet(book, bold, "contents", ["table", "rows", "description", "where"], contents)
        described = [(t.name, *column) for t in marts for column in _columns(con, t.name)]
        _sheet(book, bold, "columns", ["table", "column", "type", "description"], described)
        vintage = con.execute("SELECT * FROM marts.data_vintage ORDER BY ALL")
        _sheet(book, bold, "sources", [d[0] for d in vintage.description], vintage.fetchall())
        for table in fits:
            data = con.execute(f"SELECT * FROM {table.name}")
            sheet = table.name.removeprefix("marts.")
            _sheet(book, bold, sheet, [d[0] for d in data.description], _batches(data))
            result.sheets.append(sheet)
        book.close()
    except XlsxWriterException as exc:  # the file could not be written: a disk or permission error
        partial.unlink(missing_ok=True)
        raise OSError(f"{target}: {exc}") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        con.close()
        shutil.rmtree(scratch, ignore_errors=True)
    partial.replace(target)
    return result


def _writable(partial: Path) -> None:
    """Create and remove the partial file: an OSError (read-only, full, a folder in the way) at once."""
    with partial.open("wb") as fh:
        fh.write(b"\0" * 4096)
    partial.unlink()


def _batches(result: duckdb.DuckDBPyConnection):
    """A result's rows, BATCH at a time."""
    while batch := result.fetchmany(BATCH):
        yield batch


def _sheet(book, bold, name: str, header: list[str], batches) -> None:
    """One sheet: a bold, frozen header, then the rows (a list, or an iterator of lists of rows)."""
    sheet = book.add_worksheet(name[:31])
    sheet.write_row(0, 0, header, bold)
    sheet.freeze_panes(1, 0)
    line = 1
    for batch in [batches] if isinstance(batches, list) else batches:
        for row in batch:
            sheet.write_row(line, 0, [_cell(v) for v in row])
            line += 1


def _cell(value: object) -> object:
    """A value as xlsxwriter writes it: numbers, text, dates and times as they are; decimals as
    numbers; lists, structs and other types as text."""
    if value is None or isinstance(value, (int, float, str, bool)) or hasattr(value, "isoformat"):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(value)
