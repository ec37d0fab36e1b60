"""Sentence boundaries: where long paragraphs split, snippets start and summaries pick from.

Why a small rule-based splitter and not a model: the corpus is edited English prose, the rules below
get it right, and every caller needs exact character spans into the original text.
"""

from __future__ import annotations

import re

# A boundary: end punctuation (optionally closing quotes/brackets), whitespace, then something that
# can start a sentence (capital, digit, opening quote or bracket, bullet).
BOUNDARY_RE = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[•A-Z0-9À-Ý])|\n+")
CLOSERS = "\"'”’)]"
# Words after which a period does not end a sentence.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st vs etc e.g i.e u.s u.k u.n no fig al approx dept gen gov col lt sgt
    capt cmdr adm rep sen pres inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec
    """.split()
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, covering all non-space text, in order."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in BOUNDARY_RE.finditer(text):
        closing = len(m.group()) - len(m.group().lstrip(CLOSERS))
        if "\n" not in m.group() and _is_abbreviation(text, m.start()):
            continue
        end = m.start() + closing
        seg = text[start:end]
        if seg.strip():
            spans.append(_trim(text, start, end))
        start = m.end()
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of `text` as strings."""
    return [text[a:b] for a, b in sentence_spans(text)]


def _is_abbreviation(text: str, end: int) -> bool:
    """Whether the word ending at `end` (just before the boundary) is an abbreviation."""
    j = end
    while j > 0 and text[j - 1] in CLOSERS:
        j -= 1
    if j == 0 or text[j - 1] != ".":
        return False
    i = j - 1
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    word = text[i : j - 1].lower().strip("(\"'“‘")
    # Single letters are initials ("J. Smith"), dotted acronyms ("U.S.") are abbreviations.
    return word in ABBREVIATIONS or len(word) == 1 or ("." in word and len(word) <= 6)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
