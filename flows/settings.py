"""The one settings module: every knob comes from an `HLED_*` environment variable with a default
that works out of the box. Unknown `HLED_*` variables are refused, so a typo never passes silently."""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from flows.errors import SettingsError

# name -> (default, help). The settings table of docs/operations.md is written from this.
KNOWN: dict[str, tuple[str, str]] = {
    "HLED_HOME": ("./data", "where raw downloads, the build area, the warehouse and exports live"),
    "HLED_MIRROR": ("", "a directory laid out like shared/data that replaces the network"),
    "HLED_HTTP_TIMEOUT": ("60", "seconds before a stalled HTTP connection or read is abandoned"),
    "HLED_HTTP_RETRIES": (
        "3",
        "retries of each HTTP request after a timeout, a 403/429/5xx answer or an HTML page in place of data",
    ),
    "HLED_RETRY_DELAYS": (
        "3,9,27",
        "seconds to wait before each retry (comma-separated; up to half as much again is added at random)",
    ),
    "HLED_HTTP_PACING": (
        "3",
        "least seconds between two requests to the same host (bts.gov refuses hurried scripts)",
    ),
    "HLED_MAX_REJECT_SHARE": ("0.01", "largest share of a file's rows that may be rejected"),
    "HLED_MIN_ROW_RATIO": ("0.9", "a new load must have at least this share of the last one's rows"),
    "HLED_CRON": ("0 6 * * *", "schedule of the nightly refresh served by `hled serve`"),
    "HLED_TIMEZONE": ("America/Chicago", "time zone the cron schedule is read in"),
    "HLED_SNAPSHOTS": ("7", "how many previously published warehouses are kept"),
    "HLED_CHARTS": ("1", "set to 0 to skip the chart and brief exports at the end of a refresh"),
    "HLED_CSV_RAW": (
        "0",
        "set to 1 to write CSV cells exactly as they are (for machine readers); by default a text cell "
        "starting with = + - @, a tab or a carriage return gets a leading ' so a spreadsheet shows it "
        "instead of running it",
    ),
    "HLED_SOURCES": ("all", "comma-separated sources to refresh, e.g. bts_crossings,transborder"),
    "HLED_ALLOW_SHRINK": (
        "",
        "comma-separated sources allowed to publish fewer months or tables than they have published (a "
        "publisher that really withdrew them, or HLED_TRANSBORDER_FROM / HLED_CENSUS_FROM moved later); "
        "otherwise such an input is refused and the source kept stale",
    ),
    "HLED_WAIT_TIMES_EVERY": (
        "15",
        "minutes between CBP wait-time collections served by `hled serve` (1 or more)",
    ),
    "HLED_SQL_TIMEOUT": ("300", "seconds a `hled sql` query may run before it is stopped"),
    "HLED_SQL_MEMORY": ("4GB", "memory a `hled sql` query may use (DuckDB's memory_limit, e.g. 512MB, 4GB)"),
    "HLED_TRANSBORDER_MANIFEST": (
        "",
        "CSV of year,month,url: a fixed list of TransBorder ZIPs used instead of the index page",
    ),
    "HLED_UI_PORT": ("4200", "port of the Prefect server and UI that `hled serve` starts"),
    "HLED_UI_HOST": ("127.0.0.1", "address that server listens on (0.0.0.0 in a container)"),
    "HLED_STALE_AFTER": (
        "36",
        "hours: with no successful refresh for longer, `hled status` says stale; a source stale for "
        "longer is said to HLED_NOTIFY",
    ),
    "HLED_BEHIND_MARGIN_MONTHS": (
        "2",
        "months a source's newest month may be older than its publisher's usual lag before `hled status` "
        "says it is behind (exit 3) and HLED_NOTIFY is told",
    ),
    "HLED_NOTIFY": (
        "",
        "Apprise URLs (space- or comma-separated), e.g. mailtos://… or json://host:port/, told of a "
        "failed run, a source stale past HLED_STALE_AFTER, one never published and one behind",
    ),
    "HLED_DUCKDB_STORAGE_VERSION": (
        "v1.1.0",
        "DuckDB storage format of the published warehouse: the oldest DuckDB that must open it "
        "(v1.1.0: DuckDB 1.1 and later, and the duckdb shell); latest for this DuckDB's own",
    ),
    "HLED_TRANSBORDER_FROM": ("2018-01", "first TransBorder month loaded (YYYY-MM)"),
    "HLED_CENSUS_KEY": (
        "",
        "key of the Census Bureau's API (free: https://api.census.gov/data/key_signup.html); sent with each "
        "request to it, never logged or written down",
    ),
    "HLED_CENSUS_FROM": (
        "2013-01",
        "first month of port x HS-heading trade asked of the Census API (YYYY-MM)",
    ),
    "HLED_TRANSBORDER_RECHECK_DAYS": (
        "30",
        "days a TransBorder ZIP already held is trusted before it is checked again (conditional request)",
    ),
}
# numeric settings: (lowest, highest, whether the lowest itself is allowed); NaN and infinity never are
INF = math.inf
RANGES: dict[str, tuple[float, float, bool]] = {
    "HLED_HTTP_TIMEOUT": (0, INF, False),
    "HLED_HTTP_RETRIES": (0, 100, True),
    "HLED_HTTP_PACING": (0, INF, True),
    # above 1 an all-garbage file could pass; below 0 nothing could be rejected at all
    "HLED_MAX_REJECT_SHARE": (0, 1, True),
    "HLED_MIN_ROW_RATIO": (0, 1, True),
    "HLED_SNAPSHOTS": (0, 1000, True),
    "HLED_WAIT_TIMES_EVERY": (1, INF, True),  # a schedule's interval is whole minutes: less would be 0
    "HLED_SQL_TIMEOUT": (0, INF, False),
    "HLED_TRANSBORDER_RECHECK_DAYS": (0, INF, True),
    "HLED_STALE_AFTER": (0, INF, True),
    "HLED_BEHIND_MARGIN_MONTHS": (0, 1200, True),
    "HLED_UI_PORT": (1, 65535, True),
}
URL_PREFIX = "HLED_URL_"  # HLED_URL_<SOURCE> overrides a source's publisher URL


def notify_urls(text: str, check: bool = True) -> tuple[str, ...]:
    """HLED_NOTIFY's URLs; with `check`, each must be one Apprise can send to (the commands that only
    read the warehouse leave Apprise unimported)."""
    urls = tuple(u for u in re.split(r"[\s,]+", text) if u)
    if check and urls:
        import apprise

        for url in urls:
            if not apprise.Apprise().add(url):
                raise SettingsError(
                    f"HLED_NOTIFY: {url!r} is not a notification URL Apprise knows "
                    "(e.g. mailtos://user:pass@example.org, json://host:port/path)"
                )
    return urls


@dataclass(frozen=True)
class Names:
    """What HLED_SOURCES and HLED_URL_<NAME> may name, as the registry declares (`flows.sources.NAMES`):
    given to `Settings.from_env` so settings need not import the registry."""

    sources: tuple[str, ...]
    urls: frozenset[str]


@dataclass(frozen=True)
class Settings:
    """Resolved configuration; build it with `Settings.from_env()`."""

    home: Path
    mirror: Path | None
    http_timeout: float
    http_retries: int
    retry_delays: tuple[float, ...]
    max_reject_share: float
    min_row_ratio: float
    cron: str
    timezone: str
    snapshots: int
    charts: bool
    sources: tuple[str, ...] = ()
    csv_raw: bool = False  # CSV cells as they are, formulas and all (for machine readers)
    sql_timeout: float = 300.0  # seconds a `hled sql` query may run
    sql_memory: str = "4GB"  # memory a `hled sql` query may use
    allow_shrink: tuple[str, ...] = ()  # sources allowed to publish fewer months or tables than before
    transborder_manifest: Path | None = None
    wait_times_every: float = 15.0
    http_pacing: float = 3.0
    transborder_from: date = date(2018, 1, 1)
    census_from: date = date(2013, 1, 1)
    census_key: str = field(default="", repr=False)  # a secret: never printed with the settings
    transborder_recheck_days: float = 30.0
    url_overrides: dict[str, str] = field(default_factory=dict)
    duckdb_storage_version: str = "v1.1.0"
    stale_after: float = 36.0  # hours
    behind_margin: int = 2  # months past a publisher's usual lag before a source is behind
    ui_port: int = 4200
    ui_host: str = "127.0.0.1"
    notify: tuple[str, ...] = ()  # Apprise URLs

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, names: Names | None = None) -> Settings:
        """Read settings from `env` (default: the process environment); reject unknown keys. With the
        registry's `names` (`flows.sources.checked_settings`, for the commands that build) HLED_SOURCES and
        HLED_URL_* are checked against them and the build's own settings too; without (commands that read
        only the published warehouse) the registry, and with it the whole pipeline, is not imported."""
        env = dict(os.environ if env is None else env)
        builds = names is not None
        known_sources = names.sources if names is not None else ()

        overrides: dict[str, str] = {}
        for key, value in env.items():
            if not key.startswith("HLED_") or key in KNOWN:
                continue
            if key.startswith(URL_PREFIX):
                name = key[len(URL_PREFIX) :].lower()
                if names is not None and name not in names.urls:
                    raise SettingsError(
                        f"{key}: no source named {name!r} (known: {', '.join(sorted(names.urls))})"
                    )
                overrides[name] = value
                continue
            raise SettingsError(
                f"unknown setting {key}; known settings are {', '.join(sorted(KNOWN))} "
                f"and {URL_PREFIX}<SOURCE>"
            )

        def get(key: str) -> str:
            return env.get(key, KNOWN[key][0]).strip()

        def number(key: str, kind: type) -> float | int:
            try:
                value = kind(get(key))
            except ValueError:
                raise SettingsError(f"{key}={get(key)!r} is not a valid {kind.__name__}") from None
            low, high, low_included = RANGES[key]
            if not math.isfinite(value) or value > high or value < low or (value == low and not low_included):
                if math.isfinite(high):
                    rule = f"be {'between' if low_included else 'more than'} {low:g} and {high:g}"
                else:
                    rule = (
                        "not be negative"
                        if low_included and low == 0
                        else f"be {low:g} or more"
                        if low_included
                        else f"be more than {low:g}"
                    )
                raise SettingsError(f"{key}={get(key)!r} is out of range: it must {rule}, and finite")
            return value

        def month(key: str) -> date:
            try:
                return datetime.strptime(get(key), "%Y-%m").date()
            except ValueError:
                raise SettingsError(f"{key}={get(key)!r} is not a month like {KNOWN[key][0]}") from None

        try:
            delays = tuple(float(x) for x in get("HLED_RETRY_DELAYS").split(",") if x.strip())
        except ValueError:
            delays = (math.nan,)
        if not all(math.isfinite(d) and d >= 0 for d in delays):
            raise SettingsError(
                f"HLED_RETRY_DELAYS={get('HLED_RETRY_DELAYS')!r} must be seconds of 0 or more, like 3,9,27"
            )
        home = Path(get("HLED_HOME")).expanduser().resolve()
        if home.exists() and not home.is_dir():
            raise SettingsError(f"HLED_HOME={get('HLED_HOME')!r} is a file, not a directory")
        wanted = get("HLED_SOURCES")
        wanted_sources = (
            known_sources
            if wanted in ("", "all")
            else tuple(x.strip() for x in wanted.split(",") if x.strip())
        )
        unknown = [x for x in wanted_sources if x not in known_sources] if builds else []
        if unknown:
            raise SettingsError(
                f"HLED_SOURCES names unknown sources {unknown}; known: {', '.join(known_sources)}"
            )
        allow_shrink = tuple(x.strip() for x in get("HLED_ALLOW_SHRINK").split(",") if x.strip())
        unknown = [x for x in allow_shrink if x not in known_sources] if builds else []
        if unknown:
            raise SettingsError(
                f"HLED_ALLOW_SHRINK names unknown sources {unknown}; known: {', '.join(known_sources)}"
            )
        sql_memory = get("HLED_SQL_MEMORY")
        if not re.fullmatch(r"\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", sql_memory, re.IGNORECASE):
            raise SettingsError(
                f"HLED_SQL_MEMORY={sql_memory!r} is not an amount of memory like 4GB or 512MB"
            )
        manifest = get("HLED_TRANSBORDER_MANIFEST")
        if manifest and not Path(manifest).expanduser().is_file():
            raise SettingsError(f"HLED_TRANSBORDER_MANIFEST={manifest}: no such file")
        mirror = get("HLED_MIRROR")
        storage_version = get("HLED_DUCKDB_STORAGE_VERSION")
        if not re.fullmatch(r"latest|v\d+\.\d+\.\d+", storage_version):
            raise SettingsError(
                f"HLED_DUCKDB_STORAGE_VERSION={storage_version!r} is not a DuckDB version like v1.1.0, "
                "or latest"
            )
        if builds:  # the commands that build: this DuckDB must know the version (asked once, ~10 ms)
            from warehouse.db import storage_number_for
            from warehouse.errors import WarehouseError

            try:
                storage_number_for(storage_version)
            except WarehouseError as exc:
                raise SettingsError(str(exc)) from None
        transborder_from, census_from = month("HLED_TRANSBORDER_FROM"), month("HLED_CENSUS_FROM")
        if census_from < date(2010, 1, 1):
            raise SettingsError(
                f"HLED_CENSUS_FROM={get('HLED_CENSUS_FROM')!r}: the Census API starts in 2010-01"
            )
        settings = cls(
            home=home,
            mirror=Path(mirror).expanduser().resolve() if mirror else None,
            http_timeout=float(number("HLED_HTTP_TIMEOUT", float)),
            http_retries=int(number("HLED_HTTP_RETRIES", int)),
            retry_delays=delays or (0.0,),
            max_reject_share=float(number("HLED_MAX_REJECT_SHARE", float)),
            min_row_ratio=float(number("HLED_MIN_ROW_RATIO", float)),
            cron=get("HLED_CRON"),
            timezone=get("HLED_TIMEZONE"),
            snapshots=int(number("HLED_SNAPSHOTS", int)),
            charts=get("HLED_CHARTS") not in ("0", "false", "no"),
            csv_raw=get("HLED_CSV_RAW") in ("1", "true", "yes"),
            sql_timeout=float(number("HLED_SQL_TIMEOUT", float)),
            sql_memory=sql_memory,
            sources=wanted_sources if builds else (),
            allow_shrink=allow_shrink,
            transborder_manifest=Path(manifest).expanduser().resolve() if manifest else None,
            url_overrides=overrides,
            wait_times_every=float(number("HLED_WAIT_TIMES_EVERY", float)),
            http_pacing=float(number("HLED_HTTP_PACING", float)),
            transborder_from=transborder_from,
            census_from=census_from,
            census_key=get("HLED_CENSUS_KEY"),
            transborder_recheck_days=float(number("HLED_TRANSBORDER_RECHECK_DAYS", float)),
            duckdb_storage_version=storage_version,
            stale_after=float(number("HLED_STALE_AFTER", float)),
            behind_margin=int(number("HLED_BEHIND_MARGIN_MONTHS", int)),
            ui_port=int(number("HLED_UI_PORT", int)),
            ui_host=get("HLED_UI_HOST"),
            notify=notify_urls(get("HLED_NOTIFY"), check=builds),
        )
        if settings.mirror is not None and not settings.mirror.is_dir():
            raise SettingsError(f"HLED_MIRROR={mirror}: no such directory")
        return settings

    @property
    def raw_dir(self) -> Path:
        return self.home / "raw"

    @property
    def build_dir(self) -> Path:
        return self.home / "build"

    @property
    def warehouse_path(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def snapshots_dir(self) -> Path:
        return self.home / "snapshots"

    @property
    def exports_dir(self) -> Path:
        return self.home / "exports"

    @property
    def docs_dir(self) -> Path:
        """GX Data Docs and other generated reports."""
        return self.home / "reports"

    @property
    def wait_history(self) -> Path:
        """The collected wait-times history (appended by `hled waits`, copied into each build)."""
        return self.home / "wait_times" / "history.duckdb"

    @property
    def inbox(self) -> Path:
        """Where a person drops files downloaded in a browser; the next refresh takes them."""
        return self.home / "inbox"

    @property
    def run_log(self) -> Path:
        """Append-only JSON lines of every run, carried into `meta.runs` by the next build."""
        return self.home / "runs.jsonl"

    def url_for(self, source: str, default: str) -> str:
        return self.url_overrides.get(source, default)
