"""KWIC: every occurrence of a word or phrase, in the source's own words (hand-counted corpus)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.engine import UnknownDocument, Workspace
from bot.engine import occurrences as occurrences_module
from bot.engine.kwic import MAX_WIDTH, concordance
from tests.engine.explore_corpora import kwic_workspace


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return kwic_workspace(tmp_path)


def test_every_occurrence_across_accents_and_case(ws: Workspace) -> None:
    """'merida' finds Mérida, MERIDA, merida, Mérida's and Merida: 4 in a, 1 in b (hand count)."""
    result = concordance(ws.engine, "merida")
    assert result.total == 5 and len(result.lines) == 5
    assert result.by_doc == {"a": 4, "b": 1}
    assert [line.match for line in result.lines] == [
        "Mérida",
        "MERIDA",
        "merida",
        "Mérida",
        "Merida",
    ]
    assert result.forms == {"merida": 5}


def test_typing_the_accent_or_capitals_finds_the_same(ws: Workspace) -> None:
    """'MÉRIDA' and 'Merida' are the same word after folding."""
    assert concordance(ws.engine, "MÉRIDA").total == concordance(ws.engine, "Merida").total == 5


def test_exact_form_by_default_every_form_with_stem(ws: Workspace) -> None:
    """'killing': 3 as written (a: 2, b: 1); with stem, every form of 'kill': 6 (a: 4, b: 2)."""
    exact = concordance(ws.engine, "killing")
    assert exact.total == 3 and exact.by_doc == {"a": 2, "b": 1}
    assert {line.match for line in exact.lines} == {"killing", "Killing"}
    stemmed = concordance(ws.engine, "killing", stem=True)
    assert stemmed.total == 6 and stemmed.by_doc == {"a": 4, "b": 2}
    assert stemmed.forms == {"killing": 3, "killed": 1, "killings": 2}
    assert stemmed.target == "killing (all forms)"


def test_a_phrase_matches_its_words_together(ws: Workspace) -> None:
    """'Merida Initiative' occurs once (a ¶1), 'merida accord' once (b)."""
    (line,) = concordance(ws.engine, "Merida Initiative").lines
    assert line.match == "Mérida Initiative" and line.doc_id == "a" and line.section == "Origins"
    assert concordance(ws.engine, '"merida accord"').by_doc == {"b": 1}


def test_contexts_are_the_sources_own_text(ws: Workspace) -> None:
    """left + match + right is a slice of the passage text, cut at word boundaries."""
    for line in concordance(ws.engine, "merida", width=20).lines:
        passage = ws.engine.passage(line.passage_id)
        assert line.match == passage.text[line.start : line.end]
        assert passage.text[: line.start].endswith(line.left)
        assert passage.text[line.end :].startswith(line.right)
        assert len(line.left) <= 20 and len(line.right) <= 20
        assert not line.left.startswith(" ") and not line.right.endswith(" ")
    first = concordance(ws.engine, "merida", width=20).lines[1]
    assert (first.left, first.match, first.right) == (
        "began in 2007; ",
        "MERIDA",
        " funding grew and",
    )
    assert first.passage_id == ws.engine.corpus.passages[0].id and first.ordinal == 1


def test_sort_by_left_or_right_word(ws: Workspace) -> None:
    """Like AntConc: sorted on the folded word before the match (L1…), or after it (R1…)."""
    left = concordance(ws.engine, "merida", sort="left").lines
    assert [line.left.split()[-1] for line in left] == ["2007;", "and", "In", "The", "the"]
    assert [line.doc_id for line in left][-2:] == ["a", "b"]  # ties keep corpus order
    forms = concordance(ws.engine, "killing", stem=True, sort="left").lines
    assert [line.match for line in forms] == [
        "Killing",  # nothing before it: b opens with it
        "killing",  # and
        "killings",  # of
        "KILLINGS",  # the, then L2 "fields"
        "killing",  # the, then L2 "yet"
        "killed",  # were
    ]
    right = concordance(ws.engine, "merida", sort="right").lines
    # "Mérida's" is the match "Mérida" and R1 "s", which sorts last.
    assert [line.right.split()[0] for line in right] == [
        "accord",
        "became",
        "funding",
        "Initiative",
        "'s",
    ]


def test_one_document_only(ws: Workspace) -> None:
    """document: limits the lines to it; an unknown document raises with suggestions."""
    assert concordance(ws.engine, "merida", document="b").by_doc == {"b": 1}
    with pytest.raises(UnknownDocument):
        concordance(ws.engine, "merida", document="zzz")


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Type a word"),
        ("   \u200b ", "Type a word"),
        ("the of and", "only common words"),
        ("cocaine", "No document uses the word 'cocaine'"),
        ("@everyone", "No document uses the word 'everyone'"),
    ],
)
def test_odd_input_gets_a_sentence(ws: Workspace, typed: str, says: str) -> None:
    result = concordance(ws.engine, typed)
    assert result.total == 0 and not result.lines
    assert result.message is not None and says in result.message


def test_a_misspelt_word_is_corrected(ws: Workspace) -> None:
    """'meridda' (one edit from 'merida') is looked up as 'merida', and the answer says so."""
    result = concordance(ws.engine, "meridda")
    assert result.corrected == "merida" and result.total == 5
    assert result.suggestions == {"meridda": ("merida",)}
    assert result.message and "Showing occurrences of 'merida'" in result.message


def test_another_form_is_suggested_when_the_exact_one_is_absent(ws: Workspace) -> None:
    """'kill' never occurs as written; the forms that do are named, with their counts."""
    result = concordance(ws.engine, "kill")
    assert result.total == 0
    assert result.message and "killing (3)" in result.message and "killings (2)" in result.message


def test_width_is_bounded(ws: Workspace) -> None:
    assert concordance(ws.engine, "merida", width=10**9).width == MAX_WIDTH
    assert concordance(ws.engine, "merida", width=-5).width == 10


def test_a_very_common_word_is_sampled_and_says_so(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the scan limit an even sample of passages is read; the answer says so."""
    monkeypatch.setattr(occurrences_module, "SCAN_LIMIT", 2)
    result = concordance(ws.engine, "merida")
    assert result.sampled and result.passages_read == 2 and result.candidates == 3
    assert result.message and "sample of 2 of the 3 passages" in result.message


def test_sample_rows_spreads_over_the_whole_list() -> None:
    rows, sampled = occurrences_module.sample_rows(np.arange(100), 5)
    assert sampled and rows.tolist() == [0, 25, 50, 74, 99]


def test_json_has_the_documented_fields(ws: Workspace) -> None:
    """Each line: left, match, right, passage_id, doc_id; the summary: total and by_doc."""
    data = json.loads(json.dumps(concordance(ws.engine, "merida").to_json()))
    assert data["total"] == 5 and data["by_doc"] == {"a": 4, "b": 1}
    for key in ("left", "match", "right", "passage_id", "doc_id"):
        assert key in data["lines"][0]


def test_lines_are_bounded_but_counts_are_not(ws: Workspace) -> None:
    """max_lines keeps the first lines; total and per-document counts still cover all."""
    result = concordance(ws.engine, "merida", max_lines=2)
    assert len(result.lines) == 2 and result.truncated
    assert result.total == 5 and result.by_doc == {"a": 4, "b": 1}
    assert not concordance(ws.engine, "merida", max_lines=None).truncated
