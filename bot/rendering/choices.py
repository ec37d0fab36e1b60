"""Autocomplete choices: documents and themes as (shown name, value) pairs within Discord's limits.

Why apart from the matching: which documents or themes fit what the user typed is the engine's
question (`Engine.match_documents`, `Codebook.containing`); how each is shown in Discord's
25-entry, 100-character list is this module's.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.engine.codebook import Theme
from bot.engine.model import Document
from bot.rendering import limits
from bot.rendering.text import plain


def document_choices(documents: Iterable[Document]) -> list[tuple[str, str]]:
    """A document option's choices, in the order given: "Title (id)" → id."""
    choices = []
    for doc in documents:
        if limits.width(doc.doc_id) > limits.CHOICE_VALUE:
            continue  # a value Discord cannot carry; the user can still type the title
        choices.append((plain(f"{doc.title} ({doc.doc_id})", limits.CHOICE_NAME), doc.doc_id))
    return choices[: limits.CHOICES]


def theme_choices(themes: Iterable[Theme]) -> list[tuple[str, str]]:
    """A theme option's choices, in the order given: "Label (name)" → name."""
    choices = [
        (plain(f"{t.label or t.name} ({t.name})", limits.CHOICE_NAME), t.name)
        for t in themes
        if limits.width(t.name) <= limits.CHOICE_VALUE
    ]
    return choices[: limits.CHOICES]
