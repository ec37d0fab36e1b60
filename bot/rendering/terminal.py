"""Terminal text: the console's pages, and the command line's reports.

The console prints a rendered page exactly as Discord would show it (why convert rather than render
twice: the console exists to try the bot before creating a Discord application, so it must show the
same quotes, sources and footers; only the markdown escapes, which Discord hides, are removed, and
bold stays as `**word**`). The command line prints engine results as plain text, with bold on a
terminal only.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from bot.engine.model import Document, PassageContext, SearchResult, Source
from bot.engine.summary import Summary
from bot.engine.themes import ThemeOverview, ThemeResult
from bot.engine.wording import plural, short_labels
from bot.rendering.pages import Page
from bot.rendering.text import ZWSP

_ESCAPED_RE = re.compile(r"\\([^0-9A-Za-z\s])")


def unescape(text: str) -> str:
    """Markdown escapes and zero-width spaces removed: the characters Discord would display."""
    return _ESCAPED_RE.sub(r"\1", text).replace(ZWSP, "")


def page_as_text(page: Page) -> str:
    """Content, then each embed's title, description, fields and footer, blank-line separated."""
    blocks: list[str] = []
    if page.content:
        blocks.append(unescape(page.content))
    for data in page.embeds:
        if data.get("title"):
            title = unescape(data["title"])
            blocks.append(f"{title}\n{'=' * min(len(title), 72)}")
        if data.get("description"):
            blocks.append(unescape(data["description"]))
        for field in data.get("fields", []):
            blocks.append(f"{unescape(field['name'])}\n{unescape(field['value'])}")
        if data.get("image", {}).get("url"):  # a chart: its numbers are in the text above
            blocks.append(f"[chart {data['image']['url'].removeprefix('attachment://')}]")
        if data.get("footer", {}).get("text"):
            blocks.append(f"-- {data['footer']['text']}")
    return "\n\n".join(blocks)


# -- the command line's reports --------------------------------------------------------------

BOLD, DIM, RESET = "\033[1m", "\033[2m", "\033[0m"
BAR_GLYPHS = " ▁▂▃▄▅▆▇█"


def search_text(result: SearchResult, *, tty: bool, heading: bool = False) -> str:
    """Ranked hits with their source lines; `heading` names the query (batch output)."""
    bold, dim, reset = (BOLD, DIM, RESET) if tty else ("", "", "")
    lines: list[str] = []
    if heading:
        lines.append(f"{bold}# {result.query}{reset}")
    if result.message:
        lines.append(result.message)
    if result.suggestions and not result.corrected:
        for word, alts in result.suggestions.items():
            lines.append(f"Did you mean: {', '.join(alts)} (for '{word}')?")
    if result.hits:
        lines.append(f"{plural(result.total, 'passage')} matched.\n")
    for hit in result.hits:
        lines.append(
            f"{bold}{hit.rank}.{reset} {mark(hit.snippet.text, hit.snippet.highlights, tty)}"
        )
        lines.append(f"   {dim}— {where(hit.source)}  (score {hit.score:.2f}){reset}\n")
    return "\n".join(lines)


def where(source: Source) -> str:
    """`Title · Section · ¶7 · id`: the source line of a quote."""
    parts = (source.title, source.section, f"¶{source.ordinal}", source.passage_id)
    return " · ".join(x for x in parts if x)


def mark(text: str, spans: Sequence[tuple[int, int]], tty: bool) -> str:
    """Matched words in bold on a terminal, «guillemets» elsewhere."""
    open_, close = (BOLD, RESET) if tty else ("«", "»")
    out, pos = [], 0
    for a, b in spans:
        out += [text[pos:a], open_, text[a:b], close]
        pos = b
    out.append(text[pos:])
    return "".join(out).replace("\n", "\n   ")


def passage_text(context: PassageContext) -> str:
    """The passage between its neighbours, the passage itself marked with `>`."""
    s = context.source
    lines = [" · ".join(x for x in (s.title, s.section) if x)]
    for p in (*context.before, context.passage, *context.after):
        marker = ">" if p.id == context.passage.id else " "
        lines.append(f"\n{marker} ¶{p.ordinal} [{p.id}]\n{p.text}")
    return "\n".join(lines)


def documents_text(documents: Sequence[Document], version: str) -> str:
    """One line per document: id, title, site, words, passages; then the corpus version."""
    lines = []
    for d in documents:
        site = f" ({d.site})" if d.site else ""
        lines.append(f"{d.doc_id}  {d.title}{site} — {d.words} words, {d.passage_count} passages")
    lines.append(f"\ncorpus version {version}")
    return "\n".join(lines)


def summary_text(summary: Summary) -> str:
    """Title, facts, key terms and focus, each sentence with its ¶, then the outline."""
    facts = [summary.doc_id] + ([summary.site] if summary.site else [])
    facts += [
        f"{summary.words:,} words",
        f"{summary.passages} passages",
        f"about {max(1, round(summary.reading_minutes))} min to read",
    ]
    lines = [summary.title, " · ".join(facts)]
    if summary.key_terms:
        lines.append("Key terms: " + ", ".join(summary.key_terms))
    if summary.focus:
        lines.append(f"Focus: {summary.focus}")
    lines.append("")
    if summary.message:
        lines.append(summary.message)
    lines += [f"[¶{s.ordinal}] {s.text}" for s in summary.sentences]
    if summary.outline:
        lines += ["", "Outline:"]
        lines += [f"  {heading} ({n})" for heading, n in summary.outline]
    return "\n".join(lines)


def theme_text(result: ThemeResult) -> str:
    """Where the theme is ("in 4 of 5 documents"), then each hit with its source line."""
    t = result.theme
    lines = [
        f"{t.label} ({t.name}) — {plural(result.total, 'passage')} in "
        f"{result.documents_touching} of {len(result.by_doc)} documents"
    ]
    if t.description:
        lines.append(t.description)
    labels = short_labels(result.by_doc)
    lines.append("By document: " + ", ".join(f"{labels[d]} {n}" for d, n in result.by_doc.items()))
    if result.message:
        lines.append(result.message)
    for hit in result.hits:
        lines.append(
            f"\n{hit.rank}. {hit.snippet.text}\n   — {where(hit.source)}  (score {hit.score:.2f})"
        )
    return "\n".join(lines)


def overview_text(overview: ThemeOverview) -> str:
    """A compact table: a bar glyph for the share of the document's passages, and the count.

    Fits a Discord message (under 2,000 characters for 12 themes × 5 documents); wrap it in a
    code block so the columns line up.
    """
    labels = short_labels([d.doc_id for d in overview.documents])
    width = max([len(t.name) for t in overview.themes] + [5])
    cells = [max(4, len(labels[d.doc_id]) + 1) for d in overview.documents]
    header = " " * width + "".join(
        f" {labels[d.doc_id]:>{c}}" for d, c in zip(overview.documents, cells, strict=True)
    )
    lines = [header]
    for t in overview.themes:
        row = f"{t.name:<{width}}"
        for d, c in zip(overview.documents, cells, strict=True):
            n = overview.counts[t.name][d.doc_id]
            share = overview.shares.get(t.name, {}).get(d.doc_id, 0.0)
            row += f" {bar(share)}{n:>{c - 1}}" if n else f" {'·':>{c}}"
        lines.append(row)
    lines.append("")
    lines.append("bar = share of the document's passages; number = passages")
    lines += [f"{labels[d.doc_id]} {d.title}"[:80] for d in overview.documents]
    return "\n".join(lines)


def bar(share: float) -> str:
    """One glyph for a share in [0, 1]: a thin bar for anything above zero, full at 50 % or more."""
    if share <= 0:
        return BAR_GLYPHS[0]
    steps = len(BAR_GLYPHS) - 1
    return BAR_GLYPHS[max(1, min(steps, math.ceil(share * 2 * steps)))]
