"""The TransBorder collector: which ZIPs exist (BTS's index page, a manifest, or the known list), those
dropped in the inbox, or mirrored CSVs; fetched politely into the raw store and cut into one part per
table and month."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flows.errors import SourceError
from flows.ingest.fetch import (
    Fetched,
    NotFoundError,
    Target,
    TransientFetchError,
    fetch_history,
    fetch_source,
    fetch_text,
)
from flows.ingest.parts import Collection, Part, Publication
from flows.ingest.polite import HttpPolicy
from flows.ingest.transborder_index import Listing, known_listing, manifest_listing, page_listing
from flows.ingest.transborder_zips import MonthFile, choose, month_files, named_month
from flows.logs import logger

if TYPE_CHECKING:
    from flows.settings import Settings

MONTHLY_FILE = re.compile(r"(dot[123])_(0[1-9]|1[0-2])(\d{2})\.csv(?:\.gz)?")  # annual dotN_YYYY excluded


def refused_hint(source: Publication, settings: Settings) -> str:
    """What a person can do when bts.gov refuses scripts: download in a browser, drop in the inbox."""
    page = settings.url_for(source.name, source.url)
    return (
        f"bts.gov refuses scripted downloads at times: open {page} in a browser, download the ZIPs and put "
        f"them in {settings.inbox / source.name}/; the next refresh takes them"
    )


def collect_transborder(source: Publication, settings: Settings) -> Collection:
    """TransBorder monthly dot1/dot2/dot3 from every month since HLED_TRANSBORDER_FROM: CSVs from the
    mirror, or the ZIPs of the index page (or the fallback lists) and the inbox, split into months."""
    if settings.mirror is not None:
        return Collection(_transborder_from_mirror(source, settings))
    log = logger()
    notices: list[str] = []
    listing = _listing(source, settings)
    (log.warning if listing.origin == "known" else log.info)(
        "%s: %d ZIPs from %s", source.name, len(listing.urls), listing.note
    )
    if listing.origin == "known":
        notices.append(listing.note)
    archives = _inbox(source, settings)
    dropped = {Path(a.url).name.lower() for a in archives}
    wanted = [u for u in listing.urls if Path(u).name.lower() not in dropped]
    fetched, missing = _fetch_zips(source, settings, listing, wanted)
    notices += missing
    extract_root = settings.raw_dir / source.name / "extracted"
    files = [f for archive in archives + fetched for f in month_files(archive, extract_root, source.name)]
    files, early = _from(files, settings.transborder_from)
    if early:
        log.info(
            "%s: %d files before HLED_TRANSBORDER_FROM=%s left out",
            source.name,
            early,
            settings.transborder_from,
        )
    kept, choices = choose(files)
    for choice in choices:
        log.info(
            "%s %s: in %s (%s) and %s (%s): %s",
            source.name,
            choice.file_key,
            choice.kept.archive.url,
            choice.kept.member,
            choice.dropped.archive.url,
            choice.dropped.member,
            choice.decision,
        )
    if not kept:
        raise SourceError(
            f"{source.name}: no monthly dot1/dot2/dot3 file from {settings.transborder_from:%Y-%m} on in "
            f"{len(archives) + len(fetched)} ZIPs ({listing.note}; {'; '.join(missing) or 'none refused'}) "
            f"(rule: has_months); {refused_hint(source, settings)}"
        )
    parts = [Part(source.name, f.table, f.key, str(f.path), f.sha256, f.archive, f.member) for f in kept]
    return Collection(parts, notices, choices)


def _listing(source: Publication, settings: Settings) -> Listing:
    """The fixed manifest if given, else the index page, else (page unreadable) the known URLs."""
    if settings.transborder_manifest is not None:
        return manifest_listing(settings.transborder_manifest, settings.transborder_from)
    page = settings.url_for(source.name, source.url)
    try:
        return page_listing(
            fetch_text(page, source.name, HttpPolicy.of(settings)), page, settings.transborder_from
        )
    except SourceError as exc:
        return known_listing(settings.transborder_from, str(exc), page)


def _inbox(source: Publication, settings: Settings) -> list[Fetched]:
    """ZIPs a person put in HLED_HOME/inbox/<source>/, taken into the raw store like downloads (same
    checks); they stay in the inbox, and a listed ZIP of the same file name is not downloaded."""
    folder = settings.inbox / source.name
    if not folder.is_dir():
        return []
    taken = []
    history = fetch_history(settings.raw_dir, source.name)
    for path in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".zip"):
        target = Target(source.name, f"inbox:{path.name}", str(path), "zip")
        taken.append(
            fetch_source(target, settings.raw_dir, mirror_file=path, local_status="inbox", history=history)
        )
    if taken:
        logger().info("%s: took %d ZIPs from the inbox %s", source.name, len(taken), folder)
    return taken


def _fetch_zips(
    source: Publication, settings: Settings, listing: Listing, urls: list[str]
) -> tuple[list[Fetched], list[str]]:
    """Every listed ZIP: one held and checked within HLED_TRANSBORDER_RECHECK_DAYS is not requested at
    all; others get a (conditional) request. A ZIP that is not there (404) is a coverage gap. Once a
    host refuses (403/429/5xx or challenge pages after every retry) it is not asked again this run:
    held copies stand in, and new ZIPs the page lists stop the run with a way around (the inbox)."""
    log = logger()
    held = fetch_history(settings.raw_dir, source.name)
    fresh_after = datetime.now(UTC) - timedelta(days=settings.transborder_recheck_days)
    hint = refused_hint(source, settings)
    fetched: list[Fetched] = []
    notices: list[str] = []
    pending = []
    for url in urls:
        previous = held.get(url)
        if previous is not None and datetime.fromisoformat(previous.fetched_at) >= fresh_after:
            fetched.append(replace(previous, status="held", changed=False))
        else:
            pending.append(url)
    if pending:
        log.info(
            "%s: %d ZIPs held and recently checked; requesting %d", source.name, len(fetched), len(pending)
        )
    refused: dict[str, str] = {}  # host -> why
    unfetched: list[str] = []
    for number, url in enumerate(pending, start=1):
        host = urlsplit(url).netloc
        previous = held.get(url)
        if host not in refused:
            target = Target(
                source.name, url, url, "zip", refused_hint=hint, progress=f"file {number} of {len(pending)}"
            )
            try:
                fetched.append(
                    fetch_source(target, settings.raw_dir, policy=HttpPolicy.of(settings), history=held)
                )
                continue
            except NotFoundError:
                note = (
                    f"{source.name}: listed ZIP {url} is not there (HTTP 404); its months are a coverage gap"
                )
                log.warning(note)
                notices.append(note)
                continue
            except TransientFetchError as exc:
                refused[host] = str(exc)
                log.warning("%s: %s refuses or fails; not asked again this run", source.name, host)
        if previous is not None:
            fetched.append(replace(previous, status="held", changed=False))
            log.warning("%s: could not check %s again; its held copy is used", source.name, url)
        else:
            unfetched.append(url)
    if unfetched:
        why = "; ".join(refused.values())
        shown = ", ".join(unfetched[:5]) + (f" and {len(unfetched) - 5} more" if len(unfetched) > 5 else "")
        message = f"{source.name}: {len(unfetched)} ZIPs could not be downloaded ({shown}): {why}"
        if listing.origin != "known":  # the publisher lists them: loading without them would lose months
            raise SourceError(f"{message}; {hint}" if hint not in message else message)
        notices.append(f"{message}; their months are not loaded")
        log.warning(notices[-1])
    return fetched, notices


def _from(files: list[MonthFile], first: date) -> tuple[list[MonthFile], int]:
    kept = [f for f in files if f.month >= first]
    return kept, len(files) - len(kept)


def _unique_keys(source: Publication, parts: list[Part]) -> list[Part]:
    """Two mirrored files for the same table and month would be loaded twice: refuse instead."""
    seen: dict[str, str] = {}
    for part in parts:
        if part.key in seen:
            raise SourceError(
                f"{source.name}: {part.key} comes from two files, {seen[part.key]} and "
                f"{part.fetched.url} (rule: one_file_per_month); remove one"
            )
        seen[part.key] = part.fetched.url
    return parts


def _transborder_from_mirror(source: Publication, settings: Settings) -> list[Part]:
    assert settings.mirror is not None
    parts = []
    history = fetch_history(settings.raw_dir, source.name)
    for path in sorted((settings.mirror / "transborder").glob("*/dot*_*.csv*")):
        match = MONTHLY_FILE.fullmatch(path.name.lower())
        if match is None:  # annual and year-to-date files repeat the monthly ones: not loaded
            continue
        month = named_month(match.group(0).removesuffix(".gz"))
        if month is None or month < settings.transborder_from:
            continue
        table = match.group(1)
        key = f"{table}_{match.group(2)}{match.group(3)}"
        target = Target(source.name, key, str(path), "csv", source.tables[table].layouts)
        fetched = fetch_source(target, settings.raw_dir, mirror_file=path, history=history)
        parts.append(Part(source.name, table, key, fetched.path, fetched.sha256, fetched))
    if not parts:
        raise SourceError(
            f"{source.name}: HLED_MIRROR={settings.mirror} has no transborder/YYYY/dotN_MMYY.csv files "
            f"from {settings.transborder_from:%Y-%m} on"
        )
    return _unique_keys(source, parts)
