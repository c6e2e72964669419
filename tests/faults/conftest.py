"""The fault suite's harness: a published warehouse from good inputs, then `hled refresh` run again
(in-process through the real command line, on the session's Prefect test server) against a fault, and
the checks every case shares: exit status, the one-line error, the warehouse, what was kept."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
import typer

from flows import cli
from flows.outcome import EXIT_STALE
from tests.checksums import checksums, data_checksums
from tests.conftest import FIXTURES, FakePublisher, Reply, make_mirror, make_zip, sha256
from tests.faults.matrix import Case

GOOD = (FIXTURES / "crossings_current.csv").read_bytes()
CROSSINGS_PATH = "/api/views/keg4-3bc2/rows.csv"
TRADE = FIXTURES / "transborder"
MONTHS = {1: "Jan2020", 2: "Feb2020"}


@dataclass
class Outcome:
    exit: int
    stdout: str
    stderr: str

    @property
    def error(self) -> str:
        """The last line on stderr: the one-line error a failed command ends with."""
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        return lines[-1] if lines else ""


def hled(*args: str) -> Outcome:
    """An `hled` command through the real command line in this process: the console script's code
    path, with the command's own stdout/stderr consoles captured (Prefect's log handlers keep theirs)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    saved = cli.out.file, cli.err.file
    cli.out.file, cli.err.file = stdout, stderr
    try:
        code = typer.main.get_command(cli.app).main(list(args), standalone_mode=False)
    except typer.Exit as exc:  # raised where the command checks its settings, before it runs
        code = exc.exit_code
    finally:
        cli.out.file, cli.err.file = saved
    return Outcome(code or 0, stdout.getvalue(), stderr.getvalue())


def hled_refresh(*args: str) -> Outcome:
    """`hled refresh` through the real command line in this process."""
    return hled("refresh", *args)


def query(path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def facts(path: Path) -> tuple[int, int]:
    return checksums(path)["core.fact_crossings"]


@dataclass
class Home:
    """A HLED_HOME with a published warehouse, and what it looked like before the fault."""

    path: Path
    publisher: FakePublisher
    before: str = ""  # sha256 of the published warehouse before the fault
    data_before: dict | None = None  # checksums of its core and marts tables

    @property
    def warehouse(self) -> Path:
        return self.path / "warehouse.duckdb"

    def publish_baseline(self) -> None:
        first = hled_refresh()
        assert first.exit == 0, first.stderr
        self.before = sha256(self.warehouse)
        self.data_before = data_checksums(self.warehouse)

    def files(self, source: str, pattern: str = "*") -> dict[Path, bytes]:
        folder = self.path / "raw" / source
        return {p: p.read_bytes() for p in folder.glob(pattern) if p.is_file()}

    def last_run(self) -> dict:
        return json.loads((self.path / "runs.jsonl").read_text().splitlines()[-1])

    def check(self, case: Case, outcome: Outcome, *fragments: str) -> None:
        """What every case asserts: exit status; for a failed source (exit 3) a last line naming
        source, file and rule, the data unchanged and the source marked stale; for a failed run (exit 1)
        the published warehouse byte-for-byte unchanged; else the new warehouse published."""
        assert outcome.exit == case.exit, outcome.stderr[-2000:]
        if case.exit == 0:
            assert "refresh published" in outcome.stdout, outcome.stdout
            assert self.last_run()["status"] == "published"
            assert query(self.warehouse, "SELECT count(*) FROM meta.runs WHERE status = 'published'") == [
                (2,)
            ]
            return
        if case.exit == EXIT_STALE:  # the source failed: its last published data is kept, marked stale
            assert outcome.error.startswith("stale:"), outcome.stderr[-2000:]
            for fragment in (case.rule, *fragments):
                assert fragment in outcome.error, f"{fragment!r} not in {outcome.error!r}"
            assert data_checksums(self.warehouse) == self.data_before, "published data changed"
            stale = query(
                self.warehouse, "SELECT source, rule, reason FROM meta.source_status WHERE state = 'stale'"
            )
            assert len(stale) == 1 and stale[0][0] in outcome.error and stale[0][2] in outcome.error, stale
            assert self.last_run()["status"] == "published" and "stale: " in self.last_run()["message"]
            return
        assert outcome.error.startswith("refresh failed:"), outcome.stderr[-2000:]
        for fragment in (case.rule, *fragments):
            assert fragment in outcome.error, f"{fragment!r} not in {outcome.error!r}"
        assert sha256(self.warehouse) == self.before, "the published warehouse changed"
        assert query(self.warehouse, "SELECT count(*) FROM meta.runs") == [(1,)]
        assert self.last_run()["status"] == "failed"


@pytest.fixture(scope="session")
def baselines(tmp_path_factory) -> dict[str, tuple[str, dict | None]]:
    """This worker's published baselines: name -> (warehouse sha256, data checksums)."""
    return {}


def with_baseline(name: str, home: Home, baselines: dict, folder: Path, publish: Callable[[], None]) -> Home:
    """Publish the baseline in `folder` (HLED_HOME and whatever else the fixture keeps there) once per
    worker, and give every later test a fresh copy of it at the same absolute paths: the raw manifest
    names its files by path, and a conditional request needs the same URL."""
    saved = folder.with_name(f"{folder.name}.saved")
    if name in baselines:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(saved, folder, symlinks=True)
        home.before, home.data_before = baselines[name]
        return home
    publish()
    home.publisher.requests.clear()  # a test sees only its own requests, copied baseline or not
    shutil.copytree(folder, saved, symlinks=True)
    baselines[name] = (home.before, home.data_before)
    return home


@pytest.fixture
def crossings_home(prefect_server, publisher, hled_home, monkeypatch, baselines, tmp_path_factory) -> Home:
    """Crossings served over HTTP; the good file is published first (once per worker, then copied)."""
    folder = tmp_path_factory.getbasetemp() / "crossings_baseline"
    monkeypatch.setenv("HLED_HOME", str(folder / "home"))
    monkeypatch.setenv("HLED_URL_BTS_CROSSINGS", publisher.url(CROSSINGS_PATH))
    # the fixture rejects 1 conflicting duplicate of 18 rows; room for one more reject
    monkeypatch.setenv("HLED_MAX_REJECT_SHARE", "0.15")
    monkeypatch.setenv("HLED_CHARTS", "0")
    home = Home(folder / "home", publisher)

    def publish() -> None:
        publisher.queue(CROSSINGS_PATH, Reply(200, GOOD, {"ETag": '"good"'}))
        home.publish_baseline()
        publisher.replies[CROSSINGS_PATH].clear()

    return with_baseline("crossings", home, baselines, folder, publish)


@pytest.fixture
def trade_mirror(
    prefect_server, publisher, hled_home, monkeypatch, baselines, tmp_path_factory
) -> tuple[Home, Path]:
    """Crossings and TransBorder from a mirror directory; the good files are published first (once per
    worker, then the home and the mirror are copied for each test)."""
    folder = tmp_path_factory.getbasetemp() / "trade_baseline"
    root = folder / "mirror"
    for key, value in {
        "HLED_HOME": str(folder / "home"),
        "HLED_MIRROR": str(root),
        "HLED_SOURCES": "bts_crossings,transborder",
        "HLED_MAX_REJECT_SHARE": "0.5",  # a few rows per fixture file: one reject must stay in budget
        "HLED_CHARTS": "0",
    }.items():
        monkeypatch.setenv(key, value)
    home = Home(folder / "home", publisher)

    def publish() -> None:
        make_mirror(root, FIXTURES / "crossings_current.csv")
        shutil.copytree(TRADE, root / "transborder")
        (root / "transborder" / "2020" / "dot3_0220.csv").unlink(missing_ok=True)
        home.publish_baseline()

    return with_baseline("trade_mirror", home, baselines, folder, publish), root


def month_zip(month: int) -> bytes:
    """The fixture month as BTS ships it: a ZIP of the three dot CSVs in a folder named for the month."""
    names = [f"dot{t}_{month:02d}20.csv" for t in (1, 2, 3)]
    return make_zip(
        {
            f"{MONTHS[month]}/{n}": (TRADE / "2020" / n).read_bytes()
            for n in names
            if (TRADE / "2020" / n).exists()
        }
    )


def zip_path(month: int) -> str:
    return f"/transborder-raw/2020/{MONTHS[month]}.zip"


@pytest.fixture
def trade_zip_home(prefect_server, publisher, hled_home, monkeypatch, baselines, tmp_path_factory) -> Home:
    """TransBorder monthly ZIPs over HTTP (a manifest of two months); the good ZIPs are published first
    (once per worker, then copied)."""
    folder = tmp_path_factory.getbasetemp() / "trade_zip_baseline"
    manifest = folder / "manifest.csv"
    for key, value in {
        "HLED_HOME": str(folder / "home"),
        "HLED_TRANSBORDER_MANIFEST": str(manifest),
        "HLED_SOURCES": "transborder",
        "HLED_CHARTS": "0",
        "HLED_TRANSBORDER_RECHECK_DAYS": "0",  # every refresh asks again, so a changed ZIP is seen
    }.items():
        monkeypatch.setenv(key, value)
    home = Home(folder / "home", publisher)

    def publish() -> None:
        folder.mkdir(parents=True)
        manifest.write_text(
            "year,month,url\n" + "".join(f"2020,{m},{publisher.url(zip_path(m))}\n" for m in MONTHS)
        )
        for month in MONTHS:
            publisher.queue(zip_path(month), Reply(200, month_zip(month), {"ETag": f'"m{month}"'}))
        home.publish_baseline()

    with_baseline("trade_zip", home, baselines, folder, publish)
    for month in MONTHS:  # what the publisher serves unless a test queues otherwise
        publisher.queue(zip_path(month), Reply(200, month_zip(month), {"ETag": f'"m{month}"'}))
    return home
