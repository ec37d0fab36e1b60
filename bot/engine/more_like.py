"""More like these: passages like a whole answer's quotes, for the "More like this" menu.

Why not `related_passages` of the first quote: an answer is about what its quotes share. Each quoted
passage becomes the same tf × idf query `related_passages` uses; the queries are added, so words
several quotes use weigh most, and the `QUERY_TERMS` heaviest make one query. The quotes
themselves (and the originals they copy) are left out; other passages of their documents are not,
since "more like this answer" may well be further on in the same report.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from bot.engine.engine import Engine
from bot.engine.errors import UnknownPassage
from bot.engine.index import RANK_SLACK, Candidates, rank
from bot.engine.model import Hit
from bot.engine.related import QUERY_TERMS, passage_query

log = logging.getLogger(__name__)

MAX_SOURCES = 25  # quotes of one answer taken into account


def more_like_these(engine: Engine, passage_ids: Sequence[str], top: int = 5) -> tuple[Hit, ...]:
    """Passages most like the given ones together, best first; ids the index lacks are skipped.

    Raises `UnknownPassage` (for the first id) when none of them is in the index.
    """
    passages = []
    for pid in dict.fromkeys(passage_ids):
        try:
            passages.append(engine.passage(pid))
        except UnknownPassage:
            continue
        if len(passages) == MAX_SOURCES:
            break
    if not passages:
        raise UnknownPassage(passage_ids[0] if passage_ids else "")
    summed: dict[str, float] = defaultdict(float)
    for p in passages:
        for term, w in passage_query(engine, p).items():
            summed[term] += w
    best = sorted(summed.items(), key=lambda kv: (-kv[1], kv[0]))[:QUERY_TERMS]
    if not best:
        return ()
    weights = {term: w / best[0][1] for term, w in best}
    top = max(1, min(top, engine.settings.search.max_top))
    cands = engine.index.score(weights)
    own = {p.row for p in passages}
    own |= {engine.passage(p.duplicate_of).row for p in passages if p.duplicate_of is not None}
    keep = ~np.isin(cands.rows, np.fromiter(own, dtype=np.int64, count=len(own)))
    ranked = rank(Candidates(cands.rows[keep], cands.scores[keep]), top + RANK_SLACK)
    return tuple(engine.make_hits(ranked, weights, top))
