"""The commands that write what readers see from the published warehouse: the monthly brief, the charts
and dashboard page, and the generated reference pages (data dictionary, indicator catalog)."""

from __future__ import annotations

from pathlib import Path

import typer

from flows.cli.common import err, line, out, require_warehouse, settings_or_exit


def brief(
    lang: str = typer.Option(None, "--lang", help="en or es (default: both)"),
    port: str = typer.Option(
        None, "--port", help="Only this port's brief (4-digit code, e.g. 2304) or a border (US-Mexico)."
    ),
) -> None:
    """Write the monthly border brief from the published warehouse, as HTML and PDF, under
    $HLED_HOME/exports/<lang>/brief/: both borders and the 15 busiest truck ports (a refresh that
    publishes writes them too).

    Example: hled brief --lang es --port 2304
    """
    settings = settings_or_exit(builds=False)
    require_warehouse(settings)
    from dashboards.brief import write_briefs
    from dashboards.labels import LANGS
    from warehouse.errors import WarehouseError

    failed: dict[str, str] = {}
    for one in [lang] if lang else LANGS:
        try:
            report = write_briefs(settings.warehouse_path, settings.exports_dir, one, port)
        except ValueError as exc:
            line(err, "error:", exc)
            raise typer.Exit(2) from None
        except WarehouseError as exc:
            line(err, "error:", exc)
            raise typer.Exit(1) from None
        except OSError as exc:
            line(err, "error:", f"cannot write the brief under {settings.exports_dir / one / 'brief'}: {exc}")
            raise typer.Exit(1) from None
        for path in report.written:
            out.print(str(path))
        failed.update(report.failed)
    for name, why in failed.items():
        line(err, f"brief {name} failed:", why)
    if failed:
        raise typer.Exit(1)


def charts(
    lang: str = typer.Option("en", "--lang", help="en or es"),
    port: str = typer.Option(
        None, "--port", help="Draw the per-port charts for this 4-digit port code, e.g. 2304."
    ),
    border: str = typer.Option(None, "--border", help="Restrict to US-Mexico or US-Canada."),
    only: list[str] = typer.Option(
        None, "--chart", help="Only this chart (repeatable), e.g. --chart scorecard."
    ),
) -> None:
    """Export the charts from the published warehouse (HTML, PNG, SVG, Vega-Lite JSON) under
    $HLED_HOME/exports/<lang>/, and the dashboard page index.html (not with --port/--border/--chart).

    Example: hled charts --lang es --port 2304
    """
    settings = settings_or_exit(builds=False)
    require_warehouse(settings)
    from dashboards.export import ChartsNotWritten, export_charts
    from warehouse.errors import WarehouseError

    try:
        report = export_charts(
            settings.warehouse_path, settings.exports_dir, lang, port, only or None, border
        )
    except ValueError as exc:
        line(err, "error:", exc)
        raise typer.Exit(2) from None
    except (WarehouseError, ChartsNotWritten) as exc:
        line(err, "error:", exc)
        raise typer.Exit(1) from None
    for path in report.written:
        out.print(str(path))
    if report.page:
        out.print(f"dashboard page: {report.page}")
    for name, why in report.skipped.items():
        out.print(f"skipped {name}: {why}")
    if report.failed:
        for name, why in report.failed.items():
            line(err, f"chart {name} failed:", why)
        raise typer.Exit(1)


def docs(
    folder: Path = typer.Option(
        Path("docs"), help="Folder to write data_dictionary.md and indicators.md to."
    ),
) -> None:
    """Write the data dictionary and the indicator catalog as Markdown, generated from the code.

    Example: hled docs --folder docs
    """
    from warehouse.dictionary import empty_warehouse, render
    from warehouse.indicators import render_markdown

    folder.mkdir(parents=True, exist_ok=True)
    con = empty_warehouse()
    try:
        (folder / "data_dictionary.md").write_text(render(con))
    finally:
        con.close()
    (folder / "indicators.md").write_text(render_markdown())
    out.print(f"wrote {folder / 'data_dictionary.md'} and {folder / 'indicators.md'}")
