"""What a collector hands on: the parts of a source (one CSV per table and month, each with the fetch
that brought it) and what the operator should be told about how they were found."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from flows.ingest.fetch import Fetched
from flows.ingest.polite import HttpPolicy
from flows.ingest.transborder_zips import Choice


@dataclass(frozen=True)
class Part:
    """One CSV ready to parse: its table, a stable key (e.g. dot1_0121), where it is, what it hashes to,
    the fetch that brought it (a CSV, or the ZIP it was extracted from) and its name inside that ZIP."""

    source: str
    table: str
    key: str
    path: str
    sha256: str
    fetched: Fetched
    member: str | None = None


@dataclass(frozen=True)
class Collection:
    """What collecting a source produced: its parts, what the operator should be told (a fallback
    used, a listed file missing), and the files left out because another had the same table-month."""

    parts: list[Part]
    notices: list[str] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)


class Layouts(Protocol):
    """A table a source delivers, as a collector sees it: the headers that prove a file is right."""

    @property
    def layouts(self) -> dict[str, tuple[str, ...]]: ...


class Publication(Protocol):
    """What a collector reads of its registry entry (`flows.registry.Source`), named here by shape so
    ingestion does not import the registry: where the publisher is, what it delivers, where a mirror
    keeps it, and the publisher's cheap version check."""

    @property
    def name(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def tables(self) -> Mapping[str, Layouts]: ...
    @property
    def upstream_version(self) -> Callable[[str, str, HttpPolicy], str | None] | None: ...

    def mirror_file(self, mirror: Path | None) -> Path | None: ...
