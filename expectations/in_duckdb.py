"""A GX suite's expectations run as DuckDB SQL where the rows are, giving GX-shaped results (for the
Data Docs) and the label of each offending row. GX's engines for files read the rows through pandas
(about 2 s a million rows, most of a night's validation); here one scan counts every rule, and only a
broken rule's rows are read again, to list them.

The rules follow GX's semantics: a column rule does not judge empty values (except the not-null rule),
a compound key ignores rows by `ignore_row_if`, a duplicated key blames every row that carries it,
`mostly` is the share of judged values that must pass. Types not listed in RULES are refused."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb

MAX_LISTED = 20  # values GX lists in a result (its "partial" lists)
MAX_LINES = 10  # offending rows named in a message

# A column type as GX's pandas engine names it, and the DuckDB type that stores it
GX_TYPES = {
    "int64": "BIGINT",
    "int32": "INTEGER",
    "float64": "DOUBLE",
    "bool": "BOOLEAN",
    "str": "VARCHAR",
    "object": "VARCHAR",
}


class UnsupportedExpectation(TypeError):
    """A suite declares an expectation this engine has no SQL for: add it to `RULES`."""


@dataclass(frozen=True)
class Checked:
    """One expectation's outcome: GX's result dictionary, and the labels of its first offending rows."""

    success: bool
    result: dict
    lines: list[str]
    error: str | None = None


@dataclass(frozen=True)
class _Rule:
    """A column rule as SQL over the batch: which rows it judges and which of those break it."""

    judged: str  # rows the rule looks at (GX's "nonmissing")
    broken: str  # among those, the rows that break it
    value: str  # what a broken row shows (listed in results)
    params: list
    missing_keys: bool = True  # GX reports missing counts (all but the not-null rule)
    key: str | None = None  # a uniqueness rule's columns: counted by hash first (a window is slow)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _not_null(kw: dict) -> _Rule:
    c = _quoted(kw["column"])
    return _Rule("true", f"{c} IS NULL", c, [], missing_keys=False)


def _in_set(kw: dict) -> _Rule:
    c = _quoted(kw["column"])
    return _Rule(f"{c} IS NOT NULL", f"NOT list_contains(?, {c})", c, [list(kw["value_set"])])


def _between(kw: dict) -> _Rule:
    c = _quoted(kw["column"])
    parts, params = [], []
    if kw.get("min_value") is not None:
        parts.append(f"{c} {'<=' if kw.get('strict_min') else '<'} ?")
        params.append(kw["min_value"])
    if kw.get("max_value") is not None:
        parts.append(f"{c} {'>=' if kw.get('strict_max') else '>'} ?")
        params.append(kw["max_value"])
    return _Rule(f"{c} IS NOT NULL", " OR ".join(parts) or "false", c, params)


def _match_regex(kw: dict) -> _Rule:
    c = _quoted(kw["column"])
    return _Rule(f"{c} IS NOT NULL", f"NOT regexp_matches(CAST({c} AS VARCHAR), ?)", c, [kw["regex"]])


def _unique(kw: dict) -> _Rule:
    c = _quoted(kw["column"])
    return _Rule(f"{c} IS NOT NULL", f"count(*) OVER (PARTITION BY {c}) > 1", c, [], key=c)


def _compound_unique(kw: dict) -> _Rule:
    columns = [_quoted(c) for c in kw["column_list"]]
    ignore = kw.get("ignore_row_if") or "all_values_are_missing"
    judged = {
        "all_values_are_missing": "NOT (" + " AND ".join(f"{c} IS NULL" for c in columns) + ")",
        "any_value_is_missing": " AND ".join(f"{c} IS NOT NULL" for c in columns),
        "never": "true",
    }[ignore]
    keys = ", ".join(columns)
    value = "struct_pack(" + ", ".join(f"{c} := {c}" for c in columns) + ")"
    return _Rule(judged, f"count(*) OVER (PARTITION BY {keys}) > 1", value, [], key=keys)


RULES: dict[str, Callable[[dict], _Rule]] = {
    "expect_column_values_to_not_be_null": _not_null,
    "expect_column_values_to_be_in_set": _in_set,
    "expect_column_values_to_be_between": _between,
    "expect_column_values_to_match_regex": _match_regex,
    "expect_column_values_to_be_unique": _unique,
    "expect_compound_columns_to_be_unique": _compound_unique,
}
TABLE_RULES = ("expect_table_row_count_to_be_between", "expect_column_values_to_be_of_type")


def check(con: duckdb.DuckDBPyConnection, relation: str, label: str, configs: list) -> list[Checked]:
    """Run each expectation configuration (type and kwargs, as GX declares them) over `relation`.
    `label` is SQL naming a row for messages (file:line); rows are listed in the order of `__order`."""
    for config in configs:
        if config.type not in RULES and config.type not in TABLE_RULES:
            raise UnsupportedExpectation(
                f"{config.type} has no SQL form in expectations/in_duckdb.py; add it to RULES"
            )
    columns = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {relation})").fetchall())
    rows = con.execute(f"SELECT count(*) FROM {relation}").fetchall()[0][0]
    rules = {i: RULES[c.type](dict(c.kwargs)) for i, c in enumerate(configs) if c.type in RULES}
    absent = {i: _missing_columns(c.kwargs, columns) for i, c in enumerate(configs)}
    counted = _counts(con, relation, {i: r for i, r in rules.items() if not absent[i]})
    outcomes = []
    for i, config in enumerate(configs):
        kwargs = dict(config.kwargs)
        if absent[i]:
            outcomes.append(
                _raised(f"column {', '.join(absent[i])} not in the batch (has {', '.join(columns)})")
            )
        elif config.type == "expect_table_row_count_to_be_between":
            ok = _within(rows, kwargs.get("min_value"), kwargs.get("max_value"))
            outcomes.append(Checked(ok, {"observed_value": rows}, []))
        elif config.type == "expect_column_values_to_be_of_type":
            outcomes.append(_of_type(kwargs, columns))
        elif isinstance(counted[i], str):
            outcomes.append(_raised(counted[i]))
        else:
            outcomes.append(_column_result(con, relation, label, rules[i], kwargs, rows, *counted[i]))
    return outcomes


def _missing_columns(kwargs: Any, columns: dict) -> list[str]:
    named = [kwargs["column"]] if kwargs.get("column") else list(kwargs.get("column_list") or [])
    return [c for c in named if c not in columns]


def _counts(con: duckdb.DuckDBPyConnection, relation: str, rules: dict[int, _Rule]) -> dict:
    """For each rule, (judged rows, broken rows), counted in one scan; a rule whose SQL fails (a value
    of the wrong type for the column) gets its error message instead."""
    if not rules:
        return {}
    try:
        return _scan(con, relation, rules)
    except duckdb.Error:
        outcome: dict = {}
        for i, rule in rules.items():
            try:
                outcome |= _scan(con, relation, {i: rule})
            except duckdb.Error as error:
                outcome[i] = str(error).splitlines()[0]
        return outcome


def _scan(con: duckdb.DuckDBPyConnection, relation: str, rules: dict[int, _Rule]) -> dict:
    flags = ", ".join(
        f"({r.judged}) AS j{i}, " + ("false" if r.key else f"({r.judged}) AND ({r.broken})") + f" AS b{i}"
        for i, r in rules.items()
    )
    sums = ", ".join(f"count_if(j{i}), count_if(b{i})" for i in rules)
    params = [p for r in rules.values() if not r.key for p in r.params]
    values = con.execute(f"SELECT {sums} FROM (SELECT {flags} FROM {relation})", params).fetchall()[0]
    counted = {i: (values[2 * n], values[2 * n + 1]) for n, i in enumerate(rules)}
    for i, rule in rules.items():
        if rule.key:
            counted[i] = (counted[i][0], _duplicated(con, relation, rule))
    return counted


def _duplicated(con: duckdb.DuckDBPyConnection, relation: str, rule: _Rule) -> int:
    """Judged rows whose key another judged row shares. Rows are grouped by the key's hash (about
    three times faster than a window over the key); only when some hash repeats is the window run,
    so a collision cannot blame a row."""
    query = f"SELECT count(*) AS n FROM {relation} WHERE {rule.judged} GROUP BY hash({rule.key}) HAVING n > 1"
    if not con.execute(f"SELECT count(*) FROM ({query})").fetchall()[0][0]:
        return 0
    exact = f"SELECT count(*) OVER (PARTITION BY {rule.key}) AS n FROM {relation} WHERE {rule.judged}"
    return con.execute(f"SELECT count(*) FROM ({exact}) WHERE n > 1").fetchall()[0][0]


def _column_result(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    label: str,
    rule: _Rule,
    kwargs: dict,
    rows: int,
    judged: int,
    broken: int,
) -> Checked:
    """GX's result dictionary for a column rule, with the broken rows' values and labels listed."""
    listed: list = []
    counts: list[dict] = []
    lines: list[str] = []
    if broken:
        flagged = f"({rule.judged}) AND ({rule.broken}) AS b"
        where = f"FROM (SELECT {rule.value} AS v, {label} AS l, __order, {flagged} FROM {relation}) WHERE b"
        params = rule.params
        found = con.execute(f"SELECT v, l {where} ORDER BY __order LIMIT {MAX_LISTED}", params).fetchall()
        listed = [_plain(v) for v, _ in found]
        lines = [str(line) for _, line in found[:MAX_LINES]]
        grouped = con.execute(
            f"SELECT v, count(*) AS n {where} GROUP BY v ORDER BY n DESC, min(__order) LIMIT {MAX_LISTED}",
            params,
        ).fetchall()
        counts = [{"value": _plain(v), "count": n} for v, n in grouped]
    mostly = kwargs.get("mostly")
    share = broken / judged if judged else 0.0
    success = broken == 0 if mostly is None else share <= 1 - mostly + 1e-12
    result = {
        "element_count": rows,
        "unexpected_count": broken,
        "unexpected_percent": 100 * share if rule.missing_keys else 100 * broken / rows if rows else 0.0,
        "partial_unexpected_list": listed,
        "partial_unexpected_counts": counts,
    }
    if rule.missing_keys:
        missing = rows - judged
        result |= {
            "missing_count": missing,
            "missing_percent": 100 * missing / rows if rows else None,
            "unexpected_percent_total": 100 * broken / rows if rows else None,
            "unexpected_percent_nonmissing": 100 * share,
        }
    return Checked(success, result, lines)


def _of_type(kwargs: dict, columns: dict) -> Checked:
    wanted = kwargs["type_"]
    if wanted not in GX_TYPES:
        raise UnsupportedExpectation(
            f"type_={wanted!r} is not one of {sorted(GX_TYPES)} (expectations/in_duckdb.py)"
        )
    stored = columns[kwargs["column"]]
    seen = next((name for name, sql in GX_TYPES.items() if sql == stored), stored)
    return Checked(
        stored == GX_TYPES[wanted], {"observed_value": wanted if stored == GX_TYPES[wanted] else seen}, []
    )


def _raised(message: str) -> Checked:
    return Checked(False, {}, [], error=message)


def _within(value: int, low: Any, high: Any) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _plain(value: Any) -> Any:
    """A value as GX's results and our messages show it: dates and times as ISO text."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
