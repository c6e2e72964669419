"""The fault matrix: every case the fault suite drives through `hled refresh`, with the outcome its
test asserts. The table in docs/architecture.md is rendered from this list
(`python -m tests.faults.matrix`), and a test fails when the two drift, so the table always says
what the tests observed."""

from __future__ import annotations

from dataclasses import dataclass, field

GROUPS = {
    "network": "Network (crossings CSV from an HTTP server on 127.0.0.1)",
    "content": "Content (crossings CSV; TransBorder CSVs from a mirror)",
    "archive": "Archives (TransBorder monthly ZIP over HTTP)",
    "publisher": "bts.gov as it behaves (the replica in tests/replica.py: index page, CDN, ZIPs, inbox)",
    "isolation": "Isolation (crossings over HTTP and TransBorder ZIPs over HTTP, both published first)",
    "operator": "Operator mistakes and odd input (through the `hled` commands)",
    "text": "Hostile text in the data (the exported HTML opened in headless Chromium)",
    "process": "Process",
    "idempotence": "Idempotence",
}


@dataclass(frozen=True)
class Case:
    """One fault and what must follow from it."""

    id: str
    group: str
    fault: str
    exit: int  # exit status of `hled refresh`: 0, 1 (the run failed) or 3 (published, a source stale)
    warehouse: str  # "unchanged" (byte for byte) or what is published
    kept: str = ""  # where the bytes that arrived are kept for inspection
    rule: str = ""  # the rule the one-line error (or the reject) names
    notes: list[str] = field(default_factory=list)

    def outcome(self) -> str:
        parts = ["killed (SIGKILL)" if self.exit == -9 else f"exit {self.exit}"]
        if self.rule:
            parts.append(f"`{self.rule}`")
        parts.append(
            "warehouse unchanged" if self.warehouse == "unchanged" else f"published: {self.warehouse}"
        )
        if self.kept:
            parts.append(f"kept in {self.kept}")
        return "; ".join(parts + self.notes)


SAME = "same facts as before"
STALE = "the failed source's last published data, unchanged; marked stale in `meta.source_status`"
CASES: list[Case] = [
    Case("connection_refused", "network", "nothing listens on the port", 3, STALE, rule="reachable"),
    Case(
        "timeout",
        "network",
        "server answers after the read timeout",
        3,
        STALE,
        rule="transfer_complete",
    ),
    Case(
        "500_then_200",
        "network",
        "HTTP 500, then 200 with a revised file",
        0,
        "the revised value",
        notes=["retried"],
    ),
    Case("404", "network", "HTTP 404", 3, STALE, rule="http_ok"),
    Case(
        "cut_off_body",
        "network",
        "body cut off before its Content-Length, every try",
        3,
        STALE,
        "`raw/<source>/quarantine/`",
        "content_length",
        ["retried, then failed"],
    ),
    Case(
        "html_200",
        "network",
        "an HTML error page with status 200, every try",
        3,
        STALE,
        "`raw/<source>/quarantine/` (each try)",
        "is_csv",
        ["retried"],
    ),
    Case("redirect_loop", "network", "a redirect to itself", 3, STALE, rule="redirects"),
    Case("empty", "content", "empty file", 3, STALE, "`raw/<source>/quarantine/`", "file_not_empty"),
    Case("header_only", "content", "header only", 3, STALE, "`raw/<source>/`", "file_has_rows"),
    Case(
        "cut_mid_line",
        "content",
        "file ends mid-line (complete transfer of a cut file)",
        3,
        STALE,
        "`raw/<source>/`",
        "file_complete",
    ),
    Case(
        "wrong_delimiter",
        "content",
        "semicolons instead of commas",
        3,
        STALE,
        "`raw/<source>/quarantine/`",
        "known_header",
    ),
    Case(
        "column_added",
        "content",
        "an unknown column added",
        3,
        STALE,
        "`raw/<source>/quarantine/`",
        "known_header",
        ["names the unexpected column"],
    ),
    Case(
        "column_renamed",
        "content",
        "a required column renamed",
        3,
        STALE,
        "`raw/<source>/quarantine/`",
        "known_header",
        ["names the missing and the unexpected column"],
    ),
    Case(
        "column_missing",
        "content",
        "a required column missing",
        3,
        STALE,
        "`raw/<source>/quarantine/`",
        "known_header",
        ["names the missing column"],
    ),
    Case(
        "non_numeric",
        "content",
        "a value that is not a number (1 row)",
        0,
        "the row left out, kept in `meta.rejects` with file, line and reason",
        rule="value_not_integer",
        notes=["counted in the run summary"],
    ),
    Case(
        "too_many_rejects",
        "content",
        "non-numeric values in more rows than `HLED_MAX_REJECT_SHARE`",
        3,
        STALE,
        "`raw/<source>/`",
        "reject_share",
    ),
    Case(
        "negative",
        "content",
        "a negative count",
        3,
        STALE,
        "`raw/<source>/`",
        "expect_column_values_to_be_between",
        ["names the line"],
    ),
    Case(
        "future_month",
        "content",
        "a month after the current one",
        3,
        STALE,
        "`raw/<source>/`",
        "expect_column_values_to_be_between",
        ["names the line"],
    ),
    Case(
        "unknown_measure",
        "content",
        "an unknown measure",
        3,
        STALE,
        "`raw/<source>/`",
        "expect_column_values_to_be_in_set",
        ["names the line and the value"],
    ),
    Case("short_port_code", "content", "port code without its leading zero (`104`)", 0, SAME),
    Case(
        "conflicting_duplicate",
        "content",
        "the same port, month and measure twice with other values",
        0,
        "the largest value; the other row in `meta.rejects`",
        rule="duplicate_conflict",
    ),
    Case("bom", "content", "a UTF-8 byte-order mark", 0, SAME),
    Case("crlf", "content", "CRLF line endings", 0, SAME),
    Case(
        "huge_line",
        "content",
        "one 8 MB line (an unclosed quote or lost line breaks)",
        3,
        STALE,
        "`raw/<source>/`",
        "field_length",
        ["names the line and column"],
    ),
    Case(
        "trade_unknown_mode",
        "content",
        "TransBorder: an unknown mode code",
        3,
        STALE,
        "`raw/transborder/`",
        "expect_column_values_to_be_in_set",
        ["names file:line"],
    ),
    Case(
        "trade_non_numeric",
        "content",
        "TransBorder: a value that is not a number",
        0,
        "the row left out, kept in `meta.rejects`",
        rule="amount_not_integer",
        notes=["its month shows as a coverage gap of that table"],
    ),
    Case(
        "trade_negative",
        "content",
        "TransBorder: a negative value",
        3,
        STALE,
        "`raw/transborder/`",
        "expect_column_values_to_be_between",
        ["names file:line"],
    ),
    Case(
        "zip_slip",
        "archive",
        "a member named `../../x.csv`",
        3,
        STALE,
        "`raw/transborder/`",
        "zip_slip",
        ["nothing written outside"],
    ),
    Case(
        "zip_bomb",
        "archive",
        "a member that expands to 1.1 GiB",
        3,
        STALE,
        "`raw/transborder/`",
        "zip_member_cap",
    ),
    Case("zip_corrupt", "archive", "a ZIP cut in half", 3, STALE, "`raw/transborder/`", "zip_corrupt"),
    Case(
        "zip_no_csvs",
        "archive",
        "a ZIP without the month's dot CSVs",
        3,
        STALE,
        "`raw/transborder/`",
        "zip_no_expected_members",
        ["lists what it holds"],
    ),
    Case(
        "zip_many_members",
        "archive",
        "a ZIP of 5,003 members (the month's three and 5,000 empty files; an inbox ZIP of 100,000 was "
        "accepted before)",
        3,
        STALE,
        "`raw/transborder/`",
        "zip_member_count",
        notes=["refused on its member count before anything is extracted"],
    ),
    Case(
        "cdn_blocks_new_zip",
        "publisher",
        "the index page lists a new ZIP; the CDN answers 403 to every try",
        3,
        STALE,
        rule="http_ok",
        notes=["the error names `HLED_HOME/inbox/transborder/`", "retried"],
    ),
    Case(
        "cdn_refuses_everything",
        "publisher",
        "the CDN refuses the index page and every file",
        0,
        "unchanged",
        notes=[
            "the known-URL table stands in and the run says so",
            "held ZIPs not asked; the host left after one refused file",
        ],
    ),
    Case(
        "inbox_drop",
        "publisher",
        "a ZIP put in `HLED_HOME/inbox/transborder/` while the CDN refuses everything",
        0,
        "the dropped month",
        notes=["same checks as a download; not downloaded again"],
    ),
    Case(
        "challenge_page",
        "publisher",
        "an HTML challenge with status 200 in place of a new ZIP, once",
        0,
        "the new month",
        "`raw/transborder/quarantine/`",
        notes=["retried"],
    ),
    Case(
        "month_missing",
        "publisher",
        "a listed ZIP answers 404 (a month BTS never posted); the next month is there",
        0,
        "the months that are there",
        notes=["a coverage gap in `marts.coverage` and the run summary"],
    ),
    Case(
        "month_in_two_zips",
        "publisher",
        "a month in two ZIPs, one table's file revised in the newer ZIP",
        0,
        "the newer publication's values",
        notes=["identical files loaded once; each choice in `meta.file_choices`"],
    ),
    Case(
        "refused_while_other_revised",
        "isolation",
        "bts.gov refuses the crossings CSV (403, every try) while a TransBorder ZIP brings a revision",
        3,
        "TransBorder's revision; the crossings' last published data, marked stale",
        rule="http_ok",
        notes=["trade per truck uses the new trade values and the kept crossings"],
    ),
    Case(
        "stale_two_nights",
        "isolation",
        "the crossings CSV is refused two nights running; nothing else changes",
        3,
        "unchanged",
        rule="http_ok",
        notes=[
            "the first night publishes the stale mark alone (a copy of the published file, nothing loaded "
            "or derived again; with charts on, only the failed source's charts redrawn); the second has "
            "nothing new to publish",
            "stale since the first night",
        ],
    ),
    Case(
        "stale_recovers",
        "isolation",
        "a stale source answers again with a revised file",
        0,
        "the revised value; the source current again",
    ),
    Case(
        "bad_reading_in_history",
        "isolation",
        "a wait reading dated 2099 in the collected history (the import now rejects it: `time_range`)",
        3,
        "the crossings' revision; the wait times as last published, marked stale",
        rule="expect_column_values_to_be_between",
        notes=["every later night likewise, until the reading is gone: nothing else is held back"],
    ),
    Case(
        "history_shrinks",
        "isolation",
        "TransBorder's list holds only February where January and February were published (bts.gov's "
        "page listing only the latest months)",
        3,
        "unchanged",
        rule="history_shrinks",
        notes=[
            "one line naming the table and the months that would be lost, and HLED_ALLOW_SHRINK",
            "with `HLED_ALLOW_SHRINK=transborder` the next run publishes February alone",
        ],
    ),
    Case(
        "limited_run_keeps_others",
        "isolation",
        "`HLED_SOURCES=bts_crossings` after both sources were published, the crossings revised",
        0,
        "the crossings' revision; TransBorder's tables and state as published (not emptied)",
    ),
    Case(
        "settings_out_of_range",
        "operator",
        "`HLED_MAX_REJECT_SHARE=2`, a share below 0, a timeout of 0, NaN or infinity, `HLED_HOME` a file",
        2,
        "unchanged",
        rule="out of range",
        notes=["refused at start in one line naming the setting; nothing fetched"],
    ),
    Case(
        "quote_in_home",
        "operator",
        "a quote and brackets in `HLED_HOME`, the mirror path and a port name (`Laredo [/x] 'quoted'`)",
        0,
        "the names as they are",
        notes=["SQL takes paths as parameters or quoted literals; the console prints text, not markup"],
    ),
    Case(
        "damaged_warehouse",
        "operator",
        "the published `warehouse.duckdb` overwritten with garbage, then `hled status`, `hled charts`, "
        "`hled refresh`",
        0,
        "the refreshed warehouse, built on the newest snapshot that opens",
        "`HLED_HOME/damaged/`",
        notes=[
            "status and charts: one line each, no traceback",
            "the refresh says what it set aside and restored",
        ],
    ),
    Case(
        "damaged_history",
        "operator",
        "the wait-time history `wait_times/history.duckdb` overwritten with garbage, or cut to half its "
        "length, then `hled waits import` (and again, then `hled refresh`)",
        0,
        SAME,
        "`HLED_HOME/damaged/`",
        notes=[
            "set aside and rebuilt from the responses and exports kept under `raw/cbp_wait_times/` "
            "(a forgotten backfill stays forgotten); the command says so",
        ],
    ),
    Case(
        "damaged_parse_cache",
        "operator",
        "every cached parse (`build/cache/parse/*/clean.parquet`) overwritten with garbage, then "
        "`hled refresh --force`",
        0,
        SAME,
        notes=[
            "each damaged entry is found (its Parquet files' sizes against those recorded) and parsed "
            "again, said in the log"
        ],
    ),
    Case(
        "no_tracebacks",
        "operator",
        "`hled waits import` of a cut-off .gz, of JSON nested 100,000 deep, of a tar with a 65 MiB member, "
        "of a folder with a 65 MiB file, of a 70 KB .gz that unpacks to 70 MiB, into a home whose `raw` is "
        "a file; `hled sql` whose query fails while its rows are fetched",
        1,
        "unchanged",
        rule="rule:",
        notes=[
            "one line naming the file and its rule (`archive_readable`, `is_json`, `archive_member_cap`, "
            "`gzip_cap`) "
            "or the path it could not write; sql: exit 2"
        ],
    ),
    Case(
        "no_tracebacks_refresh",
        "operator",
        "`hled refresh` in a process of its own whose crossings fail validation (a negative count), and "
        "one started while another holds the lock",
        3,
        STALE,
        notes=[
            "no traceback on the console: the `stale:` line, and `another refresh is running … (pid N)` in "
            "one line (exit 1) before any flow run is made",
        ],
    ),
    Case(
        "charts_disk_full",
        "operator",
        "`hled charts` where `exports` is a file, and where no file may grow past 200 KB (a disk filling up)",
        1,
        "unchanged",
        rule="exports_writable",
        notes=[
            "one line naming the folder and the OS error; no half-written file is left; a refresh names "
            "it as its charts' failure with the warehouse published"
        ],
    ),
    Case(
        "hostile_text",
        "text",
        "a port name `</script><script>document.title='pwned'</script><!--` in every mart, then "
        "`hled charts` and the dashboard page",
        0,
        "charts whose HTML shows the name as text",
        notes=[
            "no script runs, the page and each chart's HTML draw",
            "JSON in `<script>` carries no `<`, `>`, `&`",
        ],
    ),
    Case(
        "control_characters",
        "text",
        "an ESC sequence and a 0x01 in a port name in every mart, then `hled charts`, `hled brief` and "
        "`hled sql` (the chart renderer used to abort the process on them, exit 134)",
        0,
        "charts, briefs and the console show each control character as U+FFFD",
        notes=["no control character reaches an SVG, a brief or the terminal"],
    ),
    Case(
        "csv_formulas",
        "text",
        "port names `=HYPERLINK(…)`, `+cmd …`, `-2+3`, `@SUM(…)`, then `hled export csv` and "
        "`hled sql --csv`",
        0,
        "each such cell written as text with a leading `'` (OWASP); numbers untouched",
        notes=["`HLED_CSV_RAW=1` writes them as they are, for machine readers"],
    ),
    Case(
        "markdown_in_summary",
        "text",
        "a crossings Border `![x](http://…) [y](javascript:…) <img …>`, refused by validation, quoted in the "
        "refresh-summary artifact",
        3,
        STALE,
        rule="expect_column_values_to_be_in_set",
        notes=[
            "the artifact, rendered as Markdown, shows the value as text: no image fetched, no link drawn"
        ],
    ),
    Case(
        "hostile_text_data_docs",
        "text",
        "the same name as a crossings row's Border, which the validation suite refuses; the GX Data Docs "
        "of that run opened",
        3,
        STALE,
        "raw/bts_crossings",
        "expect_column_values_to_be_in_set",
        notes=["the Data Docs show the refused value as text; no script runs"],
    ),
    Case(
        "sql_limit",
        "operator",
        '`hled sql "SELECT … FROM range(50000000)" --limit 5`, and the same with `--csv` on a mart',
        0,
        "unchanged",
        notes=["only 6 rows are fetched for the table; CSV is written in batches as fetched"],
    ),
    Case(
        "sql_bounds",
        "operator",
        "`hled sql` of a scan of 10^12 rows with `HLED_SQL_TIMEOUT=2`, of `SET memory_limit='100GB'`, "
        "`PRAGMA memory_limit`, `RESET`, of a query needing more than `HLED_SQL_MEMORY=64MB`, and of "
        '`""`, `" ; "`, `"/* x */"`',
        2,
        "unchanged",
        notes=[
            "one line each: stopped after 2 s (HLED_SQL_TIMEOUT), settings are fixed, more memory than "
            "HLED_SQL_MEMORY, no query in the text; no traceback",
        ],
    ),
    Case(
        "waits_import_device",
        "operator",
        "`hled waits import /dev/zero`, and of a named pipe",
        1,
        "unchanged",
        rule="regular_file",
        notes=["refused at once in one line: a device or pipe may never end"],
    ),
    Case(
        "xlsx_target",
        "operator",
        "`hled export xlsx` to a place that cannot be written (`/proc/…`), and an export that finishes",
        1,
        "unchanged",
        rule="exports_writable",
        notes=[
            "refused before any work, in one line; xlsxwriter's temporary files are made beside the target "
            "and removed (none in TMPDIR), also when SIGTERM stops it (exit 143, one line)",
        ],
    ),
    Case(
        "backfill_nothing_usable",
        "operator",
        "`hled waits backfill` of an export whose every row is rejected",
        1,
        "unchanged",
        rule="rows_usable",
        notes=["the crossing's earlier averages stay; the file is kept under `raw/cbp_wait_times/`"],
    ),
    Case(
        "backfill_forget",
        "operator",
        "a backfill loaded with the wrong `--port`, then `hled waits forget --port N`; and a re-load "
        "of a crossing from an export that lacks a lane",
        0,
        "the crossing's averages removed at the next refresh",
        notes=[
            "a re-load replaces the crossing's averages whole (no lanes left from the older export)",
            "forgetting a crossing with no backfill: exit 1, one line",
        ],
    ),
    Case(
        "sigkill_build",
        "process",
        "SIGKILL during the build",
        -9,
        "unchanged",
        notes=["next run removes the half-built file, logs the run `killed`, publishes"],
    ),
    Case(
        "sigkill_publish",
        "process",
        "SIGKILL in the publish step, before the rename",
        -9,
        "unchanged",
        notes=["next run removes the built file, logs the run `killed`, publishes"],
    ),
    Case(
        "sigkill_after_rename",
        "process",
        "SIGKILL in the publish step, after the rename",
        -9,
        "the new warehouse, complete",
        notes=["next run: `unchanged`, logs the run `published`"],
    ),
    Case(
        "concurrent",
        "process",
        "a second refresh while one runs",
        1,
        "by the first run only",
        rule="another refresh is running",
        notes=["the first publishes"],
    ),
    Case(
        "server_start_fails",
        "process",
        "Prefect's temporary server does not answer in time (a loaded machine; "
        "`PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS=0`)",
        1,
        "unchanged",
        rule="Timed out",
        notes=["the run is in `runs.jsonl` as failed, and `hled status` says so (exit 1)"],
    ),
    Case(
        "sigterm_refresh",
        "process",
        "`kill -TERM` on `hled refresh` in its build, with its own temporary Prefect server",
        143,
        "unchanged",
        rule="stopped by SIGTERM",
        notes=["its temporary server stops with it; the run is logged `stopped`; the next refresh publishes"],
    ),
    Case(
        "sigterm_serve",
        "process",
        "`kill PID` (SIGTERM to `hled serve` alone, not its group) while a scheduled refresh is in flight "
        "(tests/test_cli.py)",
        0,
        "by the runs that finished",
        notes=[
            "the run in flight is told to stop and logs itself `stopped`: no run is left `running`",
            "`hled serve` exits 0 within seconds, its Prefect server and process group gone",
        ],
    ),
    Case(
        "refresh_during_collection",
        "process",
        "`hled refresh` while `hled waits collect` is still downloading (a slow feed)",
        0,
        "the refresh's warehouse",
        notes=["the collection's partial download is left alone and the collection stores its readings"],
    ),
    Case(
        "collection_during_refresh",
        "process",
        "`hled waits collect` while `hled refresh` is still downloading (a slow crossings file)",
        0,
        "the refresh's warehouse; the next one holds the collected readings",
        notes=["the collection stores its readings (the two share the history's lock in turn)"],
    ),
    Case(
        "analyst_reader",
        "process",
        "a read-only analyst connection open through a refresh",
        0,
        "the new warehouse",
        notes=["the open connection keeps reading the old one"],
    ),
    Case(
        "idempotent",
        "idempotence",
        "two forced refreshes of the same inputs",
        0,
        "identical tables",
        notes=[
            "row count and content checksum of every core and marts table and of this run's meta rows; "
            "the same from scratch in another home"
        ],
    ),
]
BY_ID = {case.id: case for case in CASES}


def cases(group: str) -> list[Case]:
    return [case for case in CASES if case.group == group]


def render_table() -> str:
    """The fault-matrix table of docs/architecture.md."""
    lines = ["| group | fault | observed outcome |", "|---|---|---|"]
    for case in CASES:
        lines.append(f"| {case.group} | {case.fault} | {case.outcome()} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(render_table())
