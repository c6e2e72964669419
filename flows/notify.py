"""Telling the operator (HLED_NOTIFY, through Apprise) what needs a person: a refresh that failed, a
source whose last good data has been kept for longer than HLED_STALE_AFTER, a source that fails before
it was ever published, and a source behind its publisher's usual lag (or a collection that stopped).
Each episode is told once (remembered in HLED_HOME/notified.json); a failed delivery is logged, never
fatal."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from flows.logs import logger
from flows.outcome import SourceFailure
from flows.settings import Settings

if TYPE_CHECKING:
    from warehouse.access import SourceStatus

TOLD = "notified.json"  # per source, the start of the stale episode already told
BEHIND = ":behind"  # its key + this: the newest month (or reading) of the behind episode already told


def send(settings: Settings, title: str, body: str) -> bool:
    """One message to every HLED_NOTIFY URL; False (and a warning in the log) when one was not delivered."""
    if not settings.notify:
        return True
    import apprise

    sender = apprise.Apprise()
    for url in settings.notify:
        sender.add(url)
    try:
        delivered = bool(sender.notify(title=title, body=body))
    except Exception as exc:  # a notifier's own failure is the operator's to see in the log, not the run's
        logger().warning("notifying HLED_NOTIFY failed: %s", exc)
        delivered = False
    if not delivered:
        logger().warning("could not deliver the notification %r to HLED_NOTIFY", title)
    return delivered


def run_failed(settings: Settings, run_id: str, error: BaseException, published: bool) -> None:
    """A refresh ended in an error: say what, and what the analysts see now."""
    outcome = (
        "its new warehouse was published before the failure"
        if published
        else f"nothing was published; the previous warehouse stays at {settings.warehouse_path}"
    )
    send(
        settings,
        f"hled: refresh {run_id} failed",
        f"{type(error).__name__}: {error}\n\nThe run failed and {outcome}. Run log: {settings.run_log}",
    )


def _told(path: Path) -> dict[str, str]:
    try:
        return json.loads(path.read_text()) if path.exists() else {}
    except (OSError, ValueError):  # unreadable: an episode may be told twice, never lost
        return {}


def _remember(path: Path, told: dict[str, str]) -> None:
    if told or path.exists():
        partial = path.with_name(f".{TOLD}.partial")
        partial.write_text(json.dumps(told, indent=1))
        os.replace(partial, path)


def stale_sources(
    settings: Settings,
    stale: dict[str, SourceFailure],
    since: dict[str, datetime],
    now: datetime | None = None,
    never_published: set[str] | frozenset[str] = frozenset(),
) -> list[str]:
    """Tell of each source stale for longer than HLED_STALE_AFTER, once per episode; returns the
    sources told this time. A source that is current again is forgotten, so its next episode is told.
    A source in `never_published` (it fails and nothing of it was ever published: the warehouse has none
    of its data) is told at once, not after HLED_STALE_AFTER."""
    path = settings.home / TOLD
    told = {name: start for name, start in _told(path).items() if name in stale or name.endswith(BEHIND)}
    now = now or datetime.now(UTC)
    sent = []
    for name, failure in stale.items():
        start = since.get(name, now)
        start = (start if start.tzinfo else start.replace(tzinfo=UTC)).astimezone(UTC)
        hours = (now - start).total_seconds() / 3600
        never = name in never_published
        if (hours < settings.stale_after and not never) or told.get(name) == start.isoformat():
            continue
        if failure.file and Path(failure.file).exists():
            kept = f"; the file it refused is kept at {failure.file}"
        else:
            kept = f"; file: {failure.file}" if failure.file else ""
        if never:
            title = f"hled: {name} was never published"
            body = (
                f"{name} has failed since {start:%Y-%m-%d %H:%M} UTC and nothing of it was ever published: "
                f"it failed at {failure.stage}, rule {failure.rule or 'none named'}{kept}. The warehouse "
                f"holds none of its data, and `hled status` exits 3 until it is published.\n\n"
                f"{failure.message}"
            )
        else:
            title = f"hled: {name} is stale"
            body = (
                f"{name} has been stale since {start:%Y-%m-%d %H:%M} UTC ({hours:,.0f} hours; "
                f"HLED_STALE_AFTER={settings.stale_after:g}): it failed at {failure.stage}, "
                f"rule {failure.rule or 'none named'}{kept}. Its last good data stays published.\n\n"
                f"{failure.message}"
            )
        if send(settings, title, body):
            told[name] = start.isoformat()
            sent.append(name)
    _remember(path, told)
    return sent


def lagging_sources(
    settings: Settings, sources: list[SourceStatus] | None = None, now: datetime | None = None
) -> list[str]:
    """Tell of each source behind its publisher's usual lag by more than HLED_BEHIND_MARGIN_MONTHS, or
    whose collection stopped (flows.health.assess at `now`), once per episode; returns the sources told
    this time. `sources` defaults to the published warehouse's. A source no longer behind is forgotten,
    so its next episode is told."""
    if not settings.notify:  # nothing is remembered untold: a URL set later hears of an episode going on
        return []
    from flows.health import assess
    from warehouse.access import status

    if sources is None:
        if not settings.warehouse_path.exists():
            return []
        sources = status(settings.warehouse_path).sources
    now = now or datetime.now(UTC)
    path = settings.home / TOLD
    lagging = {}
    for s in sources:
        found = assess(s, now, settings.behind_margin)
        if found.lagging:
            lagging[s.source] = found
    told = {
        key: value
        for key, value in _told(path).items()
        if not key.endswith(BEHIND) or key.removesuffix(BEHIND) in lagging
    }
    sent = []
    for name, found in lagging.items():
        if name + BEHIND in told:
            continue
        body = (
            f"{name} is {found.state}: {found.detail}. Its data stays published as it is; `hled status` "
            "exits 3 until newer data comes in."
        )
        if send(settings, f"hled: {name} is {found.state}", body):
            told[name + BEHIND] = found.episode or ""
            sent.append(name)
    _remember(path, told)
    return sent
