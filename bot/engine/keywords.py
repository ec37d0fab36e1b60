"""Keywords: what is distinctive of one document against the rest of the corpus (keyness).

As AntConc's Keyword tool does it: every word of the document is compared with its frequency in a
reference corpus — here the rest of our corpus — by Rayson & Garside's log-likelihood (how sure we
are the difference is not chance) and Hardie's Log Ratio (how big it is: +1 = twice as frequent).
Only words the document uses *more* than the rest are listed, each with an example passage where
it is densest, so a reader sees the word at work.

The unit is the index's term (folded, stemmed, stop words left out): the corpus counts come from
`PassageIndex.term_freq` without another pass over the corpus, and "cartel" and "cartels" count
as one keyword, shown in the document's most frequent form.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.engine.association import LL_CRITICAL, keyness
from bot.engine.engine import Engine
from bot.engine.occurrences import reader_for, sample_rows
from bot.engine.snippets import best_snippet, match_spans

log = logging.getLogger(__name__)

DEFAULT_MIN_FREQ = 3
DEFAULT_P = 0.01
DEFAULT_TOP = 25
MAX_TOP = 200
PER = 10_000  # relative frequencies are per 10,000 words
EXAMPLE_SENTENCES, EXAMPLE_CHARS = 1, 300


@dataclass(frozen=True, slots=True)
class Example:
    """Where a keyword is densest in the document: a sentence of that passage, with the word."""

    passage_id: str
    section: str | None
    ordinal: int
    text: str  # the sentence, verbatim
    highlights: tuple[tuple[int, int], ...]  # the keyword's spans in `text`

    def to_json(self) -> dict[str, Any]:
        return {
            "passage_id": self.passage_id,
            "section": self.section,
            "ordinal": self.ordinal,
            "text": self.text,
            "highlights": [list(h) for h in self.highlights],
        }


@dataclass(frozen=True, slots=True)
class Keyword:
    """One word the document uses distinctly more than the rest of the corpus."""

    term: str
    word: str  # the document's most frequent form of the term
    frequency: int  # a: occurrences in the document
    reference_frequency: int  # b: occurrences in the rest of the corpus
    per_10k: float
    reference_per_10k: float
    ll: float
    log_ratio: float
    example: Example | None

    def to_json(self) -> dict[str, Any]:
        return {
            "word": self.word,
            "term": self.term,
            "frequency": self.frequency,
            "reference_frequency": self.reference_frequency,
            "per_10k": round(self.per_10k, 4),
            "reference_per_10k": round(self.reference_per_10k, 4),
            "ll": round(self.ll, 6),
            "log_ratio": round(self.log_ratio, 6),
            "example": self.example.to_json() if self.example else None,
        }


@dataclass(frozen=True, slots=True)
class KeywordResult:
    """A document's keywords, most significant first, and the sizes they were measured on."""

    doc_id: str
    title: str
    keywords: tuple[Keyword, ...]
    document_terms: int  # c
    reference_terms: int  # d
    min_freq: int = DEFAULT_MIN_FREQ
    p: float = DEFAULT_P
    passages_read: int = 0
    passages: int = 0
    sampled: bool = False
    message: str | None = None

    @property
    def threshold(self) -> float:
        return LL_CRITICAL[self.p]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "doc_id": self.doc_id,
            "title": self.title,
            "document_terms": self.document_terms,
            "reference_terms": self.reference_terms,
            "min_freq": self.min_freq,
            "p": self.p,
            "ll_threshold": self.threshold,
            "passages_read": self.passages_read,
            "passages": self.passages,
            "sampled": self.sampled,
            "keywords": [k.to_json() for k in self.keywords],
        }
        if self.message is not None:
            out["message"] = self.message
        return out


def keywords(
    engine: Engine,
    document: str,
    *,
    min_freq: int = DEFAULT_MIN_FREQ,
    p: float = DEFAULT_P,
    top: int = DEFAULT_TOP,
) -> KeywordResult:
    """The keywords of `document` against the rest of the corpus, by log-likelihood.

    Raises `UnknownDocument` for a document that does not exist. A keyword is used at least
    `min_freq` times, more often than in the rest, with LL above the critical value for `p`.
    """
    doc = engine.find_document(document)
    p = p if p in LL_CRITICAL else DEFAULT_P
    min_freq = max(1, int(min_freq))
    top = max(1, min(int(top), MAX_TOP))
    rows, sampled = sample_rows(np.arange(doc.rows.start, doc.rows.stop))
    reader = reader_for(engine)
    passages = engine.corpus.passages
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    densest: dict[str, tuple[int, int]] = {}  # term → (occurrences, -row) of its best passage
    for row in rows.tolist():
        here: Counter[str] = Counter()
        for form, term in reader.pairs(passages[row].text):
            if term is not None:
                here[term] += 1
                forms[term][form] += 1
        counts.update(here)
        for term, n in here.items():
            if (n, -row) > densest.get(term, (0, 0)):
                densest[term] = (n, -row)
    index = engine.index
    c = sum(counts.values())
    d = index.total_terms - c
    base: dict[str, Any] = {
        "min_freq": min_freq,
        "p": p,
        "passages_read": int(rows.size),
        "passages": doc.passage_count,
        "sampled": sampled,
    }
    if len(engine.corpus.documents) < 2 or d <= 0:
        message = (
            "Keywords compare a document with the rest of the corpus; this corpus has no rest."
        )
        return KeywordResult(doc.doc_id, doc.title, (), c, max(d, 0), message=message, **base)
    threshold = LL_CRITICAL[p]
    found = []
    for term, a in counts.items():
        if a < min_freq:
            continue
        b = max(0, int(index.term_freq[index.vocabulary[term]]) - a)
        k = keyness(a, b, c, d)
        if not k.overused or k.ll < threshold:
            continue
        found.append((term, a, b, k))
    found.sort(key=lambda x: (-x[3].ll, -x[1], x[0]))
    keywords_ = tuple(
        Keyword(
            term,
            min(forms[term].items(), key=lambda kv: (-kv[1], kv[0]))[0],
            a,
            b,
            a * PER / c,
            b * PER / d,
            k.ll,
            k.log_ratio,
            _example(engine, -densest[term][1], term),
        )
        for term, a, b, k in found[:top]
    )
    notes = []
    if sampled:
        notes.append(
            f"A very long document: measured on an evenly spaced sample of {rows.size:,} of its "
            f"{doc.passage_count:,} passages, against everything else."
        )
    if not keywords_:
        notes.append(
            f"No word is used at least {min_freq} times and distinctly more in this document than "
            f"in the rest of the corpus (log-likelihood ≥ {threshold}, p < {p})."
        )
    return KeywordResult(
        doc.doc_id, doc.title, keywords_, c, d, message=" ".join(notes) or None, **base
    )


def _example(engine: Engine, row: int, term: str) -> Example:
    """The sentence of passage `row` that shows `term`, with its occurrences marked."""
    p = engine.corpus.passages[row]
    weights = {term: 1.0}
    spans = match_spans(p.text, engine.analyzer, weights)
    snippet = best_snippet(p.text, spans, weights, EXAMPLE_SENTENCES, EXAMPLE_CHARS)
    return Example(p.id, p.section, p.ordinal, snippet.text, snippet.highlights)
