"""A helper process's tie to its parent: it is told to end when the parent dies, even by SIGKILL, so
no orphan keeps a port or a core. Standard library only: the helper process calls it before it
imports anything else."""

from __future__ import annotations

import contextlib
import ctypes
import signal


def end_with_parent() -> None:
    """In the helper's process, before it runs: SIGTERM when its parent dies (Linux's PR_SET_PDEATHSIG;
    elsewhere nothing)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
