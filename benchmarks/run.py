"""Benchmarks: each scenario runs in its own process, several times; the table shows the median wall
time, the peak memory (max RSS of that process) and the ratio against the baseline measured in the
same run. Nothing here asserts a timing.

    bash run.sh bench [--data DIR] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CROSSINGS = "bts_border_crossing/Border_Crossing_Entry_Data.csv.gz"

TRADE_FLOOR = """
import duckdb, glob, re, sys
con = duckdb.connect(sys.argv[2])
monthly = re.compile(r"dot[123]_(0[1-9]|1[0-2])[0-9][0-9]")
files = [f for f in glob.glob(sys.argv[1] + "/transborder/*/dot*_*.csv*") if monthly.search(f)]
for table in ("dot1", "dot2", "dot3"):
    mine = sorted(f for f in files if f"/{table}_" in f)
    sql = f"CREATE TABLE {table} AS SELECT * FROM read_csv(?, union_by_name = true, all_varchar = true)"
    con.execute(sql, [mine])
con.execute("CHECKPOINT")
print(sum(con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in ("dot1", "dot2", "dot3")))
"""

FLOOR = """
import duckdb, sys
con = duckdb.connect(sys.argv[2])
con.execute("CREATE TABLE crossings AS SELECT * FROM read_csv(?, all_varchar = false)", [sys.argv[1]])
con.execute("CHECKPOINT")
print(con.execute("SELECT count(*) FROM crossings").fetchall()[0][0])
"""


@dataclass
class Result:
    name: str
    seconds: list[float]
    peak_mib: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def measure(cmd: list[str], env: dict[str, str], log: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process (its output goes to `log`); a failure stops
    the benchmark."""
    start = time.perf_counter()
    with log.open("wb") as out:
        child = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"benchmark command failed: {' '.join(cmd)}\n{log.read_text()[-3000:]}")
    return elapsed, usage.ru_maxrss / 1024


def run(name: str, repeat: int, make, logs: Path) -> Result:
    result = Result(name, [], [])
    for i in range(repeat):
        cmd, env = make(i)
        seconds, mib = measure(cmd, env, logs / f"{make.__name__}{i}.log")
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
    args = parser.parse_args()
    data = Path(args.data).resolve()
    if not (data / CROSSINGS).exists():
        sys.exit(f"no {CROSSINGS} under {data}; pass --data DIR (a directory laid out like shared/data)")

    from flows.deployment import local_server

    work = Path(tempfile.mkdtemp(prefix="hled-bench-"))
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

        def floor(i: int):
            return [
                sys.executable,
                "-c",
                FLOOR,
                str(data / CROSSINGS),
                str(work / f"floor{i}.duckdb"),
            ], base_env

        def full(i: int):
            env = {
                **base_env,
                "HLED_HOME": str(work / f"full{i}"),
                "HLED_MIRROR": str(data),
                "HLED_CHARTS": "0",
                "HLED_SOURCES": "bts_crossings",
            }
            return [*hled, "refresh"], env

        def trade_floor(i: int):
            return [
                sys.executable,
                "-c",
                TRADE_FLOOR,
                str(data),
                str(work / f"trade_floor{i}.duckdb"),
            ], base_env

        def trade_full(i: int):
            env = {
                **base_env,
                "HLED_HOME": str(work / f"trade{i}"),
                "HLED_MIRROR": str(data),
                "HLED_CHARTS": "0",
                "HLED_SOURCES": "transborder",
            }
            return [*hled, "refresh"], env

        def noop(i: int):
            env = {
                **base_env,
                "HLED_HOME": str(work / "full0"),
                "HLED_MIRROR": str(data),
                "HLED_CHARTS": "0",
                "HLED_SOURCES": "bts_crossings",
            }
            return [*hled, "refresh"], env

        def charts(i: int):
            env = {**base_env, "HLED_HOME": str(work / "full0")}
            return [*hled, "charts", "--lang", "en"], env

        def empty_flow(i: int):
            code = "from prefect import flow\n@flow\ndef empty():\n    return 1\nempty()"
            return [sys.executable, "-c", code], base_env

        print(f"data: {data}\nscratch: {work}", file=sys.stderr)
        results = {
            "duckdb_floor": run("duckdb read_csv, crossings (floor)", args.repeat, floor, work),
            "refresh_full": run("hled refresh, crossings only (no charts)", args.repeat, full, work),
            "trade_floor": run(
                "duckdb read_csv, all TransBorder files (floor)", args.repeat, trade_floor, work
            ),
            "trade_full": run("hled refresh, TransBorder only (no charts)", args.repeat, trade_full, work),
            "empty_flow": run("empty Prefect flow run", args.repeat, empty_flow, work),
            "refresh_noop": run("hled refresh, nothing changed", args.repeat, noop, work),
            "charts": run("hled charts --lang en", args.repeat, charts, work),
        }

    baselines = {"refresh_full": "duckdb_floor", "refresh_noop": "empty_flow", "trade_full": "trade_floor"}
    print(
        f"\nMachine: {os.cpu_count()} cores, {_memory_gib():.0f} GiB RAM, {platform.platform()}, "
        f"Python {platform.python_version()}; median of {args.repeat} runs; each scenario is a fresh process"
    )
    print("\n| scenario | median s | peak MiB | baseline | ratio |\n|---|---:|---:|---|---:|")
    for key, res in results.items():
        base = baselines.get(key)
        ratio = f"{res.median / results[base].median:.2f}x" if base else ""
        print(
            f"| {res.name} | {res.median:.2f} | {max(res.peak_mib):.0f} | "
            f"{results[base].name if base else ''} | {ratio} |"
        )


def _memory_gib() -> float:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


if __name__ == "__main__":
    main()
