"""Finding occurrences: the fast ASCII scan and the word-by-word reading agree, everywhere."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine import Engine
from bot.engine import occurrences as occ
from bot.engine.analysis import Analyzer
from bot.engine.kwic import concordance
from bot.engine.occurrences import Target, WordReader, fast_pattern, spans_in

READER = WordReader(Analyzer())
WORDS = ["police", "Police", "POLICE", "rule", "of", "law", "2007", "x1", "mérida", "Merida"]
GLUE = [" ", ", ", "-", "’", "'", " — ", ".\n", "_", "“", "(", "é", "\u0301"]
TEXT = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(GLUE)), max_size=40).map("".join)
MANY = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def target(text: str, *, stem: bool = False) -> Target:
    pairs = READER.pairs(text)
    return Target(text, tuple(f for f, _ in pairs), tuple(t for _, t in pairs), stem)


def slow(text: str, t: Target) -> list[tuple[int, int]]:
    return spans_in(text, t, READER, None)


@MANY
@given(TEXT, st.sampled_from(["police", "rule of law", "of law", "2007", "law police"]))
def test_the_fast_scan_finds_what_the_tokenizer_finds(text: str, phrase: str) -> None:
    """On any text — ASCII or not, hyphens, apostrophes, accents, marks — the same spans."""
    t = target(phrase)
    assert spans_in(text, t, READER, fast_pattern(t)) == slow(text, t)


def test_words_run_together_are_one_word() -> None:
    """'ruleof law' holds no 'rule of law': the tokenizer sees the word 'ruleof'."""
    t = target("rule of law")
    assert spans_in("ruleof law", t, READER, fast_pattern(t)) == [] == slow("ruleof law", t)


@MANY
@given(TEXT, st.integers(min_value=0, max_value=6), st.booleans(), st.sampled_from([3, 96]))
def test_reading_around_a_word_equals_reading_the_whole_passage(
    text: str, n: int, content: bool, region: int
) -> None:
    """`before`/`after` a word give the words a full reading puts there, nearest first/last,
    whatever stretch they read first (3 characters cut into words all the time)."""
    tokens = READER.tokens(text)
    pairs = list(zip(tokens.forms, tokens.terms, strict=True))
    with pytest.MonkeyPatch.context() as m:
        m.setattr(occ, "REGION_CHARS", region)
        for i in range(len(tokens)):
            start, end = tokens.spans[i]
            left = [p for p in pairs[:i] if not content or p[1] is not None]
            right = [p for p in pairs[i + 1 :] if not content or p[1] is not None]
            before = READER.before(text, start, n, content=content)
            assert before == (left[len(left) - n :] if n else [])
            assert READER.after(text, end, n, content=content) == right[:n]


def test_no_fast_scan_for_stems_or_non_ascii_forms() -> None:
    assert fast_pattern(target("killing", stem=True)) is None
    assert fast_pattern(Target("ñu", ("ñu",), ("ñu",))) is None
    assert fast_pattern(target("rule of law")) is not None


def test_case_is_kept_when_the_analyzer_does_not_fold_it() -> None:
    t = Target("police", ("police",), ("polic",))
    pattern = fast_pattern(t, casefold=False)
    assert pattern is not None and spans_in("Police police", t, READER, pattern) == [(7, 13)]


@pytest.mark.parametrize(
    "word", ["Merida", "human rights", "police", "rule of law", "2007", "killings", "U.S."]
)
def test_seed_concordances_are_the_same_either_way(
    seeds_engine: Engine, word: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every line of the seed corpus's concordances, with and without the fast scan."""
    fast = concordance(seeds_engine, word, sort="left")
    monkeypatch.setattr(occ, "fast_pattern", lambda *a, **k: None)
    assert concordance(seeds_engine, word, sort="left") == fast
