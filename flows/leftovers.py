"""What an interrupted run (SIGKILL, power loss) leaves behind, found and removed by the next run
while it holds the refresh lock: half downloads, a half-built warehouse, half-extracted archives,
half-written parse caches. None of them is ever read as data; this only reclaims the space."""

from __future__ import annotations

from pathlib import Path

from flows.ingest.archive import remove_path
from flows.ingest.fetch import prune_partials
from flows.ingest.partials import left_behind
from transforms.cache import half_written

BUILT_NAME = "warehouse.duckdb.tmp"  # the build task's target inside the build directory


def clean_leftovers(raw_dir: Path, build_dir: Path) -> list[str]:
    """Remove what a killed run left; returns one description per kind found (empty when clean)."""
    found = []
    partials = prune_partials(raw_dir)
    if partials:
        found.append(f"{partials} partial downloads")
    built = [p for p in (build_dir / BUILT_NAME, build_dir / f"{BUILT_NAME}.wal") if p.exists()]
    if built:
        found.append(f"a half-built warehouse ({', '.join(p.name for p in built)})")
    staged = [
        *(p for p in raw_dir.glob("*/extracted/.*.partial-*") if left_behind(p)),
        *raw_dir.glob("*/extracted/.*.old-*"),
    ]
    if staged:
        found.append(f"{len(staged)} half-extracted archives")
    caches = half_written(build_dir)
    if caches:
        found.append(f"{len(caches)} half-written caches")
    old = [p for p in (build_dir / "parsed",) if p.exists()]  # the parse cache before build/cache
    if old:
        found.append("the parse cache of an earlier version (build/parsed)")
    for path in [*built, *staged, *caches, *old]:
        remove_path(path)
    return found
