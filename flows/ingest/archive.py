"""Opening a downloaded ZIP safely: refuse zip-slip, symlinks, bombs and corrupt archives, extract only the
expected members (flat, lower-cased) into a temporary sibling directory, then move it into place."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import stat
import struct
import tarfile
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from flows.errors import SourceError
from flows.ingest.partials import partial_prefix

CHUNK = 1 << 20
LISTED_MEMBERS = 10
_DRIVE = re.compile(r"^[A-Za-z]:")
# What a damaged archive raises from zipfile / zlib while opening or reading (not while writing).
_READ_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    OSError,
    ValueError,
    struct.error,
    zlib.error,
    NotImplementedError,
    tarfile.TarError,
)


class ArchiveError(SourceError):
    """A ZIP was refused; the message names the archive and the rule it broke, e.g. "(rule: zip_slip)"."""

    def __init__(self, archive: Path | str, rule: str, detail: str) -> None:
        """Keep archive, rule and detail apart so callers can branch on `rule`."""
        self.archive = str(archive)
        self.rule = rule
        self.detail = detail
        super().__init__(f"{self.archive}: {detail} (rule: {rule})")

    def __reduce__(self) -> tuple[type[ArchiveError], tuple[str, str, str]]:
        """Pickle with the constructor's own arguments (Prefect may ship exceptions between processes)."""
        return (type(self), (self.archive, self.rule, self.detail))


@dataclass(frozen=True)
class Extracted:
    """What one extraction produced: expected members by lower-cased base name, and what was left out."""

    files: dict[str, Path]
    ignored: tuple[str, ...]
    members: dict[str, str] = field(default_factory=dict)  # base name -> the member's full name
    written: dict[str, datetime] = field(default_factory=dict)  # base name -> the member's timestamp


def _declared_size(info: zipfile.ZipInfo) -> int:
    """The uncompressed size a member's header claims; only a first filter, the stream is counted too."""
    return info.file_size


def _unsafe_name(name: str, target_root: Path) -> str | None:
    """Why a member name could escape the target directory, or None when it cannot."""
    if "\\" in name:
        return "contains a backslash"
    if name.startswith("/"):
        return "is absolute"
    if _DRIVE.match(name):
        return "has a drive letter"
    if ".." in PurePosixPath(name).parts:
        return "contains a '..' part"
    if not (target_root / name).resolve().is_relative_to(target_root):
        return "resolves outside the target directory"
    return None


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    """True when the member's unix mode (high 16 bits of external_attr) says symbolic link."""
    return stat.S_ISLNK(info.external_attr >> 16)


def remove_path(path: Path) -> None:
    """Delete a file or directory tree, ignoring what is already gone."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _plan(
    archive: Path, zf: zipfile.ZipFile, target_root: Path, expected: re.Pattern[str]
) -> tuple[dict[str, zipfile.ZipInfo], tuple[str, ...]]:
    """Check every member before anything is written; return the expected members and the ignored names."""
    wanted: dict[str, zipfile.ZipInfo] = {}
    ignored: list[str] = []
    for info in zf.infolist():
        name = info.filename
        reason = _unsafe_name(name, target_root)
        if reason is not None:
            raise ArchiveError(archive, "zip_slip", f"member {name!r} {reason}")
        if _is_symlink(info):
            raise ArchiveError(archive, "zip_symlink", f"member {name!r} is a symbolic link")
        if info.is_dir():
            continue
        base = name.rsplit("/", 1)[-1].lower()
        if not base or not expected.fullmatch(base):
            ignored.append(name)
            continue
        if base in wanted:
            raise ArchiveError(
                archive,
                "zip_duplicate_member",
                f"members {wanted[base].filename!r} and {name!r} both extract to {base!r}",
            )
        if info.flag_bits & 0x1:
            raise ArchiveError(archive, "zip_corrupt", f"member {name!r} is encrypted")
        wanted[base] = info
    return wanted, tuple(ignored)


def _check_declared(
    archive: Path, wanted: dict[str, zipfile.ZipInfo], member_cap: int, total_cap: int
) -> None:
    """Refuse up front when the headers alone already exceed a cap."""
    total = 0
    for info in wanted.values():
        size = _declared_size(info)
        if size > member_cap:
            raise ArchiveError(
                archive,
                "zip_member_cap",
                f"member {info.filename!r} declares {size} bytes, cap is {member_cap}",
            )
        total += size
    if total > total_cap:
        raise ArchiveError(
            archive, "zip_total_cap", f"expected members declare {total} bytes, cap is {total_cap}"
        )


@dataclass(frozen=True)
class Caps:
    """How far an archive may unpack, per member and in all, and the rules its refusals name."""

    member: int
    total: int
    member_rule: str
    total_rule: str
    corrupt_rule: str
    count: int = 5_000  # members an archive may hold at all (a ZIP bomb of 100,000 tiny files)
    count_rule: str = "zip_member_count"


ZIP_CAPS = Caps(1 << 30, 3 << 30, "zip_member_cap", "zip_total_cap", "zip_corrupt")


def copy_capped(src: BinaryIO, out: BinaryIO, archive: Path, name: str, caps: Caps, used: int = 0) -> int:
    """Stream one member to `out` in chunks, counting the bytes it unpacks to against the member cap
    and (with the `used` bytes of earlier members) the total cap; refused the moment one is passed.
    Every archive kind is read this way, so none is ever held whole in memory."""
    written = 0
    while True:
        try:
            chunk = src.read(CHUNK)
        except _READ_ERRORS as exc:
            raise ArchiveError(archive, caps.corrupt_rule, f"member {name!r} cannot be read: {exc}") from exc
        if not chunk:
            return written
        written += len(chunk)
        if written > caps.member:
            raise ArchiveError(
                archive, caps.member_rule, f"member {name!r} decompressed to more than {caps.member} bytes"
            )
        if used + written > caps.total:
            raise ArchiveError(
                archive, caps.total_rule, f"expected members decompressed to more than {caps.total} bytes"
            )
        out.write(chunk)


def _copy_member(
    archive: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, caps: Caps, used: int
) -> int:
    """Stream one ZIP member to `dest` under the caps; return the bytes written."""
    try:
        src = zf.open(info)
    except _READ_ERRORS as exc:
        raise ArchiveError(
            archive, caps.corrupt_rule, f"member {info.filename!r} cannot be opened: {exc}"
        ) from exc
    with src, open(dest, "xb") as out:
        return copy_capped(src, out, archive, info.filename, caps, used)


def _move_into_place(staging: Path, target_dir: Path) -> None:
    """Rename the finished staging directory to target_dir, replacing an existing one."""
    if not target_dir.exists() and not target_dir.is_symlink():
        os.replace(staging, target_dir)
        return
    aside = target_dir.parent / f".{target_dir.name}.old-{secrets.token_hex(6)}"
    os.replace(target_dir, aside)
    try:
        os.replace(staging, target_dir)
    except BaseException:
        os.replace(aside, target_dir)
        raise
    remove_path(aside)


def extract_expected(
    archive: Path,
    target_dir: Path,
    expected: re.Pattern[str],
    *,
    caps: Caps = ZIP_CAPS,
) -> Extracted:
    """Extract the members whose lower-cased base name fully matches `expected`, atomically, or refuse."""
    archive = Path(archive)
    target_dir = Path(target_dir)
    target_root = target_dir.resolve()
    try:
        zf = zipfile.ZipFile(archive)
    except _READ_ERRORS as exc:
        raise ArchiveError(archive, "zip_corrupt", f"not a readable ZIP: {exc}") from exc
    with zf:
        held = len(zf.infolist())
        if held > caps.count:
            raise ArchiveError(
                archive, caps.count_rule, f"it holds {held:,} members, more than the {caps.count:,} allowed"
            )
        wanted, ignored = _plan(archive, zf, target_root, expected)
        if not wanted:
            names = zf.namelist()
            shown = ", ".join(repr(n) for n in names[:LISTED_MEMBERS]) or "nothing"
            more = f" and {len(names) - LISTED_MEMBERS} more" if len(names) > LISTED_MEMBERS else ""
            raise ArchiveError(
                archive,
                "zip_no_expected_members",
                f"no member matches {expected.pattern!r}; it holds {shown}{more}",
            )
        _check_declared(archive, wanted, caps.member, caps.total)

        target_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(
            tempfile.mkdtemp(prefix=f".{target_dir.name}{partial_prefix()}", dir=target_dir.parent)
        )
        try:
            staging.chmod(0o755)  # mkdtemp makes it 0o700; the final directory should look like any other
            total = 0
            for base, info in wanted.items():
                total += _copy_member(archive, zf, info, staging / base, caps, total)
            _move_into_place(staging, target_dir)
        except BaseException:
            remove_path(staging)
            raise
    return Extracted(
        files={base: target_dir / base for base in wanted},
        ignored=ignored,
        members={base: info.filename for base, info in wanted.items()},
        written={base: _timestamp(info) for base, info in wanted.items()},
    )


def _timestamp(info: zipfile.ZipInfo) -> datetime:
    """When the member was written, as the ZIP records it (local time of the machine that zipped it)."""
    try:
        return datetime(*info.date_time)
    except ValueError:  # a zeroed or impossible DOS date
        return datetime(1980, 1, 1)
