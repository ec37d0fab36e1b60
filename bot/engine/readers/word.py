"""DOCX with python-docx: paragraphs and tables in body order, headings from styles.

Why styles and not guessing: a Word author marks headings with `Heading n` / `Title`, so sections
are known, not inferred. A table row becomes one line with its cells joined, so a table reads as a
passage of rows. The size check comes first: a .docx is a zip, and a small zip can unpack to
gigabytes before python-docx has read a word of it.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from bot.engine.readers.base import (
    Block,
    Metadata,
    ReadError,
    Reading,
    ReadOptions,
    iso_date,
    split_authors,
)

log = logging.getLogger(__name__)

FORMATS = ("docx",)
EXTENSIONS = {".docx": "docx"}
CELL_SEPARATOR = " | "
HEADING_STYLE_RE = re.compile(r"^heading\s*(\d)$")
MAX_STYLE_DEPTH = 8  # how far up `based on` a style is followed to find a heading style


def read(raw: bytes, format: str, options: ReadOptions) -> Reading:
    """A Word document's body as blocks; raise `ReadError` for one that cannot be read safely."""
    check_unpacked_size(raw, options.max_unpacked_bytes)
    import docx

    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as exc:  # python-docx raises many kinds for a damaged package
        log.debug("python-docx failed", exc_info=True)
        raise ReadError(f"a damaged Word document ({type(exc).__name__}: {exc})") from None
    blocks = list(body_blocks(document))
    if not blocks:
        raise ReadError("the Word document has no text")
    metadata = _metadata(document.core_properties)
    shown = next((b.text for b in blocks if b.kind == "heading" and b.level == 0), None)
    if shown:  # the title the reader sees beats a core property left over from a template
        metadata = replace(metadata, title=shown)
    blocks = [replace(b, level=1) if b.kind == "heading" and b.level == 0 else b for b in blocks]
    return Reading(format="docx", metadata=metadata, blocks=tuple(blocks), guess_headings=False)


def check_unpacked_size(raw: bytes, limit: int) -> None:
    """Refuse a zip whose members would unpack to more than `limit` bytes (a zip bomb).

    The sizes come from the zip's directory; zipfile never unpacks more than a member declares.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError(f"a damaged Word document (the zip cannot be read: {exc})") from None
    if total > limit:
        raise ReadError(
            f"it would unpack to {total / 1e6:,.0f} MB, over the {limit / 1e6:,.0f} MB limit "
            "(a zip bomb?)"
        )


def body_blocks(document: Any) -> Iterator[Block]:
    """Paragraphs and table rows in the order they stand in the body."""
    from docx.table import Table

    for item in document.iter_inner_content():
        if isinstance(item, Table):
            yield from _table_rows(item)
            continue
        text = " ".join(item.text.split())
        if not text:
            continue
        level = _heading_level(item)
        if level is not None:  # 0: the Title style
            yield Block(text, kind="heading", level=level)
        elif _is_list_item(item):
            yield Block(text, kind="list_item")
        else:
            yield Block(text)


def _table_rows(table: Any) -> Iterator[Block]:
    try:
        rows = list(table.rows)
    except Exception:  # a malformed table grid: its text is lost, the rest is not
        log.debug("unreadable table", exc_info=True)
        return
    for row in rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is listed once per grid column it spans
                continue
            seen.add(id(cell._tc))
            text = " ".join(" ".join(p.text for p in cell.paragraphs).split())
            if text:
                cells.append(text)
        if cells:
            yield Block(CELL_SEPARATOR.join(cells), kind="table_row")


def _heading_level(paragraph: Any) -> int | None:
    """n for `Heading n` (or a style based on one), 0 for `Title`, else None."""
    try:
        style = paragraph.style
    except Exception:
        return None
    for _ in range(MAX_STYLE_DEPTH):
        if style is None:
            return None
        name = (style.name or "").strip().lower()
        if name == "title":
            return 0
        m = HEADING_STYLE_RE.match(name)
        if m:
            return max(1, int(m.group(1)))
        style = style.base_style
    return None


def _is_list_item(paragraph: Any) -> bool:
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None:
        return True
    try:
        name = (paragraph.style.name or "").lower()
    except Exception:
        return False
    return name.startswith("list")


def _metadata(props: Any) -> Metadata:
    created = props.created
    return Metadata(
        title=" ".join((props.title or "").split()) or None,
        authors=split_authors(props.author),
        date=iso_date(created.isoformat()) if created is not None else None,
        language=(props.language or "").strip() or None,
    )
