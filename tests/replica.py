"""Local replicas of the two BTS servers (www.bts.gov behind Akamai, and data.bts.gov) for the tests.

They behave as PUBLISHERS.md sections 1 and 2 describe the real ones: the CDN refuses scripted clients
(403 without a User-Agent or Referer, or faster than the pacing), answers a JavaScript challenge page with
status 200 instead of a ZIP, and serves the ZIPs with validators; the Socrata portal serves view metadata
and the CSV export. The ZIP builders rebuild the staged TransBorder CSVs into ZIPs of the real shapes.
"""

from __future__ import annotations

import calendar
import csv
import gzip
import hashlib
import html
import io
import json
import os
import re
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar, Literal
from urllib.parse import unquote, urlsplit

HAND_MADE = Path(__file__).resolve().parent / "fixtures" / "transborder" / "2020"
AMOUNTS = ("VALUE", "SHIPWT", "FREIGHT_CHARGES")
INDEX_PATH = "/topics/transborder-raw-data"
RAW_PREFIX = "/sites/bts.dot.gov/files/transborder-raw/"
DEFAULT_CLIENT_AGENTS = ("python-httpx/", "python-requests/", "Python-urllib/", "curl/", "Wget/")
VIEW_ID = "keg4-3bc2"
CROSSING_COLUMNS = (
    "Port Name",
    "State",
    "Port Code",
    "Border",
    "Date",
    "Measure",
    "Value",
    "Latitude",
    "Longitude",
    "Point",
)
# three real rows of the current export (shared/data/bts_border_crossing), LF line ends like that file
SAMPLE_CROSSINGS_CSV = (
    b"Port Name,State,Port Code,Border,Date,Measure,Value,Latitude,Longitude,Point\n"
    b"Laredo,Texas,2304,US-Mexico Border,Jan 2024,Personal Vehicles,425998,27.500,-99.507,"
    b"POINT (-99.507412 27.499561)\n"
    b"Jackman,Maine,0104,US-Canada Border,Jan 2024,Trucks,6556,45.806,-70.397,"
    b"POINT (-70.396722 45.805661)\n"
    b"San Luis,Arizona,2608,US-Mexico Border,Apr 2024,Buses,10,32.485,-114.782,"
    b"POINT (-114.7822222 32.485)\n"
)
SAMPLE_ROWS_UPDATED_AT = 1743782400  # 2025-04-04, about when Feb 2025 rows were loaded
LinkStyle = Literal["relative", "absolute", "unlisted"]
MONTH_NAMES = tuple(calendar.month_name[1:])


# --------------------------------------------------------------------------- request log


@dataclass
class RequestRecord:
    """One request as the replica saw it; `body` names what was sent (zip, page, challenge, denied...)."""

    method: str
    path: str
    headers: dict[str, str]
    status: int
    started_at: float
    body: str = ""


class RequestLog:
    """Mixin giving a replica its request log and the counters tests assert on."""

    requests: list[RequestRecord]
    payload_kind: ClassVar[str] = "zip"

    def downloads(self) -> list[str]:
        """Paths answered 200 to a GET with a full payload body (ZIP or CSV), in order."""
        return [
            r.path
            for r in list(self.requests)
            if r.method == "GET" and r.status == 200 and r.body == self.payload_kind
        ]

    def refusals(self) -> int:
        """How many requests were answered 403."""
        return sum(1 for r in list(self.requests) if r.status == 403)


# --------------------------------------------------------------------------- HTTP helpers


def http_date(moment: datetime) -> str:
    """An HTTP date (RFC 9110 IMF-fixdate) for `moment`, as Last-Modified carries it."""
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)


def quoted_etag(data: bytes) -> str:
    """A strong, quoted ETag from the sha256 of `data`."""
    return '"' + hashlib.sha256(data).hexdigest() + '"'


def etag_matches(header: str, etag: str) -> bool:
    """Whether an If-None-Match header names `etag` (weak comparison, as for GET and HEAD)."""
    if header.strip() == "*":
        return True
    tags = (tag.strip().removeprefix("W/") for tag in header.split(","))
    return etag.removeprefix("W/") in tags


def not_modified(headers: Message, etag: str | None, modified: datetime | None) -> bool:
    """RFC 9110 precedence: If-None-Match decides when present, else If-Modified-Since."""
    inm = headers.get("If-None-Match")
    if inm is not None:
        return etag is not None and etag_matches(inm, etag)
    ims = headers.get("If-Modified-Since")
    if ims is None or modified is None:
        return False
    try:
        since = parsedate_to_datetime(ims)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return since >= modified.replace(microsecond=0)


@dataclass
class Answer:
    """A response to send: status, headers, body bytes or a file to stream, and its kind for the log."""

    status: int
    headers: dict[str, str]
    body: bytes = b""
    kind: str = ""
    source: Path | None = None
    chunked: bool = False
    close: bool = False

    def sized(self) -> Answer:
        """Set Content-Length from the in-memory body and return self."""
        self.headers["Content-Length"] = str(len(self.body))
        return self


class ReplicaHandler(BaseHTTPRequestHandler):
    """Shared plumbing: time the request, ask the replica for an Answer, log it, then send it."""

    protocol_version = "HTTP/1.1"
    server_name = "Apache"

    def log_message(self, fmt: str, *args: object) -> None:
        """Keep test output quiet."""

    def do_GET(self) -> None:
        """Answer a GET."""
        self.answer("GET")

    def do_HEAD(self) -> None:
        """Answer a HEAD (headers only)."""
        self.answer("HEAD")

    def answer(self, method: str) -> None:
        """Decide, record and send the answer to one request."""
        started = time.monotonic()
        replica = self.server.replica  # type: ignore[attr-defined]
        reply = replica.decide(method, self.path, self.headers, started)
        with replica.lock:
            replica.requests.append(
                RequestRecord(method, self.path, dict(self.headers), reply.status, started, reply.kind)
            )
        self.send(reply, head=method == "HEAD")

    def send(self, reply: Answer, head: bool) -> None:
        """Write status line, headers and (unless HEAD or 304) the body."""
        self.send_response_only(reply.status)
        self.send_header("Server", reply.headers.pop("Server", self.server_name))
        self.send_header("Date", self.date_time_string())
        for key, value in reply.headers.items():
            self.send_header(key, value)
        if reply.close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if head or reply.status == 304:
            return
        try:
            self.write_body(reply)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def write_body(self, reply: Answer) -> None:
        """Stream the body in 64 KiB pieces, chunk-encoded when the answer says so."""
        for piece in iter_body(reply):
            if reply.chunked:
                self.wfile.write(f"{len(piece):X}\r\n".encode() + piece + b"\r\n")
            else:
                self.wfile.write(piece)
        if reply.chunked:
            self.wfile.write(b"0\r\n\r\n")


def iter_body(reply: Answer, size: int = 65536) -> Iterator[bytes]:
    """The answer's body in pieces, read from its file when it has one."""
    if reply.source is None:
        for start in range(0, len(reply.body), size):
            yield reply.body[start : start + size]
        return
    with reply.source.open("rb") as handle:
        while piece := handle.read(size):
            yield piece


@contextmanager
def serve(replica: BtsReplica | SocrataReplica) -> Iterator[None]:
    """Run `replica` on a free port of 127.0.0.1 in a daemon thread; stop it on exit."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), ReplicaHandler)
    server.daemon_threads = True
    server.replica = replica  # type: ignore[attr-defined]
    replica.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), name="bts-replica", daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --------------------------------------------------------------------------- www.bts.gov


@dataclass
class PublishedZip:
    """A ZIP the replica serves: bytes in memory or a file on disk, with its validators and link."""

    url_path: str
    published: datetime
    link: LinkStyle
    text: str
    size: int
    etag: str
    data: bytes | None = None
    source: Path | None = None


def akamai_reference() -> str:
    """A reference string shaped like Akamai's ("18.7a3b1502.1711111111.1a2b3c4d")."""
    tail = hashlib.sha1(str(time.monotonic()).encode()).hexdigest()[:8]
    return f"18.{os.getpid() & 0xFFFFFFFF:08x}.{int(time.time())}.{tail}"


def entity_escape(url: str) -> str:
    """Escape punctuation as Akamai's error pages do (`http&#58;&#47;&#47;www&#46;...`)."""
    return "".join(ch if ch.isalnum() else f"&#{ord(ch)};" for ch in url)


def access_denied_page(url: str) -> bytes:
    """The body of Akamai's 403 "Access Denied" answer for `url`."""
    ref = akamai_reference()
    return (
        "<HTML><HEAD>\n<TITLE>Access Denied</TITLE>\n</HEAD><BODY>\n<H1>Access Denied</H1>\n \n"
        f'You don\'t have permission to access "{entity_escape(url)}" on this server.<P>\n'
        f"Reference&#32;&#35;{entity_escape(ref)}\n"
        f"<P>https&#58;&#47;&#47;errors&#46;edgesuite&#46;net&#47;{entity_escape(ref)}</P>\n"
        "</BODY>\n</HTML>\n"
    ).encode("ascii")


def challenge_page(path: str) -> bytes:
    """Akamai Bot Manager's interstitial: status 200, HTML and a script instead of the file."""
    token = hashlib.sha256(path.encode()).hexdigest()[:32]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Just a moment...</title>\n"
        '<script src="/_sec/cp_challenge/ak-challenge-4-3.js"></script>\n'
        '<link rel="stylesheet" href="/_sec/cp_challenge/ak-challenge-4-3.css">\n'
        "</head><body>\n"
        '<div id="sec-if-cpt-container" class="sec-if-cpt"><div id="sec-text-container">'
        "<h1>Please wait while we verify your browser</h1>"
        "<noscript>Please enable JavaScript and cookies to continue.</noscript></div></div>\n"
        "<script>\n"
        f'  var chlgeId = "{token}";\n'
        '  sessionStorage.setItem("sec-cpt-if", chlgeId);\n'
        '  window.addEventListener("load", function () {\n'
        '    sec_cpt.init({provider: "crypto", duration: 5, chlgeId: chlgeId});\n'
        "  });\n"
        "</script>\n</body></html>\n"
    ).encode()


def not_found_page(path: str) -> bytes:
    """Drupal's 404 page."""
    return page_shell(
        "Page not found",
        '<h1 class="page-title">Page not found</h1>\n'
        f"<p>The requested page &quot;{html.escape(path)}&quot; could not be found.</p>\n",
    ).encode("utf-8")


def error_page(status: int) -> bytes:
    """A plain error page for a failing index page (503 while the origin is down, etc.)."""
    phrase = HTTPStatus(status).phrase
    return (
        f"<!DOCTYPE html>\n<html><head><title>{status} {phrase}</title></head><body>\n"
        f"<h1>{phrase}</h1>\n<p>The server is temporarily unable to service your request. "
        "Please try again later.</p>\n</body></html>\n"
    ).encode()


def page_shell(title: str, main: str) -> str:
    """A Drupal 10 / USWDS page of bts.gov around `main`: head with scripts and styles, nav, footer."""
    return f"""<!DOCTYPE html>
<html lang="en" dir="ltr" prefix="og: https://ogp.me/ns#">
  <head>
    <meta charset="utf-8" />
    <script async src="https://www.googletagmanager.com/gtag/js?id=G-9PY8JZQH4W"></script>
    <script>window.dataLayer = window.dataLayer || [];function gtag(){{dataLayer.push(arguments)}};
gtag("js", new Date());gtag("set", "developer_id.dMDhkMT", true);
gtag("config", "G-9PY8JZQH4W", {{"groups":"default"}});</script>
    <meta name="Generator" content="Drupal 10 (https://www.drupal.org)" />
    <meta name="MobileOptimized" content="width" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0" />
    <link rel="canonical" href="https://www.bts.gov/topics/transborder-raw-data" />
    <link rel="icon" href="/themes/custom/bts_uswds/favicon.ico" type="image/vnd.microsoft.icon" />
    <title>{html.escape(title)} | Bureau of Transportation Statistics</title>
    <link rel="stylesheet" media="all"
      href="/sites/bts.dot.gov/files/css/css_Xq4Xb2K1nU3p9Qk.css?delta=0&amp;language=en&amp;theme=bts" />
    <link rel="stylesheet" media="print"
      href="/sites/bts.dot.gov/files/css/css_pR1nt0Ht7Yl.css?delta=1&amp;language=en&amp;theme=bts_uswds" />
    <script src="/core/assets/vendor/jquery/jquery.min.js?v=3.7.1"></script>
    <script
      src="/sites/bts.dot.gov/files/js/js_h3Ad8pQ0zR.js?scope=header&amp;delta=0&amp;language=en"></script>
  </head>
  <body class="path-node page-node-type-page">
    <a href="#main-content" class="visually-hidden focusable skip-link">Skip to main content</a>
    <section class="usa-banner" aria-label="Official website of the United States government">
      <div class="usa-banner__header">
        <p class="usa-banner__header-text">An official website of the United States government</p>
      </div>
    </section>
    <header class="usa-header usa-header--extended" role="banner">
      <div class="usa-logo"><a href="/" title="Home" rel="home">
        <img src="/themes/custom/bts_uswds/logo.svg" alt="Home" /></a></div>
      <nav role="navigation" class="usa-nav" aria-label="Primary navigation">
        <ul class="usa-nav__primary usa-accordion">
          <li class="usa-nav__primary-item"><a href="/topics">Topics and Geography</a></li>
          <li class="usa-nav__primary-item">
            <a href="/browse-statistical-products-and-data">Statistical Products and Data</a></li>
          <li class="usa-nav__primary-item"><a href="/newsroom">Newsroom</a></li>
          <li class="usa-nav__primary-item"><a href="/about-bts">About BTS</a></li>
        </ul>
        <form action="/search" method="get" class="usa-search usa-search--small" role="search">
          <input class="usa-input" type="search" name="search_api_fulltext" />
          <button class="usa-button" type="submit">Search</button>
        </form>
      </nav>
    </header>
    <div class="grid-container">
      <nav class="usa-breadcrumb" aria-label="Breadcrumbs"><ol class="usa-breadcrumb__list">
        <li class="usa-breadcrumb__list-item"><a href="/">Home</a></li>
        <li class="usa-breadcrumb__list-item"><a href="/transborder">TransBorder Freight Data</a></li>
      </ol></nav>
      <main role="main" id="main-content" tabindex="-1">
{main}
      </main>
    </div>
    <footer class="usa-footer" role="contentinfo">
      <div class="usa-footer__secondary-section">
        <p>Bureau of Transportation Statistics, 1200 New Jersey Avenue, SE, Washington, DC 20590</p>
        <p><a href="mailto:answers@dot.gov">answers@dot.gov</a> | 800-853-1351</p>
        <ul class="usa-list usa-list--unstyled">
          <li><a href="https://www.transportation.gov/accessibility">Accessibility</a></li>
          <li><a href="https://www.transportation.gov/privacy">Privacy Policy</a></li>
          <li><a href="https://www.usa.gov/">USA.gov</a></li>
        </ul>
      </div>
    </footer>
    <script type="application/json" data-drupal-selector="drupal-settings-json">
{{"path":{{"baseUrl":"\\/","currentPath":"node\\/220646","currentLanguage":"en"}}}}</script>
    <script
      src="/sites/bts.dot.gov/files/js/js_f00tEr9Qw.js?scope=footer&amp;delta=0&amp;language=en"></script>
  </body>
</html>
"""


def size_text(size: int) -> str:
    """A Drupal-style size, "12.4 MB" or "830 KB"."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} KB"


def default_link_text(url_path: str) -> str:
    """Month and year read from a file name ("september2024.zip" -> "September 2024"), else the name."""
    stem = url_path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    month = re.search(r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", stem, re.IGNORECASE)
    year = re.search(r"(19|20)\d\d", stem)
    if month and year:
        index = [m[:3].lower() for m in MONTH_NAMES].index(month.group(1).lower())
        return f"{MONTH_NAMES[index]} {year.group(0)}"
    return stem


def link_year(url_path: str) -> str:
    """The year folder of a transborder-raw path, used for the page's headings."""
    match = re.search(r"/transborder-raw/(\d{4})/", url_path)
    return match.group(1) if match else "Other"


@dataclass
class BtsReplica(RequestLog):
    """www.bts.gov behind Akamai: the TransBorder index page, the ZIPs and the CDN's refusals."""

    pacing: float = 0.0
    base: str = ""
    challenge: set[str] = field(default_factory=set)
    refuse_all: bool = False
    page_status: int = 200
    broken: set[str] = field(default_factory=set)  # listed on the page, but the file answers 404
    refused: set[str] = field(default_factory=set)  # paths the CDN answers 403 whatever the client does
    requests: list[RequestRecord] = field(default_factory=list)
    files: dict[str, PublishedZip] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _challenged: set[str] = field(default_factory=set, init=False, repr=False)
    _last_start: float | None = field(default=None, init=False, repr=False)

    @property
    def index_url(self) -> str:
        """The listing page's full URL."""
        return self.base + INDEX_PATH

    def url(self, path: str) -> str:
        """The full URL of a root-relative `path` on this server."""
        return path if path.startswith(("http://", "https://")) else self.base + path

    def publish(
        self,
        url_path: str,
        data: bytes | Path,
        published: datetime,
        *,
        link: LinkStyle = "relative",
        text: str | None = None,
    ) -> None:
        """Add or replace a ZIP (bytes, or a file streamed from disk) and its link on the page."""
        if not url_path.startswith("/"):
            raise ValueError(f"url_path must be root-relative: {url_path!r}")
        if link not in ("relative", "absolute", "unlisted"):
            raise ValueError(f"unknown link style {link!r}")
        if published.tzinfo is None:
            published = published.replace(tzinfo=UTC)
        raw = data.read_bytes() if isinstance(data, Path) else data
        entry = PublishedZip(
            url_path=url_path,
            published=published,
            link=link,
            text=text or default_link_text(url_path),
            size=len(raw),
            etag=quoted_etag(raw),
            data=None if isinstance(data, Path) else raw,
            source=data if isinstance(data, Path) else None,
        )
        with self.lock:
            self.files[url_path] = entry

    def withdraw(self, url_path: str) -> None:
        """Remove a ZIP and its link (it then answers 404)."""
        with self.lock:
            self.files.pop(url_path, None)

    # -- request handling ---------------------------------------------------------------------

    def decide(self, method: str, target: str, headers: Message, started: float) -> Answer:
        """The CDN rules first, in order, then the challenge, then the origin."""
        with self.lock:
            gap = None if self._last_start is None else started - self._last_start
            self._last_start = started
        path = unquote(urlsplit(target).path)
        if self.cdn_refuses(headers, gap) or path in self.refused:
            return self.denied(path)
        if method == "GET" and path in self.challenge:
            with self.lock:
                first = path not in self._challenged
                self._challenged.add(path)
            if first:
                return Answer(
                    200,
                    {"Content-Type": "text/html", "Cache-Control": "no-store", "Set-Cookie": self.cookie()},
                    challenge_page(path),
                    "challenge",
                ).sized()
        return self.origin(path, headers)

    def cdn_refuses(self, headers: Message, gap: float | None) -> bool:
        """Akamai's rules: refuse-all switch, no or default User-Agent, no Referer, too fast."""
        agent = headers.get("User-Agent")
        return (
            self.refuse_all
            or not agent
            or agent.startswith(DEFAULT_CLIENT_AGENTS)
            or not headers.get("Referer")
            or (gap is not None and gap < self.pacing)
        )

    def cookie(self) -> str:
        """The bot-manager cookie a challenge sets (a browser would send it back)."""
        return f"bm_sv={hashlib.md5(str(time.monotonic()).encode()).hexdigest()}; Path=/; HttpOnly"

    def denied(self, path: str) -> Answer:
        """Akamai's 403 Access Denied."""
        return Answer(
            403,
            {
                "Server": "AkamaiGHost",
                "Mime-Version": "1.0",
                "Content-Type": "text/html",
                "Expires": http_date(datetime.now(UTC)),
                "Cache-Control": "max-age=0, no-cache, no-store",
                "Pragma": "no-cache",
            },
            access_denied_page("http://www.bts.gov" + path),
            "denied",
            close=True,
        ).sized()

    def origin(self, path: str, headers: Message) -> Answer:
        """What the Drupal origin answers once the CDN lets a request through."""
        if path == INDEX_PATH:
            if self.page_status != 200:
                return Answer(
                    self.page_status,
                    {"Content-Type": "text/html; charset=UTF-8", "Retry-After": "120"},
                    error_page(self.page_status),
                    "error",
                ).sized()
            return Answer(200, self.page_headers(), self.index_page().encode("utf-8"), "page").sized()
        with self.lock:
            entry = self.files.get(path)
        if entry is None or path in self.broken:
            return Answer(
                404, {"Content-Type": "text/html; charset=UTF-8"}, not_found_page(path), "not-found"
            ).sized()
        return self.file_answer(entry, headers)

    def page_headers(self) -> dict[str, str]:
        """Headers of the Drupal page."""
        return {
            "Content-Type": "text/html; charset=UTF-8",
            "Cache-Control": "max-age=3600, public",
            "Content-Language": "en",
            "X-Drupal-Cache": "HIT",
            "X-Generator": "Drupal 10 (https://www.drupal.org)",
            "X-Frame-Options": "SAMEORIGIN",
            "Vary": "Cookie,Accept-Encoding",
        }

    def file_answer(self, entry: PublishedZip, headers: Message) -> Answer:
        """The ZIP, or 304 when the client's validators still hold."""
        validators = {"ETag": entry.etag, "Last-Modified": http_date(entry.published)}
        if not_modified(headers, entry.etag, entry.published):
            return Answer(304, {**validators, "Cache-Control": "max-age=1209600"}, kind="not-modified")
        return Answer(
            200,
            {
                "Content-Type": "application/zip",
                "Content-Length": str(entry.size),
                **validators,
                "Cache-Control": "max-age=1209600",
                "Expires": http_date(datetime.fromtimestamp(time.time() + 1209600, UTC)),
            },
            entry.data or b"",
            "zip",
            source=entry.source,
        )

    # -- the listing page ---------------------------------------------------------------------

    def index_page(self) -> str:
        """The TransBorder raw data page listing every published, listed ZIP by year."""
        with self.lock:
            listed = [f for f in self.files.values() if f.link != "unlisted"]
        by_year: dict[str, list[PublishedZip]] = {}
        for entry in sorted(listed, key=lambda f: (f.published, f.url_path)):
            by_year.setdefault(link_year(entry.url_path), []).append(entry)
        sections, counter = [], 0
        for year in sorted(by_year, reverse=True):
            items = []
            for entry in by_year[year]:
                items.append(self.link_item(entry, counter))
                counter += 1
            sections.append(self.year_section(year, items))
        newest = max((f.published for f in listed), default=datetime(2026, 1, 30, tzinfo=UTC))
        return page_shell("TransBorder Raw Data", self.page_main(sections, newest))

    def link_item(self, entry: PublishedZip, counter: int) -> str:
        """One `<li>`: quotes, absolute/relative href and link text vary the way hand-edited pages do."""
        href = self.url(entry.url_path) if entry.link == "absolute" else entry.url_path
        quote = "'" if counter % 4 == 1 else '"'
        attrs = f"href={quote}{html.escape(href)}{quote} type={quote}application/zip{quote}"
        size = size_text(entry.size)
        if counter % 3 == 2:  # the month stands outside the link, the link says "ZIP (12.1 MB)"
            return f"<li>{html.escape(entry.text)}: <a {attrs}>ZIP ({size})</a></li>"
        return (
            f'<li><span class="file file--mime-application-zip file--package-x-generic">'
            f"<a {attrs}>{html.escape(entry.text)}</a></span> (ZIP, {size})</li>"
        )

    def year_section(self, year: str, items: list[str]) -> str:
        """A USWDS accordion section with the year as heading."""
        body = "\n".join(f"              {item}" for item in items)
        return (
            '          <h2 class="usa-accordion__heading">'
            '<button type="button" class="usa-accordion__button"'
            f' aria-expanded="false" aria-controls="y{year}">{year}</button></h2>\n'
            f'          <div id="y{year}" class="usa-accordion__content usa-prose">\n'
            f"            <h3>{year} Monthly Data</h3>\n            <ul>\n{body}\n            </ul>\n"
            "          </div>"
        )

    def page_main(self, sections: list[str], newest: datetime) -> str:
        """The page's main column: title, prose with unrelated links, the year sections, the update date."""
        return (
            '        <h1 class="page-title"><span>TransBorder Raw Data</span></h1>\n'
            '        <div class="field field--name-body usa-prose">\n'
            "          <p>The raw data files below hold the North American TransBorder Freight Data "
            "by month. "
            'See <a href="/transborder">TransBorder Freight Data</a> for the interactive tables and '
            '<a href="/sites/bts.dot.gov/files/docs/browse-statistical-products-and-data/'
            'transborder-freight-data/220171/codes-north-american-transborder-freight-raw-data.pdf">'
            "Codes for the TransBorder raw data (PDF)</a> and "
            '<a href="/sites/bts.dot.gov/files/docs/browse-statistical-products-and-data/'
            'transborder-freight-data/220166/transborder-freight-data-faqs.pdf">FAQ (PDF)</a>.</p>\n'
            '          <p>Data before 2018 in older formats: <a href="/sites/bts.dot.gov/files/docs/legacy/'
            'other.zip">legacy data dictionary (ZIP)</a>; questions to '
            '<a href="mailto:transborder@dot.gov">transborder@dot.gov</a>.</p>\n'
            '          <div class="usa-accordion usa-accordion--multiselectable" '
            'data-allow-multiple="">\n' + "\n".join(sections) + "\n          </div>\n"
            '          <p><a href="/topics/transborder-freight-data-release-schedule">'
            "Release schedule</a></p>\n"
            f'          <p class="updated">Updated: {newest:%A, %B} {newest.day}, {newest.year}</p>\n'
            "        </div>\n"
        )


@contextmanager
def serve_bts(pacing: float = 0.0) -> Iterator[BtsReplica]:
    """A running www.bts.gov replica on 127.0.0.1; `pacing` is the CDN's minimum gap between requests."""
    replica = BtsReplica(pacing=pacing)
    with serve(replica):
        yield replica


# --------------------------------------------------------------------------- data.bts.gov (Socrata)


@dataclass
class SocrataReplica(RequestLog):
    """data.bts.gov: view metadata and the CSV export of keg4-3bc2; no CDN, no pacing."""

    base: str = ""
    send_validators: bool = False
    chunked: bool = True
    metadata_status: int = 200
    csv_data: bytes = SAMPLE_CROSSINGS_CSV
    rows_updated_at: int = SAMPLE_ROWS_UPDATED_AT
    requests: list[RequestRecord] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    payload_kind: ClassVar[str] = "csv"

    @property
    def metadata_url(self) -> str:
        """The view metadata URL."""
        return f"{self.base}/api/views/{VIEW_ID}.json"

    @property
    def csv_url(self) -> str:
        """The whole-dataset CSV export URL, with its query string."""
        return f"{self.base}/api/views/{VIEW_ID}/rows.csv?accessType=DOWNLOAD"

    def url(self, path: str) -> str:
        """The full URL of a root-relative `path` on this server."""
        return self.base + path

    def set_csv(self, data: bytes, rows_updated_at: int) -> None:
        """Replace the dataset, as a new load of rows would (rowsUpdatedAt moves with it)."""
        with self.lock:
            self.csv_data = data
            self.rows_updated_at = rows_updated_at

    def metadata(self) -> dict:
        """Socrata view metadata, trimmed to realistic fields."""
        return {
            "id": VIEW_ID,
            "name": "Border Crossing Entry Data",
            "assetType": "dataset",
            "attribution": "Bureau of Transportation Statistics",
            "averageRating": 0,
            "category": "Passenger Travel",
            "createdAt": 1494438300,
            "description": "Border Crossing Entry Data provides summary statistics for inbound crossings "
            "at the U.S.-Canada and the U.S.-Mexico border at the port level.",
            "displayType": "table",
            "downloadCount": 98213,
            "hideFromCatalog": False,
            "hideFromDataJson": False,
            "indexUpdatedAt": self.rows_updated_at + 95,
            "newBackend": True,
            "numberOfComments": 0,
            "oid": 38917444,
            "provenance": "official",
            "publicationAppendEnabled": False,
            "publicationDate": 1494438512,
            "publicationGroup": 2659937,
            "publicationStage": "published",
            "rowsUpdatedAt": self.rows_updated_at,
            "rowsUpdatedBy": "x7b9-pqjq",
            "tableId": 19828170,
            "totalTimesRated": 0,
            "viewCount": 512345,
            "viewLastModified": self.rows_updated_at + 120,
            "viewType": "tabular",
            "columns": [self.column(i, name) for i, name in enumerate(CROSSING_COLUMNS)],
            "metadata": {"rowLabel": "Row", "availableDisplayTypes": ["table", "fatrow", "page"]},
            "owner": {"id": "x7b9-pqjq", "displayName": "BTS Data", "type": "interactive"},
            "tags": ["border", "crossing", "entry", "port"],
            "flags": ["default", "ownerMayBeContacted", "restorable", "restorePossibleForType"],
        }

    def column(self, position: int, name: str) -> dict:
        """One column descriptor of the view."""
        types = {"Value": "number", "Latitude": "number", "Longitude": "number", "Point": "point"}
        return {
            "id": 585720000 + position,
            "name": name,
            "dataTypeName": types.get(name, "text"),
            "fieldName": name.lower().replace(" ", "_"),
            "position": position + 1,
            "renderTypeName": types.get(name, "text"),
            "tableColumnId": 80010000 + position,
            "format": {},
        }

    def decide(self, method: str, target: str, headers: Message, started: float) -> Answer:
        """Route to the metadata, the CSV export or a Socrata-style 404."""
        path = unquote(urlsplit(target).path)
        request_id = hashlib.md5(f"{started}".encode()).hexdigest()[:26]
        common = {"X-Socrata-RequestId": request_id, "Access-Control-Allow-Origin": "*"}
        if path == f"/api/views/{VIEW_ID}.json":
            return self.metadata_answer(common)
        if path == f"/api/views/{VIEW_ID}/rows.csv":
            return self.csv_answer(headers, common)
        body = json.dumps({"code": "not_found", "error": True, "message": "Not found"}).encode()
        return Answer(
            404, {"Content-Type": "application/json; charset=utf-8", **common}, body, "error"
        ).sized()

    def metadata_answer(self, common: dict[str, str]) -> Answer:
        """The view JSON, or an internal error when `metadata_status` says so."""
        if self.metadata_status != 200:
            body = json.dumps({"code": "internal_error", "error": True, "message": "Internal error"})
            return Answer(
                self.metadata_status,
                {"Content-Type": "application/json; charset=utf-8", **common},
                body.encode(),
                "error",
            ).sized()
        with self.lock:
            body = json.dumps(self.metadata(), indent=2).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-cache", **common}
        return Answer(200, headers, body, "json").sized()

    def csv_answer(self, headers: Message, common: dict[str, str]) -> Answer:
        """The CSV export, streamed chunked; validators only when `send_validators` is set."""
        with self.lock:
            data, updated = self.csv_data, self.rows_updated_at
        out = {
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": "attachment; filename=Border_Crossing_Entry_Data.csv",
            "Cache-Control": "private, no-cache, must-revalidate",
            **common,
        }
        if self.send_validators:
            etag, modified = quoted_etag(data), datetime.fromtimestamp(updated, UTC)
            out.update({"ETag": etag, "Last-Modified": http_date(modified)})
            if not_modified(headers, etag, modified):
                return Answer(304, out, kind="not-modified")
        if self.chunked:
            out["Transfer-Encoding"] = "chunked"
            return Answer(200, out, data, "csv", chunked=True)
        return Answer(200, out, data, "csv").sized()


@contextmanager
def serve_socrata() -> Iterator[SocrataReplica]:
    """A running data.bts.gov replica on 127.0.0.1."""
    replica = SocrataReplica()
    with serve(replica):
        yield replica


# --------------------------------------------------------------------------- ZIP builders

ZIP_STAMP = (2024, 1, 1, 12, 0, 0)


def zip_info(name: str, stamp: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    """A ZipInfo as a Mac/Unix zip writes it; names ending in "/" are directory entries."""
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.create_system = 3
    if name.endswith("/"):
        info.external_attr = (0o40755 << 16) | 0x10
        info.compress_type = zipfile.ZIP_STORED
    else:
        info.external_attr = 0o100644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write_members(
    archive: zipfile.ZipFile, members: dict[str, bytes], stamp: tuple[int, int, int, int, int, int]
) -> None:
    """Write members in order, names verbatim, deflate level 1 (fast) and stored directories."""
    for name, data in members.items():
        archive.writestr(zip_info(name, stamp), b"" if name.endswith("/") else data, compresslevel=1)


def monthly_zip(
    members: dict[str, bytes], *, stamp: tuple[int, int, int, int, int, int] = ZIP_STAMP
) -> bytes:
    """A ZIP of `members` (directory entries allowed) as bytes; the same input gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        write_members(archive, members, stamp)
    return buffer.getvalue()


def apple_double(name: str) -> bytes:
    """AppleDouble resource-fork bytes as macOS puts in `__MACOSX/._name`: binary, not UTF-8."""
    header = b"\x00\x05\x16\x07" + b"\x00\x02\x00\x00" + b"Mac OS X        " + b"\x00\x02"
    entries = (
        b"\x00\x00\x00\x09\x00\x00\x00\x32\x00\x00\x0e\xb0"
        + b"\x00\x00\x00\x02\x00\x00\x0e\xe2\x00\x00\x01\x1e"
    )
    quarantine = b"0083;" + hashlib.sha1(name.encode()).hexdigest()[:8].encode() + b";Safari;"
    attrs = b"ATTR\x00\x00\x00\x00\x00\x00\x0e\xe2\x00\x00\x00\x9c" + b"com.apple.quarantine\x00" + quarantine
    return header + entries + b"\x00" * 16 + attrs + b"\x8f\xa0\xff\xfe\xc3\x28" + b"\x00" * 64


def ds_store() -> bytes:
    """A small .DS_Store (Finder's binary "Bud1" store)."""
    return (
        b"\x00\x00\x00\x01Bud1\x00\x00\x10\x00\x00\x00\x08\x00"
        + b"\x00\x00\x10\x0c\xff\xfe\x80\x81"
        + b"\x00" * 48
    )


def mac_junk(folder: str, names: list[str]) -> dict[str, bytes]:
    """The `__MACOSX/{folder}/._{name}` members and `{folder}/.DS_Store` a Mac-made ZIP carries."""
    prefix = f"{folder}/" if folder else ""
    junk = {f"__MACOSX/{prefix}._{name}": apple_double(name) for name in names}
    junk[f"{prefix}.DS_Store"] = ds_store()
    return junk


# --------------------------------------------------------------------------- staged TransBorder ZIPs

BUILD_VERSION = 1
MONTH_SHORT = ("Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec")
Month = tuple[int, int]
Source = Path | bytes


@dataclass(frozen=True)
class StagedZip:
    """One staged ZIP: its URL path, the built file, the data months it holds and its publication time."""

    url_path: str
    path: Path
    months: list[Month]
    published: datetime
    members: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Link text: "January 2020" or "July to December 2021"."""
        (y0, m0), (y1, m1) = self.months[0], self.months[-1]
        if (y0, m0) == (y1, m1):
            return f"{MONTH_NAMES[m0 - 1]} {y0}"
        return f"{MONTH_NAMES[m0 - 1]} to {MONTH_NAMES[m1 - 1]} {y1}"


def staged_csv(shared_data: Path, table: int, year: int, month: int) -> Path | None:
    """The staged gz of dot{table} for one month, or None when the staged data lacks it."""
    path = shared_data / "transborder" / str(year) / f"dot{table}_{month:02d}{year % 100:02d}.csv.gz"
    return path if path.is_file() else None


def zip_urls(shared_data: Path) -> dict[str, list[Month]]:
    """URL path -> months from the reference list, from 2020 on, for months the staged data has."""
    urls: dict[str, list[Month]] = {}
    with (shared_data / "reference" / "transborder_zip_urls.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            year, month = int(row["year"]), int(row["month"])
            if year >= 2020 and staged_csv(shared_data, 1, year, month):
                urls.setdefault(urlsplit(row["url"]).path, []).append((year, month))
    return urls


def published_at(last: Month) -> datetime:
    """About two months after the last data month, a weekday-ish afternoon (UTC)."""
    year, month = last
    month += 2
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime(year, month, 24 + last[1] % 5, 14, 30, tzinfo=UTC)


def month_folder(stem: str, month: Month, multi: bool) -> str:
    """The folder members sit in, varying like the real ZIPs ("January2020", "Feb2023/Feb2023", flat...)."""
    year, mon = month
    if multi:
        return f"{MONTH_SHORT[mon - 1]}{year}"
    if month == (2020, 7) or (year == 2022 and mon >= 4):
        return ""
    if month == (2023, 2):
        return f"{stem}/{stem}"
    return stem.replace("TransBorderRawData", "")


def member_name(table: int, month: Month, ytd: bool = False) -> str:
    """A member's file name: dotN_MMYY.csv, with the real exceptions (upper case, an odd copy name)."""
    year, mon = month
    code = f"{mon:02d}{year % 100:02d}"
    if ytd:
        return f"dot{table}_ytd_{code}.csv"
    if month == (2021, 3):
        return f"DOT{table}_{code}.CSV"
    if month == (2022, 5) and table == 2:
        return f"TransBorder_2_{code} (1).csv"
    return f"dot{table}_{code}.csv"


def month_members(shared_data: Path, stem: str, month: Month, multi: bool) -> dict[str, Source]:
    """One month's members: monthly files, January's year-to-date copies, Mac junk for 2020."""
    folder = month_folder(stem, month, multi)
    prefix = f"{folder}/" if folder else ""
    members: dict[str, Source] = {}
    if folder and month[0] == 2020:
        members[prefix] = b""
    for table in (1, 2, 3):
        source = staged_csv(shared_data, table, *month)
        if source is not None:
            members[prefix + member_name(table, month)] = source
            if month[1] == 1:
                members[prefix + member_name(table, month, ytd=True)] = source
    if month[0] == 2020:
        names = [name.rsplit("/", 1)[-1] for name in members if not name.endswith("/")]
        members.update({"__MACOSX/": b"", **({f"__MACOSX/{folder}/": b""} if folder else {})})
        members.update(mac_junk(folder, names))
    return members


def annual_members(shared_data: Path, year: int) -> dict[str, Source]:
    """The year's staged annual files (dot1_YYYY.csv, dot3_YYYY.csv), carried by December's ZIP."""
    members: dict[str, Source] = {}
    for table in (1, 2, 3):
        path = shared_data / "transborder" / str(year) / f"dot{table}_{year}.csv.gz"
        if path.is_file():
            members[f"dot{table}_{year}.csv"] = path
    return members


def zip_plan(shared_data: Path, url_path: str, months: list[Month]) -> dict[str, Source]:
    """Every member of one ZIP, in order, each as a staged gz path or literal bytes."""
    stem = url_path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    members: dict[str, Source] = {}
    for month in months:
        members.update(month_members(shared_data, stem, month, multi=len(months) > 1))
    if months[-1][1] == 12:
        members.update(annual_members(shared_data, months[-1][0]))
    return members


def build_zip(target: Path, members: dict[str, Source], stamp: tuple[int, int, int, int, int, int]) -> None:
    """Write the ZIP to a temporary name beside `target`, then rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=target.name + ".", suffix=".part", dir=target.parent)
    os.close(handle)
    plain: dict[Path, bytes] = {}
    try:
        with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for name, source in members.items():
                if isinstance(source, Path) and source not in plain:
                    plain[source] = gzip.decompress(source.read_bytes())
                data = plain[source] if isinstance(source, Path) else source
                write_members(archive, {name: data}, stamp)
        os.replace(temp, target)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def staged_transborder_zips(shared_data: Path, cache_dir: Path) -> list[StagedZip]:
    """The staged TransBorder months as ZIPs in the real shapes, built once into `cache_dir` and reused."""
    root = cache_dir / f"transborder-zips-v{BUILD_VERSION}"
    zips, todo = [], []
    for url_path, months in zip_urls(shared_data).items():
        plan = zip_plan(shared_data, url_path, months)
        target = root / url_path.removeprefix(RAW_PREFIX)
        staged = StagedZip(url_path, target, months, published_at(months[-1]), tuple(plan))
        zips.append(staged)
        if not target.is_file():
            made = staged.published
            todo.append((target, plan, (made.year, made.month, made.day - 3, 9, 15, 0)))
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(lambda job: build_zip(*job), todo))
    return zips


def publish_all(replica: BtsReplica, zips: list[StagedZip], absolute_every: int = 5) -> None:
    """Publish every staged ZIP (streamed from disk); every `absolute_every`-th link is absolute."""
    for i, staged in enumerate(zips):
        absolute = absolute_every > 0 and i % absolute_every == absolute_every - 1
        link: LinkStyle = "absolute" if absolute else "relative"
        replica.publish(staged.url_path, staged.path, staged.published, link=link, text=staged.label)


# --------------------------------------------------------------------------- hand-made months


def month_csv(table: int, year: int, month: int, scale: int = 1, freight_bump: int = 0) -> bytes:
    """The January 2020 fixture of `table` moved to another month, amounts times `scale` (the three
    tables stay in agreement); `freight_bump` changes dot1's freight only (content differs, totals agree)."""
    rows = list(csv.DictReader(io.StringIO((HAND_MADE / f"dot{table}_0120.csv").read_text())))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        row.update({k: str(int(row[k]) * scale) for k in AMOUNTS})
        if table == 1 and freight_bump:
            row["FREIGHT_CHARGES"] = str(int(row["FREIGHT_CHARGES"]) + freight_bump)
        row.update({"MONTH": f"{month:02d}", "YEAR": str(year)})
        writer.writerow(row)
    return out.getvalue().encode()


def members(year: int, month: int, folder: str, **kwargs: int) -> dict[str, bytes]:
    """The three monthly files of a month in `folder/`, named as BTS names them."""
    return {
        f"{folder}/dot{t}_{month:02d}{year % 100:02d}.csv": month_csv(t, year, month, **kwargs)
        for t in (1, 2, 3)
    }
