"""How every request to a publisher is made: a User-Agent that names the project and its URL, a
Referer, at least `pacing` seconds between two requests to the same host (failed ones included), and
retries of what may pass (timeouts, 403/429/5xx, a CDN's HTML challenge) with exponential back-off and
jitter. bts.gov's CDN refuses scripts that are anonymous or hurried (see shared/PUBLISHERS.md)."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from flows.errors import SourceError

if TYPE_CHECKING:
    from flows.settings import Settings

T = TypeVar("T")
JITTER = 0.5  # up to this share of a back-off delay is added at random, so retries do not march in step


class TransientFetchError(SourceError):
    """A failure worth retrying: timeout, connection error, 403/429/5xx, body cut off, a challenge page."""


@cache
def user_agent() -> str:
    """`hled-border/<version> (+<project URL>)`, from the package metadata (declared once, in pyproject)."""
    try:
        meta = metadata.metadata("hled-border")
        version = meta["Version"]
        urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL") or [])
        home = urls.get("Homepage", "")
    except metadata.PackageNotFoundError:
        version, home = "dev", ""
    contact = f"+{home}; " if home else ""
    return f"hled-border/{version} ({contact}open-source US-Mexico border analytics)"


def request_headers(url: str) -> dict[str, str]:
    """Headers every request carries: who we are, and the site's own front page as Referer."""
    parts = urlsplit(url)
    return {"User-Agent": user_agent(), "Referer": f"{parts.scheme}://{parts.netloc}/"}


@dataclass(frozen=True)
class HttpPolicy:
    """Timeout, retries, back-off and pacing for requests; the default makes one unpaced try."""

    timeout: float = 60.0
    retries: int = 0
    delays: tuple[float, ...] = (0.0,)
    pacing: float = 0.0

    @classmethod
    def of(cls, settings: Settings) -> HttpPolicy:
        """The policy HLED_HTTP_TIMEOUT, HLED_HTTP_RETRIES, HLED_RETRY_DELAYS and HLED_HTTP_PACING set."""
        return cls(
            timeout=settings.http_timeout,
            retries=settings.http_retries,
            delays=settings.retry_delays,
            pacing=settings.http_pacing,
        )

    def backoff(self, retry: int) -> float:
        """Seconds before retry number `retry` (0-based): the configured delay plus random jitter."""
        base = self.delays[min(retry, len(self.delays) - 1)] if self.delays else 0.0
        return base * (1 + random.uniform(0, JITTER))


@dataclass
class PacingClock:
    """Seconds spent waiting for a turn, summed for the run's report (the pacing's share of a refresh)."""

    waited: float = 0.0


PACING = PacingClock()
_last_end: dict[str, float] = {}
_host_locks: dict[str, threading.Lock] = {}
_registry_lock = threading.Lock()


@contextmanager
def paced(url: str, pacing: float) -> Iterator[None]:
    """Hold this host's turn for one request: start it at least `pacing` seconds after the previous
    request to the host (in this process) ended, failed ones included, and one at a time. Counting from
    the end, not the start, keeps the gap whatever delays the sending."""
    if pacing <= 0:
        yield
        return
    host = urlsplit(url).netloc.lower()
    with _registry_lock:
        lock = _host_locks.setdefault(host, threading.Lock())
    with lock:
        wait = _last_end.get(host, float("-inf")) + pacing - time.monotonic()
        if wait > 0:
            time.sleep(wait)
            PACING.waited += wait
        try:
            yield
        finally:
            _last_end[host] = time.monotonic()


def with_retries(
    call: Callable[[], T], policy: HttpPolicy, what: str, log: logging.Logger | logging.LoggerAdapter
) -> T:
    """Run `call` until it succeeds, retrying TransientFetchError up to `policy.retries` times with
    back-off; the last failure is raised as it came."""
    for attempt in range(policy.retries + 1):
        try:
            return call()
        except TransientFetchError as exc:
            if attempt == policy.retries:
                raise
            delay = policy.backoff(attempt)
            log.warning(
                "%s: try %d of %d failed (%s); next try in %.1f s",
                what,
                attempt + 1,
                policy.retries + 1,
                exc,
                delay,
            )
            time.sleep(delay)
    raise AssertionError("unreachable")  # the loop either returns or raises
