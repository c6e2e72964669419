"""CBP wait times: the parsers on hand-made and real snapshots, the history store's once-per-reading
rule, the collector flow over HTTP (JSON, RSS fallback), the backfill loader, and the warehouse marts,
indicators and charts a refresh builds from the history."""

from __future__ import annotations

import gzip
import json
import random
import tarfile
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from dashboards.export import export_charts
from flows.errors import SourceError
from flows.refresh import refresh
from flows.settings import Settings
from flows.sources import checked_settings
from flows.wait_times import backfill, collect_once, collect_wait_times, forget, import_snapshots
from tests.conftest import FIXTURES, SHARED_DATA, Reply
from tests.handmade import build_handmade
from transforms.errors import ParseError, SchemaDriftError
from transforms.wait_times import crossings, latest_readings, parse_bwtnew, parse_rss, parse_snapshot
from warehouse import wait_history

WAITS = FIXTURES / "wait_times"
SNAPS = WAITS / "snapshots"
STAGED = SHARED_DATA / "cbp_wait_times"
requires_waits = pytest.mark.skipif(
    not STAGED.is_dir(), reason=f"staged CBP wait-time data not found at {STAGED} (a fresh clone has none)"
)
SNAPSHOT_STEP = 4  # the replay serves every 4th staged snapshot: 106 of 424, about 15 s
JSON_PATH = "/api/bwtnew"
RSS_PATH = "/api/bwtrss/getAllPortsRss/Mexico"


def history(settings: Settings, sql: str) -> list[tuple]:
    con = duckdb.connect(str(settings.wait_history), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_rss_lanes_become_readings_with_local_and_utc_times() -> None:
    snap = parse_rss((SNAPS / "rss_1.xml").read_bytes(), "rss_1.xml")
    assert snap.feed == "rss"
    assert snap.taken_at == datetime(2020, 2, 10, 15, 5)  # pubDate says EST: US Eastern wall clock
    rows = (
        snap.readings.sort("port_number", "vehicle_type", "lane_type")
        .select(
            "port_number",
            "vehicle_type",
            "lane_type",
            "observed_local",
            "tz_abbrev",
            "observed_utc",
            "delay_minutes",
            "lanes_open",
            "max_lanes",
            "status",
        )
        .rows()
    )
    assert rows == [
        # "At Noon CST" after a 9:05 CST snapshot is yesterday's noon, not today's
        (
            "230401",
            "pedestrian",
            "standard",
            datetime(2020, 2, 9, 12),
            "CST",
            datetime(2020, 2, 9, 18),
            15,
            1,
            2,
            "delay",
        ),
        (
            "230404",
            "commercial",
            "fast",
            datetime(2020, 2, 10, 9),
            "CST",
            datetime(2020, 2, 10, 15),
            12,
            2,
            8,
            "delay",
        ),
        (
            "230404",
            "commercial",
            "standard",
            datetime(2020, 2, 10, 9),
            "CST",
            datetime(2020, 2, 10, 15),
            30,
            4,
            8,
            "delay",
        ),
        (
            "230404",
            "passenger",
            "standard",
            datetime(2020, 2, 10, 9),
            "CST",
            datetime(2020, 2, 10, 15),
            20,
            3,
            4,
            "delay",
        ),
    ]
    assert snap.no_reading == {"n/a": 1, "lanes closed": 1, "update pending": 1}
    assert sorted(snap.rejects["rule"].to_list()) == ["known_crossing", "lane_text"]
    reasons = " | ".join(snap.rejects["reason"].to_list())
    assert "item 'Nowhere - Test Bridge': no such crossing in transforms/bwt_crossings.csv" in reasons
    assert "'At sometime 5 min'" in reasons and "Laredo - Bridge I" in reasons


def test_json_lanes_become_readings_and_closed_lanes_do_not() -> None:
    snap = parse_bwtnew((SNAPS / "json_1.json").read_bytes(), "json_1.json")
    assert snap.taken_at == datetime(2020, 2, 10, 16, 20)
    assert snap.ports == 2
    assert snap.readings.select(
        "port_number", "lane_type", "observed_utc", "delay_minutes", "status"
    ).rows() == [
        ("250401", "standard", datetime(2020, 2, 10, 16), 60, "delay"),
        ("250401", "ready", datetime(2020, 2, 10, 16), 0, "no delay"),
    ]
    assert snap.readings["crossing"].to_list() == ["San Ysidro", "San Ysidro"]
    assert snap.no_reading == {"n/a": 10, "lanes closed": 1, "update pending": 1}
    assert snap.rejects.height == 0


# CBP's English lane statuses and Spanish text seen (or expected) in their place, in mixed case
SPANISH = {
    "delay": ["demora", "DEMORA", "Demora"],
    "no delay": ["Sin demora", "sin DEMORA", " sin demora "],
    "Lanes Closed": ["Carriles cerrados", "CARRILES CERRADOS"],
    "N/A": ["N/D", "No disponible", "no disponible"],
    "Update Pending": ["Actualización pendiente", "ACTUALIZACION PENDIENTE"],
}
UNKNOWN_STATUS = (
    "unknown operational_status 'cerrado temporalmente' (known in English or Spanish: delay, no delay, "
    "n/a, lanes closed, update pending, demora, sin demora, n/d, no disponible, carriles cerrados, "
    "actualización pendiente)"
)


def _in_spanish(body: bytes, every: int = 1) -> tuple[bytes, int]:
    """The bwtnew response with every `every`-th lane's operational_status in Spanish (the variants in
    turn), and how many lanes were translated."""
    ports = json.loads(body)
    lanes = [
        entry
        for port in ports
        for group in port.values()
        if isinstance(group, dict)
        for entry in group.values()
        if isinstance(entry, dict) and entry.get("operational_status") in SPANISH
    ]
    chosen = lanes[::every]
    for n, entry in enumerate(chosen):
        variants = SPANISH[entry["operational_status"]]
        entry["operational_status"] = variants[n % len(variants)]
    return json.dumps(ports).encode(), len(chosen)


def _same_snapshot(spanish, english) -> None:
    assert_frame_equal(spanish.readings, english.readings)
    assert spanish.no_reading == english.no_reading
    assert_frame_equal(spanish.rejects, english.rejects)
    assert (spanish.taken_at, spanish.ports) == (english.taken_at, english.ports)


def test_spanish_lane_statuses_give_the_readings_of_the_english_feed() -> None:
    body = (SNAPS / "json_1.json").read_bytes()
    spanish_body, translated = _in_spanish(body)
    assert translated == 14 and _in_spanish(spanish_body)[1] == 0  # no English status left
    english = parse_bwtnew(body, "json_1.json")
    spanish = parse_bwtnew(spanish_body, "json_1_es.json")
    _same_snapshot(spanish, english)
    # the stored status is the canonical English code
    assert spanish.readings.select("lane_type", "delay_minutes", "lanes_open", "status").rows() == [
        ("standard", 60, 20, "delay"),
        ("ready", 0, 5, "no delay"),
    ]
    assert spanish.no_reading == {"n/a": 10, "lanes closed": 1, "update pending": 1}


@requires_waits
def test_the_json_sample_half_in_spanish_gives_the_same_readings() -> None:
    body = (STAGED / "bwtnew_sample.json").read_bytes()
    spanish_body, translated = _in_spanish(body, every=2)
    assert translated == 266  # every other one of the 532 lanes with a status
    english = parse_bwtnew(body, "bwtnew_sample.json")
    spanish = parse_bwtnew(spanish_body, "bwtnew_sample_es.json")
    _same_snapshot(spanish, english)
    assert spanish.readings.height == 190 and spanish.rejects.height == 0


def test_a_lane_status_unknown_in_both_languages_is_rejected() -> None:
    ports = json.loads((SNAPS / "json_1.json").read_bytes())
    ports[0]["passenger_vehicle_lanes"]["standard_lanes"]["operational_status"] = "cerrado temporalmente"
    snap = parse_bwtnew(json.dumps(ports).encode(), "json_1.json")
    assert snap.readings.select("lane_type", "status").rows() == [("ready", "no delay")]
    assert snap.rejects.select("rule", "reason").rows() == [
        ("lane_status", f"port 250401 (San Ysidro) passenger standard: {UNKNOWN_STATUS}")
    ]
    assert "cerrado temporalmente" in snap.rejects["raw"][0]


def test_spanish_rss_lane_text_gives_the_readings_of_the_english_feed() -> None:
    body = (SNAPS / "rss_1.xml").read_text()
    spanish_body = (
        body.replace(" min delay ", " min DEMORA ")
        .replace("lane(s) open", "carril(es) abierto(s)")
        .replace("Sentri Lanes:  N/A", "Sentri Lanes:  No disponible")
        .replace("Lanes Closed", "Carriles Cerrados")
        .replace("Update Pending", " actualización pendiente")
    )
    assert "delay" not in spanish_body and "lane(s)" not in spanish_body
    english = parse_rss(body.encode(), "rss_1.xml")
    spanish = parse_rss(spanish_body.encode(), "rss_1_es.xml")
    assert spanish.readings.height == 4
    assert_frame_equal(spanish.readings, english.readings)
    assert spanish.no_reading == english.no_reading == {"n/a": 1, "lanes closed": 1, "update pending": 1}
    assert_frame_equal(spanish.rejects.drop("raw"), english.rejects.drop("raw"))


def test_implausible_waits_and_lane_counts_are_rejected_not_stored() -> None:
    body = (SNAPS / "json_1.json").read_text().replace('"60"', '"1500"').replace('"5"', '"150"', 1)
    snap = parse_bwtnew(body.encode(), "json_1.json")
    assert snap.readings.height == 0
    assert snap.rejects.select("rule", "reason").rows() == [
        (
            "delay_range",
            "port 250401 (San Ysidro) passenger standard at 2020-02-10 08:00 PST: "
            "1500 minutes is more than 1440",
        ),
        (
            "lanes_range",
            "port 250401 (San Ysidro) passenger ready at 2020-02-10 08:00 PST: "
            "150 lanes open is more than 100",
        ),
    ]


def test_a_feed_in_neither_layout_is_named_with_its_rule(tmp_path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body>Service unavailable</body></html>")
    with pytest.raises(
        ParseError, match=r"page.html: expected <rss><channel>, found <html> \(rule: rss_layout\)"
    ):
        parse_snapshot(page, "page.html")
    text = tmp_path / "x.txt"
    text.write_text("port,wait\n")
    with pytest.raises(ParseError, match=r"rule: feed_layout"):
        parse_snapshot(text, "x.txt")
    with pytest.raises(ParseError, match=r"rule: is_json"):
        parse_bwtnew(b"[{", "cut.json")


def test_every_crossing_maps_to_a_known_bts_port_or_says_none() -> None:
    table = crossings()
    assert len(table) == 76
    assert table["535501"].port_code == "2301" and table["535501"].title == "Brownsville - B&M"
    assert table["230404"].port_code == "2304" and table["250301"].port_code == "2507"
    assert [n for n, c in table.items() if c.port_code is None] == ["l24501"]


@requires_waits
def test_the_json_sample_yields_a_reading_for_every_open_lane() -> None:
    raw = json.loads((STAGED / "bwtnew_sample.json").read_bytes())
    expected = {
        (port["port_number"], group, lane, int(entry["delay_minutes"]), int(entry["lanes_open"]))
        for port in raw
        for group, lanes in port.items()
        if group.endswith("_lanes")
        for lane, entry in lanes.items()
        if isinstance(entry, dict) and entry["operational_status"] in ("delay", "no delay")
    }
    snap = parse_snapshot(STAGED / "bwtnew_sample.json", "bwtnew_sample.json")
    assert snap.ports == 76 and {p["border"] for p in raw} == {"Mexican Border", "Canadian Border"}
    assert snap.readings.height == len(expected) == 190
    assert snap.rejects.height == 0
    groups = {
        "commercial": "commercial_vehicle_lanes",
        "passenger": "passenger_vehicle_lanes",
        "pedestrian": "pedestrian_lanes",
    }
    lanes = {
        "standard": "standard_lanes",
        "fast": "FAST_lanes",
        "sentri": "NEXUS_SENTRI_lanes",
        "ready": "ready_lanes",
    }
    got = {
        (
            r["port_number"],
            groups[r["vehicle_type"]],
            lanes[r["lane_type"]],
            r["delay_minutes"],
            r["lanes_open"],
        )
        for r in snap.readings.iter_rows(named=True)
    }
    assert got == expected
    assert snap.readings["port_number"].n_unique() == len(
        {p["port_number"] for p in raw if any(k[0] == p["port_number"] for k in expected)}
    )


def test_the_store_keeps_each_reading_once_whatever_the_order(hled_home) -> None:
    settings = checked_settings()
    hled_home.mkdir(parents=True)
    names = ["rss_1.xml", "rss_2.xml", "json_1.json", "rss_3.xml"]
    first = import_snapshots(settings, SNAPS)
    assert sorted((Path(r.url).name.split("#")[1], r.readings, r.new_readings) for r in first) == [
        ("json_1.json", 2, 2),
        ("rss_1.xml", 4, 4),
        ("rss_2.xml", 3, 2),
        ("rss_3.xml", 1, 1),
    ]
    assert history(settings, "SELECT count(*) FROM readings") == [(9,)]
    assert history(settings, "SELECT count(*), list(DISTINCT rule ORDER BY rule) FROM rejects") == [
        (2, ["known_crossing", "lane_text"])
    ]
    again = import_snapshots(settings, SNAPS)
    assert {r.status for r in again} == {"already collected"} and sum(r.new_readings for r in again) == 0
    assert history(settings, "SELECT count(*) FROM readings") == [(9,)]

    shuffled = checked_settings({"HLED_HOME": str(hled_home / "other")})
    shuffled.home.mkdir(parents=True)
    order = names[:]
    random.Random(7).shuffle(order)
    for name in order:
        import_snapshots(shuffled, SNAPS / name)
    key = (
        "SELECT port_number, vehicle_type, lane_type, observed_utc, delay_minutes, first_seen_utc "
        "FROM readings ORDER BY ALL"
    )
    assert history(shuffled, key) == history(settings, key)
    # the corrected 9:00 passenger reading: two versions stored, the later one wins in the warehouse
    latest = latest_readings(
        pl.read_parquet(wait_history.export(settings.wait_history, hled_home / "x").readings)
    )
    corrected = latest.filter((pl.col("vehicle_type") == "passenger") & (pl.col("port_number") == "230404"))
    assert corrected.select("delay_minutes", "versions").rows() == [(25, 2)]
    assert latest.height == 8


def _publish(publisher, json_reply: Reply, rss_reply: Reply | None, monkeypatch) -> None:
    monkeypatch.setenv("HLED_URL_CBP_WAIT_TIMES", publisher.url(JSON_PATH))
    monkeypatch.setenv("HLED_URL_CBP_WAIT_TIMES_RSS", publisher.url(RSS_PATH))
    publisher.queue(JSON_PATH, json_reply)
    if rss_reply is not None:
        publisher.queue(RSS_PATH, rss_reply)


def test_collector_flow_takes_the_json_feed_once_per_change(
    prefect_server, publisher, hled_home, monkeypatch
) -> None:
    _publish(publisher, Reply(200, (SNAPS / "json_1.json").read_bytes()), None, monkeypatch)
    result = collect_wait_times()
    assert (result.feed, result.status, result.readings, result.new_readings) == (
        "bwtnew",
        "downloaded",
        2,
        2,
    )
    assert result.lanes_without_reading == 12 and result.fallback_reason is None
    again = collect_wait_times()
    assert (again.status, again.new_readings) == ("unchanged", 0)
    settings = checked_settings()
    assert history(settings, "SELECT count(*) FROM readings") == [(2,)]
    assert history(settings, "SELECT count(*), sum(new_readings) FROM snapshots") == [(1, 2)]
    kept = list((settings.raw_dir / "cbp_wait_times").glob("*.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == (SNAPS / "json_1.json").read_bytes()


def test_a_gzip_encoded_feed_is_kept_compressed_and_read(hled_home, publisher, monkeypatch) -> None:
    body = (SNAPS / "json_1.json").read_bytes()
    _publish(publisher, Reply(200, gzip.compress(body), {"Content-Encoding": "gzip"}), None, monkeypatch)
    settings = checked_settings()
    result = collect_once(settings)
    assert (result.feed, result.new_readings) == ("bwtnew", 2)
    (kept,) = (settings.raw_dir / "cbp_wait_times").glob("*.json.gz")
    assert gzip.decompress(kept.read_bytes()) == body and kept.stat().st_size < len(body) / 3


def test_a_gzipped_response_that_is_not_a_tar_imports_as_one_snapshot(hled_home, tmp_path) -> None:
    single = tmp_path / "json_1.json.gz"
    single.write_bytes(gzip.compress((SNAPS / "json_1.json").read_bytes()))
    (result,) = import_snapshots(checked_settings(), single)
    assert (result.feed, result.readings, result.new_readings) == ("bwtnew", 2, 2)


def test_collector_falls_back_to_the_rss_layout(prefect_server, publisher, hled_home, monkeypatch) -> None:
    page = Reply(200, b"<html><body>Maintenance</body></html>", {"Content-Type": "text/html"})
    _publish(publisher, page, Reply(200, (SNAPS / "rss_1.xml").read_bytes()), monkeypatch)
    result = collect_wait_times()
    assert (result.feed, result.new_readings, result.rejected) == ("rss", 4, 2)
    assert "answered an HTML page" in result.fallback_reason and "(rule: is_json)" in result.fallback_reason
    assert len([r for r in publisher.requests if r["path"] == JSON_PATH]) == 4, (
        "a failed try, retried 3 times"
    )
    assert "quarantine" in result.fallback_reason  # the page that came instead is kept


def test_collector_names_both_failures_when_nothing_arrives(hled_home, publisher, monkeypatch) -> None:
    _publish(publisher, Reply(404), Reply(404), monkeypatch)
    with pytest.raises(SourceError) as caught:
        collect_once(checked_settings())
    message = str(caught.value)
    assert "cbp_wait_times: neither layout could be collected" in message
    assert f"{JSON_PATH} answered HTTP 404 (rule: http_ok)" in message
    assert f"{RSS_PATH} answered HTTP 404 (rule: http_ok)" in message


def test_collector_is_polite_and_backs_off_on_429(hled_home, publisher, monkeypatch) -> None:
    _publish(publisher, Reply(429, b"slow down", {"Retry-After": "1"}), None, monkeypatch)
    publisher.queue(JSON_PATH, Reply(200, (SNAPS / "json_1.json").read_bytes()))
    monkeypatch.setenv("HLED_HTTP_PACING", "0.2")
    result = collect_once(checked_settings())
    assert (result.feed, result.new_readings) == ("bwtnew", 2)
    tries = [r for r in publisher.requests if r["path"] == JSON_PATH]
    assert len(tries) == 2
    assert all(r["headers"]["User-Agent"].startswith("hled-border/") for r in tries)
    assert all(r["headers"]["Referer"] == publisher.url("/") for r in tries)


@requires_waits
@pytest.mark.slow
def test_replaying_the_brownsville_snapshots_stores_every_distinct_reading_once(
    publisher, hled_home, monkeypatch
) -> None:
    """Every 4th of the 424 real RSS snapshots (the whole archive is loaded by the mirror refresh of
    test_real_data.py) served one after the other in time order, through the collector's fallback path;
    checked against the third-party parse of the same snapshots."""
    with tarfile.open(STAGED / "brownsville_rss_snapshots.tar.gz") as archive:
        members = sorted((m for m in archive.getmembers() if m.isfile()), key=lambda m: m.name)
        assert len(members) == 424
        members = members[::SNAPSHOT_STEP]
        snapshots = [archive.extractfile(m).read() for m in members]
    # a snapshot is named for the UTC time of the commit that took it: 2026-08-12T04-26-06Z.xml
    taken = {Path(m.name).stem for m in members}
    monkeypatch.setenv("HLED_URL_CBP_WAIT_TIMES", publisher.url(JSON_PATH))
    monkeypatch.setenv("HLED_URL_CBP_WAIT_TIMES_RSS", publisher.url(RSS_PATH))
    settings = checked_settings()
    new = 0
    for body in snapshots:
        publisher.replies[RSS_PATH] = [Reply(200, body)]
        result = collect_once(settings)
        assert result.feed == "rss" and result.rejected == 0
        new += result.new_readings

    third_party = pl.read_csv(STAGED / "brownsville_bwt_rss_snapshots_2026-08.csv", infer_schema_length=0)
    utc = pl.col("commit_time").str.to_datetime(time_zone="UTC").dt.strftime("%Y-%m-%dT%H-%M-%SZ")
    served = third_party.filter(utc.is_in(taken))
    assert served["commit_time"].n_unique() == len(snapshots) == 106
    distinct = (
        served.filter(pl.col("raw").str.starts_with("At"))
        .select("port_crossing", "section", "lane_type", "report_date", "raw")
        .unique()
    )
    assert new == distinct.height > 1000  # 2439 in all 424 snapshots
    stored = history(
        settings,
        """SELECT crossing, vehicle_type, lane_type, strftime(observed_local, '%-m/%-d/%Y %H:%M'),
                  delay_minutes, lanes_open
           FROM readings""",
    )
    assert len(stored) == len(set(stored)) == new
    sections = {
        "Passenger Vehicles": "passenger",
        "Pedestrian": "pedestrian",
        "Commercial Vehicles": "commercial",
    }
    lanes = {
        "General Lanes": "standard",
        "Sentri Lanes": "sentri",
        "Ready Lanes": "ready",
        "Fast Lanes": "fast",
    }

    def clock(text: str) -> str:
        return {"Noon": "12:00", "Midnight": "00:00"}.get(text) or datetime.strptime(
            text, "%I:%M %p"
        ).strftime("%H:%M")

    parsed = distinct.with_columns(
        pl.col("raw").str.extract(r"^At (\d+:\d+ [ap]m|Noon|Midnight) ").alias("clock"),
        pl.col("raw").str.extract(r"(\d+) min delay").cast(pl.Int32).alias("delay"),
        pl.col("raw").str.extract(r"(\d+) lane\(s\)").cast(pl.Int32).alias("lanes"),
    )
    # CBP's "Date:" line is the update's own date, so date + clock is the reading's local time
    expected = {
        (
            r["port_crossing"],
            sections[r["section"]],
            lanes[r["lane_type"]],
            f"{r['report_date']} {clock(r['clock'])}",
            r["delay"],
            r["lanes"],
        )
        for r in parsed.iter_rows(named=True)
    }
    assert set(stored) == expected
    # a second pass over the same snapshots adds nothing
    for body in snapshots[:20]:
        publisher.replies[RSS_PATH] = [Reply(200, body)]
        assert collect_once(settings).new_readings == 0
    assert history(settings, "SELECT count(*), count(DISTINCT sha256) FROM snapshots") == [(106, 106)]


def test_backfill_loads_a_historical_export_and_keeps_bad_rows_with_reasons(hled_home, tmp_path) -> None:
    settings = checked_settings()
    loaded, rejected, dropped = backfill(settings, WAITS / "profile_bad.csv", "250401")
    # 2 good rows x 5 lane columns with data (the commercial ones are all 0: no such lanes)
    assert (loaded, rejected, dropped) == (10, 3, ["cv_time_avg", "xcv_time_avg"])
    assert history(settings, "SELECT line, rule, reason FROM rejects ORDER BY line") == [
        (4, "range", "bwt_hour outside 0-23 (rule: range)"),
        (5, "integer", "pv_time_avg is not a whole number (rule: integer)"),
        (6, "unique_slot", "month/day/hour repeated; the first row is kept (rule: unique_slot)"),
    ]
    assert history(
        settings, "SELECT hour_of_day, avg_wait_minutes FROM profiles WHERE lane_type = 'sentri' ORDER BY 1"
    ) == [(0, 5), (1, 5)]
    with pytest.raises(SourceError, match="--port 2504: not a CBP wait-time port number"):
        backfill(settings, WAITS / "profile_bad.csv", "2504")
    with pytest.raises(SourceError, match=r"not CSV \(rule: is_csv\).*kept at .*quarantine"):
        backfill(settings, SNAPS / "rss_1.xml", "250401")
    renamed = tmp_path / "renamed.csv"
    renamed.write_text((WAITS / "profile_bad.csv").read_text().replace("pv_time_avg", "pv_avg", 1))
    with pytest.raises(SchemaDriftError, match=r"rule: known_header.*missing columns \['pv_time_avg'\]"):
        backfill(settings, renamed, "250401")


@requires_waits
def test_backfill_of_the_san_ysidro_export(hled_home) -> None:
    settings = checked_settings()
    path = STAGED / "san_ysidro_historical_waittimes_hourly_avg.csv"
    assert backfill(settings, path, "250401") == (5 * 2016, 0, ["cv_time_avg", "xcv_time_avg"])
    source = pl.read_csv(path)
    expected = source.filter(
        (pl.col("bwt_month") == 7) & (pl.col("bwt_day") == 5) & (pl.col("bwt_hour") == 14)
    )
    assert history(
        settings,
        """SELECT lane_type, avg_wait_minutes FROM profiles WHERE vehicle_type = 'passenger'
           AND month_of_year = 7 AND day_of_week = 5 AND hour_of_day = 14 ORDER BY 1""",
    ) == sorted(
        [
            ("standard", expected["pv_time_avg"][0]),
            ("sentri", expected["xpv_time_avg"][0]),
            ("ready", expected["pv_ready_lanes_time_avg"][0]),
        ]
    )


@pytest.fixture
def waits_warehouse(prefect_server, publisher, hled_home, monkeypatch) -> Settings:
    """A published warehouse from the hand-made crossings and the hand-made wait-time snapshots."""
    monkeypatch.setenv("HLED_URL_BTS_CROSSINGS", publisher.url("/crossings.csv"))
    monkeypatch.setenv("HLED_MAX_REJECT_SHARE", "0.1")
    monkeypatch.setenv("HLED_CHARTS", "0")
    publisher.queue("/crossings.csv", Reply(200, (FIXTURES / "crossings_current.csv").read_bytes()))
    settings = checked_settings()
    settings.home.mkdir(parents=True)
    import_snapshots(settings, SNAPS)
    backfill(settings, WAITS / "profile_bad.csv", "250401")
    assert refresh().status == "published"
    return settings


def warehouse(settings: Settings, sql: str) -> list[tuple]:
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_refresh_publishes_wait_marts_and_the_idle_estimate(waits_warehouse) -> None:
    s = waits_warehouse
    assert warehouse(s, "SELECT count(*), sum(delay_minutes), max(versions) FROM core.fact_wait_times") == [
        (8, 30 + 12 + 25 + 15 + 50 + 60 + 0 + 20, 2)
    ]
    assert warehouse(
        s,
        """SELECT hour_of_day, basis, observations, median_wait_minutes, p90_wait_minutes
           FROM marts.wait_times_port_hour
           WHERE port_number = '230404' AND vehicle_type = 'commercial' AND lane_type = 'standard'
           ORDER BY 1""",
    ) == [(9, "readings", 1, 30.0, 30.0), (10, "readings", 1, 50.0, 50.0), (13, "readings", 1, 20.0, 20.0)]
    # the backfilled averages sit beside the readings, marked as such: hours 0 and 1 of January, day 0
    assert warehouse(
        s,
        """SELECT hour_of_day, observations, median_wait_minutes FROM marts.wait_times_port_hour
           WHERE basis = 'historical_average' AND lane_type = 'standard' AND vehicle_type = 'passenger'""",
    ) == [(0, 1, 33.0), (1, 1, 23.0)]
    # month mart: waits next to the whole port's inbound count where BTS has the month
    assert warehouse(
        s,
        """SELECT month, lane_type, observations, median_wait_minutes, inbound_measure, port_inbound
           FROM marts.wait_times_port_month WHERE port_number = '230404' AND vehicle_type = 'commercial'
           ORDER BY 1, 2""",
    ) == [
        (date(2020, 2, 1), "fast", 1, 12.0, "trucks", 99),
        (date(2020, 2, 1), "standard", 2, 40.0, "trucks", 99),
        (date(2021, 1, 1), "standard", 1, 20.0, "trucks", None),
    ]
    # idle: Feb 2020 commercial waits 30, 50 and 12 (median 30) x 99 trucks; Jan 2021 is not published,
    # so January 2020's 120 trucks stand in
    factor = 0.49 * 10.21
    idle = warehouse(
        s,
        """SELECT month, median_commercial_wait_minutes, trucks, trucks_month, idle_truck_hours,
                  kg_co2_per_idle_hour, idle_co2_tonnes, is_estimate
           FROM marts.truck_idle WHERE port_code = '2304' ORDER BY month""",
    )
    assert idle == [
        (
            date(2020, 2, 1),
            30.0,
            99,
            date(2020, 2, 1),
            49.5,
            pytest.approx(factor),
            round(49.5 * factor / 1000, 2),
            True,
        ),
        (
            date(2021, 1, 1),
            20.0,
            120,
            date(2020, 1, 1),
            40.0,
            pytest.approx(factor),
            round(40 * factor / 1000, 2),
            True,
        ),
    ]
    assert warehouse(s, "SELECT factor_source FROM marts.truck_idle LIMIT 1")[0][0].startswith(
        "idle fuel use of a diesel combination truck"
    )
    catalog = dict(
        warehouse(
            s,
            """SELECT indicator_id, status || ' ' || mart_table FROM marts.indicator_catalog
               WHERE indicator_id IN
                 ('commercial_wait_minutes', 'truck_idle_hours', 'truck_idle_emissions')""",
        )
    )
    assert catalog == {
        "commercial_wait_minutes": "computed marts.wait_times_port_hour",
        "truck_idle_hours": "computed marts.truck_idle",
        "truck_idle_emissions": "computed marts.truck_idle",
    }
    assert warehouse(
        s, "SELECT first_month, latest_month FROM marts.data_vintage WHERE source = 'cbp_wait_times'"
    ) == [(date(2020, 2, 1), date(2021, 1, 1))]
    assert warehouse(
        s,
        "SELECT count(*), list(DISTINCT rule ORDER BY rule) FROM meta.rejects "
        "WHERE source = 'cbp_wait_times'",
    ) == [(5, ["integer", "known_crossing", "lane_text", "range", "unique_slot"])]
    assert warehouse(
        s,
        "SELECT file_key, rows_loaded, fetch_status FROM meta.source_files WHERE source = 'cbp_wait_times'",
    ) == [("history", 8 + 10, "4 snapshots collected")]
    assert warehouse(
        s, "SELECT count(*) FROM meta.validations WHERE source = 'cbp_wait_times' AND success"
    ) == [(12,)]


def test_a_refresh_republishes_only_when_the_history_changed(waits_warehouse, publisher, monkeypatch) -> None:
    assert refresh().status == "unchanged"
    monkeypatch.setenv("HLED_URL_CBP_WAIT_TIMES", publisher.url(JSON_PATH))
    body = (SNAPS / "json_1.json").read_text().replace('"60"', '"75"').replace("08:00 am", "09:00 am")
    publisher.queue(JSON_PATH, Reply(200, body.replace("At 8:00 am PST", "At 9:00 am PST").encode()))
    assert collect_once(checked_settings()).new_readings == 2
    assert refresh().status == "published"
    assert warehouse(waits_warehouse, "SELECT count(*), max(delay_minutes) FROM core.fact_wait_times") == [
        (10, 75)
    ]


def test_a_forgotten_backfill_leaves_the_warehouse_at_the_next_refresh(waits_warehouse) -> None:
    profile = "SELECT port_number, count(*) FROM core.fact_wait_time_profile GROUP BY 1"
    assert warehouse(waits_warehouse, profile) == [("250401", 10)]
    assert forget(waits_warehouse, "250401").averages == 10
    assert refresh().status == "published"
    assert warehouse(waits_warehouse, profile) == []
    assert warehouse(waits_warehouse, "SELECT count(*) FROM core.fact_wait_times") == [(8,)], "readings stay"


def test_wait_charts_export_from_the_warehouse(tmp_path) -> None:
    """On the hand-made warehouse (tests/handmade.py): Laredo World Trade Bridge, 5 Dec 2022."""
    path = build_handmade(tmp_path / "warehouse.duckdb")
    report = export_charts(path, tmp_path / "exports", "en", only=["wait_by_hour", "truck_idle"])
    assert not report.failed and not report.skipped
    spec = json.loads((tmp_path / "exports" / "en" / "wait_by_hour.json").read_text())
    values = next(iter(spec["datasets"].values()))
    assert sorted((v["series"], v["hour_of_day"], v["median_wait_minutes"]) for v in values) == [
        ("Laredo - World Trade Bridge", 8 + i, 10.0 * (i + 1)) for i in range(5)
    ]
    idle = json.loads((tmp_path / "exports" / "en" / "truck_idle.json").read_text())
    rows = next(iter(idle["datasets"].values()))
    # December 2022: 1,500 trucks x median 30 minutes
    assert [(r["port"], r["idle_truck_hours"], r["trucks"]) for r in rows] == [("Laredo (2304)", 750.0, 1500)]
    port = export_charts(path, tmp_path / "exports", "es", port="2304", only=["wait_by_hour"])
    assert not port.failed
    spec = json.loads((tmp_path / "exports" / "es" / "wait_by_hour_2304.json").read_text())
    assert spec["vconcat"][0]["title"]["text"] == "Espera en la línea por hora del día: Laredo (2304)"
    series = {v["series"] for v in next(iter(spec["datasets"].values()))}
    assert series == {
        "Laredo - World Trade Bridge · comercial",
        "Laredo - World Trade Bridge · vehículos particulares",
    }


def test_a_reading_dated_years_ahead_is_rejected_at_import() -> None:
    """The import applies the readings suite's time bound, so a stored reading never fails it later."""
    body = (SNAPS / "json_1.json").read_text().replace("2/10/2020", "2/10/2099")
    snap = parse_bwtnew(body.encode(), "json_1.json")
    assert snap.readings.height == 0 and snap.rejects.height == 2
    assert set(snap.rejects["rule"]) == {"time_range"}
    assert (
        "update time 2099-02-10 16:00 UTC is before 2000 or more than 2 days ahead"
        in snap.rejects["reason"][0]
    )


def test_a_bad_reading_in_the_history_does_not_hold_the_other_sources(waits_warehouse, publisher) -> None:
    """A reading that reached the history anyway (written there by an older version) fails the wait
    source's suite: the wait times stay as last published and stale, the crossings' revision is published."""
    store = duckdb.connect(str(waits_warehouse.wait_history))
    try:
        store.execute(
            "UPDATE readings SET observed_utc = TIMESTAMP '2099-01-01 00:00' WHERE delay_minutes = 60"
        )
    finally:
        store.close()
    revised = (
        (FIXTURES / "crossings_current.csv")
        .read_bytes()
        .replace(b"Feb 2020,Trucks,99,", b"Feb 2020,Trucks,140,")
    )
    publisher.replies["/crossings.csv"].clear()
    publisher.queue("/crossings.csv", Reply(200, revised))
    before = warehouse(waits_warehouse, "SELECT count(*), sum(delay_minutes) FROM core.fact_wait_times")
    summary = refresh()
    assert summary.status == "published" and summary.exit_code == 3
    failure = summary.stale["cbp_wait_times"]
    assert failure.stage == "validate" and failure.rule == "expect_column_values_to_be_between"
    assert "observed_utc" in failure.message
    assert (
        warehouse(waits_warehouse, "SELECT count(*), sum(delay_minutes) FROM core.fact_wait_times") == before
    )
    trucks = (
        "SELECT value FROM core.fact_crossings "
        "WHERE port_code = '2304' AND month = '2020-02-01' AND measure = 'trucks'"
    )
    assert warehouse(waits_warehouse, trucks) == [(140,)]
    assert warehouse(waits_warehouse, "SELECT source, state FROM meta.source_status ORDER BY 1") == [
        ("bts_crossings", "current"),
        ("cbp_wait_times", "stale"),
    ]
