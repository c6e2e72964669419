"""Serving the refresh flow on a schedule (Prefect deployment)."""

from __future__ import annotations

from prefect.schedules import Cron

from flows.refresh import refresh

DEPLOYMENT_NAME = "nightly-refresh"


def nightly_deployment(cron: str, timezone: str):
    """The deployment `hled serve` serves, built without starting anything (tests inspect it)."""
    return refresh.to_deployment(name=DEPLOYMENT_NAME, schedules=[Cron(cron, timezone=timezone)])


def serve_refresh(cron: str, timezone: str) -> None:
    """Serve the nightly refresh until interrupted."""
    refresh.serve(name=DEPLOYMENT_NAME, schedules=[Cron(cron, timezone=timezone)])
