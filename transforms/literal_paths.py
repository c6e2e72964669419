"""File paths as DuckDB's `read_parquet` takes them literally. DuckDB reads every path as a glob, so a
folder named `data [old]` would match `data o`, `data l` or `data d` instead (or nothing): `[`, `*`
and `?` are each written as a one-character class (`[[]`, `[*]`, `[?]`), which matches only itself."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

GLOB = "[*?"


def literal_path(path: str | Path) -> str:
    """`path` as a glob that matches only `path`."""
    return "".join(f"[{c}]" if c in GLOB else c for c in str(path))


def literal_paths(paths: Iterable[str | Path]) -> list[str]:
    """Each of `paths` as a glob that matches only itself (a list for `read_parquet(?)`)."""
    return [literal_path(p) for p in paths]
