"""Reading TransBorder ZIPs as BTS makes them (flows/ingest/transborder_zips.py) and finding their links on
the index page (flows/ingest/transborder_index.py), without a flow: real ZIPs and HTML built here."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from flows.ingest.fetch import Fetched, file_sha256
from flows.ingest.transborder_index import folder_year, index_links, known_listing
from flows.ingest.transborder_zips import IDENTICAL, NEWER, choose, month_files
from tests.replica import mac_junk, members, month_csv, monthly_zip


def fetched_zip(path: Path, data: bytes, url: str) -> Fetched:
    path.write_bytes(data)
    sha = file_sha256(path)
    return Fetched("transborder", url, url, str(path), sha, len(data), "downloaded", True, None, None, "x")


def test_members_are_told_by_header_and_rows_not_by_name(tmp_path: Path) -> None:
    content = members(2021, 3, "March 2021", scale=3)
    content["March 2021/TransBorder_2_0321 (1).csv"] = content.pop("March 2021/dot2_0321.csv")
    content["March 2021/dot3_0421.csv"] = content.pop("March 2021/dot3_0321.csv")  # misnamed: rows say March
    content |= {
        "March 2021/dot1_ytd_0321.csv": month_csv(1, 2021, 3),
        "March 2021/dot1_2021.csv": b"TRDTYPE\r\n",
        "March 2021/readme.csv": b"a,b\r\n1,2\r\n",
    } | mac_junk("March 2021", ["dot1_0321.csv"])
    archive = fetched_zip(tmp_path / "a.zip", monthly_zip(content), "https://x/transborder-raw/2021/mar.zip")
    found = month_files(archive, tmp_path / "extracted", "transborder")
    assert sorted((f.key, f.member) for f in found) == [
        ("dot1_0321", "March 2021/dot1_0321.csv"),
        ("dot2_0321", "March 2021/TransBorder_2_0321 (1).csv"),
        ("dot3_0321", "March 2021/dot3_0421.csv"),
    ]
    assert {f.month for f in found} == {date(2021, 3, 1)}

    # read once: the next run takes what was read, even with the ZIP gone
    Path(archive.path).unlink()
    again = month_files(archive, tmp_path / "extracted", "transborder")
    assert [(f.key, f.sha256, f.path) for f in again] == [(f.key, f.sha256, f.path) for f in found]


def test_a_month_in_two_zips_identical_once_different_the_newer(tmp_path: Path) -> None:
    old = fetched_zip(
        tmp_path / "old.zip",
        monthly_zip(members(2021, 7, "July2021"), stamp=(2021, 9, 1, 0, 0, 0)),
        "https://x/transborder-raw/2021/July2021.zip",
    )
    both = members(2021, 7, "Jul", freight_bump=1) | members(2021, 8, "Aug")
    new = fetched_zip(
        tmp_path / "new.zip", monthly_zip(both, stamp=(2022, 2, 1, 0, 0, 0)), "https://x/July-to-Dec-2021.zip"
    )
    files = month_files(old, tmp_path / "e", "transborder") + month_files(new, tmp_path / "e", "transborder")
    kept, choices = choose(files)
    assert sorted(f.key for f in kept) == [f"dot{t}_{m}21" for t in (1, 2, 3) for m in ("07", "08")]
    assert all(f.archive.url == new.url for f in kept)
    assert {(c.file_key, c.decision) for c in choices} == {
        ("dot1_0721", NEWER),
        ("dot2_0721", IDENTICAL),
        ("dot3_0721", IDENTICAL),
    }
    assert {c.kept.published for c in choices} == {datetime(2022, 2, 1)}


def test_index_links_take_every_transborder_zip_whatever_its_name() -> None:
    page = """<html><body><ul>
      <li><a href="/sites/bts.dot.gov/files/transborder-raw/2024/september2024.zip">September</a></li>
      <li><a href='https://www.bts.gov/sites/bts.dot.gov/files/transborder-raw/2021/July-to-Dec-2021.zip'>x</a></li>
      <li>Jan: <a href="/sites/bts.dot.gov/files/transborder-raw/2018/Jan.2018.ZIP#top">ZIP (9 MB)</a></li>
      <li><a href="/sites/bts.dot.gov/files/transborder-raw/2024/september2024.zip">again</a></li>
      <li><a href="/sites/bts.dot.gov/files/docs/legacy/other.zip">legacy</a></li>
      <li><a href="/sites/bts.dot.gov/files/transborder-raw/codes.pdf">codes</a></li>
      <li><a href="mailto:transborder@dot.gov">mail</a></li>
    </ul></body></html>"""
    links = index_links(page, "https://www.bts.gov/topics/transborder-raw-data")
    assert links == [
        "https://www.bts.gov/sites/bts.dot.gov/files/transborder-raw/2024/september2024.zip",
        "https://www.bts.gov/sites/bts.dot.gov/files/transborder-raw/2021/July-to-Dec-2021.zip",
        "https://www.bts.gov/sites/bts.dot.gov/files/transborder-raw/2018/Jan.2018.ZIP",
    ]
    assert [folder_year(u) for u in links] == [2024, 2021, 2018]


def test_the_known_urls_start_in_2018_and_follow_the_page_host() -> None:
    listing = known_listing(date(2019, 1, 1), "HTTP 403", "http://127.0.0.1:9/topics/transborder-raw-data")
    assert listing.origin == "known" and "HTTP 403" in listing.note
    assert (
        listing.urls[0]
        == "http://127.0.0.1:9/sites/bts.dot.gov/files/transborder-raw/2019/January2019TransBorderRawData.zip"
    )
    assert all(folder_year(u) >= 2019 for u in listing.urls)
    assert sum(u.endswith("/2021/July-to-Dec-2021.zip") for u in listing.urls) == 1
