"""The engines under comparison, behind one two-method interface: build from token lists, top k.

Why adapters: every engine gets exactly the same token lists and the same queries, and each is used
the way its own documentation recommends, so the figures compare engines rather than glue code.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

Tokens = Sequence[Sequence[str]]


@dataclass(frozen=True, slots=True)
class Engine:
    """How to build one engine's index and how to ask it for the top k rows of a query.

    `build(tokens, **params)` passes `params` to the engine's own settings (k1, b, method…).
    """

    name: str
    build: Callable[..., Any]
    top_k: Callable[[Any, list[str], int], list[int]]
    nbytes: Callable[[Any], int | None]


def _ours_build(tokens: Tokens, **params: Any) -> Any:
    from bot.engine.index import PassageIndex
    from bot.settings import BM25Settings

    return PassageIndex.build(tokens, BM25Settings(**params))


def _ours_top_k(index: Any, terms: list[str], k: int) -> list[int]:
    return [row for row, _ in index.top_k(terms, k)]


def _ours_nbytes(index: Any) -> int:
    return int(index.nbytes)


def _bm25s_build(tokens: Tokens, **params: Any) -> Any:
    import bm25s

    # bm25s's defaults: method="lucene", backend="numpy" (numba only when asked for explicitly).
    retriever = bm25s.BM25(**params)
    retriever.index(tokens, show_progress=False)
    return retriever


def _bm25s_numba_build(tokens: Tokens, **params: Any) -> Any:
    # Opt-in backend (needs numba, in bm25s's "core" extra); single-threaded like the others.
    return _bm25s_build(tokens, backend="numba", **params)


def _bm25s_robertson_build(tokens: Tokens, **params: Any) -> Any:
    # Robertson's idf, as rank_bm25's Okapi: shows that top-10 differences come from idf alone.
    return _bm25s_build(tokens, method="robertson", **params)


def _bm25s_top_k(retriever: Any, terms: list[str], k: int) -> list[int]:
    k = min(k, int(retriever.scores["num_docs"]))  # bm25s refuses k > corpus size
    docs, scores = retriever.retrieve([terms], k=k, show_progress=False)
    # bm25s always returns k rows; rows scoring 0 matched no term and are not results.
    return [int(d) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]


def _bm25s_nbytes(retriever: Any) -> int:
    s = retriever.scores
    return int(s["data"].nbytes + s["indices"].nbytes + s["indptr"].nbytes)


def _rank_bm25_build(tokens: Tokens, **params: Any) -> Any:
    from rank_bm25 import BM25Okapi

    return BM25Okapi(tokens, **params)


def _rank_bm25_top_k(model: Any, terms: list[str], k: int) -> list[int]:
    scores = model.get_scores(terms)
    return [row for row in top_rows(scores, k) if scores[row] > 0]


def top_rows(scores: np.ndarray, k: int) -> list[int]:
    """The k best rows of a dense score vector, best first, ties by row (as PassageIndex does)."""
    k = min(k, scores.size)
    if k <= 0:
        return []
    part = np.argpartition(-scores, k - 1)[:k]
    kth = scores[part].min()
    cand = np.flatnonzero(scores >= kth)  # everything tied with the k-th, for an exact tie-break
    order = np.lexsort((cand, -scores[cand]))[:k]
    return cand[order].tolist()


ENGINES: dict[str, Engine] = {
    "ours": Engine("ours", _ours_build, _ours_top_k, _ours_nbytes),
    "bm25s": Engine("bm25s", _bm25s_build, _bm25s_top_k, _bm25s_nbytes),
    "bm25s_numba": Engine("bm25s_numba", _bm25s_numba_build, _bm25s_top_k, _bm25s_nbytes),
    "bm25s_robertson": Engine(
        "bm25s_robertson", _bm25s_robertson_build, _bm25s_top_k, _bm25s_nbytes
    ),
    "rank_bm25": Engine("rank_bm25", _rank_bm25_build, _rank_bm25_top_k, lambda model: None),
}


def overlap_at_k(a: Sequence[int], b: Sequence[int], k: int = 10) -> float:
    """Share of the top k two engines agree on, in any order; 1.0 when both return nothing.

    Divides by the longer list (at most k), so a query that matches fewer than k passages is not
    penalized for it.
    """
    a, b = a[:k], b[:k]
    longest = max(len(a), len(b))
    return 1.0 if longest == 0 else len(set(a) & set(b)) / longest
