"""Collecting a source's raw files: which files it has (one CSV, or TransBorder's monthly ZIPs or
mirrored CSVs), fetched into the raw store and turned into parts, one CSV per table each."""

from __future__ import annotations

import csv
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from flows.archive import ArchiveError, extract_expected
from flows.errors import SourceError
from flows.fetch import Fetched, Target, fetch_source, file_sha256

if TYPE_CHECKING:
    from flows.settings import Settings
    from flows.sources import Source

log = logging.getLogger(__name__)
DEFAULT_TRANSBORDER_MANIFEST = Path(__file__).with_name("transborder_urls.csv")
MONTHLY_FILE = re.compile(r"(dot[123])_(0[1-9]|1[0-2])(\d{2})\.csv(?:\.gz)?")  # annual dotN_YYYY excluded


@dataclass(frozen=True)
class Part:
    """One CSV ready to parse: its table, a stable key (e.g. dot1_0121), where it is, what it hashes to,
    and the fetch that brought it (a CSV, or the ZIP it was extracted from)."""

    source: str
    table: str
    key: str
    path: str
    sha256: str
    fetched: Fetched


def collect_single(source: Source, settings: Settings) -> list[Part]:
    """A source published as one CSV (the crossings)."""
    (table,) = source.tables
    url = settings.url_for(source.name, source.url)
    target = Target(source.name, source.name, url, source.kind, source.tables[table].layouts)
    fetched = fetch_source(
        target,
        settings.raw_dir,
        mirror_file=source.mirror_file(settings.mirror),
        timeout=settings.http_timeout,
    )
    return [Part(source.name, table, source.name, fetched.path, fetched.sha256, fetched)]


def read_manifest(path: Path) -> list[tuple[int, int, str]]:
    """(year, month, url) rows of a TransBorder manifest CSV with header year,month,url."""
    rows = []
    with path.open(newline="") as fh:
        for number, row in enumerate(csv.DictReader(fh), start=2):
            try:
                year, month, url = int(row["year"]), int(row["month"]), row["url"].strip()
            except (KeyError, TypeError, ValueError):
                raise SourceError(
                    f"{path}: line {number} is not year,month,url (rule: manifest_row)"
                ) from None
            if not 1 <= month <= 12 or not url:
                raise SourceError(
                    f"{path}: line {number} has month {month} / url {url!r} (rule: manifest_row)"
                )
            if any((year, month) == (y, m) for y, m, _ in rows):
                raise SourceError(
                    f"{path}: line {number} repeats {year}-{month:02d} (rule: manifest_unique_month)"
                )
            rows.append((year, month, url))
    return rows


def _unique_keys(source: Source, parts: list[Part]) -> list[Part]:
    """Two files for the same table and month would be loaded twice: refuse instead."""
    seen: dict[str, str] = {}
    for part in parts:
        if part.key in seen:
            raise SourceError(
                f"{source.name}: {part.key} comes from two files, {seen[part.key]} and "
                f"{part.fetched.url} (rule: one_file_per_month); remove one"
            )
        seen[part.key] = part.fetched.url
    return parts


def collect_transborder(source: Source, settings: Settings) -> list[Part]:
    """TransBorder monthly dot1/dot2/dot3: CSVs from the mirror, or one ZIP per month from the manifest."""
    if settings.mirror is not None:
        return _transborder_from_mirror(source, settings)
    parts: list[Part] = []
    manifest = settings.transborder_manifest or DEFAULT_TRANSBORDER_MANIFEST
    for year, month, default_url in read_manifest(manifest):
        key = f"{year}-{month:02d}"
        fetched = fetch_source(
            Target(source.name, key, default_url, "zip"), settings.raw_dir, timeout=settings.http_timeout
        )
        folder = settings.raw_dir / source.name / "extracted" / fetched.sha256[:16]
        wanted = re.compile(rf"dot[123]_{month:02d}{year % 100:02d}\.csv")
        try:
            extracted = extract_expected(Path(fetched.path), folder, wanted)
        except ArchiveError as exc:  # name the source, month and URL, not only the kept file
            where = f"{source.name} {key} ZIP from {fetched.url}, kept at {exc.archive}"
            raise ArchiveError(where, exc.rule, exc.detail) from None
        if extracted.ignored:
            log.info("%s %s: ignored ZIP members %s", source.name, key, ", ".join(extracted.ignored))
        for name, path in sorted(extracted.files.items()):
            table = name[:4]
            parts.append(
                Part(source.name, table, name.removesuffix(".csv"), str(path), file_sha256(path), fetched)
            )
    return _unique_keys(source, parts)


def _transborder_from_mirror(source: Source, settings: Settings) -> list[Part]:
    assert settings.mirror is not None
    parts = []
    for path in sorted((settings.mirror / "transborder").glob("*/dot*_*.csv*")):
        match = MONTHLY_FILE.fullmatch(path.name.lower())
        if match is None:  # annual and year-to-date files repeat the monthly ones: not loaded
            continue
        table = match.group(1)
        key = f"{table}_{match.group(2)}{match.group(3)}"
        target = Target(source.name, key, str(path), "csv", source.tables[table].layouts)
        fetched = fetch_source(target, settings.raw_dir, mirror_file=path, timeout=settings.http_timeout)
        parts.append(Part(source.name, table, key, fetched.path, fetched.sha256, fetched))
    if not parts:
        raise SourceError(
            f"{source.name}: HLED_MIRROR={settings.mirror} has no transborder/YYYY/dotN_MMYY.csv files"
        )
    return _unique_keys(source, parts)
