"""Parsing CBP Border Wait Times: feed snapshots (the bwtnew JSON API, or the RSS feed's layout) into
one normalized row per lane reading, and CBP's historical hourly-average exports into profile rows."""

from __future__ import annotations

import csv
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

from transforms.errors import ParseError
from transforms.rawfile import REJECT_SCHEMA, match_layout, read_bytes, read_text_csv

VEHICLES = ("commercial", "passenger", "pedestrian")
LANES = ("standard", "fast", "sentri", "ready")
JSON_GROUPS = {
    "commercial_vehicle_lanes": "commercial",
    "passenger_vehicle_lanes": "passenger",
    "pedestrian_lanes": "pedestrian",
}
JSON_LANES = {
    "standard_lanes": "standard",
    "FAST_lanes": "fast",
    "NEXUS_SENTRI_lanes": "sentri",
    "ready_lanes": "ready",
}
RSS_SECTIONS = {
    "commercial vehicles": "commercial",
    "passenger vehicles": "passenger",
    "pedestrian": "pedestrian",
}
RSS_LANES = {
    "general": "standard",
    "fast": "fast",
    "sentri": "sentri",
    "nexus/sentri": "sentri",
    "ready": "ready",
}
BORDERS = {"Mexican Border": "US-Mexico", "Canadian Border": "US-Canada"}
# hours from UTC of the zone abbreviations CBP prints after lane update times
TZ_OFFSETS = {
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "AKST": -9,
    "AKDT": -8,
    "AST": -4,
    "ADT": -3,
}
MAX_WAIT_MINUTES = 24 * 60  # CBP reports minutes to the booth; a day or more is a broken reading
MAX_LANES = 100
SNAPSHOT_BYTES = 64 << 20  # the largest feed response read (CBP's are some 100 KB)
# update times the readings suite accepts, applied at import too: a reading stored is one the suite takes
FIRST_READING = datetime(2000, 1, 1)
FUTURE_DAYS = 2  # past the day of collection (time zones, a clock a little ahead)


def latest_allowed(today: date) -> datetime:
    """The latest update time (UTC) a reading may have when collected or validated on `today`."""
    return datetime(today.year, today.month, today.day) + timedelta(days=FUTURE_DAYS)


OPEN = ("delay", "no delay")  # lane statuses that carry a reading
NO_READING = ("n/a", "lanes closed", "update pending")  # lane statuses that carry none
# Lane status text as CBP prints it, in English or Spanish, -> the canonical (English) status stored.
# Matched case-insensitively, ignoring accents and surrounding whitespace (see lane_status).
LANE_STATUSES: dict[str, str] = {
    "delay": "delay",
    "no delay": "no delay",
    "n/a": "n/a",
    "lanes closed": "lanes closed",
    "update pending": "update pending",
    "demora": "delay",
    "sin demora": "no delay",
    "n/d": "n/a",
    "no disponible": "n/a",
    "carriles cerrados": "lanes closed",
    "actualización pendiente": "update pending",
}
# An update time more than this after the snapshot belongs to the day before (a feed's date can roll over
# before every lane has updated).
FUTURE_SLACK = timedelta(minutes=90)
# The RSS pubDate says "EST" but runs on US Eastern wall-clock time (EDT in summer): 4 h behind UTC in August.
RSS_CLOCK = ZoneInfo("America/New_York")

READING_SCHEMA: dict[str, pl.DataType] = {
    "port_number": pl.String(),
    "crossing": pl.String(),
    "border": pl.String(),
    "vehicle_type": pl.String(),
    "lane_type": pl.String(),
    "observed_local": pl.Datetime("us"),
    "tz_abbrev": pl.String(),
    "observed_utc": pl.Datetime("us"),
    "delay_minutes": pl.Int32(),
    "lanes_open": pl.Int32(),
    "max_lanes": pl.Int32(),
    "status": pl.String(),
}
# "At 4:00 pm CDT 60 min delay 2 lane(s) open", "... no delay ..."; in Spanish
# "... 60 min demora 2 carril(es) abierto(s)", "... sin demora ...".
LANE_TEXT = re.compile(
    r"^At\s+(?P<time>\d{1,2}:\d{2}\s*[ap]\.?m\.?|Noon|Midnight)\s+(?P<tz>[A-Z]{2,4})\s+"
    r"(?:(?P<delay>\d+)\s*min\s+(?:delay|demora)|(?P<nodelay>no delay|sin demora))\s+"
    r"(?P<lanes>\d+)\s*(?:lane\(s\)\s+open|carril\(es\)\s+abierto\(s\))$",
    re.IGNORECASE,
)
UPDATE_TIME = re.compile(
    r"^At\s+(?P<time>\d{1,2}:\d{2}\s*[ap]\.?m\.?|Noon|Midnight)\s+(?P<tz>[A-Z]{2,4})$", re.IGNORECASE
)


def _fold(text: str) -> str:
    """Lower case, accents dropped, inner whitespace collapsed: 'Actualización  Pendiente ' ->
    'actualizacion pendiente'."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(bare.lower().split())


_STATUS_BY_FOLD = {_fold(text): status for text, status in LANE_STATUSES.items()}
KNOWN_STATUSES = ", ".join(LANE_STATUSES)


def lane_status(text: str | None) -> str | None:
    """The canonical status of a lane's status text in English or Spanish; '' for a blank one, None
    for text that is known in neither language."""
    folded = _fold(text or "")
    return "" if folded == "" else _STATUS_BY_FOLD.get(folded)


@dataclass(frozen=True)
class Crossing:
    """One CBP wait-time crossing (bwt port number) and the BTS port it reports under."""

    port_number: str
    border: str
    port_name: str
    crossing_name: str
    port_code: str | None
    timezone: str

    @property
    def title(self) -> str:
        return f"{self.port_name} - {self.crossing_name}" if self.crossing_name else self.port_name


@cache
def crossings() -> dict[str, Crossing]:
    """The crossing list (transforms/bwt_crossings.csv), by bwt port number."""
    text = (resources.files("transforms") / "bwt_crossings.csv").read_text()
    return {
        r["port_number"]: Crossing(
            r["port_number"],
            r["border"],
            r["port_name"],
            r["crossing_name"],
            r["port_code"] or None,
            r["timezone"],
        )
        for r in csv.DictReader(text.splitlines())
    }


def _title_key(title: str) -> str:
    return re.sub(r"\s+", " ", title.replace("&amp;", "&")).strip().lower()


@cache
def _by_title() -> dict[str, Crossing]:
    return {_title_key(c.title): c for c in crossings().values()}


@dataclass
class Snapshot:
    """One feed response: its readings, the lanes that carried none (by status) and the rows refused."""

    feed: str  # bwtnew (JSON) or rss
    taken_at: datetime | None  # when the feed says it was produced (UTC, naive)
    readings: pl.DataFrame
    no_reading: dict[str, int]
    rejects: pl.DataFrame
    ports: int


def _clock(text: str) -> tuple[int, int]:
    """'1:00 pm' -> (13, 0); Noon -> (12, 0); Midnight -> (0, 0)."""
    word = text.strip().lower().replace(".", "")
    if word == "noon":
        return 12, 0
    if word == "midnight":
        return 0, 0
    moment = datetime.strptime(
        re.sub(r"\s+", " ", word.replace("am", " am").replace("pm", " pm")), "%I:%M %p"
    )
    return moment.hour, moment.minute


def _observed(day: datetime, time_text: str, tz: str, taken_at: datetime | None) -> tuple[datetime, datetime]:
    """Local and UTC time of an update on `day`; a time after the snapshot is moved to the day before."""
    hour, minute = _clock(time_text)
    local = day.replace(hour=hour, minute=minute, second=0, microsecond=0)
    utc = local - timedelta(hours=TZ_OFFSETS[tz.upper()])
    if taken_at is not None and utc > taken_at + FUTURE_SLACK:
        local, utc = local - timedelta(days=1), utc - timedelta(days=1)
    return local, utc


class _Collector:
    """Accumulates readings, status counts and rejects while a snapshot is walked."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.no_reading: dict[str, int] = {}
        self.rejects: list[dict] = []

    def reject(self, where: str, rule: str, reason: str, raw: str) -> None:
        self.rejects.append(
            {"line": len(self.rejects) + 1, "rule": rule, "reason": f"{where}: {reason}", "raw": raw}
        )

    def closed(self, status: str) -> None:
        self.no_reading[status] = self.no_reading.get(status, 0) + 1

    def frames(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        kept = []
        for row in self.rows:  # a reading out of any plausible range is refused here, not by the suite
            port, crossing, _, vehicle, lane, local, tz, utc, delay, lanes = row[:10]
            where = f"port {port} ({crossing}) {vehicle} {lane} at {local:%Y-%m-%d %H:%M} {tz}"
            if not FIRST_READING <= utc <= latest_allowed(datetime.now(UTC).date()):
                self.reject(
                    where,
                    "time_range",
                    f"update time {utc:%Y-%m-%d %H:%M} UTC is before {FIRST_READING:%Y} or more than "
                    f"{FUTURE_DAYS} days ahead",
                    str(row),
                )
            elif delay > MAX_WAIT_MINUTES:
                self.reject(
                    where, "delay_range", f"{delay} minutes is more than {MAX_WAIT_MINUTES}", str(row)
                )
            elif lanes > MAX_LANES:
                self.reject(where, "lanes_range", f"{lanes} lanes open is more than {MAX_LANES}", str(row))
            else:
                kept.append(row)
        readings = pl.DataFrame(kept, schema=READING_SCHEMA, orient="row")
        readings = readings.unique(
            ["port_number", "vehicle_type", "lane_type", "observed_utc", "delay_minutes", "lanes_open"],
            keep="first",
            maintain_order=True,
        )
        return readings, pl.DataFrame(self.rejects, schema=REJECT_SCHEMA)


def _int(value: str) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def parse_bwtnew(data: bytes, label: str) -> Snapshot:
    """The bwtnew JSON array: one reading per lane whose status is `delay` or `no delay` (or the
    Spanish text of it, see LANE_STATUSES)."""
    try:
        ports = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ParseError(f"{label}: not valid JSON ({exc}) (rule: is_json)") from None
    except RecursionError:  # arrays or objects nested thousands deep: no feed looks like that
        raise ParseError(f"{label}: JSON nested too deeply to be a feed response (rule: is_json)") from None
    if not isinstance(ports, list) or not all(isinstance(p, dict) and "port_number" in p for p in ports):
        raise ParseError(
            f"{label}: expected a JSON array of port objects with port_number (rule: bwtnew_layout)"
        )
    known = crossings()
    taken: list[datetime] = []
    stamps: dict[int, datetime] = {}
    for i, port in enumerate(ports):
        try:
            day = datetime.strptime(f"{port['date']} {port['time']}", "%m/%d/%Y %H:%M:%S")
        except (KeyError, ValueError):
            continue
        stamps[i] = day
        crossing = known.get(port["port_number"])
        if crossing is not None:
            taken.append(day.replace(tzinfo=ZoneInfo(crossing.timezone)).astimezone(UTC).replace(tzinfo=None))
    taken_at = max(taken) if taken else None
    out = _Collector()
    for i, port in enumerate(ports):
        name = " - ".join(
            x for x in (port.get("port_name", "").strip(), port.get("crossing_name", "").strip()) if x
        )
        where = f"port {port['port_number']} ({name})"
        border = BORDERS.get(port.get("border", ""), port.get("border"))
        for group_key, vehicle in JSON_GROUPS.items():
            group = port.get(group_key) or {}
            max_lanes = _int(group.get("maximum_lanes", ""))
            for lane_key, lane in JSON_LANES.items():
                entry = group.get(lane_key)
                if not isinstance(entry, dict):
                    continue
                text = (entry.get("operational_status") or "").strip()
                status = lane_status(text)
                if status in NO_READING or (status == "" and not entry.get("update_time")):
                    out.closed(status or "blank")
                    continue
                raw = json.dumps(entry, sort_keys=True)
                lane_where = f"{where} {vehicle} {lane}"
                if status not in OPEN:
                    reason = (
                        f"unknown operational_status {text!r} (known in English or Spanish: {KNOWN_STATUSES})"
                    )
                    out.reject(lane_where, "lane_status", reason, raw)
                    continue
                stamp = UPDATE_TIME.match((entry.get("update_time") or "").strip())
                delay, lanes = _int(entry.get("delay_minutes", "")), _int(entry.get("lanes_open", ""))
                if i not in stamps:
                    out.reject(
                        lane_where, "port_date", f"port date/time {port.get('date')!r} unreadable", raw
                    )
                elif stamp is None or stamp["tz"].upper() not in TZ_OFFSETS:
                    out.reject(
                        lane_where, "update_time", f"update_time {entry.get('update_time')!r} unreadable", raw
                    )
                elif delay is None or lanes is None:
                    out.reject(
                        lane_where, "lane_numbers", "delay_minutes or lanes_open is not a whole number", raw
                    )
                else:
                    local, utc = _observed(stamps[i], stamp["time"], stamp["tz"], taken_at)
                    out.rows.append(
                        (
                            port["port_number"],
                            name,
                            border,
                            vehicle,
                            lane,
                            local,
                            stamp["tz"].upper(),
                            utc,
                            delay,
                            lanes,
                            max_lanes,
                            status,
                        )
                    )
    readings, rejects = out.frames()
    return Snapshot("bwtnew", taken_at, readings, out.no_reading, rejects, len(ports))


def _description_text(element: ET.Element) -> str:
    """The description's markup as text, whether the feed escaped it or embedded it as elements."""
    return (element.text or "") + "".join(ET.tostring(c, encoding="unicode") for c in element)


def _strip_tags(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).replace("&amp;", "&").strip()


def _rss_item(item: ET.Element, taken_at: datetime | None, out: _Collector) -> None:
    title = _strip_tags(item.findtext("title") or "")
    crossing = _by_title().get(_title_key(title))
    description = item.find("description")
    markup = _description_text(description) if description is not None else ""
    if crossing is None:
        out.reject(
            f"item {title!r}",
            "known_crossing",
            "no such crossing in transforms/bwt_crossings.csv",
            markup[:500],
        )
        return
    date = re.search(r"Date:\s*(\d{1,2}/\d{1,2}/\d{4})", markup)
    if date is None:
        out.reject(f"item {title!r}", "item_date", "no 'Date: M/D/YYYY' line", markup[:500])
        return
    day = datetime.strptime(date.group(1), "%m/%d/%Y")
    sections = re.split(r"<h4>\s*(?:<b>)?\s*(.*?)\s*(?:</b>)?\s*</h4>", markup)
    for heading, body in zip(sections[1::2], sections[2::2], strict=True):
        vehicle = RSS_SECTIONS.get(_strip_tags(heading).lower())
        if vehicle is None:
            out.reject(f"item {title!r}", "section", f"unknown section {_strip_tags(heading)!r}", body[:500])
            continue
        lines = [_strip_tags(x) for x in re.split(r"<br\s*/?>", body)]
        maximum = next((m.group(1) for x in lines if (m := re.match(r"Maximum Lanes:\s*(\S+)", x))), "")
        for line in lines:
            found = re.match(r"^(?P<lane>[A-Za-z/ ]+?) Lanes:\s*(?P<value>.*)$", line)
            if found is None or line.startswith("Maximum Lanes"):
                continue
            lane = RSS_LANES.get(found["lane"].strip().lower())
            where = f"item {title!r} {vehicle} {found['lane']} Lanes"
            if lane is None:
                out.reject(where, "lane_type", f"unknown lane type {found['lane']!r}", line)
                continue
            value = found["value"].strip()
            status = lane_status(value)
            if status in NO_READING:
                out.closed(status)
                continue
            reading = LANE_TEXT.match(value)
            if reading is None or reading["tz"].upper() not in TZ_OFFSETS:
                out.reject(where, "lane_text", f"unreadable lane text {value!r}", line)
                continue
            local, utc = _observed(day, reading["time"], reading["tz"], taken_at)
            delay = 0 if reading["nodelay"] else int(reading["delay"])
            out.rows.append(
                (
                    crossing.port_number,
                    crossing.title,
                    crossing.border,
                    vehicle,
                    lane,
                    local,
                    reading["tz"].upper(),
                    utc,
                    delay,
                    int(reading["lanes"]),
                    _int(maximum),
                    "no delay" if reading["nodelay"] else "delay",
                )
            )


def _rss_time(text: str | None) -> datetime | None:
    """A pubDate like 'Sat, 22 Aug 2026 14:08:39 EST', read as US Eastern wall-clock time, in UTC."""
    if not text:
        return None
    try:
        wall = datetime.strptime(" ".join(text.split()[:5]), "%a, %d %b %Y %H:%M:%S")
    except ValueError:
        return None
    return wall.replace(tzinfo=RSS_CLOCK).astimezone(UTC).replace(tzinfo=None)


def parse_rss(data: bytes, label: str) -> Snapshot:
    """CBP's RSS layout: per item (crossing) a description with one <h4> section per vehicle type."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ParseError(f"{label}: not well-formed XML ({exc}) (rule: is_xml)") from None
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise ParseError(f"{label}: expected <rss><channel>, found <{root.tag}> (rule: rss_layout)")
    taken_at = _rss_time(channel.findtext("pubDate"))
    items = channel.findall("item")
    out = _Collector()
    for item in items:
        _rss_item(item, taken_at, out)
    readings, rejects = out.frames()
    return Snapshot("rss", taken_at, readings, out.no_reading, rejects, len(items))


def parse_snapshot(path: Path, label: str) -> Snapshot:
    """Parse a stored feed response, JSON or RSS, told apart by its first character."""
    data = read_bytes(path, SNAPSHOT_BYTES, label)  # kept gzip-encoded when the server sent it so
    head = data.lstrip()[:1]
    if head == b"[":
        return parse_bwtnew(data, label)
    if head == b"<":
        return parse_rss(data, label)
    shown = data.lstrip()[:40].decode("utf-8", errors="replace")
    raise ParseError(
        f"{label}: neither the bwtnew JSON nor the RSS layout; starts with {shown!r} (rule: feed_layout)"
    )


# CBP's historical wait-time export (per port: month x day of week x hour averages, minutes).
PROFILE_LAYOUTS = {
    "bwt_hourly_avg": (
        "bwt_month",
        "bwt_day",
        "bwt_hour",
        "cv_time_avg",
        "xcv_time_avg",
        "pv_time_avg",
        "xpv_time_avg",
        "pv_ready_lanes_time_avg",
        "ped_time_avg",
        "ped_ready_lanes_time_avg",
    )
}
PROFILE_LANES = {
    "cv_time_avg": ("commercial", "standard"),
    "xcv_time_avg": ("commercial", "fast"),
    "pv_time_avg": ("passenger", "standard"),
    "xpv_time_avg": ("passenger", "sentri"),
    "pv_ready_lanes_time_avg": ("passenger", "ready"),
    "ped_time_avg": ("pedestrian", "standard"),
    "ped_ready_lanes_time_avg": ("pedestrian", "ready"),
}
PROFILE_BOUNDS = {"bwt_month": (1, 12), "bwt_day": (0, 6), "bwt_hour": (0, 23)}


@dataclass
class Profile:
    """Parsed historical export: one row per lane x month x day of week x hour, and the rows refused."""

    clean: pl.DataFrame
    rejects: pl.DataFrame
    rows_read: int
    dropped_lanes: list[str]


def parse_profile(path: Path, port_number: str, label: str) -> Profile:
    """Read a historical hourly-average export for one crossing. A lane whose averages are all 0 is
    dropped: CBP writes 0 for lane types a crossing does not have (San Ysidro's commercial columns)."""
    text = read_text_csv(path, label)
    match_layout(list(text.columns), PROFILE_LAYOUTS, label)
    fields = [c for c in text.columns if c != "source_line"]
    checks = [
        pl.col(c).str.strip_chars().cast(pl.Int64, strict=False).alias(c)
        for c in PROFILE_LAYOUTS["bwt_hourly_avg"]
    ]
    typed = text.with_columns(checks)
    reasons = []
    for column in PROFILE_LAYOUTS["bwt_hourly_avg"]:
        low, high = PROFILE_BOUNDS.get(column, (0, 24 * 60))
        reasons.append(
            pl.when(pl.col(column).is_null())
            .then(pl.lit(f"{column} is not a whole number (rule: integer)"))
            .when(~pl.col(column).is_between(low, high))
            .then(pl.lit(f"{column} outside {low}-{high} (rule: range)"))
        )
    typed = typed.with_columns(pl.coalesce(reasons).alias("reason"))
    key = ["bwt_month", "bwt_day", "bwt_hour"]
    typed = typed.with_columns(
        pl.when(pl.col("reason").is_null() & ~pl.struct(key).is_first_distinct())
        .then(pl.lit("month/day/hour repeated; the first row is kept (rule: unique_slot)"))
        .otherwise(pl.col("reason"))
        .alias("reason")
    )
    bad = typed.filter(pl.col("reason").is_not_null())
    rejects = bad.join(
        text.select("source_line", pl.concat_str(fields, separator=",").alias("raw")), on="source_line"
    ).select(
        pl.col("source_line").alias("line"),
        pl.col("reason").str.extract(r"rule: (\w+)").alias("rule"),
        pl.col("reason"),
        pl.col("raw"),
    )
    good = typed.filter(pl.col("reason").is_null())
    kept = [c for c in PROFILE_LANES if good[c].sum() > 0]
    dropped = [c for c in PROFILE_LANES if c not in kept]
    clean = good.unpivot(
        index=[*key, "source_line"], on=kept, variable_name="column", value_name="avg_wait_minutes"
    )
    lanes = pl.DataFrame(
        [(c, v, lane) for c, (v, lane) in PROFILE_LANES.items()],
        schema=["column", "vehicle_type", "lane_type"],
        orient="row",
    )
    clean = (
        clean.join(lanes, on="column")
        .select(
            pl.lit(port_number).alias("port_number"),
            "vehicle_type",
            "lane_type",
            pl.col("bwt_month").cast(pl.Int32).alias("month_of_year"),
            pl.col("bwt_day").cast(pl.Int32).alias("day_of_week"),
            pl.col("bwt_hour").cast(pl.Int32).alias("hour_of_day"),
            pl.col("avg_wait_minutes").cast(pl.Int32),
            "source_line",
        )
        .sort("vehicle_type", "lane_type", "month_of_year", "day_of_week", "hour_of_day")
    )
    return Profile(clean, rejects.cast(REJECT_SCHEMA), text.height, dropped)


def latest_readings(history: pl.DataFrame) -> pl.DataFrame:
    """One row per crossing, lane and update time: the value seen last, with how many CBP published."""
    key = ["port_number", "vehicle_type", "lane_type", "observed_utc"]
    return (
        history.sort([*key, "first_seen_utc"])
        .group_by(key, maintain_order=True)
        .agg(pl.all().last(), pl.len().cast(pl.Int32).alias("versions"))
    )


def crossing_dimension() -> pl.DataFrame:
    """core.dim_wait_crossing rows from transforms/bwt_crossings.csv."""
    return pl.DataFrame(
        [
            {
                "port_number": c.port_number,
                "border": c.border,
                "port_name": c.port_name,
                "crossing_name": c.crossing_name or None,
                "crossing": c.title,
                "port_code": c.port_code,
                "timezone": c.timezone,
            }
            for c in crossings().values()
        ]
    )
