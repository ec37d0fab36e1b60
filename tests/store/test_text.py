"""The document text the store counts offsets in, folding of names, and anchoring quotes."""

from __future__ import annotations

import pytest

from bot.engine.model import Passage
from bot.store import CorpusText, InvalidInput, UnknownPassage, document_text, fold_name
from tests.store.builders import DOCS, make_corpus, pid


def _p(text: str, ordinal: int) -> Passage:
    return Passage(f"p{ordinal}", "d", "D", None, ordinal, text, 0, 0)


def test_document_text_joins_passages_with_a_blank_line() -> None:
    """Passages are joined by "\\n\\n" in order, and each span cuts out its passage exactly."""
    passages = [_p("One.", 1), _p("Two words.", 2), _p("Three.", 3)]
    text, spans = document_text(passages)
    assert text == "One.\n\nTwo words.\n\nThree."
    assert [text[s:e] for s, e in spans] == ["One.", "Two words.", "Three."]


def test_document_text_ships_newline_line_ends() -> None:
    """\\r\\n and lone \\r become \\n, so every tool counts the same characters."""
    text, spans = document_text([_p("a\r\nb\rc", 1), _p("d", 2)])
    assert text == "a\nb\nc\n\nd"
    assert spans == [(0, 5), (7, 8)]


def test_fold_name_ignores_case_accents_and_separators() -> None:
    """Names that differ only by case, accents, spaces, hyphens or underscores fold alike."""
    assert fold_name("Human Rights") == fold_name("human-rights") == fold_name(" HUMAN_rights ")
    assert fold_name("Mérida") == fold_name("merida")
    assert fold_name("Straße") == fold_name("STRASSE")
    assert fold_name("human rights") != fold_name("humanrights")


def test_anchor_of_a_whole_passage_and_of_a_part() -> None:
    """An anchor's quote is the document text between its offsets, for a passage or a part."""
    corpus = make_corpus()
    second = pid("alpha", 1)
    whole = corpus.anchor(second)
    text = corpus.text("alpha")
    assert whole.quote == DOCS["alpha"][1] == text[whole.start : whole.end]
    assert whole.start == len(DOCS["alpha"][0]) + 2
    part = corpus.anchor(second, (8, 16))
    assert part.quote == "reported" == text[part.start : part.end]
    assert part.passage_id == second and part.doc_id == "alpha"


def test_anchor_refuses_unknown_passages_and_selections_outside() -> None:
    """An unknown passage id and a selection past the passage's end are clear errors."""
    corpus = make_corpus()
    with pytest.raises(UnknownPassage, match="no passage 'nope'"):
        corpus.anchor("nope")
    with pytest.raises(InvalidInput, match="outside passage"):
        corpus.anchor(pid("alpha", 0), (5, 500))


def test_find_quote_prefers_its_own_passage_then_the_nearest_place() -> None:
    """A repeated quote is found inside its old passage first, else nearest its old offset."""
    corpus = make_corpus({"d": ["rights here", "and rights there", "rights again"]})
    text = corpus.text("d")
    second = pid("d", 1, {"d": ["rights here", "and rights there", "rights again"]})
    inside = corpus.find_quote("d", "rights", near=0, prefer=second)
    assert inside is not None and inside.passage_id == second
    assert inside.start == text.index("rights", 13)
    nearest = corpus.find_quote("d", "rights", near=len(text), prefer=None)
    assert nearest is not None and nearest.start == text.rindex("rights")
    assert corpus.find_quote("d", "absent words", near=0, prefer=None) is None
    assert corpus.find_quote("gone", "rights", near=0, prefer=None) is None


def test_locate_gives_the_passage_holding_an_offset() -> None:
    """An offset maps to the passage that holds it (a separator to the passage before)."""
    corpus: CorpusText = make_corpus()
    first, second = pid("alpha", 0), pid("alpha", 1)
    start, end = corpus.span(second)
    for offset, expected in ((0, first), (start - 1, first), (start, second), (end - 1, second)):
        located = corpus.locate("alpha", offset)
        assert located is not None and located.passage.id == expected
