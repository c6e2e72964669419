"""Operator mistakes: settings that would let bad data through or make no sense are refused at start."""

from __future__ import annotations

import pytest

from tests.conftest import sha256
from tests.faults.conftest import Home, hled_refresh
from tests.faults.matrix import BY_ID


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("HLED_MAX_REJECT_SHARE", "2"),
        ("HLED_MIN_ROW_RATIO", "-1"),
        ("HLED_HTTP_TIMEOUT", "0"),
        ("HLED_HTTP_TIMEOUT", "nan"),
        ("HLED_WAIT_TIMES_EVERY", "inf"),
    ],
)
def test_a_setting_out_of_range_is_refused_before_anything_runs(
    crossings_home: Home, monkeypatch, key: str, value: str
) -> None:
    case = BY_ID["settings_out_of_range"]
    requests = len(crossings_home.publisher.requests)
    monkeypatch.setenv(key, value)
    outcome = hled_refresh()
    assert outcome.exit == case.exit, outcome.stderr
    lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"error: {key}={value!r} is {case.rule}"), lines
    assert sha256(crossings_home.warehouse) == crossings_home.before
    assert len(crossings_home.publisher.requests) == requests, "nothing was fetched"
