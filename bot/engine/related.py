"""Related passages ("more like this"): follow one idea from a passage into the other documents.

Why a BM25 query and not a separate similarity index: the index already holds what we need. The
passage's own words, weighted by tf × idf (its distinctive words first; words every passage uses
weigh little), become a weighted query of its `QUERY_TERMS` heaviest terms, scored like any search.
Hits come from `Engine.make_hits`, so snippets, highlights and sources read exactly like search
results.
"""

from __future__ import annotations

import logging
from collections import Counter

from bot.engine.engine import Engine
from bot.engine.index import RANK_SLACK, Candidates, rank
from bot.engine.model import Hit, Passage

log = logging.getLogger(__name__)

QUERY_TERMS = 15  # 30 lets mid-frequency generic words outvote the distinctive ones


def passage_query(engine: Engine, passage: Passage, size: int = QUERY_TERMS) -> dict[str, float]:
    """The passage as a weighted query: its `size` heaviest terms by tf × idf, scaled to max 1.

    Ties are broken by the term itself, so the query (and the answer) is the same every time.
    """
    index = engine.index
    weights: dict[str, float] = {}
    for term, tf in Counter(engine.analyzer_of(passage).terms(passage.text)).items():
        t = index.term_id(term)
        if t is not None and index.idf[t] > 0:
            weights[term] = tf * float(index.idf[t])
    best = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:size]
    top = best[0][1] if best else 1.0
    return {term: w / top for term, w in best}


def related_passages(engine: Engine, passage_id: str, top: int = 5) -> tuple[Hit, ...]:
    """The passages of *other* documents most similar to `passage_id`, best first.

    Raises `UnknownPassage` for an id not in the index. Passages of the same document, and copies
    of the passage itself (`make_hits` skips copies; the original is dropped here), are left out.
    """
    passage = engine.passage(passage_id)
    top = max(1, min(top, engine.settings.search.max_top))
    weights = passage_query(engine, passage)
    if not weights:
        return ()
    cands = engine.index.score(weights)
    own = engine.corpus.documents[passage.doc_id].rows
    keep = (cands.rows < own.start) | (cands.rows >= own.stop)
    if passage.duplicate_of is not None:  # the original it copies is not "related", it is itself
        keep &= cands.rows != engine.passage(passage.duplicate_of).row
    cands = Candidates(cands.rows[keep], cands.scores[keep])
    ranked = rank(cands, top + RANK_SLACK)
    return tuple(engine.make_hits(ranked, weights, top))
