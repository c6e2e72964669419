"""Reading a raw CSV (plain or gzip) as text, with the file-level checks every source shares."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import polars as pl

from transforms.errors import ParseError, SchemaDriftError

BOM = "\ufeff"
# Shape of every parser's rejects: the raw line, a short rule code, the reason in words, the raw row.
REJECT_SCHEMA: dict[str, pl.DataType] = {
    "line": pl.Int64(),
    "rule": pl.String(),
    "reason": pl.String(),
    "raw": pl.String(),
}
# No field of these datasets comes near this; a longer one means an unclosed quote or lost line breaks.
MAX_FIELD_BYTES = 4096
# The most a gzip-encoded raw file may unpack to (the crossings CSV is ~60 MB); past it, a gzip bomb
GUNZIP_CAP = 4 << 30
# Rules whose rows are not counted against the reject budget: nothing is lost by them.
BENIGN_RULES = frozenset({"duplicate_exact"})


def read_bytes(path: Path, limit: int = GUNZIP_CAP, label: str | None = None) -> bytes:
    """Return the file's bytes, gunzipped when it is gzip; a cut-off gzip stream, or one that unpacks
    to more than `limit` bytes (a gzip bomb), is a ParseError."""
    data = path.read_bytes()
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        return _gunzip(data, limit, label or path.name)
    except zlib.error as exc:
        raise ParseError(f"{label or path.name}: gzip stream is damaged or cut off ({exc})") from None


def _gunzip(data: bytes, limit: int, label: str) -> bytes:
    """Every member of a gzip stream unpacked in one call each (zlib's own loop, not gzip's reader in
    Python), never past `limit` bytes."""
    parts: list[bytes] = []
    size, rest = 0, data
    while rest:
        member = zlib.decompressobj(wbits=31)
        part = member.decompress(rest, limit + 1 - size)
        parts.append(part)
        size += len(part)
        if size > limit:
            raise ParseError(f"{label}: gzip stream unpacks to more than {limit:,} bytes (rule: gzip_cap)")
        if not member.eof:
            raise ParseError(f"{label}: gzip stream is damaged or cut off (it ends inside a member)")
        rest = member.unused_data
    return parts[0] if len(parts) == 1 else b"".join(parts)


def read_head(path: Path, size: int = 64 * 1024) -> bytes:
    """The first bytes of a plain CSV file, enough for its header line."""
    with path.open("rb") as fh:
        return fh.read(size)


def first_line(data: bytes) -> str:
    """The header line as text, without BOM or line ending."""
    line = data.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    return line.lstrip(BOM).rstrip("\r")


# bytes Python or polars (Rust) count as whitespace a field could be padded with; any non-ASCII byte may
# start one too
_SPACES = (b" ", b"\t", b"\r", b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\x1f")


def read_text_csv(path: Path, name: str | None = None) -> pl.DataFrame:
    """Read a CSV with every column as text plus `source_line` (1-based line in the file).

    File-level rules: not empty, ends with a line break (a cut-off download does not), has rows.
    """
    return read_csv_text(path, name)[0]


def read_csv_text(path: Path, name: str | None = None) -> tuple[pl.DataFrame, bool]:
    """`read_text_csv`, and whether any field may be padded with whitespace: when none can be, parsers
    skip stripping every field of a file of some 40,000 rows (a byte search instead of a pass)."""
    label = name or path.name
    data = read_bytes(path)
    if not data.strip():
        raise ParseError(f"{label}: file is empty (rule: file_not_empty)")
    if not data.endswith(b"\n"):
        last = data.count(b"\n") + 1
        raise ParseError(
            f"{label}: last line has no line break, the file looks cut off (rule: file_complete, line {last})"
        )
    try:
        frame = pl.read_csv(
            io.BytesIO(data),
            infer_schema=False,
            has_header=True,
            empty_string_is_null=False,
            truncate_ragged_lines=False,
        )
    except pl.exceptions.PolarsError as exc:
        raise ParseError(f"{label}: not a readable CSV (rule: csv_readable): {exc}") from None
    frame = frame.rename({c: c.lstrip(BOM).strip() for c in frame.columns})
    if frame.height == 0:
        raise ParseError(f"{label}: header only, no data rows (rule: file_has_rows)")
    _check_field_lengths(frame, label)
    padded = not data.isascii() or any(space in data for space in _SPACES)
    frame = frame.with_row_index("source_line", offset=2).with_columns(pl.col("source_line").cast(pl.Int64))
    return frame, padded


def _check_field_lengths(frame: pl.DataFrame, label: str) -> None:
    """File-level rule: a field over MAX_FIELD_BYTES means the rows cannot be trusted to be rows."""
    longest = frame.select(pl.all().str.len_bytes().max()).row(0, named=True)
    for column, size in longest.items():
        if size is not None and size > MAX_FIELD_BYTES:
            line = int(frame.get_column(column).str.len_bytes().arg_max() or 0) + 2
            raise ParseError(
                f"{label}: line {line}: column {column!r} holds {size:,} bytes, more than the "
                f"{MAX_FIELD_BYTES:,} any field of this data has; an unclosed quote or lost line breaks "
                "(rule: field_length)"
            )


def match_layout(columns: list[str], layouts: dict[str, tuple[str, ...]], label: str) -> str:
    """Name of the layout whose columns are exactly `columns`, else a SchemaDriftError that says
    which columns are missing and which are unexpected against the closest known layout."""
    present = [c for c in columns if c != "source_line"]
    for layout, expected in layouts.items():
        if tuple(present) == expected or sorted(present) == sorted(expected):
            return layout
    closest = min(layouts.items(), key=lambda kv: len(set(kv[1]) ^ set(present)))
    missing = [c for c in closest[1] if c not in present]
    extra = [c for c in present if c not in closest[1]]
    raise SchemaDriftError(
        f"{label}: header matches no known layout (rule: known_header); closest is "
        f"{closest[0]!r}: missing columns {missing or 'none'}, unexpected columns {extra or 'none'}"
    )


def check_reject_share(rejects: pl.DataFrame, rows_read: int, max_share: float, label: str) -> None:
    """File-level rule: when too many rows are unusable, the file, not a row, is wrong."""
    lost = rejects.filter(~pl.col("rule").is_in(list(BENIGN_RULES)))
    if rows_read and lost.height / rows_read > max_share:
        first = lost.row(0, named=True)
        raise ParseError(
            f"{label}: {lost.height:,} of {rows_read:,} rows rejected, more than the allowed {max_share:.1%} "
            f"(rule: reject_share); first at line {first['line']}: {first['reason']}"
        )


def first_problem(problems: list[tuple[pl.Expr, str, pl.Expr]]) -> tuple[pl.Expr, pl.Expr]:
    """(rule, reason) expressions naming the first of `problems` (condition, rule, reason) a row has;
    both are null for a good row."""
    rule = pl.lit(None, dtype=pl.String)
    reason = pl.lit(None, dtype=pl.String)
    for condition, code, text in reversed(problems):
        rule = pl.when(condition).then(pl.lit(code)).otherwise(rule)
        reason = pl.when(condition).then(text).otherwise(reason)
    return rule, reason
