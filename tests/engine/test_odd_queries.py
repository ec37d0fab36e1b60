"""Odd input a team server sends: every case gets hits or a clear message, never an exception."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.engine import Engine

NASTY = {
    "empty": "",
    "whitespace": " \t\n ",
    "huge": "human rights " * 900,
    "stop words": "the of and to",
    "punctuation": "?!.,;:()[]{}",
    "emoji": "👮‍♂️🇲🇽 police 🚓",
    "emoji only": "🙂🙂🙂",
    "right-to-left": "حقوق الإنسان police שוטרים",
    "zero-width": "hu\u200bman\u200d ri\u2060ghts",
    "control": "police\x00\x07\x1b[31mforces",
    "combining": "Me\u0301rida",
    "regex": "( * \\ $ ^ [a-z]+ .*? |",
    "shell": "$(rm -rf /); `id` && echo | cat > /tmp/x",
    "unbalanced quote": '"human rights',
    "lone quote": '"',
    "lone minus": "-",
    "minus only words": "-police -military",
    "markdown": "**bold** `code` > quote ||spoiler|| __u__ ~~s~~",
    "mentions": "@everyone @here <@123> <@&456> <#789> police",
    "url": "https://example.com/search?q=police&x=<script>",
    "nul": "\x00",
    "long word": "a" * 5000,
    "surrogate-free astral": "𝔭𝔬𝔩𝔦𝔠𝔢",
}


@pytest.mark.parametrize("query", list(NASTY.values()), ids=list(NASTY))
def test_odd_queries_get_hits_or_a_message(seeds_engine: Engine, query: str) -> None:
    """Each odd query returns a result with hits or a plain message."""
    result = seeds_engine.search(query)
    assert result.hits or result.message
    if result.message:
        assert "\n" not in result.message and len(result.message) < 600


def test_exclusions_alone_explain_themselves(seeds_engine: Engine) -> None:
    """A query of only -words has nothing to rank and says so."""
    result = seeds_engine.search("-police -military")
    assert not result.hits and "common words" in (result.message or "")


def test_hidden_characters_do_not_split_words(seeds_engine: Engine) -> None:
    """Zero-width joiners pasted into a word do not change what it finds."""
    plain = seeds_engine.search("human rights")
    hidden = seeds_engine.search(NASTY["zero-width"])
    assert [h.passage.id for h in hidden.hits] == [h.passage.id for h in plain.hits]


def test_mathematical_letters_fold_to_plain_words(seeds_engine: Engine) -> None:
    """NFKC turns 𝔭𝔬𝔩𝔦𝔠𝔢 into police."""
    assert seeds_engine.search(NASTY["surrogate-free astral"]).total == (
        seeds_engine.search("police").total
    )


def test_huge_query_is_cut_at_the_limit(seeds_engine: Engine) -> None:
    """A query longer than search.max_query_chars is cut at a word boundary and answered."""
    assert seeds_engine.search(NASTY["huge"]).hits
    settings = replace(
        seeds_engine.settings, search=replace(seeds_engine.settings.search, max_query_chars=19)
    )
    engine = Engine(settings, seeds_engine.corpus)
    query = "human rights policewomen torture"
    assert query[:19] == "human rights police"  # cut mid-word, it would search for police
    result = engine.search(query)
    assert result.hits and result.corrected is None and result.message is None
    assert set().union(*(h.contributions for h in result.hits)) == {"human", "right"}
