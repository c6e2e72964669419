"""The Census trade API collector (`porths`): one request per direction, HS code and year, since
HLED_CENSUS_FROM, for Mexico and Canada. A year already held is not asked again; the newest two years
are, for Census's revisions. The key (HLED_CENSUS_KEY) goes with each request and nowhere else."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from flows.ingest.fetch import Fetched, Target, fetch_history, fetch_source
from flows.ingest.parts import Collection, Part, Publication
from flows.ingest.polite import HttpPolicy
from flows.logs import logger
from transforms.census_ports import COMMODITY, DIRECTIONS, HEADINGS, request_variables
from transforms.trade_codes import COUNTRIES

if TYPE_CHECKING:
    from flows.settings import Settings

TABLE = "porths"
KEY_SIGNUP = "https://api.census.gov/data/key_signup.html"
RECHECKED_YEARS = 2  # this year and last: Census revises the months of the year before each spring


def refused_hint(settings: Settings) -> str:
    """What to do when the API refuses: with no key, get one (free); with one, check it."""
    if not settings.census_key:
        return (
            f"the Census API refuses calls without a key more and more: get a free key at {KEY_SIGNUP} "
            "and set HLED_CENSUS_KEY"
        )
    return f"the Census API did not accept HLED_CENSUS_KEY: check it, or get a new free key at {KEY_SIGNUP}"


def request_url(base: str, direction: str, code: str, level: str, first: date, last: date) -> str:
    """One request: the values by port and partner of one HS code, month by month from `first` to
    `last`; one code per call (the API refuses lists), partners as a repeated parameter (OR)."""
    query = [
        ("get", request_variables(direction)),
        (COMMODITY[direction], code),
        ("COMM_LVL", level),
        *(("CTY_CODE", country) for country in sorted(COUNTRIES)),
        ("time", f"from {first:%Y-%m} to {last:%Y-%m}"),
    ]
    return f"{base.rstrip('/')}/{direction}/porths?{urlencode(query)}"


def _years(settings: Settings, today: date) -> list[tuple[int, date, date]]:
    """(year, first month, last month) of each year to ask, from HLED_CENSUS_FROM to this month."""
    start = settings.census_from
    return [
        (year, max(date(year, 1, 1), start), min(date(year, 12, 1), date(today.year, today.month, 1)))
        for year in range(start.year, today.year + 1)
    ]


def collect_census(source: Publication, settings: Settings) -> Collection:
    """Every answer since HLED_CENSUS_FROM as a part: from the mirror's `census_ports/` folder, or from
    the API (a year held and older than the last two kept as it is, the rest asked)."""
    if settings.mirror is not None:
        return _from_mirror(source, settings)
    log = logger()
    today = date.today()
    base = settings.url_for(source.name, source.url)
    held = fetch_history(settings.raw_dir, source.name)
    policy = HttpPolicy.of(settings)
    secret = {"key": settings.census_key} if settings.census_key else {}
    hint = refused_hint(settings)
    plan = [
        (d, h, year, first, last)
        for d in DIRECTIONS
        for h in HEADINGS
        for year, first, last in _years(settings, today)
    ]
    parts, asked = [], 0
    for number, (direction, heading, year, first, last) in enumerate(plan, start=1):
        key = f"{direction}_{heading.code}_{year}"
        url = request_url(base, direction, heading.code, heading.level, first, last)
        before = held.get(key)
        if (
            before is not None
            and before.url == url
            and year <= today.year - RECHECKED_YEARS
            and Path(before.path).is_file()
        ):
            fetched: Fetched = replace(before, status="held", changed=False)  # not asked: no manifest line
        else:
            target = Target(
                source.name,
                key,
                url,
                "json",
                refused_hint=hint,
                progress=f"request {number} of {len(plan)}",
                secret_params=secret,
                empty_ok=True,
            )
            fetched = fetch_source(target, settings.raw_dir, policy=policy, history=held)
            asked += 1
        parts.append(Part(source.name, TABLE, key, fetched.path, fetched.sha256, fetched))
    log.info(
        "%s: %d answers (%d asked of the API, %d held), %s to %s",
        source.name,
        len(parts),
        asked,
        len(parts) - asked,
        f"{settings.census_from:%Y-%m}",
        f"{today:%Y-%m}",
    )
    return Collection(parts)


def _from_mirror(source: Publication, settings: Settings) -> Collection:
    """Answers saved as `census_ports/<imports|exports>_<code>_<year>.json[.gz]` in the mirror. A mirror
    without that folder leaves the source out of the run, said as a notice (../shared/data's census_porths
    sample holds year-to-date air and container values only, not the monthly all-modes values loaded)."""
    assert settings.mirror is not None
    folder = settings.mirror / "census_ports"
    if not folder.is_dir():
        return Collection(
            [],
            notices=[
                f"{source.name}: HLED_MIRROR={settings.mirror} has no census_ports/ folder of API answers; "
                "left out of this run"
            ],
        )
    history = fetch_history(settings.raw_dir, source.name)
    parts = []
    for path in sorted(folder.glob("*_*_*.json*")):
        key = path.name.split(".json")[0]
        direction, code, year = key.split("_")
        if direction not in DIRECTIONS or not year.isdigit() or int(year) < settings.census_from.year:
            continue
        target = Target(source.name, key, str(path), "json")
        fetched = fetch_source(target, settings.raw_dir, mirror_file=path, history=history)
        parts.append(Part(source.name, TABLE, key, fetched.path, fetched.sha256, fetched))
    return Collection(parts)
