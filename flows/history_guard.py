"""A source never shrinks silently: a new input that holds fewer months (or tables) than the source has
published is refused as a whole, and the source kept as published (stale) with one line naming what
would be lost, unless the operator names it in HLED_ALLOW_SHRINK (a publisher that really withdrew
them)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from flows.errors import HistoryShrinks
from flows.registry import Source
from flows.settings import Settings
from transforms.parsed import ParsedFile
from warehouse.publish import published_months


def _span(months: set[date]) -> str:
    """Months as runs of consecutive months: 2020-01..2023-12, 2024-03."""
    runs: list[list[date]] = []
    for m in sorted(months):
        if runs and (m.year * 12 + m.month) - (runs[-1][-1].year * 12 + runs[-1][-1].month) == 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    text = [f"{r[0]:%Y-%m}" + (f"..{r[-1]:%Y-%m}" if len(r) > 1 else "") for r in runs]
    return ", ".join(text[:4]) + (f" and {len(text) - 4} more runs" if len(text) > 4 else "")


def new_months(source: Source, parsed: list[ParsedFile]) -> dict[str, set[date]]:
    """Per core table, the months the new clean files hold (tables without a month column left out): as
    recorded at parsing, or read from the clean file for a parse cached before months were recorded."""
    out: dict[str, set[date]] = {}
    for p in parsed:
        table = source.tables[p.table].core_table
        if p.months is not None:
            out.setdefault(table, set()).update(date.fromisoformat(m) for m in p.months)
            continue
        frame = pl.scan_parquet(Path(p.clean_path), glob=False)
        if "month" not in frame.collect_schema().names():
            continue
        months = frame.select(pl.col("month").drop_nulls().unique()).collect()["month"]
        out.setdefault(table, set()).update(months.to_list())
    return out


def refuse_shrinking(source: Source, parsed: list[ParsedFile], settings: Settings) -> None:
    """Raise HistoryShrinks when the new input would publish fewer months of a core table (or none of a
    table) than the published warehouse holds for this source, unless HLED_ALLOW_SHRINK names it."""
    before = published_months(settings.warehouse_path, source.core_tables)
    if not before or source.name in settings.allow_shrink:
        return
    now = new_months(source, parsed)
    lost = {t: months - now.get(t, set()) for t, months in before.items() if months}
    lost = {t: m for t, m in lost.items() if m}
    if not lost:
        return
    what = "; ".join(
        f"{table}: {len(months)} of its {len(before[table])} published months ({_span(months)})"
        for table, months in sorted(lost.items())
    )
    raise HistoryShrinks(
        f"{source.name}: the new input holds fewer months than were published and would lose {what} "
        f"(rule: history_shrinks). Refused: its published data is kept. If the publisher withdrew them "
        f"for good, run once with HLED_ALLOW_SHRINK={source.name}"
    )
