"""JSON that is safe inside an HTML <script> element whatever text the data holds: a port name such as
`</script>` or `<!--` cannot end the element or change how the browser reads it, because the JSON
carries no `<`, `>` or `&` at all (each is written as its \\u escape, which JSON and JavaScript read
back as the same character)."""

from __future__ import annotations

import json

_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def escape_for_script(text: str) -> str:
    """JSON text with the characters HTML could read as markup written as \\u escapes."""
    for char, escape in _ESCAPES.items():
        text = text.replace(char, escape)
    return text


def script_json(value: object) -> str:
    """`value` as JSON to place inside a <script> element."""
    return escape_for_script(json.dumps(value, ensure_ascii=False))
