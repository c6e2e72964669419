"""The Census Bureau's international trade API by port and HS code (`porths`): the headings asked for,
declared once, and the parser of its answers (a JSON array of arrays, header first, every value a
string, each predicate echoed as a column). Total and grouping rows are dropped by rule, never by
position; a row that breaks a rule is kept as a reject with its reason."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from transforms.errors import ParseError, SchemaDriftError
from transforms.parsed import ParseResult
from transforms.rawfile import REJECT_SCHEMA, read_bytes
from transforms.trade_codes import COUNTRIES


@dataclass(frozen=True)
class Heading:
    """An HS chapter (2 digits) or heading (4 digits) asked of the API, with the HLED sector it serves
    and what it holds. A chapter is asked too so that it can be reconciled with TransBorder."""

    code: str
    sector: str  # transforms.trade_codes.HLED_SECTORS key
    title_en: str
    title_es: str
    product: str | None = None  # the HLED product it belongs to (PRODUCTS); None for a whole chapter

    @property
    def level(self) -> str:
        """The API's COMM_LVL: HS2 for a chapter, HS4 for a heading."""
        return "HS2" if len(self.code) == 2 else "HS4"

    @property
    def chapter(self) -> str:
        return self.code[:2]


# The HLED's products, named exactly, each the sum of its headings: what the chapters only stand in for.
PRODUCTS: dict[str, tuple[str, str]] = {
    "semiconductors": (
        "Integrated circuits and semiconductor devices (HS 8541–8542)",
        "Circuitos integrados y dispositivos semiconductores (SA 8541–8542)",
    ),
    "chip_making_machines": (
        "Machines for making semiconductors (HS 8486)",
        "Máquinas para fabricar semiconductores (SA 8486)",
    ),
    "medical_devices": ("Medical devices (HS 9018–9022)", "Dispositivos médicos (SA 9018–9022)"),
    "medicines": ("Medicines in measured doses (HS 3004)", "Medicamentos dosificados (SA 3004)"),
    "vaccines_blood": (
        "Vaccines, blood fractions and cultures (HS 3002)",
        "Vacunas, fracciones de la sangre y cultivos (SA 3002)",
    ),
}

HEADINGS: tuple[Heading, ...] = (
    Heading(
        "85",
        "semiconductors_ict",
        "Electrical machinery and equipment (all of chapter 85)",
        "Máquinas y aparatos eléctricos (todo el capítulo 85)",
    ),
    Heading(
        "8541",
        "semiconductors_ict",
        "Diodes, transistors and other semiconductor devices, photovoltaic cells",
        "Diodos, transistores y demás dispositivos semiconductores, células fotovoltaicas",
        product="semiconductors",
    ),
    Heading(
        "8542",
        "semiconductors_ict",
        "Electronic integrated circuits",
        "Circuitos integrados electrónicos",
        product="semiconductors",
    ),
    Heading(
        "8486",
        "semiconductors_ict",
        "Machines for making semiconductors and integrated circuits",
        "Máquinas para fabricar semiconductores y circuitos integrados",
        product="chip_making_machines",
    ),
    Heading(
        "90",
        "medical_optical",
        "Optical, measuring and medical instruments (all of chapter 90)",
        "Instrumentos ópticos, de medida y médicos (todo el capítulo 90)",
    ),
    Heading(
        "9018",
        "medical_optical",
        "Medical, surgical and dental instruments",
        "Instrumentos de medicina, cirugía y odontología",
        product="medical_devices",
    ),
    Heading(
        "9019",
        "medical_optical",
        "Therapy and breathing apparatus",
        "Aparatos de mecanoterapia y de terapia respiratoria",
        product="medical_devices",
    ),
    Heading(
        "9020",
        "medical_optical",
        "Breathing appliances and gas masks",
        "Aparatos respiratorios y máscaras antigás",
        product="medical_devices",
    ),
    Heading(
        "9021",
        "medical_optical",
        "Orthopaedic appliances, implants, hearing aids and pacemakers",
        "Artículos de ortopedia, implantes, audífonos y marcapasos",
        product="medical_devices",
    ),
    Heading(
        "9022",
        "medical_optical",
        "X-ray and other radiation apparatus",
        "Aparatos de rayos X y de otras radiaciones",
        product="medical_devices",
    ),
    Heading(
        "30",
        "pharmaceuticals",
        "Pharmaceutical products (all of chapter 30)",
        "Productos farmacéuticos (todo el capítulo 30)",
    ),
    Heading(
        "3004",
        "pharmaceuticals",
        "Medicaments in measured doses",
        "Medicamentos dosificados",
        product="medicines",
    ),
    Heading(
        "3002",
        "pharmaceuticals",
        "Blood fractions, vaccines, toxins and cultures",
        "Fracciones de la sangre, vacunas, toxinas y cultivos",
        product="vaccines_blood",
    ),
)
DIRECTIONS: dict[str, str] = {"imports": "import", "exports": "export"}  # API path -> trade_type
# what is asked per direction: the all-modes value, the air and vessel values (land = all - air - vessel)
VALUES: dict[str, tuple[str, str, str]] = {
    "imports": ("GEN_VAL_MO", "AIR_VAL_MO", "VES_VAL_MO"),
    "exports": ("ALL_VAL_MO", "AIR_VAL_MO", "VES_VAL_MO"),
}
COMMODITY: dict[str, str] = {"imports": "I_COMMODITY", "exports": "E_COMMODITY"}
NAMES = ("PORT", "PORT_NAME", "CTY_NAME")  # asked besides the values
# the columns an answer must have: what was asked and the predicates it echoes
LAYOUTS: dict[str, tuple[str, ...]] = {
    f"porths_{direction}": (*values, *NAMES, "CTY_CODE", COMMODITY[direction], "COMM_LVL", "time")
    for direction, values in VALUES.items()
}
CLEAN_SCHEMA: dict[str, pl.DataType] = {
    "month": pl.Date(),
    "trade_type": pl.String(),
    "country": pl.String(),
    "port_code": pl.String(),
    "port_name": pl.String(),
    "hs_code": pl.String(),
    "hs_level": pl.String(),
    "value_usd": pl.Int64(),
    "air_usd": pl.Int64(),
    "vessel_usd": pl.Int64(),
    "land_usd": pl.Int64(),
    "source_line": pl.Int64(),
}


def heading_dimension() -> pl.DataFrame:
    """core.dim_hs_heading: every chapter and heading asked, with its HLED sector, product and titles."""
    return pl.DataFrame(
        [
            (
                h.code,
                h.level,
                h.chapter,
                h.sector,
                h.product,
                *(PRODUCTS[h.product] if h.product else (None, None)),
                h.title_en,
                h.title_es,
            )
            for h in HEADINGS
        ],
        schema={
            "hs_code": pl.String,
            "hs_level": pl.String,
            "chapter": pl.String,
            "hled_sector": pl.String,
            "hled_product": pl.String,
            "product_en": pl.String,
            "product_es": pl.String,
            "title_en": pl.String,
            "title_es": pl.String,
        },
        orient="row",
    )


def request_variables(direction: str) -> str:
    """The `get=` list of one request: the values, then the port and country names."""
    return ",".join((*VALUES[direction], *NAMES))


def _rows(path: Path, label: str) -> list[list[object]]:
    data = read_bytes(path, label=label)
    if not data.strip():
        return []
    try:
        rows = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ParseError(f"{label}: not a JSON answer of the Census API (rule: is_json): {exc}") from None
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise ParseError(f"{label}: the answer is not an array of arrays (rule: census_array_of_arrays)")
    return rows


def _layout(header: list[object], label: str) -> tuple[str, dict[str, int]]:
    """The layout the header matches and each column's first position (a variable both asked and
    filtered on comes back twice)."""
    names = [str(h) for h in header]
    first: dict[str, int] = {}
    for i, name in enumerate(names):
        first.setdefault(name, i)
    for layout, needed in LAYOUTS.items():
        if set(needed) <= set(first):
            return layout, first
    best = min(LAYOUTS.items(), key=lambda item: len(set(item[1]) - set(first)))
    missing = sorted(set(best[1]) - set(first))
    raise SchemaDriftError(
        f"{label}: header of no known layout (rule: known_header); closest {best[0]} lacks {missing}; "
        f"header: {names}"
    )


def _integer(value: object) -> int | None:
    text = str(value).strip()
    return int(text) if text.isdigit() else None


def parse_porths(path: Path, label: str | None = None) -> ParseResult:
    """One answer of `porths` (line = the row's position in the array, the header being line 1)."""
    label = label or path.name
    rows = _rows(path, label)
    if not rows:  # HTTP 204: nothing for this heading and period (kept as an empty answer)
        return ParseResult(
            pl.DataFrame(schema=CLEAN_SCHEMA), pl.DataFrame(schema=REJECT_SCHEMA), "porths_empty", 0
        )
    layout, at = _layout(rows[0], label)
    direction = layout.removeprefix("porths_")
    total, air, vessel = (at[v] for v in VALUES[direction])
    clean, rejects = [], []
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(rows[0]):
            rejects.append(
                (line, "row_width", f"{len(row)} fields, the header has {len(rows[0])}", json.dumps(row))
            )
            continue
        port, country = str(row[at["PORT"]]).strip(), str(row[at["CTY_CODE"]]).strip()
        if port == "-" or country == "-" or country not in COUNTRIES:
            continue  # TOTAL FOR ALL PORTS / COUNTRIES, a grouping (USMCA, EU, 1XXX): sums of the rows
        problem = None
        values = [_integer(row[i]) for i in (total, air, vessel)]
        month = str(row[at["time"]]).strip()
        code, level = str(row[at[COMMODITY[direction]]]).strip(), str(row[at["COMM_LVL"]]).strip()
        if not (len(port) == 4 and port.isdigit()):
            problem = ("port_code_format", f"PORT {port!r} is not a 4-digit Schedule D code")
        elif any(v is None for v in values):
            problem = ("value_integer", f"values {[row[i] for i in (total, air, vessel)]} are not whole US$")
        elif len(month) != 7 or month[4] != "-" or not month.replace("-", "").isdigit():
            problem = ("month_format", f"time {month!r} is not a month like 2024-03")
        elif level not in ("HS2", "HS4") or len(code) != {"HS2": 2, "HS4": 4}[level]:
            problem = ("commodity_level", f"commodity {code!r} at level {level!r} is not an HS2 or HS4 code")
        elif values[1] + values[2] > values[0]:  # type: ignore[operator]
            problem = (
                "modes_within_total",
                f"air {values[1]} + vessel {values[2]} exceed all modes {values[0]}",
            )
        if problem is not None:
            rejects.append((line, *problem, json.dumps(row)))
            continue
        all_modes, by_air, by_vessel = values
        clean.append(
            (
                date(int(month[:4]), int(month[5:]), 1),
                DIRECTIONS[direction],
                COUNTRIES[country],
                port,
                str(row[at["PORT_NAME"]]).strip(),
                code,
                level,
                all_modes,
                by_air,
                by_vessel,
                all_modes - by_air - by_vessel,  # type: ignore[operator]
                line,
            )
        )
    return ParseResult(
        clean=pl.DataFrame(clean, schema=CLEAN_SCHEMA, orient="row"),
        rejects=pl.DataFrame(rejects, schema=REJECT_SCHEMA, orient="row"),
        layout=layout,
        rows_read=len(rows) - 1,
    )
