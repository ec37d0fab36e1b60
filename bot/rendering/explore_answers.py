"""What the exploration commands answer, as pages: `/kwic`, `/collocates`, `/keywords`, `/trend`
and the two message menus — for the slash commands and the console alike.

Like `bot.rendering.answers` (one function per command, workspace in, pages out), in a module of
its own so the exploration family stays in one place. Charts are drawn here too, so the cogs,
which run these functions in an engine thread, never draw on the event loop.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.engine import UnknownPassage, Workspace
from bot.engine.collocates import DEFAULT_MIN_FREQ, DEFAULT_WINDOW, collocates
from bot.engine.keywords import keywords
from bot.engine.kwic import concordance
from bot.engine.more_like import more_like_these
from bot.engine.trend import trend
from bot.rendering import answers
from bot.rendering.explore import (
    DISCORD_WIDTH,
    render_collocates,
    render_keywords,
    render_kwic,
    render_trend,
)
from bot.rendering.pages import Pages, notice
from bot.rendering.search import hit_pages
from bot.rendering.text import escape_cut

MORE_LIKE_TOP = 5
PASSAGE_ID_RE = re.compile(r"(?<![0-9a-f])[0-9a-f]{12}(?![0-9a-f])")
NO_TEXT = "This message has no text to search for."
NOT_OURS = (
    "More like this works on the bot's own answers. For any other message, use "
    "Search the corpus for this message."
)
NO_QUOTES = (
    "This answer quotes no passage of the corpus as it is now, so there is nothing to match."
)


def kwic(
    ws: Workspace,
    term: str,
    *,
    document: str | None = None,
    width: int = DISCORD_WIDTH,
    stem: bool = False,
    sort: str = "position",
) -> Pages:
    result = concordance(
        ws.engine, term, document=document or None, width=width, stem=stem, sort=sort
    )
    doc = ws.engine.corpus.documents.get(result.doc_filter) if result.doc_filter else None
    return render_kwic(
        result, version=ws.version, width=width, document_title=doc.title if doc else None
    )


def collocates_pages(
    ws: Workspace,
    term: str,
    *,
    window: int = DEFAULT_WINDOW,
    measure: str = "ll",
    min_freq: int = DEFAULT_MIN_FREQ,
    stem: bool = False,
) -> Pages:
    result = collocates(
        ws.engine, term, window=window, measure=measure, min_freq=min_freq, stem=stem
    )
    return render_collocates(result, version=ws.version)


def keywords_pages(ws: Workspace, document: str) -> Pages:
    return render_keywords(keywords(ws.engine, document), version=ws.version)


def trend_pages(
    ws: Workspace, term_or_theme: str, *, document: str | None = None, stem: bool = False
) -> Pages:
    result = trend(
        ws.engine, term_or_theme, document=document or None, stem=stem, codebook=ws.codebook
    )
    return render_trend(result, version=ws.version)


def search_message(ws: Workspace, text: str, *, per_page: int | None = None) -> Pages:
    """A message's text as a search query (the "Search the corpus for this message" menu)."""
    if not text.strip():
        return notice(NO_TEXT)
    return answers.search(ws, text, per_page=per_page)


def more_like_message(ws: Workspace, texts: Iterable[str], *, per_page: int | None = None) -> Pages:
    """Passages like the quotes of one of the bot's answers (the "More like this" menu)."""
    ids = [m.group() for text in texts for m in PASSAGE_ID_RE.finditer(text)]
    known = [pid for pid in dict.fromkeys(ids) if _in_corpus(ws, pid)]
    if not known:
        return notice(NO_QUOTES)
    hits = more_like_these(ws.engine, known, top=MORE_LIKE_TOP)
    first = ws.engine.passage(known[0])
    what = f"¶{first.ordinal} of {first.title}" + (
        f" and {len(known) - 1} more" if len(known) > 1 else ""
    )
    pages = hit_pages(
        hits,
        title="More like " + escape_cut(what, 230),
        header="",
        footer=f"corpus {ws.version} · {len(hits)} passages like the answer's quotes",
        per_page=max(1, per_page or ws.settings.discord.results_per_page),
        empty="No other passage is close enough to these.",
    )
    return Pages(pages.pages, ephemeral_hint=True, actions=("context",))


def _in_corpus(ws: Workspace, passage_id: str) -> bool:
    try:
        ws.engine.passage(passage_id)
    except UnknownPassage:
        return False
    return True
