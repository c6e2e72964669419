"""Is the pipeline healthy? One verdict from the run log and the published warehouse, as the exit
status of `hled status`, so that systemd, a cron wrapper or a monitoring probe can act on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum

from warehouse.access import SourceStatus

OK_RUNS = ("published", "unchanged")


class Health(IntEnum):
    """Exit statuses of `hled status` (2 stays "bad settings or an unreadable warehouse", as for every
    command; 3 is also what `hled refresh` exits with when a source is stale)."""

    OK = 0  # the last run published or found nothing new, every source is current and fresh
    FAILED = 1  # the last run failed or was killed: nothing of it was published
    STALE = 3  # a source's last good data is kept, or no run has succeeded within HLED_STALE_AFTER
    NEVER_RUN = 4  # nothing has been published yet


@dataclass(frozen=True)
class Verdict:
    health: Health
    reasons: list[str]

    @property
    def summary(self) -> str:
        name = self.health.name.lower().replace("_", " ")
        said = "; ".join(self.reasons) or "the last run succeeded and every source is current"
        return f"health: {name} (exit {int(self.health)}): {said}"


def judge(
    runs: list[dict],
    sources: list[SourceStatus] | None,
    built_at: datetime | None,
    stale_after_hours: float,
    now: datetime,
    running: bool = False,
) -> Verdict:
    """The verdict from the logged runs (oldest first, one record per run) and the published
    warehouse's sources and build time (None when nothing is published). A run still logged as
    `running` while no refresh is `running` (holds the lock) was killed: the next refresh logs it so."""
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
    reasons = [
        f"{s.source} is {s.state}" + (f" since {s.since:%Y-%m-%d %H:%M} UTC" if s.since else "")
        for s in sources
        if s.state != "current"
    ]
    succeeded = [r for r in finished if r["status"] in OK_RUNS]
    ended = (succeeded[-1]["finished_at"] or succeeded[-1]["started_at"]) if succeeded else built_at
    if ended is not None and now - ended > timedelta(hours=stale_after_hours):
        reasons.append(
            f"no refresh has succeeded since {ended:%Y-%m-%d %H:%M} UTC, more than "
            f"HLED_STALE_AFTER={stale_after_hours:g} hours ago (is the schedule running?)"
        )
    return Verdict(Health.STALE if reasons else Health.OK, reasons)
