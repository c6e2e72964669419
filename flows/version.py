"""The code version recorded with every run: package version plus a hash of the pipeline's source,
so a warehouse built by different code is never mistaken for an unchanged one."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

PACKAGES = ("flows", "transforms", "expectations", "warehouse", "dashboards")


@cache
def code_version(*packages: str) -> str:
    """Version of the given packages' code (default: all of them); caches key on just what they use."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for package in packages or PACKAGES:
        for path in sorted((root / package).rglob("*")):
            if path.suffix in (".py", ".sql", ".csv") and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    try:
        version = metadata.version("hled-border")
    except metadata.PackageNotFoundError:
        version = "0+unknown"
    return f"{version}+{digest.hexdigest()[:12]}"
