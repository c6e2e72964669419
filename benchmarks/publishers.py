"""The TransBorder refresh from bts.gov's replica (tests/replica.py: the staged months as bts.gov's ZIPs,
behind a CDN that refuses requests closer than the pacing) next to the same refresh from the mirror,
each `hled refresh` from scratch in its own process; prints both times and the pacing's share.
Nothing here asserts a timing.

    .venv/bin/python -m benchmarks.publishers [--data ../shared/data] [--pacing 3]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

from tests.replica import publish_all, serve_bts, staged_transborder_zips

ROOT = Path(__file__).resolve().parent.parent
WAITED = re.compile(r"waited ([0-9.]+) s in all for the publishers' pacing")


def refresh(env: dict[str, str]) -> tuple[float, str]:
    """`hled refresh` in a new process; its wall time and console output."""
    started = time.monotonic()
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "hled"), "refresh"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"hled refresh failed:\n{done.stderr[-3000:]}")
    return elapsed, done.stdout + done.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--pacing", type=float, default=3.0, help="seconds, for the CDN and the client")
    args = parser.parse_args()
    base = {k: v for k, v in os.environ.items() if not k.startswith("HLED_")}
    base |= {"HLED_SOURCES": "transborder", "HLED_CHARTS": "0", "DO_NOT_TRACK": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        base["PREFECT_HOME"] = str(root / "prefect")
        zips = staged_transborder_zips(args.data, root / "zips")
        mirror, _ = refresh(base | {"HLED_HOME": str(root / "mirror"), "HLED_MIRROR": str(args.data)})
        with serve_bts(pacing=args.pacing) as bts:
            publish_all(bts, zips)
            env = base | {
                "HLED_HOME": str(root / "replica"),
                "HLED_URL_TRANSBORDER": bts.index_url,
                "HLED_HTTP_PACING": str(args.pacing),
            }
            replica, output = refresh(env)
            requests, refused = len(bts.requests), bts.refusals()
    match = WAITED.search(output)
    waited = float(match.group(1)) if match else float("nan")
    print(f"TransBorder from scratch, {len(zips)} ZIPs, pacing {args.pacing:g} s")
    print(f"  mirror (HLED_MIRROR)       {mirror:7.1f} s")
    print(f"  bts.gov replica            {replica:7.1f} s  ({replica / mirror:.2f}x the mirror)")
    print(f"    of which pacing waits    {waited:7.1f} s  ({waited / replica:.0%} of the replica run)")
    print(f"    requests / refused (403) {requests:7d} / {refused}")


if __name__ == "__main__":
    main()
