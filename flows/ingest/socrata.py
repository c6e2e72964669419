"""Socrata's cheap change check: a dataset's view metadata (`/api/views/<id>.json`) carries
`rowsUpdatedAt`, so the 46 MB CSV export is downloaded only when the rows changed."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from urllib.parse import urlsplit, urlunsplit

from flows.errors import SourceError
from flows.ingest.fetch import fetch_text
from flows.ingest.polite import HttpPolicy
from flows.logs import logger

_EXPORT = re.compile(r"^(?P<views>.*/api/views/)(?P<id>[a-z0-9]{4}-[a-z0-9]{4})/rows\.csv$")


def metadata_url(csv_url: str) -> str | None:
    """`…/api/views/<id>.json` for a Socrata CSV export URL (`…/api/views/<id>/rows.csv?…`), else None."""
    parts = urlsplit(csv_url)
    match = _EXPORT.match(parts.path)
    if parts.scheme not in ("http", "https") or match is None:
        return None
    return urlunsplit((parts.scheme, parts.netloc, f"{match['views']}{match['id']}.json", "", ""))


def rows_updated_at(csv_url: str, source: str, policy: HttpPolicy) -> str | None:
    """The dataset's `rowsUpdatedAt` (Unix seconds, as text), or None when the URL is not a Socrata
    export or the metadata cannot be read (then the caller downloads as it would anyway). One try:
    a failed check costs no more than the download it would have saved."""
    url = metadata_url(csv_url)
    if url is None:
        return None
    try:
        record = json.loads(fetch_text(url, source, replace(policy, retries=0), accept="application/json"))
        value = record["rowsUpdatedAt"]
    except (SourceError, ValueError, KeyError, TypeError) as exc:
        logger().warning("%s: metadata %s unreadable (%s); downloading the file to compare", source, url, exc)
        return None
    return str(value) if isinstance(value, int | str) and str(value).strip() else None
