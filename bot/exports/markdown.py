"""Markdown exports: codings grouped by code, and collections, each quote with its citation.

The quotes are the sources' own words: characters Markdown would read as formatting are escaped,
so the rendered page shows exactly the stored text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import groupby

from bot.exports.citation import cite
from bot.store.model import NEEDS_ATTENTION, Coding, Collection, SavedQuote
from bot.store.text import CorpusText, fold_name

_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_LINE_START = re.compile(r"^(\s*)([#+\-=]|\d+[.)])", re.MULTILINE)
ATTENTION = "⚠ needs attention: this quote is no longer found in its document"


def escape_markdown(text: str) -> str:
    """Text that renders as itself: inline markers and line-start block markers escaped."""
    text = _INLINE.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def blockquote(text: str) -> str:
    return "\n".join(("> " + line) if line else ">" for line in escape_markdown(text).split("\n"))


def codings_markdown(
    codings: Sequence[Coding], corpus: CorpusText, title: str = "Codings"
) -> bytes:
    """Codings grouped by code (codes alphabetical), quotes in document order within a code."""
    ordered = sorted(codings, key=lambda c: (fold_name(c.code), c.doc_id, c.start, c.id))
    codes = {fold_name(c.code) for c in ordered}
    lines = [f"# {escape_markdown(title)}", ""]
    lines += [f"{len(ordered)} codings of {len(codes)} codes.", ""]
    for _, group in groupby(ordered, key=lambda c: fold_name(c.code)):
        items = list(group)
        lines += [f"## {escape_markdown(items[0].code)} ({len(items)})", ""]
        for c in items:
            where = cite(c.passage_id, c.doc_id, corpus)
            lines += [blockquote(c.quote), ""]
            lines.append(
                f"— {escape_markdown(where.line())} · passage `{c.passage_id}` · "
                f"coded by {escape_markdown(c.coder)}, {c.created[:10]}"
            )
            if c.memo:
                lines += ["", "Memo: " + escape_markdown(c.memo)]
            if c.status == NEEDS_ATTENTION:
                lines += ["", ATTENTION]
            lines.append("")
    return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")


def collection_markdown(
    collection: Collection, items: Sequence[SavedQuote], corpus: CorpusText
) -> bytes:
    """A collection's quotes in the order saved, each with its citation and who saved it."""
    lines = [f"# {escape_markdown(collection.name)}", ""]
    lines += [f"{len(items)} quotes, collected by the team.", ""]
    for i, q in enumerate(items, 1):
        where = cite(q.passage_id, q.doc_id, corpus)
        lines += [f"## {i}. {escape_markdown(where.line())}", "", blockquote(q.quote), ""]
        lines.append(
            f"— passage `{q.passage_id}` · saved by {escape_markdown(q.saved_by)}, {q.saved[:10]}"
        )
        if q.note:
            lines += ["", "Note: " + escape_markdown(q.note)]
        if q.status == NEEDS_ATTENTION:
            lines += ["", ATTENTION]
        lines.append("")
    return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")
