"""The refresh against local replicas of the real publishers (tests/replica.py): bts.gov's index page
and ZIPs behind a CDN that refuses hurried or anonymous scripts and sometimes answers a challenge page,
and data.bts.gov's Socrata metadata. Hand-made months in the real ZIP shapes; the staged real data has
its own slow test in test_real_data.py."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import duckdb
import pytest

from flows.refresh import refresh
from tests.conftest import FIXTURES
from tests.replica import (
    RAW_PREFIX,
    BtsReplica,
    mac_junk,
    members,
    month_csv,
    monthly_zip,
    serve_bts,
    serve_socrata,
)

PACING = 0.1  # the replica refuses requests closer than this; the client keeps a little more


def zip_url(year: int, name: str) -> str:
    return f"{RAW_PREFIX}{year}/{name}"


def stamp(year: int, month: int) -> tuple[int, int, int, int, int, int]:
    """When BTS made a ZIP: about two months after its data month."""
    made = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 15)
    return (made.year, made.month, made.day, 9, 0, 0)


def publish(replica: BtsReplica, path: str, content: dict[str, bytes], made: tuple, **kwargs: str) -> None:
    replica.publish(path, monthly_zip(content, stamp=made), datetime(*made, tzinfo=UTC), **kwargs)


MISSING = zip_url(2020, "March2020TransBorderRawData.zip")
HAND_MADE_2019 = {  # month -> the file name BTS gave it (names as irregular as the real ones)
    1: "January2019TransBorderRawData.zip",
    2: "Feb2019.zip",
    3: "March-2019.zip",
    4: "april2019.zip",
    5: "May.2019.zip",
    6: "June2019TransBorderRawData.zip",
    7: "July2019TransBorderRawData.zip",
}


def publish_hand_made(replica: BtsReplica) -> None:
    """2019 and January-February 2020 in the shapes bts.gov has: a ZIP per month under odd names,
    folders, Mac junk, year-to-date copies, July-December 2019 in one ZIP that also carries July
    (identical) and December (revised, and newer than December's own ZIP), an odd member name, a link
    to a year before the range, and a listed ZIP that is not there."""
    for month, name in HAND_MADE_2019.items():
        content = members(2019, month, name.removesuffix(".zip"), scale=month)
        if month == 1:
            content |= {"January2019/dot1_ytd_0119.csv": month_csv(1, 2019, 1)}
            content |= mac_junk("January2019", ["dot1_0119.csv", "dot2_0119.csv"])
        publish(
            replica,
            zip_url(2019, name),
            content,
            stamp(2019, month),
            link="absolute" if month == 3 else "relative",
        )
    publish(
        replica, zip_url(2019, "December2019.zip"), members(2019, 12, "Dec2019", scale=12), stamp(2019, 12)
    )
    multi: dict[str, bytes] = {}
    for month in range(7, 13):
        bump = 5 if month == 12 else 0
        multi |= members(2019, month, f"{month:02d}-2019", scale=month, freight_bump=bump)
    multi["12-2019/dot1_2019.csv"] = (
        b"TRDTYPE,USASTATE,DEPE,DISAGMOT,MEXSTATE,CANPROV,COUNTRY,DF,CONTCODE,YEAR\r\n"
    )
    publish(replica, zip_url(2019, "July-to-Dec-2019.zip"), multi, (2020, 3, 1, 9, 0, 0))
    january = members(2020, 1, "Jan-2020", scale=13)
    odd = january.pop("Jan-2020/dot2_0120.csv")
    january["Jan-2020/TransBorder_2_0120 (1).csv"] = odd
    publish(replica, zip_url(2020, "Jan-2020.zip"), january, stamp(2020, 1))
    publish(replica, zip_url(2020, "february2020.zip"), members(2020, 2, "Feb2020", scale=14), stamp(2020, 2))
    publish(replica, zip_url(2017, "2017.zip"), members(2017, 1, "Jan2017"), stamp(2017, 1))
    publish(replica, MISSING, members(2020, 3, "March2020"), stamp(2020, 3))
    replica.broken.add(MISSING)  # listed, but BTS never posted the file: a coverage gap


@pytest.fixture
def bts(prefect_server, hled_home, monkeypatch) -> Iterator[BtsReplica]:
    """bts.gov's replica with the hand-made months, the refresh pointed at its index page."""
    with serve_bts(pacing=PACING) as replica:
        publish_hand_made(replica)
        replica.challenge = {zip_url(2019, "Feb2019.zip"), zip_url(2020, "Jan-2020.zip")}
        for key, value in {
            "HLED_URL_TRANSBORDER": replica.index_url,
            "HLED_SOURCES": "transborder",
            "HLED_CHARTS": "0",
            "HLED_HTTP_PACING": str(PACING * 1.5),
        }.items():
            monkeypatch.setenv(key, value)
        yield replica


def q(home, sql: str) -> list[tuple]:
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_every_month_is_found_on_the_page_and_read_from_its_members(bts: BtsReplica, hled_home) -> None:
    summary = refresh()
    assert summary.status == "published"
    months = q(hled_home, "SELECT DISTINCT month FROM core.fact_trade_port ORDER BY 1")
    assert [m for (m,) in months] == [date(2019, m, 1) for m in range(1, 13)] + [
        date(2020, m, 1) for m in (1, 2)
    ]
    # each month's amounts come from its own files (January 2019 is the fixture x1, February x2, …)
    totals = q(hled_home, "SELECT month, sum(value_usd) FROM core.fact_trade_port GROUP BY 1 ORDER BY 1")
    assert [v for _, v in totals] == [6600 * k for k in range(1, 15)]

    multi, july, december = (
        bts.url(zip_url(2019, n))
        for n in ("July-to-Dec-2019.zip", "July2019TransBorderRawData.zip", "December2019.zip")
    )
    identical, newer = "identical content: loaded once", "different content: the newer publication wins"
    choices = q(hled_home, "SELECT file_key, decision, kept_url, dropped_url FROM meta.file_choices")
    assert sorted(choices) == sorted(
        [(f"dot{t}_0719", identical, multi, july) for t in (1, 2, 3)]
        + [("dot1_1219", newer, multi, december)]
        + [(f"dot{t}_1219", identical, multi, december) for t in (2, 3)]
    )
    # December's freight is the revised one of the newer ZIP (+5 on each dot1 row)
    assert q(hled_home, "SELECT sum(freight_usd) FROM core.fact_trade_port WHERE month = '2019-12-01'") == [
        (66 * 12 + 4 * 5,)
    ]
    # an odd member name is identified by its header; the analyst sees where each file came from
    assert q(
        hled_home,
        "SELECT file_key, url, archive_member, fetch_status FROM meta.source_files "
        "WHERE file_key = 'dot2_0120'",
    ) == [
        (
            "dot2_0120",
            bts.url(zip_url(2020, "Jan-2020.zip")),
            "Jan-2020/TransBorder_2_0120 (1).csv",
            "downloaded",
        )
    ]

    # the listed ZIP that is not there is a gap, said in the summary and in marts.coverage; 2017 is
    # before HLED_TRANSBORDER_FROM and never requested
    assert any(MISSING in n and "HTTP 404" in n for n in summary.notices)
    requested = {r.path for r in bts.requests}
    assert zip_url(2017, "2017.zip") not in requested and MISSING in requested
    # the CDN let every request through: named, with a Referer, paced; the two challenge pages
    # were failed tries, kept in quarantine, and the ZIPs came on the next try
    assert bts.refusals() == 0
    assert all(r.headers.get("User-Agent", "").startswith("hled-border/") for r in bts.requests)
    starts = sorted(r.started_at for r in bts.requests)
    assert min(b - a for a, b in zip(starts, starts[1:], strict=False)) >= PACING
    quarantined = list((hled_home / "raw" / "transborder" / "quarantine").iterdir())
    assert len(quarantined) == 2 and all(b"<html" in p.read_bytes().lower() for p in quarantined)
    downloads = bts.downloads()
    assert len(downloads) == len(set(downloads)) == 11

    # with 2019 loaded, the scorecard has its trade baseline
    assert q(
        hled_home,
        "SELECT months_2019, value_2019 FROM marts.hled_scorecard WHERE indicator_id = 'trade_value'",
    ) == [(12, float(sum(4600 * k for k in range(1, 13))))]


def test_a_month_posted_later_arrives_the_next_night_alone(bts: BtsReplica, hled_home) -> None:
    refresh()
    before, asked_first = len(bts.downloads()), len(bts.requests)
    second = refresh()
    assert second.status == "unchanged"
    assert bts.downloads()[before:] == [], "nothing is downloaded twice"
    assert [r.path for r in bts.requests[asked_first:]] == ["/topics/transborder-raw-data", MISSING], (
        "only the page, and the listed ZIP that was not there yet, are asked again"
    )

    publish(
        bts, zip_url(2020, "april-2020-final.zip"), members(2020, 4, "April 2020", scale=16), stamp(2020, 4)
    )
    third = refresh()
    assert third.status == "published"
    assert bts.downloads()[before:] == [zip_url(2020, "april-2020-final.zip")]
    assert third.parsed == {"transborder": 3}
    assert "transborder all tables 2020-03" in third.coverage_gaps
    assert q(
        hled_home,
        "SELECT month, present FROM marts.coverage WHERE trade_table = 'dot1' AND month >= '2020-02-01'",
    ) == [
        (date(2020, 2, 1), True),
        (date(2020, 3, 1), False),
        (date(2020, 4, 1), True),
    ]


def test_the_crossings_csv_is_downloaded_only_when_socrata_says_the_rows_changed(
    prefect_server, hled_home, monkeypatch
) -> None:
    good = (FIXTURES / "crossings_current.csv").read_bytes()
    with serve_socrata() as socrata:
        socrata.set_csv(good, 1_700_000_000)
        monkeypatch.setenv("HLED_URL_BTS_CROSSINGS", socrata.csv_url)
        monkeypatch.setenv("HLED_MAX_REJECT_SHARE", "0.15")  # the fixture has one conflicting duplicate
        monkeypatch.setenv("HLED_CHARTS", "0")
        assert refresh().status == "published"
        assert len(socrata.downloads()) == 1

        second = refresh()
        assert (second.status, second.fetches) == ("unchanged", {"bts_crossings": "upstream_unchanged"})
        assert len(socrata.downloads()) == 1, "rowsUpdatedAt unchanged: the CSV is not downloaded"

        revised = good.replace(b"Feb 2020,Trucks,99,", b"Feb 2020,Trucks,140,")
        assert revised != good
        socrata.set_csv(revised, 1_700_086_400)
        assert refresh().status == "published"
        assert len(socrata.downloads()) == 2
        assert q(
            hled_home,
            "SELECT value FROM core.fact_crossings WHERE port_code = '2304' AND month = '2020-02-01' "
            "AND measure = 'trucks'",
        ) == [(140,)]

        socrata.metadata_status = 500
        fourth = refresh()
        assert len(socrata.downloads()) == 3, "metadata unreadable: the CSV is downloaded to compare"
        assert (fourth.status, fourth.fetches) == ("unchanged", {"bts_crossings": "unchanged"})
    assert {r.path for r in socrata.requests} == {
        "/api/views/keg4-3bc2.json",
        "/api/views/keg4-3bc2/rows.csv?accessType=DOWNLOAD",
    }
