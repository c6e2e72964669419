"""Files a process is still writing are named `.partial-<pid>-…`: the clean-up of what a killed run left
removes only those whose process is gone, so a refresh never deletes the download of an import or a
collection running beside it. (A partial without a pid, from an older version, counts as left behind
once it is an hour old.)"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

PID = re.compile(r"\.partial-(\d+)-")
UNNAMED_AGE = 3600.0  # seconds


def partial_prefix(kind: str = "") -> str:
    """The prefix of a temporary file or folder this process writes (`kind` says what it is)."""
    return f".partial-{os.getpid()}-{kind}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def left_behind(path: Path) -> bool:
    """Whether `path` (a partial file or folder) was left by a process that is no longer running."""
    found = PID.search(path.name)
    if found:
        pid = int(found.group(1))
        return pid != os.getpid() and not _alive(pid)
    try:
        return time.time() - path.stat().st_mtime > UNNAMED_AGE
    except FileNotFoundError:
        return False
