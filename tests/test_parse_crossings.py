"""Parsing the three published layouts of the BTS crossings file, and the file- and row-level rules."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import FIXTURES
from transforms.crossings import CLEAN_SCHEMA, parse_crossings, port_dimension
from transforms.errors import ParseError, SchemaDriftError
from transforms.rawfile import check_reject_share, read_bytes

HEADER = "Port Name,State,Port Code,Border,Date,Measure,Value,Latitude,Longitude,Point"
ROW = "Laredo,Texas,2304,US-Mexico Border,Jan 2024,Trucks,{v},27.500,-99.507,POINT (-99.507 27.5)"


def write(tmp_path: Path, text: str | bytes, name: str = "x.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def test_current_layout_to_canonical_frame() -> None:
    parsed = parse_crossings(FIXTURES / "crossings_current.csv")
    assert parsed.layout == "current_10col"
    assert parsed.rows_read == 18
    assert parsed.clean.height == 16
    assert dict(parsed.clean.schema) == CLEAN_SCHEMA
    row = parsed.clean.filter(pl.col("port_code") == "2304", pl.col("month") == date(2020, 2, 1)).row(
        0, named=True
    )
    assert row["measure"] == "trucks"
    assert row["value"] == 99
    assert row["border"] == "US-Mexico"
    assert row["port_name"] == "Laredo"
    assert row["latitude"] == pytest.approx(27.5)
    jackman = parsed.clean.filter(pl.col("port_code") == "0104")
    assert jackman["border"].unique().to_list() == ["US-Canada"]


def test_conflicting_duplicate_keeps_largest_and_rejects_the_other() -> None:
    parsed = parse_crossings(FIXTURES / "crossings_current.csv")
    kept = parsed.clean.filter(
        pl.col("port_code") == "2506",
        pl.col("month") == date(2020, 1, 1),
        pl.col("measure") == "trucks",
    )
    assert kept["value"].to_list() == [50]
    rejects = {r["rule"]: r for r in parsed.rejects.iter_rows(named=True)}
    assert set(rejects) == {"duplicate_conflict", "duplicate_exact"}
    conflict = rejects["duplicate_conflict"]
    assert conflict["line"] == 12
    assert "has value 0 here but 50 at line 13" in conflict["reason"]
    assert conflict["raw"].startswith("Otay Mesa,California,2506,US-Mexico Border,Jan 2020,Trucks,0")
    assert rejects["duplicate_exact"]["line"] == 15
    assert "repeats line 14" in rejects["duplicate_exact"]["reason"]


def test_legacy_8_column_layout_with_full_containers_and_short_port_code() -> None:
    parsed = parse_crossings(FIXTURES / "crossings_legacy8.csv")
    assert parsed.layout == "legacy_8col_location"
    rows = {r["measure"]: r for r in parsed.clean.iter_rows(named=True)}
    assert rows["truck_containers_loaded"]["value"] == 150000
    assert rows["trucks"]["month"] == date(2019, 3, 1)
    assert rows["rail_containers_loaded"]["port_code"] == "0104"
    assert rows["rail_containers_loaded"]["longitude"] == pytest.approx(-70.396722)
    assert rows["rail_containers_loaded"]["latitude"] == pytest.approx(45.805661)


def test_legacy_7_column_layout_in_both_date_styles() -> None:
    parsed = parse_crossings(FIXTURES / "crossings_legacy7.csv")
    assert parsed.layout == "legacy_7col"
    assert sorted(parsed.clean["month"].to_list()) == [date(2018, 1, 1), date(2019, 3, 1)]
    assert parsed.clean["latitude"].null_count() == 2


def test_renamed_column_is_schema_drift_naming_missing_and_unexpected(tmp_path) -> None:
    path = write(tmp_path, HEADER.replace("Value", "Count") + "\n" + ROW.format(v=1) + "\n")
    with pytest.raises(SchemaDriftError) as info:
        parse_crossings(path)
    message = str(info.value)
    assert "x.csv" in message
    assert "missing columns ['Value']" in message
    assert "unexpected columns ['Count']" in message
    assert "known_header" in message


def test_unparseable_rows_become_rejects_with_line_and_reason(tmp_path) -> None:
    lines = [
        HEADER,
        ROW.format(v=5),
        ROW.format(v="12a").replace("Jan", "Feb"),
        ROW.format(v=7).replace("Jan 2024", "Smarch 2024"),
    ]
    parsed = parse_crossings(write(tmp_path, "\n".join(lines) + "\n"))
    assert parsed.clean["value"].to_list() == [5]
    rejects = parsed.rejects.select("line", "rule", "reason").rows()
    assert rejects == [
        (3, "value_not_integer", "Value '12a' is not a whole number"),
        (4, "date_unparseable", "Date Smarch 2024 is not a month like 'Jan 2024' or '01/01/2024'"),
    ]
    with pytest.raises(ParseError, match=r"2 of 3 rows rejected.*reject_share.*line 3"):
        check_reject_share(parsed.rejects, parsed.rows_read, 0.01, "x.csv")


def test_numeric_dates_without_leading_zeros(tmp_path) -> None:
    lines = [
        HEADER,
        ROW.format(v=1).replace("Jan 2024", "3/1/2019 12:00:00 AM"),
        ROW.format(v=2).replace("Jan 2024", "12/1/2019"),
        ROW.format(v=3).replace("Jan 2024", "13/1/2019"),
    ]
    parsed = parse_crossings(write(tmp_path, "\n".join(lines) + "\n"))
    assert parsed.clean["month"].to_list() == [date(2019, 3, 1), date(2019, 12, 1)]
    assert parsed.rejects.select("line", "rule").rows() == [(4, "date_unparseable")]


def test_bom_and_crlf_are_accepted(tmp_path) -> None:
    text = "\ufeff" + HEADER + "\r\n" + ROW.format(v=42) + "\r\n"
    parsed = parse_crossings(write(tmp_path, text))
    assert parsed.clean["value"].to_list() == [42]
    assert parsed.clean["port_code"].to_list() == ["2304"]


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        ("", "file_not_empty"),
        (HEADER + "\n", "file_has_rows"),
        (HEADER + "\n" + ROW.format(v=1) + "\n" + ROW.format(v=2)[:30], "file_complete"),
    ],
    ids=["empty", "header-only", "cut-off"],
)
def test_file_level_rules(tmp_path, content: str, rule: str) -> None:
    with pytest.raises(ParseError, match=rule) as info:
        parse_crossings(write(tmp_path, content))
    assert "x.csv" in str(info.value)


def test_cut_off_gzip_is_a_parse_error(tmp_path) -> None:
    data = gzip.compress(((HEADER + "\n" + ROW.format(v=1) + "\n") * 50).encode())
    path = write(tmp_path, data[: len(data) // 2], "x.csv.gz")
    with pytest.raises(ParseError, match="gzip stream is damaged or cut off"):
        parse_crossings(path)


def test_a_gzip_of_two_members_is_read_whole_and_trailing_garbage_is_refused(tmp_path) -> None:
    """gzip allows members one after another (`cat a.gz b.gz`): every one is unpacked; bytes after the
    last that are no gzip member make the file damaged, not silently shorter."""
    first = (HEADER + "\n" + ROW.format(v=1) + "\n").encode()
    second = (ROW.format(v=2).replace("Jan 2024", "Feb 2024") + "\n").encode()
    path = write(tmp_path, gzip.compress(first) + gzip.compress(second), "x.csv.gz")
    assert read_bytes(path) == first + second
    assert parse_crossings(path).clean.height == 2
    with pytest.raises(ParseError, match="gzip stream is damaged or cut off"):
        read_bytes(write(tmp_path, gzip.compress(first) + b"not gzip", "y.csv.gz"))
    with pytest.raises(ParseError, match=r"more than 100 bytes \(rule: gzip_cap\)"):
        read_bytes(path, limit=100)


def test_wrong_delimiter_is_schema_drift(tmp_path) -> None:
    text = HEADER.replace(",", ";") + "\n" + ROW.format(v=1).replace(",", ";") + "\n"
    with pytest.raises(SchemaDriftError, match="header matches no known layout"):
        parse_crossings(write(tmp_path, text))


def test_port_dimension_names_each_port_by_its_latest_month(tmp_path) -> None:
    lines = [
        HEADER,
        ROW.format(v=1),
        ROW.format(v=2).replace("Laredo", "Laredo Old").replace("Jan 2024", "Jan 2020"),
    ]
    parsed = parse_crossings(write(tmp_path, "\n".join(lines) + "\n"))
    dim = port_dimension(parsed.clean).row(0, named=True)
    assert dim["port_name"] == "Laredo"
    assert (dim["first_month"], dim["last_month"]) == (date(2020, 1, 1), date(2024, 1, 1))
