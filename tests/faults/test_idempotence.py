"""Idempotence: refreshing the same inputs again, forced in the same home or from scratch in another,
gives the same tables, row for row (count and content checksum of every table)."""

from __future__ import annotations

from tests.checksums import RUN_TABLES, checksums
from tests.faults.conftest import Home, hled_refresh, query
from tests.faults.matrix import BY_ID

# what differs by run and by home, by design: ids, times, and where files were kept
BY_RUN = {
    "*": {
        "run_id",
        "started_at",
        "finished_at",
        "fetched_at",
        "refreshed_at",
        "since",
        "data_run_id",
        "checked_run_id",
        "previous_refresh",
    }
}
BY_HOME = {"*": BY_RUN["*"] | {"path", "file", "fetch_status", "parse_status"}}


def _this_run(home: Home) -> dict[str, tuple[int, int]]:
    """Checksums of every table; meta tables that keep history only for the latest run's rows. Not
    meta.validations: a file is validated once per content, code and history, so a forced rebuild
    of files already validated records none (the build before it may have)."""
    latest = query(home.warehouse, "SELECT run_id FROM meta.runs ORDER BY started_at DESC LIMIT 1")[0][0]
    found = checksums(home.warehouse, BY_RUN, where=f"run_id = '{latest}'")
    return {k: v for k, v in found.items() if k not in ("meta.validations", "meta.runs")}


def test_the_same_inputs_give_the_same_tables(trade_mirror, tmp_path, monkeypatch) -> None:
    home, _ = trade_mirror
    first = hled_refresh("--force")
    home.check(BY_ID["idempotent"], first)
    once = _this_run(home)
    again = hled_refresh("--force")
    assert again.exit == 0 and "refresh published" in again.stdout
    twice = _this_run(home)
    assert twice == once
    assert once["core.fact_crossings"][0] == 16 and once["core.fact_trade_port"][0] == 8
    assert once["marts.port_month"][0] > 0 and once["meta.rejects"][0] == 2
    assert query(home.warehouse, "SELECT count(*) FROM meta.revisions") == [(0,)]

    elsewhere = Home(tmp_path / "elsewhere", home.publisher)
    monkeypatch.setenv("HLED_HOME", str(elsewhere.path))
    assert hled_refresh().exit == 0
    kept = ("meta.", *RUN_TABLES)  # a first refresh elsewhere compared with nothing
    fresh = {k: v for k, v in checksums(elsewhere.warehouse, BY_HOME).items() if not k.startswith(kept)}
    here = {k: v for k, v in checksums(home.warehouse, BY_HOME).items() if not k.startswith(kept)}
    assert fresh == here
    assert len(here) > 30
