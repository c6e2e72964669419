"""Errors raised by the orchestration layer: settings and fetching."""


class SettingsError(ValueError):
    """An HLED_* environment variable is unknown or malformed."""


class SourceError(RuntimeError):
    """A source could not be fetched, or what came is not the file we expect."""


class HistoryShrinks(SourceError):
    """A source's new input holds fewer months or tables than it published: refused unless allowed."""
