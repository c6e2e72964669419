"""Which TransBorder ZIPs exist: the links of BTS's index page (every `.zip` under `transborder-raw/`,
whatever its name), else the project's table of known URLs, or a fixed list the user gives
(`HLED_TRANSBORDER_MANIFEST`). Only URLs here: a ZIP's months are read from its members later."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from flows.errors import SourceError

KNOWN_ZIPS = Path(__file__).with_name("transborder_known_zips.csv")
_YEAR_FOLDER = re.compile(r"^(?:19|20)\d\d$")


@dataclass(frozen=True)
class Listing:
    """The ZIP URLs to consider and where the list came from: page, known (fallback) or manifest."""

    urls: tuple[str, ...]
    origin: str
    note: str = ""


class _Links(HTMLParser):
    """Collects the href of every <a> element, in page order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [value for name, value in attrs if name == "href" and value]


def is_transborder_zip(url: str) -> bool:
    """True for a `.zip` under a `transborder-raw/` folder (BTS's file area for these data)."""
    path = unquote(urlsplit(url).path)
    return path.lower().endswith(".zip") and "/transborder-raw/" in path.lower()


def index_links(html: str, page_url: str) -> list[str]:
    """Every TransBorder ZIP linked from the page, resolved against `page_url`, once each, page order."""
    parser = _Links()
    parser.feed(html)
    parser.close()
    seen: dict[str, None] = {}
    for href in parser.hrefs:
        url = urljoin(page_url, href.strip()).split("#", 1)[0]
        if urlsplit(url).scheme in ("http", "https") and is_transborder_zip(url):
            seen.setdefault(url, None)
    return list(seen)


def folder_year(url: str) -> int | None:
    """The `{YYYY}` folder a ZIP sits in (`transborder-raw/2021/x.zip`): a hint used only to skip
    downloading years before the first month wanted, never to decide a ZIP's months."""
    parent = PurePosixPath(unquote(urlsplit(url).path)).parent.name
    return int(parent) if _YEAR_FOLDER.match(parent) else None


def in_range(url: str, first: date) -> bool:
    """Worth fetching for months from `first` on: its year folder is not before `first`'s year."""
    year = folder_year(url)
    return year is None or year >= first.year


def known_zips(path: Path = KNOWN_ZIPS) -> list[str]:
    """The project's table of ZIP URLs public sources give (from shared/data/reference), in order."""
    with path.open(newline="") as fh:
        return [row["url"] for row in csv.DictReader(fh)]


def read_manifest(path: Path) -> list[tuple[int, int, str]]:
    """(year, month, url) rows of a user's manifest CSV with header year,month,url. A URL may stand on
    several rows (one ZIP holding several months); the months it really holds come from its members."""
    rows: list[tuple[int, int, str]] = []
    with path.open(newline="") as fh:
        for number, row in enumerate(csv.DictReader(fh), start=2):
            try:
                year, month, url = int(row["year"]), int(row["month"]), row["url"].strip()
            except (KeyError, TypeError, ValueError, AttributeError):
                raise SourceError(
                    f"{path}: line {number} is not year,month,url (rule: manifest_row)"
                ) from None
            if not 1 <= month <= 12 or not url:
                raise SourceError(
                    f"{path}: line {number} has month {month} / url {url!r} (rule: manifest_row)"
                )
            if any((year, month) == (y, m) for y, m, _ in rows):
                raise SourceError(
                    f"{path}: line {number} repeats {year}-{month:02d} (rule: manifest_unique_month)"
                )
            rows.append((year, month, url))
    return rows


def manifest_listing(path: Path, first: date) -> Listing:
    """A user's fixed list: its URLs for months from `first` on, each once."""
    urls = dict.fromkeys(url for year, month, url in read_manifest(path) if date(year, month, 1) >= first)
    return Listing(tuple(urls), "manifest", f"the fixed list HLED_TRANSBORDER_MANIFEST={path}")


def page_listing(html: str, page_url: str, first: date) -> Listing:
    """The index page's ZIP links in range; a page that links none is not the page we know."""
    links = index_links(html, page_url)
    if not links:
        raise SourceError(
            f"transborder: the index page {page_url} links no .zip under transborder-raw/ "
            "(rule: index_has_zips); BTS may have moved the files"
        )
    return Listing(tuple(u for u in links if in_range(u, first)), "page", f"the index page {page_url}")


def known_listing(first: date, why: str, page_url: str) -> Listing:
    """The fallback when the page cannot be read: the project's own table of known URLs, on the index
    page's host (the same as the table's unless HLED_URL_TRANSBORDER points elsewhere, e.g. a proxy)."""
    urls = tuple(urljoin(page_url, urlsplit(u).path) for u in known_zips() if in_range(u, first))
    return Listing(
        urls,
        "known",
        f"the index page could not be read ({why}); used the project's table of {len(urls)} known ZIP "
        f"URLs ({KNOWN_ZIPS.name}): months BTS posted after that table was written are not found",
    )
