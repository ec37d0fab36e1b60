"""A deterministic synthetic corpus and query set, for speed and memory benchmarks at any size.

Why synthetic: the seed corpus is a few hundred passages, and the questions we need answered (how
do build time, memory and query latency grow to a million passages?) need corpora we cannot ship.
Real text follows Zipf's law with an exponent near 1, so passages are drawn word by word from a
Zipfian distribution over a few hundred thousand made-up words: the posting lists then have the same
long-tailed shape (a few huge, most tiny) that decides an index's speed. The head ranks play the
part of very common words; queries avoid them, as stop-word removal would.

Queries are drawn from mid-frequency ranks, like the words people actually type ("human rights"):
neither the near-universal head terms nor hapaxes that nobody searches for.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

log = logging.getLogger(__name__)

DEFAULT_SEED = 20240601
VOCABULARY_SIZE = 300_000
ZIPF_EXPONENT = 1.1
MEAN_PASSAGE_TOKENS = 60
MIN_PASSAGE_TOKENS = 8
MAX_PASSAGE_TOKENS = 200
# Query terms are drawn log-uniformly between these ranks: at a million passages rank 10 is in
# ~40 % of passages and rank 30,000 in ~0.01 %, the range real queries span.
QUERY_RANKS = (10, 30_000)
QUERY_TERMS = (2, 5)
GENERATION_CHUNK = 50_000  # passages per numpy batch: bounds the generator's own peak memory

_ONSETS = (
    "b",
    "c",
    "d",
    "f",
    "g",
    "h",
    "j",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "z",
    "br",
    "ch",
    "dr",
    "gl",
    "kr",
    "pl",
    "qu",
    "sh",
    "st",
    "th",
    "tr",
)
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "io", "ou")


@dataclass(frozen=True, slots=True)
class SyntheticCorpus:
    """Token lists (one per passage) plus the vocabulary they were drawn from, by rank."""

    passages: list[list[str]]
    vocabulary: list[str]  # vocabulary[r] is the word of Zipf rank r + 1
    seed: int

    def texts(self) -> Iterator[str]:
        """The passages as space-joined text, for engines that tokenize themselves."""
        return (" ".join(p) for p in self.passages)


def made_up_word(rank: int) -> str:
    """A pronounceable, unique word for a rank; frequent ranks get short words, as in language."""
    syllables = []
    n = rank
    base = len(_ONSETS) * len(_VOWELS)
    while True:
        n, digit = divmod(n, base)
        onset, vowel = divmod(digit, len(_VOWELS))
        syllables.append(_ONSETS[onset] + _VOWELS[vowel])
        if n == 0:
            break
        n -= 1  # bijective numbering: every syllable sequence is used exactly once
    return "".join(syllables)


def zipf_cdf(vocabulary_size: int, exponent: float) -> np.ndarray:
    """Cumulative probabilities of ranks 1..V under a finite Zipf law."""
    weights = np.arange(1, vocabulary_size + 1, dtype=np.float64) ** -exponent
    cdf = np.cumsum(weights)
    return cdf / cdf[-1]


def generate_corpus(
    n_passages: int,
    seed: int = DEFAULT_SEED,
    vocabulary_size: int = VOCABULARY_SIZE,
    exponent: float = ZIPF_EXPONENT,
    mean_tokens: int = MEAN_PASSAGE_TOKENS,
) -> SyntheticCorpus:
    """`n_passages` token lists from a Zipfian vocabulary; the same seed gives the same corpus.

    Tokens are shared `str` objects (one per vocabulary word), as an analyzer with a per-word cache
    produces them, so the corpus's memory is the list pointers, not millions of string copies.
    """
    rng = np.random.default_rng(seed)
    vocabulary = [made_up_word(r) for r in range(vocabulary_size)]
    cdf = zipf_cdf(vocabulary_size, exponent)
    passages: list[list[str]] = []
    for start in range(0, n_passages, GENERATION_CHUNK):
        count = min(GENERATION_CHUNK, n_passages - start)
        lengths = np.clip(rng.poisson(mean_tokens, count), MIN_PASSAGE_TOKENS, MAX_PASSAGE_TOKENS)
        ranks = np.searchsorted(cdf, rng.random(int(lengths.sum())), side="right")
        ranks = np.minimum(ranks, vocabulary_size - 1)
        words = [vocabulary[r] for r in ranks.tolist()]
        offsets = np.concatenate(([0], np.cumsum(lengths))).tolist()
        passages.extend(words[a:b] for a, b in itertools.pairwise(offsets))
    return SyntheticCorpus(passages, vocabulary, seed)


def generate_queries(
    vocabulary: list[str],
    n_queries: int,
    seed: int = DEFAULT_SEED + 1,
    ranks: tuple[int, int] = QUERY_RANKS,
    terms: tuple[int, int] = QUERY_TERMS,
) -> list[list[str]]:
    """`n_queries` bags of 2–5 distinct mid-frequency terms, the same for every seed and size."""
    rng = np.random.default_rng(seed)
    low, high = ranks[0], min(ranks[1], len(vocabulary))
    queries = []
    for _ in range(n_queries):
        n_terms = int(rng.integers(terms[0], terms[1] + 1))
        chosen: list[str] = []
        while len(chosen) < n_terms:
            rank = int(np.exp(rng.uniform(np.log(low), np.log(high))))
            word = vocabulary[rank - 1]
            if word not in chosen:
                chosen.append(word)
        queries.append(chosen)
    return queries
