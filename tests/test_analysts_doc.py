"""Every SQL example in docs/analysts.md runs on the hand-made warehouse; tests/test_real_data.py
runs them on the real staged data, where each of the twelve numbered questions must return rows."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from tests.handmade import build_handmade

DOC = Path(__file__).resolve().parent.parent / "docs" / "analysts.md"


def examples() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", DOC.read_text(), flags=re.S)


def test_the_guide_has_twelve_numbered_questions_and_each_runs(tmp_path) -> None:
    queries = examples()
    assert len(re.findall(r"^\d+\. ", DOC.read_text(), flags=re.M)) == 12 and len(queries) == 15
    con = duckdb.connect(str(build_handmade(tmp_path / "w.duckdb")), read_only=True)
    try:
        for sql in queries:
            con.execute(sql).fetchall()
    finally:
        con.close()
