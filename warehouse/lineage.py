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
# `CREATE TABLE marts.x AS  -- by month` declares that each month of marts.x (it has a `month` column) is
# computed from the same month's rows of what it reads; `-- by month, 12 months back, base year 2021`, from
# those of the 12 months before it too and of the same calendar month of 2021. A copy can then compute
# only the months that changed and those that reach them.
BY_MONTH = re.compile(
    r"^\s*CREATE\s+(?:TEMP(?:ORARY)?\s+)?TABLE\s+\S+\s+AS[ \t]*--[ \t]*by month"
    r"(?:,[ \t]*(\d+) months back)?(?:,[ \t]*base year (\d{4}))?[ \t]*\n",
    re.IGNORECASE,
)
YEARS = range(1900, 2101)  # a changed base-year month reaches the same calendar month of every year


class LineageError(ValueError):
    """A derive statement whose target cannot be read, or a table produced in two places."""


Finish = Callable[[duckdb.DuckDBPyConnection, Any], None]
# the middle of an early step: a module-level function and its arguments, so that it can run in another
# process as well as on a thread (`fn(*args)`, both and the result picklable)
Work = tuple[Callable[..., Any], tuple]
Early = Callable[[duckdb.DuckDBPyConnection, frozenset[str], Any], tuple[Work, Finish]]


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
    # a step computed whole whose rows change only in the months this gives (a build from a copy asks
    # it before the step runs, the core tables updated): what reads it may be computed by month
    changes: Callable[[duckdb.DuckDBPyConnection], frozenset[date]] | None = None
    months_back: int = 0  # ... and the months before a month that its rows read
    base_year: int | None = None  # ... and the year whose same calendar month they read
    # a Python step whose middle needs no database: `early(con, dirty, before)` reads its inputs and
    # returns (work, finish); the build starts work = (fn, args) beside the SQL (on a thread, or in a
    # helper process) as soon as every table the step reads is made, and calls finish(con, fn(*args))
    # at the step's turn (`compute` is the same done at once)
    early: Early | None = None


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
                **_by_month(query),
            )
        )
    return steps


def _by_month(query: str) -> dict:
    """A statement declared by month: its SELECT, how many months back it reads, its base year."""
    declared = BY_MONTH.match(query)
    if not declared:
        return {}
    back, base = declared.groups()
    lines = query[declared.end() :].rstrip().splitlines()
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith("--")):
        lines.pop()  # the comments before the next statement come with this one
    return {
        "by_month": "\n".join(lines).rstrip().rstrip(";"),
        "months_back": int(back or 0),
        "base_year": int(base) if base else None,
    }


def shifted(month: date, months: int) -> date:
    """The first day of the month `months` after `month` (before, when negative)."""
    n = month.year * 12 + month.month - 1 + months
    return date(n // 12, n % 12 + 1, 1)


def reached(changed: frozenset[date], back: int, base_year: int | None) -> frozenset[date]:
    """The months whose rows read a month of `changed`: each, the `back` months after it, and when it
    is in the base year, the same calendar month of every year."""
    out = {shifted(m, k) for m in changed for k in range(back + 1)}
    if base_year is not None:
        out |= {date(y, m.month, 1) for m in changed if m.year == base_year for y in YEARS}
    return frozenset(out)


def read_by(months: frozenset[date], back: int, base_year: int | None) -> frozenset[date]:
    """The months the rows of `months` read: each, the `back` months before it, its base-year month."""
    out = {shifted(t, -k) for t in months for k in range(back + 1)}
    if base_year is not None:
        out |= {date(base_year, t.month, 1) for t in months}
    return frozenset(out)


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
    """The derived tables a build from a copy computes only for some months, and which: for a table
    declared by month whose changed inputs all changed in known months (`months`: per core table, the
    months its new files replaced; None when loaded whole), the months those reach; what such a table
    feeds may be by month too, anything read whole makes a table whole. A temporary table declared by
    month is made only for the months its readers read, when they are all computed by month. A step
    that says which months of its table change (`Step.changes`) has them in `months`."""
    known: dict[str, frozenset[date] | None] = dict(months)
    partial: dict[str, frozenset[date]] = {}
    for step in chosen:
        inputs = [known.get(t) for t in step.reads if t in dirty]
        if step.by_month is not None and inputs and all(m is not None for m in inputs):
            months_now = reached(frozenset().union(*inputs), step.months_back, step.base_year)
            for table in step.writes:
                known[table] = partial[table] = months_now
        else:
            for table in step.writes - partial.keys():
                known[table] = months.get(table) if step.changes is not None else None
    # readers first: a temporary table read by another is made for the months that one is made for
    made = dict.fromkeys(t for step in chosen for t in step.temps if t in partial)  # made, then dropped
    for temp in reversed(made):
        readers = [s for s in chosen if temp in s.reads]
        if readers and all(s.by_month is not None and s.writes <= partial.keys() for s in readers):
            partial[temp] = frozenset().union(
                *(read_by(partial[t], s.months_back, s.base_year) for s in readers for t in s.writes)
            )
        else:
            del partial[temp]
    return partial


def early_starts(steps: list[Step]) -> dict[int, list[Step]]:
    """For each step with an `early` part, the index of the step after which everything it reads is
    made (-1: before the first): the last of `steps` that writes one of its inputs."""
    starts: dict[int, list[Step]] = {}
    for index, step in enumerate(steps):
        if step.early is not None:
            after = max((i for i in range(index) if steps[i].writes & step.reads), default=-1)
            starts.setdefault(after, []).append(step)
    return starts
