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

from bot.engine.citations import Citation
from bot.engine.model import Document, PassageContext, SearchResult, Source
from bot.engine.summary import Summary
from bot.engine.themes import ThemeOverview, ThemeResult
from bot.engine.wording import plural, short_labels
from bot.rendering.locators import document_facts, locator_parts
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

SKIPPED = ": skipped, "


def corpus_report(warnings: Sequence[str], *, verbose: bool) -> list[str]:
    """Lines for stderr about the files the corpus loader skipped or read with a problem.

    Skipped files are counted ("2 files skipped; -v lists them") or, verbose, listed one a line
    ("skipped report.pdf: unsupported format"); other warnings (a file read with replacement
    characters) change what is quoted, so they are always listed.
    """
    skipped = [w for w in warnings if SKIPPED in w]
    lines: list[str] = []
    if verbose:
        for w in skipped:
            name, _, reason = w.partition(SKIPPED)
            lines.append(f"skipped {name}: {reason}")
    elif skipped:
        lines.append(f"{plural(len(skipped), 'file')} skipped; -v lists them")
    lines += [f"warning: {w}" for w in warnings if SKIPPED not in w]
    return lines


BOLD, DIM, ITALIC, RESET = "\033[1m", "\033[2m", "\033[3m", "\033[0m"
ELLIPSIS = "…"
BAR_GLYPHS = " ▁▂▃▄▅▆▇█"


def search_text(
    result: SearchResult, *, tty: bool, heading: bool = False, snippets: bool = False
) -> str:
    """Ranked hits, each a whole passage (or, `snippets`, its best sentences) and its source line.

    The quote's characters are the passage's own: matched words are bold on a terminal and
    unmarked elsewhere, and a snippet cut from a longer passage shows "…" where it was cut.
    `heading` names the query (batch output).
    """
    bold, dim, reset = (BOLD, DIM, RESET) if tty else ("", "", "")
    lines: list[str] = []
    if heading:
        lines.append(f"{bold}# {result.query}{reset}")
    if result.message:
        lines.append(result.message)
    if result.hits:
        lines.append(f"{plural(result.total, 'passage')} matched.\n")
    for hit in result.hits:
        if snippets:
            snip = hit.snippet
            lead = f"{ELLIPSIS} " if snip.start > 0 else ""
            trail = f" {ELLIPSIS}" if snip.start + len(snip.text) < len(hit.passage.text) else ""
            text = lead + mark(snip.text, snip.highlights, tty) + trail
        else:
            text = mark(hit.passage.text, hit.highlights, tty)
        lines.append(f"{bold}{hit.rank}.{reset} {text}")
        lines.append(f"   {dim}— {where(hit.source)}  (score {hit.score:.2f}){reset}\n")
    return "\n".join(lines)


def where(source: Source) -> str:
    """`Title · Section · p. 12 · ¶7 · id`: the source line of a quote."""
    parts = (
        source.title,
        source.section,
        *locator_parts(source),
        f"¶{source.ordinal}",
        source.passage_id,
    )
    return " · ".join(x for x in parts if x)


def mark(text: str, spans: Sequence[tuple[int, int]], tty: bool) -> str:
    """Matched words in bold on a terminal; elsewhere the text exactly as it is."""
    if not tty:
        return text
    out, pos = [], 0
    for a, b in spans:
        out += [text[pos:a], BOLD, text[a:b], RESET]
        pos = b
    out.append(text[pos:])
    return "".join(out)


def passage_text(context: PassageContext) -> str:
    """The passage between its neighbours, the passage itself marked with `>`."""
    s = context.source
    lines = [" · ".join(x for x in (s.title, s.section) if x)]
    for p in (*context.before, context.passage, *context.after):
        marker = ">" if p.id == context.passage.id else " "
        located = "".join(f" · {part}" for part in locator_parts(p))
        lines.append(f"\n{marker} ¶{p.ordinal}{located} [{p.id}]\n{p.text}")
    return "\n".join(lines)


def documents_text(documents: Sequence[Document], version: str) -> str:
    """Per document: id, title, site, words, passages; under it authors, date, format, pages,
    language and URL; then the corpus version."""
    lines = []
    for d in documents:
        site = f" ({d.site})" if d.site else ""
        lines.append(f"{d.doc_id}  {d.title}{site} — {d.words} words, {d.passage_count} passages")
        about = [f for f in document_facts(d) if f != d.site] + ([d.url] if d.url else [])
        lines.append("    " + " · ".join(about))
    lines.append(f"\ncorpus version {version}")
    return "\n".join(lines)


def citation_text(citation: Citation, *, tty: bool) -> str:
    """Each style's in-text citation and reference (italics on a terminal), then BibTeX."""
    bold, reset = (BOLD, RESET) if tty else ("", "")
    lines = [f"{citation.title} · {citation.locator.short} · {citation.passage_id}"]
    if citation.missing:
        lines.append(f"(no {' or '.join(citation.missing)} in the metadata: see metadata.yaml)")
    for ref in citation.references:
        lines += [
            "",
            f"{bold}{ref.label}{reset}",
            f"In text:   {runs_text(ref.in_text, tty)}",
            f"Reference: {runs_text(ref.entry, tty)}",
        ]
    if citation.bibtex is not None:
        lines += ["", f"{bold}BibTeX{reset}  (cite as {citation.cite_command})", citation.bibtex]
    return "\n".join(lines)


def added_text(
    doc: Document, first_section: str | None, warnings: Sequence[str], replaced: Sequence[str]
) -> str:
    """`added harbour.pdf: Title — PDF, 2 pages · 2 passages`, then its first section, what it
    replaced and any warnings."""
    facts = " · ".join([*document_facts(doc), plural(doc.passage_count, "passage")])
    lines = [f"added {doc.path}: {doc.title} — {facts}"]
    if first_section:
        lines.append(f"  first section: {first_section}")
    if replaced:
        lines.append(f"  replaced {', '.join(replaced)} (kept in .removed/)")
    lines += [f"  warning: {w}" for w in warnings]
    return "\n".join(lines)


def runs_text(runs: Sequence[tuple[str, bool]], tty: bool) -> str:
    """Runs of (text, italic): italic on a terminal, plain elsewhere."""
    if not tty:
        return "".join(text for text, _ in runs)
    return "".join(f"{ITALIC}{text}{RESET}" if italic else text for text, italic in runs)


def summary_text(summary: Summary) -> str:
    """Title, facts, key terms and focus, each sentence citing its ¶ and passage id, the outline."""
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
    lines += [
        f"{i}. {s.text}\n   — ¶{s.ordinal} · {s.passage_id}"
        for i, s in enumerate(summary.sentences, start=1)
    ]
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
