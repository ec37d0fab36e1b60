"""A document's text as the store counts it, and where each passage and quote stands in it.

Why one definition: a coding keeps its quote and its character offsets, and every export (REFI-QDA
selections, W3C position selectors) must cut exactly that quote out of the text it ships. So there
is one "document text" — the document's passages in order, joined by a blank line, with `\n` line
ends — made here and nowhere else; a coding's quote is always `text[start:end]`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.engine.model import Document, Passage
from bot.store.errors import InvalidInput, UnknownDocument, UnknownPassage

PASSAGE_SEPARATOR = "\n\n"
_LINE_ENDS = re.compile(r"\r\n?")
_NAME_SEPARATORS = re.compile(r"[\s_\-‐-―]+")


def normalize_newlines(text: str) -> str:
    """`\r\n` and lone `\r` become `\n` (tools disagree on counting `\r\n`; one `\n` is one)."""
    return _LINE_ENDS.sub("\n", text)


def document_text(passages: Sequence[Passage]) -> tuple[str, list[tuple[int, int]]]:
    """The document's text and each passage's (start, end) in it, in the order given."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for i, p in enumerate(passages):
        if i:
            parts.append(PASSAGE_SEPARATOR)
            pos += len(PASSAGE_SEPARATOR)
        text = normalize_newlines(p.text)
        parts.append(text)
        spans.append((pos, pos + len(text)))
        pos += len(text)
    return "".join(parts), spans


def fold_name(name: str) -> str:
    """The key two names collide on: case, accents, spaces, hyphens and underscores ignored.

    "Human Rights", "human-rights" and "HUMAN_RIGHTS" are one code; "Mérida" and "Merida" too.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NAME_SEPARATORS.sub(" ", bare.casefold()).strip()


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a quote stands: its passage, its document and its offsets in the document's text."""

    passage_id: str
    doc_id: str
    quote: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Located:
    """A passage with its document text span (what exports and citations need)."""

    passage: Passage
    start: int
    end: int


class CorpusText:
    """The documents and passages of one loaded corpus, with document texts made on demand.

    Build one per engine (`CorpusText.build(engine.documents, engine.corpus.passages)`); it is
    read-only, cheap to build (texts are joined lazily, per document) and safe to share between
    threads (a race only joins the same text twice).
    """

    def __init__(self, documents: Iterable[Document], passages: Iterable[Passage]) -> None:
        self.documents: dict[str, Document] = {d.doc_id: d for d in documents}
        self._passages: dict[str, Passage] = {}
        self._by_doc: dict[str, list[Passage]] = {}
        for p in passages:
            self._passages[p.id] = p
            self._by_doc.setdefault(p.doc_id, []).append(p)
        for doc_passages in self._by_doc.values():
            doc_passages.sort(key=lambda p: p.ordinal)
        self._texts: dict[str, _DocText] = {}

    @classmethod
    def build(cls, documents: Iterable[Document], passages: Iterable[Passage]) -> CorpusText:
        return cls(documents, passages)

    # -- lookups -------------------------------------------------------------------------

    def has_passage(self, passage_id: str) -> bool:
        return passage_id in self._passages

    def has_document(self, doc_id: str) -> bool:
        return doc_id in self.documents or doc_id in self._by_doc

    def passage(self, passage_id: str) -> Passage:
        try:
            return self._passages[passage_id]
        except KeyError:
            raise UnknownPassage(passage_id) from None

    def passages_of(self, doc_id: str) -> Sequence[Passage]:
        return self._by_doc.get(doc_id, [])

    def doc_ids(self) -> list[str]:
        """Every document id, documents first in their corpus order, then passage-only ids."""
        ids = list(self.documents)
        ids += [d for d in self._by_doc if d not in self.documents]
        return ids

    def text(self, doc_id: str) -> str:
        return self._doc(doc_id).text

    def fingerprint(self, doc_id: str) -> str:
        """What a document's anchors depend on — its text and its passages' ids and spans — hashed.

        Two loads give the same fingerprint exactly when every anchor in the document still
        stands where it stood, so a check of the anchors can skip the documents that kept theirs.
        """
        doc = self._doc(doc_id)
        digest = hashlib.blake2b(doc.text.encode("utf-8"), digest_size=16)
        for passage_id, i in doc.index.items():
            start, end = doc.spans[i]
            digest.update(f"\x00{passage_id}:{start}:{end}".encode())
        return digest.hexdigest()

    def span(self, passage_id: str) -> tuple[int, int]:
        """The passage's (start, end) in its document's text."""
        p = self.passage(passage_id)
        doc = self._doc(p.doc_id)
        return doc.spans[doc.index[p.id]]

    def locate(self, doc_id: str, offset: int) -> Located | None:
        """The passage whose span holds `offset` (a separator belongs to the passage before it)."""
        doc = self._doc(doc_id)
        passages = self._by_doc.get(doc_id, [])
        if not passages:
            return None
        i = max(bisect_right(doc.starts, offset) - 1, 0)
        start, end = doc.spans[i]
        return Located(passages[i], start, end)

    # -- anchoring -------------------------------------------------------------------------

    def anchor(self, passage_id: str, within: tuple[int, int] | None = None) -> Anchor:
        """The anchor of a whole passage, or of `within` = (start, end) offsets in its text."""
        p = self.passage(passage_id.strip())
        start, end = self.span(p.id)
        if within is not None:
            lo, hi = within
            if not 0 <= lo < hi <= end - start:
                raise InvalidInput(
                    f"The selection {lo}–{hi} is outside passage {p.id} "
                    f"(it has {end - start} characters)."
                )
            start, end = start + lo, start + hi
        return Anchor(p.id, p.doc_id, self.text(p.doc_id)[start:end], start, end)

    def find_quote(self, doc_id: str, quote: str, near: int, prefer: str | None) -> Anchor | None:
        """Where `quote` stands in the document now, or None if it is gone.

        Among several occurrences, one inside passage `prefer` wins, then the one nearest the
        old offset `near`: a quote that merely moved keeps its place among repeats.
        """
        if not quote or not self.has_document(doc_id):
            return None
        text = self.text(doc_id)
        hits: list[int] = []
        i = text.find(quote)
        while i != -1:
            hits.append(i)
            i = text.find(quote, i + 1)
        if not hits:
            return None
        inside: list[int] = []
        if prefer is not None and prefer in self._passages:
            p_start, p_end = self.span(prefer)
            inside = [h for h in hits if p_start <= h and h + len(quote) <= p_end]
        best = min(inside or hits, key=lambda h: (abs(h - near), h))
        located = self.locate(doc_id, best)
        if located is None:  # pragma: no cover - a document with text has passages
            return None
        return Anchor(located.passage.id, doc_id, quote, best, best + len(quote))

    # -- internals -------------------------------------------------------------------------

    def _doc(self, doc_id: str) -> _DocText:
        cached = self._texts.get(doc_id)
        if cached is None:
            if not self.has_document(doc_id):
                raise UnknownDocument(doc_id)
            passages = self._by_doc.get(doc_id, [])
            text, spans = document_text(passages)
            cached = _DocText(
                text, spans, [s for s, _ in spans], {p.id: i for i, p in enumerate(passages)}
            )
            self._texts[doc_id] = cached
        return cached


@dataclass(frozen=True, slots=True)
class _DocText:
    text: str
    spans: list[tuple[int, int]]
    starts: list[int]
    index: dict[str, int]
