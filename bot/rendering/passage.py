"""One passage with its neighbours ("more context"), the passage itself marked out.

Why neighbours are cut toward the passage: the words just before and after a quote are the ones
that change its meaning, so the passage before keeps its end and the passage after its start.
"""

from __future__ import annotations

from bot.engine.model import Passage, PassageContext
from bot.rendering import limits
from bot.rendering.pages import Page, Pages, PassageChoice, embed
from bot.rendering.search import SEPARATOR, source_line
from bot.rendering.text import escape_cut, plain, quote

MAIN_SHARE = 0.5  # of the description, at most, for the passage itself


def render_passage(context: PassageContext, *, version: str) -> Pages:
    """The passage (labelled "this passage") between its neighbours, in document order."""
    main = context.passage
    head = source_line(context.source)
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


def _neighbour(p: Passage, main: Passage, limit: int, keep: str) -> str:
    label = f"¶{p.ordinal}"
    if p.section and p.section != main.section:
        label += " · " + escape_cut(p.section, 120)
    return f"{label}\n{quote(p.text, limit=max(40, limit - limits.width(label)), keep=keep)}"
