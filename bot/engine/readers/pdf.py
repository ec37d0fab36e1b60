"""PDF with pypdfium2 (PDFium): each page's text in reading order, paragraphs, page labels, outline.

Why this much work after PDFium: it gives the characters of a page with their boxes, mostly in the
order they were drawn, which is not always the order they are read (a footnote drawn first, two
columns). A reviewer checks a quote on its page, so we order lines by where they stand, drop what
repeats on every page (running headers, footers, page numbers), and rebuild paragraphs from the
lines' geometry — a PDF has no paragraphs, only lines.
"""

from __future__ import annotations

import logging
import math
import re
import statistics
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from bot.engine.readers.base import (
    TERMINAL,
    Block,
    Metadata,
    ReadError,
    Reading,
    ReadOptions,
    iso_date,
    join_wrapped,
    split_authors,
)

log = logging.getLogger(__name__)

FORMATS = ("pdf",)
EXTENSIONS = {".pdf": "pdf"}
NO_TEXT = "no text layer — scanned? OCR is not supported"
# PDFium is not thread-safe: one document at a time, whichever thread loads the corpus.
PDFIUM_LOCK = threading.Lock()
# PDFium's mark for a hyphen it found at a line end (it also drops the line break there).
PDFIUM_HYPHEN = "\ufffe"

MIN_GUTTER = 12.0  # points: a vertical gap at least this wide may separate two columns
EDGE_ROWS = 3  # rows at the top and the bottom of a page where running headers may stand
REPEAT_SHARE = 0.4  # a top/bottom line on at least this share of pages is a running header
PAGE_NUMBER_RE = re.compile(
    r"^(?:page\s+)?(?:\d{1,5}|[ivxlcdm]{1,8})(?:\s*(?:of|/)\s*\d{1,5})?$|^[-–—]\s*\d{1,5}\s*[-–—]$",
    re.I,
)
DIGITS_RE = re.compile(r"\d+")
BULLET_START = ("•", "◦", "▪", "‣", "●", "○", "■", "□", "–", "- ")
JUNK_TITLE_RE = re.compile(
    r"^(?:untitled|microsoft word - .*|.*\.(?:docx?|pdf|rtf|tex|odt))$", re.I
)


@dataclass(slots=True)
class Segment:
    """A run of text PDFium gives as one line, with its box (PDF points, y grows upwards)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    column: int = 0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True, slots=True)
class Column:
    left: float
    right: float


def read(raw: bytes, format: str, options: ReadOptions) -> Reading:
    """Read a PDF's pages into blocks; raise `ReadError` for one that cannot be read."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        try:
            pdf = pdfium.PdfDocument(raw)
        except pdfium.PdfiumError as exc:
            raise ReadError(_open_error(str(exc))) from None
        try:
            return _read_document(pdf)
        finally:
            pdf.close()


def _open_error(detail: str) -> str:
    if "password" in detail.lower():
        return "the PDF is encrypted (password-protected); save an unprotected copy"
    return f"a damaged or truncated PDF ({detail.strip().rstrip('.')})"


def _read_document(pdf: object) -> Reading:
    import pypdfium2 as pdfium

    assert isinstance(pdf, pdfium.PdfDocument)
    n_pages = len(pdf)
    if n_pages == 0:
        raise ReadError("a PDF with no pages")
    pages: list[list[Segment]] = []
    columns: list[dict[int, Column]] = []
    warnings: list[str] = []
    for index in range(n_pages):
        try:
            segments, cols = _page_lines(pdf, index)
        except pdfium.PdfiumError as exc:
            warnings.append(f"page {index + 1} could not be read (PDFium: {exc}); left out")
            segments, cols = [], {}
        pages.append(segments)
        columns.append(cols)
    if not any(pages):
        raise ReadError(NO_TEXT)
    pages = remove_running_lines(pages)
    labels = tuple(_page_label(pdf, i) for i in range(n_pages))
    blocks = _paragraphs(pages, columns)
    outline = _outline(pdf, n_pages)
    if outline:
        blocks = apply_outline(blocks, outline)
    meta = pdf.get_metadata_dict(skip_empty=True)
    title = " ".join(meta.get("Title", "").split())
    metadata = Metadata(
        title=None if not title or JUNK_TITLE_RE.match(title) else title,
        authors=split_authors(meta.get("Author")),
        date=_pdf_date(meta.get("CreationDate")),
    )
    return Reading(
        format="pdf",
        metadata=metadata,
        blocks=tuple(blocks),
        page_labels=labels,
        guess_headings=not outline,
        warnings=tuple(warnings),
    )


def _page_label(pdf: object, index: int) -> str:
    try:
        label = pdf.get_page_label(index)  # type: ignore[attr-defined]
    except Exception:  # a malformed /PageLabels tree: fall back to the number
        label = ""
    return label.strip() or str(index + 1)


def _page_lines(pdf: object, index: int) -> tuple[list[Segment], dict[int, Column]]:
    """The page's lines in reading order, and the columns they stand in."""
    page = pdf[index]  # type: ignore[index]
    textpage = page.get_textpage()
    try:
        segments = _segments(textpage)
    finally:
        textpage.close()
        page.close()
    return reading_order(segments)


def _segments(textpage: object) -> list[Segment]:
    """PDFium's lines of one page with the boxes of their first and last characters."""
    count = textpage.count_chars()  # type: ignore[attr-defined]
    if count <= 0:
        return []
    text: str = textpage.get_text_range(0, count)  # type: ignore[attr-defined]
    aligned = len(text) == count  # one character per PDFium index (no surrogate pairs)
    out: list[Segment] = []
    for order, m in enumerate(re.finditer(r"[^\r\n]+", text)):
        body = m.group()
        stripped = body.strip()
        if not stripped:
            continue
        if aligned:
            first = m.start() + (len(body) - len(body.lstrip()))
            last = m.start() + len(body.rstrip()) - 1
            l1, b1, r1, t1 = textpage.get_charbox(first)  # type: ignore[attr-defined]
            l2, b2, r2, t2 = textpage.get_charbox(last)  # type: ignore[attr-defined]
            box = (min(l1, l2), min(b1, b2), max(r1, r2), max(t1, t2))
        else:  # no geometry: keep PDFium's order, one line under the other
            box = (0.0, -order * 10.0 - 8.0, 100.0, -order * 10.0)
        out.append(Segment(_unhyphenate(stripped), *box))
    return out


def _unhyphenate(text: str) -> str:
    """Undo PDFium's line-end hyphen mark: re-join the word, or keep a real hyphen."""
    if PDFIUM_HYPHEN not in text:
        return text
    parts = text.split(PDFIUM_HYPHEN)
    out = parts[0]
    for part in parts[1:]:
        out = join_wrapped(out + "-", part) if part else out + "-"
    return out


def reading_order(segments: list[Segment]) -> tuple[list[Segment], dict[int, Column]]:
    """Segments ordered as a person reads the page, by recursive X–Y cuts.

    A region is cut at its widest empty band: across the page between blocks of text, or down the
    page between columns when that gutter is wider than any horizontal gap (so a title spanning
    both columns is cut off first, then the columns are read one after the other). What cannot be
    cut any more is one row or a few overlapping ones, read top to bottom, left to right.
    """
    if not segments:
        return [], {}
    columns: dict[int, Column] = {}
    out: list[Segment] = []
    stack: list[tuple[list[Segment], int]] = [(segments, 0)]
    columns[0] = _column_of(segments)
    next_column = 1
    while stack:
        region, column = stack.pop()
        h_gap, h_at = _widest_gap([(-s.y1, -s.y0) for s in region])
        v_gap, v_at = _widest_gap([(s.x0, s.x1) for s in region])
        if v_gap >= MIN_GUTTER and v_gap > h_gap:
            left = [s for s in region if s.x1 <= v_at]
            right = [s for s in region if s.x1 > v_at]
            parts = []
            for part in (left, right):
                columns[next_column] = _column_of(part)
                parts.append((part, next_column))
                next_column += 1
            stack.extend(reversed(parts))
        elif h_gap > 0:
            top = [s for s in region if -s.y0 <= h_at]
            bottom = [s for s in region if -s.y0 > h_at]
            stack.extend([(bottom, column), (top, column)])
        else:
            for row in _rows(region):
                out.append(_merge_row(row, column))
    return out, columns


def _widest_gap(spans: list[tuple[float, float]]) -> tuple[float, float]:
    """The widest empty stretch between the spans' union, and where it ends (0, 0 when none)."""
    spans.sort()
    best, at = 0.0, 0.0
    reach = spans[0][1]
    for lo, hi in spans[1:]:
        if lo - reach > best:
            best, at = lo - reach, lo
        reach = max(reach, hi)
    return best, at


def _column_of(segments: Sequence[Segment]) -> Column:
    return Column(min(s.x0 for s in segments), max(s.x1 for s in segments))


def _rows(region: list[Segment]) -> Iterator[list[Segment]]:
    """Segments that overlap vertically form a row (a superscript, a footer's three parts)."""
    region.sort(key=lambda s: -s.y1)
    row: list[Segment] = []
    low = math.inf
    for s in region:
        if row and s.y1 <= low:
            yield sorted(row, key=lambda r: r.x0)
            row = []
        row.append(s)
        low = min(low, s.y0) if len(row) > 1 else s.y0
    if row:
        yield sorted(row, key=lambda r: r.x0)


def _merge_row(row: list[Segment], column: int) -> Segment:
    text = " ".join(s.text for s in row)
    x0, y0 = min(s.x0 for s in row), min(s.y0 for s in row)
    x1, y1 = max(s.x1 for s in row), max(s.y1 for s in row)
    return Segment(text, x0, y0, x1, y1, column)


def remove_running_lines(pages: list[list[Segment]]) -> list[list[Segment]]:
    """Drop running headers and footers: lines at a page's top or bottom that repeat across
    pages (digits aside, so "Page 3" repeats "Page 2"), and bare page numbers there."""
    threshold = max(2, math.ceil(REPEAT_SHARE * len(pages)))
    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update({_running_key(s.text) for s in _edges(lines)})
    out = []
    for lines in pages:
        edge_ids = {id(s) for s in _edges(lines)}
        out.append(
            [
                s
                for s in lines
                if id(s) not in edge_ids
                or not (PAGE_NUMBER_RE.match(s.text) or seen[_running_key(s.text)] >= threshold)
            ]
        )
    return out


def _edges(lines: list[Segment]) -> list[Segment]:
    """The lines standing highest and lowest on the page, where running lines are."""
    by_height = sorted(lines, key=lambda s: -s.y1)
    return by_height[:EDGE_ROWS] + by_height[EDGE_ROWS:][-EDGE_ROWS:]


def _running_key(text: str) -> str:
    return DIGITS_RE.sub("#", " ".join(text.casefold().split()))


def _paragraphs(pages: list[list[Segment]], columns: list[dict[int, Column]]) -> list[Block]:
    """Lines into paragraph blocks: a new paragraph where the geometry or the text says so."""
    blocks: list[Block] = []
    for index, lines in enumerate(pages):
        if not lines:
            continue
        first = len(blocks)
        spacing = _spacing(lines)
        current, block_lines = lines[0].text, 1
        for prev, line in pairwise(lines):
            if _breaks(prev, line, columns[index], spacing, block_lines):
                blocks.append(Block(current, page=index))
                current, block_lines = line.text, 1
            else:
                current, block_lines = join_wrapped(current, line.text), block_lines + 1
        blocks.append(Block(current, page=index))
        if first and _runs_on(blocks[first - 1].text, blocks[first].text):
            blocks[first] = replace(blocks[first], continues=True)
    return [_as_list_item(b) for b in blocks]


@dataclass(frozen=True, slots=True)
class Spacing:
    """A page's vertical spacing: the usual gap between the lines of a paragraph, and the gap
    above which two lines belong to different paragraphs."""

    typical: float
    limit: float


def _spacing(lines: list[Segment]) -> Spacing:
    gaps = [a.y0 - b.y1 for a, b in pairwise(lines) if a.column == b.column and a.y0 - b.y1 >= 0]
    heights = [s.height for s in lines if s.height > 0]
    height = statistics.median(heights) if heights else 10.0
    # The lower quartile: the gap inside paragraphs even on a page of many one-line paragraphs.
    typical = sorted(gaps)[len(gaps) // 4] if gaps else height * 0.3
    return Spacing(typical, typical + 0.5 * height)


def _breaks(
    prev: Segment, line: Segment, columns: dict[int, Column], spacing: Spacing, block_lines: int
) -> bool:
    """Whether `line` starts a new paragraph after `prev` (the last of `block_lines` lines of the
    paragraph so far) on the same page."""
    if line.column != prev.column or line.y1 > prev.y0 + prev.height * 0.5:
        return not _runs_on(prev.text, line.text)  # another column or region of the page
    gap = prev.y0 - line.y1
    if gap > spacing.limit:
        return True
    column = columns.get(line.column) or Column(prev.x0, prev.x1)
    width = max(column.right - column.left, 1.0)
    tolerance = max(3.0, 0.02 * width)
    if line.text.startswith(BULLET_START):
        return True
    short_before = column.right - 0.15 * width
    short = prev.x1 < short_before
    if short and (prev.text.endswith(TERMINAL) or not line.text[:1].islower()):
        wrapped_heading = (
            block_lines <= 2
            and _heading_like(prev, short_before)
            and _heading_like(line, short_before)
            and gap <= spacing.typical + 0.25 * prev.height
            and abs(prev.height - line.height) <= 0.2 * prev.height
        )
        return not wrapped_heading  # a heading set on two lines stays one heading
    if prev.text.endswith(TERMINAL) and _heading_like(line, column.right - 0.15 * width):
        return True  # a heading after a paragraph set without space above it
    if block_lines > 1 and line.x0 < prev.x0 - tolerance:
        return True  # a hanging indent ends: the next list item, or the text after the list
    # A first-line indent starts a paragraph only after a line that ends one: an indented line
    # after an unfinished one goes on with it (the second line of a long heading).
    at_margin = abs(prev.x0 - column.left) <= tolerance
    indented = line.x0 > prev.x0 + tolerance
    return at_margin and indented and prev.text.endswith(TERMINAL) and not line.text[:1].islower()


def _heading_like(line: Segment, short_before: float) -> bool:
    text = line.text
    return line.x1 < short_before and text[:1].isupper() and not text.endswith((*TERMINAL, ","))


def _runs_on(previous: str, following: str) -> bool:
    """Whether text broken at a page or column end goes on in the next piece."""
    if not previous or not following:
        return False
    if previous.endswith("-") and following[:1].islower():
        return True
    return not previous.endswith(TERMINAL) and following[:1].islower()


def _as_list_item(block: Block) -> Block:
    if not block.continues and block.text.startswith(BULLET_START):
        return replace(block, kind="list_item")
    return block


@dataclass(frozen=True, slots=True)
class Bookmark:
    level: int  # 1 = top
    title: str
    page: int


def _outline(pdf: object, n_pages: int) -> list[Bookmark]:
    """The PDF's bookmarks that point at a page, in order; [] when there are none."""
    out = []
    try:
        for item in pdf.get_toc(max_depth=6):  # type: ignore[attr-defined]
            dest = item.get_dest()
            index = dest.get_index() if dest is not None else None
            title = " ".join((item.get_title() or "").split())
            if title and index is not None and 0 <= index < n_pages:
                out.append(Bookmark(item.level + 1, title, index))
    except Exception as exc:  # a broken outline only costs the sections
        log.info("PDF outline unreadable: %s", exc)
        return []
    return out


def apply_outline(blocks: list[Block], outline: list[Bookmark]) -> list[Block]:
    """Mark each bookmark's heading on its page (splitting it off a paragraph it opens), or
    insert it at the top of the page when the page does not show its words."""
    out = list(blocks)
    for mark in outline:
        key = _fold(mark.title)
        on_page = [i for i, b in enumerate(out) if b.page == mark.page and b.kind != "heading"]
        found = next((i for i in on_page if _fold(out[i].text).startswith(key)), None)
        heading = Block(mark.title, kind="heading", level=mark.level, page=mark.page)
        if found is None:
            at = on_page[0] if on_page else _insertion_point(out, mark.page)
            if on_page and out[at].continues:
                at += 1
            out.insert(at, heading)
            continue
        block = out[found]
        rest = _after_prefix(block.text, mark.title)
        if rest:
            out[found : found + 1] = [heading, replace(block, text=rest, continues=False)]
        else:
            out[found] = replace(heading, text=block.text)
    return out


def _insertion_point(blocks: list[Block], page: int) -> int:
    return next((i for i, b in enumerate(blocks) if (b.page or 0) > page), len(blocks))


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _after_prefix(text: str, prefix: str) -> str:
    """What follows `prefix` at the start of `text` (whitespace and case aside)."""
    words, need = text.split(), len(prefix.split())
    return " ".join(words[need:])


def _pdf_date(value: str | None) -> str | None:
    """A PDF date ("D:20011017180926-03'00'") as an ISO date; None for none or year 0000."""
    if not value:
        return None
    m = re.match(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?", value.strip())
    if not m:
        return None
    parts = [p for p in m.groups() if p]
    return iso_date("-".join(parts))
