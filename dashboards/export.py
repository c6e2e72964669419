"""Writing charts to files people share: offline HTML (Vega inlined), PNG at 2x, SVG, Vega-Lite JSON."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from dashboards.charts import CHARTS
from dashboards.labels import LANGS
from warehouse.db import connect, rows

FORMATS = ("html", "png", "svg", "json")
log = logging.getLogger(__name__)


@dataclass
class ExportReport:
    written: list[Path] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def export_charts(
    warehouse: Path, out_dir: Path, lang: str = "en", port: str | None = None, only: list[str] | None = None
) -> ExportReport:
    """Export every chart (or `only` those) from the published warehouse, opened read-only.
    A chart that fails is named in the report and does not stop the others."""
    if lang not in LANGS:
        raise ValueError(f"language {lang!r} not supported; use one of {', '.join(LANGS)}")
    target = out_dir / lang
    target.mkdir(parents=True, exist_ok=True)
    report = ExportReport()
    con = connect(warehouse, read_only=True)
    try:
        loaded = {r[0] for r in rows(con, "SELECT source FROM marts.data_vintage")}
        for name, (builder, source) in CHARTS.items():
            if (only and name not in only) or source not in loaded:
                continue
            stem = f"{name}_{port}" if port else name
            try:
                chart = builder(con, lang=lang, port=port)
                for fmt in FORMATS:
                    path = target / f"{stem}.{fmt}"
                    partial = target / f".{stem}.{fmt}.partial"  # readers never see a half-written file
                    options = {"html": {"inline": True}, "png": {"scale_factor": 2}}.get(fmt, {})
                    chart.save(str(partial), format=fmt, **options)
                    os.replace(partial, path)
                    report.written.append(path)
            except Exception as exc:  # one chart's failure must not lose the others
                log.error("chart %s failed: %s", name, exc)
                report.failed[name] = f"{type(exc).__name__}: {exc}"
    finally:
        con.close()
    return report
