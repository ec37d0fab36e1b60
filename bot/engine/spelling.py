"""Did-you-mean and corrections: the closest vocabulary words to a word the index does not know.

Two levels, because a wrong correction is worse than none. A *suggestion* ("did you mean
corruption?") is offered for any unknown word close to a corpus word: one edit away for ordinary
words, two for long ones, same first letter, the word more passages use first. A *correction* —
searching the suggestion instead of what was typed — is made only when the suggestion is far more
likely than the word itself:

- the typed word is not capitalised (`Guardia Nacional`, `Merdia`: names are not English typos);
- it is one slip of the fingers away: a letter dropped, doubled or added, two letters
  swapped, or a key replaced by its neighbour on the keyboard (two slips are only suggested).
  `corrupcion` → `corruption` and `nacional` → `national` replace c by t, keys far apart:
  that is another language's spelling, not a typo, so it is only suggested. `extrajudical`
  → `extrajudicial` (a dropped i) is corrected.

Comparison is on folded forms, so accents and case never count as errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

MIN_WORD_CHARS = 4
LONG_WORD_CHARS = 8
KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
NOT_A_TYPO = 99  # cost of an edit a slip of the fingers does not make
MAX_SLIPS = 1  # a correction is one slip away from a corpus word
CLOSEST = 50  # vocabulary words within the distance considered, closest first


def _keyboard_neighbours() -> dict[str, frozenset[str]]:
    """Keys touching each key on a QWERTY keyboard (rows are staggered by half a key)."""
    where = {ch: (r, c) for r, row in enumerate(KEYBOARD_ROWS) for c, ch in enumerate(row)}
    out: dict[str, frozenset[str]] = {}
    for ch, (r, c) in where.items():
        near = {(r, c - 1), (r, c + 1), (r - 1, c), (r - 1, c + 1), (r + 1, c - 1), (r + 1, c)}
        out[ch] = frozenset(
            KEYBOARD_ROWS[rr][cc]
            for rr, cc in near
            if 0 <= rr < len(KEYBOARD_ROWS) and 0 <= cc < len(KEYBOARD_ROWS[rr])
        )
    return out


NEIGHBOURS = _keyboard_neighbours()


def typo_distance(typed: str, word: str) -> int:
    """Edits from `word` to `typed` when only slips of the fingers count (OSA distance).

    Insertions, deletions and adjacent transpositions cost 1; a substitution costs 1 between
    neighbouring keys and `NOT_A_TYPO` otherwise.
    """
    n, m = len(typed), len(word)
    d = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        d[i][0] = i
    for j in range(m + 1):
        d[0][j] = j
    for i in range(1, n + 1):
        a = typed[i - 1]
        for j in range(1, m + 1):
            b = word[j - 1]
            sub = 0 if a == b else 1 if b in NEIGHBOURS.get(a, ()) else NOT_A_TYPO
            best = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + sub)
            if i > 1 and j > 1 and a == word[j - 2] and typed[i - 2] == b:
                best = min(best, d[i - 2][j - 2] + 1)
            d[i][j] = best
    return d[n][m]


def speller_words(
    surface_words: Iterable[str],
    fold: Callable[[str], str],
    term_of: Callable[[str], str | None],
) -> list[str]:
    """The folded forms a correction may propose: alphabetic corpus words that are index terms."""
    forms: set[str] = set()
    for word in surface_words:
        folded = fold(word)
        if len(folded) >= MIN_WORD_CHARS - 1 and folded.isalpha() and term_of(word):
            forms.add(folded)
    return sorted(forms)


class Speller:
    """Suggests and corrects vocabulary words for unknown words; built once per index."""

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
        self.words: list[str] = speller_words(surface_words, fold, term_of)

    @classmethod
    def from_words(
        cls,
        words: list[str],
        fold: Callable[[str], str],
        term_of: Callable[[str], str | None],
        doc_freq: Callable[[str], int],
    ) -> Speller:
        """A speller over `speller_words`' result, computed before (an index snapshot keeps it)."""
        speller = cls((), fold, term_of, doc_freq)
        speller.words = words
        return speller

    @cached_property
    def _by_length(self) -> tuple[list[str], np.ndarray]:
        """The words sorted by length, then alphabetically, and their lengths: the words a
        distance cutoff can reach are one slice (an edit changes the length by at most one).
        Sorted on the first suggestion, so a start from a snapshot does not pay for it."""
        words = sorted(self.words, key=lambda w: (len(w), w))
        return words, np.fromiter(map(len, words), np.int64, count=len(words))

    def max_distance(self, word: str) -> int:
        n = len(word)
        if n < MIN_WORD_CHARS:
            return 0
        return 2 if n >= LONG_WORD_CHARS else 1

    def suggest(self, word: str, limit: int = 3) -> tuple[str, ...]:
        """Up to `limit` close vocabulary words, best first; empty when nothing is close enough."""
        folded = self.fold(word)
        cutoff = self.max_distance(folded)
        if cutoff == 0 or not self.words:
            return ()
        words, lengths = self._by_length
        lo, hi = np.searchsorted(lengths, [len(folded) - cutoff, len(folded) + cutoff + 1])
        within = process.extract(
            folded, words[lo:hi], scorer=OSA.distance, score_cutoff=cutoff, limit=None
        )
        # The 50 closest, ties alphabetical: what one search of the whole sorted vocabulary with
        # limit=50 keeps (rapidfuzz orders equal distances by position).
        found = sorted((dist, cand) for cand, dist, _ in within)[:CLOSEST]
        ranked = sorted(
            (dist, -self._doc_freq(cand), cand)
            for dist, cand in found
            if cand != folded and cand[0] == folded[0]
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

    def correct(self, word: str, suggestions: Iterable[str] | None = None) -> str | None:
        """The word to search instead of `word` as typed, or None (see the module's rules)."""
        if not word[:1].islower():
            return None  # capitalised, a digit, or empty: never corrected
        folded = self.fold(word)
        candidates = self.suggest(word) if suggestions is None else tuple(suggestions)
        return next((c for c in candidates if typo_distance(folded, c) <= MAX_SLIPS), None)
