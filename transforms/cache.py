"""The one cache every stage uses (it sits in the lowest layer, so each may): a folder per (stage,
item, inputs) under HLED_HOME/build/cache, written whole (in a temporary folder, then renamed) or
not at all, with a meta.json saying what it holds.

Why not Prefect's task cache: what a stage keeps is a folder of Parquet files, not a return value, and
whether it is still there must be checked on every run (a cleaned build folder is a miss, not a hit on
files that are gone). Prefect's cache persists pickled return values keyed per task run, so it would
need one task run per file (161 TransBorder files, each a round trip to the API server) and could not
see that the files it points to were removed. See DESIGN's departures in the README."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

META = "meta.json"
TMP_SUFFIX = ".tmp"


def digest(*inputs: object) -> str:
    """A short, stable hash of whatever decides a stage's output (bytes' hash, code version, settings)."""
    return hashlib.sha256(json.dumps(inputs, default=str).encode()).hexdigest()[:16]


class StageCache:
    """Cached outputs of one stage: `folder(item, key)` holds them; `get` reads what was recorded."""

    def __init__(self, root: Path, stage: str) -> None:
        self.root = root / stage

    def folder(self, item: str, key: str) -> Path:
        return self.root / f"{item}-{key}"

    def get(self, item: str, key: str) -> dict | None:
        """What `put` recorded for this item and key, or None when it was never written whole."""
        meta = self.folder(item, key) / META
        return json.loads(meta.read_text()) if meta.is_file() else None

    def put(self, item: str, key: str, write: Callable[[Path], dict]) -> dict:
        """Run `write(folder)` into a temporary folder and make it the cached output in one rename;
        `write` returns what to record (paths inside the folder are stored relative to it)."""
        final = self.folder(item, key)
        tmp = final.with_name(final.name + TMP_SUFFIX)
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        meta = write(tmp)
        (tmp / META).write_text(json.dumps(meta, default=str))
        shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)
        return meta

    def mark(self, item: str, key: str, **meta: object) -> None:
        """Record that the stage passed for these inputs (a marker with nothing but its meta)."""
        self.put(item, key, lambda _folder: dict(meta))

    def marked(self, item: str, key: str) -> bool:
        return self.get(item, key) is not None


def half_written(build_dir: Path) -> list[Path]:
    """Cache folders a killed run left half-written (never read: only a whole folder is renamed in)."""
    return list((build_dir / "cache").glob(f"*/*{TMP_SUFFIX}"))
