"""BTS Border Crossing Entry Data (keg4-3bc2): raw CSV in any of its three published layouts ->
one canonical frame of inbound crossings by port, month and measure, plus rejected rows."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from transforms.parsed import ParseResult
from transforms.rawfile import REJECT_SCHEMA, first_problem, match_layout, read_text_csv

_BASE = ("Port Name", "State", "Port Code", "Border", "Date", "Measure", "Value")
LAYOUTS: dict[str, tuple[str, ...]] = {
    "current_10col": (*_BASE, "Latitude", "Longitude", "Point"),
    "legacy_8col_location": (*_BASE, "Location"),
    "legacy_7col": _BASE,
}

# Display name in the file -> canonical code. The 2019 layout says "Full" for "Loaded".
MEASURES: dict[str, str] = {
    "Bus Passengers": "bus_passengers",
    "Buses": "buses",
    "Pedestrians": "pedestrians",
    "Personal Vehicle Passengers": "personal_vehicle_passengers",
    "Personal Vehicles": "personal_vehicles",
    "Rail Containers Empty": "rail_containers_empty",
    "Rail Containers Loaded": "rail_containers_loaded",
    "Rail Containers Full": "rail_containers_loaded",
    "Train Passengers": "train_passengers",
    "Trains": "trains",
    "Truck Containers Empty": "truck_containers_empty",
    "Truck Containers Loaded": "truck_containers_loaded",
    "Truck Containers Full": "truck_containers_loaded",
    "Trucks": "trucks",
}
# code -> (English label, Spanish label, category, unit EN, unit ES): the core.dim_measure rows.
MEASURE_LABELS: dict[str, tuple[str, str, str, str, str]] = {
    "bus_passengers": ("Bus Passengers", "Pasajeros de autobús", "people", "people", "personas"),
    "buses": ("Buses", "Autobuses", "vehicles", "buses", "autobuses"),
    "pedestrians": ("Pedestrians", "Peatones", "people", "people", "personas"),
    "personal_vehicle_passengers": (
        "Personal Vehicle Passengers",
        "Pasajeros de vehículos particulares",
        "people",
        "people",
        "personas",
    ),
    "personal_vehicles": (
        "Personal Vehicles",
        "Vehículos particulares",
        "vehicles",
        "vehicles",
        "vehículos",
    ),
    "rail_containers_empty": (
        "Rail Containers Empty",
        "Contenedores ferroviarios vacíos",
        "freight",
        "containers",
        "contenedores",
    ),
    "rail_containers_loaded": (
        "Rail Containers Loaded",
        "Contenedores ferroviarios cargados",
        "freight",
        "containers",
        "contenedores",
    ),
    "train_passengers": ("Train Passengers", "Pasajeros de tren", "people", "people", "personas"),
    "trains": ("Trains", "Trenes", "freight", "trains", "trenes"),
    "truck_containers_empty": (
        "Truck Containers Empty",
        "Contenedores de camión vacíos",
        "freight",
        "containers",
        "contenedores",
    ),
    "truck_containers_loaded": (
        "Truck Containers Loaded",
        "Contenedores de camión cargados",
        "freight",
        "containers",
        "contenedores",
    ),
    "trucks": ("Trucks", "Camiones", "freight", "trucks", "camiones"),
}
MEASURE_CODES: tuple[str, ...] = tuple(sorted(MEASURE_LABELS))
BORDERS: dict[str, str] = {"US-Mexico Border": "US-Mexico", "US-Canada Border": "US-Canada"}
BORDER_CODES: tuple[str, ...] = tuple(sorted(set(BORDERS.values())))

CLEAN_SCHEMA: dict[str, pl.DataType] = {
    "port_code": pl.String(),
    "port_name": pl.String(),
    "state": pl.String(),
    "border": pl.String(),
    "month": pl.Date(),
    "measure": pl.String(),
    "value": pl.Int64(),
    "latitude": pl.Float64(),
    "longitude": pl.Float64(),
    "source_line": pl.Int64(),
}
KEY = ("port_code", "month", "measure")


def measure_dimension() -> pl.DataFrame:
    """Rows of core.dim_measure."""
    return pl.DataFrame(
        [(code, *labels) for code, labels in MEASURE_LABELS.items()],
        schema=["measure", "label_en", "label_es", "category", "unit_en", "unit_es"],
        orient="row",
    )


def port_dimension(clean: pl.DataFrame) -> pl.DataFrame:
    """Rows of core.dim_port: each port as named in its latest month, with its active span."""
    return (
        clean.sort("month")
        .group_by("port_code")
        .agg(
            pl.col("port_name").last(),
            pl.col("state").last(),
            pl.col("border").last(),
            pl.col("latitude").drop_nulls().last(),
            pl.col("longitude").drop_nulls().last(),
            pl.col("month").min().alias("first_month"),
            pl.col("month").max().alias("last_month"),
        )
        .with_columns(pl.lit(True).alias("is_land_port"), pl.col("port_code").alias("crossings_port_code"))
        .sort("port_code")
    )


def _snake(col: str) -> pl.Expr:
    return pl.col(col).str.strip_chars().str.to_lowercase().str.replace_all(r"[^a-z0-9]+", "_")


def _month(col: str) -> pl.Expr:
    """`Jan 2024` (current) or `03/01/2019 12:00:00 AM`, `3/1/2019` (older layouts)."""
    text = pl.col(col).str.strip_chars()
    numeric = r"^(\d{1,2})/\d{1,2}/(\d{4})"
    month = text.str.extract(numeric, 1).cast(pl.Int8, strict=False)
    year = text.str.extract(numeric, 2).cast(pl.Int32, strict=False)
    valid = month.is_between(1, 12)
    return pl.coalesce(
        text.str.strptime(pl.Date, "%b %Y", strict=False),
        pl.when(valid).then(pl.date(year, pl.when(valid).then(month).otherwise(1), 1)),
    )


def _point(col: str, index: int) -> pl.Expr:
    """Coordinate `index` (0 = lon, 1 = lat) from WKT `POINT (lon lat)`."""
    return (
        pl.col(col)
        .str.extract(r"POINT\s*\(\s*(-?[0-9.]+)\s+(-?[0-9.]+)\s*\)", index + 1)
        .cast(pl.Float64, strict=False)
    )


def parse_crossings(path: Path, name: str | None = None) -> ParseResult:
    """Parse one raw crossings file; rows that cannot be typed become rejects with their line."""
    label = name or path.name
    raw = read_text_csv(path, label)
    layout = match_layout(raw.columns, LAYOUTS, label)
    raw_text = pl.concat_str([pl.col(c) for c in LAYOUTS[layout]], separator=",").alias("raw")

    if layout == "current_10col":
        lat = pl.col("Latitude").str.strip_chars().cast(pl.Float64, strict=False)
        lon = pl.col("Longitude").str.strip_chars().cast(pl.Float64, strict=False)
    elif layout == "legacy_8col_location":
        lat, lon = _point("Location", 1), _point("Location", 0)
    else:
        lat = lon = pl.lit(None, dtype=pl.Float64)

    code = pl.col("Port Code").str.strip_chars()
    value_text = pl.col("Value").str.strip_chars()
    typed = raw.select(
        pl.when(code.str.contains(r"^[0-9]{1,3}$"))
        .then(code.str.zfill(4))
        .otherwise(code)
        .alias("port_code"),
        pl.col("Port Name").str.strip_chars().alias("port_name"),
        pl.col("State").str.strip_chars().alias("state"),
        pl.col("Border").str.strip_chars().replace(BORDERS).alias("border"),
        _month("Date").alias("month"),
        pl.col("Measure")
        .str.strip_chars()
        .replace_strict(MEASURES, default=None)
        .fill_null(_snake("Measure"))
        .alias("measure"),
        value_text.cast(pl.Int64, strict=False).alias("value"),
        lat.alias("latitude"),
        lon.alias("longitude"),
        pl.col("source_line"),
        pl.col("Date").alias("_date_text"),
        value_text.alias("_value_text"),
        raw_text,
    )

    problems = [
        (pl.col("port_code") == "", "port_code_missing", pl.lit("Port Code is empty")),
        (
            pl.col("month").is_null(),
            "date_unparseable",
            pl.format("Date {} is not a month like 'Jan 2024' or '01/01/2024'", "_date_text"),
        ),
        (
            pl.col("value").is_null(),
            "value_not_integer",
            pl.format("Value '{}' is not a whole number", "_value_text"),
        ),
        (pl.col("measure") == "", "measure_missing", pl.lit("Measure is empty")),
    ]
    rule, reason = first_problem(problems)
    typed = typed.with_columns(rule.alias("_rule"), reason.alias("_reason"))

    bad = typed.filter(pl.col("_rule").is_not_null()).select(
        pl.col("source_line").alias("line"),
        pl.col("_rule").alias("rule"),
        pl.col("_reason").alias("reason"),
        "raw",
    )
    good = typed.filter(pl.col("_rule").is_null())
    clean, dup_rejects = _resolve_duplicates(good)
    rejects = pl.concat([bad, dup_rejects]).sort("line").cast(REJECT_SCHEMA)  # type: ignore[arg-type]
    return ParseResult(
        clean=clean.select(list(CLEAN_SCHEMA)).cast(CLEAN_SCHEMA).sort(KEY),  # type: ignore[arg-type]
        rejects=rejects,
        layout=layout,
        rows_read=raw.height,
    )


def _resolve_duplicates(good: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Rule: one row per (port, month, measure). Identical rows collapse to the first; when
    values conflict the fact keeps the largest value (a zero beside a count is a placeholder,
    not a second reading) and every other row is rejected naming the line that was kept."""
    ranked = good.with_columns(
        pl.len().over(KEY).alias("_n"),
        pl.col("value").n_unique().over(KEY).alias("_distinct"),
    ).sort([*KEY, "value", "source_line"], descending=[False, False, False, True, False])
    ranked = ranked.with_columns(
        pl.col("source_line").first().over(KEY).alias("_kept_line"),
        pl.col("value").first().over(KEY).alias("_kept_value"),
    )
    kept = ranked.filter(pl.col("source_line") == pl.col("_kept_line"))
    dropped = ranked.filter(pl.col("source_line") != pl.col("_kept_line"))
    key_text = pl.format("({}, {}, {})", "port_code", pl.col("month").dt.strftime("%Y-%m"), "measure")
    rejects = dropped.select(
        pl.col("source_line").alias("line"),
        pl.when(pl.col("value") == pl.col("_kept_value"))
        .then(pl.lit("duplicate_exact"))
        .otherwise(pl.lit("duplicate_conflict"))
        .alias("rule"),
        pl.when(pl.col("value") == pl.col("_kept_value"))
        .then(pl.format("{} repeats line {} with the same value; collapsed", key_text, "_kept_line"))
        .otherwise(
            pl.format(
                "{} has value {} here but {} at line {}; the fact keeps the largest value",
                key_text,
                "value",
                "_kept_value",
                "_kept_line",
            )
        )
        .alias("reason"),
        "raw",
    )
    return kept, rejects
