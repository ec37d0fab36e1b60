"""Cohen's kappa against published worked examples, and agreement over coded passages."""

from __future__ import annotations

import pytest

from bot.store import CorpusText, InvalidInput, Store, cohen_kappa
from tests.store.builders import make_corpus, pid
from tests.store.conftest import ALICE, BOB, CAROL


def _ratings(both_yes: int, a_only: int, b_only: int, both_no: int) -> tuple[list[bool], ...]:
    a = [True] * both_yes + [True] * a_only + [False] * b_only + [False] * both_no
    b = [True] * both_yes + [False] * a_only + [True] * b_only + [False] * both_no
    return a, b


def test_kappa_of_wikipedias_worked_example_is_0_4() -> None:
    """Wikipedia, "Cohen's kappa", simple example: 20/5/10/15 of 50 gives kappa 0.4."""
    kappa = cohen_kappa(*_ratings(20, 5, 10, 15))
    assert kappa == pytest.approx(0.4)


@pytest.mark.parametrize(
    ("table", "expected"),
    [((45, 15, 25, 15), 0.1304), ((25, 35, 5, 35), 0.2593)],
)
def test_kappa_of_wikipedias_same_percentage_examples(
    table: tuple[int, int, int, int], expected: float
) -> None:
    """Wikipedia's two tables with 60% agreement give kappa 0.1304 and 0.2593."""
    assert cohen_kappa(*_ratings(*table)) == pytest.approx(expected, abs=5e-5)


def test_kappa_is_undefined_without_units_or_variation() -> None:
    """No unit, or both coders giving one same answer throughout: kappa is None, not a crash."""
    assert cohen_kappa([], []) is None
    assert cohen_kappa([False] * 5, [False] * 5) is None
    assert cohen_kappa([True, False], [True, False]) == pytest.approx(1.0)


def test_agreement_counts_every_passage_of_documents_both_coded(store: Store) -> None:
    """Units are all passages of documents both coders coded; uncoded ones are both-no."""
    docs = {"d1": [f"passage {i} of one" for i in range(10)], "d2": ["only one coder here"]}
    corpus = make_corpus(docs)

    def code(who: object, doc: str, i: int, name: str = "human-rights") -> None:
        store.code(corpus.anchor(pid(doc, i, docs)), name, who)  # type: ignore[arg-type]

    for i in (0, 1, 2, 3):
        code(ALICE, "d1", i)
    for i in (0, 1, 4):
        code(BOB, "d1", i)
    code(BOB, "d1", 9, "corruption")
    code(ALICE, "d2", 0)  # d2 is coded by Alice only: not a unit
    result = store.agreement("Human Rights", "alice", "Bob", corpus)
    assert (result.units, result.documents) == (10, ("d1",))
    assert (result.both_yes, result.a_only, result.b_only, result.both_no) == (2, 2, 1, 5)
    assert result.percent == pytest.approx(70.0)
    # p_o = 0.7; p_e = 0.4 * 0.3 + 0.6 * 0.7 = 0.54; kappa = 0.16 / 0.46
    assert result.kappa == pytest.approx(0.16 / 0.46)


def test_agreement_without_shared_documents_has_no_units(store: Store, corpus: CorpusText) -> None:
    """Two coders who never coded the same document: no unit, kappa undefined."""
    store.code(corpus.anchor(pid("alpha", 0)), "corruption", ALICE)
    store.code(corpus.anchor(pid("beta", 0)), "corruption", CAROL)
    result = store.agreement("corruption", "alice", "Carol", corpus)
    assert (result.units, result.kappa, result.percent) == (0, None, None)


def test_agreement_needs_two_coders(store: Store, corpus: CorpusText) -> None:
    """Comparing a coder with themselves is refused in words."""
    store.code(corpus.anchor(pid("alpha", 0)), "corruption", BOB)
    with pytest.raises(InvalidInput, match="two different coders"):
        store.agreement("corruption", "Bob", "discord:111", corpus)
