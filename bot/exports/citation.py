"""Where a quote stands, for every export: title, page, section, ¶ — and stable GUIDs.

Why shared: the CSV, Markdown, REFI-QDA and W3C exports cite the same way and name the same
things with the same identifiers, so a re-export of unchanged data gives identical bytes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from bot.store.text import CorpusText

# Every GUID of an export is uuid5(NAMESPACE, natural key): stable across exports and machines.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://corpus-bot.invalid/exports")


def stable_guid(*parts: object) -> str:
    """A GUID derived from a natural key (e.g. ("code", "human rights"))."""
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(str(p) for p in parts)))


@dataclass(frozen=True, slots=True)
class Citation:
    title: str
    section: str | None
    page: int | None
    ordinal: int | None  # the ¶ number; None when the passage is gone

    def line(self) -> str:
        """ "Title, § Section, p. 3, ¶ 4" — the parts that are known."""
        parts = [self.title]
        if self.section:
            parts.append(f"§ {self.section}")
        if self.page is not None:
            parts.append(f"p. {self.page}")
        if self.ordinal is not None:
            parts.append(f"¶ {self.ordinal}")
        return ", ".join(parts)


def cite(passage_id: str, doc_id: str, corpus: CorpusText) -> Citation:
    """The citation of a passage; a passage or document the corpus lost still gets its title/id."""
    document = corpus.documents.get(doc_id)
    title = document.title if document is not None else doc_id
    if corpus.has_passage(passage_id):
        p = corpus.passage(passage_id)
        page = getattr(p, "page", None)
        return Citation(
            p.title or title, p.section, page if isinstance(page, int) else None, p.ordinal
        )
    return Citation(title, None, None, None)
