"""TransBorder ZIPs as BTS really makes them, turned into one file per table and month: members in
folders, Mac junk skipped, year-to-date and annual members skipped (they repeat the monthly files),
odd member names identified by their header, months read from the rows, and a table-month found in
several ZIPs loaded once (identical) or from the newer publication (different)."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from flows.ingest.archive import ArchiveError, extract_expected
from flows.ingest.fetch import Fetched, file_sha256
from flows.logs import logger
from flows.version import code_version
from transforms.transborder import identify

# every .csv member but Mac resource forks and the repeats that name themselves (ytd, annual)
CANDIDATE = re.compile(r"(?!\._)(?!dot[123]_ytd_)(?!dot[123]_(?:19|20)\d\d\.csv$).+\.csv")
REPEATS = re.compile(r"dot[123]_(?:ytd_\d{4}|(?:19|20)\d\d)\.csv")
NAMED = re.compile(r"(dot[123])_(0[1-9]|1[0-2])(\d{2})\.csv")
READ_RECORD = "months.json"  # beside a ZIP's extracted files: what was read from them
IDENTICAL = "identical content: loaded once"
NEWER = "different content: the newer publication wins"


@dataclass(frozen=True)
class MonthFile:
    """One table's month as found in a ZIP: where it was extracted, its hash, its ZIP and member name,
    and when that ZIP was made (its newest member's timestamp), which decides between two versions."""

    table: str
    month: date
    path: Path
    sha256: str
    member: str
    archive: Fetched
    published: datetime

    @property
    def key(self) -> str:
        return f"{self.table}_{self.month:%m%y}"


@dataclass(frozen=True)
class Choice:
    """A table-month found in more than one file: which one was loaded, which was left out, and why."""

    file_key: str
    kept: MonthFile
    dropped: MonthFile
    decision: str


def named_month(base: str) -> date | None:
    """The month a `dotN_MMYY.csv` name claims (a fallback and a cross-check, never the decider)."""
    match = NAMED.fullmatch(base)
    if match is None:
        return None
    year = int(match.group(3))
    return date(year + (1900 if year >= 90 else 2000), int(match.group(2)), 1)


@cache
def _reading_code() -> str:
    """Version of the code that opens ZIPs and reads months: a change re-reads every ZIP once."""
    return code_version("flows", "transforms")


def _remembered(fetched: Fetched, folder: Path) -> list[MonthFile] | None:
    """What an earlier run read from this ZIP (same bytes, same code), if its files are still there."""
    record = folder / READ_RECORD
    if not record.exists():
        return None
    saved = json.loads(record.read_text())
    if saved["code"] != _reading_code() or not all((folder / f["file"]).exists() for f in saved["files"]):
        return None
    return [
        MonthFile(
            f["table"],
            date.fromisoformat(f["month"]),
            folder / f["file"],
            f["sha256"],
            f["member"],
            fetched,
            datetime.fromisoformat(f["published"]),
        )
        for f in saved["files"]
    ]


def _remember(folder: Path, found: list[MonthFile]) -> None:
    files = [
        {
            "table": f.table,
            "month": f.month.isoformat(),
            "file": f.path.name,
            "sha256": f.sha256,
            "member": f.member,
            "published": f.published.isoformat(),
        }
        for f in found
    ]
    tmp = folder / f".{READ_RECORD}.tmp"
    tmp.write_text(json.dumps({"code": _reading_code(), "files": files}))
    os.replace(tmp, folder / READ_RECORD)


def month_files(fetched: Fetched, extract_root: Path, source: str) -> list[MonthFile]:
    """Every monthly dot1/dot2/dot3 file in one ZIP, each with the month its rows hold. A ZIP read
    before (same bytes, same code) is not opened again: what was read is remembered beside its files."""
    log = logger()
    folder = extract_root / fetched.sha256[:16]
    remembered = _remembered(fetched, folder)
    if remembered is not None:
        return remembered
    try:
        extracted = extract_expected(Path(fetched.path), folder, CANDIDATE)
    except ArchiveError as exc:  # name the source and URL, not only the kept file
        where = f"{source} ZIP from {fetched.url}, kept at {exc.archive}"
        raise ArchiveError(where, exc.rule, exc.detail) from None
    repeats = [n for n in extracted.ignored if REPEATS.fullmatch(n.rsplit("/", 1)[-1].lower())]
    if repeats:
        log.info(
            "%s %s: skipped %d year-to-date/annual members (they repeat the monthly files): %s",
            source,
            fetched.url,
            len(repeats),
            ", ".join(repeats),
        )
    published = max(extracted.written.values())
    found: list[MonthFile] = []
    for base, path in sorted(extracted.files.items()):
        member = extracted.members[base]
        identity = identify(path)
        if identity.table is None:
            log.info(
                "%s %s: skipped member %r: its header is no TransBorder table", source, fetched.url, member
            )
            continue
        if identity.layout != "monthly":
            log.info("%s %s: skipped annual member %r (it repeats the months)", source, fetched.url, member)
            continue
        named = named_month(base)
        months = identity.months or ((named,) if named else ())
        if not months:
            log.warning(
                "%s %s: skipped member %r: no row has a readable MONTH/YEAR", source, fetched.url, member
            )
            continue
        if len(months) > 1:
            log.info(
                "%s %s: skipped member %r: it holds %d months (a year-to-date compilation)",
                source,
                fetched.url,
                member,
                len(months),
            )
            continue
        month = months[0]
        if named is not None and (named != month or not base.startswith(identity.table)):
            log.warning(
                "%s %s: member %r is named for another table or month than its rows (%s %s); "
                "loaded as its rows say",
                source,
                fetched.url,
                member,
                identity.table,
                f"{month:%Y-%m}",
            )
        found.append(MonthFile(identity.table, month, path, file_sha256(path), member, fetched, published))
    _remember(folder, found)
    return found


def choose(files: list[MonthFile]) -> tuple[list[MonthFile], list[Choice]]:
    """One file per table and month. Several with the same bytes: loaded once. Different bytes: the
    newer publication wins (the ZIP whose members were written last; on a tie, the later URL)."""
    groups: dict[str, list[MonthFile]] = {}
    for f in files:
        groups.setdefault(f.key, []).append(f)
    kept: list[MonthFile] = []
    choices: list[Choice] = []
    for key, group in sorted(groups.items(), key=lambda kv: (kv[1][0].month, kv[0])):
        winner = max(group, key=lambda f: (f.published, f.archive.url, f.member))
        kept.append(winner)
        for other in group:
            if other is not winner:
                decision = IDENTICAL if other.sha256 == winner.sha256 else NEWER
                choices.append(Choice(key, winner, other, decision))
    return kept, choices


def choice_row(choice: Choice) -> dict:
    """The meta.file_choices row of a choice (the run id is added by the run)."""
    return {
        "source": choice.kept.archive.source,
        "file_key": choice.file_key,
        "decision": choice.decision,
        "kept_url": choice.kept.archive.url,
        "kept_member": choice.kept.member,
        "kept_sha256": choice.kept.sha256,
        "kept_written": choice.kept.published,
        "dropped_url": choice.dropped.archive.url,
        "dropped_member": choice.dropped.member,
        "dropped_sha256": choice.dropped.sha256,
        "dropped_written": choice.dropped.published,
    }
