"""HTML with trafilatura: the page's main text only, with its headings, lists and tables.

Why trafilatura: telling an article from its menus, cookie banners, share buttons, "related
articles" and comments is its whole job, and it does it better than any rule we would write. It
also reads the page's metadata (title, author, date, site, canonical URL) and, given the bytes,
detects the charset itself.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
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

FORMATS = ("html",)
EXTENSIONS = {".html": "html", ".htm": "html", ".xhtml": "html"}
NO_MAIN_TEXT = "no main text found in the page (only menus, links or scripts?)"
CELL_SEPARATOR = " | "
NESTED_BLOCKS = frozenset({"p", "head", "list", "item", "quote", "code", "table", "row", "cell"})
# MediaWiki's section links, saved with the page after each heading.
EDIT_LINK_RE = re.compile(r"\s*\[edit\]$", re.I)


def read(raw: bytes, format: str, options: ReadOptions) -> Reading:
    """The main text of an HTML page as blocks; raise `ReadError` when there is none."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            raw,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            with_metadata=True,
        )
    except Exception as exc:  # trafilatura gives up on some malformed trees
        log.debug("trafilatura failed", exc_info=True)
        raise ReadError(f"the page could not be parsed ({type(exc).__name__})") from None
    body = getattr(doc, "body", None) if doc is not None else None
    blocks = list(body_blocks(body)) if body is not None else []
    if not any(b.kind != "heading" for b in blocks):
        raise ReadError(NO_MAIN_TEXT)
    metadata = Metadata(
        title=_clean(getattr(doc, "title", None)),
        authors=split_authors(getattr(doc, "author", None)),
        date=iso_date(getattr(doc, "date", None)),
        url=_clean(getattr(doc, "url", None)),
        site=_clean(getattr(doc, "sitename", None)),
        language=_clean(getattr(doc, "language", None)),
    )
    return Reading(format="html", metadata=metadata, blocks=tuple(blocks), guess_headings=False)


def body_blocks(body: Any) -> Iterator[Block]:
    """Blocks of trafilatura's XML body (head, p, list/item, table/row/cell, quote, code)."""
    for el in body:
        yield from _element_blocks(el)


def _element_blocks(el: Any) -> Iterator[Block]:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "head":
        text = EDIT_LINK_RE.sub("", _text(el))
        if text:
            yield Block(text, kind="heading", level=_heading_level(el.get("rend")))
    elif tag == "list":
        yield from _list_items(el)
    elif tag == "table":
        for row in el.iter("row"):
            cells = [_text(cell) for cell in row.findall("cell")]
            line = CELL_SEPARATOR.join(c for c in cells if c)
            if line:
                yield Block(line, kind="table_row")
    elif tag in ("p", "code") or not len(el):
        text = _text(el)
        if text:
            yield Block(text)
    else:  # quote, div and the like: their own text, then their children
        own = " ".join((el.text or "").split())
        if own:
            yield Block(own)
        for child in el:
            yield from _element_blocks(child)
            tail = " ".join((child.tail or "").split())
            if tail:
                yield Block(tail)


def _list_items(el: Any) -> Iterator[Block]:
    for item in el.findall("item"):
        nested = item.findall("list")
        for sub in nested:
            item.remove(sub)
        text = _text(item)
        if text:
            yield Block(text, kind="list_item")
        for sub in nested:
            yield from _list_items(sub)


def _text(el: Any) -> str:
    """An element's text with line breaks (`lb`) as spaces and whitespace collapsed."""
    parts: list[str] = []
    _collect(el, parts)
    return " ".join("".join(parts).split())


def _collect(node: Any, parts: list[str]) -> None:
    """Text and tails in document order; a line break or a nested block is a word boundary."""
    if node.tag == "lb":
        parts.append(" ")
    parts.append(node.text or "")
    for child in node:
        boundary = " " if child.tag in NESTED_BLOCKS else ""
        parts.append(boundary)
        _collect(child, parts)
        parts.append(boundary + (child.tail or ""))


def _heading_level(rend: str | None) -> int:
    if rend and len(rend) == 2 and rend[0] == "h" and rend[1].isdigit():
        return max(1, int(rend[1]))
    return 2


def _clean(value: str | None) -> str | None:
    text = " ".join(value.split()) if value else ""
    return text or None
