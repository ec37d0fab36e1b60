"""The corpus's documents as a paged list: what there is to search, and the ids to filter by."""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine.model import Document
from bot.rendering import limits
from bot.rendering.locators import document_facts
from bot.rendering.pages import Page, Pages, embed, with_page_numbers
from bot.rendering.text import escape_cut

PER_PAGE = 10


def document_line(doc: Document) -> str:
    """`**Title**`, then `authors · date · site · PDF, 24 pages · English · 1,234 words ·
    15 passages · `id``, then the URL when there is one."""
    facts = [escape_cut(f, 120) for f in document_facts(doc)]
    facts += [f"{doc.words:,} words", f"{doc.passage_count} passages", f"`{doc.doc_id}`"]
    lines = [f"**{escape_cut(doc.title, 200)}**", " · ".join(facts)]
    if doc.url:
        lines.append(escape_cut(doc.url, 200))
    return "\n".join(lines)


def render_documents(
    documents: Sequence[Document], *, version: str, per_page: int = PER_PAGE
) -> Pages:
    """Every document with its facts, at most `per_page` to a page, and fewer when long titles,
    author lists and URLs would overflow the page (a cut page would silently drop documents)."""
    words = sum(d.words for d in documents)
    passages = sum(d.passage_count for d in documents)
    footer = (
        f"corpus {version} · {len(documents)} documents · {passages:,} passages · {words:,} words"
    )
    title = "Documents in the corpus"
    chunks: list[list[str]] = [[]]
    size = 0
    for doc in documents:
        line = document_line(doc)
        full = len(chunks[-1]) >= per_page
        if chunks[-1] and (full or size + limits.width(line) + 2 > limits.EMBED_DESCRIPTION):
            chunks.append([])
            size = 0
        chunks[-1].append(line)
        size += limits.width(line) + 2
    pages = []
    for lines in chunks:
        description = "\n\n".join(lines) or "The corpus holds no documents."
        pages.append(Page(embeds=(embed(title=title, description=description, footer=footer),)))
    return Pages(with_page_numbers(pages, footer))
