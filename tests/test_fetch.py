"""The real download code against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import gzip
import json
import os
import socket
from pathlib import Path

import pytest

import flows.ingest.fetch
from flows.errors import SourceError
from flows.ingest.fetch import Target, TransientFetchError, fetch_source, last_fetch
from flows.sources import BTS_CROSSINGS
from tests.conftest import FIXTURES, Reply, sha256
from transforms.errors import SchemaDriftError

BODY = (FIXTURES / "crossings_current.csv").read_bytes()
HEADERS = BTS_CROSSINGS.tables["crossings"].layouts


def fetch(publisher, raw_dir, path="/rows.csv"):
    return fetch_source(target(publisher.url(path)), raw_dir, timeout=3)


def target(url: str) -> Target:
    return Target("bts_crossings", "bts_crossings", url, "csv", HEADERS)


def test_200_is_stored_under_its_hash_with_a_manifest_line(publisher, tmp_path) -> None:
    publisher.queue(
        "/rows.csv", Reply(200, BODY, {"ETag": '"v1"', "Last-Modified": "Mon, 01 Sep 2025 00:00:00 GMT"})
    )
    got = fetch(publisher, tmp_path)
    assert got.status == "downloaded" and got.changed
    assert got.bytes == len(BODY)
    stored = tmp_path / "bts_crossings" / f"{got.sha256}.csv"
    assert str(stored) == got.path
    assert sha256(stored) == got.sha256
    manifest = [
        json.loads(x) for x in (tmp_path / "bts_crossings" / "manifest.jsonl").read_text().splitlines()
    ]
    assert manifest[-1]["etag"] == '"v1"'
    assert manifest[-1]["url"] == publisher.url("/rows.csv")
    assert manifest[-1]["bytes"] == len(BODY)
    assert manifest[-1]["fetched_at"]


def test_second_fetch_is_conditional_and_304_keeps_the_file(publisher, tmp_path) -> None:
    publisher.queue(
        "/rows.csv",
        Reply(200, BODY, {"ETag": '"v1"', "Last-Modified": "Mon, 01 Sep 2025 00:00:00 GMT"}),
        Reply(304),
    )
    first = fetch(publisher, tmp_path)
    second = fetch(publisher, tmp_path)
    sent = publisher.requests[-1]["headers"]
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Mon, 01 Sep 2025 00:00:00 GMT"
    assert second.status == "not_modified" and not second.changed
    assert second.path == first.path and second.sha256 == first.sha256


def test_same_bytes_again_are_unchanged(publisher, tmp_path) -> None:
    publisher.queue("/rows.csv", Reply(200, BODY))
    first = fetch(publisher, tmp_path)
    second = fetch(publisher, tmp_path)
    assert (second.status, second.changed, second.path) == ("unchanged", False, first.path)
    assert len(list((tmp_path / "bts_crossings").glob("*.csv"))) == 1


def test_gzip_encoded_body_is_kept_compressed(publisher, tmp_path) -> None:
    packed = gzip.compress(BODY)
    publisher.queue("/rows.csv", Reply(200, packed, {"Content-Encoding": "gzip"}))
    got = fetch(publisher, tmp_path)
    assert got.path.endswith(".csv.gz")
    assert gzip.decompress(Path(got.path).read_bytes()) == BODY


def test_html_page_with_200_is_refused_and_kept_in_quarantine(publisher, tmp_path) -> None:
    publisher.queue("/rows.csv", Reply(200, b"<!DOCTYPE html><html><body>Maintenance</body></html>\n"))
    with pytest.raises(SourceError, match=r"HTML/XML page, not CSV \(rule: is_csv\)") as info:
        fetch(publisher, tmp_path)
    assert "bts_crossings" in str(info.value) and "/rows.csv" in str(info.value)
    kept = list((tmp_path / "bts_crossings" / "quarantine").iterdir())
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"<!DOCTYPE html>")
    assert str(kept[0]) in str(info.value)
    assert last_fetch(tmp_path, "bts_crossings") is None


def test_unknown_header_is_refused(publisher, tmp_path) -> None:
    publisher.queue("/rows.csv", Reply(200, b"a,b,c\n1,2,3\n"))
    with pytest.raises(SchemaDriftError, match=r"known_header.*unexpected columns \['a', 'b', 'c'\]"):
        fetch(publisher, tmp_path)


def test_body_cut_off_before_content_length_is_transient(publisher, tmp_path) -> None:
    publisher.queue("/rows.csv", Reply(200, BODY, cut_after=100))
    with pytest.raises(TransientFetchError, match="failed mid-transfer|body cut off"):
        fetch(publisher, tmp_path)
    assert not list((tmp_path / "bts_crossings").glob("*.csv"))
    assert not list((tmp_path / "bts_crossings").glob(".partial-*"))


def test_5xx_is_transient_and_404_is_not(publisher, tmp_path) -> None:
    publisher.queue("/down.csv", Reply(503))
    with pytest.raises(TransientFetchError, match="HTTP 503"):
        fetch(publisher, tmp_path, "/down.csv")
    with pytest.raises(SourceError, match="HTTP 404.*HLED_MIRROR") as info:
        fetch(publisher, tmp_path, "/missing.csv")
    assert not isinstance(info.value, TransientFetchError)


def test_redirect_loop_is_refused(publisher, tmp_path) -> None:
    publisher.queue("/loop", Reply(302, headers={"Location": "/loop"}))
    with pytest.raises(SourceError, match=r"redirects in a loop"):
        fetch(publisher, tmp_path, "/loop")


def test_connection_refused_names_url_and_mirror(tmp_path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/rows.csv"
    with pytest.raises(TransientFetchError) as info:
        fetch_source(target(url), tmp_path, timeout=2)
    assert url in str(info.value) and "HLED_MIRROR" in str(info.value)


def test_mirror_file_is_copied_and_unchanged_next_time(tmp_path) -> None:
    src = FIXTURES / "crossings_current.csv"
    first = fetch_source(target("https://example.invalid/x"), tmp_path / "raw", mirror_file=src)
    second = fetch_source(target("https://example.invalid/x"), tmp_path / "raw", mirror_file=src)
    assert (first.status, first.changed) == ("mirror", True)
    assert (second.status, second.changed) == ("unchanged", False)
    assert first.sha256 == sha256(src)


def test_an_untouched_mirror_file_is_not_read_again_and_a_rewritten_one_is(tmp_path, monkeypatch) -> None:
    src = tmp_path / "mirror.csv"
    src.write_bytes((FIXTURES / "crossings_current.csv").read_bytes())
    raw = tmp_path / "raw"
    first = fetch_source(target("https://example.invalid/x"), raw, mirror_file=src)
    reads: list[Path] = []
    copy = flows.ingest.fetch._copy_local
    monkeypatch.setattr(flows.ingest.fetch, "_copy_local", lambda s, t: reads.append(s) or copy(s, t))

    again = fetch_source(target("https://example.invalid/x"), raw, mirror_file=src)
    assert (again.status, again.changed, again.sha256, reads) == ("unchanged", False, first.sha256, [])

    # the same size and modification time, other bytes: the change time gives it away
    stat = src.stat()
    text = src.read_bytes()
    src.write_bytes(text.replace(b"Texas", b"TEXAS", 1))
    os.utime(src, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert src.stat().st_size == stat.st_size and src.stat().st_mtime_ns == stat.st_mtime_ns
    rewritten = fetch_source(target("https://example.invalid/x"), raw, mirror_file=src)
    assert (rewritten.status, rewritten.changed, reads) == ("mirror", True, [src])
    assert rewritten.sha256 == sha256(src) != first.sha256
