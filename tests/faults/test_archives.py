"""Hostile and broken TransBorder ZIPs over HTTP: each is refused whole, kept for inspection, and the
published warehouse stays as it was."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tests.conftest import Reply
from tests.faults.conftest import TRADE, Home, hled_refresh, make_zip, month_zip, zip_path
from tests.faults.matrix import BY_ID

GOOD_DOT1 = (TRADE / "2020" / "dot1_0120.csv").read_bytes()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """A 5 MB ZIP whose dot1 member expands to 1.1 GiB of zeros (the cap is 1 GiB)."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("Jan2020/dot1_0120.csv", "w", force_zip64=True) as member,
    ):
        for _ in range(1126):
            member.write(bytes(1 << 20))
    return buffer.getvalue()


def _serve(home: Home, body: bytes) -> None:
    home.publisher.replies[zip_path(1)].clear()
    home.publisher.queue(zip_path(1), Reply(200, body, {"ETag": '"changed"'}))


@pytest.mark.parametrize(
    ("case_id", "fragments"),
    [
        ("zip_slip", ["member '../../x.csv' contains a '..' part"]),
        ("zip_bomb", ["member 'Jan2020/dot1_0120.csv' declares 1180696576 bytes, cap is 1073741824"]),
        ("zip_corrupt", ["not a readable ZIP"]),
        ("zip_no_csvs", ["no member matches", "it holds 'Jan2020/README.txt', 'Jan2020/dot1_ytd_0120.csv'"]),
        ("zip_many_members", ["it holds 5,003 members, more than the 5,000 allowed"]),
    ],
)
def test_a_refused_zip_leaves_everything_as_it_was(
    trade_zip_home: Home, bomb: bytes, tmp_path: Path, case_id: str, fragments: list[str]
) -> None:
    body = {
        "zip_slip": make_zip({"../../x.csv": b"a,b\n1,2\n", "Jan2020/dot1_0120.csv": GOOD_DOT1}),
        "zip_bomb": bomb,
        "zip_corrupt": month_zip(1)[: len(month_zip(1)) // 2],
        "zip_no_csvs": make_zip(
            {"Jan2020/README.txt": b"see the website", "Jan2020/dot1_ytd_0120.csv": b"x"}
        ),
        "zip_many_members": make_zip(
            {
                "Jan2020/dot1_0120.csv": GOOD_DOT1,
                "Jan2020/dot2_0120.csv": GOOD_DOT1,
                "Jan2020/dot3_0120.csv": GOOD_DOT1,
                **{f"Jan2020/extra/{i}.txt": b"" for i in range(5000)},
            }
        )
        if case_id == "zip_many_members"
        else b"",
    }[case_id]
    _serve(trade_zip_home, body)
    extracted_before = sorted(
        p.name for p in (trade_zip_home.path / "raw" / "transborder" / "extracted").rglob("*")
    )
    outcome = hled_refresh()
    trade_zip_home.check(BY_ID[case_id], outcome, "transborder ZIP from http://127.0.0.1", *fragments)
    assert body in trade_zip_home.files("transborder", "*.zip").values(), "the refused ZIP is kept"
    assert "raw/transborder/" in outcome.error
    extracted_after = sorted(
        p.name for p in (trade_zip_home.path / "raw" / "transborder" / "extracted").rglob("*")
    )
    assert extracted_after == extracted_before, "nothing of the refused ZIP was extracted"
    assert not list(tmp_path.rglob("x.csv"))
