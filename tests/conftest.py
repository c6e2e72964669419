"""Shared fixtures: a real Prefect test server, a real HTTP server on 127.0.0.1, HLED_HOME in a
temporary directory, mirrors built from the hand-made fixtures or the staged shared data."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = Path(os.environ.get("HLED_TEST_SHARED_DATA", ROOT.parent / "shared" / "data"))
CROSSINGS_MIRROR_PATH = "bts_border_crossing/Border_Crossing_Entry_Data.csv"

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("COLUMNS", "200")  # console output unwrapped, whatever the temporary path's length

# Started first, so that under xdist the longest test (two cron minutes) does not end a worker's queue
FIRST = ("test_serve_runs_the_refresh_on_its_schedule",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.name not in FIRST)


requires_shared = pytest.mark.skipif(
    not (SHARED_DATA / "bts_border_crossing").is_dir(),
    reason=f"staged real data not found at {SHARED_DATA} (a fresh clone has no ../shared/data)",
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory) -> Iterator[None]:
    """One real Prefect server (test harness) for the whole session."""
    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect_home"))
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    # no heartbeat thread: it sleeps ~1 s at the end of every flow run
    with (
        prefect_test_harness(server_startup_timeout=90),
        temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
    ):
        yield


@pytest.fixture
def hled_home(tmp_path, monkeypatch) -> Path:
    """A clean HLED_HOME; other HLED_* variables of the caller's shell are cleared."""
    for key in list(os.environ):
        if key.startswith("HLED_") and key != "HLED_TEST_SHARED_DATA":
            monkeypatch.delenv(key)
    home = tmp_path / "home"
    monkeypatch.setenv("HLED_HOME", str(home))
    monkeypatch.setenv("HLED_RETRY_DELAYS", "0.05")
    monkeypatch.setenv("HLED_HTTP_PACING", "0")  # the replica tests that check pacing set their own
    monkeypatch.setenv("HLED_HTTP_TIMEOUT", "5")
    monkeypatch.setenv("HLED_SOURCES", "bts_crossings,cbp_wait_times")  # trade tests opt in
    return home


def make_mirror(root: Path, crossings: Path) -> Path:
    """A mirror directory laid out like shared/data holding `crossings` as the crossings file."""
    target = root / CROSSINGS_MIRROR_PATH
    if crossings.name.endswith(".gz"):
        target = target.with_name(target.name + ".gz")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(crossings, target)
    return root


@pytest.fixture
def crossings_mirror(prefect_server, hled_home, tmp_path, monkeypatch) -> Path:
    """A mirror holding only the hand-made crossings file, set up as the one source of this test's
    refreshes (no charts; its one rejected row of 18 is within HLED_MAX_REJECT_SHARE)."""
    root = make_mirror(tmp_path / "mirror", FIXTURES / "crossings_current.csv")
    for key, value in {
        "HLED_MIRROR": str(root),
        "HLED_SOURCES": "bts_crossings",
        "HLED_CHARTS": "0",
        "HLED_MAX_REJECT_SHARE": "0.1",
    }.items():
        monkeypatch.setenv(key, value)
    return root


def make_zip(members: dict[str, bytes]) -> bytes:
    """A ZIP (deflated) holding `members` by name, as bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    cut_after: int | None = None  # send only this many body bytes, then close
    delay: float = 0.0  # seconds to wait before answering (a stalled server)


@dataclass
class FakePublisher:
    """A real HTTP server on 127.0.0.1 whose replies a test queues per path."""

    base: str
    replies: dict[str, list[Reply]]
    requests: list[dict]

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def queue(self, path: str, *replies: Reply) -> None:
        self.replies.setdefault(path, []).extend(replies)


@contextmanager
def serve_publisher() -> Iterator[FakePublisher]:
    """Start a FakePublisher on a free port of 127.0.0.1 and stop it afterwards."""
    replies: dict[str, list[Reply]] = {}
    requests: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            requests.append({"path": self.path, "headers": dict(self.headers)})
            queue = replies.get(self.path) or []
            reply = queue.pop(0) if len(queue) > 1 else (queue[0] if queue else Reply(404))
            if reply.delay:
                time.sleep(reply.delay)
            self.send_response(reply.status)
            for key, value in reply.headers.items():
                self.send_header(key, value)
            if "Location" not in reply.headers:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            body = reply.body if reply.cut_after is None else reply.body[: reply.cut_after]
            self.wfile.write(body)
            if reply.cut_after is not None:
                self.close_connection = True

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield FakePublisher(f"http://127.0.0.1:{server.server_address[1]}", replies, requests)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def publisher_server() -> Iterator[FakePublisher]:
    """One fake publisher per worker, so a baseline published once keeps its URLs valid."""
    with serve_publisher() as server:
        yield server


@pytest.fixture
def publisher(publisher_server: FakePublisher) -> FakePublisher:
    """The fake publisher with no queued reply and no recorded request."""
    publisher_server.replies.clear()
    publisher_server.requests.clear()
    return publisher_server
