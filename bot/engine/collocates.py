"""Collocates: the words that keep company with a word or phrase, within ±N words of it.

How it counts (Evert 2008's "surface co-occurrence"): the corpus is the index's own stream of
terms — folded, stemmed, stop words left out, exactly what `PassageIndex.term_freq` counts — so a
collocate's corpus frequency f(c) and the corpus size N cost nothing to read, even at a million
passages. Around every occurrence of the node, the `window` terms on each side (within its
passage) are its window slots; a collocate's co-occurrence frequency O11 is how often it fills
one. The measures (`bot.engine.association`) compare O11 with what the window slots would hold by
chance. Only attraction (O11 above its expectation) is listed; a collocate needs `min_freq`
co-occurrences, because MI in particular rewards words seen once or twice.

Stop words are never collocates: the index does not count them, so their association could not be
measured against the same corpus.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from typing import Any

import numpy as np

from bot.engine.association import MEASURE_NAMES, MEASURES, Scores, collocation_scores
from bot.engine.engine import Engine
from bot.engine.occurrences import (
    correction_note,
    find_spans,
    look_up,
    nothing_found,
    plan_scan,
    reader_for,
    sample_note,
)

log = logging.getLogger(__name__)

DEFAULT_WINDOW = 5  # AntConc's default: 5 words left, 5 right
MAX_WINDOW = 10
DEFAULT_MIN_FREQ = 3
MAX_MIN_FREQ = 1000
DEFAULT_TOP = 25
MAX_TOP = 200
# Collocates are a statistic over many windows, not a list to read: 2,000 passages (and at most
# 2,000 occurrences) give ~20,000 window slots, and keep the answer within a second at 1M passages.
MAX_PASSAGES = 2_000  # passages read; above it, an even sample of them
MAX_NODES = 2_000  # occurrences whose windows are read; above it, an even sample of them


@dataclass(frozen=True, slots=True)
class Collocate:
    """One word near the node: how often, on which side, how often overall, how strongly."""

    term: str  # index term (folded, stemmed)
    word: str  # its most frequent form in the node's windows
    together: int  # O11: co-occurrences within the window
    left: int
    right: int
    frequency: int  # f(c): occurrences in the whole corpus
    expected: float  # E11
    ll: float
    mi: float
    t: float

    def score(self, measure: str) -> float:
        return {"ll": self.ll, "mi": self.mi, "t": self.t}[measure]

    def to_json(self) -> dict[str, Any]:
        return {
            "word": self.word,
            "term": self.term,
            "together": self.together,
            "left": self.left,
            "right": self.right,
            "frequency": self.frequency,
            "expected": round(self.expected, 6),
            "ll": round(self.ll, 6),
            "mi": round(self.mi, 6),
            "t": round(self.t, 6),
        }


@dataclass(frozen=True, slots=True)
class CollocateResult:
    """The collocates of a node, strongest first by `measure`, and the counts behind them."""

    query: str
    collocates: tuple[Collocate, ...]
    measure: str = "ll"
    window: int = DEFAULT_WINDOW
    min_freq: int = DEFAULT_MIN_FREQ
    target: str | None = None
    node_frequency: int = 0  # occurrences of the node read
    window_slots: int = 0  # R1
    corpus_terms: int = 0  # N
    passages_read: int = 0
    candidates: int = 0
    sampled: bool = False
    corrected: str | None = None
    suggestions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    message: str | None = None

    @property
    def measure_name(self) -> str:
        return MEASURE_NAMES[self.measure]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "query": self.query,
            "target": self.target,
            "measure": self.measure,
            "window": self.window,
            "min_freq": self.min_freq,
            "node_frequency": self.node_frequency,
            "window_slots": self.window_slots,
            "corpus_terms": self.corpus_terms,
            "passages_read": self.passages_read,
            "candidates": self.candidates,
            "sampled": self.sampled,
            "collocates": [c.to_json() for c in self.collocates],
            "suggestions": {k: list(v) for k, v in self.suggestions.items()},
        }
        for key in ("corrected", "message"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


def collocates(
    engine: Engine,
    text: str,
    *,
    window: int = DEFAULT_WINDOW,
    measure: str = "ll",
    min_freq: int = DEFAULT_MIN_FREQ,
    stem: bool = False,
    top: int = DEFAULT_TOP,
) -> CollocateResult:
    """The words most associated with `text` within ±`window` terms, ranked by `measure`.

    `measure` is "ll" (log-likelihood, the default), "mi" or "t"; the window is bounded to
    1…`MAX_WINDOW` and the answer says when it was cut. Never raises on odd input.
    """
    measure = measure if measure in MEASURES else "ll"
    notes: list[str] = []
    if int(window) > MAX_WINDOW:
        notes.append(f"The window is at most ±{MAX_WINDOW} words; used ±{MAX_WINDOW}.")
    window = max(1, min(int(window), MAX_WINDOW))
    min_freq = max(1, min(int(min_freq), MAX_MIN_FREQ))
    top = max(1, min(int(top), MAX_TOP))
    base: dict[str, Any] = {"measure": measure, "window": window, "min_freq": min_freq}
    lookup = look_up(engine, text, stem=stem)
    if lookup.target is None:
        message = " ".join([*notes, lookup.message or ""]).strip()
        return CollocateResult(text, (), message=message, suggestions=lookup.suggestions, **base)
    target = lookup.target
    scan = plan_scan(engine, target, limit=MAX_PASSAGES)
    reader = reader_for(engine)
    passages = engine.corpus.passages
    nodes = [(row, a, b) for row, spans in find_spans(engine, target, scan.rows) for a, b in spans]
    found_nodes = len(nodes)
    if found_nodes > MAX_NODES:  # an evenly spaced sample of the occurrences
        picks = np.unique(np.linspace(0, found_nodes - 1, MAX_NODES).round().astype(np.int64))
        nodes = [nodes[i] for i in picks.tolist()]
    left_words: list[tuple[str, str | None]] = []
    right_words: list[tuple[str, str | None]] = []
    for row, start, end in nodes:
        text = passages[row].text
        left_words.extend(reader.before(text, start, window, content=True))
        right_words.extend(reader.after(text, end, window, content=True))
    node_frequency = len(nodes)
    slots = len(left_words) + len(right_words)
    # Counted by Counter over C iterators: no Python step per window word.
    together: Counter[str | None] = Counter(map(_TERM, chain(left_words, right_words)))
    on_left: Counter[str | None] = Counter(map(_TERM, left_words))
    index = engine.index
    n = index.total_terms
    kept: list[tuple[str, int, int, Scores]] = []
    for term, o11 in together.items():
        if term is None or o11 < min_freq:
            continue
        c1 = int(index.term_freq[index.vocabulary[term]])
        scores = collocation_scores(o11, slots, c1, n)
        if o11 > scores.expected:
            kept.append((term, o11, c1, scores))
    kept.sort(key=lambda k: (-k[3].get(measure), -k[1], k[0]))
    kept = kept[:top]
    shown = _commonest_forms({k[0] for k in kept}, chain(left_words, right_words))
    found_collocates = [
        Collocate(
            term,
            shown[term],
            o11,
            on_left[term],
            o11 - on_left[term],
            c1,
            scores.expected,
            scores.ll,
            scores.mi,
            scores.t,
        )
        for term, o11, c1, scores in kept
    ]
    notes += [n for n in (correction_note(lookup.corrected, text), sample_note(scan)) if n]
    if node_frequency < found_nodes:
        notes.append(
            f"Measured around an evenly spaced sample of {node_frequency:,} of its "
            f"{found_nodes:,} occurrences."
        )
    if node_frequency == 0:
        notes.append(nothing_found(engine, target, scan, None))
    elif not found_collocates:
        notes.append(
            f"No word occurs with '{target.text}' at least {min_freq} times within ±{window} "
            "words more often than chance would have it."
        )
    return CollocateResult(
        text,
        tuple(found_collocates),
        target=target.label,
        node_frequency=node_frequency,
        window_slots=slots,
        corpus_terms=n,
        passages_read=int(scan.rows.size),
        candidates=scan.candidates,
        sampled=scan.sampled,
        corrected=lookup.corrected,
        suggestions=lookup.suggestions,
        message=" ".join(notes) or None,
        **base,
    )


_TERM = itemgetter(1)


def _commonest_forms(terms: set[str], words: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    """Each term's most frequent form among the window words (ties: the first alphabetically)."""
    counts = Counter(words)
    best: dict[str, tuple[int, str]] = {}
    for (form, term), count in counts.items():
        if term in terms and (-count, form) < best.get(term, (0, "")):
            best[term] = (-count, form)
    return {term: form for term, (_, form) in best.items()}
