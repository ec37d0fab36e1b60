"""Retrieval metrics as trec_eval computes them: nDCG@k with graded gains, Recall@k.

Why our own: the two formulas are ten lines, and owning them lets a unit test pin exact values
instead of adding pytrec_eval (a C extension) as a benchmark dependency. Like trec_eval (and so
BEIR), the gain of a document is its qrels grade itself (linear, not 2^grade − 1), the discount is
log2(rank + 1), and the ideal ranking is the judged documents sorted by grade.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence

log = logging.getLogger(__name__)

Qrels = Mapping[str, Mapping[str, int]]  # query id → document id → grade (> 0 relevant)
Run = Mapping[str, Sequence[str]]  # query id → ranked document ids, best first


def dcg(gains: Sequence[float]) -> float:
    """Discounted cumulative gain of gains in rank order (rank 1 first)."""
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at_k(ranked: Sequence[str], judged: Mapping[str, int], k: int = 10) -> float:
    """nDCG@k of one ranking; 0.0 when the query has no relevant document."""
    ideal = dcg(sorted((g for g in judged.values() if g > 0), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([max(judged.get(d, 0), 0) for d in ranked[:k]]) / ideal


def recall_at_k(ranked: Sequence[str], judged: Mapping[str, int], k: int = 100) -> float:
    """Share of the relevant documents found in the top k; 0.0 when there are none."""
    relevant = {d for d, g in judged.items() if g > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def evaluate(run: Run, qrels: Qrels, ndcg_k: int = 10, recall_k: int = 100) -> dict[str, float]:
    """Mean nDCG@k and Recall@k over the queries that have relevant documents.

    A judged query missing from the run counts as 0, as trec_eval's -c flag does; queries without
    qrels are skipped.
    """
    scored = [q for q, judged in qrels.items() if any(g > 0 for g in judged.values())]
    if not scored:
        return {"ndcg": 0.0, "recall": 0.0, "queries": 0}
    ndcg = sum(ndcg_at_k(run.get(q, ()), qrels[q], ndcg_k) for q in scored) / len(scored)
    recall = sum(recall_at_k(run.get(q, ()), qrels[q], recall_k) for q in scored) / len(scored)
    return {"ndcg": ndcg, "recall": recall, "queries": len(scored)}
