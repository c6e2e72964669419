"""Progress of long steps (a download, a source's parse): a bar on a terminal, and where the output
goes to a file or a scheduler's mail, a plain line every few seconds instead (a bar would litter it)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

EVERY = 5.0  # seconds between plain progress lines


def on_terminal() -> bool:
    """Whether the console is a terminal a bar can redraw."""
    return sys.stderr.isatty() and os.environ.get("TERM", "dumb") != "dumb"


@contextmanager
def progress(
    description: str, total: float | None, line: Callable[[float, float], None]
) -> Iterator[Callable[[float], None]]:
    """Yields `advance(amount)`. On a terminal it draws a transient bar of `description` up to
    `total`; otherwise `line(done, seconds)` is called at most every EVERY seconds."""
    started = last = time.monotonic()
    done = 0.0
    if on_terminal():
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

        bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        with bar:
            task = bar.add_task(description, total=total)
            yield lambda amount: bar.advance(task, amount)
        return

    def advance(amount: float) -> None:
        nonlocal done, last
        done += amount
        now = time.monotonic()
        if now - last >= EVERY:
            last = now
            line(done, now - started)

    yield advance
