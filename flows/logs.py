"""One way for stage code to log: into the Prefect run (console and run log) when called inside a
flow or task run, else to the standard `hled` logger."""

from __future__ import annotations

import logging


def logger() -> logging.Logger | logging.LoggerAdapter:
    """The current run's logger, or the `hled` logger outside a run."""
    from prefect.exceptions import MissingContextError
    from prefect.logging import get_run_logger

    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger("hled")
