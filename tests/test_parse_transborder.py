"""Parsing TransBorder dot1/dot2/dot3 files: codes as text, decoded codes, unreported weight as NULL,
the annual layout, and row rejects."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import FIXTURES
from transforms.errors import SchemaDriftError
from transforms.transborder import clean_schema, parse_transborder

MONTH = FIXTURES / "transborder" / "2020"


def test_dot1_codes_are_decoded_and_land_export_weight_is_unknown() -> None:
    parsed = parse_transborder(MONTH / "dot1_0120.csv", "dot1")
    assert parsed.layout == "monthly" and parsed.rows_read == 4 and parsed.rejects.height == 0
    assert dict(parsed.clean.schema) == clean_schema("dot1")
    rows = parsed.clean.sort("source_line").to_dicts()
    export = rows[0]
    assert (export["month"], export["trade_type"], export["country"], export["mode"]) == (
        date(2020, 1, 1),
        "export",
        "mexico",
        "truck",
    )
    assert (export["port_code"], export["mex_state"], export["can_province"]) == ("2304", "NL", None)
    assert export["weight_kg"] is None, "SHIPWT 0 on a land export is not reported, not zero"
    assert (export["domestic_foreign"], export["containerized"]) == ("domestic", None)
    assert (rows[2]["mode"], rows[2]["weight_kg"], rows[2]["containerized"]) == ("rail", 900, False)
    assert (rows[3]["country"], rows[3]["can_province"]) == ("canada", "XO")


def test_leading_zeros_and_the_annual_layout(tmp_path) -> None:
    annual = tmp_path / "dot3_2021.csv"
    annual.write_text(
        "TRDTYPE,DEPE,COMMODITY2,DISAGMOT,COUNTRY,DF,CONTCODE,YEAR,VALUE,SHIPWT,FREIGHT_CHARGES\r\n"
        "1,0101,08,3,1220,1,X,2021,500,20,7\r\n"
    )
    parsed = parse_transborder(annual, "dot3")
    assert parsed.layout == "annual"
    row = parsed.clean.to_dicts()[0]
    assert (row["port_code"], row["commodity"], row["month"], row["year"]) == ("0101", "08", None, 2021)
    assert (row["mode"], row["weight_kg"], row["value_usd"]) == ("air", 20, 500)


def test_unreadable_amounts_are_rejected_with_their_line(tmp_path) -> None:
    text = (MONTH / "dot3_0120.csv").read_text().replace("2,2304,30,6,2010,1600", "2,2304,30,6,2010,16O0")
    path = tmp_path / "dot3_0120.csv"
    path.write_text(text)
    parsed = parse_transborder(path, "dot3")
    assert parsed.clean.height == 3
    assert parsed.rejects.select("line", "rule").rows() == [(4, "amount_not_integer")]


def test_a_dot2_file_is_not_accepted_as_dot1() -> None:
    with pytest.raises(
        SchemaDriftError, match=r"missing columns \['DEPE'\], unexpected columns \['COMMODITY2'\]"
    ):
        parse_transborder(MONTH / "dot2_0120.csv", "dot1")


def test_bad_month_is_a_row_reject_and_empty_weight_is_unknown(tmp_path) -> None:
    path = tmp_path / "dot1_0120.csv"
    lines = (MONTH / "dot1_0120.csv").read_text().splitlines()
    lines[1] = lines[1].replace(",01,2020", ",13,2020")
    lines[2] = lines[2].replace(",3000,500,30,", ",3000,,30,")
    path.write_text("\n".join(lines) + "\n")
    parsed = parse_transborder(path, "dot1")
    assert parsed.rejects.select("line", "rule").rows() == [(2, "period_unparseable")]
    row = parsed.clean.filter(parsed.clean["source_line"] == 3).to_dicts()[0]
    assert (row["value_usd"], row["weight_kg"]) == (3000, None)


def test_padded_fields_parse_as_the_plain_file_and_rejects_keep_the_padding(tmp_path) -> None:
    """Fields are stripped only in files holding whitespace (a byte search decides): a file padded with
    spaces, a tab and a no-break space must give the plain file's clean rows; its reject keeps the row
    as written."""
    plain = parse_transborder(MONTH / "dot1_0120.csv", "dot1").clean.drop("source_line")
    lines = (MONTH / "dot1_0120.csv").read_text().splitlines()
    lines[1] = lines[1].replace("1,TX,2304,5,NL,", " 1,TX ,\t2304,5,NL\u00a0,")
    lines[2] = lines[2].replace(",3000,500,30,", ", 3000 ,500,30,")
    lines.append("2,MI,3801,5,,XO,1220, 20x0 ,400,20,,0,01,2020")
    path = tmp_path / "dot1_0120.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    parsed = parse_transborder(path, "dot1")
    assert parsed.clean.drop("source_line").equals(plain)
    assert parsed.rejects.select("line", "rule", "raw").rows() == [
        (6, "amount_not_integer", "2,MI,3801,5,,XO,1220, 20x0 ,400,20,,0,01,2020")
    ]
    reason = "VALUE/SHIPWT/FREIGHT_CHARGES '20x0/400/20' are not all whole numbers"
    assert parsed.rejects["reason"][0] == reason
