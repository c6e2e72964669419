"""The HLED scorecard as a table chart: each headline against 2019 and 2021."""

from __future__ import annotations

import textwrap

import altair as alt
import duckdb
import polars as pl

from dashboards.charts.common import (
    SCORECARD,
    require,
)
from dashboards.labels import fmt_number, fmt_pct, month_label, text, unit_name
from dashboards.theme import (
    BAD,
    GOOD,
    HEIGHT,
    NEUTRAL,
    finish,
    footer_lines,
)
from warehouse.db import frame as query_frame

CHAR_PX = 6.2  # average width of a 12 px Helvetica character: scorecard cells wrap at their column width


def scorecard(
    con: duckdb.DuckDBPyConnection, lang: str = "en", port: str | None = None, border: str | None = None
) -> alt.VConcatChart:
    """The HLED scorecard as a table: per pillar and headline, 2019, 2021, the latest 12 months and the
    change against 2021, coloured by whether it moves the right way."""
    table = query_frame(
        con,
        f"""SELECT pillar_{lang} AS pillar, headline_{lang} AS headline, unit, value_2019, value_2021,
                   latest_month, latest_value, change_vs_2021_pct, right_way_vs_2021
            FROM marts.hled_scorecard""",
    )
    require(table, "marts.hled_scorecard is empty")
    columns = [  # (key, left edge in px, width in px)
        ("pillar", 0, 215),
        ("headline", 220, 265),
        ("unit", 490, 150),
        ("v2019", 645, 70),
        ("v2021", 720, 70),
        ("latest", 795, 75),
        ("until", 875, 70),
        ("change", 950, 100),
    ]
    cells = []
    for i, r in enumerate(table.iter_rows(named=True)):
        latest = r["latest_month"]
        change = r["change_vs_2021_pct"]
        values = {
            "pillar": r["pillar"],
            "headline": r["headline"],
            "unit": unit_name(r["unit"], lang),
            "v2019": fmt_number(r["value_2019"], lang),
            "v2021": fmt_number(r["value_2021"], lang),
            "latest": fmt_number(r["latest_value"], lang),
            "until": month_label(latest.year, latest.month, lang) if latest else "–",
            "change": "–" if change is None else f"{fmt_pct(change, lang)} %",
        }
        verdict = {True: "good", False: "bad"}.get(r["right_way_vs_2021"], "neutral")
        for key, _, width in columns:
            cells.append(
                {
                    "row": i + 1,
                    "column": key,
                    "text": "\n".join(textwrap.wrap(values[key], int(width / CHAR_PX)) or [""]),
                    "verdict": verdict if key == "change" else "neutral",
                }
            )
    for key, _, _ in columns:
        cells.append({"row": 0, "column": key, "text": text(f"sc_{key}", lang), "verdict": "header"})
    frame = pl.DataFrame(cells)
    colour = alt.Color(
        "verdict:N",
        scale=alt.Scale(domain=["good", "bad", "neutral", "header"], range=[GOOD, BAD, NEUTRAL, "#222222"]),
        legend=alt.Legend(
            title=text("sc_legend", lang),
            orient="bottom",
            values=["good", "bad", "neutral"],
            labelExpr=(
                f"{{'good': {text('sc_good', lang)!r}, 'bad': {text('sc_bad', lang)!r}, "
                f"'neutral': {text('sc_neutral', lang)!r}}}[datum.label]"
            ),
        ),
    )
    layers = [
        alt.Chart(frame)
        .transform_filter((alt.datum.column == key) & ((alt.datum.row == 0) == header))
        .mark_text(
            align="left",
            baseline="middle",
            fontSize=12,
            lineBreak="\n",
            lineHeight=13,
            x=left,
            fontWeight="bold" if header else "normal",
        )
        .encode(y=alt.Y("row:O", axis=None), text="text:N", color=colour)
        for key, left, width in columns
        for header in (True, False)
    ]
    chart = alt.layer(*layers).properties(
        width=1050,
        height=HEIGHT,
        title=alt.Title(text("scorecard_title", lang), subtitle=text("scorecard_subtitle", lang)),
    )
    return finish(chart, footer_lines(con, SCORECARD, lang), lang)
