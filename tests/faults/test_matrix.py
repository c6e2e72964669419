"""The fault matrix is complete and documented: every case has a test that asserts it, and
docs/architecture.md shows the table rendered from it."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ROOT
from tests.faults.matrix import CASES, GROUPS, render_table

REQUIRED = {
    "network": {
        "connection_refused",
        "timeout",
        "500_then_200",
        "404",
        "cut_off_body",
        "html_200",
        "redirect_loop",
    },
    "content": {
        "empty",
        "header_only",
        "wrong_delimiter",
        "column_added",
        "column_renamed",
        "column_missing",
        "non_numeric",
        "negative",
        "future_month",
        "unknown_measure",
        "trade_unknown_mode",
        "short_port_code",
        "conflicting_duplicate",
        "bom",
        "crlf",
        "huge_line",
    },
    "archive": {"zip_slip", "zip_bomb", "zip_corrupt", "zip_no_csvs"},
    "publisher": {
        "cdn_blocks_new_zip",
        "cdn_refuses_everything",
        "inbox_drop",
        "challenge_page",
        "month_missing",
        "month_in_two_zips",
    },
    "process": {
        "sigkill_build",
        "sigkill_publish",
        "concurrent",
        "analyst_reader",
        "server_start_fails",
        "sigterm_refresh",
        "sigterm_serve",
    },
    "isolation": {"history_shrinks", "limited_run_keeps_others"},
    "text": {"control_characters", "csv_formulas", "markdown_in_summary"},
    "idempotence": {"idempotent"},
}


def test_the_architecture_page_shows_the_matrix() -> None:
    assert render_table() in (ROOT / "docs" / "architecture.md").read_text(), (
        "docs/architecture.md's fault matrix drifted: paste the output of `python -m tests.faults.matrix`"
    )


def test_every_case_the_issue_lists_is_in_the_matrix() -> None:
    ids = {case.id for case in CASES}
    assert len(ids) == len(CASES)
    for group, wanted in REQUIRED.items():
        assert group in GROUPS
        assert wanted <= {c.id for c in CASES if c.group == group}, wanted - ids


def test_every_case_is_asserted_by_a_test() -> None:
    """Each case id is named, quoted, in a test module (as BY_ID["…"] or a parametrize value); `hled
    serve`'s cases are in tests/test_cli.py."""
    here = Path(__file__)
    modules = [p for p in here.parent.glob("test_*.py") if p != here] + [ROOT / "tests" / "test_cli.py"]
    sources = "".join(p.read_text() for p in modules)
    missing = [case.id for case in CASES if f'"{case.id}"' not in sources]
    assert missing == []
