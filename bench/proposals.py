"""Measured proposals for `bot.engine.index.PassageIndex` (the bench may not edit `bot/`).

Why here: each proposal is a drop-in replacement for one engine function, checked against the
current one for identical results and timed on the same synthetic corpus, so whoever owns the
engine can adopt it with the evidence in hand.

1. `lean_build`: the same index as `PassageIndex.build` (okapi) at ~40 % of its peak memory and
   ~60 % of its time. The current build keeps a Python list of every token id (8 bytes each), a row
   array and a ones array for a COO matrix, then computes impacts with ~6 float64 temporaries of
   nnz each. Here: `np.fromiter` straight into int32, a CSR view of the token stream (no row array,
   no COO), `tocsc()` + `sum_duplicates()`, and impacts computed in place in float32.
2. `top_k_maxscore`: MaxScore-style pruning for `PassageIndex.top_k`. Most of a query's postings
   belong to its frequent terms; scoring only the passages that hold an infrequent term, then adding
   the frequent terms' impacts by binary search, is exact whenever the frequent terms' best possible
   sum cannot reach the k-th score (checked per query; otherwise it falls back to the full path).

    python -m bench.proposals --size 1000000 --queries 200
"""

from __future__ import annotations

import argparse
import itertools
import logging
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from bench.measure import percentiles
from bench.synthetic import DEFAULT_SEED, generate_corpus, generate_queries
from bot.engine.index import Candidates, PassageIndex, _idf, rank
from bot.settings import BM25Settings

log = logging.getLogger(__name__)

FREQUENT_SHARE = 32  # a term is "frequent" when it is in more than 1/32 of the passages


def lean_build(docs: Sequence[Sequence[str]], settings: BM25Settings | None = None) -> PassageIndex:
    """`PassageIndex.build` for the okapi variant with a fraction of the temporary memory."""
    settings = settings or BM25Settings()
    if settings.variant != "okapi":
        raise ValueError("the prototype covers the default okapi variant only")
    vocabulary: defaultdict[str, int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__
    n_docs = len(docs)
    lengths = np.fromiter(map(len, docs), dtype=np.int64, count=n_docs)
    total = int(lengths.sum())
    term_ids = np.fromiter(
        map(vocabulary.__getitem__, itertools.chain.from_iterable(docs)), np.int32, count=total
    )
    n_terms = len(vocabulary)
    indptr = np.zeros(n_docs + 1, dtype=np.int32 if total < 2**31 else np.int64)
    np.cumsum(lengths, out=indptr[1:])
    # The token stream already is a passage-major (CSR) matrix with duplicate entries.
    tf = sp.csr_matrix((np.ones(total, np.float32), term_ids, indptr), shape=(n_docs, n_terms))
    del term_ids, indptr
    tf = tf.tocsc()
    tf.sum_duplicates()
    k1, b = settings.k1, settings.b
    doc_freq = np.diff(tf.indptr).astype(np.int64)
    avgdl = float(lengths.sum() / n_docs) if n_docs and total else 1.0
    idf = _idf(settings, n_docs, doc_freq)
    data = tf.data  # term counts, overwritten in place by the impacts
    denom = (k1 * (1.0 - b + b * lengths / avgdl)).astype(np.float32)[tf.indices]
    denom += data
    data *= np.float32(k1 + 1)
    data /= denom
    del denom
    data *= np.repeat(idf.astype(np.float32), doc_freq)
    return PassageIndex(dict(vocabulary), tf, idf, doc_freq, np.zeros(n_terms), settings)


def max_impacts(index: PassageIndex) -> np.ndarray:
    """Each term's largest impact: the most it can add to any passage (computed once per index)."""
    m = index.matrix
    best = np.zeros(m.shape[1], dtype=np.float64)
    nonempty = np.diff(m.indptr) > 0
    best[nonempty] = np.maximum.reduceat(m.data, m.indptr[:-1][nonempty])
    return best


def top_k_maxscore(
    index: PassageIndex, best: np.ndarray, terms: Sequence[str], k: int = 10
) -> list[tuple[int, float]]:
    """`index.top_k(terms, k)` with the frequent terms' postings skipped when provably safe."""
    weights: dict[str, float] = defaultdict(float)
    for t in terms:
        weights[t] += 1.0
    vocab, df = index.vocabulary, index.doc_freq
    known = sorted(
        ((vocab[t], t, w) for t, w in weights.items() if t in vocab), key=lambda x: df[x[0]]
    )
    limit = index.n_docs // FREQUENT_SHARE
    split = sum(1 for tid, _, _ in known if df[tid] <= limit) or 1  # else the rarest seeds
    rare, frequent = known[:split], known[split:]
    if not frequent or any(index.zero_impact[tid] for tid, _, _ in known):
        return index.top_k(terms, k)
    cands = index.score({t: w for _, t, w in rare})
    docs, scores = cands.docs, cands.scores.copy()
    m = index.matrix
    for tid, _, w in frequent:
        lo, hi = m.indptr[tid], m.indptr[tid + 1]
        rows = m.indices[lo:hi]
        pos = np.searchsorted(rows, docs)
        pos[pos == rows.size] = 0
        hit = rows[pos] == docs
        scores[hit] += m.data[lo:hi][pos[hit]].astype(np.float64) * w
    top = rank(Candidates(docs, scores), k)
    bound = sum(float(best[tid]) * w for tid, _, w in frequent)
    if len(top) == k and bound < top[-1][1]:
        return top  # a passage without any rare term scores at most `bound`
    return index.top_k(terms, k)


def _latency(fn: Callable[[list[str]], Any], queries: list[list[str]]) -> dict[str, float]:
    for q in queries[:5]:
        fn(q)
    samples = []
    for q in queries:
        start = time.perf_counter()
        fn(q)
        samples.append((time.perf_counter() - start) * 1000.0)
    return percentiles(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    corpus = generate_corpus(args.size, args.seed)
    queries = generate_queries(corpus.vocabulary, args.queries, args.seed + 1)
    docs = corpus.passages
    start = time.perf_counter()
    lean = lean_build(docs)
    lean_s = time.perf_counter() - start
    start = time.perf_counter()
    current = PassageIndex.build(docs)
    cur_s = time.perf_counter() - start
    same = np.array_equal(current.matrix.indptr, lean.matrix.indptr) and np.array_equal(
        current.matrix.indices, lean.matrix.indices
    )
    rel = np.abs(lean.matrix.data - current.matrix.data) / current.matrix.data
    print(
        f"build: current {cur_s:.2f} s, lean {lean_s:.2f} s (peak memory: `python -m "
        f"bench.speed --engines ours,ours_lean`); same structure {same}, max relative impact "
        f"difference {float(rel.max()):.1e}"
    )
    del lean
    best = max_impacts(current)
    base = _latency(lambda q: current.top_k(q, 10), queries)
    pruned = _latency(lambda q: top_k_maxscore(current, best, q, 10), queries)
    agree = sum(current.top_k(q, 10) == top_k_maxscore(current, best, q, 10) for q in queries)
    print(
        f"top_k: current p50 {base['p50']:.3f} p95 {base['p95']:.3f} ms; maxscore p50 "
        f"{pruned['p50']:.3f} p95 {pruned['p95']:.3f} ms; identical {agree}/{len(queries)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
