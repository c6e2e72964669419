"""What the exported HTML files share so they work offline: one script per language folder (Vega,
Vega-Lite and vega-embed from vl-convert, no CDN), written once as `exports/<lang>/vega-bundle.js`
instead of inlined in each file (about 1 MB each), and the Jinja2 templates (autoescaped)."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import markupsafe
import vl_convert

from warehouse.safe_text import visible

BUNDLE = "vega-bundle.js"


def _shown(value: object) -> object:
    """Every value a template writes, its control characters from the data made visible (U+FFFD)."""
    if isinstance(value, markupsafe.Markup):
        return markupsafe.Markup(visible(value))
    return visible(value) if isinstance(value, str) else value


TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("dashboards", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    finalize=_shown,
)


def write_atomic(path: Path, data: str | bytes) -> Path:
    """Write a file so that a reader never sees half of it: to a partial beside it, then renamed."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path


def write_bundle(folder: Path) -> Path:
    """Write the bundle into `folder`, unless the same bundle is there already (the charts and the
    briefs of a refresh share it)."""
    path, bundle = folder / BUNDLE, vl_convert.javascript_bundle().encode("utf-8")
    if path.is_file() and path.stat().st_size == len(bundle) and path.read_bytes() == bundle:
        return path
    return write_atomic(path, bundle)
