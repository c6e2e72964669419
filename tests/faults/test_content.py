"""Content faults: files that arrive whole but are wrong (or odd but fine), crossings over HTTP and
TransBorder from a mirror. Failures stop the run; row-level problems become rejects; odd-but-fine
files load the same facts."""

from __future__ import annotations

import pytest

from tests.conftest import Reply
from tests.faults.conftest import CROSSINGS_PATH, GOOD, Home, facts, hled_refresh, query
from tests.faults.matrix import BY_ID

HEADER, _, ROWS = GOOD.partition(b"\n")


def _drop_column(data: bytes, index: int) -> bytes:
    lines = data.decode().splitlines()
    return (
        "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != index) for line in lines) + "\n"
    ).encode()


def _add_column(data: bytes) -> bytes:
    lines = data.decode().splitlines()
    return ("\n".join([lines[0] + ",Lane Type", *(line + ",all" for line in lines[1:])]) + "\n").encode()


HUGE = GOOD.replace(
    b"Jackman,Maine,0104,US-Canada Border,Feb 2020",
    b"J" * 8_000_000 + b",Maine,0104,US-Canada Border,Feb 2020",
)
TOO_MANY = GOOD.replace(b",Trucks,1", b",Trucks,x1")  # four rows of 18 lose their value

FAILURES = {
    # case id: (body, fragments the one-line error must hold besides the rule, where the body is kept)
    "empty": (b"", ["empty response body"], "quarantine"),
    "header_only": (HEADER + b"\n", ["header only"], "raw"),
    "cut_mid_line": (GOOD[: GOOD.rindex(b"Jackman") + 40], ["looks cut off", "line 19"], "raw"),
    "wrong_delimiter": (GOOD.replace(b",", b";"), ["unexpected columns ['Port Name;State;"], "quarantine"),
    "column_added": (
        _add_column(GOOD),
        ["missing columns none", "unexpected columns ['Lane Type']"],
        "quarantine",
    ),
    "column_renamed": (
        GOOD.replace(b"Measure,Value", b"Measure,Count", 1),
        ["missing columns ['Value']", "unexpected columns ['Count']"],
        "quarantine",
    ),
    "column_missing": (
        _drop_column(GOOD, 1),
        ["missing columns ['State']", "unexpected columns none"],
        "quarantine",
    ),
    "too_many_rejects": (
        TOO_MANY,
        ["4 of 18 rows rejected", "line 2", "Value 'x100' is not a whole number"],
        "raw",
    ),
    "negative": (
        GOOD.replace(b"Jan 2020,Trucks,120", b"Jan 2020,Trucks,-120"),
        ["on value", "1 rows at lines 4", "observed [-120]"],
        "raw",
    ),
    "future_month": (
        GOOD.replace(b"Feb 2020,Buses,3", b"Feb 2099,Buses,3"),
        ["on month", "1 rows at lines 19", "2099-02-01"],
        "raw",
    ),
    "unknown_measure": (
        GOOD.replace(b"Feb 2020,Buses,3", b"Feb 2020,Hovercraft,3"),
        ["on measure", "lines 19", "observed ['hovercraft']"],
        "raw",
    ),
    "huge_line": (HUGE, ["line 19", "column 'Port Name' holds 8,000,000 bytes"], "raw"),
}


@pytest.mark.parametrize("case_id", list(FAILURES))
def test_a_bad_crossings_file_stops_the_run(crossings_home: Home, case_id: str) -> None:
    body, fragments, kept_in = FAILURES[case_id]
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, body))
    outcome = hled_refresh()
    crossings_home.check(BY_ID[case_id], outcome, "bts_crossings", *fragments)
    folder = "quarantine/*" if kept_in == "quarantine" else "*.csv"
    assert body in crossings_home.files("bts_crossings", folder).values(), "the bad file is kept"
    assert "raw/bts_crossings" in outcome.error, "the error names the kept file"


def test_a_non_numeric_value_is_rejected_with_file_line_and_reason(crossings_home: Home) -> None:
    body = GOOD.replace(b"Jan 2019,Pedestrians,5000", b"Jan 2019,Pedestrians,5,000")
    body = body.replace(b"Jan 2019,Pedestrians,5,000", b'Jan 2019,Pedestrians,"5,000"')
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, body))
    outcome = hled_refresh()
    crossings_home.check(BY_ID["non_numeric"], outcome)
    assert "│ bts_crossings │ downloaded │ 15          │ 3        │" in outcome.stdout
    rejects = query(
        crossings_home.warehouse,
        "SELECT source, file LIKE '%/raw/bts_crossings/%.csv', line, rule, reason FROM meta.rejects "
        "WHERE rule = 'value_not_integer'",
    )
    assert rejects == [("bts_crossings", True, 8, "value_not_integer", "Value '5,000' is not a whole number")]
    assert query(crossings_home.warehouse, "SELECT count(*), sum(value) FROM core.fact_crossings") == [
        (15, 20607 - 5000)
    ]


def test_a_conflicting_duplicate_keeps_the_largest_and_rejects_the_other(crossings_home: Home) -> None:
    extra = b"Laredo,Texas,2304,US-Mexico Border,Jan 2019,Trucks,90,27.500,-99.507,POINT (-99.507 27.5)\n"
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, GOOD + extra))
    outcome = hled_refresh()
    crossings_home.check(BY_ID["conflicting_duplicate"], outcome)
    assert query(
        crossings_home.warehouse,
        "SELECT value FROM core.fact_crossings WHERE port_code = '2304' AND month = '2019-01-01' "
        "AND measure = 'trucks'",
    ) == [(100,)]
    assert query(
        crossings_home.warehouse,
        "SELECT line, reason FROM meta.rejects WHERE rule = 'duplicate_conflict' AND line = 20",
    ) == [
        (20, "(2304, 2019-01, trucks) has value 90 here but 100 at line 2; the fact keeps the largest value")
    ]


@pytest.mark.parametrize(
    ("case_id", "body"),
    [
        ("short_port_code", GOOD.replace(b",0104,", b",104,")),
        ("bom", b"\xef\xbb\xbf" + GOOD),
        ("crlf", GOOD.replace(b"\n", b"\r\n")),
    ],
)
def test_an_odd_but_sound_file_loads_the_same_facts(crossings_home: Home, case_id: str, body: bytes) -> None:
    before = facts(crossings_home.warehouse)
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, body))
    outcome = hled_refresh()
    crossings_home.check(BY_ID[case_id], outcome)
    assert facts(crossings_home.warehouse) == before
    assert query(crossings_home.warehouse, "SELECT port_code FROM core.dim_port ORDER BY 1")[0] == ("0104",)


TRADE_LINE = b"1,TX,2304,5,NL,,2010,1000,0,10,1,X,01,2020"
TRADE_FAULTS = {
    "trade_unknown_mode": (
        b"1,TX,2304,2,NL,,2010,1000,0,10,1,X,01,2020",
        ["on mode", "dot1_0120 file", "lines 2", "observed ['2']"],
    ),
    "trade_negative": (
        b"1,TX,2304,5,NL,,2010,-1000,0,10,1,X,01,2020",
        ["on value_usd", "dot1_0120 file", "lines 2", "observed [-1000]"],
    ),
}


@pytest.mark.parametrize("case_id", list(TRADE_FAULTS))
def test_a_bad_transborder_row_stops_the_run(trade_mirror, case_id: str) -> None:
    home, mirror = trade_mirror
    line, fragments = TRADE_FAULTS[case_id]
    dot1 = mirror / "transborder" / "2020" / "dot1_0120.csv"
    body = dot1.read_bytes().replace(TRADE_LINE, line)
    dot1.write_bytes(body)
    outcome = hled_refresh()
    home.check(BY_ID[case_id], outcome, "transborder", *fragments)
    assert body in home.files("transborder", "*.csv").values(), "the bad file is kept"


def test_an_unreadable_transborder_amount_is_rejected(trade_mirror) -> None:
    home, mirror = trade_mirror
    dot1 = mirror / "transborder" / "2020" / "dot1_0120.csv"
    dot1.write_bytes(dot1.read_bytes().replace(TRADE_LINE, TRADE_LINE.replace(b",1000,", b",1O00,")))
    outcome = hled_refresh()
    home.check(BY_ID["trade_non_numeric"], outcome)
    rejects = query(
        home.warehouse,
        "SELECT source, file LIKE '%/raw/transborder/%.csv', line, rule, reason FROM meta.rejects "
        "WHERE source = 'transborder'",
    )
    assert rejects == [
        (
            "transborder",
            True,
            2,
            "amount_not_integer",
            "VALUE/SHIPWT/FREIGHT_CHARGES '1O00/0/10' are not all whole numbers",
        ),
    ]
    assert query(
        home.warehouse,
        "SELECT rows_read, rows_loaded, rows_rejected FROM meta.source_files WHERE file_key = 'dot1_0120' "
        "ORDER BY rows_rejected",
    ) == [(4, 4, 0), (4, 3, 1)]  # the baseline's run, then this one
    assert query(
        home.warehouse, "SELECT count(*), sum(value_usd) FROM core.fact_trade_port WHERE month = '2020-01-01'"
    ) == [(3, 5600)]
