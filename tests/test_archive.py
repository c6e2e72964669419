"""Tests for flows.ingest.archive: real ZIPs built in tmp_path: what lands on disk and what is refused."""

from __future__ import annotations

import pickle
import random
import re
import stat
import struct
import zipfile
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path

import pytest

from flows.errors import SourceError
from flows.ingest import archive as archive_mod
from flows.ingest.archive import ZIP_CAPS, ArchiveError, Extracted, extract_expected

EXPECTED = re.compile(r"dot[123]_\d{4}\.csv")
MB = 1 << 20


def make_zip(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """Write a ZIP holding `members` (name -> bytes) exactly as named; names ending in "/" are directories."""
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    with zipfile.ZipFile(path) as zf:
        assert zf.namelist() == list(members)  # zipfile kept the names verbatim
    return path


def zeros_zip(path: Path, name: str, size: int) -> Path:
    """Write a ZIP with one deflated member of `size` zero bytes, streamed (a classic bomb shape)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf, zf.open(name, "w") as dst:
        block = b"\0" * MB
        for _ in range(size // MB):
            dst.write(block)
    return path


def all_names(root: Path) -> set[str]:
    """Every file and directory name under root, recursively."""
    return {p.name for p in root.rglob("*")}


def refused(rule: str, mentions: str = "") -> AbstractContextManager[pytest.ExceptionInfo[ArchiveError]]:
    """pytest.raises for an ArchiveError whose message mentions `mentions` and ends with the rule code."""
    return pytest.raises(ArchiveError, match=f"(?s){re.escape(mentions)}.*{re.escape(f'(rule: {rule})')}$")


GOOD = {
    "TransBorder_Jan2021/": b"",
    "TransBorder_Jan2021/DOT1_0121.CSV": b"TRDTYPE,USASTATE\n1,TX\n",
    "TransBorder_Jan2021/dot2_0121.csv": b"TRDTYPE,COMMODITY2\n1,84\n",
    "TransBorder_Jan2021/Dot3_0121.Csv": b"TRDTYPE,DEPE\n2,2304\n",
    "TransBorder_Jan2021/dot1_ytd_0121.csv": b"year to date\n",
    "README.txt": b"read me\n",
}


def test_good_zip_extracts_exactly_the_expected_csvs(tmp_path: Path) -> None:
    src = make_zip(tmp_path / "tb_0121.zip", GOOD)
    target = tmp_path / "extract" / "2021-01"

    result = extract_expected(src, target, EXPECTED)

    assert isinstance(result, Extracted)
    assert set(result.files) == {"dot1_0121.csv", "dot2_0121.csv", "dot3_0121.csv"}
    assert result.files["dot1_0121.csv"] == target / "dot1_0121.csv"
    assert result.files["dot1_0121.csv"].read_bytes() == GOOD["TransBorder_Jan2021/DOT1_0121.CSV"]
    assert result.files["dot2_0121.csv"].read_bytes() == GOOD["TransBorder_Jan2021/dot2_0121.csv"]
    assert result.files["dot3_0121.csv"].read_bytes() == GOOD["TransBorder_Jan2021/Dot3_0121.Csv"]
    assert result.ignored == ("TransBorder_Jan2021/dot1_ytd_0121.csv", "README.txt")
    assert sorted(p.name for p in target.iterdir()) == ["dot1_0121.csv", "dot2_0121.csv", "dot3_0121.csv"]
    assert all(p.is_file() for p in target.iterdir())
    assert [p.name for p in target.parent.iterdir()] == ["2021-01"]  # no staging directory left behind


def test_existing_target_is_replaced_whole(tmp_path: Path) -> None:
    src = make_zip(tmp_path / "tb.zip", GOOD)
    target = tmp_path / "out"
    target.mkdir()
    (target / "stale.csv").write_text("old\n")
    (target / "dot1_0121.csv").write_text("old\n")

    extract_expected(src, target, EXPECTED)

    assert sorted(p.name for p in target.iterdir()) == ["dot1_0121.csv", "dot2_0121.csv", "dot3_0121.csv"]
    assert (target / "dot1_0121.csv").read_bytes() == GOOD["TransBorder_Jan2021/DOT1_0121.CSV"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "tb.zip"]


def test_dotdot_member_refuses_whole_archive_before_writing(tmp_path: Path) -> None:
    src = make_zip(
        tmp_path / "evil.zip",
        {"dot1_0121.csv": b"fine\n", "../../x.csv": b"pwned\n", "dot2_0121.csv": b"fine\n"},
    )
    target = tmp_path / "work" / "deep" / "out"

    with refused("zip_slip") as info:
        extract_expected(src, target, EXPECTED)

    assert "../../x.csv" in str(info.value)
    assert "evil.zip" in str(info.value)
    assert info.value.rule == "zip_slip"
    assert not [p for p in tmp_path.rglob("x.csv")]
    assert not [p for p in tmp_path.parent.glob("x.csv")]
    assert not target.exists()
    assert "dot1_0121.csv" not in all_names(tmp_path)


def test_absolute_member_refused(tmp_path: Path) -> None:
    existed = Path("/tmp/evil.csv").exists()
    src = make_zip(tmp_path / "abs.zip", {"dot1_0121.csv": b"ok\n", "/tmp/evil.csv": b"pwned\n"})
    target = tmp_path / "out"

    with refused("zip_slip", "/tmp/evil.csv"):
        extract_expected(src, target, EXPECTED)

    assert not target.exists()
    assert Path("/tmp/evil.csv").exists() == existed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["abs.zip"]


@pytest.mark.parametrize(
    "bad_name",
    ["C:/temp/dot1_0121.csv", "sub\\..\\dot1_0121.csv", "a/../dot2_0121.csv", "a/b/../../../dot3_0121.csv"],
)
def test_other_escaping_names_refused(tmp_path: Path, bad_name: str) -> None:
    src = make_zip(tmp_path / "bad.zip", {"dot1_0121.csv": b"ok\n", bad_name: b"x\n"})
    target = tmp_path / "out"

    with refused("zip_slip"):
        extract_expected(src, target, EXPECTED)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.zip"]


def test_symlink_member_refused(tmp_path: Path) -> None:
    src = tmp_path / "link.zip"
    with zipfile.ZipFile(src, "w") as zf:
        zf.writestr("dot2_0121.csv", b"ok\n")
        link = zipfile.ZipInfo("dot1_0121.csv")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    target = tmp_path / "out"

    with refused("zip_symlink"):
        extract_expected(src, target, EXPECTED)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.zip"]


def test_zip_bomb_refused_by_declared_size(tmp_path: Path) -> None:
    src = zeros_zip(tmp_path / "bomb.zip", "dot1_0121.csv", 50 * MB)
    assert src.stat().st_size < MB  # it really is a bomb: tiny on disk
    target = tmp_path / "out"

    with refused("zip_member_cap"):
        extract_expected(src, target, EXPECTED, caps=replace(ZIP_CAPS, member=MB))

    assert [p.name for p in tmp_path.iterdir()] == ["bomb.zip"]


def test_declared_total_cap(tmp_path: Path) -> None:
    members = {f"dot{i}_0121.csv": bytes(400_000) for i in (1, 2, 3)}
    src = make_zip(tmp_path / "big.zip", members)
    target = tmp_path / "out"

    with refused("zip_total_cap"):
        extract_expected(src, target, EXPECTED, caps=replace(ZIP_CAPS, member=MB, total=MB))

    assert [p.name for p in tmp_path.iterdir()] == ["big.zip"]


def test_streaming_member_cap_when_header_lies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Headers claiming 0 bytes pass the up-front check; the byte count while streaming must still stop it."""
    monkeypatch.setattr(archive_mod, "_declared_size", lambda info: 0)
    src = zeros_zip(tmp_path / "bomb.zip", "dot1_0121.csv", 50 * MB)
    target = tmp_path / "out"

    with refused("zip_member_cap", "decompressed") as info:
        extract_expected(src, target, EXPECTED, caps=replace(ZIP_CAPS, member=MB))

    assert "decompressed" in str(info.value)
    assert [p.name for p in tmp_path.iterdir()] == ["bomb.zip"]


def test_streaming_total_cap_over_several_members(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each member is under the member cap, together they pass the total only while streaming."""
    monkeypatch.setattr(archive_mod, "_declared_size", lambda info: 0)
    members = {f"sub/DOT{i}_0121.csv": bytes(400_000) for i in (1, 2, 3)}
    src = make_zip(tmp_path / "many.zip", members)
    target = tmp_path / "out"
    target.mkdir()
    (target / "previous.csv").write_text("kept\n")

    with refused("zip_total_cap") as info:
        extract_expected(src, target, EXPECTED, caps=replace(ZIP_CAPS, member=MB, total=MB))

    assert "decompressed" in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["many.zip", "out"]
    assert [p.name for p in target.iterdir()] == ["previous.csv"]  # the old extraction is untouched


def test_header_understating_size_is_caught(tmp_path: Path) -> None:
    """A real lie on disk: both headers claim 10 bytes for a 2 MB member; the CRC check refuses it."""
    src = zeros_zip(tmp_path / "liar.zip", "dot1_0121.csv", 2 * MB)
    data = bytearray(src.read_bytes())
    local = data.find(b"PK\x03\x04")
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, 10)
    struct.pack_into("<I", data, central + 24, 10)
    src.write_bytes(bytes(data))
    with zipfile.ZipFile(src) as zf:
        assert zf.getinfo("dot1_0121.csv").file_size == 10
    target = tmp_path / "out"

    with refused("zip_corrupt"):
        extract_expected(src, target, EXPECTED, caps=replace(ZIP_CAPS, member=MB))

    assert [p.name for p in tmp_path.iterdir()] == ["liar.zip"]


def test_random_bytes_refused_as_corrupt(tmp_path: Path) -> None:
    src = tmp_path / "noise.zip"
    src.write_bytes(random.Random(1).randbytes(4096))

    with refused("zip_corrupt", "noise.zip") as info:
        extract_expected(src, tmp_path / "out", EXPECTED)

    assert "noise.zip" in str(info.value)
    assert [p.name for p in tmp_path.iterdir()] == ["noise.zip"]


def test_truncated_zip_refused_as_corrupt(tmp_path: Path) -> None:
    good = make_zip(tmp_path / "good.zip", GOOD)
    src = tmp_path / "half.zip"
    data = good.read_bytes()
    src.write_bytes(data[: len(data) // 2])
    good.unlink()

    with refused("zip_corrupt"):
        extract_expected(src, tmp_path / "out", EXPECTED)

    assert [p.name for p in tmp_path.iterdir()] == ["half.zip"]


def test_bad_crc_in_member_refused_as_corrupt(tmp_path: Path) -> None:
    payload = b"A" * 1000
    src = make_zip(
        tmp_path / "crc.zip", {"dot1_0121.csv": b"ok\n", "dot2_0121.csv": payload}, zipfile.ZIP_STORED
    )
    data = bytearray(src.read_bytes())
    at = data.find(payload)
    data[at + 500] = ord("B")
    src.write_bytes(bytes(data))

    with refused("zip_corrupt", "CRC"):
        extract_expected(src, tmp_path / "out", EXPECTED)

    assert [p.name for p in tmp_path.iterdir()] == ["crc.zip"]


def test_no_expected_members_lists_contents(tmp_path: Path) -> None:
    src = make_zip(
        tmp_path / "other.zip",
        {"docs/": b"", "README.txt": b"x", "docs/dot1_ytd_0121.csv": b"y", "dot4_0121.csv": b"z"},
    )

    with refused("zip_no_expected_members") as info:
        extract_expected(src, tmp_path / "out", EXPECTED)

    message = str(info.value)
    for name in ("README.txt", "docs/dot1_ytd_0121.csv", "dot4_0121.csv", "other.zip"):
        assert name in message
    assert [p.name for p in tmp_path.iterdir()] == ["other.zip"]


def test_no_expected_members_lists_only_the_first_ten(tmp_path: Path) -> None:
    src = make_zip(tmp_path / "many.zip", {f"notes_{i:02d}.txt": b"x" for i in range(25)})

    with refused("zip_no_expected_members") as info:
        extract_expected(src, tmp_path / "out", EXPECTED)

    assert "notes_09.txt" in str(info.value)
    assert "notes_10.txt" not in str(info.value)
    assert "15 more" in str(info.value)


def test_duplicate_base_names_refused(tmp_path: Path) -> None:
    src = make_zip(tmp_path / "dup.zip", {"a/dot1_0121.csv": b"1\n", "b/DOT1_0121.CSV": b"2\n"})

    with refused("zip_duplicate_member"):
        extract_expected(src, tmp_path / "out", EXPECTED)

    assert [p.name for p in tmp_path.iterdir()] == ["dup.zip"]


def test_archive_error_is_a_source_error_and_pickles() -> None:
    err = ArchiveError(Path("/data/tb.zip"), "zip_slip", "member '../x' contains a '..' part")
    assert isinstance(err, SourceError)
    assert str(err) == "/data/tb.zip: member '../x' contains a '..' part (rule: zip_slip)"
    again = pickle.loads(pickle.dumps(err))
    assert (type(again), str(again), again.rule) == (ArchiveError, str(err), "zip_slip")
