"""Inter-coder agreement on one code: Cohen's kappa and percent agreement.

Units are passages: over the documents *both* coders have coded (any code), every passage is one
unit, and a coder "says yes" to it when they applied the code to (a quote of) that passage. A
passage neither coded is a "both no" — which is what makes kappa differ from simply comparing
the two coders' lists.

Cohen's kappa (Cohen 1960, "A coefficient of agreement for nominal scales", Educational and
Psychological Measurement 20(1):37–46):

    kappa = (p_o - p_e) / (1 - p_e)

with p_o the observed share of units on which the coders agree and p_e the agreement expected by
chance from each coder's own yes-rate. The tests check it against Wikipedia's worked example
("Cohen's kappa", section "Simple example"): 50 proposals, both yes 20, A yes/B no 5, A no/B yes
10, both no 15 — p_o = 0.7, p_e = 0.5, kappa = 0.4 — and its two "same percentages but different
numbers" tables (kappa 0.1304 and 0.2593).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.store.model import Coding
from bot.store.text import CorpusText, fold_name


@dataclass(frozen=True, slots=True)
class Agreement:
    """Agreement of two coders on one code, with the counts behind it."""

    code: str
    coder_a: str
    coder_b: str
    units: int  # passages compared
    documents: tuple[str, ...]  # documents both coders have coded
    both_yes: int
    a_only: int
    b_only: int
    both_no: int
    percent: float | None  # observed agreement, 0–100; None when there is no unit
    kappa: float | None  # None when undefined (no unit, or chance agreement is 1)
    skipped: int = 0  # codings whose passage the corpus no longer has (needs attention)


def cohen_kappa(a: Sequence[bool], b: Sequence[bool]) -> float | None:
    """Cohen's kappa of two equally long yes/no ratings; None when it is undefined."""
    if len(a) != len(b):
        raise ValueError("both coders must rate the same units")
    n = len(a)
    if n == 0:
        return None
    agree = sum(x == y for x, y in zip(a, b, strict=True)) / n
    yes_a = sum(a) / n
    yes_b = sum(b) / n
    chance = yes_a * yes_b + (1 - yes_a) * (1 - yes_b)
    if chance == 1:
        return None  # both coders said the same single answer to everything
    return (agree - chance) / (1 - chance)


def agreement(
    codings: Iterable[Coding],
    code: str,
    coder_a: str,
    coder_b: str,
    corpus: CorpusText,
) -> Agreement:
    """Kappa and percent agreement of coders `coder_a`, `coder_b` (user keys) on `code`.

    `codings` may hold any codings (of any code and coder); those of other coders are ignored.
    """
    code_key = fold_name(code)
    docs: dict[str, set[str]] = {coder_a: set(), coder_b: set()}
    said_yes: dict[str, set[str]] = {coder_a: set(), coder_b: set()}
    skipped = 0
    for c in codings:
        if c.coder_key not in docs:
            continue
        if not corpus.has_passage(c.passage_id):
            skipped += 1
            continue
        docs[c.coder_key].add(c.doc_id)
        if fold_name(c.code) == code_key:
            said_yes[c.coder_key].add(c.passage_id)
    shared = sorted(docs[coder_a] & docs[coder_b])
    units = [p.id for d in shared for p in corpus.passages_of(d)]
    a = [u in said_yes[coder_a] for u in units]
    b = [u in said_yes[coder_b] for u in units]
    both_yes = sum(x and y for x, y in zip(a, b, strict=True))
    a_only = sum(x and not y for x, y in zip(a, b, strict=True))
    b_only = sum(y and not x for x, y in zip(a, b, strict=True))
    both_no = len(units) - both_yes - a_only - b_only
    percent = 100 * (both_yes + both_no) / len(units) if units else None
    return Agreement(
        code,
        coder_a,
        coder_b,
        len(units),
        tuple(shared),
        both_yes,
        a_only,
        b_only,
        both_no,
        percent,
        cohen_kappa(a, b),
        skipped,
    )
