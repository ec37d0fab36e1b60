"""Where a quote stands, for every export: title, page, section, ¶ — and stable GUIDs.

Why shared: the CSV, Markdown, REFI-QDA and W3C exports cite the same way and name the same
things with the same identifiers, so a re-export of unchanged data gives identical bytes.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from bot.store.text import CorpusText

# Every GUID of an export is uuid5(NAMESPACE, natural key): stable across exports and machines.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://corpus-bot.invalid/exports")


_NAMESPACE_BYTES = NAMESPACE.bytes


def stable_guid(*parts: object) -> str:
    """A GUID derived from a natural key (e.g. ("code", "human rights")): `uuid.uuid5`, inlined.

    Same value as `str(uuid.uuid5(NAMESPACE, key))` (a test checks it) at a third of the cost;
    a 100k-coding project needs several hundred thousand of them.
    """
    key = "\x1f".join(str(p) for p in parts)
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + key.encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


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
