"""Query syntax: free words, "quoted phrases", -excluded words and +required words.

Why a parser of its own: the syntax is three rules, it must never raise on anything a user can
type (unbalanced quotes, a lone "-", emoji, 10,000 characters), and its output is what the search
and the highlighter share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.engine.analysis import Analyzer

# A quoted phrase (straight or curly quotes; an unclosed quote runs to the end), or a bare word.
PART_RE = re.compile(r'(-?)["“”„«»]([^"“”„«»]*)(?:["“”„«»]|$)|(\S+)')


@dataclass(frozen=True, slots=True)
class Phrase:
    """A quoted phrase: its words as typed and their analyzed terms (stop words dropped)."""

    text: str
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """What a query asks for, in analyzed terms, with the words as the user typed them."""

    words: tuple[str, ...] = ()  # free words as typed (for spelling suggestions)
    terms: tuple[str, ...] = ()  # analyzed terms of free words and phrases (scored)
    phrases: tuple[Phrase, ...] = ()
    excluded: tuple[str, ...] = ()  # analyzed terms a hit must not contain
    excluded_words: tuple[str, ...] = field(default=())
    required: tuple[str, ...] = ()  # analyzed terms every hit must contain (`+word`)

    @property
    def is_empty(self) -> bool:
        return not self.terms


def parse_query(text: str, analyzer: Analyzer) -> ParsedQuery:
    """Split a query into scored terms, phrases and exclusions; never raises."""
    words: list[str] = []
    terms: list[str] = []
    phrases: list[Phrase] = []
    excluded: list[str] = []
    excluded_words: list[str] = []
    required: list[str] = []
    for m in PART_RE.finditer(text):
        negated, quoted, bare = m.group(1), m.group(2), m.group(3)
        if quoted is not None:
            phrase_terms = tuple(analyzer.terms(quoted))
            if negated:
                excluded.extend(phrase_terms)
                excluded_words.append(quoted.strip())
            elif len(phrase_terms) > 1:
                phrases.append(Phrase(quoted.strip(), phrase_terms))
                terms.extend(phrase_terms)
            else:
                terms.extend(phrase_terms)
                words.extend(w.group() for w in analyzer.words(quoted))
            continue
        if bare.startswith("-") and len(bare) > 1:
            excluded.extend(analyzer.terms(bare[1:]))
            excluded_words.append(bare[1:])
            continue
        must = bare.startswith("+") and len(bare) > 1
        for w in analyzer.words(bare):
            term = analyzer.term(w.group())
            if term is not None:
                terms.append(term)
                words.append(w.group())
                if must:
                    required.append(term)
    return ParsedQuery(
        tuple(words),
        tuple(terms),
        tuple(phrases),
        tuple(excluded),
        tuple(excluded_words),
        tuple(dict.fromkeys(required)),
    )
