"""One passage with its neighbours ("more context"), the passage itself marked out.

Why neighbours are cut toward the passage: the words just before and after a quote are the ones
that change its meaning, so the passage before keeps its end and the passage after its start.
"""

from __future__ import annotations

from bot.engine.model import Document, Passage, PassageContext
from bot.rendering import limits
from bot.rendering.locators import authors_text, line_label, page_label
from bot.rendering.pages import Page, Pages, PassageChoice, embed
from bot.rendering.search import SEPARATOR, source_line
from bot.rendering.text import escape, escape_cut, plain, quote

MAIN_SHARE = 0.5  # of the description, at most, for the passage itself


def render_passage(
    context: PassageContext, *, version: str, document: Document | None = None
) -> Pages:
    """The passage (labelled "this passage") between its neighbours, in document order; under
    its source line, who wrote the document and when, and where it was published."""
    main = context.passage
    head = source_line(context.source)
    byline = _byline(document) if document else ""
    if byline:
        head += "\n" + byline
    budget = limits.EMBED_DESCRIPTION - limits.width(head) - 200
    neighbours = len(context.before) + len(context.after)
    main_label = f"**¶{main.ordinal} · this passage**"
    main_quote = quote(main.text, limit=int(budget * MAIN_SHARE) if neighbours else budget)
    rest = budget - limits.width(main_quote) - limits.width(main_label)
    each = rest // max(1, neighbours) - 40
    blocks = [head]
    blocks += [_neighbour(p, main, each, keep="end") for p in context.before]
    blocks.append(f"{main_label}\n{main_quote}")
    blocks += [_neighbour(p, main, each, keep="start") for p in context.after]
    count = f"{neighbours} neighbour{'s' if neighbours != 1 else ''}"
    footer = f"corpus {version} · passage {main.id} · {count}"
    title = escape_cut(context.source.title, limits.EMBED_TITLE)
    page = Page(
        embeds=(embed(title=title, description=SEPARATOR.join(blocks), footer=footer),),
        passages=(PassageChoice(main.id, plain(f"{context.source.title} · ¶{main.ordinal}", 100)),),
    )
    return Pages((page,), actions=("related",))


def _byline(doc: Document) -> str:
    """`Authors · date · <url>` (those known), escaped; empty when none is."""
    facts = [escape_cut(f, 200) for f in (authors_text(doc.authors), doc.date) if f]
    if doc.url:
        facts.append(escape_cut(doc.url, 300))  # a URL stays whole: Discord links it
    return " · ".join(facts)


def _neighbour(p: Passage, main: Passage, limit: int, keep: str) -> str:
    label = f"¶{p.ordinal}"
    page = page_label(p.page, p.page_end)
    if page and page != page_label(main.page, main.page_end):
        label += f" · {escape(page)}"
    if lines := line_label(p.line_start, p.line_end):
        label += f" · {lines}"
    if p.section and p.section != main.section:
        label += " · " + escape_cut(p.section, 120)
    return f"{label}\n{quote(p.text, limit=max(40, limit - limits.width(label)), keep=keep)}"
