"""`/cite`: a passage's reference in each style, ready to copy, and what its metadata lacks.

Why plain text for the references (no italics): what a researcher does with a citation is copy it,
and what is copied from Discord is the text, not the markup. The BibTeX entry goes in a code block
so it is copied whole, line breaks and braces included.
"""

from __future__ import annotations

from bot.engine.citations import Citation
from bot.rendering import limits
from bot.rendering.pages import Page, Pages, embed
from bot.rendering.text import code_block, escape, escape_cut

MAX_REFERENCE = 900  # characters of a reference entry (a 500-character title still fits)
MAX_BIBTEX = 1500


def render_citation(citation: Citation, *, version: str) -> Pages:
    """One page: the passage it cites, then each style's in-text citation and reference."""
    head = f"Passage `{citation.passage_id}` · {escape(citation.locator.short)}"
    blocks = [head]
    if citation.missing:
        lacking = " or ".join(citation.missing)
        blocks.append(
            f"This document has no {lacking} in its metadata; the styles show it as they "
            "prescribe (n.d., the title first). An admin can add it in the corpus's "
            "`metadata.yaml`."
        )
    for ref in citation.references:
        blocks.append(
            f"**{ref.label}**\n"
            f"In text: {escape_cut(ref.in_text_plain, 300)}\n"
            f"Reference: {escape_cut(ref.entry_plain, MAX_REFERENCE)}"
        )
    if citation.bibtex is not None:
        entry = citation.bibtex
        if limits.width(entry) > MAX_BIBTEX:
            entry = entry[:MAX_BIBTEX] + "\n…"
        blocks.append(
            f"**BibTeX** — cite it as {code_span(citation.cite_command)}\n"
            + code_block(entry, "bibtex")
        )
    title = "Cite: " + escape_cut(citation.title, limits.EMBED_TITLE - 8)
    footer = f"corpus {version} · styles from the CSL project (CC BY-SA 3.0)"
    page = Page(embeds=(embed(title=title, description="\n\n".join(blocks), footer=footer),))
    return Pages((page,), actions=())


def code_span(text: str) -> str:
    """`text` as inline code (a LaTeX command has `~` and braces that must show as they are)."""
    return "`" + text.replace("`", "ˋ") + "`"
