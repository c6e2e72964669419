"""Collecting CBP Border Wait Times into the history store: the `collect_wait_times` flow (the bwtnew
JSON API, the RSS feed when that fails), importing archived snapshots, and loading CBP's historical
hourly-average exports (backfill)."""

from __future__ import annotations

import contextlib
import gzip
import os
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.errors import SourceError
from flows.ingest.archive import Caps, copy_capped
from flows.ingest.fetch import Fetched, Target, fetch_source, kept_fetches, record_forgotten
from flows.ingest.partials import partial_prefix
from flows.ingest.polite import HttpPolicy
from flows.registry import Feed
from flows.settings import Settings
from flows.sources import WAIT_TIMES, checked_settings
from transforms.errors import ParseError
from transforms.wait_times import PROFILE_LAYOUTS, SNAPSHOT_BYTES, crossings, parse_profile, parse_snapshot
from warehouse import wait_history
from warehouse.db import scalar


@dataclass(frozen=True)
class Collected:
    """One collection: which layout answered, what it held and what was new."""

    feed: str
    url: str
    status: str  # the fetch status: downloaded, unchanged, mirror, ...
    readings: int = 0
    new_readings: int = 0
    rejected: int = 0
    lanes_without_reading: int = 0
    ports: int = 0
    fallback_reason: str | None = None


def _target(feed: Feed, settings: Settings, fallback: bool) -> tuple[Target, Path | None]:
    name, url, mirror = (
        (feed.fallback_name, feed.fallback_url, feed.fallback_mirror_path)
        if fallback
        else (feed.name, feed.url, feed.mirror_path)
    )
    target = Target(feed.name, name, settings.url_for(name, url), "rss" if fallback else "json")
    local = None
    if settings.mirror is not None and name not in settings.url_overrides:
        local = settings.mirror / mirror
        if not local.is_file():
            raise SourceError(f"{name}: HLED_MIRROR={settings.mirror} has no {mirror}")
    return target, local


def store_snapshot(settings: Settings, fetched: Fetched, label: str) -> Collected:
    """Parse a fetched snapshot and append its readings to the history (once per distinct content)."""
    snapshot = parse_snapshot(Path(fetched.path), label)
    appended = wait_history.append_snapshot(
        settings.wait_history,
        sha256=fetched.sha256,
        feed=snapshot.feed,
        url=fetched.url,
        path=fetched.path,
        taken_at=snapshot.taken_at,
        readings=snapshot.readings,
        rejects=snapshot.rejects,
        ports=snapshot.ports,
        lanes_without_reading=sum(snapshot.no_reading.values()),
    )
    return Collected(
        feed=snapshot.feed,
        url=fetched.url,
        status="already collected" if appended.seen_before else fetched.status,
        readings=appended.readings,
        new_readings=appended.new_readings,
        rejected=appended.rejected,
        lanes_without_reading=sum(snapshot.no_reading.values()),
        ports=snapshot.ports,
    )


def collect_once(settings: Settings, feed: Feed = WAIT_TIMES) -> Collected:
    """Fetch the JSON feed (the RSS layout if the JSON fails to arrive or parse) and store what is new."""
    errors = []
    for fallback in (False, True):
        target, local = _target(feed, settings, fallback)
        try:
            fetched = fetch_source(
                target, settings.raw_dir, mirror_file=local, policy=HttpPolicy.of(settings)
            )
            label = f"{feed.name} {target.key} {fetched.url} (kept at {fetched.path})"
            if not fetched.changed and wait_history.snapshot_known(settings.wait_history, fetched.sha256):
                result = Collected("rss" if fallback else "bwtnew", fetched.url, "unchanged")
            else:
                result = store_snapshot(settings, fetched, label)
        except (SourceError, ParseError) as exc:
            errors.append(str(exc))
            continue
        return replace(result, fallback_reason=errors[0]) if errors else result
    raise SourceError(f"{feed.name}: neither layout could be collected: " + " | ".join(errors))


@task(name="collect", cache_policy=NO_CACHE)
def collect_task(settings: Settings) -> Collected:
    return collect_once(settings)


@flow(name="collect_wait_times")
def collect_wait_times() -> Collected:
    """Take one snapshot of CBP's current wait times and append the readings not stored yet."""
    settings = checked_settings()
    log = get_run_logger()
    for notice in repair_history(settings):
        log.warning(notice)
    result = collect_task(settings)
    if result.fallback_reason:
        log.warning("bwtnew JSON failed (%s); collected the RSS layout instead", result.fallback_reason)
    log.info(
        "wait times (%s, %s): %d ports, %d readings, %d new, %d lanes without a reading, %d rejected",
        result.feed,
        result.status,
        result.ports,
        result.readings,
        result.new_readings,
        result.lanes_without_reading,
        result.rejected,
    )
    return result


PROFILE_KEY = "history:"  # manifest key of a historical export: history:<port number>
# An archive of feed responses: each some 100 KB; refused past these, before or while unpacking
SNAPSHOT_CAPS = Caps(
    SNAPSHOT_BYTES,
    16 << 30,
    "archive_member_cap",
    "archive_total_cap",
    "archive_readable",
    count=500_000,  # about fourteen years of snapshots every 15 minutes
    count_rule="archive_member_count",
)


def _damaged(path: Path, exc: BaseException) -> SourceError:
    return SourceError(f"{path}: a damaged archive ({type(exc).__name__}: {exc}) (rule: archive_readable)")


def _count_within(path: Path, count: int) -> None:
    if count > SNAPSHOT_CAPS.count:
        raise SourceError(
            f"{path}: holds {count:,} snapshots, more than the {SNAPSHOT_CAPS.count:,} allowed "
            f"(rule: {SNAPSHOT_CAPS.count_rule}); nothing imported"
        )


def _sources(path: Path) -> Iterator[tuple[str, Callable[[], BinaryIO]]]:
    """(name, opener) of each archived snapshot in name order: a folder of files, a .tar/.tar.gz or a file;
    a device, pipe or socket is refused (it may never end), as is an archive or folder of more than
    SNAPSHOT_CAPS.count snapshots."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        _count_within(path, len(files))
        for p in files:
            yield p.name, lambda p=p: p.open("rb")
        return
    if not path.is_file():
        raise SourceError(
            f"{path}: not a regular file or folder (a device, a pipe or a socket may never end) "
            "(rule: regular_file); nothing imported"
        )
    try:
        is_tar = tarfile.is_tarfile(path)
    except (OSError, EOFError, zlib.error, tarfile.TarError) as exc:
        raise _damaged(path, exc) from None
    if not is_tar:
        yield path.name, lambda: path.open("rb")
        return
    try:
        with tarfile.open(path) as archive:
            members = sorted((m for m in archive.getmembers() if m.isfile()), key=lambda m: m.name)
            _count_within(path, len(members))
            too_big = [m for m in members if m.size > SNAPSHOT_CAPS.member]
            if too_big:  # refused on its header, before anything is read
                raise SourceError(
                    f"{path}: member {too_big[0].name!r} is {too_big[0].size:,} bytes, more than "
                    f"{SNAPSHOT_CAPS.member:,} (rule: archive_member_cap); nothing imported"
                )
            for m in members:
                yield m.name, lambda m=m: archive.extractfile(m)  # type: ignore[return-value]
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise _damaged(path, exc) from None


def _archived(path: Path, folder: Path) -> Iterator[tuple[str, Path]]:
    """Each archived snapshot streamed under the caps to a partial file in `folder` (named like a
    partial download, so a killed import leaves nothing the next refresh keeps), in name order."""
    used = 0
    for name, opener in _sources(path):
        with tempfile.NamedTemporaryFile(dir=folder, prefix=partial_prefix("import-"), delete=False) as tmp:
            try:
                with opener() as src:
                    used += copy_capped(src, tmp, path, name, SNAPSHOT_CAPS, used)
            except BaseException:
                tmp.close()
                os.unlink(tmp.name)
                raise
        try:
            yield name, Path(tmp.name)
        finally:
            os.unlink(tmp.name)


def _kind(path: Path, label: str) -> str:
    """ "json" or "rss", from the first bytes (gunzipped when the response was kept gzip-encoded)."""
    try:
        with path.open("rb") as raw:
            gz = raw.read(2) == b"\x1f\x8b"
        with (gzip.open if gz else open)(path, "rb") as fh:
            head = fh.read(4096)
    except (EOFError, OSError, zlib.error) as exc:
        raise SourceError(
            f"{label}: a damaged gzip ({type(exc).__name__}: {exc}) (rule: gzip_readable)"
        ) from None
    return "json" if head.lstrip()[:1] == b"[" else "rss"


def import_snapshots(settings: Settings, path: Path, feed: Feed = WAIT_TIMES) -> list[Collected]:
    """Replay archived feed responses (someone else's collection, or our own raw files) in name order."""
    if not path.exists():
        raise SourceError(f"{path}: no such file or folder of wait-time snapshots")
    folder = settings.raw_dir / feed.name
    folder.mkdir(parents=True, exist_ok=True)
    results = []
    for name, copy in _archived(path, folder):
        target = Target(feed.name, "import", f"{path}#{name}", _kind(copy, f"{path}#{name}"))
        fetched = fetch_source(target, settings.raw_dir, mirror_file=copy)
        fetched = Fetched(**{**fetched.__dict__, "url": f"{path}#{name}"})
        results.append(store_snapshot(settings, fetched, f"{feed.name} snapshot {name} from {path}"))
    return results


def backfill(settings: Settings, path: Path, port_number: str) -> tuple[int, int, list[str]]:
    """Load a CBP historical hourly-average export for one crossing; returns rows loaded and rejected."""
    if port_number not in crossings():
        raise SourceError(
            f"--port {port_number}: not a CBP wait-time port number in transforms/bwt_crossings.csv "
            "(six digits, e.g. 250401 = San Ysidro)"
        )
    if not path.is_file():
        raise SourceError(f"{path}: no such file")
    target = Target(WAIT_TIMES.name, f"{PROFILE_KEY}{port_number}", str(path), "csv", PROFILE_LAYOUTS)
    fetched = fetch_source(target, settings.raw_dir, mirror_file=path)
    return _load_profile(settings, fetched, port_number, str(path))


def _load_profile(
    settings: Settings, fetched: Fetched, port_number: str, original: str
) -> tuple[int, int, list[str]]:
    label = f"{WAIT_TIMES.name} history {original} for port {port_number} (kept at {fetched.path})"
    profile = parse_profile(Path(fetched.path), port_number, label)
    if profile.clean.height == 0:  # nothing usable: the crossing's earlier values stay as they were
        first = profile.rejects.row(0, named=True) if profile.rejects.height else None
        example = f"; first: line {first['line']}, {first['reason']}" if first else ""
        raise SourceError(
            f"{label}: no usable row, {profile.rejects.height:,} of {profile.rows_read:,} rejected "
            f"(rule: rows_usable); nothing loaded{example}"
        )
    loaded = wait_history.append_profile(
        settings.wait_history,
        sha256=fetched.sha256,
        path=fetched.path,
        original=original,
        port_number=port_number,
        clean=profile.clean,
        rejects=profile.rejects,
        rows_read=profile.rows_read,
        dropped_columns=profile.dropped_lanes,
    )
    return loaded, profile.rejects.height, profile.dropped_lanes


def repair_history(settings: Settings, feed: Feed = WAIT_TIMES) -> list[str]:
    """A history store that cannot be opened is set aside under HLED_HOME/damaged and rebuilt from the
    responses and exports kept under raw/<source>/ (the manifest's order); returns what was done."""
    why = wait_history.set_aside_if_damaged(settings.wait_history, settings.home / "damaged")
    if why is None:
        return []
    snapshots, seen, profiles = 0, set(), {}
    for kept in kept_fetches(settings.raw_dir, feed.name):
        if isinstance(kept, str):  # hled waits forget: the crossing's backfill was removed
            profiles.pop(kept, None)
        elif kept.key.startswith(PROFILE_KEY):
            profiles[kept.key] = kept
        elif kept.sha256 not in seen:
            seen.add(kept.sha256)
            try:
                store_snapshot(settings, kept, f"{feed.name} {kept.key} kept at {kept.path}")
            except ParseError:  # a response that never loaded does not load now either
                continue
            snapshots += 1
    for key, kept in profiles.items():
        with contextlib.suppress(SourceError, ParseError):
            _load_profile(settings, kept, key.removeprefix(PROFILE_KEY), kept.url)
    with wait_history.locked(settings.wait_history) as con:
        readings = scalar(con, "SELECT count(*) FROM readings")
    return [
        why,
        f"rebuilt the wait-time history from what raw/{feed.name} keeps: {snapshots:,} snapshots "
        f"({readings:,} readings) and {len(profiles)} historical exports",
    ]


def forget(settings: Settings, port_number: str) -> wait_history.Forgotten:
    """Remove the backfill loaded for one crossing; an error when there is none to remove."""
    forgotten = wait_history.forget_profile(settings.wait_history, port_number)
    if not forgotten.averages:
        raise SourceError(
            f"--port {port_number}: no backfill is loaded for this crossing in {settings.wait_history}; "
            "nothing removed"
        )
    record_forgotten(settings.raw_dir, WAIT_TIMES.name, f"{PROFILE_KEY}{port_number}")
    return forgotten
