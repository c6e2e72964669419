"""Errors raised while parsing raw files into clean frames."""


class SchemaDriftError(ValueError):
    """The file's header is none of the layouts the parser knows."""


class ParseError(ValueError):
    """The file cannot be parsed as a whole (truncated, empty, too many bad rows)."""
