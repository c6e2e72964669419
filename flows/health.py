"""Is the pipeline healthy? One verdict from the run log and the published warehouse, as the exit
status of `hled status`, so that systemd, a cron wrapper or a monitoring probe can act on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import IntEnum

from warehouse.access import SourceStatus

OK_RUNS = ("published", "unchanged")


class Health(IntEnum):
    """Exit statuses of `hled status` (2 stays "bad settings or an unreadable warehouse", as for every
    command; 3 is also what `hled refresh` exits with when a source is stale)."""

    OK = 0  # the last run published or found nothing new, every source is current and fresh
    FAILED = 1  # the last run failed or was killed: nothing of it was published
    # a source's last good data is kept, was never published, is behind its publisher's usual lag or
    # stopped being collected; or no run has succeeded within HLED_STALE_AFTER
    STALE = 3
    NEVER_RUN = 4  # nothing has been published yet


@dataclass(frozen=True)
class Verdict:
    health: Health
    reasons: list[str]
    notes: list[str] = field(default_factory=list)  # said, but not a reason for the exit status

    @property
    def summary(self) -> str:
        name = self.health.name.lower().replace("_", " ")
        said = "; ".join(self.reasons) or "the last run succeeded and every source is current"
        if self.notes:
            said += "; " + "; ".join(self.notes)
        return f"health: {name} (exit {int(self.health)}): {said}"


@dataclass(frozen=True)
class Assessment:
    """What `hled status` says of one source at `now`."""

    state: str  # current, stale, behind, never published, never collected, collecting
    detail: str | None  # why it is not current (None when it is, or collecting)
    alarm: bool  # makes `hled status` exit 3
    lagging: bool = False  # behind, or a collection that stopped: told to HLED_NOTIFY once per episode
    episode: str | None = None  # what identifies a lagging episode (its newest month or reading)


def add_months(month: date, months: int) -> date:
    """The first day of the month `months` after (or before, when negative) `month`'s."""
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def expected_month(now: datetime | date, lag_months: int) -> date:
    """The newest month a publisher `lag_months` late usually has out at `now`."""
    return add_months(date(now.year, now.month, 1), -lag_months)


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def assess(s: SourceStatus, now: datetime, margin_months: int = 2) -> Assessment:
    """One source's state at `now`, from the published warehouse's record of it (meta.source_status,
    its newest month or reading, the lag its registry entry declares) and HLED_BEHIND_MARGIN_MONTHS."""
    since = f"{s.since:%Y-%m-%d %H:%M} UTC" if s.since else "unknown"
    if s.state == "missing":
        said = f"failing since {since}, and nothing of it was ever published. {s.reason}"
        return Assessment("never published", said, True)
    if s.state != "current":
        return Assessment(s.state, f"since {since}: its last good data is kept. {s.reason}", True)
    if s.lag_days is not None:
        if s.newest_reading is None:
            return Assessment(
                "never collected",
                "no reading collected yet (optional: `hled serve` collects them, or `hled waits collect`)",
                False,
            )
        newest = _utc(s.newest_reading)
        if _utc(now) - newest > timedelta(days=s.lag_days):
            return Assessment(
                "stale",
                f"no reading since {newest:%Y-%m-%d %H:%M} UTC, more than {s.lag_days} days: collection "
                "stopped (is `hled serve` running?)",
                True,
                lagging=True,
                episode=f"{newest:%Y-%m-%d %H:%M}",
            )
        return Assessment("collecting", None, False)
    if s.lag_months is not None and s.latest_month:
        latest = datetime.strptime(s.latest_month, "%Y-%m").date()
        expected = expected_month(now, s.lag_months)
        if latest < add_months(expected, -margin_months):
            return Assessment(
                "behind",
                f"newest month {latest:%Y-%m}, expected {expected:%Y-%m} (its publisher is usually "
                f"{s.lag_months} months late; HLED_BEHIND_MARGIN_MONTHS={margin_months})",
                True,
                lagging=True,
                episode=f"{latest:%Y-%m}",
            )
    return Assessment("current", None, False)


def judge(
    runs: list[dict],
    sources: list[SourceStatus] | None,
    built_at: datetime | None,
    stale_after_hours: float,
    now: datetime,
    running: bool = False,
    behind_margin: int = 2,
) -> Verdict:
    """The verdict from the logged runs (oldest first, one record per run) and the published
    warehouse's sources and build time (None when nothing is published). A run still logged as
    `running` while no refresh is `running` (holds the lock) was killed: the next refresh logs it so.
    A source is judged at `now` (`assess`): stale, never published, behind its publisher's usual lag
    by more than `behind_margin` months, or a collection that stopped is exit 3; a history never
    collected (an optional collector) is said but does not change the exit status."""
    if runs and runs[-1]["status"] == "running" and not running:
        last = runs[-1]
        return Verdict(
            Health.FAILED,
            [
                f"the last run {last['run_id']} started at {last['started_at']:%Y-%m-%d %H:%M} UTC and never "
                "finished (killed); the next refresh logs it"
            ],
        )
    finished = [r for r in runs if r["status"] != "running"]
    last = finished[-1] if finished else None
    if last is not None and last["status"] not in OK_RUNS:
        return Verdict(
            Health.FAILED,
            [
                f"the last run {last['run_id']} {last['status']} at {last['started_at']:%Y-%m-%d %H:%M} UTC: "
                f"{last['message']}"
            ],
        )
    if sources is None:
        return Verdict(Health.NEVER_RUN, ["nothing has been published yet; run `hled refresh`"])
    reasons, notes = [], []
    for s in sources:
        found = assess(s, now, behind_margin)
        if found.alarm:
            reasons.append(f"{s.source} is {found.state}" + _said(s, found))
        elif found.state == "never collected":
            notes.append(f"{s.source} never collected (optional)")
    succeeded = [r for r in finished if r["status"] in OK_RUNS]
    ended = (succeeded[-1]["finished_at"] or succeeded[-1]["started_at"]) if succeeded else built_at
    if ended is not None and now - ended > timedelta(hours=stale_after_hours):
        reasons.append(
            f"no refresh has succeeded since {ended:%Y-%m-%d %H:%M} UTC, more than "
            f"HLED_STALE_AFTER={stale_after_hours:g} hours ago (is the schedule running?)"
        )
    return Verdict(Health.STALE if reasons else Health.OK, reasons, notes)


def _said(s: SourceStatus, found: Assessment) -> str:
    """The short why of a source in the health line (the table and lines above it say the rest)."""
    if found.state == "stale" and s.state == "stale":
        return f" since {s.since:%Y-%m-%d %H:%M} UTC" if s.since else ""
    if found.state == "never published":
        return f" (failing since {s.since:%Y-%m-%d %H:%M} UTC)" if s.since else ""
    return f": {found.detail}" if found.detail else ""
