"""The BTS replicas behave like the real servers described in PUBLISHERS.md sections 1 and 2."""

from __future__ import annotations

import io
import re
import time
import zipfile
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from tests.conftest import SHARED_DATA, requires_shared
from tests.replica import (
    CROSSING_COLUMNS,
    INDEX_PATH,
    mac_junk,
    monthly_zip,
    publish_all,
    serve_bts,
    serve_socrata,
    staged_transborder_zips,
)

POLITE = {"User-Agent": "hled-border-pipeline/0.1 (+https://example.org)", "Referer": "https://www.bts.gov/"}
RAW = "/sites/bts.dot.gov/files/transborder-raw"
PUBLISHED = datetime(2024, 11, 27, 15, 4, 5, tzinfo=UTC)
DOT1_HEADER = (
    b"TRDTYPE,USASTATE,DEPE,DISAGMOT,MEXSTATE,CANPROV,COUNTRY,VALUE,SHIPWT,FREIGHT_CHARGES,DF,CONTCODE"
)


def small_zip(tag: str) -> bytes:
    """A tiny monthly ZIP whose member text names `tag`, so every ZIP has distinct bytes."""
    return monthly_zip({f"{tag}/dot1_0924.csv": DOT1_HEADER + f",MONTH,YEAR\r\n{tag}\r\n".encode()})


class Links(HTMLParser):
    """Collects every <a href> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def page_links(text: str) -> list[str]:
    """Every href of the page, parsed with html.parser (no regex)."""
    parser = Links()
    parser.feed(text)
    return parser.hrefs


def raw_zip_urls(base_url: str, hrefs: list[str]) -> set[str]:
    """The hrefs that are TransBorder raw ZIPs on the page's own host, as absolute URLs."""
    host = urlsplit(base_url).netloc
    urls = {urljoin(base_url, href) for href in hrefs}
    pattern = re.compile(r"/sites/bts\.dot\.gov/files/transborder-raw/\d{4}/[^/]+\.zip", re.IGNORECASE)
    return {u for u in urls if urlsplit(u).netloc == host and pattern.fullmatch(urlsplit(u).path)}


# --------------------------------------------------------------------------- CDN rules


def test_polite_request_gets_the_zip_with_its_validators():
    data = small_zip("September2024")
    path = f"{RAW}/2024/september2024.zip"
    with serve_bts() as bts:
        bts.publish(path, data, PUBLISHED)
        answer = httpx.get(bts.url(path), headers=POLITE)
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "application/zip"
        assert answer.content == data
        assert int(answer.headers["content-length"]) == len(data)
        assert re.fullmatch(r'"[0-9a-f]{64}"', answer.headers["etag"])
        assert parsedate_to_datetime(answer.headers["last-modified"]) == PUBLISHED.replace(microsecond=0)
        assert bts.downloads() == [path]
        assert bts.refusals() == 0


def test_no_referer_is_refused_with_an_akamai_page():
    path = f"{RAW}/2024/september2024.zip"
    with serve_bts() as bts:
        bts.publish(path, small_zip("x"), PUBLISHED)
        answer = httpx.get(bts.url(path), headers={"User-Agent": POLITE["User-Agent"]})
        assert answer.status_code == 403
        assert answer.headers["content-type"] == "text/html"
        assert answer.headers["server"] == "AkamaiGHost"
        assert "<H1>Access Denied</H1>" in answer.text
        assert "errors&#46;edgesuite&#46;net" in answer.text
        assert not answer.content.startswith(b"PK")
        assert bts.refusals() == 1
        assert bts.downloads() == []
        assert bts.requests[0].status == 403 and "Referer" not in bts.requests[0].headers


def test_default_client_user_agents_and_a_missing_one_are_refused():
    with serve_bts() as bts:
        # httpx's own User-Agent (python-httpx/0.28.x)
        assert httpx.get(bts.index_url, headers={"Referer": POLITE["Referer"]}).status_code == 403
        for agent in ("python-requests/2.32.3", "Python-urllib/3.11", "curl/8.5.0", "Wget/1.21.4"):
            answer = httpx.get(bts.index_url, headers={"User-Agent": agent, "Referer": POLITE["Referer"]})
            assert answer.status_code == 403, agent
        with httpx.Client(headers={"Referer": POLITE["Referer"]}) as client:
            del client.headers["User-Agent"]
            assert client.get(bts.index_url).status_code == 403
        assert "User-Agent" not in bts.requests[-1].headers
        assert httpx.get(bts.index_url, headers=POLITE).status_code == 200
        assert bts.refusals() == 6
        assert bts.requests[0].headers["User-Agent"].startswith("python-httpx/")


def test_requests_closer_than_the_pacing_are_refused_failed_ones_included():
    pacing = 0.3
    with serve_bts(pacing=pacing) as bts, httpx.Client(headers=POLITE) as client:
        assert client.get(bts.index_url).status_code == 200
        assert client.get(bts.index_url).status_code == 403  # too soon after the first
        time.sleep(pacing + 0.05)
        assert client.get(bts.index_url).status_code == 200
        assert client.get(bts.index_url).status_code == 403
        time.sleep(pacing + 0.05)  # measured from the refused request, not the last success
        assert client.get(bts.index_url).status_code == 200
        statuses = [r.status for r in bts.requests]
        assert statuses == [200, 403, 200, 403, 200]
        gaps = [b.started_at - a.started_at for a, b in zip(bts.requests, bts.requests[1:], strict=False)]
        assert gaps[1] >= pacing and gaps[3] >= pacing
        assert bts.refusals() == 2


def test_challenge_page_first_then_the_zip():
    data = small_zip("Aug2023")
    path = f"{RAW}/2023/Aug2023.zip"
    with serve_bts() as bts, httpx.Client(headers=POLITE) as client:
        bts.publish(path, data, PUBLISHED)
        bts.challenge.add(path)
        first = client.get(bts.url(path))
        assert first.status_code == 200
        assert first.headers["content-type"].startswith("text/html")
        assert "<script" in first.text and not first.content.startswith(b"PK")
        second = client.get(bts.url(path))
        assert second.status_code == 200
        assert second.headers["content-type"] == "application/zip"
        assert second.content == data
        assert bts.downloads() == [path]
        assert [r.body for r in bts.requests] == ["challenge", "zip"]


def test_conditional_get_answers_304():
    data = small_zip("Feb2025")
    path = f"{RAW}/2025/Feb2025.zip"
    with serve_bts() as bts, httpx.Client(headers=POLITE) as client:
        bts.publish(path, data, PUBLISHED)
        etag = client.get(bts.url(path)).headers["etag"]
        same = client.get(bts.url(path), headers={"If-None-Match": etag})
        assert same.status_code == 304 and same.content == b""
        assert same.headers["etag"] == etag
        stale = client.get(bts.url(path), headers={"If-None-Match": '"0000"'})
        assert stale.status_code == 200 and stale.content == data
        last_modified = stale.headers["last-modified"]
        assert client.get(bts.url(path), headers={"If-Modified-Since": last_modified}).status_code == 304
        older = "Mon, 25 Nov 2024 00:00:00 GMT"
        assert client.get(bts.url(path), headers={"If-Modified-Since": older}).status_code == 200
        assert bts.downloads() == [path, path, path]
        bts.publish(path, small_zip("Feb2025 revised"), PUBLISHED)
        assert client.get(bts.url(path), headers={"If-None-Match": etag}).status_code == 200


def test_head_answers_headers_only():
    data = small_zip("January2025")
    path = f"{RAW}/2025/January2025.zip"
    with serve_bts() as bts, httpx.Client(headers=POLITE) as client:
        bts.publish(path, data, PUBLISHED)
        answer = client.head(bts.url(path))
        assert answer.status_code == 200
        assert answer.content == b""
        assert answer.headers["content-type"] == "application/zip"
        assert int(answer.headers["content-length"]) == len(data)
        assert answer.headers["etag"] == client.get(bts.url(path)).headers["etag"]
        assert answer.headers["last-modified"] == "Wed, 27 Nov 2024 15:04:05 GMT"
        assert bts.downloads() == [path]  # the GET only
        assert client.head(bts.url(f"{RAW}/2025/nothing.zip")).status_code == 404


def test_unknown_and_withdrawn_paths_are_404_html():
    path = f"{RAW}/2024/October2024.zip"
    with serve_bts() as bts, httpx.Client(headers=POLITE) as client:
        bts.publish(path, small_zip("Oct"), PUBLISHED)
        bts.withdraw(path)
        answer = client.get(bts.url(path))
        assert answer.status_code == 404
        assert answer.headers["content-type"].startswith("text/html")
        assert "Page not found" in answer.text
        assert path not in client.get(bts.index_url).text


# --------------------------------------------------------------------------- the index page


def test_page_lists_published_zips_with_mixed_link_forms():
    zips = {
        f"{RAW}/2024/Jan2024.zip": "relative",
        f"{RAW}/2024/Feb2024.zip": "relative",
        f"{RAW}/2024/september2024.zip": "absolute",
        f"{RAW}/2023/sept2023.zip": "relative",
        f"{RAW}/2019/December2019TransBorderRawData.ZIP": "relative",
        f"{RAW}/2022/Jan-2022.zip": "unlisted",
    }
    with serve_bts() as bts, httpx.Client(headers=POLITE) as client:
        for i, (path, link) in enumerate(zips.items()):
            bts.publish(path, small_zip(path), PUBLISHED.replace(day=1 + i), link=link)
        page = client.get(bts.index_url)
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert page.text.startswith("<!DOCTYPE html>")
        hrefs = page_links(page.text)
        listed = {bts.url(p) for p, link in zips.items() if link != "unlisted"}
        assert raw_zip_urls(bts.index_url, hrefs) == listed
        assert f'href="{bts.url(RAW)}/2024/september2024.zip"' in page.text
        assert any(h.startswith(f"{RAW}/") for h in hrefs)
        assert "href='/sites/bts.dot.gov/files/transborder-raw/" in page.text
        assert ".ZIP" in "".join(hrefs)
        assert re.search(r">ZIP \(\d+ KB\)</a>", page.text)
        assert "<h2" in page.text and ">2024</button>" in page.text
        # unrelated links the pipeline must leave alone
        assert any(h.endswith(".pdf") for h in hrefs)
        assert "/sites/bts.dot.gov/files/docs/legacy/other.zip" in hrefs
        assert any(h.startswith("mailto:") for h in hrefs)
        for url in sorted(listed):
            got = client.get(url)
            assert got.status_code == 200 and got.content == small_zip(urlsplit(url).path)
        hidden = client.get(bts.url(f"{RAW}/2022/Jan-2022.zip"))
        assert hidden.status_code == 200  # unlisted, yet served
        assert len(bts.downloads()) == len(listed) + 1


def test_page_failure_leaves_the_files_working():
    path = f"{RAW}/2024/July2024.zip"
    with serve_bts() as bts, httpx.Client(headers=POLITE) as client:
        bts.publish(path, small_zip("July2024"), PUBLISHED)
        bts.page_status = 503
        page = client.get(bts.index_url)
        assert page.status_code == 503 and "Service Unavailable" in page.text
        assert client.get(bts.url(path)).status_code == 200
        bts.page_status = 200
        assert client.get(bts.index_url).status_code == 200


def test_refuse_all_refuses_even_polite_clients():
    path = f"{RAW}/2024/July2024.zip"
    with serve_bts() as bts, httpx.Client(headers=POLITE) as client:
        bts.publish(path, small_zip("July2024"), PUBLISHED)
        bts.refuse_all = True
        assert client.get(bts.index_url).status_code == 403
        refused = client.get(bts.url(path))
        assert refused.status_code == 403 and "Access Denied" in refused.text
        assert client.head(bts.url(path)).status_code == 403
        assert bts.refusals() == 3 and bts.downloads() == []
        bts.refuse_all = False
        assert client.get(bts.url(path)).status_code == 200


# --------------------------------------------------------------------------- data.bts.gov


def test_socrata_metadata_carries_rows_updated_at():
    with serve_socrata() as socrata:
        socrata.set_csv(b"Port Name,State\r\n", 1767225600)
        meta = httpx.get(socrata.metadata_url).json()
        assert meta["id"] == "keg4-3bc2"
        assert meta["name"] == "Border Crossing Entry Data"
        assert meta["rowsUpdatedAt"] == 1767225600
        assert meta["viewLastModified"] >= meta["rowsUpdatedAt"] > meta["createdAt"]
        assert [c["name"] for c in meta["columns"]] == list(CROSSING_COLUMNS)
        socrata.metadata_status = 500
        broken = httpx.get(socrata.metadata_url)
        assert broken.status_code == 500 and broken.json()["error"] is True


def test_socrata_csv_has_no_validators_by_default():
    with serve_socrata() as socrata:
        assert socrata.csv_url.endswith("/api/views/keg4-3bc2/rows.csv?accessType=DOWNLOAD")
        answer = httpx.get(socrata.csv_url)  # no CDN: the default User-Agent is fine here
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/csv")
        assert answer.content.startswith(b"Port Name,State,Port Code,Border,Date,Measure,Value,")
        assert "etag" not in answer.headers and "last-modified" not in answer.headers
        etag_less = httpx.get(socrata.csv_url, headers={"If-None-Match": '"anything"'})
        assert etag_less.status_code == 200
        assert socrata.downloads() == [urlsplit(socrata.csv_url).path + "?accessType=DOWNLOAD"] * 2


def test_socrata_csv_validators_when_switched_on():
    with serve_socrata() as socrata:
        socrata.send_validators = True
        socrata.set_csv(b"Port Name,State\r\nLaredo,Texas\r\n", 1767225600)
        answer = httpx.get(socrata.csv_url)
        assert answer.content == b"Port Name,State\r\nLaredo,Texas\r\n"
        assert parsedate_to_datetime(answer.headers["last-modified"]).timestamp() == 1767225600
        again = httpx.get(socrata.csv_url, headers={"If-None-Match": answer.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        socrata.set_csv(b"Port Name,State\r\nLaredo,Texas\r\nNogales,Arizona\r\n", 1767312000)
        assert (
            httpx.get(socrata.csv_url, headers={"If-None-Match": answer.headers["etag"]}).status_code == 200
        )
        assert len(socrata.downloads()) == 2


# --------------------------------------------------------------------------- ZIP builders


def test_monthly_zip_keeps_names_and_mac_junk_is_binary():
    members = {"Jan. 2018/": b"", "Jan. 2018/dot1_0118.csv": DOT1_HEADER + b",MONTH,YEAR\r\n"}
    members |= mac_junk("Jan. 2018", ["dot1_0118.csv"])
    data = monthly_zip(members)
    assert data == monthly_zip(members)  # same input, same bytes (stable ETag)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == [
            "Jan. 2018/",
            "Jan. 2018/dot1_0118.csv",
            "__MACOSX/Jan. 2018/._dot1_0118.csv",
            "Jan. 2018/.DS_Store",
        ]
        assert archive.getinfo("Jan. 2018/").is_dir()
        assert archive.getinfo("Jan. 2018/dot1_0118.csv").compress_type == zipfile.ZIP_DEFLATED
        fork = archive.read("__MACOSX/Jan. 2018/._dot1_0118.csv")
        assert fork.startswith(b"\x00\x05\x16\x07")
        with pytest.raises(UnicodeDecodeError):
            fork.decode("utf-8")
        with pytest.raises(UnicodeDecodeError):
            archive.read("Jan. 2018/.DS_Store").decode("utf-8")
    assert set(mac_junk("", ["dot1_0720.csv"])) == {"__MACOSX/._dot1_0720.csv", ".DS_Store"}


def member_months(archive: zipfile.ZipFile) -> set[tuple[int, int]]:
    """(year, month) of every monthly dot member, read from its first data row (MONTH, YEAR last)."""
    months = set()
    for name in archive.namelist():
        if name.startswith("__MACOSX/") or not name.lower().endswith(".csv"):
            continue
        with archive.open(name) as handle:
            header = handle.readline().decode().strip().split(",")
            row = handle.readline().decode().strip().split(",")
        if header[-2:] == ["MONTH", "YEAR"]:
            months.add((int(row[-1]), int(row[-2])))
    return months


@pytest.mark.slow
@requires_shared
def test_staged_zips_have_the_real_shapes(tmp_path):
    started = time.perf_counter()
    zips = staged_transborder_zips(SHARED_DATA, tmp_path)
    assert time.perf_counter() - started < 60
    by_name = {z.url_path.rsplit("/", 1)[-1]: z for z in zips}
    assert len(zips) == 50
    months = sorted(m for z in zips for m in z.months)
    assert months[0] == (2020, 1) and months[-1] == (2024, 9)
    assert not {(2020, 10), (2020, 11), (2020, 12), (2024, 10)} & set(months)
    assert {m for m in months if months.count(m) > 1} == {(2021, 7)}

    span = by_name["July-to-Dec-2021.zip"]
    assert span.months == [(2021, m) for m in range(7, 13)]
    with (
        zipfile.ZipFile(span.path) as archive,
        zipfile.ZipFile(by_name["July2021TransBorderRawData.zip"].path) as july,
    ):
        assert archive.testzip() is None
        assert member_months(archive) == {(2021, m) for m in range(7, 13)}
        assert {"dot1_2021.csv", "dot3_2021.csv"} <= set(archive.namelist())
        july_members = [n for n in july.namelist() if not n.endswith("/")]
        assert july_members == ["July2021/dot1_0721.csv", "July2021/dot2_0721.csv", "July2021/dot3_0721.csv"]
        assert all(july.read(n) == archive.read(n) for n in july_members)
        assert july.read(july_members[0]).endswith(b"\r\n")

    with zipfile.ZipFile(by_name["March2024.zip"].path) as archive:
        assert archive.namelist() == ["March2024/dot1_0324.csv", "March2024/dot2_0324.csv"]
    with zipfile.ZipFile(by_name["May2022.zip"].path) as archive:
        odd = archive.read("TransBorder_2_0522 (1).csv")
        assert odd.startswith(b"TRDTYPE,USASTATE,COMMODITY2,")
    with zipfile.ZipFile(by_name["March2021TransBorderRawData.zip"].path) as archive:
        assert "March2021/DOT2_0321.CSV" in archive.namelist()
    with zipfile.ZipFile(by_name["January2020TransBorderRawData.zip"].path) as archive:
        names = archive.namelist()
        assert "January2020/dot1_ytd_0120.csv" in names
        assert archive.read("January2020/dot1_ytd_0120.csv") == archive.read("January2020/dot1_0120.csv")
        assert archive.read("__MACOSX/January2020/._dot1_0120.csv").startswith(b"\x00\x05\x16\x07")
    with zipfile.ZipFile(by_name["July2020TransBorderRawData.zip"].path) as archive:
        assert "__MACOSX/._dot1_0720.csv" in archive.namelist()
    with zipfile.ZipFile(by_name["Feb2023.zip"].path) as archive:
        assert "Feb2023/Feb2023/dot1_0223.csv" in archive.namelist()
    with zipfile.ZipFile(by_name["December2022.zip"].path) as archive:
        assert {"dot1_2022.csv", "dot3_2022.csv"} <= set(archive.namelist())
    assert not any("ytd" in n for n in by_name["Feb2024.zip"].members)
    assert by_name["sept2023.zip"].published == datetime(2023, 11, 28, 14, 30, tzinfo=UTC)

    mtimes = {z.path: z.path.stat().st_mtime_ns for z in zips}
    started = time.perf_counter()
    again = staged_transborder_zips(SHARED_DATA, tmp_path)
    assert time.perf_counter() - started < 2
    assert {z.path: z.path.stat().st_mtime_ns for z in again} == mtimes

    with serve_bts() as bts, httpx.Client(headers=POLITE) as client:
        publish_all(bts, zips)
        hrefs = page_links(client.get(bts.index_url).text)
        assert raw_zip_urls(bts.index_url, hrefs) == {bts.url(z.url_path) for z in zips}
        assert sum(h.startswith(bts.base) for h in hrefs) == 10
        got = client.get(bts.url(span.url_path))
        assert got.content == span.path.read_bytes()
        assert INDEX_PATH in bts.requests[0].path
