"""The helper process `hled refresh` starts for GX and the disruption detector: work runs there with the
libraries loaded, its errors come back as themselves, a helper that died is replaced by the calling
process, and stopping it leaves no process behind."""

from __future__ import annotations

import logging
import os
import signal
import sys
from datetime import date, datetime
from functools import partial

import polars as pl
import pytest

from expectations.crossings import build_suite
from expectations.runner import LINE_COLUMN, validate_frame_built
from flows import helper
from transforms.crossings import BORDER_CODES


def _where() -> tuple[int, bool, bool]:
    """Run in the helper: its pid, whether GX is loaded and whether it ignores SIGINT."""
    return os.getpid(), "great_expectations" in sys.modules, signal.getsignal(signal.SIGINT) is signal.SIG_IGN


def _refuse(message: str) -> None:
    raise ValueError(message)


def _unpicklable() -> object:
    return lambda: None


@pytest.fixture(scope="module")
def started():
    helper.start()
    yield helper._helper
    helper.stop()


def test_work_runs_in_the_helper_with_gx_loaded_and_errors_come_back(started) -> None:
    pid, gx_loaded, ignores_sigint = helper.run(_where)
    assert pid == started.process.pid != os.getpid()
    assert gx_loaded and ignores_sigint  # Ctrl-C reaches the whole group: the parent decides
    with pytest.raises(ValueError, match="^no such port$"):
        helper.run(_refuse, "no such port")
    with pytest.raises(helper.HelperError, match="could not be sent back"):
        helper.run(_unpicklable)
    assert helper.running(), "an error in the work does not end the helper"


def test_a_validation_in_the_helper_names_the_bad_row_and_writes_data_docs(started, tmp_path) -> None:
    frame = pl.DataFrame(
        {
            "port_code": ["2304", "2304"],
            "border": list(BORDER_CODES[:1]) * 2,
            "month": [datetime(2024, 1, 1), datetime(2024, 2, 1)],
            "measure": ["trucks", "trucks"],
            "value": [5, -1],
        }
    ).with_row_index(LINE_COLUMN, offset=1)
    docs = tmp_path / "data_docs"
    report = helper.run(
        validate_frame_built, frame, partial(build_suite, None, 0.9, date(2026, 12, 8)), docs, "crossings"
    )
    failed = report.failures()
    assert [(f["expectation"], f["column_name"], f["unexpected_lines"]) for f in failed] == [
        ("expect_column_values_to_be_between(min_value=0.0)", "value", "2")
    ]
    assert report.docs_index.exists() and report.docs_index.is_relative_to(docs)


def test_a_helper_that_died_is_replaced_by_this_process(caplog) -> None:
    helper.start()
    process = helper._helper.process
    try:
        os.kill(process.pid, signal.SIGKILL)
        process.join(10)
        with caplog.at_level(logging.WARNING, logger="flows.helper"):
            pid, _, _ = helper.run(_where)
        assert pid == os.getpid()
        assert not helper.running()
        assert "the helper process ended (exit code -9" in caplog.text
        assert "working in this process instead" in caplog.text
    finally:
        helper.stop()


@pytest.mark.parametrize("asked", [False, True])
def test_stopping_leaves_no_process(asked: bool) -> None:
    """Stopped while it may still be importing (never asked: ended at once), or once it has answered
    (asked to end, and it does)."""
    helper.start()
    process = helper._helper.process
    if asked:
        helper.run(_where)
    helper.stop()
    assert not process.is_alive()
    assert process.exitcode == (0 if asked else -signal.SIGTERM)
    assert helper.run(os.getpid) == os.getpid(), "with no helper the work runs here"


def test_the_disruption_detector_in_the_helper_finds_what_it_finds_here(started) -> None:
    from tests.test_lineage import _series
    from warehouse import indicators
    from warehouse.db import frame
    from warehouse.dictionary import empty_warehouse

    con = empty_warehouse()
    try:
        _series(con, trade_dip=0.6)
        series = frame(con, indicators.SHOCK_INPUT_SQL)
    finally:
        con.close()
    latest = series["month"].max()
    there = helper.run(indicators._detect, series, latest)
    here = indicators._detect(series, latest)
    assert there.shocks.height == here.shocks.height == 2
    assert there.shocks.equals(here.shocks) and there.expected.equals(here.expected)
