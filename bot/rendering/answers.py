"""What each command answers, as pages: the one place where an engine call meets its renderer.

Why a module of its own: the slash commands and the console both call these functions, so a
question asked in either place gets the very same pages. They are plain synchronous functions —
the cogs run them in a worker thread, because a search over a large corpus can take a while.
Engine errors (`EngineError`) propagate: the caller shows them with `render_error`.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from bot.engine import Engine
from bot.rendering import limits
from bot.rendering.documents import render_documents
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
from bot.rendering.text import escape_cut, plain
from bot.settings import ConfigError, Settings

RELATED_TOP = 5
_WORD_RE = re.compile(r"[^\W\d_]{4,}")


def load_engine(settings: Settings) -> tuple[Engine, list[str]]:
    """Load the corpus (raises `CorpusError`) and check the theme codebook now, not at first use.

    A broken codebook does not stop the bot — search works without it — so it is returned as a
    problem for the start log or the `/reload` report rather than raised.
    """
    engine = Engine.load(settings)
    try:
        engine.themes  # noqa: B018 (reading the codebook is the point)
    except ConfigError as exc:
        return engine, [f"themes: {exc}"]
    return engine, []


def _per_page(engine: Engine, per_page: int | None) -> int:
    """The caller's page size (the bot's settings), else the one the engine was loaded with."""
    return max(1, per_page or engine.settings.discord.results_per_page)


def search(
    engine: Engine,
    query: str,
    *,
    document: str | None = None,
    results: int | None = None,
    per_page: int | None = None,
) -> Pages:
    result = engine.search(query, top=results, doc=document or None)
    doc = engine.corpus.documents.get(result.doc_filter) if result.doc_filter else None
    return render_search(
        result,
        version=engine.corpus.version,
        per_page=_per_page(engine, per_page),
        document_title=doc.title if doc else None,
    )


def passage(engine: Engine, passage_id: str, *, context: int = 1) -> Pages:
    return render_passage(
        engine.passage(passage_id, context=context), version=engine.corpus.version
    )


def documents(engine: Engine) -> Pages:
    return render_documents(engine.documents, version=engine.corpus.version)


def summary(engine: Engine, document: str, *, focus: str | None = None) -> Pages:
    doc = engine.find_document(document)
    result = engine.summary(doc.doc_id, focus=focus or None)
    return render_summary(result, version=engine.corpus.version)


def theme(engine: Engine, name: str, *, per_page: int | None = None) -> Pages:
    result = engine.theme(name, top=engine.settings.search.top)
    return render_theme(
        result,
        version=engine.corpus.version,
        per_page=_per_page(engine, per_page),
        titles=_titles(engine),
    )


def themes(engine: Engine) -> Pages:
    return render_themes(
        engine.themes_overview(), version=engine.corpus.version, titles=_titles(engine)
    )


def related(engine: Engine, passage_id: str, *, per_page: int | None = None) -> Pages:
    origin = engine.get_passage(passage_id)
    hits = engine.related(origin.id, top=RELATED_TOP)
    return render_related(
        hits,
        origin_title=origin.title,
        origin_ordinal=origin.ordinal,
        version=engine.corpus.version,
        per_page=_per_page(engine, per_page),
    )


def help_pages(engine: Engine) -> Pages:
    return render_help(help_examples(engine), version=engine.corpus.version)


def help_examples(engine: Engine) -> dict[str, str]:
    """Example values that work on this corpus: a common title word, a short document id…"""
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
    examples["theme"] = next(iter(theme_choices(engine, "")), ("", "name"))[1]
    return examples


def short_id(doc_id: str, all_ids: list[str]) -> str:
    """The shortest prefix (at least 3 characters) that names only `doc_id`."""
    for n in range(3, len(doc_id)):
        prefix = doc_id[:n]
        if sum(1 for d in all_ids if d.startswith(prefix)) == 1:
            return prefix
    return doc_id


def document_choices(engine: Engine, current: str) -> list[tuple[str, str]]:
    """Autocomplete for a document option: (shown name, value) pairs, titles first."""
    choices = []
    for doc in engine.match_documents(current[:200], limit=limits.CHOICES):
        if limits.width(doc.doc_id) > limits.CHOICE_VALUE:
            continue  # a value Discord cannot carry; the user can still type the title
        name = plain(f"{doc.title} ({doc.doc_id})", limits.CHOICE_NAME)
        choices.append((name, doc.doc_id))
    return choices


def theme_choices(engine: Engine, current: str) -> list[tuple[str, str]]:
    """Autocomplete for a theme option: themes whose name or label contains what was typed."""
    try:
        themes = list(getattr(engine, "themes", ()))
    except ConfigError:  # no codebook, or a broken one: no theme to offer
        return []
    needle = current.strip().casefold()
    matches = [
        t
        for t in themes
        if not needle or needle in t.name.casefold() or needle in (t.label or "").casefold()
    ]
    return [
        (plain(f"{t.label or t.name} ({t.name})", limits.CHOICE_NAME), t.name)
        for t in matches[: limits.CHOICES]
        if limits.width(t.name) <= limits.CHOICE_VALUE
    ]


def render_error(message: str) -> Pages:
    """An engine error sentence, escaped (it may quote what the user typed).

    Never an empty embed (Discord refuses those): a message of only spaces or control characters
    becomes a generic sentence.
    """
    return notice(escape_cut(message, 1500) or "That did not work; please try again.", error=True)


def _titles(engine: Engine) -> dict[str, Any]:
    return {doc_id: doc.title for doc_id, doc in engine.corpus.documents.items()}
