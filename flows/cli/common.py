"""What every `hled` command shares: the consoles (nothing printed is read as markup: data may hold
[brackets]), one-line errors, the settings or exit 2, Prefect's environment, and the user errors that
end a command in one line instead of a traceback."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.text import Text

if TYPE_CHECKING:
    from flows.settings import Settings

T = TypeVar("T")
err = Console(stderr=True, markup=False)
out = Console(markup=False)


def line(console: Console, label: str, message: object, style: str = "red") -> None:
    """One line: a styled label, then the message as plain text (control characters from the data shown
    as U+FFFD, never sent to the terminal)."""
    from warehouse.safe_text import visible

    console.print(Text.assemble((label, style), " ", visible(str(message))), soft_wrap=True)


def prefect_env(home: Path) -> None:
    """Quiet, offline-friendly Prefect defaults with its state under HLED_HOME (unless set), and log
    messages whose control characters from the data are shown, not sent (flows/logs.py)."""
    from flows.logs import visible_log_text

    visible_log_text()
    os.environ.setdefault("PREFECT_HOME", str(home / "prefect"))
    # Prefect's temporary server cannot create its database in a folder that does not exist yet
    Path(os.environ["PREFECT_HOME"]).expanduser().mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")


def user_errors() -> tuple[type[Exception], ...]:
    from expectations.runner import ValidationFailed
    from flows.errors import SettingsError, SourceError
    from flows.refresh import ChartsFailed
    from flows.runlog import RefreshBusy
    from transforms.errors import ParseError, SchemaDriftError
    from warehouse.errors import WarehouseError

    return (
        SettingsError,
        SourceError,
        ParseError,
        SchemaDriftError,
        ValidationFailed,
        WarehouseError,
        RefreshBusy,
        ChartsFailed,
    )


def settings_or_exit(builds: bool = True) -> Settings:
    """The settings, or exit 2 with one line. `builds=False` for commands that only read the published
    warehouse: they start without importing the registry, and with it the pipeline."""
    from flows.errors import SettingsError
    from flows.settings import Settings

    try:
        if builds:
            from flows.sources import checked_settings

            return checked_settings()
        return Settings.from_env()
    except SettingsError as exc:
        line(err, "error:", exc)
        raise typer.Exit(2) from None


def require_warehouse(settings: Settings) -> None:
    """Exit 1 with one line when nothing has been published yet."""
    if not settings.warehouse_path.exists():
        line(err, "error:", f"no published warehouse at {settings.warehouse_path}; run `hled refresh` first")
        raise typer.Exit(1)


def warehouse_error(exc: Exception) -> NoReturn:
    """A warehouse that cannot be read (or a query it refuses): one line, exit 2."""
    line(err, "error:", exc)
    raise typer.Exit(2) from None


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGTERM (systemd, docker, `kill`) and SIGINT end the block by raising RunStopped where the run is,
    so it unwinds like an error: Prefect's temporary server is stopped with it and the run logged as
    stopped. Python's own SIGTERM ends the process at once and left that server running."""
    from flows.errors import RunStopped

    def stop(number: int, _frame: object) -> None:
        raise RunStopped(signal.Signals(number).name, number)

    saved = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)
