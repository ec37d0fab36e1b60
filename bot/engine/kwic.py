"""Keyword in context (a concordance): every occurrence of a word or phrase, in its own words.

Why: before coding a theme, a researcher reads how a word is used — every occurrence lined up,
left context · word · right context, as AntConc's and Voyant's concordances show it. Each line
carries the passage it stands in, so any line can be opened and cited. Contexts are slices of the
passage text exactly as the source has it; only the front ends collapse line breaks for display.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bot.engine.engine import Engine
from bot.engine.occurrences import (
    WordReader,
    correction_note,
    find_spans,
    look_up,
    nothing_found,
    plan_scan,
    reader_for,
    sample_note,
)

log = logging.getLogger(__name__)

DEFAULT_WIDTH = 40  # characters of context on each side
MIN_WIDTH, MAX_WIDTH = 10, 200
MAX_LINES = 1_000  # lines kept by default (100 pages in Discord); counts cover every one read
SORTS = ("position", "left", "right")
SORT_WORDS = 3  # like AntConc's sort levels: L1, L2, L3 or R1, R2, R3


@dataclass(frozen=True, slots=True)
class ConcordanceLine:
    """One occurrence: its context as the source has it, and where it stands."""

    left: str
    match: str
    right: str
    passage_id: str
    doc_id: str
    title: str
    section: str | None
    ordinal: int
    start: int  # the match's character span in the passage text
    end: int

    def to_json(self) -> dict[str, Any]:
        return {
            "left": self.left,
            "match": self.match,
            "right": self.right,
            "passage_id": self.passage_id,
            "doc_id": self.doc_id,
            "title": self.title,
            "section": self.section,
            "ordinal": self.ordinal,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True, slots=True)
class Concordance:
    """Every occurrence of a target (up to `max_lines` lines), with counts per document."""

    query: str
    lines: tuple[ConcordanceLine, ...]
    total: int  # occurrences found in the passages read
    by_doc: dict[str, int]  # occurrences per document, corpus order, only documents with some
    forms: dict[str, int] = field(default_factory=dict)  # folded form → occurrences
    target: str | None = None  # what was looked for ("human rights", "kill (all forms)")
    stem: bool = False
    sort: str = "position"
    width: int = DEFAULT_WIDTH
    passages_read: int = 0
    candidates: int = 0  # passages holding the target's terms
    sampled: bool = False
    truncated: bool = False  # more occurrences than lines kept
    corrected: str | None = None
    suggestions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    message: str | None = None
    doc_filter: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {**self.summary_json(), "lines": [line.to_json() for line in self.lines]}

    def summary_json(self) -> dict[str, Any]:
        """Everything but the lines: the last record of `kwic --json`'s JSON Lines."""
        out: dict[str, Any] = {
            "query": self.query,
            "target": self.target,
            "stem": self.stem,
            "total": self.total,
            "by_doc": dict(self.by_doc),
            "forms": dict(self.forms),
            "sort": self.sort,
            "width": self.width,
            "passages_read": self.passages_read,
            "candidates": self.candidates,
            "sampled": self.sampled,
            "truncated": self.truncated,
            "suggestions": {k: list(v) for k, v in self.suggestions.items()},
        }
        for key in ("corrected", "message", "doc_filter"):
            value = getattr(self, key)
            if value is not None:
                out["document" if key == "doc_filter" else key] = value
        return out


def concordance(
    engine: Engine,
    text: str,
    *,
    document: str | None = None,
    width: int = DEFAULT_WIDTH,
    stem: bool = False,
    sort: str = "position",
    max_lines: int | None = MAX_LINES,
) -> Concordance:
    """The concordance of `text` (a word or phrase) over the corpus or one document.

    Raises `UnknownDocument` for a document that does not exist; every other odd input (empty,
    stop words only, a word no document uses) gets a `message` instead of lines. `max_lines`
    (None: no limit) bounds the lines kept — with `sort` "left" or "right", the first ones in
    corpus order are sorted — while the counts cover every occurrence read.
    """
    doc = engine.find_document(document) if document else None
    doc_id = doc.doc_id if doc else None
    width = max(MIN_WIDTH, min(int(width), MAX_WIDTH))
    sort = sort if sort in SORTS else "position"
    base: dict[str, Any] = {"stem": stem, "sort": sort, "width": width, "doc_filter": doc_id}
    lookup = look_up(engine, text, stem=stem)
    if lookup.target is None:
        return Concordance(
            text, (), 0, {}, message=lookup.message, suggestions=lookup.suggestions, **base
        )
    target = lookup.target
    scan = plan_scan(engine, target, doc)
    passages = engine.corpus.passages
    found: list[tuple[tuple[Any, ...], ConcordanceLine]] = []
    by_doc: Counter[str] = Counter()
    forms: Counter[str] = Counter()
    total = 0
    reader = reader_for(engine)
    for row, spans in find_spans(engine, target, scan.rows):
        p = passages[row]
        for start, end in spans:
            total += 1
            by_doc[p.doc_id] += 1
            if target.stem:
                forms[reader.form_of(p.text[start:end])] += 1
            if max_lines is not None and len(found) >= max_lines:
                continue
            line = ConcordanceLine(
                left=left_context(p.text, start, width),
                match=p.text[start:end],
                right=right_context(p.text, end, width),
                passage_id=p.id,
                doc_id=p.doc_id,
                title=p.title,
                section=p.section,
                ordinal=p.ordinal,
                start=start,
                end=end,
            )
            found.append((_sort_key(sort, reader, p.text, start, end, row), line))
    if not target.stem and total:
        forms[" ".join(target.forms)] = total
    found.sort(key=lambda kv: kv[0])
    notes = [note for note in (correction_note(lookup.corrected, text), sample_note(scan)) if note]
    if total == 0:
        notes.append(nothing_found(engine, target, scan, doc.title if doc else None))
    order = [d.doc_id for d in engine.documents]
    return Concordance(
        text,
        tuple(line for _, line in found),
        total,
        {d: by_doc[d] for d in order if by_doc[d]},
        dict(forms.most_common()),
        target=target.label,
        passages_read=int(scan.rows.size),
        candidates=scan.candidates,
        sampled=scan.sampled,
        truncated=total > len(found),
        corrected=lookup.corrected,
        suggestions=lookup.suggestions,
        message=" ".join(notes) or None,
        **base,
    )


def left_context(text: str, start: int, width: int) -> str:
    """Up to `width` characters before `start`, beginning at a word (the source's own text)."""
    cut = max(0, start - width)
    left = text[cut:start]
    if cut > 0 and not text[cut - 1].isspace():
        space = next((i for i, c in enumerate(left) if c.isspace()), len(left))
        left = left[space:].lstrip()
    return left


def right_context(text: str, end: int, width: int) -> str:
    """Up to `width` characters after `end`, ending at a word (the source's own text)."""
    cut = min(len(text), end + width)
    right = text[end:cut]
    if cut < len(text) and not text[cut].isspace():
        space = next((i for i in range(len(right) - 1, -1, -1) if right[i].isspace()), 0)
        right = right[:space].rstrip()
    return right


def _sort_key(
    sort: str, reader: WordReader, text: str, start: int, end: int, row: int
) -> tuple[Any, ...]:
    """Corpus order; or the folded words left (L1, L2, L3) or right (R1, R2, R3) of the match."""
    if sort == "left":
        words = [form for form, _ in reversed(reader.before(text, start, SORT_WORDS))]
        return (*words, *[""] * (SORT_WORDS - len(words)), row, start)
    if sort == "right":
        words = [form for form, _ in reader.after(text, end, SORT_WORDS)]
        return (*words, *[""] * (SORT_WORDS - len(words)), row, start)
    return (row, start)
