"""The TransBorder code tables and dimension frames of transforms.trade_codes, and their coverage of
every code used in the staged BTS TransBorder CSVs."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from transforms import trade_codes as tc

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
TRANSBORDER = SHARED_DATA / "transborder"

EXPECTED_CHAPTERS = [f"{n:02d}" for n in range(1, 100) if n != 77]


def test_hs2_has_every_chapter_but_77_with_two_char_keys() -> None:
    """HS2 holds exactly chapters 01..99 without 77, each with non-empty English and Spanish names."""
    assert sorted(tc.HS2) == EXPECTED_CHAPTERS
    assert len(tc.HS2) == 98
    assert "77" not in tc.HS2
    assert "8" not in tc.HS2 and "08" in tc.HS2
    for code, (name_en, name_es) in tc.HS2.items():
        assert len(code) == 2 and code.isdigit()
        assert name_en.strip() and name_es.strip(), code
    assert tc.HS2["01"] == ("Live animals", "Animales vivos")


def test_hled_sector_tags() -> None:
    """Chapters 30/84/85/87/90 map to their sectors; any other chapter is "other"."""
    assert tc.hled_sector("85") == "semiconductors_ict"
    assert tc.hled_sector("84") == "computers_machinery"
    assert tc.hled_sector("90") == "medical_optical"
    assert tc.hled_sector("30") == "pharmaceuticals"
    assert tc.hled_sector("87") == "vehicles_parts"
    for chapter in ("08", "01", "27", "99"):
        assert tc.hled_sector(chapter) == "other"
    assert set(tc.SECTOR_OF_CHAPTER.values()) | {"other"} == set(tc.HLED_SECTORS)
    assert set(tc.PRIORITY_SECTORS) <= set(tc.HLED_SECTORS)
    assert tc.PRIORITY_SECTORS == ("semiconductors_ict", "medical_optical", "pharmaceuticals")


def test_simple_code_tables() -> None:
    """Trade types, countries, modes and weight rule hold the BTS codes."""
    assert tc.TRADE_TYPES == {"1": "export", "2": "import"}
    assert tc.COUNTRIES == {"1220": "canada", "2010": "mexico"}
    assert sorted(tc.MODES) == ["1", "3", "4", "5", "6", "7", "8", "9"]
    assert [m[0] for m in tc.MODES.values()] == [
        "vessel",
        "air",
        "mail",
        "truck",
        "rail",
        "pipeline",
        "other",
        "ftz",
    ]
    assert {m[0] for m in tc.MODES.values() if m[3]} == {"truck", "rail", "pipeline"}
    weighed = tc.WEIGHT_REPORTED_FOR_EXPORTS
    assert isinstance(weighed, frozenset)
    assert weighed == {"vessel", "air"}
    assert weighed <= {m[0] for m in tc.MODES.values()}


def test_region_code_tables() -> None:
    """Mexican states and Canadian provinces include the named and the unknown codes."""
    assert len(tc.MEXICAN_STATES) == 35  # 32 states + BN legacy + OT + XX
    for code in ("XX", "OT", "MX", "DF", "BN", "NL", "CH", "TM", "BC", "SO", "CO"):
        assert code in tc.MEXICAN_STATES
    assert set(tc.CANADIAN_PROVINCES) == {
        "XA",
        "XB",
        "XC",
        "XM",
        "XN",
        "XO",
        "XP",
        "XQ",
        "XS",
        "XT",
        "XV",
        "XW",
        "XY",
        "OT",
        "DU",
    }
    assert tc.CANADIAN_PROVINCES["XO"] == "Ontario"
    for table in (tc.MEXICAN_STATES, tc.CANADIAN_PROVINCES):
        assert all(len(code) == 2 and code.isupper() and name for code, name in table.items())


def test_mode_dimension() -> None:
    """One row per mode, sorted by DISAGMOT code, with the explicit schema."""
    frame = tc.mode_dimension()
    assert frame.schema == pl.Schema(
        {
            "mode": pl.String,
            "disagmot_code": pl.String,
            "label_en": pl.String,
            "label_es": pl.String,
            "is_land": pl.Boolean,
        }
    )
    assert frame.height == len(tc.MODES) == 8
    assert frame["disagmot_code"].to_list() == sorted(tc.MODES)
    assert frame["mode"].is_unique().all()
    truck = frame.filter(pl.col("mode") == "truck").row(0, named=True)
    assert truck == {
        "mode": "truck",
        "disagmot_code": "5",
        "label_en": "Truck",
        "label_es": "Camión",
        "is_land": True,
    }
    assert frame.filter(pl.col("is_land"))["mode"].to_list() == ["truck", "rail", "pipeline"]


def test_commodity_dimension() -> None:
    """One row per HS chapter with sector labels and the priority flag."""
    frame = tc.commodity_dimension()
    assert frame.schema == pl.Schema(
        {
            "commodity": pl.String,
            "name_en": pl.String,
            "name_es": pl.String,
            "hled_sector": pl.String,
            "hled_sector_en": pl.String,
            "hled_sector_es": pl.String,
            "is_priority": pl.Boolean,
        }
    )
    assert frame.height == len(tc.HS2) == 98
    assert frame["commodity"].to_list() == EXPECTED_CHAPTERS
    assert frame.null_count().sum_horizontal().item() == 0
    tagged = dict(
        frame.filter(pl.col("hled_sector") != "other").select("commodity", "hled_sector").iter_rows()
    )
    assert tagged == tc.SECTOR_OF_CHAPTER
    assert sorted(frame.filter(pl.col("is_priority"))["commodity"].to_list()) == ["30", "85", "90"]
    row = frame.filter(pl.col("commodity") == "30").row(0, named=True)
    assert (row["hled_sector_en"], row["hled_sector_es"]) == tc.HLED_SECTORS["pharmaceuticals"]
    assert frame.filter(pl.col("commodity") == "08")["hled_sector"].item() == "other"


def test_trade_type_and_country_dimensions() -> None:
    """Two rows each, with codes as text."""
    trade = tc.trade_type_dimension()
    assert trade.schema == pl.Schema(
        {"trade_type": pl.String, "trdtype_code": pl.String, "label_en": pl.String, "label_es": pl.String}
    )
    assert trade.rows() == [
        ("export", "1", "Export", "Exportación"),
        ("import", "2", "Import", "Importación"),
    ]
    country = tc.country_dimension()
    assert country.schema == pl.Schema(
        {"country": pl.String, "country_code": pl.String, "label_en": pl.String, "label_es": pl.String}
    )
    assert country.rows() == [("canada", "1220", "Canada", "Canadá"), ("mexico", "2010", "Mexico", "México")]


def test_region_dimension() -> None:
    """States and provinces in one table, unique by (country, region_code)."""
    frame = tc.region_dimension()
    assert frame.schema == pl.Schema({"country": pl.String, "region_code": pl.String, "name": pl.String})
    assert frame.height == len(tc.MEXICAN_STATES) + len(tc.CANADIAN_PROVINCES) == 50
    assert frame.filter(pl.col("country") == "mexico").height == len(tc.MEXICAN_STATES)
    assert frame.filter(pl.col("country") == "canada").height == len(tc.CANADIAN_PROVINCES)
    assert set(frame["country"]) == {"mexico", "canada"}
    assert not frame.select("country", "region_code").is_duplicated().any()
    # OT is used by both lists: the country column tells them apart
    assert frame.filter(pl.col("region_code") == "OT").height == 2


# column of the staged CSVs -> the table its (non-blank) values must be keys of
COLUMN_TABLES: dict[str, dict] = {
    "TRDTYPE": tc.TRADE_TYPES,
    "COUNTRY": tc.COUNTRIES,
    "DISAGMOT": tc.MODES,
    "MEXSTATE": tc.MEXICAN_STATES,
    "CANPROV": tc.CANADIAN_PROVINCES,
    "USASTATE": tc.US_STATES,
    "COMMODITY2": tc.HS2,
}


@pytest.mark.slow
@pytest.mark.skipif(
    not TRANSBORDER.is_dir(),
    reason=f"staged TransBorder data not found at {TRANSBORDER} (a fresh clone has no ../shared/data)",
)
def test_every_staged_code_is_covered() -> None:
    """Every non-blank code in every staged dot1/dot2/dot3 CSV is a key of the matching table."""
    files = sorted(TRANSBORDER.glob("[0-9][0-9][0-9][0-9]/dot[123]_*.csv.gz"))
    assert files, f"no dot1/dot2/dot3 files under {TRANSBORDER}"
    assert {f.name[:4] for f in files} == {"dot1", "dot2", "dot3"}
    seen: dict[str, set[str]] = {column: set() for column in COLUMN_TABLES}
    for path in files:
        frame = pl.read_csv(path, infer_schema=False)
        for column in COLUMN_TABLES.keys() & set(frame.columns):
            values = frame.get_column(column).str.strip_chars().drop_nulls().unique()
            seen[column] |= {v for v in values.to_list() if v}
    for column, table in COLUMN_TABLES.items():
        assert seen[column], f"{column} never seen in the staged files"
        missing = sorted(seen[column] - table.keys())
        assert not missing, f"{column} codes missing from trade_codes: {missing}"
