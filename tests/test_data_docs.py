"""The Data Docs as an operator opens them offline: every suite's latest validation in one index,
no stylesheet or script from a CDN, pass and fail visible without them."""

from __future__ import annotations

import re

import great_expectations as gx
import great_expectations.expectations as gxe
import polars as pl

from expectations.runner import validate_frame

REMOTE = re.compile(r"<(?:link|script)\b[^>]*(?:href|src)=\"https?://", re.IGNORECASE)


def _suite(name: str, low: int):
    return gx.ExpectationSuite(
        name=name, expectations=[gxe.ExpectColumnValuesToBeBetween(column="value", min_value=low)]
    )


def test_every_suite_s_latest_validation_is_linked_and_readable_offline(tmp_path) -> None:
    site = tmp_path / "reports" / "data_docs"
    frame = pl.DataFrame({"value": [5, 7, 9], "source_line": [2, 3, 4]})
    first = validate_frame(frame, _suite("crossings_clean", 0), site, "crossings")
    trade = validate_frame(frame, _suite("trade_clean", 6), site, "trade")
    again = validate_frame(frame, _suite("crossings_clean", 1), site, "crossings")

    assert (first.success, trade.success, again.success) == (True, False, True)
    assert trade.docs_index.exists() and trade.docs_index.is_relative_to(site / "validations" / "trade_clean")
    assert not first.docs_index.exists(), "a suite's older validation page is replaced by its latest"
    assert again.docs_index.exists()
    assert len(list((site / "validations" / "crossings_clean").rglob("*.html"))) == 1

    index = (site / "index.html").read_text()
    rows = re.findall(r'<a href="([^"]+)">(\w+)</a></td>\s*<td class="(\w+)"', index)
    assert [(name, result) for _, name, result in rows] == [
        ("crossings_clean", "passed"),
        ("trade_clean", "failed"),
    ]
    for link, _, _ in rows:
        assert (site / link).exists(), link
    assert rows[0][0] == again.docs_index.relative_to(site).as_posix()

    pages = list(site.rglob("*.html"))
    assert len(pages) == 5  # index, two validation pages, two suite pages
    for page in pages:
        text = page.read_text()
        assert not REMOTE.search(text), f"{page} loads from the network"
        css = re.search(r'<link rel="stylesheet" href="([^"]+offline\.css)">', text)
        assert css and (page.parent / css.group(1)).resolve() == (site / "static" / "offline.css")
    failed_page = trade.docs_index.read_text()
    assert "fa-times" in failed_page and ".fa-times::before" in (site / "static" / "offline.css").read_text()
