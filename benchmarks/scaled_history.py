"""A temporary mirror whose TransBorder history is the staged one several times over: each staged monthly
file copied back by whole spans of years with its YEAR column shifted, so a benchmark can show what a
night costs when the history is longer (the crossings file stays as staged: it is replaced whole)."""

from __future__ import annotations

import gzip
import re
from datetime import date
from pathlib import Path

import polars as pl

MONTHLY = re.compile(r"(dot[123])_(0[1-9]|1[0-2])([0-9]{2})\.csv(\.gz)?")


def monthly_files(data: Path) -> list[tuple[Path, str, int, int]]:
    """(path, table, month, year) of every staged monthly TransBorder file."""
    out = []
    for path in sorted(data.glob("transborder/*/dot*_*.csv*")):
        match = MONTHLY.fullmatch(path.name)
        if match:
            out.append((path, match.group(1), int(match.group(2)), 2000 + int(match.group(3))))
    return out


def scaled_mirror(data: Path, mirror: Path, times: int, since: date, leave_out: str | None = None) -> date:
    """Build `mirror`: symlinks to the staged crossings and reference files, the staged TransBorder
    months from `since`, and `times - 1` copies of them shifted back by the years they span, without
    the month `leave_out` (MMYY) of the staged ones. Returns the first month of the copies."""
    staged = [f for f in monthly_files(data) if date(f[3], f[2], 1) >= since]
    first, last = min(f[3] for f in staged), max(f[3] for f in staged)
    span = last - first + 1
    crossings = data / "bts_border_crossing" / "Border_Crossing_Entry_Data.csv.gz"
    for source in [crossings, *data.glob("reference/**/*.xls")]:
        target = mirror / source.relative_to(data)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            target.symlink_to(source)
    for path, table, month, year in staged:
        stamp = f"{month:02d}{year % 100:02d}"
        target = mirror / "transborder" / str(year) / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        if leave_out == stamp:
            target.unlink(missing_ok=True)
        elif not target.exists():
            target.symlink_to(path)
        frame = None
        for copy in range(1, times):
            shifted = year - copy * span
            name = f"{table}_{month:02d}{shifted % 100:02d}.csv.gz"
            out = mirror / "transborder" / str(shifted) / name
            if out.exists():
                continue
            if frame is None:
                frame = pl.read_csv(path, infer_schema=False)
            year_column = next(c for c in frame.columns if c.strip().upper() == "YEAR")
            out.parent.mkdir(parents=True, exist_ok=True)
            body = frame.with_columns(pl.lit(str(shifted)).alias(year_column)).write_csv()
            out.write_bytes(gzip.compress(body.encode(), compresslevel=1))
    return date(first - (times - 1) * span, 1, 1)
