"""Association and keyness statistics: the textbook formulas, as pure functions of four counts.

Why a module of its own: the numbers a researcher reports must be the ones the literature defines,
so each formula is written once, exactly as published, and tested against a worked example
(tests/engine/test_association.py). The front ends only choose which one to rank by.

Collocation (Evert 2008, "Corpora and collocations", §3–5; Evert 2005, ch. 3): a node's windows
form a contingency table against the rest of the corpus:

                      collocate c        other words
    in node windows   O11                O12 = R1 − O11          R1 = window slots
    elsewhere         O21 = C1 − O11     O22                     R2 = N − R1
                      C1 = f(c)                                  N  = corpus tokens

with expected counts Eij = Ri·Cj / N. Log-likelihood G² = 2 Σ Oij·ln(Oij / Eij) (Dunning 1993),
pointwise MI = log2(O11 / E11) (Church & Hanks 1990), t-score = (O11 − E11) / √O11.

Keyness (Rayson & Garside 2000): a word with frequency a in a study corpus of c words and b in a
reference corpus of d words has E1 = c·(a+b)/(c+d), E2 = d·(a+b)/(c+d) and
LL = 2·(a·ln(a/E1) + b·ln(b/E2)); its effect size is Hardie's (2014) Log Ratio,
log2((a/c) / (b/d)), with a zero frequency taken as 0.5 so that it stays finite.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MEASURES = ("ll", "mi", "t")
MEASURE_NAMES = {"ll": "log-likelihood", "mi": "mutual information", "t": "t-score"}
# LL above these is significant at p < 0.05, 0.01, 0.001, 0.0001 (one degree of freedom).
LL_CRITICAL = {0.05: 3.84, 0.01: 6.63, 0.001: 10.83, 0.0001: 15.13}
ZERO_FREQUENCY = 0.5  # Hardie (2014): stands in for a zero count in Log Ratio


@dataclass(frozen=True, slots=True)
class Scores:
    """The three collocation measures of one node–collocate pair, with the expected count."""

    expected: float
    ll: float
    mi: float
    t: float

    def get(self, measure: str) -> float:
        return {"ll": self.ll, "mi": self.mi, "t": self.t}[measure]


def _xlogx(observed: float, expected: float) -> float:
    """One term of G²: O·ln(O/E), which is 0 when O is 0 (its limit)."""
    if observed <= 0 or expected <= 0:
        return 0.0
    return observed * math.log(observed / expected)


def collocation_scores(o11: int, r1: int, c1: int, n: int) -> Scores:
    """LL, MI and t for a collocate seen `o11` times in `r1` window slots, `c1` times in `n` tokens.

    Counts that cannot hold together (a collocate counted in two overlapping windows more often
    than it occurs) are clamped to a consistent table rather than raising: the statistic is then
    slightly conservative, never undefined.
    """
    n = max(n, 1)
    r1 = min(max(r1, 0), n)
    c1 = min(max(c1, 0), n)
    o11 = min(max(o11, 0), r1, c1)
    o12, o21 = r1 - o11, c1 - o11
    o22 = max(n - r1 - c1 + o11, 0)
    r2, c2 = n - r1, n - c1
    e11, e12 = r1 * c1 / n, r1 * c2 / n
    e21, e22 = r2 * c1 / n, r2 * c2 / n
    ll = 2.0 * (_xlogx(o11, e11) + _xlogx(o12, e12) + _xlogx(o21, e21) + _xlogx(o22, e22))
    mi = math.log2(o11 / e11) if o11 > 0 and e11 > 0 else float("-inf")
    t = (o11 - e11) / math.sqrt(o11) if o11 > 0 else 0.0
    return Scores(e11, max(ll, 0.0), mi, t)


@dataclass(frozen=True, slots=True)
class Keyness:
    """How distinctive a word is of a study corpus against a reference corpus."""

    ll: float
    log_ratio: float
    expected: float  # E1: the frequency expected in the study corpus

    @property
    def overused(self) -> bool:
        """More frequent in the study corpus than expected (a positive keyword)."""
        return self.log_ratio > 0


def keyness(a: int, b: int, c: int, d: int) -> Keyness:
    """Rayson & Garside's log-likelihood and Hardie's Log Ratio for frequencies a (in c words)
    and b (in d words)."""
    total = c + d
    if total <= 0 or a + b <= 0:
        return Keyness(0.0, 0.0, 0.0)
    e1 = c * (a + b) / total
    e2 = d * (a + b) / total
    ll = 2.0 * (_xlogx(a, e1) + _xlogx(b, e2))
    if c <= 0 or d <= 0:
        return Keyness(ll, 0.0, e1)
    ratio = ((a or ZERO_FREQUENCY) / c) / ((b or ZERO_FREQUENCY) / d)
    return Keyness(ll, math.log2(ratio), e1)
