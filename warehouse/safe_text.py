"""Text from the data stays data wherever it is shown: control characters (a terminal's escape codes,
bidirectional overrides) made visible before charts, the console and logs, and CSV cells that a
spreadsheet would run as a formula written as text, the way OWASP recommends."""

from __future__ import annotations

import re
from typing import Any

# C0 controls but tab and line feed, DEL, C1 controls, and the bidirectional embeddings and isolates
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
SHOWN_AS = "\ufffd"  # the replacement character: the reader sees that something was there
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet reads as the start of a formula


def visible(text: str) -> str:
    """`text` with every control character replaced by U+FFFD (a chart renderer or a terminal would
    act on it: ESC starts an escape sequence, and the chart renderer aborts on it)."""
    return CONTROL.sub(SHOWN_AS, text)


def visible_strings(value: Any) -> Any:
    """Every string inside nested dicts and lists made `visible` (a chart spec with its data)."""
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, dict):
        return {visible_strings(k): visible_strings(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [visible_strings(v) for v in value]
    return value


def spreadsheet_safe(value: object) -> object:
    """A text cell a spreadsheet would run (it starts with = + - @, a tab or a carriage return) with a
    leading apostrophe, so it is shown as text; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def spreadsheet_safe_sql(column: str) -> str:
    """The SQL expression of `spreadsheet_safe` for a text column (a quoted identifier)."""
    return (
        f"CASE WHEN left({column}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) "
        f"THEN '''' || {column} ELSE {column} END AS {column}"
    )


# what can make a link, an image, HTML, code or emphasis mid-line, or break a table cell; the rest (_ . -)
# stays as it is, so the artifact reads as plain text too
MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]()!|<>&])")


def markdown_text(value: object) -> str:
    """A value from the data (a message, a name, a URL) as literal text inside Markdown: every character
    Markdown or HTML would act on backslash-escaped, line breaks as spaces, control characters visible;
    an image, link or tag from the data is shown, not fetched or drawn."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", visible(str(value)).replace("\n", " ").replace("\t", " "))
