"""Every passage's index terms, as one array of term ids: what the index is built from.

Why not a list of term strings per passage: at a million passages that is ~60 million Python
references and a dictionary lookup in Python for each. Here each document is tokenized passage by
passage in C (`words_of`), each distinct surface word is analysed once (`SurfaceTerms`, a dict
whose misses call the analyzer), and the token stream is mapped to ids by `map(dict.__getitem__)`,
which runs in C. Term ids are numbered by first occurrence, as `PassageIndex.build` numbers them, so
the index and its scores are the same as before.

The result (`TermStream`) also keeps what a snapshot and an incremental reload need: the surface
words with how many documents use each (the speller's vocabulary, exactly, after any change), and
each passage's term ids (to find exact duplicates and rebuild the index without re-reading files).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

from bot.engine.analysis import TOKEN_RE, Analyzer
from bot.engine.spelling import MIN_WORD_CHARS

log = logging.getLogger(__name__)

# Every ASCII character that cannot be part of a token (not a letter or digit) becomes a space, so
# `str.split` cuts an ASCII text exactly where TOKEN_RE would, in C and ~5 times faster.
_ASCII_BREAKS = str.maketrans(
    {c: " " for c in map(chr, range(128)) if not (c.isascii() and c.isalnum())}
)
SPELL_MIN = MIN_WORD_CHARS - 1  # the shortest word the speller proposes
HASH_CHUNK_TOKENS = 4_000_000  # tokens hashed at once when looking for duplicates
STOP = -1  # the id of a surface word that is no index term (a stop word, a too-long token)


def words_of(text: str) -> list[str]:
    """The raw words of `text`, as `TOKEN_RE.findall` finds them."""
    if text.isascii():
        return text.translate(_ASCII_BREAKS).split()
    return TOKEN_RE.findall(text)


class SurfaceIds(dict[str, int]):
    """Surface word → surface id, numbered by first occurrence; a miss only records the word.

    The words are analysed afterwards, all at once (`Analyzer.analyse_words`): a miss costs
    no analysis, so the stream maps to ids at C speed.
    """

    def __init__(self, words: list[str], owners: list[int], owner: int) -> None:
        super().__init__()
        self.words, self.owners, self.owner = words, owners, owner

    def __missing__(self, word: str) -> int:
        n = self[word] = len(self.words)
        self.words.append(word)
        self.owners.append(self.owner)
        return n


@dataclass(slots=True)
class Surface:
    """The distinct raw words of the corpus, by surface id: what the speller is made from."""

    words: list[str]
    folded: list[str]  # `Analyzer.fold` of each
    term: np.ndarray  # int32 term id of each, STOP for none
    count: np.ndarray  # int64 occurrences in the corpus: 0 once the documents using it are gone

    def speller_words(self) -> list[str]:
        """The folded forms a correction may propose (`bot.engine.spelling.speller_words`)."""
        live = np.flatnonzero((self.count > 0) & (self.term != STOP)).tolist()
        folded = self.folded
        return sorted(
            {f for f in map(folded.__getitem__, live) if len(f) >= SPELL_MIN and f.isalpha()}
        )


@dataclass(slots=True)
class TermStream:
    """Term ids of every passage in row order, and the vocabulary they index."""

    ids: np.ndarray  # int32: passage 0's term ids, then passage 1's, ...
    indptr: np.ndarray  # int64, n_passages + 1: passage i's ids are ids[indptr[i]:indptr[i + 1]]
    vocabulary: dict[str, int]  # term → id, numbered by first occurrence
    surface: Surface

    @property
    def lengths(self) -> np.ndarray:
        return np.diff(self.indptr)

    def terms(self) -> list[str]:
        """The vocabulary as a list: id → term."""
        out = [""] * len(self.vocabulary)
        for term, tid in self.vocabulary.items():
            out[tid] = term
        return out


def analyse_documents(
    documents: Iterable[tuple[Sequence[str], Analyzer]],
    progress: Callable[[int], None] | None = None,
) -> TermStream:
    """Term ids of every passage: `documents` yields each document's passage texts (in row order)
    and the analyzer its words go through. `progress` hears the passages done so far."""
    words: list[str] = []
    owners: list[int] = []
    analyzers: list[Analyzer] = []
    tables: dict[int, SurfaceIds] = {}
    chunks: list[np.ndarray] = []
    raw_lengths: list[int] = []
    done = 0
    for texts, analyzer in documents:
        table = tables.get(id(analyzer))
        if table is None:
            table = tables[id(analyzer)] = SurfaceIds(words, owners, len(analyzers))
            analyzers.append(analyzer)
        lists = list(map(words_of, texts))
        raw_lengths.extend(map(len, lists))
        flat = list(chain.from_iterable(lists))
        chunks.append(np.fromiter(map(table.__getitem__, flat), np.int32, len(flat)))
        done += len(texts)
        if progress is not None:
            progress(done)
    raw = np.concatenate(chunks) if chunks else np.empty(0, np.int32)
    del chunks
    # Analyse each distinct word once, then number terms in the order their first surface word
    # appeared: that is the order of first occurrence in the stream, as `PassageIndex.build` has.
    folded: list[str] = [""] * len(words)
    terms: list[str | None] = [None] * len(words)
    owner_of = np.asarray(owners, dtype=np.int32)
    for k, analyzer in enumerate(analyzers):
        mine = np.flatnonzero(owner_of == k).tolist()
        f, t = analyzer.analyse_words([words[i] for i in mine])
        for i, fi, ti in zip(mine, f, t, strict=True):
            folded[i], terms[i] = fi, ti
    vocabulary: dict[str, int] = {}
    setdefault = vocabulary.setdefault
    term_of_surface = np.fromiter(
        (STOP if t is None else setdefault(t, len(vocabulary)) for t in terms),
        np.int32,
        len(terms),
    )
    surface = Surface(words, folded, term_of_surface, np.bincount(raw, minlength=len(words)))
    ids, indptr = _drop_stops(term_of_surface[raw], raw_lengths)
    return TermStream(ids, indptr, vocabulary, surface)


def _drop_stops(term_ids: np.ndarray, raw_lengths: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """The stream without STOP ids, and each passage's new bounds."""
    raw_off = np.zeros(len(raw_lengths) + 1, dtype=np.int64)
    np.cumsum(np.asarray(raw_lengths, dtype=np.int64), out=raw_off[1:])
    keep = term_ids != STOP
    kept = np.zeros(term_ids.size + 1, dtype=np.int32 if term_ids.size < 2**31 else np.int64)
    np.cumsum(keep, out=kept[1:])
    return term_ids[keep], kept[raw_off].astype(np.int64)


def duplicate_rows(ids: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """For each passage, the first earlier passage with exactly the same terms (-1 for none).

    Passages are grouped by a 64-bit hash of their term sequence (vectorized), and each group is
    confirmed by comparing the sequences themselves, so a hash collision never marks a passage.
    Empty passages are never duplicates.
    """
    n = indptr.size - 1
    out = np.full(n, -1, dtype=np.int32)
    lengths = np.diff(indptr)
    if n == 0 or ids.size == 0:
        return out
    powers = np.cumprod(
        np.full(int(lengths.max()), 0x100000001B3, dtype=np.uint64), dtype=np.uint64
    )
    hashes = np.empty(n, dtype=np.uint64)
    # A few million tokens at a time: five uint64 temporaries of the whole stream would be
    # ~2.4 GB at a million passages.
    lo = 0
    while lo < n:
        hi = int(np.searchsorted(indptr, indptr[lo] + HASH_CHUNK_TOKENS, side="right")) - 1
        hi = min(max(hi, lo + 1), n)
        a, b = int(indptr[lo]), int(indptr[hi])
        sub = indptr[lo : hi + 1] - a
        chunk_lengths = lengths[lo:hi]
        with np.errstate(over="ignore"):
            mixed = _splitmix(ids[a:b].astype(np.uint64))
            pos = np.arange(b - a, dtype=np.int64) - np.repeat(sub[:-1], chunk_lengths)
            mixed *= powers[pos]
            del pos
            summed = np.zeros(b - a + 1, dtype=np.uint64)
            np.cumsum(mixed, out=summed[1:])
            del mixed
            hashes[lo:hi] = summed[sub[1:]] - summed[sub[:-1]]
        lo = hi
    with np.errstate(over="ignore"):
        hashes = _splitmix(hashes ^ lengths.astype(np.uint64))
    rows = np.flatnonzero(lengths > 0)
    order = rows[np.argsort(hashes[rows], kind="stable")]
    sorted_hashes = hashes[order]
    bounds = np.concatenate(
        ([0], np.flatnonzero(sorted_hashes[1:] != sorted_hashes[:-1]) + 1, [order.size])
    )
    sizes = np.diff(bounds)
    # Each run of equal hashes: compare every member with the distinct sequences seen before it.
    for g in np.flatnonzero(sizes > 1).tolist():
        start, stop = int(bounds[g]), int(bounds[g + 1])
        originals: list[int] = []
        for row in order[start:stop].tolist():  # ascending rows: argsort was stable
            seq = ids[indptr[row] : indptr[row + 1]]
            for first in originals:
                if np.array_equal(seq, ids[indptr[first] : indptr[first + 1]]):
                    out[row] = first
                    break
            else:
                originals.append(row)
    return out


def _splitmix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finalizer: spreads ids over 64 bits before they are summed."""
    with np.errstate(over="ignore"):
        x = x + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))
