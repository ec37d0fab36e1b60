"""The corpus's term ids: the same words, terms and duplicates as the per-passage analyzer gives."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.engine import Engine, terms
from bot.engine.analysis import TOKEN_RE, Analyzer
from bot.engine.index import PassageIndex
from bot.engine.passage_table import PassageTable
from bot.engine.spelling import speller_words
from bot.engine.terms import analyse_documents, duplicate_rows, words_of


@given(st.text(alphabet=st.characters(codec="ascii") | st.sampled_from("éñ’—ﬁ\u0301")))
def test_words_cut_where_the_token_pattern_cuts(text: str) -> None:
    """The fast ASCII tokenizer finds exactly TOKEN_RE's words, and so does the fallback."""
    assert words_of(text) == TOKEN_RE.findall(text)


def test_term_ids_index_like_term_lists(seeds_engine: Engine) -> None:
    """Indexing term ids gives the vocabulary and impacts of indexing term lists."""
    analyzer = Analyzer(seeds_engine.settings.analysis)
    texts = [p.text for p in seeds_engine.corpus.passages]
    stream = analyse_documents([(texts[:40], analyzer), (texts[40:], analyzer)])
    old = PassageIndex.build([analyzer.terms(t) for t in texts], seeds_engine.settings.bm25)
    new = PassageIndex.from_term_ids(stream.ids, stream.indptr, stream.vocabulary)
    assert new.vocabulary == old.vocabulary
    assert np.array_equal(new.matrix.data, old.matrix.data)
    assert np.array_equal(new.matrix.indices, old.matrix.indices)


def test_duplicates_are_exact_repeats_of_an_earlier_passage() -> None:
    """A passage repeating an earlier one's terms points at the first; empty ones never do."""
    seqs = [[1, 2, 3], [], [2, 1, 3], [1, 2, 3], [], [2, 1, 3], [1, 2], [1, 2, 3]]
    ids = np.array([t for s in seqs for t in s], dtype=np.int32)
    indptr = np.concatenate(([0], np.cumsum([len(s) for s in seqs])))
    assert duplicate_rows(ids, indptr).tolist() == [-1, -1, -1, 0, -1, 2, -1, 0]


def test_passage_table_gives_back_every_field(seeds_engine: Engine) -> None:
    """A table made of passages returns them field for field, by row and by slice."""
    passages = list(seeds_engine.corpus.passages)
    table = PassageTable.from_passages(passages)
    assert list(table) == passages
    assert table[3:7] == passages[3:7] and table[-1] == passages[-1]


@given(st.lists(st.text(alphabet=st.characters(codec="ascii") | st.sampled_from("ÉéñßİﬁⅫ\u0301ﱞ"))))
def test_batch_analysis_equals_word_by_word(words: list[str]) -> None:
    """Folding and stemming a list of words gives each word's `fold` and `term`."""
    analyzer = Analyzer()
    folded, terms = analyzer.analyse_words(words)
    assert folded == [analyzer.fold(w) for w in words]
    assert terms == [analyzer.term(w) for w in words]


def test_speller_words_are_those_of_the_surface_words(seeds_engine: Engine) -> None:
    """The speller proposes the forms `speller_words` finds in the corpus's raw words."""
    analyzer = seeds_engine.analyzer
    surface = {w for p in seeds_engine.corpus.passages for w in TOKEN_RE.findall(p.text)}
    expected = speller_words(surface, analyzer.fold, analyzer.term)
    assert seeds_engine.speller.words == expected


def test_passage_table_ids_are_the_passages_ids(seeds_engine: Engine) -> None:
    """The id column read alone gives each passage's id in row order."""
    assert seeds_engine.corpus.passages.ids() == [p.id for p in seeds_engine.corpus.passages]


def test_duplicates_found_across_hashing_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hashing a few tokens at a time (as at a million passages) finds the same duplicates."""
    seqs = [[1, 2, 3], [], [2, 1, 3], [1, 2, 3], [], [2, 1, 3], [1, 2], [1, 2, 3], [9] * 7]
    ids = np.array([t for s in seqs for t in s], dtype=np.int32)
    indptr = np.concatenate(([0], np.cumsum([len(s) for s in seqs])))
    whole = duplicate_rows(ids, indptr).tolist()
    monkeypatch.setattr(terms, "HASH_CHUNK_TOKENS", 2)
    assert duplicate_rows(ids, indptr).tolist() == whole == [-1, -1, -1, 0, -1, 2, -1, 0, -1]


def test_engine_index_is_the_term_list_build_with_fields(seeds_engine: Engine) -> None:
    """Title and section fields from term ids give `PassageIndex.build`'s index exactly."""
    e = seeds_engine
    passages = list(e.corpus.passages)
    body = [e.analyzer_of(p).terms(p.text) for p in passages]
    w = e.settings.bm25.field_weights
    fields = [
        (w.title, [e.analyzer_of(p).terms(p.title) for p in passages]),
        (w.section, [e.analyzer_of(p).terms(p.section) if p.section else [] for p in passages]),
    ]
    old = PassageIndex.build(body, e.settings.bm25, fields)
    assert list(old.vocabulary.items()) == list(e.index.vocabulary.items())
    assert np.array_equal(old.matrix.data, e.index.matrix.data)
    assert np.array_equal(old.matrix.indices, e.index.matrix.indices)
    assert np.array_equal(old.term_freq, e.index.term_freq)
