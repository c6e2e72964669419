"""The monthly brief as PDF (ReportLab): page 1 is this month, the disruptions and the priority sectors;
page 2 the HLED scorecard (US-Mexico briefs), waits and the sources. Both languages print on Letter,
the paper of the US and of Mexico; the text sits in one 174 x 243 mm box centred on the page, so it
also prints unscaled on A4. Every page carries the brief's title, its sources' vintage, the refresh
date and its page number, so a page shared alone can be cited."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from warehouse.safe_text import visible

if TYPE_CHECKING:
    from dashboards.brief_view import View

BOX = (174 * mm, 235 * mm)  # 8 mm of the 243 that fit both papers are left to the footer
HEADLINE_WIDTHS = {
    True: [0.27, 0.16, 0.14, 0.15, 0.13, 0.15],
    False: [0.32, 0.19, 0.16, 0.17, 0.16],
}  # fits inside both Letter (216 x 279 mm) and A4 (210 x 297 mm)
PAPER = LETTER  # US and Mexico alike (carta)
FOOTER_SIZE = 6.5
INK, MUTED, RULE = colors.HexColor("#1a1a1a"), colors.HexColor("#555555"), colors.HexColor("#cccccc")
STYLES = {
    "title": ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=15, leading=18, textColor=INK),
    "subtitle": ParagraphStyle("subtitle", fontName="Helvetica", fontSize=8.5, leading=11, textColor=MUTED),
    "h2": ParagraphStyle(
        "h2", fontName="Helvetica-Bold", fontSize=11, leading=14, spaceBefore=8, spaceAfter=3
    ),
    "body": ParagraphStyle("body", fontName="Helvetica", fontSize=9, leading=12, textColor=INK),
    "note": ParagraphStyle("note", fontName="Helvetica", fontSize=7.5, leading=9.5, textColor=MUTED),
    "cell": ParagraphStyle("cell", fontName="Helvetica", fontSize=8, leading=10),
    "footer": ParagraphStyle(
        "footer", fontName="Helvetica", fontSize=FOOTER_SIZE, leading=FOOTER_SIZE + 1.5, textColor=MUTED
    ),
    "head": ParagraphStyle("head", fontName="Helvetica-Bold", fontSize=8, leading=10),
    "num": ParagraphStyle("num", fontName="Helvetica", fontSize=8, leading=10, alignment=TA_RIGHT),
    "numhead": ParagraphStyle(
        "numhead", fontName="Helvetica-Bold", fontSize=8, leading=10, alignment=TA_RIGHT
    ),
}


def _p(text: str, style: str) -> Paragraph:
    """Text as a paragraph: escaped, so a port name such as `<b>` stays text, control characters shown."""
    return Paragraph(escape(visible(text)), STYLES[style])


def _table(head: list[str], rows: list[list[str]], widths: list[float], numbers: range) -> Table:
    """A table whose columns in `numbers` are right-aligned figures, the others text."""

    def style(i: int, head: bool) -> str:
        return ("numhead" if head else "num") if i in numbers else ("head" if head else "cell")

    data = [[_p(h, style(i, True)) for i, h in enumerate(head)]]
    data += [[_p(c, style(i, False)) for i, c in enumerate(r)] for r in rows]
    table = Table(data, colWidths=[w * BOX[0] for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _numbered(v: View) -> type[Canvas]:
    """A canvas that holds its pages until the end, then writes the brief's footer with "page n of N"
    on each (the count is known only once every page is laid out)."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for n, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._footer(n, len(self._pages))
                super().showPage()
            super().save()

        def _footer(self, page: int, pages: int) -> None:
            width, height = PAPER
            box = Paragraph(escape(visible(v.page_footer(page, pages))), STYLES["footer"])
            _, used = box.wrap(BOX[0], 20 * mm)
            box.drawOn(self, (width - BOX[0]) / 2, (height - BOX[1]) / 2 - used - 2 * mm)

    return NumberedCanvas


def write_pdf(v: View, trend_png: bytes) -> bytes:
    """The brief `v` as PDF bytes, with the trucks trend (a PNG at 2x) on page 1."""
    paper = PAPER
    side, top = (paper[0] - BOX[0]) / 2, (paper[1] - BOX[1]) / 2
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=paper,
        leftMargin=side,
        rightMargin=side,
        topMargin=top,
        bottomMargin=top,
        title=v.title,
        author="hled-border",
        lang=v.lang,
    )
    chart = Image(io.BytesIO(trend_png), width=BOX[0] * 0.8, height=BOX[0] * 0.8 * 0.32)
    story = [
        _p(v.title, "title"),
        _p(v.subtitle, "subtitle"),
        _p(v.t("this_month"), "h2"),
        _table(v.headline_head, v.headline_rows, HEADLINE_WIDTHS[v.hled], range(1, 5)),
        Spacer(1, 4),
        *[_p(s, "body") for s in v.sentences],
        *[_p(n, "note") for n in v.notes],
        Spacer(1, 4),
        chart,
        _p(v.t("disruptions"), "h2"),
        _p(v.disruptions_note, "note"),
        *[_p(d, "body") for d in v.disruptions],
        _p(v.sectors_title, "h2"),
        _table(v.sectors_head, v.sectors_rows, [0.56, 0.2, 0.24], range(1, 3))
        if v.sectors_rows
        else _p(v.t("no_sectors"), "body"),
        *[_p(n, "note") for n in v.sectors_notes],
        PageBreak(),
        *(
            [_p(v.earlier_title, "h2"), *[_p(d, "body") for d in v.earlier_disruptions]]
            if v.earlier_disruptions
            else []
        ),
        *(
            [
                _p(v.scorecard_title, "h2"),
                _table(
                    v.scorecard_head, v.scorecard_rows, [0.15, 0.25, 0.15, 0.13, 0.1, 0.1, 0.12], range(3, 6)
                ),
            ]
            if v.scorecard_rows
            else []
        ),
        _p(v.t("waits"), "h2"),
        *[_p(w, "body") for w in v.waits],
        _p(v.t("revisions"), "h2"),
        *[_p(r, "body") for r in v.revisions],
        _p(v.t("sources"), "h2"),
        *[_p(s, "note") for s in v.sources],
    ]
    doc.build(story, canvasmaker=_numbered(v))
    return out.getvalue()
