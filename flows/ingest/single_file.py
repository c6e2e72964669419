"""The collector of a source published as one file (the crossings CSV, the code workbook): fetched
whole, unless the publisher's cheap change check says nothing changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flows.ingest.fetch import Target, fetch_history, fetch_source, record_unchanged
from flows.ingest.parts import Collection, Part, Publication
from flows.ingest.polite import HttpPolicy
from flows.logs import logger

if TYPE_CHECKING:
    from flows.settings import Settings


def collect_single(source: Publication, settings: Settings) -> Collection:
    """A source published as one file (the crossings CSV, the code workbook). When the source declares a
    cheap change check (Socrata's rowsUpdatedAt) and it says nothing changed, nothing is downloaded."""
    (table,) = source.tables
    url = settings.url_for(source.name, source.url)
    target = Target(source.name, source.name, url, source.kind, source.tables[table].layouts)
    mirror = source.mirror_file(settings.mirror)
    version = None
    if mirror is None and source.upstream_version is not None:
        version = source.upstream_version(url, source.name, HttpPolicy.of(settings))
        previous = fetch_history(settings.raw_dir, source.name).get(source.name)
        if version and previous and previous.url == url and previous.upstream_version == version:
            logger().info(
                "%s: the publisher's metadata says unchanged (%s); not downloaded", source.name, version
            )
            fetched = record_unchanged(settings.raw_dir, previous, "upstream_unchanged")
            return Collection([Part(source.name, table, source.name, fetched.path, fetched.sha256, fetched)])
    fetched = fetch_source(
        target, settings.raw_dir, mirror_file=mirror, policy=HttpPolicy.of(settings), upstream_version=version
    )
    return Collection([Part(source.name, table, source.name, fetched.path, fetched.sha256, fetched)])
