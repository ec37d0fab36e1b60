"""The analyzer: one pipeline for passages and queries."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine.analysis import Analyzer
from bot.settings import AnalysisSettings
from tests.strategies import mixed_text, words_and_separators

ANALYZER = Analyzer()


def test_accents_and_case_fold_to_the_same_terms() -> None:
    """Mérida = Merida = MERIDA, Juárez = Juarez."""
    assert ANALYZER.terms("Mérida") == ANALYZER.terms("merida") == ANALYZER.terms("MERIDA")
    assert ANALYZER.terms("Juárez") == ANALYZER.terms("Juarez")


def test_decomposed_accents_stay_in_their_word() -> None:
    """A combining accent (NFD input) does not split the word."""
    assert ANALYZER.terms("Me\u0301rida") == ANALYZER.terms("Mérida") == ["merida"]


def test_hyphens_and_apostrophes_split_tokens() -> None:
    """human-rights → human, rights; Mexico's and Mexico’s → mexico."""
    assert ANALYZER.terms("human-rights") == ANALYZER.terms("human rights") == ["human", "right"]
    assert ANALYZER.terms("Mexico's") == ANALYZER.terms("Mexico’s") == ["mexico"]


def test_stop_words_are_dropped_and_words_stemmed() -> None:
    """English stop words vanish; Snowball stems plural and verb forms together."""
    assert ANALYZER.terms("the killings of the cartels") == ["kill", "cartel"]
    assert ANALYZER.terms("trafficking") == ANALYZER.terms("trafficked")


def test_nfkc_folds_compatibility_characters() -> None:
    """Full-width letters and ligatures read as their plain forms."""
    assert ANALYZER.terms("ＰＯＬＩＣＥ") == ANALYZER.terms("police")
    assert ANALYZER.terms("ﬁnance") == ANALYZER.terms("finance")


def test_each_step_can_be_switched_off() -> None:
    """With stemming, stop words and accent folding off, words stay as typed (case-folded)."""
    raw = Analyzer(AnalysisSettings(stopwords="none", stemmer="none", fold_accents=False))
    assert raw.terms("The Mérida killings") == ["the", "mérida", "killings"]


def test_tokens_carry_spans_into_the_original_text() -> None:
    """Each token's span points at the word as written, so renderers can bold it."""
    text = "Reported extrajudicial killings in Juárez."
    for token in ANALYZER.tokens(text):
        assert text[token.start : token.end] == token.word
    assert [t.word for t in ANALYZER.tokens(text)] == [
        "Reported",
        "extrajudicial",
        "killings",
        "Juárez",
    ]


@settings(max_examples=600, deadline=None)
@given(words_and_separators())
def test_words_split_at_every_non_letter_and_only_there(case: tuple[list[str], str]) -> None:
    """Seed words joined by markup, emoji, bidi marks, controls… give each word's term, in order."""
    words, text = case
    expected = [t for t in map(ANALYZER.term, words) if t is not None]
    assert ANALYZER.terms(text) == expected


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.text(), mixed_text))
def test_analyzer_never_raises_and_terms_are_clean(text: str) -> None:
    """Any text at all gives terms that are non-empty, folded and free of separators, and tokens
    whose spans hold the word they were analyzed from."""
    terms = ANALYZER.terms(text)
    for term in terms:
        assert term and term == term.casefold() and " " not in term and "-" not in term
    tokens = ANALYZER.tokens(text)
    assert [t.term for t in tokens] == terms
    for token in tokens:
        assert (
            text[token.start : token.end] == token.word and ANALYZER.term(token.word) == token.term
        )
