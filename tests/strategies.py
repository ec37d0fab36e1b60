"""Hypothesis strategies for the text a team server really sends: the corpus's own words, Discord
markup and mentions, right-to-left words, emoji, and characters nobody sees.

Why not `st.text()` alone: random code points almost never spell a word the corpus uses (so no
search reaches a hit), and almost never draw a mention, a bidi mark or a zero-width joiner. These
draw from each on purpose. Everything here is written from Unicode and Discord's rules, not taken
from the code under test.
"""

from __future__ import annotations

import string
import unicodedata
from pathlib import Path

from hypothesis import strategies as st

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _seed_words() -> list[str]:
    """Every distinct word of the seed documents (letters and digits only), sorted."""
    words: set[str] = set()
    for path in sorted(SEEDS.glob("*.txt")):
        for raw in path.read_text(encoding="utf-8").split():
            word = raw.strip(string.punctuation + "“”‘’«»—–…•")
            if word.isalnum():
                words.add(word)
    return sorted(words)


SEED_WORDS = _seed_words()
MENTIONS = ["@everyone", "@here", "<@123456789012345678>", "<@!42>", "<@&456>", "<#789>"]
MARKUP = ["**", "*", "__", "_", "~~", "||", "`", "```", "> ", ">>> ", "# ", "## ", "-# "]
MARKUP += ["- ", "* ", "+ ", "1. ", "[a](https://x.org)", "\\", "<", ">", "#", "[", "]", "(", ")"]
RTL_WORDS = ["حقوق", "الإنسان", "الشرطة", "שוטרים", "זכויות", "אדם"]
EMOJI = ["🙂", "👮\u200d♂️", "🇲🇽", "🚓", "❤️", "👍🏽"]
# Characters that show nothing: zero-width (space, joiners), word joiner, BOM, soft hyphen, the
# bidi marks, embeddings, overrides and isolates pasted along with right-to-left text, invisible
# math operators, the combining grapheme joiner and variation selectors.
INVISIBLE = [
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f", "\u061c",
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
    "\u2061", "\u2062", "\u2063", "\u2064", "\u034f", "\ufe0f",
]  # fmt: skip
# Compatibility characters that Unicode normalization (NFKC) turns into several characters —
# spaces, marks, punctuation, whole phrases — or into plain letters.
COMPATIBILITY = [
    "ﱞ",
    "ﷺ",
    "¼",
    "⑴",
    "㈠",
    "℀",
    "ℂ",
    "Ⅻ",
    "㍱",
    "ǅ",
    "ﬀ",
    "™",
    "ｶ",
    "ﾞ",
    "ＰＯＬＩＣＥ",
]
# C0 and C1 control characters that are not whitespace (tab, newlines… split words visibly).
CONTROL = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)] if not chr(c).isspace()]

seed_words = st.sampled_from(SEED_WORDS)
invisible = st.sampled_from(INVISIBLE + CONTROL)
# Characters that are no letter, digit or combining mark, and that Unicode normalization never
# turns into one: the analyzer splits words at each of them.
FORMAT = [c for c in INVISIBLE if unicodedata.category(c) == "Cf"]
SEPARATORS = [*string.whitespace, *string.punctuation, *"“”‘’«»—–…•·", *EMOJI, *FORMAT, *CONTROL]
separator = st.lists(st.sampled_from(SEPARATORS), min_size=1, max_size=4).map("".join)
# Pieces a query mixes with its words; none holds "-" or a quote (that is query syntax).
SYNTAX = set('-"“”„«»')
noise = st.one_of(
    st.sampled_from([m for m in MARKUP if not set(m) & SYNTAX] + MENTIONS + RTL_WORDS + EMOJI),
    st.text(max_size=4).filter(lambda s: not set(s) & SYNTAX),
)


@st.composite
def hidden_inside(draw: st.DrawFn, word: str) -> str:
    """`word` with up to three invisible characters at random places inside or around it."""
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(word)))
        word = word[:at] + draw(invisible) + word[at:]
    return word


@st.composite
def words_and_separators(draw: st.DrawFn) -> tuple[list[str], str]:
    """Seed words joined (and surrounded) by runs of non-letters: markup, emoji, controls…"""
    words = draw(st.lists(seed_words, max_size=8))
    parts = [draw(st.one_of(st.just(""), separator))]
    for word in words:
        parts += [word, draw(separator)]
    return words, "".join(parts)


# Text of every kind above, run together or apart: what "any text" means in a team's server.
mixed_text = st.lists(
    st.one_of(
        seed_words,
        st.text(max_size=6),
        st.sampled_from(MARKUP + MENTIONS + RTL_WORDS + EMOJI + INVISIBLE + COMPATIBILITY),
        separator,
    ),
    max_size=12,
).map("".join)
