"""Open a page in Debian's headless Chromium: the DOM after its scripts ran, the console lines, and a
screenshot. Tests that use it skip where Chromium is not installed."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
requires_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (Debian package `chromium`; .ci/run installs it)"
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--hide-scrollbars",
    "--virtual-time-budget=30000",
]


@dataclass
class Rendered:
    dom: str
    console: list[str]

    def chart_boxes(self) -> dict[str, str]:
        """The inner HTML of each `chart-<name>` container."""
        parts = re.split(r'<div [^>]*id="chart-', self.dom)[1:]
        return {p.split('"', 1)[0]: p for p in parts}

    def status(self) -> dict[str, str]:
        tag = re.search(r'<p id="status"([^>]*)>', self.dom)
        return dict(re.findall(r'data-(\w+)="([^"]*)"', tag.group(1))) if tag else {}


def open_page(page: Path, work: Path, fragment: str = "", screenshot: Path | None = None) -> Rendered:
    """The page's DOM once its scripts settled and the console lines Chromium logged."""
    url = page.resolve().as_uri() + (f"#{fragment}" if fragment else "")
    profile = work / f"profile-{len(list(work.glob('profile-*')))}"
    profile.mkdir(parents=True)
    base = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--window-size=1280,9000"]
    dumped = subprocess.run(
        [*base, "--enable-logging=stderr", "--v=0", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=180,
    )
    console = [line for line in dumped.stderr.splitlines() if ":CONSOLE" in line]
    if screenshot is not None:
        subprocess.run(
            [*base, f"--screenshot={screenshot}", url], capture_output=True, timeout=180, check=True
        )
    return Rendered(dumped.stdout, console)


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG header."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
