"""Fetching one source file: conditional HTTP (or a mirror / file:// copy), streamed to a temporary
file, checked, then kept under `raw/<source>/<sha256>.<ext>` with a manifest line per fetch."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zlib
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlparse

import httpx

from flows.errors import SourceError
from transforms.errors import SchemaDriftError
from transforms.rawfile import match_layout

CHUNK = 1 << 20
USER_AGENT = "hled-border-pipeline/0.1 (open-source US-Mexico border analytics)"


class TransientFetchError(SourceError):
    """A failure worth retrying: timeout, connection error, 5xx, body cut off."""


@dataclass(frozen=True)
class Fetched:
    """What one fetch produced; `changed` is False when the content equals the last fetch's."""

    source: str
    url: str
    path: str
    sha256: str
    bytes: int
    status: str  # downloaded | not_modified | unchanged | mirror
    changed: bool
    etag: str | None
    last_modified: str | None
    fetched_at: str


def manifest_path(raw_dir: Path, source: str) -> Path:
    return raw_dir / source / "manifest.jsonl"


def last_fetch(raw_dir: Path, source: str) -> Fetched | None:
    """The newest good manifest entry whose raw file is still on disk."""
    path = manifest_path(raw_dir, source)
    if not path.exists():
        return None
    for line in reversed(path.read_text().splitlines()):
        record = json.loads(line)
        if record.get("status") == "rejected":
            continue
        if Path(record["path"]).exists():
            return Fetched(**{k: record[k] for k in Fetched.__dataclass_fields__})
    return None


def _append_manifest(raw_dir: Path, source: str, record: dict) -> None:
    path = manifest_path(raw_dir, source)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        fh.write(json.dumps(record, sort_keys=True) + "\n")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _head_line(path: Path) -> str:
    """First line of the file's content (gunzipping on the fly), without BOM and line ending."""
    with path.open("rb") as fh:
        head = fh.read(64 * 1024)
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64 * 1024)
        except zlib.error as exc:
            raise SourceError(f"damaged gzip stream ({exc})") from None
    return head.split(b"\n", 1)[0].decode("utf-8", errors="replace").lstrip("\ufeff").rstrip("\r")


def check_content(path: Path, layouts: dict[str, tuple[str, ...]], label: str) -> None:
    """Refuse what is not the expected CSV: empty, an HTML page, or a header of no known layout
    (SchemaDriftError naming the missing and unexpected columns)."""
    if path.stat().st_size == 0:
        raise SourceError(f"{label}: empty response body (rule: file_not_empty)")
    line = _head_line(path)
    if line.lstrip().startswith("<"):
        raise SourceError(
            f"{label}: received an HTML/XML page, not CSV (rule: is_csv); first line: {line[:80]!r}"
        )
    if layouts:
        match_layout([c.strip() for c in line.split(",")], layouts, label)


def _store(
    tmp: Path,
    raw_dir: Path,
    source: str,
    sha: str,
    layouts: dict[str, tuple[str, ...]],
    label: str,
    meta: dict,
) -> Path:
    """Move a verified temp file under its content hash; keep a refused one in quarantine."""
    with tmp.open("rb") as fh:
        gz = fh.read(2) == b"\x1f\x8b"
    ext = ".csv.gz" if gz else ".csv"
    try:
        check_content(tmp, layouts, label)
    except (SourceError, SchemaDriftError) as exc:
        quarantine = raw_dir / source / "quarantine"
        quarantine.mkdir(parents=True, exist_ok=True)
        kept = quarantine / f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{sha[:12]}{ext}"
        os.replace(tmp, kept)
        _append_manifest(
            raw_dir, source, {**meta, "status": "rejected", "path": str(kept), "error": str(exc)}
        )
        raise type(exc)(f"{exc}; the download is kept at {kept}") from None
    final = raw_dir / source / f"{sha}{ext}"
    os.replace(tmp, final)
    return final


def _temp_file(raw_dir: Path, source: str) -> Path:
    folder = raw_dir / source
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".partial-", dir=folder)
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


def fetch_source(
    source: str,
    url: str,
    raw_dir: Path,
    layouts: dict[str, tuple[str, ...]],
    *,
    mirror_file: Path | None = None,
    timeout: float = 60.0,
) -> Fetched:
    """Fetch `url` (or copy `mirror_file` / a file:// URL) into the raw store, conditionally."""
    previous = last_fetch(raw_dir, source)
    if mirror_file is not None or url.startswith("file://"):
        src = mirror_file or Path(unquote(urlparse(url).path))
        where = str(src)
        if not src.is_file():
            raise SourceError(f"{source}: mirror file {src} does not exist")
        tmp = _temp_file(raw_dir, source)
        try:
            sha, size = _copy_local(src, tmp)
            return _finish(source, where, raw_dir, layouts, tmp, sha, size, previous, "mirror", None, None)
        finally:
            tmp.unlink(missing_ok=True)
    return _download(source, url, raw_dir, layouts, previous, timeout)


def _finish(
    source: str,
    url: str,
    raw_dir: Path,
    layouts: dict[str, tuple[str, ...]],
    tmp: Path,
    sha: str,
    size: int,
    previous: Fetched | None,
    status: str,
    etag: str | None,
    last_modified: str | None,
) -> Fetched:
    meta = {
        "source": source,
        "url": url,
        "sha256": sha,
        "bytes": size,
        "etag": etag,
        "last_modified": last_modified,
        "fetched_at": _now(),
    }
    label = f"{source} ({url})"
    if previous is not None and previous.sha256 == sha:
        fetched = Fetched(**{**meta, "path": previous.path, "status": "unchanged", "changed": False})
    else:
        path = _store(tmp, raw_dir, source, sha, layouts, label, meta)
        fetched = Fetched(**{**meta, "path": str(path), "status": status, "changed": True})
    _append_manifest(raw_dir, source, asdict(fetched))
    return fetched


def _download(
    source: str,
    url: str,
    raw_dir: Path,
    layouts: dict[str, tuple[str, ...]],
    previous: Fetched | None,
    timeout: float,
) -> Fetched:
    request_headers = {"User-Agent": USER_AGENT, "Accept": "text/csv, application/zip, */*"}
    if previous is not None and previous.url == url:
        if previous.etag:
            request_headers["If-None-Match"] = previous.etag
        if previous.last_modified:
            request_headers["If-Modified-Since"] = previous.last_modified
    hint = "set HLED_MIRROR=DIR to refresh offline from a directory laid out like shared/data"
    tmp = _temp_file(raw_dir, source)
    try:
        with (
            httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=5) as client,
            client.stream("GET", url, headers=request_headers) as response,
        ):
            status = response.status_code
            if status == 304 and previous is not None:
                fetched = Fetched(
                    **{**asdict(previous), "status": "not_modified", "changed": False, "fetched_at": _now()}
                )
                _append_manifest(raw_dir, source, asdict(fetched))
                return fetched
            if status >= 500 or status == 429:
                raise TransientFetchError(f"{source}: {url} answered HTTP {status}")
            if status != 200:
                raise SourceError(f"{source}: {url} answered HTTP {status}; {hint}")
            digest = hashlib.sha256()
            size = 0
            with tmp.open("wb") as out:
                for chunk in (
                    response.iter_raw(CHUNK) if _keep_encoded(response) else response.iter_bytes(CHUNK)
                ):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            expected = response.headers.get("Content-Length")
            identity = "Content-Encoding" not in response.headers or _keep_encoded(response)
            if expected is not None and identity and int(expected) != size:
                raise TransientFetchError(
                    f"{source}: {url} body cut off: {size:,} of {int(expected):,} bytes "
                    f"(rule: content_length)"
                )
            return _finish(
                source,
                url,
                raw_dir,
                layouts,
                tmp,
                digest.hexdigest(),
                size,
                previous,
                "downloaded",
                response.headers.get("ETag"),
                response.headers.get("Last-Modified"),
            )
    except httpx.TooManyRedirects:
        raise SourceError(f"{source}: {url} redirects in a loop (rule: redirects)") from None
    except (httpx.TimeoutException, httpx.RemoteProtocolError, httpx.ReadError) as exc:
        raise TransientFetchError(
            f"{source}: {url} failed mid-transfer ({type(exc).__name__}: {exc}); {hint}"
        ) from None
    except httpx.TransportError as exc:
        raise TransientFetchError(
            f"{source}: cannot reach {url} ({type(exc).__name__}: {exc}); {hint}"
        ) from None
    finally:
        tmp.unlink(missing_ok=True)


def _keep_encoded(response: httpx.Response) -> bool:
    """Store gzip bodies as they came (smaller raw store); other encodings are decoded."""
    return response.headers.get("Content-Encoding", "").lower() == "gzip"


def prune_partials(raw_dir: Path) -> int:
    """Remove `.partial-*` files a killed run left behind; returns how many."""
    count = 0
    for leftover in raw_dir.glob("*/.partial-*"):
        leftover.unlink(missing_ok=True)
        count += 1
    return count
