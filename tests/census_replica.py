"""A local replica of the Census Bureau's international trade API by port and HS code (`porths`), as
PUBLISHERS.md section 5 describes it: a JSON array of arrays, header first, every value a string, each
predicate echoed as a column; TOTAL FOR ALL PORTS rows; one commodity code (or wildcard) per call;
HTTP 204 with no body for an empty answer, 400 with a text body for an unknown variable, 200 with an
HTML page for a key it does not accept, and a refusal (429) of keyless calls when told to.

Its chapter values are TransBorder dot3 rows summed (all modes; air = DISAGMOT 3, vessel = 1), so the
reconciliation with TransBorder can be checked exactly; a heading is a fixed share of its chapter."""

from __future__ import annotations

import csv
import io
import json
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

from tests.replica import Answer, RequestLog, RequestRecord, serve

PATH = "/data/timeseries/intltrade/{direction}/porths"
COUNTRY_NAMES = {"2010": "MEXICO", "1220": "CANADA"}
PORT_NAMES = {"2304": "LAREDO, TX", "2305": "HILDAGO, TX", "2506": "NOGALES, AZ", "0901": "BUFFALO, NY"}
# a heading's share of its chapter (thousandths), the same for every port and month
HEADING_SHARE = {
    "8541": 70,
    "8542": 130,
    "8486": 20,
    "9018": 200,
    "9019": 50,
    "9020": 10,
    "9021": 90,
    "9022": 40,
    "3004": 600,
    "3002": 150,
}
VALUE_VARIABLES = {
    "imports": ("GEN_VAL_MO", "AIR_VAL_MO", "VES_VAL_MO"),
    "exports": ("ALL_VAL_MO", "AIR_VAL_MO", "VES_VAL_MO"),
}
COMMODITY = {"imports": "I_COMMODITY", "exports": "E_COMMODITY"}
OTHER_VARIABLES = ("PORT", "PORT_NAME", "CTY_CODE", "CTY_NAME", "COMM_LVL", "time", "YEAR", "MONTH")
KEY_PAGE = (
    b"<!DOCTYPE html><html><head><title>Invalid Key</title></head><body><p>Invalid Key</p><p>A valid "
    b"<em>key</em> must be included with each data API request. You included a key with this request, "
    b"however, it is not valid. Please check your key and try again.</p></body></html>"
)


@dataclass
class CensusReplica(RequestLog):
    """api.census.gov's porths endpoints; `key` (when set) is the one key it accepts, and
    `refuse_keyless` makes it refuse calls without one."""

    base: str = ""
    key: str | None = None
    refuse_keyless: bool = False
    # (direction, chapter, port, country, "YYYY-MM") -> [all modes, air, vessel]
    chapters: dict[tuple[str, str, str, str, str], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0, 0])
    )
    requests: list[RequestRecord] = field(default_factory=list)
    queries: list[dict[str, list[str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    payload_kind: ClassVar[str] = "json"

    def add_dot3(self, data: bytes) -> None:
        """Sum a TransBorder dot3 CSV into chapter values (its TRDTYPE 1 is exports, 2 imports)."""
        for row in csv.DictReader(io.StringIO(data.decode())):
            if not row["DEPE"].isdigit():  # TransBorder's district codes (23XX): the API has ports only
                continue
            direction = "exports" if row["TRDTYPE"] == "1" else "imports"
            month = f"{row['YEAR']}-{int(row['MONTH']):02d}"
            values = self.chapters[(direction, row["COMMODITY2"], row["DEPE"], row["COUNTRY"], month)]
            value = int(row["VALUE"])
            values[0] += value
            values[1] += value if row["DISAGMOT"] == "3" else 0
            values[2] += value if row["DISAGMOT"] == "1" else 0

    def values(self, direction: str, code: str) -> dict[tuple[str, str, str], list[int]]:
        """(port, country, month) -> values of one chapter or heading."""
        chapter, share = code[:2], HEADING_SHARE.get(code)
        found = {}
        for (d, ch, port, country, month), values in self.chapters.items():
            if d == direction and ch == chapter:
                found[(port, country, month)] = (
                    values if share is None else [v * share // 1000 for v in values]
                )
        return found

    def decide(self, method: str, target: str, headers: Message, started: float) -> Answer:
        """Route one request as the API would."""
        parts = urlsplit(target)
        query = parse_qs(parts.query, keep_blank_values=True)
        with self.lock:
            self.queries.append(query)
        direction = next((d for d in VALUE_VARIABLES if parts.path == PATH.format(direction=d)), None)
        if direction is None:
            return text(404, "error: unknown endpoint")
        given = query.get("key", [None])[0]
        if self.key is not None and given is not None and given != self.key:
            return Answer(200, {"Content-Type": "text/html;charset=utf-8"}, KEY_PAGE, "key-page").sized()
        if given is None and self.refuse_keyless:
            return text(429, "You have exceeded the limit of queries without a key")
        asked = query.get("get", [""])[0].split(",")
        known = (*VALUE_VARIABLES[direction], *OTHER_VARIABLES)
        unknown = [v for v in asked if v not in known]
        if unknown:
            return text(400, f"error: unknown variable '{unknown[0]}'")
        codes = query.get(COMMODITY[direction], [])
        if len(codes) != 1 or "," in codes[0]:
            return text(400, "There was an error while running your query.  We've logged the error.")
        return self.answer(direction, asked, query)

    def answer(self, direction: str, asked: list[str], query: dict[str, list[str]]) -> Answer:
        code, level = query[COMMODITY[direction]][0], query.get("COMM_LVL", [""])[0]
        wanted = set(query.get("CTY_CODE", COUNTRY_NAMES))
        months = _months(query.get("time", [""])[0])
        codes = [c for c in (*{k[1] for k in self.chapters}, *HEADING_SHARE) if _matches(c, code, level)]
        predicates = [p for p in ("CTY_CODE", COMMODITY[direction], "COMM_LVL", "time") if p in query]
        header = [*asked, *predicates]
        rows = []
        for hs in sorted(codes):
            by_country: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
            for (port, country, month), values in sorted(self.values(direction, hs).items()):
                if country not in wanted or month not in months:
                    continue
                rows.append(self.row(direction, header, hs, port, country, month, values))
                total = by_country[(country, month)]
                for i in range(3):
                    total[i] += values[i]
            for (country, month), values in sorted(by_country.items()):
                rows.append(self.row(direction, header, hs, "-", country, month, values))
        if not rows:
            return Answer(204, {}, b"", "empty")
        body = json.dumps([header, *rows]).encode()
        return Answer(200, {"Content-Type": "application/json;charset=utf-8"}, body, "json").sized()

    def row(
        self,
        direction: str,
        header: list[str],
        hs: str,
        port: str,
        country: str,
        month: str,
        values: list[int],
    ) -> list[str]:
        cells = {
            **dict(zip(VALUE_VARIABLES[direction], (str(v) for v in values), strict=True)),
            "PORT": port,
            "PORT_NAME": "TOTAL FOR ALL PORTS" if port == "-" else PORT_NAMES.get(port, f"PORT {port}"),
            "CTY_CODE": country,
            "CTY_NAME": COUNTRY_NAMES[country],
            COMMODITY[direction]: hs,
            "COMM_LVL": "HS2" if len(hs) == 2 else "HS4",
            "time": month,
            "YEAR": month[:4],
            "MONTH": month[5:],
        }
        return [cells[name] for name in header]


def _matches(code: str, asked: str, level: str) -> bool:
    """Whether `code` answers the commodity predicate (a code, or a wildcard like 85*) at `level`."""
    if level and (level == "HS2") != (len(code) == 2):
        return False
    return code.startswith(asked[:-1]) if asked.endswith("*") else code == asked


def _months(time: str) -> set[str]:
    """The months of a time predicate: `2024-03` or `from 2023-01 to 2023-12`."""
    if not time.startswith("from "):
        return {time}
    first, last = time.removeprefix("from ").split(" to ")
    months, (year, month) = set(), (int(first[:4]), int(first[5:]))
    while f"{year}-{month:02d}" <= last:
        months.add(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def text(status: int, body: str) -> Answer:
    return Answer(status, {"Content-Type": "text/plain;charset=utf-8"}, body.encode(), "error").sized()


@contextmanager
def serve_census(**kwargs: object) -> Iterator[CensusReplica]:
    """A running api.census.gov replica on 127.0.0.1."""
    replica = CensusReplica(**kwargs)  # type: ignore[arg-type]
    with serve(replica):  # type: ignore[arg-type]
        yield replica
