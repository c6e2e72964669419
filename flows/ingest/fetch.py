"""Fetching one source file: conditional HTTP (or a mirror / file:// copy), streamed to a temporary
file, checked, then kept under `raw/<source>/<sha256>.<ext>` with a manifest line per fetch."""

from __future__ import annotations

import hashlib
import json
import os
import ssl
import tempfile
import time
import zlib
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlparse

import httpx

from flows.errors import SourceError
from flows.ingest.partials import left_behind, partial_prefix
from flows.ingest.polite import (  # TransientFetchError: callers catch it from here, where it is raised
    HttpPolicy,
    TransientFetchError,
    paced,
    request_headers,
    with_retries,
)
from flows.logs import logger
from flows.progress import progress
from transforms.errors import SchemaDriftError
from transforms.rawfile import match_layout

CHUNK = 1 << 20
HINT = "set HLED_MIRROR=DIR to refresh offline from a directory laid out like shared/data"
DATA_KINDS = ("csv", "zip", "xls", "json", "rss")


class NotFoundError(SourceError):
    """The publisher answered 404: the file is not (or no longer) there. Not retried."""


class NotDataError(TransientFetchError):
    """An HTML page came where data was expected (a CDN's challenge or error page): a failed try."""


@dataclass(frozen=True)
class Target:
    """One file a source needs: where it comes from and how to tell it is the right file."""

    source: str
    key: str  # identifies the file within its source's manifest, e.g. "bts_crossings", "2021-01"
    url: str
    kind: str = "csv"  # csv (header checked against `layouts`), zip, xls, json or rss
    layouts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    refused_hint: str = HINT  # what to tell the user when the host refuses us (403) or sends HTML
    progress: str = ""  # where this file stands in a batch, e.g. "file 3 of 12", for progress lines
    # query parameters sent but never written down (an API key): not in `url`, so not in the manifest,
    # a log line or an error message; a message quoting the answer has their values blanked
    secret_params: dict[str, str] = field(default_factory=dict)
    empty_ok: bool = False  # an empty answer (HTTP 204) is data: nothing matched the request

    def scrub(self, text: str) -> str:
        """`text` with the secret parameters' values blanked."""
        for value in self.secret_params.values():
            if value:
                text = text.replace(value, "***")
        return text

    @property
    def label(self) -> str:
        return f"{self.source} ({self.url})"


@dataclass(frozen=True)
class Fetched:
    """What one fetch produced; `changed` is False when the content equals the last fetch's."""

    source: str
    key: str
    url: str
    path: str
    sha256: str
    bytes: int
    status: str  # downloaded | not_modified | unchanged | mirror | inbox | held | upstream_unchanged
    changed: bool
    etag: str | None
    last_modified: str | None
    fetched_at: str
    upstream_version: str | None = None  # e.g. Socrata's rowsUpdatedAt when the file was fetched


def manifest_path(raw_dir: Path, source: str) -> Path:
    return raw_dir / source / "manifest.jsonl"


def last_fetch(raw_dir: Path, source: str, key: str | None = None) -> Fetched | None:
    """The newest good manifest entry for `key` (default: the source) whose raw file is on disk."""
    return fetch_history(raw_dir, source).get(key or source)


def mark_rejected(raw_dir: Path, fetched: Fetched, reason: str) -> None:
    """Record that a fetched file failed later checks (parse, validation), so the next fetch does not
    send its ETag and mistake a 304 for "still fine": the bad file is retried until the publisher fixes it."""
    _append_manifest(raw_dir, fetched.source, {**asdict(fetched), "status": "rejected", "error": reason})


def _append_manifest(raw_dir: Path, source: str, record: dict) -> None:
    path = manifest_path(raw_dir, source)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        fh.write(json.dumps(record, sort_keys=True) + "\n")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _head(path: Path) -> bytes:
    """The first bytes of the content, gunzipped on the fly when the file is gzip."""
    with path.open("rb") as fh:
        head = fh.read(64 * 1024)
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64 * 1024)
        except zlib.error as exc:
            raise SourceError(f"damaged gzip stream ({exc})") from None
    return head


def check_content(path: Path, target: Target) -> None:
    """Refuse what is not the expected file: empty, an HTML page, not a ZIP, or a CSV header of no
    known layout (SchemaDriftError naming the missing and unexpected columns)."""
    label = target.label
    if path.stat().st_size == 0:
        raise SourceError(f"{label}: empty response body (rule: file_not_empty)")
    head = _head(path)
    if target.kind == "json":
        if head.lstrip()[:1] not in (b"[", b"{"):
            first = target.scrub(head.lstrip()[:60].decode("utf-8", errors="replace"))
            hint = f"; {target.refused_hint}" if target.refused_hint != HINT else ""
            raise SourceError(f"{label}: not a JSON document (rule: is_json); starts with {first!r}{hint}")
        return
    if target.kind == "rss":
        if b"<rss" not in head[:4096]:
            first = head.lstrip()[:60].decode("utf-8", errors="replace")
            raise SourceError(f"{label}: not an RSS feed (rule: is_rss); starts with {first!r}")
        return
    if head.lstrip()[:1] == b"<":
        first = head.split(b"\n", 1)[0].decode("utf-8", errors="replace")[:80]
        raise NotDataError(
            f"{label}: received an HTML/XML page, not {target.kind.upper()} (rule: is_{target.kind}); "
            f"first line: {first!r}; {target.refused_hint}"
        )
    if target.kind == "zip":
        if head[:4] not in (b"PK\x03\x04", b"PK\x05\x06"):
            raise SourceError(f"{label}: not a ZIP archive (rule: is_zip)")
        return
    if target.kind == "xls":
        if head[:8] != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # OLE2, the legacy Excel container
            raise SourceError(f"{label}: not an .xls workbook (rule: is_xls)")
        return
    if target.layouts:
        line = head.split(b"\n", 1)[0].decode("utf-8", errors="replace").lstrip("\ufeff").rstrip("\r")
        match_layout([c.strip() for c in line.split(",")], target.layouts, label)


def _extension(tmp: Path, kind: str) -> str:
    if kind in ("zip", "xls"):
        return f".{kind}"
    base = {"json": ".json", "rss": ".xml"}.get(kind, ".csv")
    with tmp.open("rb") as fh:  # a gzip-encoded answer is kept as it came
        return f"{base}.gz" if fh.read(2) == b"\x1f\x8b" else base


def _quarantine(tmp: Path, raw_dir: Path, target: Target, tag: str, meta: dict, error: str) -> Path:
    """Keep a refused or incomplete download for inspection, with a manifest line saying why."""
    quarantine = raw_dir / target.source / "quarantine"
    quarantine.mkdir(parents=True, exist_ok=True)
    kept = quarantine / f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{tag}{_extension(tmp, target.kind)}"
    os.replace(tmp, kept)
    _append_manifest(
        raw_dir, target.source, {**meta, "status": "rejected", "path": str(kept), "error": error}
    )
    return kept


def _store(tmp: Path, raw_dir: Path, target: Target, sha: str, meta: dict) -> Path:
    """Move a verified temp file under its content hash; keep a refused one in quarantine."""
    ext = _extension(tmp, target.kind)
    try:
        check_content(tmp, target)
    except (SourceError, SchemaDriftError) as exc:
        kept = _quarantine(tmp, raw_dir, target, sha[:12], meta, str(exc))
        raise type(exc)(f"{exc}; the download is kept at {kept}") from None
    final = raw_dir / target.source / f"{sha}{ext}"
    os.replace(tmp, final)
    return final


def _temp_file(raw_dir: Path, source: str) -> Path:
    folder = raw_dir / source
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=partial_prefix(), dir=folder)
    os.close(fd)
    return Path(name)


def _copy_local(src: Path, tmp: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with src.open("rb") as fin, tmp.open("wb") as fout:
        while chunk := fin.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            fout.write(chunk)
    return digest.hexdigest(), size


def local_stamp(path: Path) -> str:
    """A local file's entity tag, as a web server makes one: size, modification and change times and
    inode. Any write changes the change time (which no tool can set back), so a file whose tag is the
    same as at its last copy is the same file, and is not read and hashed again."""
    st = path.stat()
    return f"local:{st.st_size}-{st.st_mtime_ns}-{st.st_ctime_ns}-{st.st_ino}"


def fetch_source(
    target: Target,
    raw_dir: Path,
    *,
    mirror_file: Path | None = None,
    timeout: float = 60.0,
    policy: HttpPolicy | None = None,
    upstream_version: str | None = None,
    local_status: str = "mirror",
    history: dict[str, Fetched] | None = None,
) -> Fetched:
    """Fetch `target` (or copy `mirror_file` / a file:// URL) into the raw store, conditionally.
    Over HTTP, `policy` (default: one try, no pacing, `timeout`) sets retries, back-off and pacing;
    `upstream_version` is recorded with the fetch (e.g. the publisher's "rows updated at"); a local copy
    is recorded with `local_status` (mirror, or inbox for a file a person dropped). A caller fetching
    many files of a source passes its `fetch_history`, read once: the manifest grows by a line per file
    each run, and reading it per file made a year of nightly runs cost a minute per refresh."""
    previous = (
        history.get(target.key) if history is not None else last_fetch(raw_dir, target.source, target.key)
    )
    if mirror_file is not None or target.url.startswith("file://"):
        src = mirror_file or Path(unquote(urlparse(target.url).path))
        if not src.is_file():
            raise SourceError(f"{target.source}: mirror file {src} does not exist")
        stamp = local_stamp(src)
        if (
            previous is not None
            and previous.url == str(src)
            and previous.etag == stamp
            and Path(previous.path).is_file()
        ):  # the same file, untouched since it was copied: no need to read it again
            return record_unchanged(raw_dir, previous, "unchanged")
        tmp = _temp_file(raw_dir, target.source)
        try:
            sha, size = _copy_local(src, tmp)
            local = replace(target, url=str(src))  # messages name the file that was read
            return _finish(
                tmp, raw_dir, local, _meta(local, str(src), sha, size, stamp, None), previous, local_status
            )
        finally:
            tmp.unlink(missing_ok=True)
    policy = policy or HttpPolicy(timeout=timeout)
    return with_retries(
        lambda: _download(target, raw_dir, previous, policy, upstream_version),
        policy,
        f"{target.source} {target.url}",
        logger(),
    )


def _meta(target: Target, url: str, sha: str, size: int, etag: str | None, modified: str | None) -> dict:
    return {
        "source": target.source,
        "key": target.key,
        "url": url,
        "sha256": sha,
        "bytes": size,
        "etag": etag,
        "last_modified": modified,
        "fetched_at": _now(),
    }


def _finish(
    tmp: Path, raw_dir: Path, target: Target, meta: dict, previous: Fetched | None, status: str
) -> Fetched:
    if previous is not None and previous.sha256 == meta["sha256"]:
        fetched = Fetched(**{**meta, "path": previous.path, "status": "unchanged", "changed": False})
    else:
        path = _store(tmp, raw_dir, target, meta["sha256"], meta)
        fetched = Fetched(**{**meta, "path": str(path), "status": status, "changed": True})
    _append_manifest(raw_dir, target.source, asdict(fetched))
    return fetched


def record_unchanged(raw_dir: Path, previous: Fetched, status: str, **changes: str | None) -> Fetched:
    """Log that a held file was confirmed without downloading it (304, or the publisher's metadata)."""
    fetched = replace(previous, status=status, changed=False, fetched_at=_now(), **changes)
    _append_manifest(raw_dir, previous.source, asdict(fetched))
    return fetched


@cache
def _tls_context() -> ssl.SSLContext:
    """httpx's default TLS context, built once: loading the CA bundle costs ~30 ms a client, which
    the wait-time collector (every 15 minutes) and the 164 TransBorder fetches would pay each time."""
    return httpx.create_ssl_context()


def http_client(timeout: float) -> httpx.Client:
    """An httpx client as every fetch uses it: redirects followed (at most 5), the shared TLS context."""
    return httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=5, verify=_tls_context())


def _refused(target: Target, status: int) -> TransientFetchError:
    hint = target.refused_hint if status in (403, 429) else HINT
    return TransientFetchError(
        f"{target.source}: {target.url} answered HTTP {status} (rule: http_ok); {hint}"
    )


def _download(
    target: Target,
    raw_dir: Path,
    previous: Fetched | None,
    policy: HttpPolicy,
    upstream_version: str | None,
) -> Fetched:
    """One try: a paced, conditional GET streamed to a temporary file, checked, then stored."""
    url, source = target.url, target.source
    headers = {**request_headers(url), "Accept": "text/csv, application/zip, */*"}
    if previous is not None and previous.url == url:
        if previous.etag:
            headers["If-None-Match"] = previous.etag
        if previous.last_modified:
            headers["If-Modified-Since"] = previous.last_modified
    tmp = _temp_file(raw_dir, source)
    try:
        with (
            paced(url, policy.pacing),
            http_client(policy.timeout) as client,
            client.stream("GET", _with_secrets(url, target), headers=headers) as response,
        ):
            status = response.status_code
            if status == 304 and previous is not None:
                version = {"upstream_version": upstream_version} if upstream_version else {}
                return record_unchanged(raw_dir, previous, "not_modified", **version)
            if status >= 500 or status in (403, 429):
                raise _refused(target, status)
            if status == 404:
                raise NotFoundError(f"{source}: {url} answered HTTP 404 (rule: http_ok); {HINT}")
            if status == 204 and target.empty_ok:  # nothing matched: kept as an empty answer
                tmp.write_bytes(b"[]")
                meta = _meta(target, url, hashlib.sha256(b"[]").hexdigest(), 2, None, None)
                return _finish(tmp, raw_dir, target, meta, previous, "downloaded")
            if status != 200:
                said = target.scrub(response.read()[:300].decode("utf-8", errors="replace").strip())
                said = f" saying {said!r}" if said and status < 500 else ""
                raise SourceError(f"{source}: {url} answered HTTP {status}{said} (rule: http_ok); {HINT}")
            digest = hashlib.sha256()
            size = 0
            keep_encoded = response.headers.get("Content-Encoding", "").lower() == "gzip"
            expected = response.headers.get("Content-Length")
            started = time.monotonic()
            total = int(expected) if expected and expected.isdigit() else None
            where = f" ({target.progress})" if target.progress else ""
            with (
                tmp.open("wb") as out,
                progress(
                    f"{source}: {url.rsplit('/', 1)[-1]}{where}",
                    total,
                    lambda done, seconds: _progress(target, int(done), expected, seconds, done=False),
                ) as advance,
            ):
                for chunk in response.iter_raw(CHUNK) if keep_encoded else response.iter_bytes(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
                    advance(len(chunk))
            identity = "Content-Encoding" not in response.headers or keep_encoded
            if expected is not None and identity and int(expected) != size:
                raise TransientFetchError(
                    f"{source}: {url} body cut off: {size:,} of {int(expected):,} bytes "
                    "(rule: content_length)"
                )
            content_type = response.headers.get("Content-Type", "").lower()
            if content_type.startswith("text/html") and target.kind in DATA_KINDS:
                raise NotDataError(
                    f"{source}: {url} answered an HTML page (Content-Type {content_type}) where "
                    f"{target.kind.upper()} was expected, e.g. a CDN challenge (rule: is_{target.kind}); "
                    f"{target.refused_hint}"
                )
            meta = _meta(
                target,
                url,
                digest.hexdigest(),
                size,
                response.headers.get("ETag"),
                response.headers.get("Last-Modified"),
            )
            meta["upstream_version"] = upstream_version
            fetched = _finish(tmp, raw_dir, target, meta, previous, "downloaded")
            if target.progress:
                _progress(target, size, expected, time.monotonic() - started, done=True)
            return fetched
    except httpx.TooManyRedirects:
        raise SourceError(f"{source}: {url} redirects in a loop (rule: redirects)") from None
    except TransientFetchError as exc:
        raise type(exc)(_keep_partial(tmp, raw_dir, target, str(exc))) from None
    except httpx.RemoteProtocolError as exc:
        rule = "content_length" if "complete message body" in str(exc) else "transfer_complete"
        message = f"{source}: {url} body cut off ({exc}) (rule: {rule}); {HINT}"
        raise TransientFetchError(_keep_partial(tmp, raw_dir, target, message)) from None
    except (httpx.TimeoutException, httpx.ReadError) as exc:
        message = (
            f"{source}: {url} failed mid-transfer ({type(exc).__name__}: {exc}) (rule: transfer_complete); "
            f"{HINT}"
        )
        raise TransientFetchError(_keep_partial(tmp, raw_dir, target, message)) from None
    except httpx.TransportError as exc:
        raise TransientFetchError(
            f"{source}: cannot reach {url} ({type(exc).__name__}: {exc}) (rule: reachable); {HINT}"
        ) from None
    finally:
        tmp.unlink(missing_ok=True)


def _with_secrets(url: str, target: Target) -> httpx.URL | str:
    """The URL as requested: the secret parameters added to its query (they are in no message)."""
    return httpx.URL(url).copy_merge_params(target.secret_params) if target.secret_params else url


def _progress(target: Target, size: int, expected: str | None, seconds: float, *, done: bool) -> None:
    """One progress line: which file of the batch, bytes so far (of the total when known), rate."""
    total = f" of {int(expected) / 1e6:,.1f} MB" if expected and expected.isdigit() and not done else ""
    rate = size / 1e6 / seconds if seconds > 0 else 0.0
    verb = "downloaded" if done else "downloading"
    where = f" ({target.progress})" if target.progress else ""
    logger().info(
        "%s %s%s: %s MB%s in %.1f s (%.1f MB/s)",
        verb,
        target.url,
        where,
        f"{size / 1e6:,.1f}",
        total,
        seconds,
        rate,
    )


def fetch_text(url: str, source: str, policy: HttpPolicy, *, accept: str = "text/html") -> str:
    """A small text document (an index page, a metadata record), with the same manners and retries as
    a file; a file:// URL is read from disk. Not kept: it lists files, it is not data."""
    if url.startswith("file://"):
        path = Path(unquote(urlparse(url).path))
        try:
            return path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise SourceError(f"{source}: cannot read {path} ({exc}) (rule: reachable)") from None

    def once() -> str:
        try:
            with paced(url, policy.pacing), http_client(policy.timeout) as client:
                response = client.get(url, headers={**request_headers(url), "Accept": accept})
        except httpx.TooManyRedirects:
            raise SourceError(f"{source}: {url} redirects in a loop (rule: redirects)") from None
        except httpx.TransportError as exc:
            raise TransientFetchError(
                f"{source}: cannot read {url} ({type(exc).__name__}: {exc}) (rule: reachable)"
            ) from None
        if response.status_code >= 500 or response.status_code in (403, 429):
            raise TransientFetchError(f"{source}: {url} answered HTTP {response.status_code} (rule: http_ok)")
        if response.status_code != 200:
            raise SourceError(f"{source}: {url} answered HTTP {response.status_code} (rule: http_ok)")
        return response.text

    return with_retries(once, policy, f"{source} {url}", logger())


FORGOTTEN = "forgotten"  # manifest status: what was loaded from this key was removed on purpose


def _records(raw_dir: Path, source: str) -> list[dict]:
    path = manifest_path(raw_dir, source)
    if not path.exists():
        return []
    records = []
    for line in path.read_text().splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:  # a line torn by a killed run
            continue
        record.setdefault("key", source)
        records.append(record)
    return records


def _fetched(record: dict) -> Fetched:
    return Fetched(**{k: record[k] for k in Fetched.__dataclass_fields__ if k in record})


def fetch_history(raw_dir: Path, source: str) -> dict[str, Fetched]:
    """The newest good fetch of every key of a source whose raw file is on disk, from one read of
    its manifest (a source with a hundred files asks this once, not a hundred times)."""
    records = _records(raw_dir, source)
    refused = {(r["key"], r["sha256"]) for r in records if r.get("status") == "rejected"}
    newest: dict[str, Fetched] = {}
    for record in reversed(records):
        key = record["key"]
        if (
            key in newest
            or record.get("status") in ("rejected", FORGOTTEN)
            or (key, record["sha256"]) in refused
        ):
            continue
        if Path(record["path"]).exists():
            newest[key] = _fetched(record)
    return newest


def kept_fetches(raw_dir: Path, source: str) -> list[Fetched | str]:
    """Every good fetch of a source whose raw file is on disk, oldest first, with the key of each
    `record_forgotten` in its place: what a store built from these files can be rebuilt from."""
    records = _records(raw_dir, source)
    refused = {(r["key"], r["sha256"]) for r in records if r.get("status") == "rejected"}
    kept: list[Fetched | str] = []
    for record in records:
        if record.get("status") == FORGOTTEN:
            kept.append(record["key"])
        elif (
            record.get("status") != "rejected"
            and (record["key"], record["sha256"]) not in refused
            and Path(record["path"]).exists()
        ):
            kept.append(_fetched(record))
    return kept


def record_forgotten(raw_dir: Path, source: str, key: str) -> None:
    """Note in the manifest that what was loaded from `key` was removed, so a rebuild leaves it out."""
    _append_manifest(
        raw_dir,
        source,
        {"source": source, "key": key, "status": FORGOTTEN, "sha256": "", "path": "", "fetched_at": _now()},
    )


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in chunks (raw files can be gigabytes)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _keep_partial(tmp: Path, raw_dir: Path, target: Target, message: str) -> str:
    """`message`, plus where the bytes that did arrive are kept (nothing is kept when none arrived)."""
    if not tmp.exists() or tmp.stat().st_size == 0:
        return message
    size = tmp.stat().st_size
    sha = file_sha256(tmp)
    meta = _meta(target, target.url, sha, size, None, None)
    kept = _quarantine(tmp, raw_dir, target, f"partial-{sha[:12]}", meta, message)
    return f"{message}; the {size:,} bytes received are kept at {kept}"


def prune_partials(raw_dir: Path) -> int:
    """Remove `.partial-*` files a killed run left behind (not those of a process still writing them);
    returns how many."""
    count = 0
    for leftover in raw_dir.glob("*/.partial-*"):
        if left_behind(leftover):
            leftover.unlink(missing_ok=True)
            count += 1
    return count
