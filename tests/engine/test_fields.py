"""Ranking with fields (BM25F): a passage's document title and section heading count too."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from bot.engine import Engine
from bot.engine.index import PassageIndex
from bot.settings import BM25Settings, FieldWeights, Settings

FIELDS_CORPUS = {
    "glaciers.txt": (
        "Glacier Retreat in the Andes\n\n"
        "Measurements over twenty years show the ice thinning by a metre every year on average.\n\n"
        "Meltwater feeds the rivers that towns downstream depend on during the dry season.\n"
    ),
    "farming.txt": (
        "Farming Notes\n\n"
        "Irrigation\n\n"
        "Farmers downstream built small reservoirs to store water for the dry months ahead.\n\n"
        "A glacier is mentioned once here, in passing, by a farmer describing the mountains.\n"
    ),
}


def with_weights(title: float, section: float) -> Settings:
    s = Settings()
    return replace(s, bm25=replace(s.bm25, field_weights=FieldWeights(title, section)))


@pytest.fixture
def fields_folder(write_corpus: Callable[[dict[str, str | bytes]], Path]) -> Path:
    return write_corpus(FIELDS_CORPUS)


def test_a_title_word_ranks_the_passages_of_that_document(fields_folder: Path) -> None:
    """`glacier` ranks every passage of the glacier document above the other document's passage
    that names the word once; without fields, only passages with the word match."""
    engine = Engine.load(with_weights(2.0, 1.0), fields_folder)
    hits = engine.search("glacier", top=10).hits
    assert [h.passage.doc_id for h in hits] == ["glaciers", "glaciers", "farming"]
    plain = Engine.load(with_weights(0.0, 0.0), fields_folder).search("glacier", top=10)
    assert [h.passage.doc_id for h in plain.hits] == ["farming"]


def test_a_title_word_is_never_quoted_or_highlighted(fields_folder: Path) -> None:
    """A passage found through its title is quoted as its own text, with no word marked."""
    engine = Engine.load(with_weights(2.0, 1.0), fields_folder)
    hit = engine.search("glacier", top=1).hits[0]
    assert hit.passage.doc_id == "glaciers" and "lacier" not in hit.passage.text
    assert hit.highlights == () and hit.snippet.highlights == ()
    assert hit.snippet.text in hit.passage.text


def test_a_section_heading_counts_too(fields_folder: Path) -> None:
    """`irrigation`, only a heading, finds the passages under it; not with weight 0."""
    found = Engine.load(with_weights(0.0, 1.0), fields_folder).search("irrigation", top=10)
    assert {h.passage.section for h in found.hits} == {"Irrigation"} and found.total == 2
    assert not Engine.load(with_weights(2.0, 0.0), fields_folder).search("irrigation").hits


def test_required_and_excluded_words_are_the_passages_own(fields_folder: Path) -> None:
    """`+word` and `-word` look at the quote's words: a title word neither satisfies `+` nor
    excludes with `-`."""
    engine = Engine.load(with_weights(2.0, 1.0), fields_folder)
    required = engine.search("water +glacier", top=10)
    assert [h.passage.text[:9] for h in required.hits] == ["A glacier"]
    excluded = engine.search("downstream -glacier", top=10)
    assert sorted(h.passage.text[:9] for h in excluded.hits) == ["Farmers d", "Meltwater"]


def test_weights_zero_score_exactly_plain_bm25(seeds_engine: Engine) -> None:
    """With both weights 0, every score equals rank_bm25 over the passages' own words."""
    engine = Engine(with_weights(0.0, 0.0), seeds_engine.corpus)
    analyzer = engine.analyzer
    docs = [analyzer.terms(p.text) for p in engine.corpus.passages]
    reference = BM25Okapi(docs)
    for query in ("human rights abuses", "mexico cooperation", "military police collaboration"):
        terms = analyzer.terms(query)
        np.testing.assert_allclose(
            engine.index.get_scores(terms), reference.get_scores(terms), rtol=2e-6, atol=1e-6
        )


def bm25f_by_hand(
    body: list[list[str]], fields: list[tuple[float, list[list[str]]]], query: list[str]
) -> list[float]:
    """The simple BM25F of Robertson, Zaragoza & Taylor (2004), written out longhand."""
    k1, b = 1.5, 0.75
    n = len(body)
    tf = [
        {t: d.count(t) + sum(w * f[i].count(t) for w, f in fields) for t in set(query)}
        for i, d in enumerate(body)
    ]
    length = [len(d) + sum(w * len(f[i]) for w, f in fields) for i, d in enumerate(body)]
    avgdl = sum(length) / n
    scores = []
    for i in range(n):
        score = 0.0
        for t in query:
            df = sum(1 for row in tf if row[t] > 0)
            idf = math.log((n - df + 0.5) / (df + 0.5))
            x = tf[i][t]
            score += idf * x * (k1 + 1) / (x + k1 * (1 - b + b * length[i] / avgdl))
        scores.append(score)
    return scores


def test_scores_equal_a_hand_computed_bm25f() -> None:
    """Weighted term counts and lengths, combined before saturation: every score as by hand."""
    body = [["ice", "melt", "river"], ["farm", "water"], ["water", "dam", "river", "farm"], ["x"]]
    titles = [["glacier", "ice"], ["farm"], ["farm"], []]
    sections = [[], ["water"], [], ["ice"]]
    fields = [(2.0, titles), (0.5, sections)]
    index = PassageIndex.build(body, BM25Settings(), fields)
    for query in (["ice"], ["farm", "water"], ["glacier", "river"]):
        np.testing.assert_allclose(
            index.get_scores(query), bm25f_by_hand(body, fields, query), rtol=2e-6
        )


def test_corpus_counts_stay_the_passages_own_words() -> None:
    """Collocations and keyness read `term_freq`: titles and headings never add to it."""
    index = PassageIndex.build([["a", "b"], ["b"]], BM25Settings(), [(3.0, [["a"], ["a", "c"]])])
    counts = {t: int(index.term_freq[i]) for t, i in index.vocabulary.items()}
    assert counts == {"a": 1, "b": 2, "c": 0}


def test_a_word_typed_as_one_is_still_found_as_two_beside_a_title_holding_both(
    write_corpus: Callable[[dict[str, str | bytes]], Path],
) -> None:
    """`crossborder` is still searched as `cross-border` when a long document titled with both
    halves comes first: passages holding them only through a title are checked last."""
    filler = "\n\n".join(
        f"Paragraph {i} of the notes lists w{i}a, w{i}b, w{i}c and w{i}d, kept for the record "
        f"of the inspections made along the fence this year."
        for i in range(60)
    )
    folder = write_corpus(
        {
            "a_notes.txt": f"Cross Border Notes\n\n{filler}\n",
            "b_report.txt": "Report\n\nSmugglers used cross-border tunnels under the fence.\n",
        }
    )
    result = Engine.load(with_weights(2.0, 1.0), folder).search("crossborder tunnels")
    assert result.corrected == "cross-border tunnels"
