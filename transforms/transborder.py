"""BTS TransBorder Freight raw CSVs (dot1 port × US state, dot2 US state × commodity, dot3 port ×
commodity), monthly or annual layout -> one clean frame per table with decoded codes, plus rejects.
Every code is read as text (leading zeros in DEPE and COMMODITY2); unreported weight becomes NULL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from transforms.errors import SchemaDriftError
from transforms.parsed import ParseResult
from transforms.rawfile import (
    REJECT_SCHEMA,
    first_line,
    first_problem,
    match_layout,
    read_csv_text,
    read_head,
)
from transforms.trade_codes import COUNTRIES, MODES, TRADE_TYPES, WEIGHT_REPORTED_FOR_EXPORTS

_MEASURES = ("VALUE", "SHIPWT", "FREIGHT_CHARGES")
_FLAGS = ("DF", "CONTCODE")
_DOT1 = ("TRDTYPE", "USASTATE", "DEPE", "DISAGMOT", "MEXSTATE", "CANPROV", "COUNTRY")
_DOT2 = ("TRDTYPE", "USASTATE", "COMMODITY2", "DISAGMOT", "MEXSTATE", "CANPROV", "COUNTRY")
_DOT3 = ("TRDTYPE", "DEPE", "COMMODITY2", "DISAGMOT", "COUNTRY")

# table -> layout name -> exact header. Annual files have no MONTH and put the amounts last.
LAYOUTS: dict[str, dict[str, tuple[str, ...]]] = {
    "dot1": {
        "monthly": (*_DOT1, *_MEASURES, *_FLAGS, "MONTH", "YEAR"),
        "annual": (*_DOT1, *_FLAGS, "YEAR", *_MEASURES),
    },
    "dot2": {
        "monthly": (*_DOT2, *_MEASURES, *_FLAGS, "MONTH", "YEAR"),
        "annual": (*_DOT2, *_FLAGS, "YEAR", *_MEASURES),
    },
    "dot3": {
        "monthly": (*_DOT3, *_MEASURES, *_FLAGS, "MONTH", "YEAR"),
        "annual": (*_DOT3, *_FLAGS, "YEAR", *_MEASURES),
    },
}
# the codes that identify a row in each table, as clean column names
KEYS: dict[str, tuple[str, ...]] = {
    "dot1": (
        "month",
        "trade_type",
        "country",
        "us_state",
        "port_code",
        "mode",
        "mex_state",
        "can_province",
        "domestic_foreign",
        "containerized",
    ),
    "dot2": (
        "month",
        "trade_type",
        "country",
        "us_state",
        "commodity",
        "mode",
        "mex_state",
        "can_province",
        "domestic_foreign",
        "containerized",
    ),
    "dot3": (
        "month",
        "trade_type",
        "country",
        "port_code",
        "commodity",
        "mode",
        "domestic_foreign",
        "containerized",
    ),
}
AMOUNTS = ("value_usd", "weight_kg", "freight_usd")
_RAW_NAME = {
    "us_state": "USASTATE",
    "port_code": "DEPE",
    "mex_state": "MEXSTATE",
    "can_province": "CANPROV",
    "commodity": "COMMODITY2",
}
_REQUIRED_CODES = {"port_code", "us_state", "commodity"}


def clean_schema(table: str) -> dict[str, pl.DataType]:
    """Column types of the clean frame of `table`."""
    schema: dict[str, pl.DataType] = {"month": pl.Date(), "year": pl.Int32()}
    for key in KEYS[table][1:]:
        schema[key] = pl.Boolean() if key == "containerized" else pl.String()
    schema.update({a: pl.Int64() for a in AMOUNTS})
    schema["source_line"] = pl.Int64()
    return schema


def _text(col: str) -> pl.Expr:
    """A code as given, empty as NULL (the fields are stripped first)."""
    return pl.when(pl.col(col) != "").then(pl.col(col))


def _integer(col: str) -> pl.Expr:
    return pl.col(col).cast(pl.Int64, strict=False)


def _typed(table: str, layout: str) -> list[pl.Expr]:
    """The clean columns of `table` from its stripped text columns, weight still as given (`_weight`)."""
    year = _integer("YEAR").cast(pl.Int32, strict=False)
    monthly = layout == "monthly"
    month_number = pl.col("MONTH").cast(pl.Int8, strict=False) if monthly else pl.lit(None, pl.Int8)
    mode_codes = {code: spec[0] for code, spec in MODES.items()}
    exprs: list[pl.Expr] = [
        pl.date(year, pl.when(month_number.is_between(1, 12)).then(month_number), 1).alias("month"),
        year.alias("year"),
        # codes without a name stay as given (replace keeps them); empty ones become NULL
        pl.col("TRDTYPE").replace({**TRADE_TYPES, "": None}).alias("trade_type"),
        pl.col("COUNTRY").replace({**COUNTRIES, "": None}).alias("country"),
    ]
    for key in KEYS[table][3:]:
        if key == "mode":
            exprs.append(pl.col("DISAGMOT").replace({**mode_codes, "": None}).alias("mode"))
        elif key == "domestic_foreign":
            exprs.append(
                pl.col("DF")
                .replace_strict({"1": "domestic", "2": "foreign"}, default=None)
                .alias("domestic_foreign")
            )
        elif key == "containerized":
            exprs.append(
                pl.col("CONTCODE")
                .replace_strict({"1": True, "0": False}, default=None, return_dtype=pl.Boolean)
                .alias("containerized")
            )
        else:
            exprs.append(_text(_RAW_NAME[key]).alias(key))
    return [
        *exprs,
        _integer("VALUE").alias("value_usd"),
        _integer("SHIPWT").alias("_weight"),
        (pl.col("SHIPWT") != "").alias("_weight_given"),
        _integer("FREIGHT_CHARGES").alias("freight_usd"),
        pl.col("source_line"),
    ]


def _problems(table: str, layout: str) -> list[tuple[pl.Expr, str, pl.Expr]]:
    """The row rules, in the order a row is judged: (condition on the typed columns, rule, reason)."""
    present_required = [k for k in KEYS[table] if k in _REQUIRED_CODES]
    month_text = pl.col("MONTH") if layout == "monthly" else pl.lit("")
    return [
        (
            pl.col("year").is_null() | (pl.col("month").is_null() & (layout == "monthly")),
            "period_unparseable",
            pl.format("MONTH '{}' / YEAR '{}' is not a month", month_text, pl.col("YEAR")),
        ),
        (
            pl.any_horizontal(pl.col("value_usd", "freight_usd").is_null())
            | (pl.col("_weight").is_null() & pl.col("_weight_given")),
            "amount_not_integer",
            pl.format(
                "VALUE/SHIPWT/FREIGHT_CHARGES '{}' are not all whole numbers",
                pl.concat_str([pl.col(c) for c in _MEASURES], separator="/"),
            ),
        ),
        (
            pl.any_horizontal(pl.col(present_required).is_null()),
            "code_missing",
            pl.lit(f"one of {', '.join(_RAW_NAME[k] for k in present_required)} is empty"),
        ),
    ]


def parse_transborder(path: Path, table: str, name: str | None = None) -> ParseResult:
    """Parse one dot1/dot2/dot3 file (monthly or annual layout); rows whose numbers or period cannot
    be read, or that lack a required code, become rejects with their line. Fields are stripped only
    when the file has whitespace, and the reasons and raw text are built for the rejected rows only: a
    file is some 40,000 rows, nearly always all good."""
    label = name or path.name
    raw, padded = read_csv_text(path, label)
    layout = match_layout(raw.columns, LAYOUTS[table], label)
    columns = LAYOUTS[table][layout]
    schema = clean_schema(table)
    problems = _problems(table, layout)
    rule, reason = first_problem(problems)

    def typed(rows: pl.DataFrame) -> pl.LazyFrame:
        text = rows.lazy().with_columns(pl.col(columns).str.strip_chars()) if padded else rows.lazy()
        return text.with_columns(_typed(table, layout)).with_columns(
            # SHIPWT is not reported for exports by land (it is 0 there): unknown, never a real zero
            pl.when(
                (pl.col("trade_type") == "export") & ~pl.col("mode").is_in(list(WEIGHT_REPORTED_FOR_EXPORTS))
            )
            .then(None)
            .otherwise(pl.col("_weight"))
            .alias("weight_kg"),
            rule.alias("_rule"),
        )

    judged = typed(raw).select(*schema, "_rule").cast(schema).collect()  # type: ignore[arg-type]
    bad = judged.get_column("_rule").is_not_null()
    if not bad.any():
        clean, rejects = judged.drop("_rule"), pl.DataFrame(schema=REJECT_SCHEMA)
    else:
        clean = judged.filter(~bad).drop("_rule")
        rows = raw.filter(bad).with_columns(  # the row as it was in the file, unstripped
            pl.concat_str([pl.col(c) for c in columns], separator=",").alias("_raw")
        )
        rejects = (
            typed(rows)
            .select(
                pl.col("source_line").alias("line"),
                pl.col("_rule").alias("rule"),
                reason.alias("reason"),
                pl.col("_raw").alias("raw"),
            )
            .collect()
        )
    return ParseResult(
        clean=clean,
        rejects=rejects.cast(REJECT_SCHEMA),  # type: ignore[arg-type]
        layout=layout,
        rows_read=raw.height,
    )


def trade_ports(clean_paths: list[Path]) -> pl.DataFrame:
    """The distinct port codes in clean dot1/dot3 Parquet files."""
    if not clean_paths:
        return pl.DataFrame(schema={"port_code": pl.String})
    return (
        pl.concat([pl.scan_parquet(str(p), glob=False).select("port_code") for p in clean_paths])
        .unique()
        .sort("port_code")
        .collect()
    )


def extend_ports(
    crossing_ports: pl.DataFrame, ports: pl.DataFrame, names: pl.DataFrame | None = None
) -> pl.DataFrame:
    """core.dim_port: the crossings ports (the land ports), plus trade-only ports named from Schedule D
    (`names`: port_code, port_name) or, where it does not list them, by their code; no crosswalk."""
    extra = ports.join(crossing_ports.select("port_code"), on="port_code", how="anti")
    if names is not None:
        extra = extra.join(
            names.select("port_code", pl.col("port_name").alias("_name")), on="port_code", how="left"
        )
    else:
        extra = extra.with_columns(pl.lit(None, pl.String).alias("_name"))
    extra = extra.select(
        "port_code",
        pl.coalesce("_name", "port_code").alias("port_name"),
        pl.lit(False).alias("is_land_port"),
    )
    return pl.concat([crossing_ports, extra], how="diagonal_relaxed").sort("port_code")


@dataclass(frozen=True)
class Identity:
    """What a TransBorder CSV holds, told by its header and its MONTH/YEAR values, not by its name."""

    table: str | None  # dot1, dot2, dot3, or None when the header is no TransBorder table
    layout: str | None  # monthly or annual
    months: tuple[date, ...]  # distinct months of its rows (annual files: none)


def identify(path: Path) -> Identity:
    """Read the header and the MONTH/YEAR columns of a CSV (any name) to tell its table and months;
    rows whose period cannot be read are left to the parser, which rejects them with their line."""
    header = [c.strip() for c in first_line(read_head(path)).split(",")]
    for table, layouts in LAYOUTS.items():
        try:
            layout = match_layout(header, layouts, path.name)
        except SchemaDriftError:
            continue
        if layout != "monthly":
            return Identity(table, layout, ())
        try:
            period_text = pl.read_csv(
                path, columns=["MONTH", "YEAR"], infer_schema=False, encoding="utf8-lossy", glob=False
            )
        except pl.exceptions.PolarsError:  # the parser will say what is wrong, with the line
            return Identity(table, layout, ())
        periods = (
            period_text.select(
                pl.date(
                    pl.col("YEAR").str.strip_chars().cast(pl.Int32, strict=False),
                    pl.col("MONTH").str.strip_chars().cast(pl.Int8, strict=False),
                    1,
                ).alias("month")
            )
            .drop_nulls()
            .unique()
            .sort("month")
        )
        return Identity(table, layout, tuple(periods["month"].to_list()))
    return Identity(None, None, ())
