"""The BM25 index: precomputed per-(passage, term) impacts in a sparse term-major matrix.

Why precompute: BM25's score is a sum over query terms of a number that depends only on the term and
the passage, so it can be computed once at build time. A query then reads only the postings of its
own terms (a few slices of three numpy arrays) and sums them — it never loops over passages in
Python, and stays fast at a million passages.

Scores equal `rank_bm25`'s (`BM25Okapi`, `BM25Plus`, `BM25L`) for the same tokens and parameters, up
to float32 rounding of the stored impacts (relative error below 1e-6). Plus gives every passage a
score even for absent terms (rank_bm25's L does not); that constant part is kept per term
(`zero_impact`) and added back, so the matrix stays sparse.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from bot.settings import BM25Settings

log = logging.getLogger(__name__)

DEFAULT_DELTA = {"okapi": 0.0, "plus": 1.0, "l": 0.5}
IMPACT_DTYPE = np.float32


@dataclass(frozen=True, slots=True)
class Candidates:
    """Passages that contain at least one weighted term, with their BM25 scores."""

    docs: np.ndarray  # int64 passage rows, ascending
    scores: np.ndarray  # float64, aligned with docs

    def __len__(self) -> int:
        return int(self.docs.size)


class PassageIndex:
    """BM25 over passages given as term lists; rows are passages in corpus order."""

    def __init__(
        self,
        vocabulary: dict[str, int],
        matrix: sp.csc_matrix,
        idf: np.ndarray,
        doc_freq: np.ndarray,
        zero_impact: np.ndarray,
        settings: BM25Settings,
    ) -> None:
        self.vocabulary = vocabulary
        self.matrix = matrix
        self.idf = idf
        self.doc_freq = doc_freq
        self.zero_impact = zero_impact
        self.settings = settings
        self.n_docs = matrix.shape[0]

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def build(
        cls, docs: Iterable[Sequence[str]], settings: BM25Settings | None = None
    ) -> PassageIndex:
        """Index term lists (one per passage) with vectorized numpy/scipy work after one pass."""
        settings = settings or BM25Settings()
        vocabulary: defaultdict[str, int] = defaultdict()
        vocabulary.default_factory = vocabulary.__len__
        lookup = vocabulary.__getitem__
        flat: list[int] = []
        lengths: list[int] = []
        for doc in docs:
            before = len(flat)
            flat.extend(map(lookup, doc))
            lengths.append(len(flat) - before)
        vocab = dict(vocabulary)
        n_docs, n_terms = len(lengths), len(vocab)
        doc_len = np.asarray(lengths, dtype=np.float64)
        term_ids = np.asarray(flat, dtype=np.int32)
        del flat
        rows = np.repeat(np.arange(n_docs, dtype=np.int32), np.asarray(lengths, dtype=np.int64))
        ones = np.ones(term_ids.size, dtype=IMPACT_DTYPE)
        tf = sp.csc_matrix((ones, (rows, term_ids)), shape=(n_docs, n_terms))
        del rows, term_ids, ones
        tf.sum_duplicates()
        return cls._from_tf(vocab, tf, doc_len, settings)

    @classmethod
    def _from_tf(
        cls,
        vocab: dict[str, int],
        tf: sp.csc_matrix,
        doc_len: np.ndarray,
        settings: BM25Settings,
    ) -> PassageIndex:
        n_docs, n_terms = tf.shape
        k1, b = settings.k1, settings.b
        delta = DEFAULT_DELTA[settings.variant] if settings.delta is None else settings.delta
        doc_freq = np.diff(tf.indptr).astype(np.int64)
        avgdl = float(doc_len.sum() / n_docs) if n_docs and doc_len.sum() else 1.0
        idf = _idf(settings, n_docs, doc_freq)

        counts = tf.data.astype(np.float64)
        length_norm = 1.0 - b + b * doc_len[tf.indices] / avgdl
        term_of = np.repeat(np.arange(n_terms), doc_freq)
        if settings.variant == "okapi":
            impact = idf[term_of] * counts * (k1 + 1) / (counts + k1 * length_norm)
            zero = np.zeros(n_terms)
        elif settings.variant == "plus":
            impact = idf[term_of] * counts * (k1 + 1) / (k1 * length_norm + counts)
            zero = idf * delta  # the delta term every passage gets; impact keeps only the rest
        else:  # "l", as rank_bm25 computes it (its formula is multiplied by tf, so tf=0 adds 0)
            ctd = counts / length_norm
            impact = idf[term_of] * counts * (k1 + 1) * (ctd + delta) / (k1 + ctd + delta)
            zero = np.zeros(n_terms)
        matrix = sp.csc_matrix(
            (impact.astype(IMPACT_DTYPE), tf.indices, tf.indptr), shape=(n_docs, n_terms)
        )
        return cls(vocab, matrix, idf, doc_freq, zero, settings)

    # -- reading ----------------------------------------------------------------------------

    def term_id(self, term: str) -> int | None:
        return self.vocabulary.get(term)

    def postings(self, term: str) -> np.ndarray:
        """Rows of the passages that contain `term` (ascending); empty for unknown terms."""
        t = self.vocabulary.get(term)
        if t is None:
            return np.empty(0, dtype=np.int32)
        m = self.matrix
        return m.indices[m.indptr[t] : m.indptr[t + 1]]

    def impacts(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(rows, impacts) of `term`'s postings."""
        t = self.vocabulary.get(term)
        if t is None:
            return np.empty(0, dtype=np.int32), np.empty(0, dtype=IMPACT_DTYPE)
        m = self.matrix
        lo, hi = m.indptr[t], m.indptr[t + 1]
        return m.indices[lo:hi], m.data[lo:hi]

    def score(self, weights: dict[str, float]) -> Candidates:
        """Sum `weight × impact` over the postings of the weighted terms.

        A query term repeated n times has weight n, which is what rank_bm25 computes.
        """
        parts = [(self.impacts(t), w) for t, w in weights.items() if t in self.vocabulary]
        if not parts:
            return Candidates(np.empty(0, dtype=np.int64), np.empty(0))
        baseline = sum(
            w * float(self.zero_impact[self.vocabulary[t]])
            for t, w in weights.items()
            if t in self.vocabulary
        )
        if len(parts) == 1:
            (rows, vals), w = parts[0]
            return Candidates(rows.astype(np.int64), vals.astype(np.float64) * w + baseline)
        rows = np.concatenate([r for (r, _), _ in parts])
        vals = np.concatenate([v.astype(np.float64) * w for (_, v), w in parts])
        if rows.size * 8 > self.n_docs:
            summed = np.bincount(rows, weights=vals, minlength=self.n_docs)
            seen = np.zeros(self.n_docs, dtype=bool)
            seen[rows] = True
            docs = np.flatnonzero(seen)
            return Candidates(docs, summed[docs] + baseline)
        docs, inverse = np.unique(rows, return_inverse=True)
        return Candidates(docs.astype(np.int64), np.bincount(inverse, weights=vals) + baseline)

    def top_k(self, terms: Sequence[str], k: int = 10) -> list[tuple[int, float]]:
        """The k best (row, score) for a bag of query terms, best first, ties by row."""
        weights: dict[str, float] = defaultdict(float)
        for t in terms:
            weights[t] += 1.0
        return rank(self.score(weights), k)

    def get_scores(self, terms: Sequence[str]) -> np.ndarray:
        """Every passage's score, like `rank_bm25.BM25.get_scores` (for tests and comparison)."""
        weights: dict[str, float] = defaultdict(float)
        for t in terms:
            weights[t] += 1.0
        c = self.score(weights)
        baseline = sum(
            w * float(self.zero_impact[self.vocabulary[t]])
            for t, w in weights.items()
            if t in self.vocabulary
        )
        out = np.full(self.n_docs, baseline)
        out[c.docs] = c.scores
        return out

    def contributions(self, row: int, terms: Iterable[str]) -> dict[str, float]:
        """Each term's share of one passage's score: why it matched."""
        out: dict[str, float] = {}
        for term in dict.fromkeys(terms):
            rows, vals = self.impacts(term)
            i = int(np.searchsorted(rows, row))
            if i < rows.size and rows[i] == row:
                t = self.vocabulary[term]
                out[term] = float(vals[i]) + float(self.zero_impact[t])
        return out

    @property
    def nbytes(self) -> int:
        m = self.matrix
        return int(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes)


def rank(candidates: Candidates, k: int) -> list[tuple[int, float]]:
    """Top k of `candidates` by partial sort; deterministic: equal scores keep corpus order."""
    docs, scores = candidates.docs, candidates.scores
    if k <= 0 or docs.size == 0:
        return []
    if docs.size > k:
        # Take everything tied with the k-th score so the tie-break by row stays exact.
        kth = np.partition(-scores, k - 1)[k - 1]
        keep = np.flatnonzero(-scores <= kth)
        docs, scores = docs[keep], scores[keep]
    order = np.lexsort((docs, -scores))[:k]
    return [(int(docs[i]), float(scores[i])) for i in order]


def _idf(settings: BM25Settings, n_docs: int, doc_freq: np.ndarray) -> np.ndarray:
    """rank_bm25's idf for each variant, including Okapi's epsilon floor for common terms."""
    df = doc_freq.astype(np.float64)
    if settings.variant == "okapi":
        idf = np.log(n_docs - df + 0.5) - np.log(df + 0.5)
        if idf.size:
            floor = settings.epsilon * float(idf.sum()) / idf.size
            idf = np.where(idf < 0, floor, idf)
        return idf
    if settings.variant == "plus":
        return np.log((n_docs + 1) / np.maximum(df, 1))
    return math.log(n_docs + 1) - np.log(df + 0.5)
