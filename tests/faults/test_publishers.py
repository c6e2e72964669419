"""bts.gov as it behaves (tests/replica.py): a CDN that refuses a file or everything, a challenge page
in place of a ZIP, a listed month that is not there, a month in two ZIPs, and a person's way in (the
inbox). Each through `hled refresh` on a warehouse published from the index page first."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from tests.conftest import sha256
from tests.faults.conftest import Home, hled_refresh, query
from tests.faults.matrix import BY_ID
from tests.replica import RAW_PREFIX, BtsReplica, members, monthly_zip, serve_bts

NAMES = {  # the real names of these months' ZIPs, as in the project's table of known URLs
    1: "January2020TransBorderRawData.zip",
    2: "February2020TransBorderRawData.zip",
    3: "March2020TransBorderRawData.zip",
    4: "April2020TransBorderRawData.zip",
}


def path(month: int) -> str:
    return f"{RAW_PREFIX}2020/{NAMES[month]}"


def month_archive(month: int, **kwargs: int) -> bytes:
    """A whole hand-made month (three tables) as BTS zips it, made two months later."""
    return monthly_zip(
        members(2020, month, f"{NAMES[month][:-4]}", **kwargs), stamp=(2020, month + 2, 15, 9, 0, 0)
    )


def post(bts: BtsReplica, month: int, data: bytes) -> None:
    bts.publish(path(month), data, datetime(2020, month + 2, 15, tzinfo=UTC))


@pytest.fixture
def bts_home(prefect_server, publisher, hled_home, monkeypatch) -> Iterator[tuple[Home, BtsReplica]]:
    """January and February 2020 found on the replica's index page and published."""
    with serve_bts() as bts:
        for month in (1, 2):
            post(bts, month, month_archive(month, scale=month))
        for key, value in {
            "HLED_URL_TRANSBORDER": bts.index_url,
            "HLED_SOURCES": "transborder",
            "HLED_CHARTS": "0",
        }.items():
            monkeypatch.setenv(key, value)
        home = Home(hled_home, publisher)
        home.publish_baseline()
        yield home, bts


def months(home: Home) -> list[str]:
    return [
        m
        for (m,) in query(
            home.warehouse, "SELECT DISTINCT strftime(month, '%Y-%m') FROM core.fact_trade_port ORDER BY 1"
        )
    ]


def test_a_new_zip_the_cdn_refuses_stops_the_run_and_names_the_inbox(bts_home) -> None:
    home, bts = bts_home
    post(bts, 3, month_archive(3))
    bts.refused.add(path(3))
    outcome = hled_refresh()
    inbox = home.path / "inbox" / "transborder"
    home.check(BY_ID["cdn_blocks_new_zip"], outcome, "HTTP 403", NAMES[3], str(inbox))
    assert len([r for r in bts.requests if r.path == path(3)]) == 4, "tried 1 + 3 times, then left"


def test_a_cdn_refusing_everything_falls_back_to_the_known_urls_and_says_so(bts_home) -> None:
    home, bts = bts_home
    bts.refuse_all = True
    before = len(bts.requests)
    outcome = hled_refresh()
    case = BY_ID["cdn_refuses_everything"]
    assert outcome.exit == case.exit, outcome.stderr[-2000:]
    assert "refresh unchanged" in outcome.stdout
    assert "notice:" in outcome.stdout and "known ZIP URLs" in outcome.stdout
    assert "inbox/transborder" in outcome.stdout
    assert sha256(home.warehouse) == home.before
    assert home.last_run()["status"] == "unchanged"
    # the two held ZIPs are in the known table: not asked; of the rest only the first, then the host is left
    zips = {r.path for r in bts.requests[before:] if r.path.endswith(".zip")}
    assert len(zips) == 1 and not zips & {path(1), path(2)}


def test_zips_dropped_in_the_inbox_are_taken_like_downloads(bts_home) -> None:
    home, bts = bts_home
    bts.refuse_all = True
    inbox = home.path / "inbox" / "transborder"
    inbox.mkdir(parents=True)
    (inbox / NAMES[3]).write_bytes(month_archive(3, scale=3))
    before = len(bts.requests)
    outcome = hled_refresh()
    home.check(BY_ID["inbox_drop"], outcome)
    assert months(home) == ["2020-01", "2020-02", "2020-03"]
    assert query(
        home.warehouse,
        "SELECT DISTINCT url, fetch_status FROM meta.source_files WHERE file_key LIKE '%_0320'",
    ) == [(str(inbox / NAMES[3]), "inbox")]
    assert query(
        home.warehouse, "SELECT sum(value_usd) FROM core.fact_trade_port WHERE month = '2020-03-01'"
    ) == [(6600 * 3,)]
    assert path(3) not in {r.path for r in bts.requests[before:]}, "a ZIP in the inbox is not downloaded"
    assert (inbox / NAMES[3]).exists(), "the inbox copy stays where the person put it"


def test_a_challenge_page_is_a_failed_try_and_kept(bts_home) -> None:
    home, bts = bts_home
    post(bts, 3, month_archive(3))
    bts.challenge.add(path(3))
    outcome = hled_refresh()
    home.check(BY_ID["challenge_page"], outcome)
    assert months(home) == ["2020-01", "2020-02", "2020-03"]
    kept = list((home.path / "raw" / "transborder" / "quarantine").iterdir())
    assert len(kept) == 1 and b"<html" in kept[0].read_bytes().lower()


def test_a_listed_month_that_is_not_there_is_a_coverage_gap(bts_home) -> None:
    home, bts = bts_home
    post(bts, 3, month_archive(3))
    bts.broken.add(path(3))
    post(bts, 4, month_archive(4))
    outcome = hled_refresh()
    home.check(BY_ID["month_missing"], outcome)
    assert f"{NAMES[3]} is not there (HTTP 404)" in outcome.stdout
    assert "transborder all tables 2020-03" in outcome.stdout
    assert months(home) == ["2020-01", "2020-02", "2020-04"]
    assert query(
        home.warehouse,
        "SELECT strftime(month, '%Y-%m'), count(*) FILTER (WHERE present) FROM marts.coverage "
        "WHERE month >= '2020-03-01' GROUP BY 1 ORDER BY 1",
    ) == [("2020-03", 0), ("2020-04", 3)]


def test_a_month_in_two_zips_is_loaded_from_the_newer(bts_home) -> None:
    home, bts = bts_home
    both = members(2020, 2, "Feb2020", scale=2, freight_bump=7) | members(2020, 3, "Mar2020", scale=3)
    bts.publish(
        f"{RAW_PREFIX}2020/Feb-Mar-2020-revised.zip",
        monthly_zip(both, stamp=(2020, 6, 1, 9, 0, 0)),
        datetime(2020, 6, 1, tzinfo=UTC),
    )
    outcome = hled_refresh()
    home.check(BY_ID["month_in_two_zips"], outcome)
    assert months(home) == ["2020-01", "2020-02", "2020-03"]
    assert query(home.warehouse, "SELECT file_key, decision FROM meta.file_choices ORDER BY file_key") == [
        ("dot1_0220", "different content: the newer publication wins"),
        ("dot2_0220", "identical content: loaded once"),
        ("dot3_0220", "identical content: loaded once"),
    ]
    # February's freight is the revised ZIP's: +7 on each of the four dot1 rows
    assert query(
        home.warehouse, "SELECT sum(freight_usd) FROM core.fact_trade_port WHERE month = '2020-02-01'"
    ) == [(66 * 2 + 4 * 7,)]
