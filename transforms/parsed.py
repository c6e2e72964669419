"""What parsing yields: `ParseResult`, the one type every parser returns, and `ParsedFile`, a parse kept
as Parquet in the stage cache, keyed by the file's bytes and the parsing code, so unchanged files are
not parsed again (a chart or SQL change does not force a re-parse)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from transforms.cache import StageCache
from transforms.rawfile import check_reject_share

FILES = ("clean", "rejects", "totals")


@dataclass(frozen=True)
class ParseResult:
    """A clean frame and the rows kept out of it (each with line, rule and reason), the layout the
    header matched and how many data rows the file had."""

    clean: pl.DataFrame
    rejects: pl.DataFrame
    layout: str
    rows_read: int


Parser = Callable[[Path, str], ParseResult]  # (path, label naming the file in messages) -> result


@dataclass(frozen=True)
class ParsedFile:
    """One raw file parsed: where its clean rows, rejects and value totals are kept, and its counts."""

    source: str
    table: str
    key: str
    raw_path: str
    clean_path: str
    rejects_path: str
    totals_path: str
    layout: str
    rows_read: int
    rows_clean: int
    rows_rejected: int
    reused: bool
    # the months its clean rows hold (first days, ISO), recorded at parsing; None: no month column, or a
    # parse cached before they were recorded
    months: tuple[str, ...] | None = None


def _totals(clean: pl.DataFrame) -> pl.DataFrame:
    """Value per month, partner and direction, for rules that compare a source's tables."""
    if "value_usd" not in clean.columns:
        return pl.DataFrame()
    return clean.group_by("month", "country", "trade_type").agg(pl.col("value_usd").sum())


def _months(clean: pl.DataFrame) -> list[str] | None:
    """The distinct months of a clean frame (ISO dates), or None when it has no month column."""
    if "month" not in clean.columns:
        return None
    return sorted(str(m) for m in clean["month"].drop_nulls().unique().to_list())


def _sizes(folder: Path) -> dict[str, int]:
    return {name: (folder / f"{name}.parquet").stat().st_size for name in FILES}


def _intact(folder: Path, meta: dict) -> bool:
    """Whether a cached parse's Parquet files are as written: of the sizes its meta recorded (a stat
    each: a nightly run checks every cached file of the history), or for a parse cached before sizes
    were recorded, footers that open and hold the rows recorded. A file overwritten or cut short fails."""
    import pyarrow.parquet as pq

    if "bytes" in meta:
        try:
            return _sizes(folder) == meta["bytes"]
        except OSError:
            return False
    expected = {"clean": meta.get("rows_clean"), "rejects": meta.get("rows_rejected")}
    try:
        for name in FILES:
            rows = pq.read_metadata(folder / f"{name}.parquet").num_rows
            if expected.get(name) is not None and rows != expected[name]:
                return False
    except (OSError, ValueError):  # missing, not Parquet (pyarrow's ArrowInvalid is a ValueError)
        return False
    return True


def parse_cached(
    cache: StageCache,
    parse: Parser,
    source: str,
    table: str,
    key: str,
    raw: Path,
    cache_key: str,
    label: str,
    max_reject_share: float,
) -> ParsedFile:
    """Parse `raw`, or reuse the Parquet of an earlier parse with the same `cache_key` (bytes and code);
    either way the share of rejected rows is checked against today's limit."""
    item = f"{source}-{key}"
    meta = cache.get(item, cache_key)
    if meta is not None and not _intact(cache.folder(item, cache_key), meta):
        logging.getLogger("hled").warning(
            "%s: its cached parse under %s is damaged (a Parquet file unreadable or of another length); "
            "parsed again",
            label,
            cache.folder(item, cache_key),
        )
        meta = None
    reused = meta is not None
    if meta is None:

        def write(folder: Path) -> dict:
            result = parse(raw, label)
            check_reject_share(result.rejects, result.rows_read, max_reject_share, label)
            # lz4: 0.4 s less than zstd to write the staged TransBorder files, half again the bytes
            result.clean.write_parquet(folder / "clean.parquet", compression="lz4")
            result.rejects.write_parquet(folder / "rejects.parquet")
            _totals(result.clean).write_parquet(folder / "totals.parquet")
            return {
                "layout": result.layout,
                "rows_read": result.rows_read,
                "rows_clean": result.clean.height,
                "rows_rejected": result.rejects.height,
                "bytes": _sizes(folder),
                "months": _months(result.clean),
            }

        meta = cache.put(item, cache_key, write)
    folder = cache.folder(item, cache_key)
    parsed = ParsedFile(
        source=source,
        table=table,
        key=key,
        raw_path=str(raw),
        **{f"{name}_path": str(folder / f"{name}.parquet") for name in FILES},
        layout=meta["layout"],
        rows_read=meta["rows_read"],
        rows_clean=meta["rows_clean"],
        rows_rejected=meta["rows_rejected"],
        reused=reused,
        months=None if meta.get("months") is None else tuple(meta["months"]),
    )
    if reused and parsed.rows_read and parsed.rows_rejected / parsed.rows_read > max_reject_share:
        # today's limit may be lower than when it was parsed (the rejects are read only when it can fail)
        check_reject_share(
            pl.read_parquet(parsed.rejects_path, glob=False), parsed.rows_read, max_reject_share, label
        )
    return parsed
