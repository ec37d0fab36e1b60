"""The BM25 index: scores equal rank_bm25's, top-k is exact and deterministic."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi, BM25Plus

from bot.engine import Engine
from bot.engine.index import PassageIndex, rank
from bot.settings import BM25Settings

REFERENCE = {"okapi": BM25Okapi, "plus": BM25Plus}
SEED_QUERIES = [
    "human rights abuses",
    "merida initiative",
    "extrajudicial killings torture",
    "intelligence sharing border",
    "corruption corruption police",
    "fentanyl",
    "word not in corpus",
]


def assert_same_scores(ours: np.ndarray, theirs: np.ndarray) -> None:
    # Impacts are stored as float32: equal to ~7 significant digits.
    np.testing.assert_allclose(ours, theirs, rtol=2e-6, atol=1e-6)


@pytest.mark.parametrize("variant", sorted(REFERENCE))
def test_scores_equal_rank_bm25_on_the_seeds(seeds_engine: Engine, variant: str) -> None:
    """For the seed passages' own tokens, every passage's score equals rank_bm25's."""
    analyzer = seeds_engine.analyzer
    docs = [analyzer.terms(p.text) for p in seeds_engine.corpus.passages]
    ours = PassageIndex.build(docs, BM25Settings(variant=variant))  # type: ignore[arg-type]
    theirs = REFERENCE[variant](docs)
    for query in SEED_QUERIES:
        terms = analyzer.terms(query)
        assert_same_scores(ours.get_scores(terms), theirs.get_scores(terms))


def test_non_default_parameters_match_too() -> None:
    """k1, b and epsilon are passed through exactly as rank_bm25 uses them."""
    docs = [["a", "b", "b"], ["b", "c"], ["a", "c", "c", "d"], ["d"], []]
    ours = PassageIndex.build(docs, BM25Settings(k1=0.9, b=0.4, epsilon=0.5))
    theirs = BM25Okapi(docs, k1=0.9, b=0.4, epsilon=0.5)
    for q in (["a"], ["b", "d"], ["c", "c"], ["zzz"]):
        assert_same_scores(ours.get_scores(q), theirs.get_scores(q))


words = st.sampled_from([f"w{i}" for i in range(25)])
corpora = st.lists(st.lists(words, min_size=0, max_size=20), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(corpora, st.lists(words, min_size=1, max_size=6), st.sampled_from(sorted(REFERENCE)))
def test_scores_equal_rank_bm25_on_random_corpora(
    docs: list[list[str]], query: list[str], variant: str
) -> None:
    """Any corpus, any query (repeated terms included), each variant: same scores."""
    if not any(docs):
        docs = [*docs, ["w0"]]  # rank_bm25 divides by the average length
    ours = PassageIndex.build(docs, BM25Settings(variant=variant))  # type: ignore[arg-type]
    theirs = REFERENCE[variant](docs)
    assert_same_scores(ours.get_scores(query), theirs.get_scores(query))


@settings(max_examples=100, deadline=None)
@given(corpora, st.lists(words, min_size=1, max_size=4), st.integers(1, 10))
def test_top_k_is_the_exact_best_k_with_ties_in_corpus_order(
    docs: list[list[str]], query: list[str], k: int
) -> None:
    """top_k equals a full sort of the matching passages by (-score, row)."""
    index = PassageIndex.build(docs)
    scores = index.get_scores(query)
    matching = sorted({r for t in set(query) for r in index.postings(t).tolist()})
    expected = sorted(matching, key=lambda r: (-scores[r], r))[:k]
    got = index.top_k(query, k)
    assert [r for r, _ in got] == expected
    assert all(abs(s - scores[r]) < 1e-9 for r, s in got)


def test_a_query_touches_only_its_postings() -> None:
    """Passages without any query term are not candidates (no full scan, no zero-score hits)."""
    index = PassageIndex.build([["a"], ["b"], ["a", "b"], ["c"]])
    assert index.top_k(["a"], 10) and {r for r, _ in index.top_k(["a"], 10)} == {0, 2}
    assert index.top_k(["nope"], 10) == []


def test_contributions_sum_to_the_score() -> None:
    """Each term's contribution explains the whole score."""
    index = PassageIndex.build([["a", "b"], ["b", "c", "c"], ["a", "c"]])
    for row, score in index.top_k(["a", "c"], 3):
        assert sum(index.contributions(row, ["a", "c"]).values()) == pytest.approx(score, rel=1e-6)


@pytest.mark.parametrize("variant", sorted(REFERENCE))
def test_pruned_top_k_equals_the_full_ranking(variant: str) -> None:
    """MaxScore pruning returns exactly the full ranking, and does prune on Zipfian text."""
    rng = np.random.default_rng(7)
    vocab = [f"t{i}" for i in range(400)]
    p = 1.0 / np.arange(1, len(vocab) + 1)
    p /= p.sum()
    docs = [list(rng.choice(vocab, size=int(rng.integers(5, 40)), p=p)) for _ in range(2000)]
    index = PassageIndex.build(docs, BM25Settings(variant=variant))  # type: ignore[arg-type]
    pruned = 0
    for _ in range(300):
        query = list(rng.choice(vocab[:200], size=int(rng.integers(2, 5))))
        weights = {t: float(query.count(t)) for t in query}
        for k in (1, 10, 30):
            expected = rank(index.score(weights), k)
            got = index.top_k_weighted(weights, k)
            assert [r for r, _ in got] == [r for r, _ in expected]
            assert [s for _, s in got] == pytest.approx([s for _, s in expected], rel=1e-12)
            pruned += index._pruned_top_k(weights, k) is not None
    assert pruned > 50


def test_match_count_counts_passages_with_any_term() -> None:
    """The count without scoring equals the number of scored candidates."""
    index = PassageIndex.build([["a"], ["b"], ["a", "b"], ["c"], []])
    assert index.match_count({"a": 1, "b": 1}) == len(index.score({"a": 1, "b": 1})) == 3
    assert index.match_count({"zzz": 1}) == 0 and index.match_count({"c": 1}) == 1
