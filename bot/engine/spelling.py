"""Did-you-mean: the closest vocabulary words to a word the index does not know.

Why so strict: a wrong correction is worse than none ("cocaine" must not become "combine"), so a
correction must be one edit away for ordinary words and at most two for long ones, keep the first
letter, and among equals prefer the word more passages use. Comparison is on folded forms, so
accents and case never count as errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

MIN_WORD_CHARS = 4
LONG_WORD_CHARS = 8


class Speller:
    """Suggests vocabulary words for unknown words; built once per index."""

    def __init__(
        self,
        surface_words: Iterable[str],
        fold: Callable[[str], str],
        term_of: Callable[[str], str | None],
        doc_freq: Callable[[str], int],
    ) -> None:
        """`surface_words`: raw words of the corpus; `term_of`/`doc_freq` come from the index."""
        self.fold = fold
        self._term_of = term_of
        self._doc_freq = doc_freq
        forms: dict[str, str] = {}
        for word in surface_words:
            folded = fold(word)
            if len(folded) >= MIN_WORD_CHARS - 1 and folded.isalpha() and term_of(word):
                forms.setdefault(folded, word)
        self.words: list[str] = sorted(forms)

    def max_distance(self, word: str) -> int:
        n = len(word)
        if n < MIN_WORD_CHARS:
            return 0
        return 2 if n >= LONG_WORD_CHARS else 1

    def suggest(self, word: str, limit: int = 3) -> tuple[str, ...]:
        """Up to `limit` corrections, best first; empty when nothing is close enough."""
        folded = self.fold(word)
        cutoff = self.max_distance(folded)
        if cutoff == 0 or not self.words:
            return ()
        found = process.extract(
            folded, self.words, scorer=OSA.distance, score_cutoff=cutoff, limit=50
        )
        ranked = sorted(
            (
                (dist, -self._doc_freq(cand), cand)
                for cand, dist, _ in found
                if cand != folded and cand[0] == folded[0]
            ),
        )
        out: list[str] = []
        seen_terms: set[str | None] = set()
        for _, _, cand in ranked:
            term = self._term_of(cand)
            if term in seen_terms:
                continue  # "killings" and "killing" are the same search
            seen_terms.add(term)
            out.append(cand)
            if len(out) == limit:
                break
        return tuple(out)
