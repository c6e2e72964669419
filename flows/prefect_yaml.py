"""`prefect.yaml` for the production route (a standing Prefect server, a process work pool, a worker),
written from the settings so that its schedules are HLED_CRON / HLED_TIMEZONE / HLED_WAIT_TIMES_EVERY,
the same ones `hled serve` uses. The committed file is this with the default settings."""

from __future__ import annotations

from flows.deployment import DEPLOYMENT_NAME, WAIT_DEPLOYMENT_NAME
from flows.settings import Settings

WORK_POOL = "hled-process"
HEADER = """\
# Production route for the nightly refresh and the wait-time collector: a standing Prefect server, a
# process work pool and a worker on the machine that holds HLED_HOME. Written by `hled prefect-yaml`
# from the settings (HLED_CRON, HLED_TIMEZONE, HLED_WAIT_TIMES_EVERY); write it again after changing
# them. Run from the repository root (see docs/operations.md):
#   hled prefect-yaml > prefect.yaml
#   prefect server start &                       # or point PREFECT_API_URL at your server
#   prefect work-pool create hled-process --type process
#   prefect deploy --all
#   prefect worker start --pool hled-process
"""


def prefect_yaml(settings: Settings) -> str:
    """The text of prefect.yaml for these settings."""
    import yaml

    config = {
        "name": "hled-border",
        "prefect-version": "3.8.8",
        "pull": [{"prefect.deployments.steps.set_working_directory": {"directory": "{{ $PWD }}"}}],
        "deployments": [
            {
                "name": DEPLOYMENT_NAME,
                "description": "Fetch, validate, build and publish the border warehouse, then export charts.",
                "entrypoint": "flows/refresh.py:refresh",
                "parameters": {"force": False},
                "schedules": [{"cron": settings.cron, "timezone": settings.timezone}],
                "work_pool": {"name": WORK_POOL},
            },
            {
                "name": WAIT_DEPLOYMENT_NAME,
                "description": "Take one snapshot of CBP's current border wait times into the history.",
                "entrypoint": "flows/wait_times.py:collect_wait_times",
                "schedules": [{"interval": round(settings.wait_times_every * 60)}],
                "work_pool": {"name": WORK_POOL},
            },
        ],
    }
    return HEADER + yaml.safe_dump(config, sort_keys=False, width=110, allow_unicode=True)
