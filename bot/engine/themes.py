"""Themes scored over the corpus: which passages speak to each theme of the codebook, and how much.

How a passage is scored against a theme (all in analyzed terms, so "Abuses" meets "abuse"):

- A phrase counts where its words stand consecutively (stop words skipped), exactly as a quoted
  phrase of `/search`; a term counts wherever it stands outside a counted phrase.
- An `exclude` expression masks its words: a term or phrase occurrence overlapping it does not count
  ("law" counts for legal-framework, but not inside "law enforcement").
- The score is BM25's saturated, length-normalized term frequency summed over the theme's terms
  and phrases, each phrase counting `PHRASE_WEIGHT` times a loose term; so passages *using the
  theme's expressions*, several of them, densely, rank first. There is no idf: every expression
  of the codebook was chosen as telling, and the most common one ("human rights") is the most
  central to its theme, not the least.
- A passage **touches** a theme when at least one term or phrase of the theme counts in it (after
  exclusions). Terms are therefore words that signal the theme on their own ("torture",
  "corruption"); broad words belong in phrases ("human rights", not "rights").

The codebook itself (reading and validating the YAML) is `bot.engine.codebook`.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bot.engine.analysis import Analyzer
from bot.engine.codebook import Codebook, Theme
from bot.engine.engine import Engine
from bot.engine.index import RANK_SLACK, Candidates, rank
from bot.engine.model import Document, Hit
from bot.engine.query import parse_query
from bot.engine.wording import short_labels

log = logging.getLogger(__name__)

PHRASE_WEIGHT = 2.0
# Each further hit from a document already shown counts this much less, so one long article cannot
# fill the first page while other documents also speak to the theme.
SAME_DOCUMENT_DECAY = 0.85


@dataclass(frozen=True, slots=True)
class ThemeMatcher:
    """A theme compiled to analyzed terms: what to look for in a passage's term list."""

    terms: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]  # two or more terms each
    exclude: tuple[tuple[str, ...], ...]

    @classmethod
    def compile(cls, theme: Theme, analyzer: Analyzer) -> ThemeMatcher:
        terms: set[str] = set()
        phrases: list[tuple[str, ...]] = []
        for words in (*theme.terms, *theme.phrases):
            analyzed = tuple(analyzer.terms(words))
            if len(analyzed) == 1:
                terms.add(analyzed[0])
            elif analyzed and analyzed not in phrases:
                phrases.append(analyzed)
        exclude = tuple(dict.fromkeys(tuple(analyzer.terms(w)) for w in theme.exclude))
        return cls(frozenset(terms), tuple(phrases), tuple(e for e in exclude if e))

    @property
    def query_weights(self) -> dict[str, float]:
        """Term weights for highlighting and snippets: phrase words count like phrases."""
        weights = dict.fromkeys(sorted(self.terms), 1.0)
        for phrase in self.phrases:
            for term in phrase:
                weights[term] = max(weights.get(term, 0.0), PHRASE_WEIGHT)
        return weights

    def count(self, terms: Sequence[str]) -> Counter[str | tuple[str, ...]]:
        """Occurrences of each term and phrase in a term list, after exclusions."""
        masked = _occupied(terms, self.exclude)
        used = set(masked)
        found: Counter[str | tuple[str, ...]] = Counter()
        for phrase in self.phrases:
            n = len(phrase)
            for i in range(len(terms) - n + 1):
                if tuple(terms[i : i + n]) == phrase and not used.intersection(range(i, i + n)):
                    found[phrase] += 1
                    used.update(range(i, i + n))
        for i, term in enumerate(terms):
            if term in self.terms and i not in used:
                found[term] += 1
        return found


def _occupied(terms: Sequence[str], expressions: Iterable[tuple[str, ...]]) -> set[int]:
    out: set[int] = set()
    for expr in expressions:
        n = len(expr)
        for i in range(len(terms) - n + 1):
            if tuple(terms[i : i + n]) == expr:
                out.update(range(i, i + n))
    return out


@dataclass(frozen=True, slots=True)
class ThemeScores:
    """One theme over the whole corpus: passages that touch it (rows ascending) and their scores."""

    theme: Theme
    rows: np.ndarray  # int64
    scores: np.ndarray  # float64
    weights: dict[str, float]  # per analyzed term, for highlights and contributions

    def by_doc(self, documents: Iterable[Document]) -> dict[str, int]:
        """How many passages of each document touch the theme (every document, corpus order)."""
        return {
            d.doc_id: int(np.count_nonzero((self.rows >= d.rows.start) & (self.rows < d.rows.stop)))
            for d in documents
        }


class ThemeIndex:
    """Every theme of a codebook scored against every passage of one engine; read-only once built.

    Built by `Workspace.themes` on first use (scoring reads every passage that holds a theme word,
    which is not worth paying at start for a bot that may never be asked about themes).
    """

    def __init__(self, engine: Engine, codebook: Codebook) -> None:
        self.engine = engine
        self.codebook = codebook
        self.matchers = {t.name: ThemeMatcher.compile(t, engine.analyzer) for t in codebook.themes}
        self.scores = self._score_all(engine)

    def _score_all(self, engine: Engine) -> dict[str, ThemeScores]:
        index, analyzer = engine.index, engine.analyzer
        passages = engine.corpus.passages
        lengths = np.fromiter(
            (len(analyzer.terms(p.text)) for p in passages), dtype=np.float64, count=len(passages)
        )
        avgdl = float(lengths.mean()) if lengths.size and lengths.sum() else 1.0
        wanted = set().union(*(m.terms.union(*m.phrases) for m in self.matchers.values()))
        rows = np.unique(
            np.concatenate(
                [index.postings(t) for t in sorted(wanted)] or [np.empty(0, dtype=np.int64)]
            )
        ).astype(np.int64)
        counts: dict[str, dict[int, Counter[str | tuple[str, ...]]]] = {
            name: {} for name in self.matchers
        }
        for row in rows.tolist():
            terms = analyzer.terms(passages[row].text)
            for name, matcher in self.matchers.items():
                found = matcher.count(terms)
                if found:
                    counts[name][row] = found
        k1, b = index.settings.k1, index.settings.b
        out = {}
        for theme in self.codebook.themes:
            per_row = counts[theme.name]
            touched = sorted(per_row)
            scores = []
            for row in touched:
                norm = 1.0 - b + b * lengths[row] / avgdl
                score = 0.0
                for unit, tf in sorted(per_row[row].items(), key=lambda kv: str(kv[0])):
                    weight = PHRASE_WEIGHT if isinstance(unit, tuple) else 1.0
                    score += weight * tf * (k1 + 1) / (tf + k1 * norm)
                scores.append(score)
            out[theme.name] = ThemeScores(
                theme,
                np.asarray(touched, dtype=np.int64),
                np.asarray(scores, dtype=np.float64),
                self.matchers[theme.name].query_weights,
            )
        return out


# -- results ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ThemeResult:
    """The passages most about one theme, and how many passages of each document touch it."""

    theme: Theme
    hits: tuple[Hit, ...]
    by_doc: dict[str, int]
    total: int  # passages touching the theme, whole corpus
    message: str | None = None

    @property
    def documents_touching(self) -> int:
        return sum(1 for n in self.by_doc.values() if n)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "theme": self.theme.name,
            "label": self.theme.label,
            "description": self.theme.description,
            "total": self.total,
            "documents": f"{self.documents_touching} of {len(self.by_doc)}",
            "hits": [h.to_json() for h in self.hits],
            "by_doc": dict(self.by_doc),
        }
        if self.message is not None:
            out["message"] = self.message
        return out


@dataclass(frozen=True, slots=True)
class ThemeOverview:
    """Every theme against every document: how many passages of each document touch it."""

    themes: tuple[Theme, ...]
    documents: tuple[Document, ...]
    counts: dict[str, dict[str, int]]  # theme name → doc id → passages touching
    shares: dict[str, dict[str, float]] = field(default_factory=dict)  # … / passages of the doc

    def to_json(self) -> dict[str, Any]:
        labels = short_labels([d.doc_id for d in self.documents])
        return {
            "themes": [{"name": t.name, "label": t.label} for t in self.themes],
            "documents": [
                {
                    "doc_id": d.doc_id,
                    "label": labels[d.doc_id],
                    "title": d.title,
                    "passages": d.passage_count,
                }
                for d in self.documents
            ],
            "counts": self.counts,
            "shares": {
                t: {d: round(v, 4) for d, v in row.items()} for t, row in self.shares.items()
            },
        }


# -- the questions ------------------------------------------------------------------------------


def theme_result(themes: ThemeIndex, name: str, top: int = 10) -> ThemeResult:
    """The passages most about theme `name`, best first, labelled by document.

    Raises `UnknownTheme` (with the closest names) for a name the codebook does not have.
    """
    engine = themes.engine
    theme = themes.codebook.find(name)
    scored = themes.scores[theme.name]
    top = max(1, min(top, engine.settings.search.max_top))
    ranked = diversified(scored.rows, scored.scores, engine, top + RANK_SLACK)
    hits = engine.make_hits(ranked, scored.weights, top)
    by_doc = scored.by_doc(engine.documents)
    message = None if hits else f"No passage of the corpus speaks to {theme.label}."
    return ThemeResult(theme, tuple(hits), by_doc, int(scored.rows.size), message)


def diversified(
    rows: np.ndarray, scores: np.ndarray, engine: Engine, k: int
) -> list[tuple[int, float]]:
    """The k best rows, where each further row of an already-listed document counts a bit less.

    The reported score stays the passage's own; only the order changes. Ties keep corpus order.
    """
    pool = rank(Candidates(rows, scores), max(k * 4, k + 50))
    doc_of = {p.row: p.doc_id for p in (engine.corpus.passages[r] for r, _ in pool)}
    shown: Counter[str] = Counter()
    out: list[tuple[int, float]] = []
    remaining = list(pool)
    while remaining and len(out) < k:
        best = max(
            range(len(remaining)),
            key=lambda i: (
                remaining[i][1] * SAME_DOCUMENT_DECAY ** shown[doc_of[remaining[i][0]]],
                -remaining[i][0],
            ),
        )
        row, score = remaining.pop(best)
        shown[doc_of[row]] += 1
        out.append((row, score))
    return out


def themes_overview(themes: ThemeIndex) -> ThemeOverview:
    """Every theme against every document (passage counts and shares)."""
    docs = tuple(themes.engine.documents)
    counts: dict[str, dict[str, int]] = {}
    shares: dict[str, dict[str, float]] = {}
    for theme in themes.codebook.themes:
        by_doc = themes.scores[theme.name].by_doc(docs)
        counts[theme.name] = by_doc
        shares[theme.name] = {
            d.doc_id: by_doc[d.doc_id] / d.passage_count if d.passage_count else 0.0 for d in docs
        }
    return ThemeOverview(themes.codebook.themes, docs, counts, shares)


def focus_matcher(
    analyzer: Analyzer, focus: str, codebook: Codebook | None
) -> tuple[ThemeMatcher, Theme | None]:
    """What a summary focus means: a codebook theme when it names one, else its words.

    Words follow the search syntax: "quoted phrases" and -excluded words.
    """
    theme = codebook.get(focus) if codebook is not None else None
    if theme is not None:
        return ThemeMatcher.compile(theme, analyzer), theme
    parsed = parse_query(focus, analyzer)
    phrase_terms = {t for p in parsed.phrases for t in p.terms}
    return (
        ThemeMatcher(
            frozenset(t for t in parsed.terms if t not in phrase_terms),
            tuple(p.terms for p in parsed.phrases),
            tuple((t,) for t in parsed.excluded),
        ),
        None,
    )
