"""The analyzer: one text → terms pipeline shared by passages and queries.

Why one analyzer: a query term can only meet a passage term if both went through the same steps, so
the index, the query parser, the highlighter and the spell checker all call this module.

Steps (each switchable in `analysis:` settings): Unicode NFKC, case folding, accent folding
(Mérida = Merida), tokens split at anything that is not a letter or digit (human-rights → human,
rights; Mexico's → mexico), stop words, Snowball stemming.

Languages: stop words and stemmer are those of a document's language (Spanish passages are
stemmed as Spanish: corrupción, corrupciones → corrupcion), and a query is analysed once per
language of the corpus, each version scoring that language's passages (`Analyzers`). Documents
whose language is unknown, or has no Snowball stemmer, get the configured default (English).
Normalisation never depends on the language, so folding and spelling stay shared.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from bot.engine.stopwords import STOPWORDS
from bot.settings import AnalysisSettings

# Letters and digits (with any combining marks that follow them, so a decomposed "é" stays in its
# word); hyphens, apostrophes (straight or curly), underscores and everything else split tokens.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
TOKEN_RE = re.compile(rf"(?:[^\W_][{_MARKS}]*)+")
MAX_TOKEN_CHARS = 40
DEFAULT_LANGUAGE = "en"
# ISO 639-1 → the Snowball stemmers PyStemmer ships (the languages a document can be analysed in).
SNOWBALL = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french",
    "ga": "irish", "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "nl": "dutch", "no": "norwegian",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish",
    "ta": "tamil", "tr": "turkish",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Token:
    """One analyzed term and where its word stands in the original text."""

    term: str
    start: int
    end: int
    word: str


class Analyzer:
    """Turns text of one language into index terms; cheap to call, caches per distinct word."""

    def __init__(
        self, settings: AnalysisSettings | None = None, language: str = DEFAULT_LANGUAGE
    ) -> None:
        self.settings = settings or AnalysisSettings()
        self.language = language
        self.stopwords: frozenset[str] = (
            STOPWORDS.get(language, frozenset())
            if self.settings.stopwords != "none"
            else frozenset()
        )
        self._stemmer = (
            Stemmer.Stemmer(SNOWBALL[language]) if self.settings.stemmer != "none" else None
        )
        self.term = lru_cache(maxsize=200_000)(self._term)

    def normalize(self, text: str) -> str:
        """NFKC, case folding and accent folding of a whole text (no tokenizing)."""
        s = self.settings
        if s.nfkc:
            text = unicodedata.normalize("NFKC", text)
        if s.casefold:
            text = text.casefold()
        if s.fold_accents:
            text = fold_accents(text)
        return text

    def _term(self, word: str) -> str | None:
        """The index term of one raw word, or None for a stop word."""
        folded = self.normalize(word)
        if not folded.isalnum():  # NFKC can expand one character into spaces and marks (ﱞ)
            folded = "".join(TOKEN_RE.findall(folded))
        if not folded or folded in self.stopwords or len(folded) > MAX_TOKEN_CHARS:
            return None
        if self._stemmer is not None:
            return str(self._stemmer.stemWord(folded))
        return folded

    def fold_words(self, words: Sequence[str]) -> list[str]:
        """`normalize` of each word; an ASCII word needs lower-casing at most (NFKC and accent
        folding leave ASCII as it is), which is what makes a million-passage build fast."""
        lower, norm = self.settings.casefold, self.normalize
        return [(w.lower() if lower else w) if w.isascii() else norm(w) for w in words]

    def analyse_words(self, words: Sequence[str]) -> tuple[list[str], list[str | None]]:
        """(`fold`, `term`) of many distinct words at once: the stemmer stems the list in C."""
        folded = self.fold_words(words)
        keys: list[str | None] = []
        stop = self.stopwords
        for f in folded:
            if not f.isalnum():
                f = "".join(TOKEN_RE.findall(f))
            keys.append(None if not f or f in stop or len(f) > MAX_TOKEN_CHARS else f)
        kept = [k for k in keys if k is not None]
        stems = iter(self._stemmer.stemWords(kept) if self._stemmer is not None else kept)
        return folded, [None if k is None else next(stems) for k in keys]

    def words(self, text: str) -> Iterator[re.Match[str]]:
        """Raw word matches of `text` (before folding), with their positions."""
        return TOKEN_RE.finditer(text)

    def terms(self, text: str) -> list[str]:
        """The index terms of `text`, in order, stop words removed."""
        term = self.term
        out = []
        for m in TOKEN_RE.finditer(text):
            t = term(m.group())
            if t is not None:
                out.append(t)
        return out

    def tokens(self, text: str) -> list[Token]:
        """Like `terms`, with each term's character span in `text` (for highlighting)."""
        term = self.term
        out = []
        for m in TOKEN_RE.finditer(text):
            t = term(m.group())
            if t is not None:
                out.append(Token(t, m.start(), m.end(), m.group()))
        return out

    def fold(self, word: str) -> str:
        """A word's folded surface form (no stemming): what spelling suggestions compare."""
        return self.normalize(word)


class Analyzers:
    """One analyzer per language a corpus is written in, the default one first.

    Why a registry: a Spanish document must be indexed with the Spanish analyzer and a query
    must be analysed by the very same object for each language, so they are made once here and
    shared by the index build and every query.
    """

    def __init__(self, settings: AnalysisSettings | None = None) -> None:
        self.settings = settings or AnalysisSettings()
        self.default = Analyzer(self.settings, DEFAULT_LANGUAGE)
        self._made: dict[str, Analyzer] = {DEFAULT_LANGUAGE: self.default}

    def of(self, language: str | None) -> Analyzer:
        """The analyzer for a document in `language` (an ISO 639-1 code, or None if unknown)."""
        if not self.settings.per_language or language is None or language not in SNOWBALL:
            return self.default
        found = self._made.get(language)
        if found is None:
            found = self._made[language] = Analyzer(self.settings, language)
        return found


def fold_accents(text: str) -> str:
    """Drop combining marks after canonical decomposition: Juárez → Juarez, ﬁ stays NFKC's job."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped)
