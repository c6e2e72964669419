"""Errors raised by the orchestration layer: settings and fetching."""


class SettingsError(ValueError):
    """An HLED_* environment variable is unknown or malformed."""


class SourceError(RuntimeError):
    """A source could not be fetched, or what came is not the file we expect."""


class HistoryShrinks(SourceError):
    """A source's new input holds fewer months or tables than it published: refused unless allowed."""


class RunStopped(BaseException):
    """The command was asked to stop (SIGTERM, SIGINT): the run unwinds, takes Prefect's temporary
    server with it and is logged as stopped. A BaseException, so no `except Exception` swallows it."""

    def __init__(self, signal_name: str, signal_number: int) -> None:
        super().__init__(f"stopped by {signal_name}")
        self.signal_name, self.signal_number = signal_name, signal_number
