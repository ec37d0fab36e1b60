"""What `/add` and `/remove` answer: the document as the corpus now reads it, or why not.

Why say so much after an add: the person who added a file wants to know it was read right — its
title, how many pages and passages, where its first section starts, and anything the reader had
to guess — before anyone cites it.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine.model import Document
from bot.rendering.locators import document_facts
from bot.rendering.pages import COLOUR, ERROR_COLOUR, Page, Pages, embed
from bot.rendering.text import escape_cut

MAX_WARNINGS = 5


def render_added(
    doc: Document,
    *,
    first_section: str | None,
    warnings: Sequence[str],
    replaced: Sequence[str],
    version: str,
) -> Pages:
    """The added document: its facts, passages, first section, what it replaced, warnings."""
    facts = [escape_cut(f, 120) for f in document_facts(doc)]
    facts.append(f"{doc.passage_count} passage{'s' if doc.passage_count != 1 else ''}")
    lines = [" · ".join([f"`{doc.doc_id}`", *facts])]
    if first_section:
        lines.append(f"First section: {escape_cut(first_section, 200)}")
    if replaced:
        names = ", ".join(escape_cut(n, 100) for n in replaced)
        lines.append(f"Replaced {names} (kept in `.removed/`)")
    if warnings:
        lines.append("Warnings:")
        lines += [f"• {escape_cut(w, 300)}" for w in warnings[:MAX_WARNINGS]]
        if len(warnings) > MAX_WARNINGS:
            lines.append(f"• … and {len(warnings) - MAX_WARNINGS} more (see the bot's log)")
    lines.append(f"Search it: `/search document:{doc.doc_id}`")
    title = "Added: " + escape_cut(doc.title, 200)
    return _one(title, "\n".join(lines), f"corpus {version}")


def render_removed(doc: Document, *, kept_as: str, version: str) -> Pages:
    """The removed document, and where its file is kept."""
    text = (
        f"`{doc.doc_id}` is out of the corpus; its file is kept as "
        f"{escape_cut(kept_as, 300)}. To bring it back, move the file into the corpus folder "
        "and run `/reload`."
    )
    return _one("Removed: " + escape_cut(doc.title, 200), text, f"corpus {version}")


def render_refused(name: str, reason: str, *, action: str = "added") -> Pages:
    """Why a file was not added (or a document not removed): its name and the reason."""
    text = f"**{escape_cut(name, 200)}** was not {action}: {escape_cut(reason, 1000)}"
    return _one(None, text + "\nNothing changed.", None, colour=ERROR_COLOUR)


def _one(title: str | None, text: str, footer: str | None, colour: int = COLOUR) -> Pages:
    page = Page(embeds=(embed(title=title, description=text, footer=footer, colour=colour),))
    return Pages((page,), ephemeral_hint=True, actions=())
