"""Benchmarks: each scenario runs in its own process, several times; the table shows the median wall
time, the peak memory (max RSS of that process) and the ratio against the baseline measured in the
same run. Nothing here asserts a timing.

    bash run.sh bench [--data DIR] [--repeat 3] [--scale 4] [--keep]

The scratch folder (mirrors, homes, warehouses: 6 to 11 GB with --scale 4) is removed at the end, even
after a failure, unless --keep is given.
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CROSSINGS = "bts_border_crossing/Border_Crossing_Entry_Data.csv.gz"

ALL_FLOOR = """
import duckdb, glob, re, sys
con = duckdb.connect(sys.argv[2])
con.execute("CREATE TABLE crossings AS SELECT * FROM read_csv(?)", [sys.argv[1] + "/" + sys.argv[3]])
monthly = re.compile(r"dot[123]_(0[1-9]|1[0-2])[0-9][0-9]")
files = [f for f in glob.glob(sys.argv[1] + "/transborder/*/dot*_*.csv*") if monthly.search(f)]
for table in ("dot1", "dot2", "dot3"):
    mine = sorted(f for f in files if f"/{table}_" in f)
    sql = f"CREATE TABLE {table} AS SELECT * FROM read_csv(?, union_by_name = true, all_varchar = true)"
    con.execute(sql, [mine])
con.execute("CHECKPOINT")
tables = ("crossings", "dot1", "dot2", "dot3")
print(sum(con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in tables))
"""

# What a notebook user does: pandas read_csv of every file, to_sql into SQLite, a few aggregates.
PEER = """
import glob, re, sqlite3, sys
import pandas as pd
con = sqlite3.connect(sys.argv[2])
pd.read_csv(sys.argv[1] + "/" + sys.argv[3]).to_sql("crossings", con, index=False)
monthly = re.compile(r"dot[123]_(0[1-9]|1[0-2])[0-9][0-9]")
for path in sorted(f for f in glob.glob(sys.argv[1] + "/transborder/*/dot*_*.csv*") if monthly.search(f)):
    table = re.search(r"(dot[123])_", path).group(1)
    pd.read_csv(path).to_sql(table, con, index=False, if_exists="append")
con.commit()
queries = [
    "SELECT substr(Date, -4), Border, sum(Value) FROM crossings WHERE Measure = 'Trucks' GROUP BY 1, 2",
    "SELECT YEAR, COUNTRY, sum(VALUE) FROM dot1 GROUP BY 1, 2",
    "SELECT DEPE, sum(VALUE) FROM dot3 WHERE COUNTRY = 2010 GROUP BY 1 ORDER BY 2 DESC LIMIT 10",
]
for q in queries:
    con.execute(q).fetchall()
tables = ("crossings", "dot1", "dot2", "dot3")
print(sum(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables))
"""


@dataclass
class Result:
    name: str
    seconds: list[float]
    peak_mib: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def measure(
    cmd: list[str], env: dict[str, str], log: Path, ok: tuple[int, ...] = (0,)
) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process (its output goes to `log`); an exit status
    not in `ok` stops the benchmark."""
    start = time.perf_counter()
    with log.open("wb") as out:
        child = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in ok:
        sys.exit(f"benchmark command failed: {' '.join(cmd)}\n{log.read_text()[-3000:]}")
    return elapsed, usage.ru_maxrss / 1024


def run(name: str, repeat: int, make, logs: Path, ok: tuple[int, ...] = (0,)) -> Result:
    result = Result(name, [], [])
    for i in range(repeat):
        cmd, env = make(i)
        seconds, mib = measure(cmd, env, logs / f"{make.__name__}{i}.log", ok)
        result.seconds.append(seconds)
        result.peak_mib.append(mib)
        print(f"  {name} #{i + 1}: {seconds:.2f} s, {mib:.0f} MiB", file=sys.stderr)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    default = os.environ.get("HLED_MIRROR") or str(ROOT.parent / "shared" / "data")
    parser.add_argument("--data", default=default, help="directory laid out like shared/data")
    parser.add_argument("--repeat", type=int, default=3, help="runs per scenario (median reported)")
    parser.add_argument(
        "--scale",
        type=int,
        default=4,
        help="the TransBorder history multiplied this many times for the scale runs: a full refresh once, "
        "the one-month night --repeat times (0: none)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the scratch folder (homes, mirrors) for a look afterwards"
    )
    args = parser.parse_args()
    data = Path(args.data).resolve()
    if not (data / CROSSINGS).exists():
        sys.exit(f"no {CROSSINGS} under {data}; pass --data DIR (a directory laid out like shared/data)")

    work = Path(tempfile.mkdtemp(prefix="hled-bench-"))
    try:
        _bench(args, data, work)
    finally:
        if args.keep:
            print(f"scratch kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def _bench(args: argparse.Namespace, data: Path, work: Path) -> None:
    """Every scenario, then the tables, all under the scratch folder `work`."""
    from flows.deployment import local_server

    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("HLED_", "PREFECT_API"))}
    base_env.update(
        {
            "DO_NOT_TRACK": "1",
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_LOGGING_LEVEL": "WARNING",
            "PREFECT_HOME": str(work / "prefect"),
        }
    )
    os.environ["PREFECT_HOME"] = base_env["PREFECT_HOME"]
    hled = [sys.executable, "-m", "flows.cli"]

    with local_server() as api_url:
        base_env["PREFECT_API_URL"] = api_url

        def everything(i: int):
            env = {
                **base_env,
                "HLED_HOME": str(work / f"all{i}"),
                "HLED_MIRROR": str(data),
                "HLED_CHARTS": "0",
            }
            return [*hled, "refresh"], env

        def all_floor(i: int):
            return [
                sys.executable,
                "-c",
                ALL_FLOOR,
                str(data),
                str(work / f"floor{i}.duckdb"),
                CROSSINGS,
            ], base_env

        def peer(i: int):
            target = work / f"peer{i}.sqlite"
            target.unlink(missing_ok=True)
            return [sys.executable, "-c", PEER, str(data), str(target), CROSSINGS], base_env

        def noop(i: int):
            env = {**base_env, "HLED_HOME": str(work / "all0"), "HLED_MIRROR": str(data), "HLED_CHARTS": "0"}
            return [*hled, "refresh"], env

        def empty_flow(i: int):
            code = "from prefect import flow\n@flow\ndef empty():\n    return 1\nempty()"
            return [sys.executable, "-c", code], base_env

        def one_month(i: int):
            """Publish everything but the latest TransBorder month (not timed), then add that month."""
            mirror, home = work / f"mirror{i}", work / f"inc{i}"
            latest = _latest_trade_month(data)
            _link_mirror(data, mirror, leave_out=latest)
            env = {**base_env, "HLED_HOME": str(home), "HLED_MIRROR": str(mirror), "HLED_CHARTS": "0"}
            subprocess.run([*hled, "refresh"], env=env, cwd=ROOT, check=True, capture_output=True)
            _link_mirror(data, mirror, leave_out=None)
            return [*hled, "refresh"], env

        def sql_start(i: int):
            return [*hled, "sql", "SELECT 1"], {**base_env, "HLED_HOME": str(work / "all0")}

        def duckdb_start(i: int):
            code = "import duckdb, sys; print(duckdb.connect(sys.argv[1], read_only=True).sql('SELECT 1'))"
            return [sys.executable, "-c", code, str(work / "all0" / "warehouse.duckdb")], base_env

        def charts(i: int):
            return [*hled, "charts", "--lang", "en"], {**base_env, "HLED_HOME": str(work / "all0")}

        print(f"data: {data}\nscratch: {work}", file=sys.stderr)
        results = {
            "all_floor": run("duckdb read_csv of every file (floor)", args.repeat, all_floor, work),
            "peer": run("pandas read_csv + to_sql SQLite + 3 queries (peer)", args.repeat, peer, work),
            "everything": run("hled refresh, all sources (no charts)", args.repeat, everything, work),
            "empty_flow": run("empty Prefect flow run", args.repeat, empty_flow, work),
            "refresh_noop": run("hled refresh, nothing changed", args.repeat, noop, work),
            "one_month": run("hled refresh adding one TransBorder month", args.repeat, one_month, work),
            "charts": run("hled charts --lang en (whole suite + page)", args.repeat, charts, work),
            "sql_start": run('hled sql "SELECT 1" (start-up)', args.repeat, sql_start, work),
            "duckdb_start": run("python -c duckdb SELECT 1 (floor)", args.repeat, duckdb_start, work),
        }
        if args.scale > 1:
            results |= _scaled_runs(data, work, args.scale, base_env, hled, args.repeat)
        latencies = _analyst_queries(work / "all0" / "warehouse.duckdb", args.repeat)
        # last, as it marks a source of all0 stale: the night a source starts failing (the published
        # file lacks the stale mark, so it is rebuilt from a copy and the charts redrawn), then the
        # nights it goes on failing with nothing else new (the states recorded, nothing rebuilt)
        broken = work / "mirror_broken"
        _link_mirror(data, broken, leave_out=None)
        (broken / CROSSINGS).unlink()
        (broken / CROSSINGS).write_bytes(gzip.compress(b"Port Name,State\nx,y\n"))

        def failing(i: int):
            env = {
                **base_env,
                "HLED_HOME": str(work / "all0"),
                "HLED_MIRROR": str(broken),
                "HLED_CHARTS": "0",
            }
            return [*hled, "refresh"], env

        stale = (3,)  # published with a source stale
        results["failure_first"] = run(
            "hled refresh, a source starts failing (no charts)", 1, failing, work, stale
        )
        results["failure_again"] = run(
            "hled refresh, the source still failing, nothing new", args.repeat, failing, work, stale
        )

    comparisons = [
        ("everything", "all_floor"),
        ("everything", "peer"),
        ("refresh_noop", "empty_flow"),
        ("failure_again", "refresh_noop"),
        ("failure_first", "refresh_noop"),
        ("one_month", "everything"),
        ("one_month", "peer"),
        ("one_month_scaled", "one_month"),
        ("everything_scaled", "everything"),
        ("sql_start", "duckdb_start"),
    ]
    print(
        f"\nMachine: {os.cpu_count()} cores, {_memory_gib():.0f} GiB RAM, {platform.platform()}, "
        f"Python {platform.python_version()}; median of {args.repeat} runs; each scenario is a fresh process"
    )
    print("\n| scenario | median s | peak MiB |\n|---|---:|---:|")
    for res in results.values():
        print(f"| {res.name} | {res.median:.2f} | {max(res.peak_mib):.0f} |")
    print("\n| comparison | ratio |\n|---|---:|")
    for key, base in comparisons:
        if key not in results:
            continue
        ratio = results[key].median / results[base].median
        print(f"| {results[key].name} / {results[base].name} | {ratio:.2f}x |")
    print("\n| analyst query (docs/analysts.md) | median ms |\n|---|---:|")
    for number, ms in latencies:
        print(f"| {number} | {ms:.1f} |")


def _scaled_runs(
    data: Path, work: Path, times: int, base_env: dict[str, str], hled: list[str], repeat: int
) -> dict:
    """A full refresh (once) and a one-month night (`repeat` times, as at 1x: a ratio of one run against a
    median was at the mercy of one slow run) on the TransBorder history `times` over: the first should
    grow with the history, the second not."""
    from benchmarks.scaled_history import scaled_mirror

    mirror, since = work / f"mirror_x{times}", date(2018, 1, 1)  # the default HLED_TRANSBORDER_FROM
    first = scaled_mirror(data, mirror, times, since)
    env = {
        **base_env,
        "HLED_MIRROR": str(mirror),
        "HLED_CHARTS": "0",
        "HLED_TRANSBORDER_FROM": f"{first:%Y-%m}",
    }

    def everything_scaled(i: int):
        return [*hled, "refresh"], {**env, "HLED_HOME": str(work / f"all_x{times}_{i}")}

    def one_month_scaled(i: int):
        """Publish the long history but the latest month (not timed), then add that month."""
        home = {**env, "HLED_HOME": str(work / f"inc_x{times}_{i}")}
        scaled_mirror(data, mirror, times, since, leave_out=_latest_trade_month(data))
        subprocess.run([*hled, "refresh"], env=home, cwd=ROOT, check=True, capture_output=True)
        scaled_mirror(data, mirror, times, since)
        return [*hled, "refresh"], home

    return {
        "everything_scaled": run(
            f"hled refresh, all sources, TransBorder history x{times}", 1, everything_scaled, work
        ),
        "one_month_scaled": run(
            f"hled refresh adding one TransBorder month, history x{times}", repeat, one_month_scaled, work
        ),
    }


def _latest_trade_month(data: Path) -> str:
    """`MMYY` of the latest monthly TransBorder dot1 file in the mirror."""
    stamps = [p.name[5:9] for p in data.glob("transborder/*/dot1_*.csv*") if p.name[5:7] <= "12"]
    return max(stamps, key=lambda mmyy: (mmyy[2:], mmyy[:2]))


def _link_mirror(data: Path, mirror: Path, leave_out: str | None) -> None:
    """A mirror of symlinks to the staged files, optionally without one TransBorder month (MMYY)."""
    for source in [
        data / CROSSINGS,
        *data.glob("transborder/*/dot*_*.csv*"),
        *data.glob("reference/**/*.xls"),
    ]:
        target = mirror / source.relative_to(data)
        if leave_out and source.name[5:9] == leave_out:
            target.unlink(missing_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            target.symlink_to(source)


def _analyst_queries(warehouse: Path, repeat: int) -> list[tuple[int, float]]:
    """Median latency of each of the ten questions in docs/analysts.md on a read-only connection."""
    import duckdb

    from tests.test_analysts_doc import examples

    con = duckdb.connect(str(warehouse), read_only=True)
    out = []
    try:
        for number, sql in enumerate(examples()[:10], start=1):
            times = []
            for _ in range(max(repeat, 5)):
                start = time.perf_counter()
                con.execute(sql).fetchall()
                times.append((time.perf_counter() - start) * 1000)
            out.append((number, statistics.median(times)))
    finally:
        con.close()
    return out


def _memory_gib() -> float:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


if __name__ == "__main__":
    main()
