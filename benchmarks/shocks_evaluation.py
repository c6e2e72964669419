"""How often `marts.shocks` is right, against public records: recall on the documented truck
disruptions at the busiest port groups (`benchmarks/disruption_events.csv`, each with its source),
precision of the truck shocks found there, shocks inside periods known to be calm
(`benchmarks/calm_periods.csv`), and the misses. The detector never reads these files.

    .venv/bin/python -m benchmarks.shocks_evaluation [--warehouse data/warehouse.duckdb] [--top 20]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from transforms import shocks
from warehouse.diversions import DIVERSION_KM, NEIGHBOURS_SQL

HERE = Path(__file__).resolve().parent
EVENTS = HERE / "disruption_events.csv"
CALM = HERE / "calm_periods.csv"
RESULTS = HERE / "shocks_evaluation.json"  # the committed figures that docs/indicators.md quotes
TOP = 20  # busiest truck port groups evaluated
WINDOW = 1  # a shock matches an event that starts or lasts within this many months of it
TRUCKS = ("trucks", "all")  # event measures that concern trucks
BASIS_YEARS = 5  # the busiest groups by trucks over the last this many years
VISIBLE_FALL = 0.15  # an event is visible in the counts when trucks fell this much against a year before
QUIET_GROUP, QUIET_EXCEPT = "2304", 2020  # Laredo's trucks: no local disruption outside this year


def month(text: str) -> date:
    """A `YYYY-MM` month as the date of its first day."""
    year, mon = text.split("-")
    return date(int(year), int(mon), 1)


def shift(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Event:
    """A documented disruption, by port group (a port code of the file mapped to its group)."""

    id: str
    border: str
    groups: frozenset[str]  # empty: the whole border
    measure: str
    first: date
    last: date
    expected_drop: str
    cause: str

    def covers(self, group: str, border: str) -> bool:
        return group in self.groups if self.groups else border == self.border

    def near(self, first: date, last: date) -> bool:
        """Whether the months first..last (a shock's first to trough month) overlap the event's months
        widened by WINDOW on each side."""
        return shift(self.first, -WINDOW) <= last and first <= shift(self.last, WINDOW)


@dataclass(frozen=True)
class Shock:
    group: str
    border: str
    first: date
    trough: date
    depth_pct: float | None
    found_by: str = "own history"
    border_shock: date | None = None  # first month of the border-wide shock it is part of


@dataclass(frozen=True)
class Calm:
    groups: frozenset[str]
    measure: str
    first: date
    last: date


@dataclass
class Evaluation:
    found: list[tuple[Event, str]] = field(default_factory=list)  # (event, group)
    missed: list[tuple[Event, str]] = field(default_factory=list)
    matched: list[tuple[Shock, str]] = field(default_factory=list)  # (shock, why)
    unmatched: list[Shock] = field(default_factory=list)
    in_calm: list[Shock] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        total = len(self.found) + len(self.missed)
        return len(self.found) / total if total else None

    @property
    def precision(self) -> float | None:
        total = len(self.matched) + len(self.unmatched)
        return len(self.matched) / total if total else None


def _groups(path: Path, row: dict, group_of: dict[str, str]) -> frozenset[str]:
    """The port groups of a row's `port_codes` (`*`: none, the whole border); a code the warehouse
    does not know is an error: the tables must name real ports."""
    codes = [c.strip() for c in row["port_codes"].split(";") if c.strip() and c.strip() != "*"]
    unknown = [c for c in codes if c not in group_of]
    if unknown:
        raise ValueError(
            f"{path.name}: {row.get('event_id') or row['port_names']} names unknown ports {unknown}"
        )
    return frozenset(group_of[c] for c in codes)


def read_events(path: Path, group_of: dict[str, str]) -> list[Event]:
    """The documented events, their port codes mapped to port groups."""
    events = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            events.append(
                Event(
                    row["event_id"],
                    row["border"],
                    _groups(path, row, group_of),
                    row["measure"],
                    month(row["first_month"]),
                    month(row["last_month"] or row["first_month"]),
                    row["expected_drop"],
                    row["cause"],
                )
            )
    return events


def read_calm(path: Path, group_of: dict[str, str]) -> list[Calm]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Calm(
                _groups(path, row, group_of),
                row["measure"],
                month(row["first_month"]),
                month(row["last_month"]),
            )
            for row in csv.DictReader(fh)
        ]


def evaluate(
    events: list[Event],
    calm: list[Calm],
    shocks: list[Shock],
    top: list[str],
    neighbours: dict[str, set[str]],
) -> Evaluation:
    """Recall: each (truck event, busiest group it names) is found when a truck shock at that group,
    from its first to its trough month, overlaps the event's months widened by WINDOW. Precision:
    each truck shock at a busiest group matches a truck event there (or border-wide), or one at a
    neighbouring group (diversion)."""
    result = Evaluation()
    trucks = [e for e in events if e.measure in TRUCKS]
    busiest = set(top)
    for event in trucks:
        for group in sorted(event.groups & busiest):
            hit = any(s.group == group and event.near(s.first, s.trough) for s in shocks)
            (result.found if hit else result.missed).append((event, group))
    for shock in (s for s in shocks if s.group in busiest):
        here = [
            e for e in trucks if e.covers(shock.group, shock.border) and e.near(shock.first, shock.trough)
        ]
        near = [
            e
            for e in trucks
            if e.groups & neighbours.get(shock.group, set()) and e.near(shock.first, shock.trough)
        ]
        if here:
            result.matched.append((shock, here[0].id))
        elif near:
            result.matched.append((shock, f"{near[0].id} (at a neighbour)"))
        else:
            result.unmatched.append(shock)
        if any(
            shock.group in c.groups and c.measure in TRUCKS and c.first <= shock.first <= c.last for c in calm
        ):
            result.in_calm.append(shock)
    return result


def largest_fall(event: Event, group: str, trucks: dict[tuple[str, date], float]) -> float | None:
    """The largest fall of a group's trucks against the same month a year before, over the event's
    months widened by WINDOW: whether the event is visible in monthly counts at all (None: no data)."""
    changes = []
    m = shift(event.first, -WINDOW)
    while m <= shift(event.last, WINDOW):
        now, before = trucks.get((group, m)), trucks.get((group, shift(m, -12)))
        if now is not None and before:
            changes.append(now / before - 1.0)
        m = shift(m, 1)
    return min(changes) if changes else None


@dataclass
class Inputs:
    """What the evaluation reads from the published warehouse."""

    group_of: dict[str, str]  # port code -> port group
    busiest: list[str]  # the busiest truck port groups
    names: dict[str, str]
    neighbours: dict[str, set[str]]  # groups of the same border nearby (warehouse/diversions.py)
    shocks: list[Shock]  # truck disruptions of port groups (not the reporting changes)
    trucks: dict[tuple[str, date], float]  # (group, month) -> inbound trucks


def _warehouse_inputs(path: Path, top: int) -> Inputs:
    """From the published warehouse: port groups, the busiest, names, neighbours, the truck series
    and the truck disruptions of port groups (shocks the detector itself calls reporting changes are
    left out, as the charts leave them)."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        group_of = dict(con.execute("SELECT port_code, port_group FROM core.dim_port_group").fetchall())
        names = dict(
            con.execute("SELECT DISTINCT port_group, port_group_name FROM core.dim_port_group").fetchall()
        )
        busiest = [
            g
            for (g,) in con.execute(
                """SELECT port_group FROM marts.port_group_month
                   WHERE measure = 'trucks'
                     AND month > (SELECT max(month) FROM marts.port_group_month) - to_years(?)
                   GROUP BY 1 ORDER BY sum(value) DESC LIMIT ?""",
                [BASIS_YEARS, top],
            ).fetchall()
        ]
        pairs = con.execute(f"SELECT port_group, neighbour FROM ({NEIGHBOURS_SQL})").fetchall()
        trucks = {
            (g, m): v
            for g, m, v in con.execute(
                "SELECT port_group, month, value FROM marts.port_group_month WHERE measure = 'trucks'"
            ).fetchall()
        }
        shocks = [
            Shock(*row)
            for row in con.execute(
                """SELECT scope, border, first_month, trough_month, depth_pct,
                          coalesce(found_by, 'own history'), border_shock_month FROM marts.shocks
                   WHERE scope_type = 'port_group' AND measure = 'trucks' AND kind = 'disruption'
                   ORDER BY first_month, scope"""
            ).fetchall()
        ]
    finally:
        con.close()
    neighbours: dict[str, set[str]] = {}
    for group, neighbour in pairs:
        neighbours.setdefault(group, set()).add(neighbour)
    return Inputs(group_of, busiest, names, neighbours, shocks, trucks)


def figures(data: Inputs, result: Evaluation, documented: int) -> dict:
    """The evaluation's figures as committed in RESULTS (docs/indicators.md quotes them), with the
    detector's constants they were measured with."""
    falls = {(e.id, g): largest_fall(e, g, data.trucks) for e, g in result.found + result.missed}
    visible = [k for k, f in falls.items() if f is not None and f <= -VISIBLE_FALL]
    found = {(e.id, g) for e, g in result.found}
    name = data.names.get
    quiet = [s for s in data.shocks if s.group == QUIET_GROUP and s.first.year != QUIET_EXCEPT]
    return {
        "measured_on": date.today().isoformat(),
        "data_through": max(m for _, m in data.trucks).isoformat()[:7] if data.trucks else None,
        "events_documented": documented,
        "truck_events_at_busiest": len({e.id for e, _ in result.found + result.missed}),
        "busiest": [name(g, g) for g in data.busiest],
        "recall": {"found": len(result.found), "of": len(result.found) + len(result.missed)},
        "precision": {"matched": len(result.matched), "of": len(result.matched) + len(result.unmatched)},
        "visible_recall": {"found": sum(1 for k in visible if k in found), "of": len(visible)},
        "visible_fall_pct": round(100 * VISIBLE_FALL),
        "calm_hits": len(result.in_calm),
        "found_by_peers": sum(1 for s, _ in result.matched if s.found_by == "peers"),
        "quiet_group": {
            "port_group": name(QUIET_GROUP, QUIET_GROUP),
            "outside": QUIET_EXCEPT,
            "local": [f"{s.first:%Y-%m}" for s in quiet if s.border_shock is None],
            "border_wide": [f"{s.first:%Y-%m}" for s in quiet if s.border_shock is not None],
        },
        "constants": {**shocks.constants(), "DIVERSION_KM": DIVERSION_KM},
        "missed": [
            {
                "event": e.id,
                "port_group": name(g, g),
                "months": f"{e.first:%Y-%m}..{e.last:%Y-%m}",
                "expected_drop": e.expected_drop,
                "largest_fall_pct": None if falls[(e.id, g)] is None else round(100 * falls[(e.id, g)]),
            }
            for e, g in result.missed
        ],
        "unmatched": [
            {
                "port_group": name(s.group, s.group),
                "first_month": f"{s.first:%Y-%m}",
                "depth_pct": s.depth_pct,
            }
            for s in result.unmatched
        ],
    }


def _share(part: dict) -> str:
    found, total = list(part.values())
    return f"{found / total:.2f} ({found} of {total})" if total else "n/a"


def report(data: Inputs, label: str) -> dict:
    """Print the evaluation of `data`: the figures, the misses with what the counts show, the rest;
    returns the figures."""
    events = read_events(EVENTS, data.group_of)
    result = evaluate(events, read_calm(CALM, data.group_of), data.shocks, data.busiest, data.neighbours)
    out = figures(data, result, len(events))
    print(
        f"warehouse: {label}; {len(events)} documented events, {len(data.busiest)} busiest truck port groups"
    )
    print(f"busiest: {', '.join(out['busiest'])}")
    print(f"\nrecall (documented truck disruptions found within {WINDOW} month): {_share(out['recall'])}")
    print(f"precision (truck shocks at those groups matching a documented event): {_share(out['precision'])}")
    print(f"truck shocks inside periods known to be calm: {out['calm_hits']}")
    q = out["quiet_group"]
    print(
        f"{q['port_group']} truck disruptions outside {q['outside']}: local {q['local'] or 'none'}, "
        f"part of a border-wide shock {q['border_wide'] or 'none'}"
    )
    print(f"matched shocks found against the peers: {out['found_by_peers']}")
    print(
        f"recall on the events visible in the counts (trucks {VISIBLE_FALL:.0%} or more below the same "
        f"month a year before): {_share(out['visible_recall'])}"
    )
    print(
        "\n| missed event | port group | months | expected drop | largest fall vs a year before |"
        "\n|---|---|---|---|---:|"
    )
    for m in out["missed"]:
        seen = "no data" if m["largest_fall_pct"] is None else f"{m['largest_fall_pct']:+d}%"
        print(f"| {m['event']} | {m['port_group']} | {m['months']} | {m['expected_drop']} | {seen} |")
    print("\n| found event | port group |\n|---|---|")
    for event, group in result.found:
        print(f"| {event.id} | {data.names.get(group, group)} |")
    print("\n| shock not matched | first month | depth % |\n|---|---|---:|")
    for u in out["unmatched"]:
        depth = "" if u["depth_pct"] is None else f"{u['depth_pct']:.0f}"
        print(f"| {u['port_group']} | {u['first_month']} | {depth} |")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    home = Path(os.environ.get("HLED_HOME", "data"))
    parser.add_argument("--warehouse", type=Path, default=home / "warehouse.duckdb")
    parser.add_argument("--top", type=int, default=TOP, help="busiest truck port groups evaluated")
    parser.add_argument(
        "--write", action="store_true", help=f"also write the figures to {RESULTS.name} (docs/indicators.md)"
    )
    args = parser.parse_args()
    out = report(_warehouse_inputs(args.warehouse, args.top), str(args.warehouse))
    if args.write:
        RESULTS.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nwrote {RESULTS}")


if __name__ == "__main__":
    main()
