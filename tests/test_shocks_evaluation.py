"""The disruption evaluation: its matching rules on hand-made events and shocks, and the committed
evaluation tables (documented events with sources, calm periods) well formed."""

from __future__ import annotations

import csv
import json
from datetime import date

from benchmarks.shocks_evaluation import CALM, EVENTS, Calm, Event, Shock, evaluate, month

LAREDO, HIDALGO, DETROIT, OTAY = "2304", "2305", "3801", "2506"


def _event(id: str, groups: set[str], first: str, last: str = "", measure: str = "trucks") -> Event:
    border = "US-Canada" if DETROIT in groups else "US-Mexico"
    return Event(id, border, frozenset(groups), measure, month(first), month(last or first), "15-25%", "test")


def _shock(group: str, first: str, trough: str = "") -> Shock:
    border = "US-Canada" if group == DETROIT else "US-Mexico"
    return Shock(group, border, month(first), month(trough or first), 20.0)


def test_recall_and_precision_follow_the_window_and_the_neighbours() -> None:
    events = [
        _event("inspections", {LAREDO, HIDALGO}, "2022-04"),
        _event("convoy", {DETROIT}, "2022-02"),
        _event("floods", {OTAY}, "2019-01", "2019-03"),
        _event("pedestrians-only", {LAREDO}, "2018-05", measure="pedestrians"),
    ]
    shocks = [
        _shock(LAREDO, "2022-05"),  # one month after: found
        _shock(HIDALGO, "2022-01", "2022-02"),  # ends two months before: not found, not matched
        _shock(DETROIT, "2021-11", "2022-03"),  # bottoms out within the event: found
        _shock(OTAY, "2019-05"),  # two months after the event's last month: missed
        _shock(LAREDO, "2018-05"),  # only a pedestrian event then: not a truck match
        _shock("2309", "2022-04"),  # Progreso is not among the busiest: not counted
    ]
    neighbours = {LAREDO: {HIDALGO}, HIDALGO: {LAREDO}, OTAY: set(), DETROIT: set()}
    top = [LAREDO, HIDALGO, DETROIT, OTAY]
    result = evaluate(events, [], shocks, top, neighbours)

    assert [(e.id, g) for e, g in result.found] == [("inspections", LAREDO), ("convoy", DETROIT)]
    assert [(e.id, g) for e, g in result.missed] == [("inspections", HIDALGO), ("floods", OTAY)]
    assert result.recall == 0.5
    assert [(s.group, why) for s, why in result.matched] == [(LAREDO, "inspections"), (DETROIT, "convoy")]
    assert [(s.group, f"{s.first:%Y-%m}") for s in result.unmatched] == [
        (HIDALGO, "2022-01"),
        (OTAY, "2019-05"),
        (LAREDO, "2018-05"),
    ]
    assert result.precision == 2 / 5

    diverted = evaluate(events, [], [_shock(HIDALGO, "2022-06")], top, neighbours)
    assert diverted.matched == [], "two months after: outside the window, even at a neighbour"
    spill = evaluate(
        [_event("only-laredo", {LAREDO}, "2022-04")], [], [_shock(HIDALGO, "2022-05")], top, neighbours
    )
    assert [why for _, why in spill.matched] == ["only-laredo (at a neighbour)"]

    calm = [Calm(frozenset({OTAY}), "trucks", date(2019, 4, 1), date(2019, 12, 1))]
    assert [s.group for s in evaluate(events, calm, shocks, top, neighbours).in_calm] == [OTAY]


def test_the_committed_evaluation_tables_are_well_formed() -> None:
    with EVENTS.open(encoding="utf-8", newline="") as fh:
        events = list(csv.DictReader(fh))
    assert len(events) >= 25 and len({e["event_id"] for e in events}) == len(events)
    assert {e["border"] for e in events} == {"US-Mexico", "US-Canada"}
    for e in events:
        assert e["source_url"].startswith(("http://", "https://")), e["event_id"]
        assert e["measure"] in {"trucks", "personal_vehicles", "pedestrians", "buses", "trains", "all"}
        assert month(e["first_month"]) <= month(e["last_month"] or e["first_month"]), e["event_id"]
        assert month(e["first_month"]) >= date(1996, 1, 1)
        codes = [c for c in e["port_codes"].split(";") if c]
        assert codes == ["*"] or all(len(c) == 4 and c.isdigit() for c in codes), e["event_id"]
    with CALM.open(encoding="utf-8", newline="") as fh:
        calm = list(csv.DictReader(fh))
    assert len(calm) >= 10
    for c in calm:
        assert month(c["first_month"]) < month(c["last_month"])


def test_the_catalog_quotes_the_recorded_evaluation_and_flags_it_when_the_method_changed(tmp_path) -> None:
    from warehouse.indicators import EVALUATION_FILE, evaluation_markdown

    recorded = json.loads(EVALUATION_FILE.read_text(encoding="utf-8"))
    text = evaluation_markdown(EVALUATION_FILE)
    found, total = recorded["recall"].values()
    assert f"**{found / total:.2f}** ({found} of {total})" in text and "measure them again" not in text
    older = dict(recorded, constants=dict(recorded["constants"], Z=4.0))
    (tmp_path / "old.json").write_text(json.dumps(older), encoding="utf-8")
    assert "**These figures predate a change of Z: measure them again.**" in evaluation_markdown(
        tmp_path / "old.json"
    )
    assert "No evaluation has been recorded" in evaluation_markdown(tmp_path / "none.json")
