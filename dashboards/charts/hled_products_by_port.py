"""The HLED's products named exactly (integrated circuits, medical devices, medicines...) by port over
12 months, from the Census trade API, each bar beside the share of its HS chapter it is."""

from __future__ import annotations

import altair as alt
import duckdb

from dashboards.charts.common import PRODUCTS, latest_month, require, window_title
from dashboards.labels import text
from dashboards.theme import HEIGHT, PALETTE, WIDTH, finish, footer_lines, order_by_total
from warehouse.db import frame as query_frame


def hled_products_by_port(
    con: duckdb.DuckDBPyConnection,
    lang: str = "en",
    port: str | None = None,
    border: str | None = None,
    top: int = 10,
) -> alt.VConcatChart:
    """Trade with Mexico in each HLED product by port over the latest 12 months on hand, stacked by
    product; the tooltip gives the whole chapter at the port and the product's share of it."""
    latest = latest_month(con, "marts.hled_product_trade", "WHERE country = 'mexico'")
    frame = query_frame(
        con,
        f"""WITH recent AS (
                SELECT port_label AS port, port_code, product_{lang} AS product, chapter,
                       sum(value_usd) / 1e6 AS value_m, sum(chapter_value_usd) / 1e6 AS chapter_m
                FROM marts.hled_product_trade JOIN marts.port USING (port_code)
                WHERE country = 'mexico' AND month > ?::DATE - INTERVAL 12 MONTH AND NOT is_district
                GROUP BY ALL),
            ranked AS (SELECT port_code FROM recent GROUP BY port_code ORDER BY sum(value_m) DESC LIMIT ?)
            SELECT port, product, chapter, value_m, chapter_m,
                   100 * value_m / nullif(chapter_m, 0) AS share_pct
            FROM recent WHERE port_code IN (SELECT port_code FROM ranked) OR port_code = ?""",
        [latest, top, port or ""],
    )
    require(frame, "no trade in the HLED products with Mexico in the 12 months on hand")
    order = order_by_total(frame, "product", "value_m")
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("port:N", sort="-x", title=text("port", lang)),
            x=alt.X("sum(value_m):Q", title=text("value_m_axis", lang), axis=alt.Axis(format=",.1~f")),
            color=alt.Color(
                "product:N",
                title=text("product", lang),
                sort=order,
                legend=alt.Legend(columns=1, labelLimit=0),
                scale=alt.Scale(domain=order, range=PALETTE[: len(order)]),
            ),
            tooltip=[
                alt.Tooltip("port:N", title=text("port", lang)),
                alt.Tooltip("product:N", title=text("product", lang)),
                alt.Tooltip("value_m:Q", title=text("value_m", lang), format=",.1f"),
                alt.Tooltip("chapter:N", title=text("chapter", lang)),
                alt.Tooltip("chapter_m:Q", title=text("chapter_m", lang), format=",.1f"),
                alt.Tooltip("share_pct:Q", title=text("share_of_chapter", lang), format=",.1f"),
            ],
        )
        .properties(
            width=WIDTH,
            height=HEIGHT,
            title=window_title(
                con, "products_port_title", "products_port_subtitle", "marts.hled_product_trade", latest, lang
            ),
        )
    )
    return finish(chart, footer_lines(con, PRODUCTS, lang), lang)
