"""Telling the operator (HLED_NOTIFY, through Apprise) what needs a person: a refresh that failed, and
a source whose last good data has been kept for longer than HLED_STALE_AFTER. Each stale episode is
told once (remembered in HLED_HOME/notified.json); a failed delivery is logged, never fatal."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from flows.logs import logger
from flows.outcome import SourceFailure
from flows.settings import Settings

TOLD = "notified.json"  # per source, the start of the stale episode already told


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


def stale_sources(
    settings: Settings,
    stale: dict[str, SourceFailure],
    since: dict[str, datetime],
    now: datetime | None = None,
) -> list[str]:
    """Tell of each source stale for longer than HLED_STALE_AFTER, once per episode; returns the
    sources told this time. A source that is current again is forgotten, so its next episode is told."""
    path = settings.home / TOLD
    try:
        told: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    except (OSError, ValueError):  # unreadable: an episode may be told twice, never lost
        told = {}
    told = {name: start for name, start in told.items() if name in stale}
    now = now or datetime.now(UTC)
    sent = []
    for name, failure in stale.items():
        start = since.get(name, now)
        start = (start if start.tzinfo else start.replace(tzinfo=UTC)).astimezone(UTC)
        hours = (now - start).total_seconds() / 3600
        if hours < settings.stale_after or told.get(name) == start.isoformat():
            continue
        if failure.file and Path(failure.file).exists():
            kept = f"; the file it refused is kept at {failure.file}"
        else:
            kept = f"; file: {failure.file}" if failure.file else ""
        body = (
            f"{name} has been stale since {start:%Y-%m-%d %H:%M} UTC ({hours:,.0f} hours; "
            f"HLED_STALE_AFTER={settings.stale_after:g}): it failed at {failure.stage}, "
            f"rule {failure.rule or 'none named'}{kept}. Its last good data stays published.\n\n"
            f"{failure.message}"
        )
        if send(settings, f"hled: {name} is stale", body):
            told[name] = start.isoformat()
            sent.append(name)
    if told or path.exists():
        partial = path.with_name(f".{TOLD}.partial")
        partial.write_text(json.dumps(told, indent=1))
        os.replace(partial, path)
    return sent
