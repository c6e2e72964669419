"""BTS TransBorder code workbook (`codes_all.xls`), sheet "Port": the Schedule D port list, read at run
time so trade-only ports get their names. District rows (`23XX`) are kept: TransBorder uses them for
trade of unknown port within a district."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from transforms.errors import ParseError, SchemaDriftError
from transforms.parsed import ParseResult
from transforms.rawfile import REJECT_SCHEMA

SHEET = "Port"
LAYOUTS: dict[str, tuple[str, ...]] = {"codes_all_xls": ("Port Code", "", "District code")}
CLEAN_SCHEMA: dict[str, pl.DataType] = {
    "port_code": pl.String(),
    "port_name": pl.String(),
    "district_code": pl.String(),
    "district_name": pl.String(),
    "source_line": pl.Int64(),
}


def _code(value: object) -> str:
    """Codes may come as text ('0101') or, where Excel typed them, as numbers (101.0)."""
    if isinstance(value, float):
        return f"{int(value):04d}"
    return str(value).strip().upper()


def _title(name: str) -> str:
    """'PORTLAND, ME' -> 'Portland, ME' (state abbreviations stay upper case)."""
    head, _, state = name.strip().rpartition(", ")
    if head and len(state) == 2:
        return f"{head.title()}, {state}"
    return name.strip().title()


def parse_schedule_d(path: Path, name: str | None = None) -> ParseResult:
    """Ports and districts from the workbook's Port sheet (row numbers are 1-based sheet rows)."""
    import xlrd
    import xlrd.compdoc

    label = name or path.name
    try:
        book = xlrd.open_workbook(str(path))
    except (xlrd.XLRDError, xlrd.compdoc.CompDocError, OSError, ValueError) as exc:
        raise ParseError(f"{label}: not a readable .xls workbook (rule: xls_readable): {exc}") from None
    if SHEET not in book.sheet_names():
        raise SchemaDriftError(
            f"{label}: no sheet {SHEET!r} (rule: known_header); sheets: {book.sheet_names()}"
        )
    sheet = book.sheet_by_name(SHEET)
    header = tuple(str(sheet.cell_value(0, c)).strip() for c in range(min(sheet.ncols, 3)))
    if header[0] != "Port Code":
        raise SchemaDriftError(
            f"{label}: sheet {SHEET!r} starts with {header!r}, expected 'Port Code' (rule: known_header)"
        )
    rows, rejects = [], []
    district_code = district_name = None
    for r in range(1, sheet.nrows):
        values = sheet.row_values(r) + ["", "", ""]
        district, port, text = _code(values[0]), _code(values[1]), str(values[2]).strip()
        if not port and len(district) != 4:  # blank rows, the sub-header, footnotes
            continue
        if district.endswith("XX"):
            district_code, district_name = district, _title(text)
            rows.append(
                (district, f"{district_name} (district, port unknown)", district, district_name, r + 1)
            )
        elif len(port) == 4 and port.isalnum() and text:
            rows.append((port, _title(text), district_code, district_name, r + 1))
        else:
            rejects.append(
                (
                    r + 1,
                    "port_row_unreadable",
                    f"row is neither a district nor a port: {values[:3]}",
                    ",".join(str(v) for v in values[:3]),
                )
            )
    clean = pl.DataFrame(rows, schema=CLEAN_SCHEMA, orient="row").unique(
        "port_code", keep="first", maintain_order=True
    )
    return ParseResult(
        clean=clean,
        rejects=pl.DataFrame(rejects, schema=REJECT_SCHEMA, orient="row"),
        layout="codes_all_xls",
        rows_read=sheet.nrows - 1,
    )
