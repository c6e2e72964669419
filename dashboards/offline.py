"""What the exported HTML files share so they work offline: one script per language folder (Vega,
Vega-Lite and vega-embed from vl-convert, no CDN), written once as `exports/<lang>/vega-bundle.js`
instead of inlined in each file (about 1 MB each), and the Jinja2 templates (autoescaped)."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import vl_convert

BUNDLE = "vega-bundle.js"
TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("dashboards", "templates"), autoescape=True, undefined=jinja2.StrictUndefined
)


def write_bundle(folder: Path) -> Path:
    """Write the bundle into `folder` (atomically: a reader never sees half of it)."""
    path = folder / BUNDLE
    partial = folder / f".{BUNDLE}.partial"
    try:
        partial.write_text(vl_convert.javascript_bundle(), encoding="utf-8")
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path
