"""The association and keyness formulas equal the published ones on worked examples."""

from __future__ import annotations

import math

import pytest

from bot.engine.association import collocation_scores, keyness

# Manning & Schütze (1999), Foundations of Statistical NLP, ch. 5, over 14,307,668 tokens of the
# New York Times: §5.3.1 tests "new companies" (C(new) = 15,828, C(companies) = 4,675,
# C(new companies) = 8) and finds t ≈ 0.999932; Table 5.14 gives "Ayatollah Ruhollah"
# (C = 42, 20; together 20) an MI of 18.38 bits.
NYT_TOKENS = 14_307_668


def test_t_score_of_new_companies_is_manning_and_schutzes() -> None:
    """t = (O − E)/√O = (8 − 15,828 · 4,675 / N) / √8 ≈ 0.999932 (M&S §5.3.1)."""
    scores = collocation_scores(8, 15_828, 4_675, NYT_TOKENS)
    assert scores.expected == pytest.approx(5.17177, abs=1e-5)
    assert scores.t == pytest.approx(0.999932, abs=1e-6)


def test_mi_of_ayatollah_ruhollah_is_manning_and_schutzes() -> None:
    """MI = log2(O / E) = log2(20 · N / (42 · 20)) ≈ 18.38 bits (M&S Table 5.14)."""
    assert collocation_scores(20, 42, 20, NYT_TOKENS).mi == pytest.approx(18.378, abs=1e-3)


def dunning_binomial(c12: int, c1: int, c2: int, n: int) -> float:
    """−2 log λ written as Dunning (1993, §5) writes it, with binomial likelihoods L(k, n, x).

    An independent statement of the same statistic, used as the reference implementation.
    """

    def log_l(k: float, m: float, x: float) -> float:
        return (k * math.log(x) if k else 0.0) + ((m - k) * math.log(1 - x) if m - k else 0.0)

    p, p1, p2 = c2 / n, c12 / c1, (c2 - c12) / (n - c1)
    return 2 * (
        log_l(c12, c1, p1)
        + log_l(c2 - c12, n - c1, p2)
        - log_l(c12, c1, p)
        - log_l(c2 - c12, n - c1, p)
    )


def test_log_likelihood_worked_by_hand() -> None:
    """Evert (2008)'s G² = 2 Σ O ln(O/E) on a table worked by hand.

    O11 = 2 in R1 = 8 window slots, C1 = 3, N = 33 (the "fentanyl" · "truck" table of
    tests/engine/explore_corpora.py): O12 = 6, O21 = 1, O22 = 24; E11 = 8·3/33 = 0.72727,
    E12 = 8·30/33 = 7.27273, E21 = 25·3/33 = 2.27273, E22 = 25·30/33 = 22.72727;
    G² = 2 (2 ln 2.75 + 6 ln 0.825 + ln 0.44 + 24 ln 1.056) = 2 (2.02320 − 1.15423 − 0.82098
    + 1.30772) = 2.71141. MI = log2 2.75 = 1.45943; t = (2 − 0.72727)/√2 = 0.89995.
    """
    scores = collocation_scores(2, 8, 3, 33)
    assert scores.ll == pytest.approx(2.71141, abs=1e-5)
    assert scores.mi == pytest.approx(1.45943, abs=1e-5)
    assert scores.t == pytest.approx(0.89995, abs=1e-5)


@pytest.mark.parametrize(
    ("o11", "r1", "c1", "n"),
    [(150, 12_593, 932, NYT_TOKENS), (10, 379, 932, NYT_TOKENS), (2, 8, 3, 33), (5, 5, 5, 100)],
)
def test_log_likelihood_equals_dunnings_binomial_form(o11: int, r1: int, c1: int, n: int) -> None:
    """G² over the 2×2 table equals Dunning's −2 log λ over two binomials (the same statistic)."""
    assert collocation_scores(o11, r1, c1, n).ll == pytest.approx(
        dunning_binomial(o11, r1, c1, n), rel=1e-9
    )


def test_keyness_worked_by_hand() -> None:
    """Rayson & Garside (2000): a = 10 in c = 1,000 words, b = 20 in d = 10,000.

    E1 = 1,000 · 30 / 11,000 = 2.72727, E2 = 10,000 · 30 / 11,000 = 27.27273;
    LL = 2 (10 ln(10/2.72727) + 20 ln(20/27.27273)) = 2 (12.99283 − 6.20310) = 13.57946.
    Log Ratio (Hardie 2014) = log2((10/1,000) / (20/10,000)) = log2 5 = 2.32193.
    """
    k = keyness(10, 20, 1_000, 10_000)
    assert k.expected == pytest.approx(2.72727, abs=1e-5)
    assert k.ll == pytest.approx(13.57946, abs=1e-5)
    assert k.log_ratio == pytest.approx(2.32193, abs=1e-5)
    assert k.overused


def test_log_ratio_takes_half_for_a_zero_frequency() -> None:
    """Hardie (2014): a word absent from the reference counts 0.5 there, so Log Ratio stays finite.

    a = 2 in 11, b = 0 in 22: log2((2/11) / (0.5/22)) = log2 8 = 3; LL = 2 · 2 ln 3 = 4.39445.
    """
    k = keyness(2, 0, 11, 22)
    assert k.log_ratio == pytest.approx(3.0)
    assert k.ll == pytest.approx(4.39445, abs=1e-5)


def test_underused_words_are_not_overused() -> None:
    """A word rarer in the study corpus than in the reference has a negative Log Ratio; absent
    from the study corpus, it counts 0.5 there: log2((0.5/1,000) / (20/10,000)) = −2."""
    k = keyness(1, 100, 1_000, 10_000)
    assert k.log_ratio < 0 and not k.overused
    assert keyness(0, 20, 1_000, 10_000).log_ratio == pytest.approx(-2.0)


def test_impossible_tables_are_clamped_not_raised() -> None:
    """Counts that cannot hold together (overlapping windows) give finite, non-negative LL."""
    scores = collocation_scores(9, 8, 3, 33)
    assert math.isfinite(scores.ll) and scores.ll >= 0
    assert scores == collocation_scores(3, 8, 3, 33)  # O11 cannot exceed C1
    assert collocation_scores(0, 0, 0, 0).ll == 0.0
    assert keyness(0, 0, 0, 0).ll == 0.0
