"""The service files under deploy/ say what the code does: every command they run is an `hled`
command, every setting they set is a known one, and their stop and exit rules match `hled serve`'s
SIGTERM handling and `hled refresh`'s exit status 3 (tested in test_cli and the fault suite)."""

from __future__ import annotations

import configparser
import re
import subprocess
import sys
from pathlib import Path

import yaml

from flows.settings import KNOWN

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def _unit(name: str) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None, comment_prefixes=("#", ";"))
    unit.optionxform = str  # systemd keys are case-sensitive
    unit.read(DEPLOY / name)
    return unit


def _runs(command: str) -> None:
    """`command` is `<path>/.venv/bin/hled <subcommand>`, and that subcommand exists."""
    found = re.fullmatch(r"\S+/\.venv/bin/hled (\S+)", command)
    assert found, command
    helped = subprocess.run(
        [sys.executable, "-m", "flows.cli", found.group(1), "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert helped.returncode == 0, helped.stderr


def _settings_set(text: str) -> set[str]:
    return set(re.findall(r"\b(HLED_[A-Z_]+)=", text))


def test_the_systemd_units_run_hled_and_stop_it_as_it_expects() -> None:
    serve = _unit("hled-serve.service")["Service"]
    _runs(serve["ExecStart"])
    assert serve["KillMode"] == "mixed", "SIGTERM to hled serve alone; it stops its Prefect server itself"
    assert int(serve["TimeoutStopSec"]) >= 60

    refresh = _unit("hled-refresh.service")["Service"]
    _runs(refresh["ExecStart"])
    assert refresh["Type"] == "oneshot" and refresh["SuccessExitStatus"] == "3"
    timer = _unit("hled-refresh.timer")
    assert timer["Timer"]["OnCalendar"] and timer["Install"]["WantedBy"] == "timers.target"
    for name in ("hled-serve.service", "hled-refresh.service"):
        assert _settings_set((DEPLOY / name).read_text()) <= set(KNOWN)


def test_the_container_runs_hled_serve_on_a_volume_with_known_settings() -> None:
    containerfile = (DEPLOY / "Containerfile").read_text()
    assert 'CMD [".venv/bin/hled", "serve"]' in containerfile
    assert "bash run.sh" in containerfile, "installed from the project's files, as on a host"
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    (service,) = compose["services"].values()
    assert (DEPLOY / service["build"]["context"] / service["build"]["dockerfile"]).resolve() == (
        DEPLOY / "Containerfile"
    )
    assert set(service["environment"]) <= set(KNOWN)
    assert _settings_set(containerfile) <= set(KNOWN) and "HLED_UI_HOST=0.0.0.0" in containerfile
    assert service["ports"] == ["127.0.0.1:4200:4200"] and "EXPOSE 4200" in containerfile
    assert any(v.endswith(":/data") for v in service["volumes"]) and "HLED_HOME=/data" in containerfile
