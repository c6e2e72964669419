"""What each derived table is computed from, read from the statements that compute it: a build from a copy
of the published file recomputes only the tables whose inputs changed, and what is computed from them, in
the order of a full build. A table keeps its published rows only when nothing it reads has changed."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb

NAMED = re.compile(r"\b(?:core|marts)\.[a-z_][a-z0-9_]*\b", re.IGNORECASE)
_TARGET = r"((?:core|marts)\.[a-z_][a-z0-9_]*|[a-z_][a-z0-9_]*)"
CREATES = re.compile(
    rf"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(TEMP(?:ORARY)?\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?{_TARGET}",
    re.IGNORECASE,
)
WRITES = re.compile(
    rf"^\s*(?:INSERT\s+(?:OR\s+REPLACE\s+)?INTO|DROP\s+TABLE(?:\s+IF\s+EXISTS)?|UPDATE|DELETE\s+FROM"
    rf"|COMMENT\s+ON\s+(?:TABLE|COLUMN))\s+{_TARGET}",
    re.IGNORECASE,
)
COMMENT = re.compile(r"^\s*COMMENT\s+ON\b", re.IGNORECASE)
# `CREATE TABLE marts.x AS  -- by month` declares that each month of marts.x is computed from the same
# month's rows of what it reads (it has a `month` column): a copy can recompute only the months that changed
BY_MONTH = re.compile(r"^\s*CREATE\s+TABLE\s+\S+\s+AS[ \t]*--[ \t]*by month\b[^\n]*\n", re.IGNORECASE)


class LineageError(ValueError):
    """A derive statement whose target cannot be read, or a table produced in two places."""


@dataclass(frozen=True)
class Step:
    """One unit of the derive stage: a SQL statement, or a computation in Python declared with the
    SQL it reads. `creates` are the tables it makes with CREATE TABLE (dropped before it runs again);
    every other persistent table it writes is emptied first."""

    label: str
    writes: frozenset[str]
    reads: frozenset[str]
    creates: frozenset[str] = frozenset()
    sql: str | None = None
    compute: Callable[[duckdb.DuckDBPyConnection, frozenset[str], Any], None] | None = None
    # read before anything is cleared, and handed to `compute` (None in a full build)
    before: Callable[[duckdb.DuckDBPyConnection], Any] | None = None
    temps: frozenset[str] = field(default_factory=frozenset)
    by_month: str | None = None  # the SELECT of a statement declared `-- by month`


def tables_in(sql: str) -> frozenset[str]:
    """The core and marts tables a statement names (lower case)."""
    return frozenset(name.lower() for name in NAMED.findall(sql))


def sql_steps(label: str, text: str, known_temps: set[str]) -> list[Step]:
    """The statements of one SQL file as steps; `known_temps` collects the temporary tables created so
    far (a later statement reads one when it names it, even inside a string: a table macro's argument)."""
    steps = []
    for number, statement in enumerate(duckdb.extract_statements(text), start=1):
        query = statement.query
        created = CREATES.match(query)
        written = WRITES.match(query)
        target = (created.group(2) if created else written.group(1) if written else None) or ""
        target = target.lower()
        temporary = bool(created and created.group(1)) or (bool(target) and "." not in target)
        if temporary and created:
            known_temps.add(target)
        if COMMENT.match(query):
            reads: frozenset[str] = frozenset()
        else:
            temps = {t for t in known_temps if re.search(rf"\b{t}\b", query, re.IGNORECASE)}
            reads = (tables_in(query) | temps) - {target}
        if target and "." not in target and target not in known_temps:
            raise LineageError(f"{label} statement {number}: {target!r} is neither core.*, marts.* nor TEMP")
        steps.append(
            Step(
                label=f"{label} #{number}",
                writes=frozenset({target} if target else ()),
                reads=reads,
                creates=frozenset({target} if created and not temporary else ()),
                sql=query,
                temps=frozenset({target} if temporary else ()),
                by_month=_select_by_month(query),
            )
        )
    return steps


def _select_by_month(query: str) -> str | None:
    declared = BY_MONTH.match(query)
    return query[declared.end() :].strip().rstrip(";") if declared else None


def dirty_tables(steps: list[Step], changed: Iterable[str]) -> set[str]:
    """Every table (temporary ones included) whose rows may differ from the published file's when the
    tables `changed` did: those, and what any of them is computed from, transitively."""
    dirty = {t.lower() for t in changed}
    grew = True
    while grew:
        grew = False
        for step in steps:
            if step.reads & dirty and not step.writes <= dirty:
                dirty |= step.writes
                grew = True
    return dirty


def to_run(steps: list[Step], dirty: set[str]) -> list[Step]:
    """The steps a build from a copy runs, in order: those writing a changed persistent table, those with
    no table (macros), and those making a temporary table that another step to run reads."""
    chosen = [(not step.writes) or bool((step.writes - step.temps) & dirty) for step in steps]
    grew = True
    while grew:
        grew = False
        needed = {t for step, keep in zip(steps, chosen, strict=True) if keep for t in step.reads}
        for i, step in enumerate(steps):
            if not chosen[i] and step.temps & needed:
                chosen[i] = grew = True
    return [step for step, keep in zip(steps, chosen, strict=True) if keep]


def produced(steps: list[Step]) -> dict[str, set[str]]:
    """Per persistent table the derive stage writes, how: {"create"} or {"insert"} (DDL-made, filled)."""
    out: dict[str, set[str]] = {}
    for step in steps:
        for table in step.writes - step.temps:
            out.setdefault(table, set()).add("create" if table in step.creates else "insert")
    return out


def partial_months(
    chosen: list[Step], dirty: set[str], months: dict[str, frozenset[date] | None]
) -> dict[str, frozenset[date]]:
    """The derived tables a build from a copy computes again only for some months, and those months: a
    step declared by month whose changed inputs all changed in known months (`months`: per core table,
    the months its new files replaced; None when loaded whole). What such a table feeds may be by month
    too; anything else read whole makes the table whole."""
    known: dict[str, frozenset[date] | None] = dict(months)
    partial: dict[str, frozenset[date]] = {}
    for step in chosen:
        inputs = [known.get(t) for t in step.reads if t in dirty]
        if step.by_month is not None and inputs and all(m is not None for m in inputs):
            reached = frozenset().union(*inputs)
            for table in step.writes:
                known[table] = partial[table] = reached
        else:
            for table in step.writes - partial.keys():
                known[table] = None
    return partial
