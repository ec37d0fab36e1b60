"""Collocates: hand-counted window co-occurrences, scored by the textbook formulas."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Workspace
from bot.engine import collocates as collocates_module
from bot.engine.collocates import MAX_WINDOW, collocates
from bot.engine.index import PassageIndex
from tests.engine.explore_corpora import trade_workspace
from tests.engine.reading_corpora import make_workspace


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return trade_workspace(tmp_path)


def test_the_index_keeps_each_terms_corpus_frequency() -> None:
    """term_freq counts occurrences (not passages): 'a' 3 times in 2 passages."""
    index = PassageIndex.build([["a", "b", "a"], ["b", "c"], ["a"]])
    assert dict(zip(index.vocabulary, index.term_freq.tolist(), strict=True)) == {
        "a": 3,
        "b": 2,
        "c": 1,
    }
    assert index.total_terms == 6


def test_window_counts_are_the_hand_counts(ws: Workspace) -> None:
    """Node 'fentanyl', ±2: 2 occurrences, 8 window slots, N = 33; 'truck' 2 (right) of 3."""
    result = collocates(ws.engine, "fentanyl", window=2, min_freq=1)
    assert (result.node_frequency, result.window_slots, result.corpus_terms) == (2, 8, 33)
    by_word = {c.word: c for c in result.collocates}
    truck = by_word["trucks"]
    assert (truck.term, truck.together, truck.left, truck.right, truck.frequency) == (
        "truck",
        2,
        0,
        2,
        3,
    )
    assert (by_word["guards"].together, by_word["guards"].frequency) == (1, 3)
    assert set(by_word) == {"smugglers", "move", "trucks", "north", "guards", "wave", "border"}


def test_scores_are_evert_2008s_on_the_hand_counts(ws: Workspace) -> None:
    """'truck': O11 = 2, R1 = 8, C1 = 3, N = 33 → G² 2.71141, MI 1.45943, t 0.89995.

    Worked by hand in tests/engine/test_association.py::test_log_likelihood_worked_by_hand
    (Evert 2008, "Corpora and collocations", §3–5).
    """
    result = collocates(ws.engine, "fentanyl", window=2, min_freq=1)
    truck = next(c for c in result.collocates if c.term == "truck")
    assert truck.expected == pytest.approx(8 * 3 / 33)
    assert truck.ll == pytest.approx(2.71141, abs=1e-5)
    assert truck.mi == pytest.approx(1.45943, abs=1e-5)
    assert truck.t == pytest.approx(0.89995, abs=1e-5)
    # Ranked by log-likelihood: the hapaxes beside the node ('move': G² 2.934) come first.
    assert [c.ll for c in result.collocates] == sorted(
        (c.ll for c in result.collocates), reverse=True
    )


def test_the_measure_chooses_the_order(ws: Workspace) -> None:
    """MI favours the rare: 'smuggler' (O11 1, C1 1: MI 2.04) outranks 'truck' (MI 1.46)."""
    by_mi = collocates(ws.engine, "fentanyl", window=2, min_freq=1, measure="mi").collocates
    assert by_mi[0].mi == max(c.mi for c in by_mi)
    assert [c.term for c in by_mi].index("smuggler") < [c.term for c in by_mi].index("truck")
    by_t = collocates(ws.engine, "fentanyl", window=2, min_freq=1, measure="t").collocates
    assert by_t[0].term == "truck"


def test_stop_words_are_never_collocates_and_do_not_take_slots(ws: Workspace) -> None:
    """'the' stands next to 'fentanyl' in x, yet neither counts nor fills a window slot."""
    result = collocates(ws.engine, "fentanyl", window=1, min_freq=1)
    assert result.window_slots == 4  # move | truck, wave | truck
    assert {c.term for c in result.collocates} == {"move", "truck", "wave"}


def test_min_freq_and_the_default_window(ws: Workspace) -> None:
    """At the default minimum of 3, nothing co-occurs often enough within ±2; within the default
    ±5, 'truck' does (right of the first 'fentanyl', left and right of the second)."""
    result = collocates(ws.engine, "fentanyl", window=2)
    assert result.collocates == ()
    assert result.message and "at least 3 times" in result.message
    assert [c.term for c in collocates(ws.engine, "fentanyl", window=2, min_freq=2).collocates] == [
        "truck"
    ]
    wide = collocates(ws.engine, "fentanyl")
    assert wide.window == 5 and [(c.term, c.together) for c in wide.collocates] == [("truck", 3)]


def test_a_huge_window_is_bounded_and_says_so(ws: Workspace) -> None:
    result = collocates(ws.engine, "fentanyl", window=10**6, min_freq=1)
    assert result.window == MAX_WINDOW
    assert result.message and f"at most ±{MAX_WINDOW}" in result.message


@pytest.mark.parametrize(
    ("typed", "says"),
    [("", "Type a word"), ("the of", "only common words"), ("cocaine", "No document uses")],
)
def test_odd_input_gets_a_sentence(ws: Workspace, typed: str, says: str) -> None:
    result = collocates(ws.engine, typed)
    assert not result.collocates and result.message and says in result.message


def test_an_unknown_measure_falls_back_to_log_likelihood(ws: Workspace) -> None:
    assert collocates(ws.engine, "fentanyl", measure="zzz").measure == "ll"


def test_only_attraction_is_listed(tmp_path: Path) -> None:
    """'guard' once beside 'fentanyl' but 9 times in 23 terms: E11 = 5 · 9 / 23 = 1.96 > 1."""
    ws = make_workspace(
        tmp_path,
        {
            "p.txt": "P\n\nFentanyl guards smuggle goods across deserts with camels and trucks.\n",
            "q.txt": "Q\n\n" + "Guards " * 8 + "stand watch tonight at every gate.\n",
        },
    )
    result = collocates(ws.engine, "fentanyl", window=5, min_freq=1)
    assert result.window_slots == 5
    assert "guard" not in {c.term for c in result.collocates}
    assert "smuggl" in {c.term for c in result.collocates}


def test_a_very_frequent_node_is_measured_on_a_sample_of_its_occurrences(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the cap, an even sample of occurrences is read (the first 'fentanyl' of 2 here):
    window slots and scores come from the sample, and the answer says so."""
    monkeypatch.setattr(collocates_module, "MAX_NODES", 1)
    result = collocates(ws.engine, "fentanyl", window=2, min_freq=1)
    assert (result.node_frequency, result.window_slots) == (1, 4)
    assert {c.term for c in result.collocates} == {"smuggler", "move", "truck", "north"}
    assert result.message and "sample of 1 of its 2 occurrences" in result.message


def test_a_collocate_is_shown_in_its_most_frequent_form(tmp_path: Path) -> None:
    """'trucks' twice and 'truck' once beside 'fentanyl': the collocate reads 'trucks'."""
    ws = make_workspace(
        tmp_path,
        {
            "f.txt": (
                "F\n\nFentanyl trucks crossed at dawn. Fentanyl truck stopped at noon. "
                "Fentanyl trucks left at dusk, and guards counted them all.\n"
            ),
            "g.txt": "G\n\nFarmers grow maize and beans every year near the river.\n",
        },
    )
    found = collocates(ws.engine, "fentanyl", window=1, min_freq=1).collocates
    (truck,) = [c for c in found if c.term == "truck"]
    assert (truck.word, truck.together, truck.left, truck.right) == ("trucks", 3, 0, 3)
    (dawn,) = [c for c in found if c.term == "dawn"]  # the word before the second 'Fentanyl'
    assert (dawn.left, dawn.right) == (1, 0)


def test_collocates_read_a_sample_of_a_common_words_passages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above MAX_PASSAGES passages, an even sample is read, and the answer says so."""
    ws = trade_workspace(tmp_path)
    monkeypatch.setattr(collocates_module, "MAX_PASSAGES", 1)
    result = collocates(ws.engine, "guards", window=2, min_freq=1)  # in all three passages
    assert result.sampled and (result.passages_read, result.candidates) == (1, 3)
    assert result.message and "sample of 1 of the 3 passages" in result.message
