"""Keywords: Rayson & Garside's log-likelihood keyness with Hardie's Log Ratio, hand-counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import UnknownDocument, Workspace
from bot.engine import occurrences as occurrences_module
from bot.engine.keywords import keywords
from tests.engine.explore_corpora import trade_workspace
from tests.engine.reading_corpora import make_workspace


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return trade_workspace(tmp_path)


def test_keyness_of_fentanyl_in_x_is_the_hand_computed_one(ws: Workspace) -> None:
    """x has 11 terms, the rest 22; 'fentanyl' 2 in x, 0 elsewhere.

    E1 = 11·2/33 = 0.667, E2 = 1.333; LL = 2·(2 ln(2/0.667)) = 4 ln 3 = 4.39445 (Rayson &
    Garside 2000); Log Ratio = log2((2/11)/(0.5/22)) = 3 (Hardie 2014, 0.5 for the zero).
    Only it passes p < 0.05 (LL ≥ 3.84): 'truck' (2 vs 1: LL 1.386) and 'smuggler' (1 vs 0:
    LL 2.197) do not.
    """
    result = keywords(ws.engine, "x", min_freq=1, p=0.05)
    assert (result.document_terms, result.reference_terms) == (11, 22)
    (kw,) = result.keywords
    assert (kw.word, kw.frequency, kw.reference_frequency) == ("fentanyl", 2, 0)
    assert kw.ll == pytest.approx(4.39445, abs=1e-5)
    assert kw.log_ratio == pytest.approx(3.0)
    assert kw.per_10k == pytest.approx(2 * 10_000 / 11)


def test_each_keyword_comes_with_an_example_showing_it(ws: Workspace) -> None:
    (kw,) = keywords(ws.engine, "x", min_freq=1, p=0.05).keywords
    assert kw.example is not None and kw.example.passage_id == ws.engine.corpus.passages[0].id
    marked = [kw.example.text[a:b] for a, b in kw.example.highlights]
    assert marked == ["fentanyl", "fentanyl"]


def test_the_threshold_and_minimum_frequency_filter(ws: Workspace) -> None:
    """At p < 0.01 (LL ≥ 6.63) nothing in x is key, and the answer says why."""
    result = keywords(ws.engine, "x")
    assert result.keywords == () and result.threshold == 6.63
    assert result.message and "at least 3 times" in result.message


def test_underused_words_are_not_keywords(tmp_path: Path) -> None:
    """'cartel': once in u's 17 terms, 20 times in v's 20 — LL ≈ 18, but less than expected in u
    (E1 = 17 · 21 / 37 = 9.6), so it is not a keyword of u; it is one of v."""
    crops = "Farmers grow maize beans wheat barley oats rye corn rice millet sorghum cotton hemp"
    ws = make_workspace(
        tmp_path,
        {
            "u.txt": f"U\n\n{crops} flax; one cartel.\n",
            "v.txt": "V\n\n" + "Cartel " * 20 + "\n",
        },
    )
    assert "cartel" not in {k.term for k in keywords(ws.engine, "u", min_freq=1, p=0.05).keywords}
    assert [k.term for k in keywords(ws.engine, "v", min_freq=1, p=0.05).keywords] == ["cartel"]


def test_the_example_is_where_the_keyword_is_densest(tmp_path: Path) -> None:
    """Two fentanyls in ¶2 beat one in ¶1."""
    ws = make_workspace(
        tmp_path,
        {
            "k.txt": (
                "K\n\nFentanyl appears once here, among many other words about border trade, "
                "customs and policing.\n\nFentanyl and more fentanyl arrive in the second "
                "paragraph, carried by couriers at night.\n"
            ),
            "o.txt": "O\n\n"
            + "Farmers grow maize and beans every year near the river. " * 6
            + "\n",
        },
    )
    kw = next(
        k for k in keywords(ws.engine, "k", min_freq=1, p=0.05).keywords if k.term == "fentanyl"
    )
    assert kw.example is not None and kw.example.ordinal == 2


def test_a_single_document_has_no_rest(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path, {"only.txt": "Only\n\n" + "Smugglers move fentanyl north. " * 4})
    result = keywords(ws.engine, "only")
    assert result.keywords == () and result.message and "no rest" in result.message


def test_unknown_document_raises(ws: Workspace) -> None:
    with pytest.raises(UnknownDocument):
        keywords(ws.engine, "nope")


def test_a_very_long_document_is_sampled_and_says_so(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    paragraphs = "\n\n".join(
        f"Paragraph {i} about smugglers and fentanyl trucks." * 2 for i in range(6)
    )
    big = make_workspace(
        tmp_path / "big",
        {
            "big.txt": "Big\n\n" + paragraphs,
            **{"o.txt": "O\n\n" + "Farmers grow maize and beans every year. " * 3},
        },
    )
    monkeypatch.setattr(occurrences_module, "SCAN_LIMIT", 2)
    result = keywords(big.engine, "big", min_freq=1, p=0.05)
    assert result.sampled and result.passages_read == 2
    assert result.message and "sample of 2" in result.message
