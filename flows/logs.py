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


# a source's own trouble (unreachable, refused, a bad file, a broken rule) and a refused overlapping run:
# the operator reads their one-line messages; a traceback of them is noise before the line that matters
EXPECTED_TROUBLE = frozenset(
    {"SourceError", "ParseError", "SchemaDriftError", "ValidationFailed", "RefreshBusy", "HTTPError"}
)


def _expected(exc: BaseException | None) -> bool:
    return exc is not None and any(cls.__name__ in EXPECTED_TROUBLE for cls in type(exc).__mro__)


def visible_log_text() -> None:
    """Every log record's message from now on with its control characters made visible (U+FFFD): text
    from the data (a port name with an ESC sequence) never reaches a terminal or the Prefect UI as
    codes; and a source's expected trouble logged without its traceback (Prefect logs every failed
    task's). Installed once, as the record factory, before Prefect sets up its handlers."""
    from warehouse.safe_text import visible

    make = logging.getLogRecordFactory()
    if getattr(make, "visible_text", False):
        return

    def record(*args: object, **kwargs: object) -> logging.LogRecord:
        made = make(*args, **kwargs)
        try:
            message = made.getMessage()
        except Exception:  # a malformed call: logging reports it itself, as it would have
            return made
        made.msg, made.args = visible(message), None
        if made.exc_info and _expected(made.exc_info[1]):  # its one-line message says it all
            made.exc_info, made.exc_text = None, None
        return made

    record.visible_text = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(record)
