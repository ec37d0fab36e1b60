"""Search results as pages of quoted passages, matched words in bold, each with its source.

Why quote whole passages when they fit: readers cite the source's exact words, so the quote is the
product; the engine's snippet (its best sentences) is the fallback when a page has no room.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine.model import Hit, SearchResult, Source
from bot.rendering import limits
from bot.rendering.locators import locator_parts
from bot.rendering.pages import Page, Pages, PassageChoice, embed, with_page_numbers
from bot.rendering.text import escape, escape_cut, plain, quote

SEPARATOR = "\n\n"
SOURCE_LINE_BUDGET = 300


def source_line(source: Source, *, limit: int = SOURCE_LINE_BUDGET) -> str:
    """`Title · Section · p. 12 · ¶7 · `id`` — what a reader needs to find the quote again."""
    pid = source.passage_id
    id_part = f"`{pid}`" if "`" not in pid else escape(pid)
    where = "".join(f" · {escape(part)}" for part in locator_parts(source))
    tail = f"{where} · ¶{source.ordinal} · {id_part}"
    room = max(20, limit - limits.width(tail))
    parts = [source.title] + ([source.section] if source.section else [])
    if len(parts) == 2:
        title = escape_cut(parts[0], room // 2)
        section = escape_cut(parts[1], room - limits.width(title) - 3)
        return f"{title} · {section}{tail}"
    return f"{escape_cut(parts[0], room)}{tail}"


def hit_block(hit: Hit, limit: int, *, number: int | None = None) -> str:
    """One hit: a bold rank with its source line, then the passage as a block quote."""
    head = f"**{number if number is not None else hit.rank}.** {source_line(hit.source)}"
    room = limit - limits.width(head) - 1
    text, spans = hit.passage.text, hit.highlights
    full = quote(text, spans, limit=10**9)
    if limits.width(full) <= room:
        return f"{head}\n{full}"
    snip = hit.snippet
    if snip.text:
        lead = snip.start > 0
        trail = snip.start + len(snip.text) < len(text)
        return f"{head}\n{quote(snip.text, snip.highlights, limit=room, lead=lead, trail=trail)}"
    return f"{head}\n{quote(text, spans, limit=room)}"


def hit_choice(hit: Hit, number: int | None = None) -> PassageChoice:
    """The label a "More context" / "Related" control shows for a hit."""
    n = number if number is not None else hit.rank
    label = plain(f"{n} · {hit.source.title}", limits.SELECT_OPTION_TEXT - 8)
    return PassageChoice(hit.passage.id, f"{label} · ¶{hit.source.ordinal}", n)


def hit_pages(
    hits: Sequence[Hit],
    *,
    title: str,
    header: str,
    footer: str,
    per_page: int,
    empty: str = "Nothing to show.",
) -> Pages:
    """Hits split into pages of `per_page`, each one embed within Discord's limits."""
    per_page = max(1, per_page)
    pages: list[Page] = []
    for first in range(0, max(1, len(hits)), per_page):
        chunk = hits[first : first + per_page]
        budget = limits.EMBED_DESCRIPTION - limits.width(header) - len(SEPARATOR) * (len(chunk) + 1)
        each = budget // max(1, len(chunk))
        blocks = [header] if header else []
        blocks += [hit_block(h, each) for h in chunk]
        if not chunk:
            blocks.append(empty)
        description = SEPARATOR.join(blocks)
        pages.append(
            Page(
                embeds=(embed(title=title, description=description, footer=footer),),
                passages=tuple(hit_choice(h) for h in chunk),
            )
        )
    return Pages(with_page_numbers(pages, footer))


def render_search(
    result: SearchResult,
    *,
    version: str,
    per_page: int,
    document_title: str | None = None,
    note: str | None = None,
) -> Pages:
    """A search answer: the engine's message (if any), then the ranked quotes, paged.

    `note` is the front end's own word (e.g. that it shows fewer results than asked).
    """
    title = "Search: " + escape_cut(result.query, limits.EMBED_TITLE - 8)
    lines = []
    if document_title:
        lines.append("Only in " + escape_cut(document_title, 200))
    if result.message:
        lines.append(escape_cut(result.message, 380))
    if note:
        lines.append(escape_cut(note, 200))
    header = "\n".join(lines)
    shown = len(result.hits)
    count = f"{result.total} matching passage{'s' if result.total != 1 else ''}"
    if result.total > shown:
        count += f", best {shown} shown"
    footer = f"corpus {version} · {count}"
    return hit_pages(
        result.hits,
        title=title,
        header=header,
        footer=footer,
        per_page=per_page,
        empty="Try other words, or `/docs` to see what the corpus holds.",
    )
