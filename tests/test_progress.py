"""Progress of long steps: a bar on a terminal (seen through a pseudo-terminal), plain lines when the
console is a file or a pipe, as under cron or systemd."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = """
import time
import flows.progress
from flows.progress import progress
flows.progress.EVERY = 0.5
def line(done, seconds):
    print(f"line {done:g}", flush=True)
with progress("transborder: parsing 4 files", 4, line) as advance:
    for _ in range(4):
        time.sleep(0.3)
        advance(1)
print("finished", flush=True)
"""


def _run(on_terminal: bool, env: dict[str, str]) -> str:
    command = [sys.executable, "-c", SCRIPT]
    if not on_terminal:
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout + done.stderr
    parent, child = pty.openpty()
    process = subprocess.Popen(command, stdin=child, stdout=child, stderr=child, cwd=ROOT, env=env)
    os.close(child)
    out = b""
    while True:
        try:
            chunk = os.read(parent, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    assert process.wait(timeout=60) == 0, out
    os.close(parent)
    return out.decode("utf-8", "replace")


def test_a_terminal_gets_a_bar_and_a_pipe_gets_plain_lines() -> None:
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"}
    shown = _run(True, env)
    assert "transborder: parsing 4 files" in shown and "\u2501" in shown, shown  # the bar's glyph
    assert "finished" in shown and "line " not in shown

    piped = _run(False, env)
    assert "\u2501" not in piped and "\x1b[" not in piped, "no bar or escape codes in a log file"
    lines = piped.strip().splitlines()
    assert lines[-1] == "finished" and lines[:-1] and all(line.startswith("line ") for line in lines[:-1]), (
        lines
    )
    assert [float(line.split()[1]) for line in lines[:-1]] == sorted(
        float(line.split()[1]) for line in lines[:-1]
    )


def test_plain_lines_come_every_few_seconds(monkeypatch) -> None:
    import flows.progress

    monkeypatch.setattr(flows.progress, "EVERY", 0.0)
    monkeypatch.setattr(flows.progress, "on_terminal", lambda: False)
    seen: list[float] = []
    with flows.progress.progress("x", 3, lambda done, seconds: seen.append(done)) as advance:
        for _ in range(3):
            advance(2)
    assert seen == [2, 4, 6]
    monkeypatch.setattr(flows.progress, "EVERY", 3600.0)
    seen.clear()
    with flows.progress.progress("x", 3, lambda done, seconds: seen.append(done)) as advance:
        advance(1)
    assert seen == [], "no line before EVERY seconds have passed"
