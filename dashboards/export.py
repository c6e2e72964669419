"""Writing charts to files people share: offline HTML (Vega inlined), PNG at 2x, SVG, Vega-Lite JSON,
and the dashboard page that shows them all."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import altair as alt
import markupsafe
import vl_convert

from dashboards.charts import BORDERS, CHARTS
from dashboards.labels import LANGS
from dashboards.offline import BUNDLE, TEMPLATES, write_bundle
from dashboards.page import write_page
from dashboards.script_json import script_json
from dashboards.theme import NoData, chart_sources
from warehouse.access import open_published
from warehouse.db import rows
from warehouse.safe_text import visible_strings

FORMATS = ("html", "png", "svg", "json")
COMPLETE_MARKER = ".complete"
# written after a full export in which no chart failed
log = logging.getLogger(__name__)


class ChartsNotWritten(RuntimeError):
    """The export folder cannot be written (a full or read-only disk, a file where a folder should be);
    the export stops at the first such error, as every other file would fail the same way."""

    def __init__(self, target: Path, exc: OSError, written: int) -> None:
        why = f"{exc.strerror} ({exc.filename})" if exc.strerror and exc.filename else str(exc)
        super().__init__(
            f"cannot write the charts under {target}: {why}; {written} files were written before it "
            "(rule: exports_writable); the published warehouse is unaffected"
        )


@dataclass
class ExportReport:
    written: list[Path] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    page: Path | None = None
    kept: list[Path] = field(default_factory=list)  # files of charts not drawn from a changed source


VL_VERSION = "_".join(alt.SCHEMA_VERSION.split(".")[:2])  # v6.4.1 -> v6_4, as vl-convert names it


def _write(chart, target: Path, stem: str, lang: str) -> list[Path]:
    """The chart in every format; text from the data with its control characters made visible first
    (the renderer aborts the whole process on some of them)."""
    spec = visible_strings(chart.to_dict())
    written = []
    for fmt in FORMATS:
        path = target / f"{stem}.{fmt}"
        partial = target / f".{stem}.{fmt}.partial"  # readers never see a half-written file
        try:
            if fmt == "html":  # the spec sits in a <script>: data text such as `</script>` stays text
                page = TEMPLATES.get_template("chart.html").render(
                    lang=lang, title=stem, bundle=BUNDLE, spec=markupsafe.Markup(script_json(spec))
                )
                partial.write_text(page, encoding="utf-8")
            elif fmt == "png":
                partial.write_bytes(vl_convert.vegalite_to_png(spec, scale=2, vl_version=VL_VERSION))
            elif fmt == "svg":
                partial.write_text(vl_convert.vegalite_to_svg(spec, vl_version=VL_VERSION), encoding="utf-8")
            else:
                partial.write_text(json.dumps(spec), encoding="utf-8")  # as altair's own save writes it
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        written.append(path)
    return written


def export_charts(
    warehouse: Path,
    out_dir: Path,
    lang: str = "en",
    port: str | None = None,
    only: list[str] | None = None,
    border: str | None = None,
    changed: set[str] | None = None,
) -> ExportReport:
    """Export every chart (or `only` those) from the published warehouse, opened read-only, then the
    dashboard page. A chart that fails is named in the report and does not stop the others. With
    `changed` (the sources whose data or state changed), a chart drawn from none of them whose files
    are all there is kept as it is (its footer is still true); the page is written whole."""
    if lang not in LANGS:
        raise ValueError(f"language {lang!r} not supported; use one of {', '.join(LANGS)}")
    if border and border not in BORDERS:
        raise ValueError(f"border {border!r} not known; use one of {', '.join(BORDERS)}")
    unknown = sorted(set(only or ()) - set(CHARTS))
    if unknown:
        raise ValueError(f"unknown chart(s) {', '.join(unknown)}; charts are {', '.join(CHARTS)}")
    target = out_dir / lang
    report = ExportReport()
    try:
        target.mkdir(parents=True, exist_ok=True)
        return _export(warehouse, target, lang, port, only, border, report, changed)
    except OSError as exc:
        raise ChartsNotWritten(target, exc, len(report.written)) from None


def _export(
    warehouse: Path,
    target: Path,
    lang: str,
    port: str | None,
    only: list[str] | None,
    border: str | None,
    report: ExportReport,
    changed: set[str] | None = None,
) -> ExportReport:
    con = open_published(warehouse)
    try:
        write_bundle(target)
        if port and not rows(con, "SELECT 1 FROM marts.port WHERE port_code = ?", [port]):
            raise ValueError(f"port {port!r} is not in core.dim_port (ports are 4-character codes like 2304)")
        for name, spec in CHARTS.items():
            if only and name not in only:
                continue
            if (port and not spec.per_port) or (border and not spec.per_border):
                continue  # the option would not change this chart: no file named as if it did
            present, missing = chart_sources(con, spec.marts)
            if missing:
                report.skipped[name] = f"source not loaded: {', '.join(missing)}"
                continue
            stem = "_".join(x for x in (name, port, border) if x)
            files = [target / f"{stem}.{fmt}" for fmt in FORMATS]
            if changed is not None and not changed & set(present) and all(f.exists() for f in files):
                report.kept += files
                continue
            try:
                chart = spec.builder(con, lang=lang, port=port, border=border)
                report.written += _write(chart, target, stem, lang)
            except NoData as exc:
                report.skipped[name] = str(exc)
            except OSError:
                raise  # the folder cannot be written: every other chart would fail the same way
            except Exception as exc:  # one chart's failure must not lose the others
                log.error("chart %s failed: %s", name, exc)
                report.failed[name] = f"{type(exc).__name__}: {exc}"
        if not (only or port or border):
            try:
                report.page = write_page(con, target, lang, report.written + report.kept)
            except OSError:
                raise
            except Exception as exc:  # the chart files stay; the page is named as what failed
                log.error("dashboard page failed: %s", exc)
                report.failed["index.html"] = f"{type(exc).__name__}: {exc}"
            if not report.failed:
                (target / COMPLETE_MARKER).write_text(f"{len(report.written)} files\n")
    finally:
        con.close()
    return report
