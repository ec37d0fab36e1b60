"""Documents made in the tests, with known text on known pages: PDFs (fpdf2), Word (python-docx).

Not a conftest: test modules import these builders and say exactly what they put in each file.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF

FIXTURES = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures"
LINE_MM = 6.0
PARAGRAPH_GAP_MM = 4.0


@dataclass
class PdfPage:
    """One page: paragraphs (a paragraph is a list of lines, or a string fpdf2 wraps), an
    optional bookmark (level, title) and an optional page label (style, start)."""

    paragraphs: Sequence[str | Sequence[str]] = ()
    bookmark: tuple[int, str] | None = None
    label: tuple[str, int] | None = None


@dataclass
class PdfSpec:
    pages: Sequence[PdfPage]
    title: str | None = None
    author: str | None = None
    created: dt.datetime | None = None
    header: str | None = None  # a running header on every page
    page_numbers: bool = False  # a bare page number at the foot of every page
    user_password: str | None = None
    extra: list[str] = field(default_factory=list)


def make_pdf(spec: PdfSpec) -> bytes:
    """A PDF whose pages hold exactly the paragraphs of `spec`, in order."""

    class Pdf(FPDF):
        def header(self) -> None:
            if spec.header:
                self.set_font("helvetica", "I", 9)
                self.cell(0, 8, spec.header, align="C")
                self.ln(12)
                self.set_font("helvetica", size=11)

        def footer(self) -> None:
            if spec.page_numbers:
                self.set_y(-15)
                self.set_font("helvetica", size=9)
                self.cell(0, 8, str(self.page_no()), align="C")
                self.set_font("helvetica", size=11)

    pdf = Pdf()
    pdf.set_auto_page_break(False)
    pdf.set_font("helvetica", size=11)
    if spec.title:
        pdf.set_title(spec.title)
    if spec.author:
        pdf.set_author(spec.author)
    pdf.set_creation_date(spec.created or dt.datetime(2021, 3, 15, tzinfo=dt.UTC))
    for page in spec.pages:
        pdf.add_page()
        if page.label:
            pdf.set_page_label(page.label[0], label_start=page.label[1])
        if page.bookmark:
            pdf.start_section(page.bookmark[1], level=page.bookmark[0])
        for paragraph in page.paragraphs:
            text = paragraph if isinstance(paragraph, str) else "\n".join(paragraph)
            pdf.multi_cell(0, LINE_MM, text, align="L")
            pdf.ln(PARAGRAPH_GAP_MM)
    if spec.user_password:
        pdf.set_encryption(owner_password="owner-secret", user_password=spec.user_password)
    return bytes(pdf.output())


def make_positioned_pdf(pieces: Sequence[tuple[float, float, float, str]]) -> bytes:
    """One page with text boxes (x mm, y mm, width mm, text) drawn in the order given, to show
    the reader orders by position, not by drawing order."""
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for x, y, width, text in pieces:
        pdf.set_xy(x, y)
        pdf.multi_cell(width, LINE_MM, text, align="L")
    return bytes(pdf.output())


def make_blank_pdf(pages: int = 2) -> bytes:
    """A PDF of drawings only, like a scan without a text layer."""
    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.rect(20, 20, 150, 200, style="F")
    return bytes(pdf.output())


@dataclass
class DocxItem:
    """One body item of a Word document: a paragraph with a style, or a table of rows."""

    text: str = ""
    style: str | None = None
    rows: Sequence[Sequence[str]] | None = None


def make_docx(
    items: Sequence[DocxItem],
    title: str | None = None,
    author: str | None = None,
    created: dt.datetime | None = None,
) -> bytes:
    """A .docx with `items` in body order and the given core properties."""
    import docx

    document = docx.Document()
    for item in items:
        if item.rows is not None:
            table = document.add_table(rows=len(item.rows), cols=len(item.rows[0]))
            for r, row in enumerate(item.rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
        else:
            document.add_paragraph(item.text, style=item.style)
    props = document.core_properties
    props.title = title or ""
    props.author = author or ""
    if created:
        props.created = created
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
