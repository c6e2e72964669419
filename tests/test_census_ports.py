"""census_ports: the Census trade API by port and HS heading, parsed by rule (totals and groupings left
out, bad rows kept with a reason), fetched through a local replica of the API with the key sent and
never written down, a refused key or a refused keyless call making only this source stale, and the
reconciliation with TransBorder."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from flows.errors import SourceError
from flows.refresh import refresh
from tests.census_replica import CensusReplica, serve_census
from tests.conftest import SHARED_DATA
from tests.replica import members, month_csv, serve_bts, serve_socrata
from tests.test_publishers import publish, stamp, zip_url
from transforms.census_ports import HEADINGS, parse_porths
from transforms.errors import SchemaDriftError

KEY = "k3y-never-written-down"
HEADER = ["GEN_VAL_MO", "AIR_VAL_MO", "VES_VAL_MO", "PORT", "PORT_NAME", "CTY_NAME", "CTY_CODE"]
HEADER += ["I_COMMODITY", "COMM_LVL", "time"]


def write_answer(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.write_text(json.dumps([header, *rows]))
    return path


def test_totals_and_groupings_are_left_out_by_rule_and_bad_rows_kept_with_a_reason(tmp_path: Path) -> None:
    rows = [
        ["1000", "100", "50", "2305", "HILDAGO, TX", "MEXICO", "2010", "8542", "HS4", "2024-03"],
        ["1000", "100", "50", "-", "TOTAL FOR ALL PORTS", "MEXICO", "2010", "8542", "HS4", "2024-03"],
        [
            "1000",
            "100",
            "50",
            "2305",
            "HILDAGO, TX",
            "TOTAL FOR ALL COUNTRIES",
            "-",
            "8542",
            "HS4",
            "2024-03",
        ],
        ["1000", "100", "50", "2305", "HILDAGO, TX", "USMCA (NAFTA)", "0020", "8542", "HS4", "2024-03"],
        ["12.5", "0", "0", "2304", "LAREDO, TX", "MEXICO", "2010", "8542", "HS4", "2024-03"],
        ["10", "0", "0", "23X4", "?", "MEXICO", "2010", "8542", "HS4", "2024-03"],
        ["10", "20", "0", "2304", "LAREDO, TX", "CANADA", "1220", "8542", "HS4", "2024-03"],
        ["7", "0", "2", "2304", "LAREDO, TX", "CANADA", "1220", "8542", "HS4", "2024-04"],
    ]
    result = parse_porths(write_answer(tmp_path / "a.json", HEADER, rows), "imports_8542_2024")
    assert result.layout == "porths_imports" and result.rows_read == 8
    clean = result.clean.sort("port_code").to_dicts()
    assert [(r["port_code"], r["country"], r["trade_type"], r["month"]) for r in clean] == [
        ("2304", "canada", "import", date(2024, 4, 1)),
        ("2305", "mexico", "import", date(2024, 3, 1)),
    ]
    hidalgo = clean[1]
    assert (hidalgo["value_usd"], hidalgo["air_usd"], hidalgo["vessel_usd"], hidalgo["land_usd"]) == (
        1000,
        100,
        50,
        850,
    )
    assert hidalgo["port_name"] == "HILDAGO, TX" and hidalgo["hs_level"] == "HS4"
    assert [(r["line"], r["rule"]) for r in result.rejects.to_dicts()] == [
        (6, "value_integer"),
        (7, "port_code_format"),
        (8, "modes_within_total"),
    ]


def test_a_column_echoed_twice_and_any_column_order_are_read_by_name(tmp_path: Path) -> None:
    header = ["E_COMMODITY", "time", "CTY_CODE", "PORT", "ALL_VAL_MO", "VES_VAL_MO", "AIR_VAL_MO"]
    header += ["PORT_NAME", "CTY_NAME", "CTY_CODE", "COMM_LVL"]
    row = ["85", "2023-11", "1220", "0901", "500", "0", "40", "BUFFALO, NY", "CANADA", "9999", "HS2"]
    result = parse_porths(write_answer(tmp_path / "e.json", header, [row]))
    (only,) = result.clean.to_dicts()
    assert result.layout == "porths_exports"
    assert (only["country"], only["trade_type"], only["land_usd"], only["hs_code"]) == (
        "canada",
        "export",
        460,
        "85",
    )


def test_an_empty_answer_and_an_unknown_layout(tmp_path: Path) -> None:
    assert parse_porths(write_answer(tmp_path / "header.json", HEADER, [])).clean.height == 0
    (tmp_path / "204.json").write_text("[]")  # how the collector keeps an HTTP 204 (nothing matched)
    empty = parse_porths(tmp_path / "204.json")
    assert (empty.layout, empty.rows_read, empty.clean.height) == ("porths_empty", 0, 0)
    with pytest.raises(SchemaDriftError, match=r"lacks \['GEN_VAL_MO'\]"):
        parse_porths(write_answer(tmp_path / "odd.json", [h for h in HEADER if h != "GEN_VAL_MO"], []))


def test_the_staged_answers_show_the_shape_but_not_the_all_modes_values() -> None:
    """../shared/data/census_porths holds real answers asked for year-to-date air and container values:
    the quirks are all there, the all-modes value this source loads is not."""
    folder = SHARED_DATA / "census_porths"
    if not folder.is_dir():
        pytest.skip(f"needs the staged Census answers in {folder} (a fresh clone has none)")
    rows = json.loads(gzip.decompress((folder / "porths_imports_2024_85.json.gz").read_bytes()))
    header = rows[0]
    at = {name: header.index(name) for name in ("PORT", "PORT_NAME", "CTY_CODE", "AIR_VAL_YR")}
    assert all(isinstance(v, str) for row in rows for v in row)
    assert {r[at["PORT_NAME"]] for r in rows if r[at["PORT"]] == "2305"} == {"HILDAGO, TX"}
    assert any(r[at["PORT"]] == "-" for r in rows) and any(r[at["CTY_CODE"]] == "0020" for r in rows)
    laredo = [r for r in rows[1:] if r[at["PORT"]] == "2304"]
    from_mexico = [int(r[at["AIR_VAL_YR"]]) for r in laredo if r[at["CTY_CODE"]] == "2010"]
    assert from_mexico == [22_126_749]  # data/README.md's check
    with pytest.raises(SchemaDriftError, match="GEN_VAL_MO"):
        parse_porths(folder / "porths_imports_2024_85.json.gz")


def census_env(
    replica: CensusReplica, monkeypatch, sources: str = "census_ports", key: str | None = KEY
) -> None:
    values = {
        "HLED_URL_CENSUS_PORTS": f"{replica.base}/data/timeseries/intltrade",
        "HLED_SOURCES": sources,
        "HLED_CHARTS": "0",
        "HLED_HTTP_RETRIES": "1",
    }
    if key is not None:
        values["HLED_CENSUS_KEY"] = key
    for name, value in values.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def census(prefect_server, hled_home, monkeypatch) -> Iterator[CensusReplica]:
    with serve_census(key=KEY) as replica:
        for month in (1, 2):
            replica.add_dot3(month_csv(3, 2020, month, scale=month))
        census_env(replica, monkeypatch)
        yield replica


def q(home: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_a_refresh_loads_every_heading_through_the_api_and_never_writes_the_key(census, hled_home) -> None:
    summary = refresh()
    assert summary.status == "published" and not summary.stale
    years = date.today().year - 2013 + 1  # from HLED_CENSUS_FROM's default, 2013-01, the HLED's launch
    assert len(census.queries) == 2 * len(HEADINGS) * years  # one call per direction, code and year
    assert {q["time"][0] for q in census.queries if q["time"][0].startswith("from 2013")} == {
        "from 2013-01 to 2013-12"
    }
    assert all(query["key"] == [KEY] for query in census.queries)
    facts = q(
        hled_home, "SELECT hs_code, sum(value_usd), sum(land_usd) FROM core.fact_trade_port_hs GROUP BY 1"
    )
    expected = {
        h.code: sum(v[0] for d in ("imports", "exports") for v in census.values(d, h.code).values())
        for h in HEADINGS
    }
    assert {code: (value, land) for code, value, land in facts} == {
        code: (value, value)
        for code, value in expected.items()
        if value  # no air or vessel in the fixture
    }
    # the fixture's chapters at Laredo: 85 (export 1,000, import 2,000) and 30 (import 1,600), x1 and x2
    assert (expected["85"], expected["30"], expected["8542"], expected["3004"]) == (9000, 4800, 1170, 2880)
    assert q(hled_home, "SELECT DISTINCT month FROM core.fact_trade_port_hs ORDER BY 1") == [
        (date(2020, 1, 1),),
        (date(2020, 2, 1),),
    ]
    assert q(
        hled_home,
        "SELECT count(*) FROM core.fact_trade_port_hs LEFT JOIN core.dim_port USING (port_code) "
        "WHERE dim_port.port_code IS NULL",
    ) == [(0,)]
    leaked = [p for p in hled_home.rglob("*") if p.is_file() and KEY.encode() in p.read_bytes()]
    assert leaked == [], f"the key is written in {leaked}"

    before = len(census.queries)
    manifest = hled_home / "raw" / "census_ports" / "manifest.jsonl"
    lines = len(manifest.read_text().splitlines())
    assert refresh().status == "unchanged"
    again = census.queries[before:]
    assert len(again) == 2 * len(HEADINGS) * 2  # only this year and last are asked again
    # a held year is not asked, so it adds no line to the raw store's manifest: only the calls do
    assert len(manifest.read_text().splitlines()) == lines + len(again)
    assert {query["time"][0][5:9] for query in again} == {str(date.today().year - 1), str(date.today().year)}


@pytest.fixture
def crossings(prefect_server, hled_home, monkeypatch) -> Iterator[None]:
    with serve_socrata() as socrata:
        monkeypatch.setenv("HLED_URL_BTS_CROSSINGS", socrata.csv_url)
        yield


def test_a_key_the_api_refuses_leaves_only_this_source_stale(crossings, hled_home, monkeypatch) -> None:
    with serve_census(key="another-key") as replica:
        census_env(replica, monkeypatch, "bts_crossings,census_ports")
        summary = refresh()
    assert summary.status == "published" and summary.rows["bts_crossings"] == 3
    assert list(summary.stale) == ["census_ports"] and summary.never_published == ["census_ports"]
    failure = summary.stale["census_ports"]
    assert failure.stage == "fetch" and "answered an HTML page" in failure.message
    assert "did not accept HLED_CENSUS_KEY" in failure.message and KEY not in failure.message
    assert q(hled_home, "SELECT count(*) FROM core.fact_crossings") == [(3,)]


def test_without_a_key_a_refusal_says_how_to_get_one(crossings, hled_home, monkeypatch) -> None:
    with serve_census(refuse_keyless=True) as replica:
        census_env(replica, monkeypatch, "bts_crossings,census_ports", key=None)
        summary = refresh()
    assert summary.status == "published" and "bts_crossings" in summary.rows
    message = summary.stale["census_ports"].message
    assert "429" in message and "https://api.census.gov/data/key_signup.html" in message
    assert "set HLED_CENSUS_KEY" in message


def test_transborder_and_census_reconcile_and_a_disagreement_is_said(
    prefect_server, hled_home, monkeypatch
) -> None:
    year = date.today().year - 1  # a year the API is asked again each night, so a revision is seen
    with serve_bts() as bts, serve_census(key=KEY) as census:
        for month in (1, 2):
            content = members(year, month, f"Month{month}", scale=month)
            publish(bts, zip_url(year, f"month{month}.zip"), content, stamp(year, month))
            census.add_dot3(next(v for k, v in content.items() if "dot3" in k))
        census_env(census, monkeypatch, "transborder,census_ports")
        monkeypatch.setenv("HLED_CENSUS_FROM", f"{year}-01")
        monkeypatch.setenv("HLED_URL_TRANSBORDER", bts.index_url)
        monkeypatch.setenv("HLED_TRANSBORDER_FROM", f"{year}-01")
        summary = refresh()
        assert summary.status == "published" and not summary.stale
        rows = q(
            hled_home,
            "SELECT count(*), count(*) FILTER (WHERE within_tolerance), max(abs(difference_usd)) "
            "FROM marts.trade_reconciliation",
        )
        assert rows == [(6, 6, 0)]  # 2 months x (85 export, 85 import, 30 import) at Laredo
        assert not any("disagree" in n for n in summary.notices)
        checked = (
            "SELECT expectation, success, unexpected_count FROM meta.validations "
            "WHERE suite = 'trade_reconciliation'"
        )
        within = "expect_column_values_to_be_between(min_value=-1.0, max_value=1.0)"  # the stated tolerance
        assert (within, True, 0) in q(hled_home, checked)

        census.chapters[("imports", "85", "2304", "2010", f"{year}-02")][0] += 4000  # revised by Census only
        summary = refresh()
    (notice,) = [n for n in summary.notices if "disagree" in n]
    assert (
        "on 1 of 6 port-chapter-months" in notice
        and f"port 2304, HS 85, imports, mexico, {year}-02" in notice
    )
    assert "TransBorder US$4,000, Census US$8,000 (+50.00 %)" in notice
    # the GX suite says the same: one row outside plus or minus 1 %, named by its line in the mart
    assert (within, False, 1) in q(hled_home, checked)


def test_the_api_s_own_refusals_are_said_in_its_words(tmp_path: Path) -> None:
    """A bad variable is HTTP 400 with a text body, a list of codes is refused (one code per call), and
    an empty answer is HTTP 204 with no body: kept as an empty answer, not an error."""
    from flows.ingest.census_api import request_url
    from flows.ingest.fetch import Target, fetch_source

    with serve_census(key=KEY) as replica:
        base = f"{replica.base}/data/timeseries/intltrade"
        good = request_url(base, "imports", "8542", "HS4", date(2015, 1, 1), date(2015, 12, 1))
        for url, said in (
            (good.replace("GEN_VAL_MO", "GEN_VAL_XX"), "error: unknown variable 'GEN_VAL_XX'"),
            (good.replace("I_COMMODITY=8542", "I_COMMODITY=8541%2C8542"), "There was an error while running"),
        ):
            target = Target("census_ports", "k", url, "json", secret_params={"key": KEY}, empty_ok=True)
            with pytest.raises(SourceError, match=r"answered HTTP 400 saying .*" + re.escape(said)) as info:
                fetch_source(target, tmp_path / "raw")
            assert KEY not in str(info.value)
        target = Target("census_ports", "k", good, "json", secret_params={"key": KEY}, empty_ok=True)
        fetched = fetch_source(target, tmp_path / "raw")
    assert Path(fetched.path).read_bytes() == b"[]" and fetched.status == "downloaded"
    assert [r.status for r in replica.requests] == [400, 400, 204]
