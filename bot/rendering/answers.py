"""What each command answers, as pages: the one place where an engine call meets its renderer.

Why a module of its own: the slash commands and the console both call these functions, so a
question asked in either place gets the very same pages. They are plain synchronous functions of
the workspace being served — the cogs run them in a worker thread, because a search over a large
corpus can take a while. Engine errors (`EngineError`) and a missing codebook (`ConfigError`)
propagate: the caller shows them with `render_error`.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from bot.engine import Workspace
from bot.engine.citations import cite_passage
from bot.engine.related import related_passages
from bot.engine.summary import summarize
from bot.engine.themes import theme_result, themes_overview
from bot.rendering.citations import render_citation
from bot.rendering.documents import render_documents
from bot.rendering.explore import themes_heatmap, with_image
from bot.rendering.help import render_help
from bot.rendering.pages import Pages, notice
from bot.rendering.passage import render_passage
from bot.rendering.reading import (
    render_related,
    render_summary,
    render_theme,
    render_themes,
)
from bot.rendering.search import render_search
from bot.rendering.text import escape_cut

RELATED_TOP = 5
_WORD_RE = re.compile(r"[^\W\d_]{4,}")


def _per_page(ws: Workspace, per_page: int | None) -> int:
    """The caller's page size (the bot's settings), else the one the engine was loaded with."""
    return max(1, per_page or ws.settings.discord.results_per_page)


def search(
    ws: Workspace,
    query: str,
    *,
    document: str | None = None,
    speaker: str | None = None,
    results: int | None = None,
    per_page: int | None = None,
) -> Pages:
    cap = ws.settings.search.max_top  # the most one chat answer shows (Discord, console)
    top = min(results or ws.settings.search.top, cap)
    result = ws.engine.search(query, top=top, doc=document or None, speaker=speaker)
    doc = ws.engine.corpus.documents.get(result.doc_filter) if result.doc_filter else None
    note = None
    if results and results > cap:
        note = f"Showing at most {cap} results (this bot's search.max_top), not {results}."
    return render_search(
        result,
        version=ws.version,
        per_page=_per_page(ws, per_page),
        document_title=doc.title if doc else None,
        note=note,
    )


def passage(ws: Workspace, passage_id: str, *, context: int = 1) -> Pages:
    found = ws.engine.passage_in_context(passage_id, context)
    document = ws.engine.corpus.documents[found.passage.doc_id]
    return render_passage(found, version=ws.version, document=document)


def documents(ws: Workspace) -> Pages:
    return render_documents(ws.engine.documents, version=ws.version)


def summary(ws: Workspace, document: str, *, focus: str | None = None) -> Pages:
    doc = ws.engine.find_document(document)
    result = summarize(ws.engine, doc, focus or None, codebook=ws.codebook)
    return render_summary(result, version=ws.version)


def theme(ws: Workspace, name: str, *, per_page: int | None = None) -> Pages:
    result = theme_result(ws.themes(), name, top=ws.settings.search.top)
    return render_theme(
        result, version=ws.version, per_page=_per_page(ws, per_page), titles=_titles(ws)
    )


def themes(ws: Workspace) -> Pages:
    """The themes table, with the themes × documents heatmap attached to every page."""
    overview = themes_overview(ws.themes())
    pages = render_themes(overview, version=ws.version, titles=_titles(ws))
    return with_image(pages, themes_heatmap(overview))


def related(ws: Workspace, passage_id: str, *, per_page: int | None = None) -> Pages:
    origin = ws.engine.passage(passage_id)
    hits = related_passages(ws.engine, origin.id, top=RELATED_TOP)
    return render_related(
        hits,
        origin_title=origin.title,
        origin_ordinal=origin.ordinal,
        version=ws.version,
        per_page=_per_page(ws, per_page),
    )


def cite(ws: Workspace, passage_id: str, *, style: str | None = None) -> Pages:
    citation = cite_passage(ws.engine, passage_id, (style,) if style else None)
    return render_citation(citation, version=ws.version)


def help_pages(ws: Workspace, *, only: tuple[str, ...] | None = None) -> Pages:
    """The help; `only` lists the commands the asker has (the console has no /sync)."""
    return render_help(help_examples(ws), version=ws.version, only=only)


def help_examples(ws: Workspace) -> dict[str, str]:
    """Example values that work on this corpus: a common title word, a short document id…"""
    engine = ws.engine
    docs = engine.documents
    counts: Counter[str] = Counter()
    for doc in docs:
        words = {w for w in _WORD_RE.findall(doc.title) if engine.analyzer.term(w) is not None}
        counts.update(words)
    examples = {"query": counts.most_common(1)[0][0] if counts else "history"}
    if docs:
        examples["document"] = short_id(docs[0].doc_id, [d.doc_id for d in docs])
    if engine.corpus.passages:
        examples["passage"] = engine.corpus.passages[0].id
    examples["theme"] = ws.codebook.themes[0].name if ws.codebook else "name"
    return examples


def short_id(doc_id: str, all_ids: list[str]) -> str:
    """The shortest prefix (at least 3 characters) that names only `doc_id`."""
    for n in range(3, len(doc_id)):
        prefix = doc_id[:n]
        if sum(1 for d in all_ids if d.startswith(prefix)) == 1:
            return prefix
    return doc_id


def render_error(message: str) -> Pages:
    """An engine error sentence, escaped (it may quote what the user typed).

    Never an empty embed (Discord refuses those): a message of only spaces or control characters
    becomes a generic sentence.
    """
    return notice(escape_cut(message, 1500) or "That did not work; please try again.", error=True)


def _titles(ws: Workspace) -> dict[str, Any]:
    return {doc_id: doc.title for doc_id, doc in ws.engine.corpus.documents.items()}
