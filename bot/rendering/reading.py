"""Summaries, themes and related passages: the reading aids, rendered like search results.

Why protocols instead of the engine's classes: the renderer needs only a few fields, and stating
them here keeps these functions testable with tiny stand-ins and independent of where the engine
defines its summary and theme types.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from bot.engine.model import Hit
from bot.rendering import limits
from bot.rendering.pages import Page, Pages, PassageChoice, embed, with_page_numbers
from bot.rendering.search import hit_pages
from bot.rendering.text import ELLIPSIS, escape_cut, plain, quote

THEMES_PER_PAGE = 8
OUTLINE_LINES = 12
TOP_DOCS = 3


class SummarySentence(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def passage_id(self) -> str: ...
    @property
    def section(self) -> str | None: ...
    @property
    def ordinal(self) -> int: ...


class Summary(Protocol):
    @property
    def doc_id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def site(self) -> str | None: ...
    @property
    def sentences(self) -> Sequence[SummarySentence]: ...
    @property
    def outline(self) -> Sequence[tuple[str, int]]: ...
    @property
    def key_terms(self) -> Sequence[str]: ...
    @property
    def words(self) -> int: ...
    @property
    def passages(self) -> int: ...
    @property
    def reading_minutes(self) -> float: ...
    @property
    def focus(self) -> str | None: ...


class Theme(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def terms(self) -> Sequence[str]: ...


class ThemeResult(Protocol):
    @property
    def theme(self) -> Theme: ...
    @property
    def hits(self) -> Sequence[Hit]: ...
    @property
    def by_doc(self) -> Mapping[str, int]: ...
    @property
    def total(self) -> int: ...


class ThemeOverview(Protocol):
    @property
    def themes(self) -> Sequence[Theme]: ...
    @property
    def counts(self) -> Mapping[str, Mapping[str, int]]: ...


def render_summary(summary: Summary, *, version: str) -> Pages:
    """The document's key sentences as quotes, each citing its ¶, then outline and key terms."""
    facts = [escape_cut(summary.site, 80)] if summary.site else []
    minutes = max(1, round(summary.reading_minutes))
    facts += [
        f"{summary.words:,} words",
        f"{summary.passages} passages",
        f"about {minutes} min to read",
    ]
    lines = [" · ".join(facts)]
    if summary.focus:
        lines.append("Focus: " + escape_cut(summary.focus, 200))
    message = getattr(summary, "message", None)  # the engine's word when there is nothing to quote
    if message:
        lines.append(escape_cut(message, 400))
    budget = limits.EMBED_DESCRIPTION - sum(limits.width(x) + 2 for x in lines) - 40
    quotes: list[str] = []
    for number, sentence in enumerate(summary.sentences, start=1):
        # Numbered as "More context" / the console's `c N` count them, citing ¶ and passage id.
        cite = f"**{number}.** ¶{sentence.ordinal} · `{sentence.passage_id}`"
        block = f"{cite}\n{quote(sentence.text, limit=700)}"
        if sum(limits.width(q) + 1 for q in quotes) + limits.width(block) > budget:
            quotes.append(ELLIPSIS)
            break
        quotes.append(block)
    if not quotes and not message:
        quotes.append("This document has no sentence to summarise.")
    description = "\n\n".join([*lines, "\n".join(quotes)]).strip()
    fields = []
    if summary.outline:
        outline = [
            f"• {escape_cut(heading, 120)} ({count})"
            for heading, count in summary.outline[:OUTLINE_LINES]
        ]
        if len(summary.outline) > OUTLINE_LINES:
            outline.append(f"… and {len(summary.outline) - OUTLINE_LINES} more sections")
        fields.append(("Outline", _join_within(outline, "\n", limits.FIELD_VALUE)))
    terms = [term for term in (escape_cut(t, 60) for t in summary.key_terms) if term]
    if terms:
        fields.append(("Key terms", _join_within(terms, ", ", limits.FIELD_VALUE)))
    n = len(summary.sentences)
    footer = f"corpus {version} · {summary.doc_id} · {n} sentence{'s' if n != 1 else ''}"
    page = Page(
        embeds=(
            embed(
                title="Summary: " + escape_cut(summary.title, limits.EMBED_TITLE - 9),
                description=description,
                fields=fields,
                footer=footer,
            ),
        ),
        passages=tuple(
            PassageChoice(s.passage_id, plain(f"{i} · ¶{s.ordinal} · {summary.title}", 100), i)
            for i, s in enumerate(summary.sentences[: limits.SELECT_OPTIONS], start=1)
        ),
    )
    return Pages((page,))


def render_theme(
    result: ThemeResult, *, version: str, per_page: int, titles: Mapping[str, str]
) -> Pages:
    """A theme's passages, ranked like a search, under what the theme means and where it occurs."""
    theme = result.theme
    lines = []
    if theme.description:
        lines.append(escape_cut(theme.description, 300))
    if theme.terms:
        lines.append("Terms: " + escape_cut(", ".join(theme.terms), 200))
    if result.by_doc:
        lines.append("Most in: " + _top_docs(result.by_doc, titles, 250))
    message = getattr(result, "message", None)
    if message:
        lines.append(escape_cut(message, 300))
    count = f"{result.total} passage{'s' if result.total != 1 else ''} match"
    return hit_pages(
        result.hits,
        title="Theme: " + escape_cut(theme.label or theme.name, limits.EMBED_TITLE - 7),
        header="\n".join(lines),
        footer=f"corpus {version} · theme {theme.name} · {count}",
        per_page=per_page,
        empty="No passage of the corpus speaks to this theme.",
    )


def render_themes(overview: ThemeOverview, *, version: str, titles: Mapping[str, str]) -> Pages:
    """Every theme with its meaning and the documents that discuss it most."""
    themes = list(overview.themes)
    footer = f"corpus {version} · {len(themes)} themes"
    pages = []
    for first in range(0, max(1, len(themes)), THEMES_PER_PAGE):
        fields = []
        for theme in themes[first : first + THEMES_PER_PAGE]:
            counts = overview.counts.get(theme.name, {})
            total = sum(counts.values())
            name = f"{escape_cut(theme.label or theme.name, 150)} · {escape_cut(theme.name, 80)}"
            value_lines = []
            if theme.description:
                value_lines.append(escape_cut(theme.description, 400))
            value_lines.append(f"{total} passages" + (", most in " if counts else ""))
            if counts:
                value_lines[-1] += _top_docs(counts, titles, 450)
            fields.append((name, "\n".join(value_lines)))
        if fields:
            description = "Use `/theme name` to read a theme's passages."
        else:
            description = "No themes are defined."
        page = embed(title="Themes", description=description, fields=fields, footer=footer)
        pages.append(Page(embeds=(page,)))
    return Pages(with_page_numbers(pages, footer))


def render_related(
    hits: Sequence[Hit], *, origin_title: str, origin_ordinal: int, version: str, per_page: int
) -> Pages:
    """Passages that share the most distinctive words with a given passage."""
    title = f"Related to ¶{origin_ordinal} of " + escape_cut(origin_title, 200)
    pages = hit_pages(
        hits,
        title=title,
        header="",
        footer=f"corpus {version} · {len(hits)} related passages",
        per_page=per_page,
        empty="No other passage is close enough to this one.",
    )
    return Pages(pages.pages, actions=("context",))


def _top_docs(counts: Mapping[str, int], titles: Mapping[str, str], limit: int) -> str:
    best = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_DOCS]
    parts = [f"{escape_cut(titles.get(d, d), 70)} ({n})" for d, n in best if n]
    return _join_within(parts, "; ", limit) if parts else "none"


def _join_within(parts: Sequence[str], sep: str, limit: int) -> str:
    """Whole parts joined while they fit, then "…" (parts are never cut, so markup stays whole)."""
    out: list[str] = []
    used = 0
    for part in parts:
        extra = limits.width(part) + (limits.width(sep) if out else 0)
        if used + extra + 2 > limit:
            out.append(ELLIPSIS)
            break
        out.append(part)
        used += extra
    return sep.join(out)
