"""The Data Docs site as an operator opens it: every suite's latest validation, readable offline.
Great Expectations rebuilds its whole site for each validation (only the last suite survives) and
styles it from CDNs (its index is blank offline, its pass/fail icons missing). So each validation
is built by GX in a scratch folder, its pages are copied into the kept site without the CDN tags and
with a local stylesheet, and the index is ours: one row per suite, newest validation, linked."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

REGISTER = "suites.json"  # per suite: its latest validation's page, time and counts
OFFLINE_CSS = "static/offline.css"
REMOTE_TAG = re.compile(
    r"<link\b[^>]*\bhref=\"https?://[^\"]*\"[^>]*>|<script\b[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>",
    re.IGNORECASE,
)
STYLE = """\
body { font-family: Helvetica, Arial, sans-serif; margin: 16px 24px; color: #222; }
table { border-collapse: collapse; margin: 8px 0 16px; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
.fa-check-circle::before { content: "\\2714  passed"; color: #1a7f37; font-style: normal; }
.fa-times::before { content: "\\2718  failed"; color: #b42318; font-style: normal; font-weight: bold; }
.fa-exclamation-triangle::before { content: "\\26A0"; color: #b54708; font-style: normal; }
.fa-question-circle::before { content: "?"; font-style: normal; }
.failed { color: #b42318; font-weight: bold; }
.passed { color: #1a7f37; }
"""


def keep_validation(built: Path, site: Path, suite: str, success: bool, evaluated: int, failed: int) -> Path:
    """Copy the pages GX built in `built` for `suite` into `site`, replacing that suite's older pages,
    without CDN tags; record the validation and write the index. Returns the kept validation page."""
    pages = sorted((built / "validations" / suite).rglob("*.html"))
    if not pages:
        raise FileNotFoundError(f"Great Expectations wrote no validation page for {suite} under {built}")
    shutil.rmtree(site / "validations" / suite, ignore_errors=True)
    kept = []
    for page in [*pages, built / "expectations" / f"{suite}.html"]:
        if page.exists():
            target = site / page.relative_to(built)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_offline(page.read_text(encoding="utf-8"), target, site), encoding="utf-8")
            kept.append(target)
    static = built / "static"
    if static.is_dir():
        shutil.copytree(static, site / "static", dirs_exist_ok=True)
    (site / OFFLINE_CSS).parent.mkdir(parents=True, exist_ok=True)
    (site / OFFLINE_CSS).write_text(STYLE, encoding="utf-8")
    register = _register(site)
    register[suite] = {
        "page": kept[0].relative_to(site).as_posix(),
        "validated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "success": success,
        "evaluated": evaluated,
        "failed": failed,
    }
    (site / REGISTER).write_text(json.dumps(register, indent=1, sort_keys=True), encoding="utf-8")
    write_index(site, register)
    return kept[0]


def _offline(text: str, page: Path, site: Path) -> str:
    """A GX page without its CDN stylesheets and scripts, and with the local stylesheet."""
    depth = len(page.relative_to(site).parts) - 1
    css = "../" * depth + OFFLINE_CSS
    return REMOTE_TAG.sub("", text).replace("</head>", f'<link rel="stylesheet" href="{css}">\n</head>', 1)


def _register(site: Path) -> dict[str, dict]:
    path = site / REGISTER
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:  # a torn write: the next validations fill it again
        return {}


def write_index(site: Path, register: dict[str, dict]) -> Path:
    """`index.html`: one row per suite, its latest validation, whether it passed, linked."""
    env = Environment(loader=PackageLoader("expectations"), autoescape=select_autoescape())
    rows = [
        {"suite": suite, **record}
        for suite, record in sorted(register.items())
        if (site / record["page"]).exists()
    ]
    text = env.get_template("data_docs_index.html").render(rows=rows, css=OFFLINE_CSS)
    path = site / "index.html"
    path.write_text(text, encoding="utf-8")
    return path
