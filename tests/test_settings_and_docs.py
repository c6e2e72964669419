"""Settings refuse typos; the schedule is what was asked for; generated docs are up to date."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from flows.errors import SettingsError
from flows.settings import KNOWN
from flows.sources import SOURCES, checked_settings
from tests.conftest import ROOT
from warehouse.dictionary import empty_warehouse, render


def test_defaults_work_out_of_the_box(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = checked_settings({})
    assert settings.home == tmp_path / "data"
    assert settings.warehouse_path == tmp_path / "data" / "warehouse.duckdb"
    assert settings.mirror is None
    assert (settings.cron, settings.timezone, settings.snapshots) == ("0 6 * * *", "America/Chicago", 7)
    assert settings.retry_delays == (3.0, 9.0, 27.0)
    assert (settings.http_pacing, settings.transborder_from) == (3.0, date(2018, 1, 1))
    assert settings.transborder_recheck_days == 30.0


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"HLED_TRANSBORDER_FROM": "2018"}, "HLED_TRANSBORDER_FROM='2018' is not a month like 2018-01"),
        ({"HLED_HTTP_PACING": "-1"}, "must not be negative"),
    ],
)
def test_malformed_transborder_settings_are_refused(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        checked_settings(env)


def test_unknown_setting_is_refused_with_the_known_ones() -> None:
    with pytest.raises(SettingsError, match="unknown setting HLED_MIROR; known settings are .*HLED_MIRROR"):
        checked_settings({"HLED_MIROR": "/tmp"})


def test_url_override_must_name_a_source() -> None:
    assert checked_settings({"HLED_URL_BTS_CROSSINGS": "http://x/y.csv"}).url_for("bts_crossings", "d") == (
        "http://x/y.csv"
    )
    with pytest.raises(SettingsError, match="no source named 'nope'"):
        checked_settings({"HLED_URL_NOPE": "http://x"})


@pytest.mark.parametrize(("key", "value"), [("HLED_HTTP_RETRIES", "three"), ("HLED_RETRY_DELAYS", "2,x")])
def test_malformed_numbers_are_refused(key: str, value: str) -> None:
    with pytest.raises(SettingsError, match=key):
        checked_settings({key: value})


def test_missing_mirror_directory_is_refused(tmp_path) -> None:
    with pytest.raises(SettingsError, match="no such directory"):
        checked_settings({"HLED_MIRROR": str(tmp_path / "nowhere")})


def test_the_operations_handbook_lists_every_setting() -> None:
    handbook = (ROOT / "docs" / "operations.md").read_text()
    for key in KNOWN:
        assert f"`{key}`" in handbook, f"docs/operations.md does not document {key}"


def _slug(heading: str) -> str:
    """A Markdown heading's anchor as GitHub writes it: lower case, punctuation dropped, spaces to '-'."""
    text = re.sub(r"[`*]", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def test_every_link_of_the_readme_and_the_handbook_resolves_inside_the_repository() -> None:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    broken = []
    for page in pages:
        text = re.sub(r"```.*?```", "", page.read_text(), flags=re.S)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):
                continue  # a web address
            path, _, anchor = target.partition("#")
            file = (page.parent / path).resolve() if path else page
            if not file.is_relative_to(ROOT) or not file.exists():
                broken.append(f"{page.name}: {target} (no such file in the repository)")
            elif anchor and file.suffix == ".md":
                headings = re.findall(r"^#+ (.+)$", file.read_text(), flags=re.M)
                if anchor not in {_slug(h) for h in headings}:
                    broken.append(f"{page.name}: {target} (no such heading)")
    assert not broken, "\n".join(broken)


def test_the_readme_is_a_front_door() -> None:
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 200  # the rest is in docs/, one page per reader
    assert "bash run.sh refresh" in readme and "bash run.sh test" in readme


def test_data_dictionary_is_generated_from_the_current_sql() -> None:
    con = empty_warehouse()
    try:
        expected = render(con)
    finally:
        con.close()
    committed = (ROOT / "docs" / "data_dictionary.md").read_text()
    assert committed == expected, "docs/data_dictionary.md is stale: run `hled docs`"
    assert "## `core.fact_crossings`" in committed and "| `index_2019` |" in committed


def test_nightly_deployment_has_the_configured_cron_and_timezone() -> None:
    from flows.deployment import DEPLOYMENT_NAME, nightly_deployment

    deployment = nightly_deployment("15 4 * * *", "America/Mexico_City")
    assert deployment.name == DEPLOYMENT_NAME
    (schedule,) = deployment.schedules
    assert schedule.schedule.cron == "15 4 * * *"
    assert schedule.schedule.timezone == "America/Mexico_City"


def test_prefect_yaml_deploys_the_refresh_nightly_and_the_collector_every_15_minutes() -> None:
    import yaml

    from flows.deployment import wait_times_deployment
    from flows.prefect_yaml import prefect_yaml

    committed = Path(ROOT / "prefect.yaml").read_text()
    assert committed == prefect_yaml(checked_settings({})), (
        "prefect.yaml is `hled prefect-yaml` of the defaults"
    )
    config = yaml.safe_load(committed)
    deployment, collector = config["deployments"]
    assert deployment["entrypoint"] == "flows/refresh.py:refresh"
    (schedule,) = deployment["schedules"]
    assert schedule["cron"] == "0 6 * * *"
    assert deployment["work_pool"]["name"]
    assert collector["entrypoint"] == "flows/wait_times.py:collect_wait_times"
    assert collector["schedules"] == [{"interval": 900}]
    assert collector["work_pool"]["name"] == deployment["work_pool"]["name"]
    served = wait_times_deployment(checked_settings({}).wait_times_every)
    assert served.name == "wait-times" and served.schedules[0].schedule.interval.total_seconds() == 900

    env = {k: v for k, v in os.environ.items() if not k.startswith("HLED_")}
    env.update(HLED_CRON="30 5 * * 1-5", HLED_TIMEZONE="America/Mexico_City", HLED_WAIT_TIMES_EVERY="5")
    written = subprocess.run(
        [sys.executable, "-m", "flows.cli", "prefect-yaml"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert written.returncode == 0, written.stderr
    nightly, waits = yaml.safe_load(written.stdout)["deployments"]
    assert nightly["schedules"] == [{"cron": "30 5 * * 1-5", "timezone": "America/Mexico_City"}]
    assert waits["schedules"] == [{"interval": 300}]
    bad = subprocess.run(
        [sys.executable, "-m", "flows.cli", "prefect-yaml"],
        env={**env, "HLED_CRON": "every night"},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert (
        bad.returncode == 2
        and bad.stdout == ""
        and "HLED_CRON='every night' is not a valid cron" in bad.stderr
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"HLED_HTTP_TIMEOUT": "-1"},
            "HLED_HTTP_TIMEOUT='-1' is out of range: it must be more than 0, and finite",
        ),
        ({"HLED_HTTP_TIMEOUT": "nan"}, "HLED_HTTP_TIMEOUT='nan' is out of range"),
        (
            {"HLED_HTTP_PACING": "inf"},
            "HLED_HTTP_PACING='inf' is out of range: it must not be negative, and finite",
        ),
        (
            {"HLED_WAIT_TIMES_EVERY": "0.0001"},
            "HLED_WAIT_TIMES_EVERY='0.0001' is out of range: it must be 1 or more",
        ),
        (
            {"HLED_MAX_REJECT_SHARE": "1.5"},
            "HLED_MAX_REJECT_SHARE='1.5' is out of range: it must be between 0 and 1",
        ),
        (
            {"HLED_MIN_ROW_RATIO": "-0.1"},
            "HLED_MIN_ROW_RATIO='-0.1' is out of range: it must be between 0 and 1",
        ),
        ({"HLED_SNAPSHOTS": "-1"}, "HLED_SNAPSHOTS='-1' is out of range"),
        ({"HLED_HTTP_RETRIES": "-2"}, "HLED_HTTP_RETRIES='-2' is out of range"),
        ({"HLED_TRANSBORDER_RECHECK_DAYS": "-inf"}, "HLED_TRANSBORDER_RECHECK_DAYS='-inf' is out of range"),
        ({"HLED_RETRY_DELAYS": "3,-9"}, "HLED_RETRY_DELAYS='3,-9' must be seconds of 0 or more"),
        ({"HLED_DUCKDB_STORAGE_VERSION": "1.1"}, "HLED_DUCKDB_STORAGE_VERSION='1.1' is not a DuckDB version"),
        (
            {"HLED_DUCKDB_STORAGE_VERSION": "v9.9.9"},
            "HLED_DUCKDB_STORAGE_VERSION='v9.9.9' is not a version this DuckDB",
        ),
        ({"HLED_STALE_AFTER": "-1"}, "HLED_STALE_AFTER='-1' is out of range"),
        ({"HLED_UI_PORT": "70000"}, "HLED_UI_PORT='70000' is out of range: it must be between 1 and 65535"),
        ({"HLED_RETRY_DELAYS": "3,nan"}, "HLED_RETRY_DELAYS='3,nan' must be seconds of 0 or more"),
    ],
)
def test_settings_out_of_range_are_refused(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=re.escape(message)):
        checked_settings(env)


def test_a_home_that_is_a_file_is_refused_by_the_command_line(tmp_path) -> None:
    """Through the real CLI: exit 2 and one line naming the setting, before anything runs."""
    home = tmp_path / "home"
    home.write_text("not a folder")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HLED_")}
    for extra, expected in (
        ({"HLED_HOME": str(home)}, f"HLED_HOME='{home}' is a file, not a directory"),
        (
            {"HLED_HOME": str(tmp_path / "ok"), "HLED_MAX_REJECT_SHARE": "2"},
            "HLED_MAX_REJECT_SHARE='2' is out of range",
        ),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "flows.cli", "refresh"],
            env={**env, **extra},
            capture_output=True,
            text=True,
        )
        assert result.returncode == 2
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and expected in lines[0], result.stderr


def test_commands_that_read_the_warehouse_import_no_pipeline(tmp_path) -> None:
    """`hled sql`, `status`, `charts`, … start without Prefect, polars, httpx or GX (fast start)."""
    home = tmp_path / "home"
    home.mkdir()
    duckdb_file = home / "warehouse.duckdb"
    subprocess.run(
        [sys.executable, "-c", f"import duckdb; duckdb.connect({str(duckdb_file)!r}).close()"], check=True
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("HLED_")}
    env.update(HLED_HOME=str(home), HLED_SOURCES="no_such_source", HLED_URL_NOPE="http://127.0.0.1:9/")
    ran = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "flows.cli", "sql", "SELECT 41 + 1 AS answer"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert ran.returncode == 0 and "42" in ran.stdout, ran.stderr[-2000:]
    imported = {line.split("|")[-1].strip().split(".")[0] for line in ran.stderr.splitlines() if "|" in line}
    assert "duckdb" in imported and "typer" in imported
    assert not imported & {"prefect", "polars", "httpx", "great_expectations", "pandas", "altair"}, sorted(
        imported & {"prefect", "polars", "httpx", "great_expectations", "pandas", "altair"}
    )
    refresh = subprocess.run(
        [sys.executable, "-m", "flows.cli", "refresh"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert refresh.returncode == 2 and "HLED_URL_NOPE: no source named 'nope'" in refresh.stderr, (
        "a command that fetches still checks the source names at start"
    )


def test_reading_the_settings_does_not_import_prefect() -> None:
    """The command line sets Prefect's environment (PREFECT_HOME, the temporary server's start-up
    timeout) after reading the settings; Prefect reads it once, when imported, so not before."""
    code = (
        "import sys; from flows.sources import checked_settings; s = checked_settings(); "
        "print(len(s.sources), 'prefect' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("HLED_")}
    ran = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    assert ran.stdout.split() == [str(len(SOURCES)), "False"], ran.stderr[-2000:]
