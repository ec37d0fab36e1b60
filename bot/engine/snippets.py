"""Snippets and highlights: which words of a passage matched, and its best 1–3 sentences.

Why spans and not pre-bolded text: each front end marks matches its own way (Discord bold, terminal
colour, JSON spans), and spans into the verbatim text keep the quote exact.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.engine.analysis import TOKEN_RE, Analyzer
from bot.engine.model import Snippet
from bot.engine.sentences import sentence_spans

# `TOKEN_RE` on ASCII text, where no combining mark can follow a letter: the same words, found
# 2–3× faster (most passages are ASCII; read for every hit shown).
ASCII_TOKEN_RE = re.compile(r"[A-Za-z0-9]+")


def match_spans(
    text: str, analyzer: Analyzer, weights: Mapping[str, float]
) -> list[tuple[int, int, str]]:
    """(start, end, term) of every word of `text` whose term is one of the query's."""
    return [(t.start, t.end, t.term) for t in analyzer.tokens(text) if t.term in weights]


def read_matches(
    text: str, analyzer: Analyzer, weights: Mapping[str, float]
) -> tuple[set[str], list[tuple[int, int, str]]]:
    """The terms of `text` and `match_spans`'s spans, reading its words once (C-level `findall`
    and `map`), and their positions only when a query term is among them."""
    words_re = ASCII_TOKEN_RE if text.isascii() else TOKEN_RE
    terms = list(map(analyzer.term, words_re.findall(text)))
    words = set(terms)
    words.discard(None)
    if words.isdisjoint(weights):
        return words, []  # type: ignore[return-value]
    spans = [
        (m.start(), m.end(), t)
        for m, t in zip(words_re.finditer(text), terms, strict=True)
        if t is not None and t in weights
    ]
    return words, spans  # type: ignore[return-value]


def best_snippet(
    text: str,
    spans: Sequence[tuple[int, int, str]],
    weights: Mapping[str, float],
    max_sentences: int = 3,
    max_chars: int = 400,
) -> Snippet:
    """The window of 1–3 consecutive sentences that covers the most query weight.

    Distinct terms count once per window (a sentence repeating one word is not better than one
    naming two query words); within the character budget, a longer window wins only if it adds
    weight, and earlier windows win ties, so the choice is deterministic.
    """
    sentences = sentence_spans(text) or [(0, len(text))]
    best: tuple[float, int, int] | None = None
    for i in range(len(sentences)):
        for j in range(i, min(i + max_sentences, len(sentences))):
            a, b = sentences[i][0], sentences[j][1]
            if j > i and b - a > max_chars:
                break
            covered = {term for s, e, term in spans if s >= a and e <= b}
            score = sum(weights.get(t, 0.0) for t in covered)
            if best is None or score > best[0] + 1e-12:
                best = (score, a, b)
    assert best is not None
    _, a, b = best
    if b - a > max_chars:
        b = _cut_at_word(text, a, max_chars)
    inside = [(s - a, e - a) for s, e, _ in spans if s >= a and e <= b]
    return Snippet(text[a:b], merge_adjacent(text[a:b], inside), a)


def merge_adjacent(text: str, spans: Sequence[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Join spans separated only by spaces or hyphens: one bold "human rights", not two."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and not text[out[-1][1] : a].strip(" -‐"):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return tuple(out)


def _cut_at_word(text: str, start: int, max_chars: int) -> int:
    """End of the last whole word within `max_chars` of `start`."""
    limit = start + max_chars
    cut = text.rfind(" ", start, limit)
    return cut if cut > start else limit
