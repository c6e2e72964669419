"""`hled refresh` in a child process that SIGKILLs itself, or waits, at a chosen point:

    python -m tests.faults.killer build|publish|after_rename|hold [MARKER_DIR]

build: after the marts are derived into the new file, before its checkpoint; publish: right before
the rename over the published file (the snapshot link is made); after_rename: right after it;
hold: at the same point as build, touch MARKER_DIR/held and wait for MARKER_DIR/go."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def arm(point: str, markers: Path | None) -> None:
    import warehouse.build as build
    import warehouse.publish as publish

    if point in ("build", "hold"):
        derive = build.derive

        def derive_then_stop(con, *args) -> tuple[int, int, int]:
            done = derive(con, *args)
            if point == "build":
                _die()
            assert markers is not None
            (markers / "held").touch()
            while not (markers / "go").exists():
                time.sleep(0.05)
            return done

        build.derive = derive_then_stop
    elif point == "publish":
        replace = os.replace

        def replace_or_die(src, dst) -> None:
            if Path(dst).name == "warehouse.duckdb":
                _die()
            replace(src, dst)

        os.replace = replace_or_die
    elif point == "after_rename":
        publish._fsync_dir = lambda folder: _die()
    else:
        raise SystemExit(f"unknown point {point!r}")


if __name__ == "__main__":
    arm(sys.argv[1], Path(sys.argv[2]) if len(sys.argv) > 2 else None)
    from flows.cli import app

    app(["refresh"])
