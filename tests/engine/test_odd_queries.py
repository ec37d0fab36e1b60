"""Odd input a team server sends: every case gets hits or a clear message, never an exception."""

from __future__ import annotations

import re
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


# Each odd query, and the plain query it spells: both must give the same answer.
SPELLS = {
    "emoji": (NASTY["emoji"], "police"),
    "right-to-left": (NASTY["right-to-left"], "police"),
    "bidi marks": (
        "\u200fحق\u200fوق\u200f \u202bالإنسان\u202c po\u200elice \u2067שוטרים\u2069",
        "حقوق الإنسان police שוטרים",
    ),
    "zero-width": (NASTY["zero-width"], "human rights"),
    "control": ("po\x00li\x07ce\x1b forces\x7f\x9b", "police forces"),
    "combining": (NASTY["combining"], "Mérida"),
    "surrogate-free astral": (NASTY["surrogate-free astral"], "police"),
    "full-width": ("ＰＯＬＩＣＥ ｆｏｒｃｅｓ", "police forces"),
    "markdown": ("**police** `forces` > ||abuses||", "police forces abuses"),
    "mentions": (NASTY["mentions"], "police"),
}


@pytest.mark.parametrize(("odd", "plain"), list(SPELLS.values()), ids=list(SPELLS))
def test_odd_characters_are_searched_as_the_words_they_spell(
    seeds_engine: Engine, odd: str, plain: str
) -> None:
    """Emoji, RTL, bidi marks, controls, accents, 𝔪𝔞𝔱𝔥 letters: the same hits as the plain words."""
    got, want = seeds_engine.search(odd, top=50), seeds_engine.search(plain, top=50)
    assert want.hits
    assert [h.passage.id for h in got.hits] == [h.passage.id for h in want.hits]
    assert (got.total, got.corrected) == (want.total, want.corrected)
    if got.message != want.message:  # words of the odd query no document uses: named, not dropped
        assert want.message is None and got.message is not None
        assert got.message.startswith("No document uses the word")
        named = re.findall(r"'([^']+)'", got.message)
        assert named and all(word in odd for word in named)


def test_right_to_left_words_are_words(write_corpus, corpus_settings) -> None:  # type: ignore[no-untyped-def]
    """Arabic and Hebrew passages are found by their words, bidi marks pasted in or not."""
    folder = write_corpus(
        {
            "ar.txt": "تقرير\n\nتحدث التقرير عن حقوق الإنسان في المدن الحدودية وعن عمل الشرطة.\n",
            "he.txt": "דוח\n\nהדוח עוסק בזכויות אדם ובעבודת השוטרים בערים שליד הגבול.\n",
        }
    )
    engine = Engine.load(corpus_settings(folder), folder=folder)
    for query, doc_id, marked in [
        ("حقوق الإنسان", "ar", ["حقوق الإنسان"]),
        ("\u200fحقوق \u202bالإنسان\u202c", "ar", ["حقوق الإنسان"]),
        ("השוטרים", "he", ["השוטרים"]),
        ("השו\u200fטרים\u200e", "he", ["השוטרים"]),
    ]:
        [hit] = engine.search(query).hits
        assert hit.passage.doc_id == doc_id
        assert [hit.passage.text[a:b] for a, b in hit.highlights] == marked, query


def test_exclusions_alone_explain_themselves(seeds_engine: Engine) -> None:
    """A query of only -words has nothing to rank and says so."""
    result = seeds_engine.search("-police -military")
    assert not result.hits and "common words" in (result.message or "")


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
