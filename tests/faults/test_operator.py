"""Operator mistakes: settings that would let bad data through or make no sense are refused at start."""

from __future__ import annotations

import gzip
import io
import os
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile

import pytest

from tests.checksums import data_checksums
from tests.conftest import FIXTURES, Reply, make_mirror, sha256
from tests.faults.conftest import CROSSINGS_PATH, GOOD, Home, hled, hled_refresh, query
from tests.faults.matrix import BY_ID
from tests.handmade import build_handmade


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("HLED_MAX_REJECT_SHARE", "2"),
        ("HLED_MIN_ROW_RATIO", "-1"),
        ("HLED_HTTP_TIMEOUT", "0"),
        ("HLED_HTTP_TIMEOUT", "nan"),
        ("HLED_WAIT_TIMES_EVERY", "inf"),
    ],
)
def test_a_setting_out_of_range_is_refused_before_anything_runs(
    crossings_home: Home, monkeypatch, key: str, value: str
) -> None:
    case = BY_ID["settings_out_of_range"]
    requests = len(crossings_home.publisher.requests)
    monkeypatch.setenv(key, value)
    outcome = hled_refresh()
    assert outcome.exit == case.exit, outcome.stderr
    lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"error: {key}={value!r} is {case.rule}"), lines
    assert sha256(crossings_home.warehouse) == crossings_home.before
    assert len(crossings_home.publisher.requests) == requests, "nothing was fetched"


def test_a_home_and_names_with_quotes_and_brackets(prefect_server, hled_home, monkeypatch, tmp_path) -> None:
    """A quote or brackets in HLED_HOME or in the data: SQL is built with parameters or quoted literals,
    the console prints text as it is; refresh, a stale source kept, and the Parquet export all work."""
    case = BY_ID["quote_in_home"]
    home = tmp_path / "o'brien [data] home"
    monkeypatch.setenv("HLED_HOME", str(home))
    monkeypatch.setenv("HLED_CHARTS", "0")
    monkeypatch.setenv("HLED_MAX_REJECT_SHARE", "0.1")
    mirror = make_mirror(tmp_path / "mirror's [copy]", FIXTURES / "crossings_current.csv")
    monkeypatch.setenv("HLED_MIRROR", str(mirror))
    assert hled_refresh().exit == 0
    crossings = next(mirror.rglob("*.csv"))
    crossings.write_bytes(crossings.read_bytes().replace(b"Laredo", b"Laredo [/x] 'quoted'"))
    renamed = hled_refresh()
    assert renamed.exit == case.exit and "refresh published" in renamed.stdout, renamed.stderr[-2000:]
    crossings.write_bytes(b"Port Name,Value\n[/bold],1\n")
    stale = hled_refresh()
    assert stale.exit == 3 and stale.error.startswith("stale: bts_crossings"), stale.stderr[-2000:]
    assert "o'brien [data] home" in stale.error, "the path is printed as it is"
    out = tmp_path / "parquet's [out]"
    assert hled("export", "parquet", str(out)).exit == 0 and (out / "marts.port_month.parquet").exists()
    names = query(home / "warehouse.duckdb", "SELECT port_name FROM marts.port WHERE port_code = '2304'")
    assert names == [("Laredo [/x] 'quoted'",)], "the data of the last good load is kept"


def test_a_damaged_published_warehouse_is_set_aside_and_restored(crossings_home: Home, tmp_path) -> None:
    case = BY_ID["damaged_warehouse"]
    revised = GOOD.replace(b"Feb 2020,Trucks,99,", b"Feb 2020,Trucks,140,")
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, revised, {"ETag": '"revised"'}))
    assert hled_refresh().exit == 0  # the first warehouse is now a snapshot
    garbage = b"not a database " * 4096
    crossings_home.warehouse.write_bytes(garbage)

    status = hled("status")
    assert status.exit == 2 and status.error.startswith("error: the published warehouse"), status.stderr
    assert "cannot be opened" in status.error and "Traceback" not in status.stderr
    charts = hled("charts")
    assert charts.exit == 1 and "cannot be opened" in charts.error and "Traceback" not in charts.stderr

    outcome = hled_refresh()
    assert outcome.exit == case.exit, outcome.stderr[-2000:]
    assert "set aside as" in outcome.stdout and "restored the newest snapshot that opens" in outcome.stdout
    kept = list((crossings_home.path / "damaged").glob("warehouse-*.duckdb"))
    assert [p.read_bytes() for p in kept] == [garbage], "the damaged file is kept for inspection"
    value = "SELECT value FROM core.fact_crossings WHERE port_code = '2304' AND month = '2020-02-01'"
    assert query(crossings_home.warehouse, value + " AND measure = 'trucks'") == [(140,)]
    assert query(crossings_home.warehouse, "SELECT count(*) FROM meta.runs WHERE status = 'published'") == [
        (3,)
    ], "the run history of the restored snapshot is carried on"


def test_a_damaged_wait_history_is_set_aside_and_rebuilt_from_the_raw_responses(crossings_home: Home) -> None:
    case = BY_ID["damaged_history"]
    waits = FIXTURES / "wait_times"
    history = crossings_home.path / "wait_times" / "history.duckdb"
    assert hled("waits", "import", str(waits / "snapshots")).exit == 0
    for port in ("250401", "535501"):
        assert hled("waits", "backfill", str(waits / "profile_bad.csv"), "--port", port).exit == 0
    assert hled("waits", "forget", "--port", "535501").exit == 0
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, GOOD, {"ETag": '"good"'}))
    assert hled_refresh().exit == 0
    content = (
        "SELECT (SELECT count(*) FROM readings), (SELECT sum(hash(port_number, observed_utc, delay_minutes)) "
        "FROM readings), (SELECT count(*) FROM snapshots), "
        "(SELECT list(DISTINCT port_number) FROM profiles), (SELECT count(*) FROM profiles)"
    )
    before = query(history, content)
    assert before[0][0] > 0 and before[0][3:] == (["250401"], 10), before
    published = data_checksums(crossings_home.warehouse)

    waits_import, refresh = ("waits", "import", str(waits / "snapshots")), ("refresh",)
    for attempt, (command, damage) in enumerate(
        ((waits_import, "garbage"), (refresh, "garbage"), (waits_import, "cut"), (refresh, "cut"))
    ):
        if damage == "garbage":
            garbage = b"no history %d " % attempt * 4096
        else:  # cut to half its length: it opens, its counts read, its rows do not
            garbage = history.read_bytes()[: history.stat().st_size // 2]
        history.write_bytes(garbage)
        crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, GOOD, {"ETag": '"good"'}))
        outcome = hled(*command)
        assert outcome.exit == case.exit, outcome.stderr[-2000:]
        said = " ".join((outcome.stdout + outcome.stderr).split())
        assert "could not be opened" in said and "rebuilt the wait-time history" in said, said
        assert f"{before[0][2]} snapshots" in said, said
        assert query(history, content) == before, "the rebuilt history differs"
        kept = sorted((crossings_home.path / "damaged").glob("history-*.duckdb"))
        assert kept[-1].read_bytes() == garbage and len(kept) == attempt + 1, "the damaged file is kept"
    assert data_checksums(crossings_home.warehouse) == published, "the same history publishes the same data"


def test_odd_inputs_end_in_one_line_not_a_traceback(hled_home, tmp_path) -> None:
    case = BY_ID["no_tracebacks"]
    build_handmade(hled_home / "warehouse.duckdb")
    before = sha256(hled_home / "warehouse.duckdb")
    cut = tmp_path / "snapshots.tar.gz"
    cut.write_bytes(gzip.compress(b"x" * 10_000)[:20])
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000)
    big = tmp_path / "big.tar.gz"
    with tarfile.open(big, "w:gz") as archive:  # 65 MiB of zeros: a few kilobytes compressed
        member = tarfile.TarInfo("snapshots/json_1.json")
        member.size = 65 << 20
        archive.addfile(member, io.BytesIO(bytes(member.size)))
    folder = tmp_path / "collected"  # a plain file over the cap: refused while it is streamed
    folder.mkdir()
    (folder / "huge.json").write_bytes(b"[" + b" " * (65 << 20) + b"]")
    bomb = tmp_path / "bomb.json.gz"  # 70 KB that unpack to 70 MiB
    bomb.write_bytes(gzip.compress(b"[" + b" " * (70 << 20) + b"]"))
    for path, rule in (
        (cut, "archive_readable"),
        (deep, "is_json"),
        (big, "archive_member_cap"),
        (folder, "archive_member_cap"),
        (bomb, "gzip_cap"),
    ):
        outcome = hled("waits", "import", str(path))
        assert outcome.exit == case.exit and "Traceback" not in outcome.stderr, outcome.stderr[-2000:]
        assert outcome.error.startswith("wait-time import failed:") and f"{case.rule} {rule}" in outcome.error
        assert str(path) in outcome.error
    raw = hled_home / "raw"
    shutil.rmtree(raw, ignore_errors=True)
    raw.write_text("a file where the raw folder should be")  # as a full or read-only disk: an OSError
    unwritable = hled("waits", "import", str(FIXTURES / "wait_times" / "snapshots"))
    assert unwritable.exit == 1 and "Traceback" not in unwritable.stderr, unwritable.stderr[-2000:]
    assert unwritable.error.startswith("wait-time import failed:") and str(raw) in unwritable.error
    raw.unlink()
    # streamed as CSV, the error comes while rows are fetched (a table would stop at --limit before it)
    late = hled(
        "sql", "SELECT i, CASE WHEN i > 50000 THEN error('late') END FROM range(100000) t(i)", "--csv"
    )
    assert late.exit == 2 and late.error == "error: query failed: Invalid Input Error: late", late.stderr
    assert sha256(hled_home / "warehouse.duckdb") == before


def _charts_with_file_size_limit(limit: int) -> subprocess.CompletedProcess:
    """`hled charts` in a process that may write no file past `limit` bytes, as on a disk that fills up."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "flows.cli", "charts", "--lang", "en"],
        preexec_fn=cap,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_disk_that_cannot_take_the_charts_ends_in_one_line(hled_home) -> None:
    case = BY_ID["charts_disk_full"]
    build_handmade(hled_home / "warehouse.duckdb")
    before = sha256(hled_home / "warehouse.duckdb")
    exports = hled_home / "exports"
    exports.write_text("a file where the exports folder should be")
    blocked = hled("charts", "--lang", "en", "--chart", "scorecard")
    assert blocked.exit == case.exit and "Traceback" not in blocked.stderr, blocked.stderr[-2000:]
    assert blocked.error.startswith(f"error: cannot write the charts under {exports / 'en'}"), blocked.error
    assert f"(rule: {case.rule})" in blocked.error and len(blocked.stderr.strip().splitlines()) == 1
    exports.unlink()

    full = _charts_with_file_size_limit(200_000)  # every chart's HTML inlines ~1 MB of Vega
    assert full.returncode == case.exit and "Traceback" not in full.stderr, full.stderr[-2000:]
    error = full.stderr.strip().splitlines()
    assert len(error) == 1 and "File too large" in error[0] and f"(rule: {case.rule})" in error[0], error
    assert not list((exports / "en").glob(".*partial*")), "a half-written chart file is left"
    assert not (exports / "en" / ".complete").exists()
    assert sha256(hled_home / "warehouse.duckdb") == before


def test_sql_limit_bounds_what_is_fetched(hled_home) -> None:
    case = BY_ID["sql_limit"]
    build_handmade(hled_home / "warehouse.duckdb")
    shown = hled("sql", "SELECT range AS i, repeat('x', 100) AS pad FROM range(50000000)", "--limit", "5")
    assert shown.exit == case.exit, shown.stderr
    assert "more than 5 rows; the first 5 are shown" in shown.stdout
    assert [line.split("│")[1].strip() for line in shown.stdout.splitlines() if line.startswith("│")] == [
        "0",
        "1",
        "2",
        "3",
        "4",
    ]
    csv_out = hled(
        "sql", "SELECT port_code, month, measure, value FROM marts.port_month ORDER BY ALL", "--csv"
    )
    assert csv_out.exit == 0
    lines = csv_out.stdout.splitlines()
    count = query(hled_home / "warehouse.duckdb", "SELECT count(*) FROM marts.port_month")[0][0]
    assert lines[0] == "port_code,month,measure,value" and len(lines) == count + 1 and count > 100


def test_a_backfill_with_nothing_usable_fails_and_keeps_the_earlier_values(hled_home, tmp_path) -> None:
    case = BY_ID["backfill_nothing_usable"]
    waits = FIXTURES / "wait_times"
    assert hled("waits", "backfill", str(waits / "profile_bad.csv"), "--port", "250401").exit == 0
    history = hled_home / "wait_times" / "history.duckdb"
    before = query(history, "SELECT count(*), sum(hash(p)) FROM profiles p")
    garbage = tmp_path / "all_bad.csv"
    header, *rows = (waits / "profile_bad.csv").read_text().splitlines()
    garbage.write_text("\n".join([header, *(",".join("x" for _ in header.split(",")) for _ in rows)]) + "\n")
    outcome = hled("waits", "backfill", str(garbage), "--port", "250401")
    assert outcome.exit == case.exit, outcome.stderr
    assert outcome.error.startswith("wait-time backfill failed:") and f"(rule: {case.rule})" in outcome.error
    assert f"no usable row, {len(rows)} of {len(rows)} rejected" in outcome.error
    assert query(history, "SELECT count(*), sum(hash(p)) FROM profiles p") == before


def test_a_backfill_for_the_wrong_crossing_is_forgotten_and_a_reload_replaces_it_whole(
    hled_home, tmp_path
) -> None:
    case = BY_ID["backfill_forget"]
    waits = FIXTURES / "wait_times"
    history = hled_home / "wait_times" / "history.duckdb"
    assert hled("waits", "backfill", str(waits / "profile_bad.csv"), "--port", "535501").exit == 0
    assert hled("waits", "backfill", str(waits / "profile_bad.csv"), "--port", "250401").exit == 0
    header, *rows = (waits / "profile_bad.csv").read_text().splitlines()
    ped = [i for i, name in enumerate(header.split(",")) if name.startswith("ped_")]
    no_ped = tmp_path / "no_pedestrian_lanes.csv"
    no_ped.write_text(
        "\n".join(
            [header, *(",".join("0" if i in ped else v for i, v in enumerate(r.split(","))) for r in rows)]
        )
        + "\n"
    )
    reload = hled("waits", "backfill", str(no_ped), "--port", "250401")
    assert reload.exit == 0 and "ped_time_avg" in reload.stdout, reload.stdout
    lanes = "SELECT DISTINCT vehicle_type FROM profiles WHERE port_number = ? ORDER BY 1"
    assert query(history, lanes.replace("?", "'250401'")) == [("passenger",)], "the old pedestrian lanes stay"
    assert query(history, lanes.replace("?", "'535501'")) == [("passenger",), ("pedestrian",)]
    outcome = hled("waits", "forget", "--port", "535501")
    assert outcome.exit == case.exit, outcome.stderr
    assert "10 hourly averages removed for 535501" in outcome.stdout and "profile_bad.csv" in outcome.stdout
    assert query(history, "SELECT port_number, count(*) FROM profiles GROUP BY 1") == [("250401", 6)]
    assert query(history, "SELECT port_number FROM profile_files") == [("250401",)]
    assert query(history, "SELECT count(*) FROM rejects") == [(3,)], "the kept file's rejects stay"
    again = hled("waits", "forget", "--port", "535501")
    assert again.exit == 1 and again.error.startswith("wait-time forget failed:"), again.stderr
    assert "no backfill is loaded for this crossing" in again.error


def test_a_damaged_parse_cache_entry_is_parsed_again(crossings_home: Home) -> None:
    case = BY_ID["damaged_parse_cache"]
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, GOOD, {"ETag": '"good"'}))
    assert hled_refresh().exit == 0
    published = data_checksums(crossings_home.warehouse)
    cached = sorted((crossings_home.path / "build" / "cache" / "parse").glob("*/clean.parquet"))
    assert cached, "the refresh keeps its parse"
    for path in cached:
        path.write_bytes(b"not parquet " * 100)
    outcome = hled_refresh("--force")
    assert outcome.exit == case.exit, outcome.stderr[-2000:]
    assert data_checksums(crossings_home.warehouse) == published
    assert all(pq_rows(path) > 0 for path in cached), "parsed again into the cache"


def pq_rows(path) -> int:
    import pyarrow.parquet as pq

    return pq.read_metadata(path).num_rows


def test_hled_sql_has_a_time_and_memory_bound_the_query_cannot_lift(hled_home, monkeypatch) -> None:
    case = BY_ID["sql_bounds"]
    build_handmade(hled_home / "warehouse.duckdb")
    before = sha256(hled_home / "warehouse.duckdb")
    monkeypatch.setenv("HLED_SQL_TIMEOUT", "2")
    monkeypatch.setenv("HLED_SQL_MEMORY", "64MB")
    said = {
        "scan": hled("sql", "SELECT count(*) FROM range(1000000000000)"),
        "set": hled("sql", "SET memory_limit='100GB'"),
        "pragma": hled("sql", "PRAGMA memory_limit='100GB'"),
        "reset": hled("sql", "RESET memory_limit"),
        "memory": hled("sql", "SELECT list(range) FROM range(100000000)"),
        "empty": hled("sql", ""),
        "semicolon": hled("sql", " ; "),
        "comment": hled("sql", "/* x */"),
    }
    for name, outcome in said.items():
        assert outcome.exit == case.exit, (name, outcome.stdout, outcome.stderr)
        assert len(outcome.stderr.strip().splitlines()) == 1 and "Traceback" not in outcome.stderr, name
    assert "query stopped after 2 s (HLED_SQL_TIMEOUT)" in said["scan"].error
    for name in ("set", "pragma", "reset"):
        assert "hled sql does not change settings" in said[name].error, said[name].error
    assert "more memory than HLED_SQL_MEMORY=64MB" in said["memory"].error
    for name in ("empty", "semicolon", "comment"):
        assert "this text holds none" in said[name].error
    limit = hled("sql", "SELECT current_setting('memory_limit') AS m")
    assert limit.exit == 0 and "61.0 MiB" in limit.stdout, limit.stdout
    assert sha256(hled_home / "warehouse.duckdb") == before


def test_waits_import_of_a_device_or_a_pipe_is_refused_at_once(hled_home, tmp_path) -> None:
    case = BY_ID["waits_import_device"]
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    for source in ("/dev/zero", str(pipe)):
        outcome = hled("waits", "import", source)
        assert outcome.exit == case.exit, outcome.stderr
        assert f"(rule: {case.rule})" in outcome.error and source in outcome.error
        assert len(outcome.stderr.strip().splitlines()) == 1


def test_xlsx_export_checks_its_target_first_and_leaves_no_temporary_file(
    hled_home, tmp_path, monkeypatch
) -> None:
    case = BY_ID["xlsx_target"]
    build_handmade(hled_home / "warehouse.duckdb")
    refused = hled("export", "xlsx", "/proc/hled-test.xlsx")
    assert refused.exit == case.exit and f"(rule: {case.rule})" in refused.error, refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    scratch = tmp_path / "tmpdir"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    tempfile.tempdir = None  # read TMPDIR again, as a new process would
    try:
        written = hled("export", "xlsx", str(tmp_path / "out" / "border.xlsx"))
    finally:
        tempfile.tempdir = None
    assert written.exit == 0, written.stderr
    assert (tmp_path / "out" / "border.xlsx").stat().st_size > 10_000
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["border.xlsx"], "a partial or scratch is left"
    assert not list(scratch.iterdir()), "xlsxwriter's temporary files went to TMPDIR"


def test_a_refused_source_and_a_refused_second_refresh_print_no_traceback(crossings_home: Home) -> None:
    """Through the console script in a process of its own, as an operator sees it: a crossings file that
    fails validation ends in its `stale:` line, and a refresh while another holds the lock in one line;
    neither prints a traceback (Prefect logs every failed task's; the expected ones are left out)."""
    case = BY_ID["no_tracebacks_refresh"]
    negative = GOOD.replace(b"Feb 2020,Trucks,99,", b"Feb 2020,Trucks,-99,")
    crossings_home.publisher.queue(CROSSINGS_PATH, Reply(200, negative))
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
    refused = subprocess.run(
        [sys.executable, "-m", "flows.cli", "refresh"], env=env, capture_output=True, text=True, timeout=300
    )
    assert refused.returncode == case.exit, refused.stderr[-2000:]
    assert "Traceback" not in refused.stderr and "Traceback" not in refused.stdout, refused.stderr[-3000:]
    assert refused.stderr.strip().splitlines()[-1].startswith("stale: bts_crossings failed at validate")
    lock = crossings_home.path / ".refresh.lock"
    with lock.open("a+") as held:
        import fcntl

        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.seek(0)
        held.truncate()
        held.write("4242")
        held.flush()
        busy = subprocess.run(
            [sys.executable, "-m", "flows.cli", "refresh"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert busy.returncode == 1 and "Traceback" not in busy.stderr, busy.stderr[-2000:]
    assert busy.stderr.strip().splitlines() == [
        f"refresh failed: another refresh is running on {crossings_home.path} (pid 4242); "
        "wait for it to finish"
    ]
