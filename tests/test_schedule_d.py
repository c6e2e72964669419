"""The Schedule D port list from BTS's code workbook (the staged codes_all.xls)."""

from __future__ import annotations

import pytest

from flows.errors import SourceError
from flows.ingest.fetch import Target, fetch_source
from tests.conftest import SHARED_DATA, Reply
from transforms.errors import ParseError
from transforms.schedule_d import parse_schedule_d

WORKBOOK = SHARED_DATA / "reference" / "transborder_codes" / "codes_all.xls"


@pytest.mark.skipif(not WORKBOOK.exists(), reason=f"staged BTS code workbook not found at {WORKBOOK}")
def test_ports_and_districts_are_read_from_the_port_sheet() -> None:
    parsed = parse_schedule_d(WORKBOOK)
    rows = {r["port_code"]: r for r in parsed.clean.iter_rows(named=True)}
    assert parsed.clean.height == 535
    assert rows["2304"]["port_name"] == "Laredo, TX"
    assert rows["2304"]["district_code"] == "23XX"
    assert rows["23XX"]["port_name"] == "Laredo, TX (district, port unknown)"
    assert rows["0101"]["district_name"] == "Portland, ME"
    assert parsed.clean["port_code"].is_unique().all()


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path, publisher) -> None:
    publisher.queue("/codes_all.xls", Reply(200, b"<html><body>moved</body></html>\n"))
    target = Target("schedule_d", "schedule_d", publisher.url("/codes_all.xls"), "xls")
    with pytest.raises(SourceError, match=r"HTML/XML page, not XLS \(rule: is_xls\)"):
        fetch_source(target, tmp_path, timeout=3)
    publisher.queue("/other.xls", Reply(200, b"PK\x03\x04 not an xls\n"))
    with pytest.raises(SourceError, match=r"not an \.xls workbook \(rule: is_xls\)"):
        fetch_source(
            Target("schedule_d", "schedule_d", publisher.url("/other.xls"), "xls"), tmp_path, timeout=3
        )
    junk = tmp_path / "junk.xls"
    junk.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(ParseError, match=r"junk.xls: not a readable .xls workbook \(rule: xls_readable\)"):
        parse_schedule_d(junk)
