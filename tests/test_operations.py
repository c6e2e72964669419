"""Living with the nightly refresh: revisions against the previous publish, run history kept across
refreshes, and the analyst commands (status, sql, exports, snapshots) on a real warehouse."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from flows.refresh import refresh
from tests.conftest import FIXTURES, make_mirror
from warehouse.errors import WarehouseError

ROOT = Path(__file__).resolve().parent.parent
HLED = [sys.executable, "-m", "flows.cli"]
LAREDO_FEB_2020 = b"Laredo,Texas,2304,US-Mexico Border,Feb 2020,Trucks,99,"


def q(home: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def hled(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HLED_")}
    env["HLED_HOME"] = str(home)
    return subprocess.run([*HLED, *args], env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)


@pytest.fixture
def mirrored(prefect_server, hled_home, tmp_path, monkeypatch) -> Path:
    mirror = make_mirror(tmp_path / "mirror", FIXTURES / "crossings_current.csv")
    monkeypatch.setenv("HLED_MIRROR", str(mirror))
    monkeypatch.setenv("HLED_CHARTS", "0")
    monkeypatch.setenv("HLED_MAX_REJECT_SHARE", "0.2")
    return mirror


def test_a_revised_value_is_listed_exactly_once_and_history_is_kept(mirrored, hled_home) -> None:
    first = refresh()
    assert first.status == "published" and first.revisions == {}
    assert refresh().status == "unchanged"
    crossings = mirrored / "bts_border_crossing" / "Border_Crossing_Entry_Data.csv"
    body = crossings.read_bytes()
    assert body.count(LAREDO_FEB_2020) == 1
    crossings.write_bytes(body.replace(LAREDO_FEB_2020, LAREDO_FEB_2020.replace(b",99,", b",140,")))
    third = refresh()
    assert third.status == "published" and third.revisions == {"bts_crossings": 1}
    assert q(
        hled_home,
        "SELECT run_id, source, fact_table, port_code, month, item, old_value, new_value, change "
        "FROM meta.revisions",
    ) == [
        (
            third.run_id,
            "bts_crossings",
            "core.fact_crossings",
            "2304",
            date(2020, 2, 1),
            "trucks",
            99.0,
            140.0,
            41.0,
        )
    ]
    # the run history of all three refreshes is in the published file, and the revision stays there
    assert [r[0] for r in q(hled_home, "SELECT status FROM meta.runs ORDER BY started_at")] == [
        "published",
        "unchanged",
        "published",
    ]
    assert refresh(force=True).revisions == {}
    assert q(hled_home, "SELECT count(*) FROM meta.revisions") == [(1,)]
    assert len(list((hled_home / "snapshots").glob("warehouse-*.duckdb"))) == 2


def test_status_sql_export_and_snapshots_commands(mirrored, hled_home, tmp_path) -> None:
    assert refresh().status == "published"
    assert refresh(force=True).status == "published"
    status = hled(hled_home, "status")
    assert status.returncode == 3, "the hand-made data of 2020 is behind its publisher's usual lag"
    assert "published" in status.stdout and "bts_crossings" in status.stdout and "2020-02" in status.stdout
    assert "bts_crossings is behind: newest month 2020-02, expected " in status.stdout, status.stdout

    csv_out = hled(
        hled_home,
        "sql",
        "SELECT measure, sum(value) AS total FROM core.fact_crossings GROUP BY 1 ORDER BY 1",
        "--csv",
    )
    assert csv_out.returncode == 0, csv_out.stderr
    expected = q(hled_home, "SELECT measure, sum(value) FROM core.fact_crossings GROUP BY 1 ORDER BY 1")
    assert list(csv.reader(io.StringIO(csv_out.stdout))) == [["measure", "total"]] + [
        [m, str(t)] for m, t in expected
    ]
    refused = hled(hled_home, "sql", "DELETE FROM core.fact_crossings")
    assert refused.returncode == 2 and "read-only" in refused.stderr
    assert q(hled_home, "SELECT count(*) FROM core.fact_crossings") == [(16,)]
    for args in (["SELECT 1 AS a; SELECT 2 AS b"], ["SELECT 1; SELECT 2", "--csv"]):
        several = hled(hled_home, "sql", *args)
        assert several.returncode == 2 and several.stdout == "", "nothing of a text of two statements is run"
        assert several.stderr.strip() == (
            "error: hled sql runs one statement at a time, and this text holds 2; run each on its own, "
            "or combine them into one query (UNION ALL, a WITH clause)"
        )
    one = hled(hled_home, "sql", "SELECT ';' AS semicolon;", "--csv")
    assert (one.returncode, one.stdout) == (0, "semicolon\n;\n"), one.stderr

    listed = hled(hled_home, "snapshots")
    assert listed.returncode == 0 and "1 kept (HLED_SNAPSHOTS=7)" in listed.stdout


TABLES = "SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE schema_name IN ('core', 'marts')"
COMMENT = "SELECT comment FROM duckdb_columns() WHERE schema_name = 'marts' AND table_name = 'port_month'"


def test_exports_for_people_who_do_not_write_sql(mirrored, hled_home, tmp_path, monkeypatch) -> None:
    import openpyxl
    import pyarrow.parquet as pq

    from warehouse import export

    assert refresh().status == "published"
    tables = {r[0] for r in q(hled_home, TABLES)}
    assert {"core.fact_crossings", "core.dim_port", "marts.port_month"} <= tables

    parquet = hled(hled_home, "export", "parquet", str(tmp_path / "parquet"))
    assert parquet.returncode == 0, parquet.stderr
    assert {p.name for p in (tmp_path / "parquet").iterdir()} == {f"{t}.parquet" for t in tables}
    port_month = tmp_path / "parquet" / "marts.port_month.parquet"
    assert duckdb.sql(f"SELECT count(*) FROM '{port_month}'").fetchall() == q(
        hled_home, "SELECT count(*) FROM marts.port_month"
    )
    schema = pq.read_schema(port_month)
    table_comment = q(hled_home, "SELECT comment FROM duckdb_tables() WHERE table_name = 'port_month'")[0][0]
    assert schema.metadata[b"description"].decode() == table_comment
    yoy = q(hled_home, COMMENT + " AND column_name = 'yoy_pct'")[0][0]
    assert yoy and schema.field("yoy_pct").metadata[b"description"].decode() == yoy

    as_csv = hled(hled_home, "export", "csv", str(tmp_path / "csv"))
    assert as_csv.returncode == 0, as_csv.stderr
    assert {p.name for p in (tmp_path / "csv").iterdir()} == {f"{t}.csv" for t in tables}
    measures = (tmp_path / "csv" / "core.dim_measure.csv").read_bytes()
    assert measures.startswith("\ufeff".encode()) and "Pasajeros de autobús" in measures.decode("utf-8-sig")
    with (tmp_path / "csv" / "core.fact_crossings.csv").open(encoding="utf-8-sig", newline="") as fh:
        read = list(csv.reader(fh))
    facts = q(hled_home, "SELECT * FROM core.fact_crossings ORDER BY ALL")
    assert sorted(tuple(r) for r in read[1:]) == sorted(
        tuple("" if v is None else str(v) for v in r) for r in facts
    )

    book = hled(hled_home, "export", "xlsx", str(tmp_path / "border.xlsx"))
    assert book.returncode == 0, book.stderr
    marts = sorted(t.removeprefix("marts.") for t in tables if t.startswith("marts."))
    assert f"{len(marts)} marts as sheets" in book.stdout
    read_back = openpyxl.load_workbook(tmp_path / "border.xlsx", read_only=True)
    assert read_back.sheetnames == ["contents", "columns", "sources", *marts]
    sheet = list(read_back["port_month"].values)
    assert len(sheet) - 1 == q(hled_home, "SELECT count(*) FROM marts.port_month")[0][0]
    assert (
        sum(row[sheet[0].index("value")] for row in sheet[1:])
        == q(hled_home, "SELECT sum(value) FROM marts.port_month")[0][0]
    )
    columns = {(r[0], r[1]): r[3] for r in list(read_back["columns"].values)[1:]}
    assert columns[("marts.port_month", "yoy_pct")] == yoy
    sources = list(read_back["sources"].values)
    assert len(sources) - 1 == q(hled_home, "SELECT count(*) FROM marts.data_vintage")[0][0]

    monkeypatch.setattr(export, "SHEET_ROWS", 5)  # a mart larger than a sheet is said, not cut
    small = export.export_xlsx(hled_home / "warehouse.duckdb", tmp_path / "small.xlsx")
    assert "marts.port_month" in [t.name for t in small.too_large] and "port_month" not in small.sheets
    contents = {
        r[0]: r[3] for r in list(openpyxl.load_workbook(tmp_path / "small.xlsx")["contents"].values)[1:]
    }
    assert contents["marts.port_month"].startswith("too large for a sheet (")
    assert contents["marts.port_month"].endswith("hled export csv gives marts.port_month.csv")


def latest_summary_artifact() -> str:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["refresh-summary"])),
            sort=ArtifactSort.CREATED_DESC,
            limit=1,
        )
    return found[0].data


def test_each_run_leaves_an_artifact_with_rows_revisions_or_the_error(mirrored, hled_home) -> None:
    assert refresh().status == "published"
    summary = latest_summary_artifact()
    assert "| bts_crossings | mirror | 1 | 16 | 2 |" in summary
    assert "Values revised in months already published (meta.revisions): none" in summary
    crossings = mirrored / "bts_border_crossing" / "Border_Crossing_Entry_Data.csv"
    crossings.write_bytes(crossings.read_bytes().replace(b"Measure,Value", b"Measure,Count", 1))
    assert refresh().exit_code == 3
    stale = latest_summary_artifact()
    assert "Failed sources (exit status 3; a stale one's last published data is kept):" in stale
    # values from the data or a publisher are Markdown-escaped: [ ] ( ) shown, never a link
    assert "- bts_crossings: failed at fetch:" in stale and "missing columns \\['Value'\\]" in stale
    writer = duckdb.connect(str(hled_home / "warehouse.duckdb"))  # a writer holding the published file
    try:
        with pytest.raises(WarehouseError, match="cannot be opened read-only"):
            refresh()
    finally:
        writer.close()
    failed = latest_summary_artifact()
    assert "failed" in failed and "Nothing was published; the previous warehouse stays." in failed
    assert "WarehouseError: published warehouse" in failed
