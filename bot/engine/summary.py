"""Extractive summaries: a document's own sentences, chosen to be central and to cover its sections.

Why extractive: the team quotes sources, so a summary is made of the document's sentences, verbatim
(each is a substring of one passage's cleaned text), in document order, each citing its passage.

How sentences are chosen — budgeted submodular maximization after Lin & Bilmes (2011), "A Class of
Submodular Functions for Document Summarization", with the document's sections as the partition:

    F(S) = Σ_i min(Σ_{j∈S} w_ij, α·Σ_{j∈V} w_ij)  +  λ·Σ_sections √(Σ_{j∈S∩section} r_j)

- w_ij is the cosine similarity of sentences i and j as TF-IDF vectors, with the index's idf (so
  words every passage of the corpus shares weigh little);
- the first part (coverage) rewards sentences similar to much of the document, saturating at α
  of what the whole document could give each sentence — centrality, as in LexRank/TextRank, but
  without rewarding a second sentence that repeats the first;
- the second part (diversity) gives each section a concave (square-root) reward, so a second
  sentence from a section already quoted earns less than a first one from a section not yet
  quoted: the summary covers the document's structure, not only its opening;
- r_j, a sentence's own reward, is its mean similarity to the document plus its similarity to its
  section heading (authors title a section by what it says).

Sentences are added greedily by gain per character^`COST_EXPONENT` while they fit the budget
(`settings.summary.max_chars`, counted as the sentences joined by single spaces). Everything is
deterministic: ties go to the earlier sentence.

With a focus (a codebook theme, or words with the search syntax), only sentences that mention the
focus are candidates, coverage is measured over them, and r_j adds how much the sentence says
about the focus.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from bot.engine.analysis import Analyzer
from bot.engine.codebook import Codebook
from bot.engine.engine import Engine
from bot.engine.model import Document, Passage
from bot.engine.sentences import sentence_spans
from bot.engine.themes import PHRASE_WEIGHT, ThemeMatcher, focus_matcher

log = logging.getLogger(__name__)

OPENING = "(opening)"  # outline label of the passages before the first heading
WORDS_PER_MINUTE = 230
KEY_TERMS = 10
MIN_SENTENCE_CHARS = 40
MIN_SENTENCE_TERMS = 3
MAX_CANDIDATES = 2000  # sentences considered in one document (the similarity matrix is n × n)
COVERAGE_ALPHA = 0.1
DIVERSITY_WEIGHT = 4.0
HEADING_WEIGHT = 0.5
FOCUS_WEIGHT = 3.0
COST_EXPONENT = 1.0
LOCAL_IDF = "hard"
BULLET_PREFIX = "• "
# Sentences that need their context (list items, opening words pointing back) count this much.
CONTEXT_PENALTY = 0.5
BACK_REFERENCES = frozenset(
    "this these those such they them their it its together thus hence consequently".split()
)
SENTENCE_END_RE = re.compile(r"[.!?…][\"'”’)\]]*$")
# A gap between two words of a key phrase: spaces, hyphens, apostrophes and stop words only.
PHRASE_GAP_RE = re.compile(r"[\s\-‐'’]*(?:[^\W\d_]+[\s\-‐'’]+)*")
GRAM_WEIGHTS = {1: 0.5, 2: 1.0, 3: 1.2}  # key terms: phrases of 2–3 words beat single words
# Index terms too generic to tell what a document is about (the analyzer already drops stop words).
GENERIC_WORDS = frozenset(
    """
    also may might must can could would shall will new one two three several many much well
    within across among however moreover furthermore additionally overall ultimately thus hence
    therefore often ensur need includ use make take provid various key signific import crucial
    essenti vital critic effect approach aim seek role way area also addit further
    """.split()
)


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """One sentence of a summary: verbatim text and the passage it comes from."""

    text: str
    passage_id: str
    section: str | None
    ordinal: int  # the passage's ¶ number in its document
    start: int = 0  # where the sentence starts in the passage's text

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "passage_id": self.passage_id,
            "section": self.section,
            "ordinal": self.ordinal,
            "start": self.start,
        }


@dataclass(frozen=True, slots=True)
class Summary:
    """What a document says, in its own sentences, with its outline and distinctive terms."""

    doc_id: str
    title: str
    site: str | None
    sentences: tuple[SummarySentence, ...]
    outline: tuple[tuple[str, int], ...]  # (heading, passages); OPENING before the first heading
    key_terms: tuple[str, ...]
    words: int
    passages: int
    reading_minutes: float
    focus: str | None = None
    message: str | None = None  # set when there is nothing to quote (e.g. the focus is absent)

    @property
    def chars(self) -> int:
        """Length of the summary: its sentences joined by single spaces."""
        return len(" ".join(s.text for s in self.sentences))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "doc_id": self.doc_id,
            "title": self.title,
            "site": self.site,
            "focus": self.focus,
            "sentences": [s.text for s in self.sentences],
            "passage_ids": [s.passage_id for s in self.sentences],
            "sources": [s.to_json() for s in self.sentences],
            "outline": [{"heading": h, "passages": n} for h, n in self.outline],
            "key_terms": list(self.key_terms),
            "words": self.words,
            "passages": self.passages,
            "reading_minutes": self.reading_minutes,
            "chars": self.chars,
        }
        if self.message is not None:
            out["message"] = self.message
        return out


@dataclass(frozen=True, slots=True)
class _Sentence:
    passage: Passage
    start: int
    end: int
    section: int  # index of its section group in the document
    list_item: bool = False

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]


# -- the summary --------------------------------------------------------------------------------


def summarize(
    engine: Engine,
    document: Document,
    focus: str | None = None,
    max_chars: int | None = None,
    *,
    codebook: Codebook | None = None,
) -> Summary:
    """An extractive summary of `document` within `max_chars` (default: the settings' budget).

    A `focus` that names a theme of `codebook` means that theme's words; otherwise its own words.
    """
    budget = max_chars if max_chars is not None else engine.settings.summary.max_chars
    passages = [p for p in engine.corpus.passages_of(document.doc_id) if p.duplicate_of is None]
    sentences = candidate_sentences(passages, engine)
    focus = " ".join(focus.split()) if focus else None
    message = None
    relevance: np.ndarray | None = None
    if focus:
        matcher, theme = focus_matcher(engine.analyzer, focus, codebook)
        relevance = focus_relevance(sentences, matcher, engine)
        keep = np.flatnonzero(relevance > 0)
        sentences = [sentences[i] for i in keep]
        relevance = relevance[keep]
        if not sentences:
            what = f"the theme {theme.label} ({theme.name})" if theme else f"'{focus}'"
            message = f"No sentence of {document.title} is about {what}."
    chosen = select_sentences(sentences, engine, budget, relevance) if sentences else []
    if sentences and not chosen:
        message = f"No sentence of this document fits in {budget} characters."
    return Summary(
        doc_id=document.doc_id,
        title=document.title,
        site=document.site,
        sentences=tuple(
            SummarySentence(s.text, s.passage.id, s.passage.section, s.passage.ordinal, s.start)
            for s in chosen
        ),
        outline=outline(engine.corpus.passages_of(document.doc_id)),
        key_terms=key_terms(engine, document),
        words=document.words,
        passages=document.passage_count,
        reading_minutes=round(document.words / WORDS_PER_MINUTE, 1),
        focus=focus,
        message=message,
    )


def candidate_sentences(passages: Sequence[Passage], engine: Engine) -> list[_Sentence]:
    """Whole sentences that can stand in a summary, in document order, with their section group.

    Left out: fragments (under `MIN_SENTENCE_CHARS` or `MIN_SENTENCE_TERMS` index terms, or not
    ending like a sentence: list items without a full stop, lines introducing a list with ":"),
    and pieces of a quotation (unbalanced quotation marks). A list item loses its bullet mark.
    """
    out: list[_Sentence] = []
    groups: dict[str | None, int] = {}
    for p in passages:
        group = groups.setdefault(p.section, len(groups))
        for a, b in sentence_spans(p.text):
            item = p.text.startswith(BULLET_PREFIX, a)
            if item:
                a += len(BULLET_PREFIX)
            text = p.text[a:b]
            if len(text) < MIN_SENTENCE_CHARS or not SENTENCE_END_RE.search(text):
                continue
            if not _balanced_quotes(text):
                continue
            if len(engine.analyzer_of(p).terms(text)) < MIN_SENTENCE_TERMS:
                continue
            out.append(_Sentence(p, a, b, group, item))
    if len(out) > MAX_CANDIDATES:
        log.info("summary: %d sentences, keeping the first %d", len(out), MAX_CANDIDATES)
        out = out[:MAX_CANDIDATES]
    return out


def select_sentences(
    sentences: Sequence[_Sentence],
    engine: Engine,
    budget: int,
    relevance: np.ndarray | None = None,
) -> list[_Sentence]:
    """The greedy maximizer of F(S) (module docstring) within `budget`, in document order."""
    n = len(sentences)
    both = tfidf_vectors(
        [s.text for s in sentences] + [s.passage.section or "" for s in sentences],
        engine,
        local_idf(sentences, engine) if LOCAL_IDF else None,
    )
    vectors, headings = both[:n], both[n:]
    sim = (vectors @ vectors.T).toarray()
    heading_sim = np.asarray(vectors.multiply(headings).sum(axis=1)).ravel()
    reward = sim.mean(axis=1) + HEADING_WEIGHT * heading_sim * sim.mean()
    if relevance is not None and relevance.size:
        reward = reward + FOCUS_WEIGHT * sim.mean() * relevance / relevance.max()
    cap = COVERAGE_ALPHA * sim.sum(axis=1)
    groups = np.asarray([s.section for s in sentences])
    n_groups = int(groups.max()) + 1 if n else 0
    cost = np.asarray([len(s.text) for s in sentences], dtype=np.float64)
    standalone = np.asarray([1.0 if reads_alone(s) else CONTEXT_PENALTY for s in sentences])

    covered = np.zeros(n)
    group_reward = np.zeros(n_groups)
    chosen: list[int] = []
    used = 0
    available = np.ones(n, dtype=bool)
    while True:
        extra = cost + (1 if chosen else 0)
        available &= used + extra <= budget
        if not available.any():
            break
        idx = np.flatnonzero(available)
        # Coverage gain of each candidate j: Σ_i min(covered_i + w_ij, cap_i) − min(covered_i, …)
        base = np.minimum(covered, cap).sum()
        gain = np.minimum(covered[:, None] + sim[:, idx], cap[:, None]).sum(axis=0) - base
        g = groups[idx]
        gain += DIVERSITY_WEIGHT * (
            np.sqrt(group_reward[g] + reward[idx]) - np.sqrt(group_reward[g])
        )
        score = standalone[idx] * gain / cost[idx] ** COST_EXPONENT
        best = int(idx[int(np.argmax(score))])  # argmax takes the first (earliest) of ties
        if gain[int(np.argmax(score))] <= 0:
            break
        chosen.append(best)
        used += int(extra[best])
        covered += sim[:, best]
        group_reward[groups[best]] += reward[best]
        available[best] = False
    return [sentences[i] for i in sorted(chosen)]


def local_idf(sentences: Sequence[_Sentence], engine: Engine) -> dict[str, float]:
    """Each term's idf across the document's own passages: words every section uses weigh less."""
    by_passage: dict[int, set[str]] = {}
    for s in sentences:
        by_passage.setdefault(s.passage.row, set()).update(
            engine.analyzer_of(s.passage).terms(s.text)
        )
    df: Counter[str] = Counter()
    for terms in by_passage.values():
        df.update(terms)
    n = len(by_passage)
    if LOCAL_IDF == "hard":
        return {t: math.log((n + 1) / (d + 0.5)) for t, d in df.items()}
    return {t: 1.0 + math.log(n / d) for t, d in df.items()}


def tfidf_vectors(
    texts: Sequence[str], engine: Engine, local: Mapping[str, float] | None = None
) -> sp.csr_matrix:
    """Rows of L2-normalized (1 + log tf) × idf weights over the index vocabulary.

    `local` multiplies a term's weight (the document's own idf across its passages).
    """
    index = engine.index
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    extra: dict[str, int] = {}
    for r, text in enumerate(texts):
        for term, tf in sorted(Counter(engine.analyzer.terms(text)).items()):
            t = index.term_id(term)
            if t is None:  # a heading word no passage uses: its own column, the highest idf
                t = len(index.vocabulary) + extra.setdefault(term, len(extra))
                idf = float(index.idf.max()) if index.idf.size else 1.0
            else:
                idf = float(index.idf[t])
            rows.append(r)
            cols.append(t)
            vals.append((1.0 + math.log(tf)) * idf * (local.get(term, 1.0) if local else 1.0))
    shape = (len(texts), len(index.vocabulary) + len(extra))
    m = sp.csr_matrix((vals, (rows, cols)), shape=shape, dtype=np.float64)
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ m)


def focus_relevance(
    sentences: Sequence[_Sentence], matcher: ThemeMatcher, engine: Engine
) -> np.ndarray:
    """How much each sentence says about the focus: its terms once, its phrases twice."""
    out = np.zeros(len(sentences))
    for i, s in enumerate(sentences):
        found = matcher.count(engine.analyzer_of(s.passage).terms(s.text))
        out[i] = sum(
            (PHRASE_WEIGHT if isinstance(unit, tuple) else 1.0) * math.log1p(n)
            for unit, n in found.items()
        )
    return out


def reads_alone(sentence: _Sentence) -> bool:
    """Whether a sentence makes sense out of context: not a list item, not opening on a word that
    points back to an earlier sentence ("This approach…", "They…")."""
    if sentence.list_item:
        return False
    first = re.match(r"[^\W\d_]+", sentence.text)
    return not (first and first.group().casefold() in BACK_REFERENCES)


def _balanced_quotes(text: str) -> bool:
    """Whether every quotation opened in `text` closes in it (and none closes unopened)."""
    if text.count('"') % 2 or text.count("“") != text.count("”"):
        return False
    return "”" not in text or text.index("“") < text.index("”")


# -- outline and key terms ----------------------------------------------------------------------


def outline(passages: Sequence[Passage]) -> tuple[tuple[str, int], ...]:
    """Each heading of the document, in order of first appearance, with its passage count."""
    counts: dict[str, int] = {}
    for p in passages:
        heading = p.section or OPENING
        counts[heading] = counts.get(heading, 0) + 1
    return tuple(counts.items())


def key_terms(engine: Engine, document: Document, k: int = KEY_TERMS) -> tuple[str, ...]:
    """The words and phrases most distinctive of `document` against the rest of the corpus.

    Weight: pointwise KL divergence, p_doc · log(p_doc / p_rest), a TF-IDF-like weight of how much
    more often the document's passages use a term than the other passages do (Tomokiyo & Hurst,
    2003), scaled by `GRAM_WEIGHTS` so that phrases ("drug-related violence") beat the single words
    they are made of. Rates are per passage, read from the index's postings, so the cost depends on
    the document, not on the corpus (for a phrase, other passages count when they hold all its
    words). A candidate must occur in two passages of the document at least; one sharing a word
    with a better one is skipped ("police forces", then not "police"); each is shown as the
    document most often writes it, not as stems.
    """
    own: Counter[tuple[str, ...]] = Counter()  # passages of the document holding the gram
    surfaces: defaultdict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    passages = engine.corpus.passages_of(document.doc_id)
    for p in passages:
        grams = _grams(p.text, engine.analyzer_of(p))
        own.update({g for g, _ in grams})
        for gram, surface in grams:
            surfaces[gram][surface] += 1
    lo, hi = document.rows.start, document.rows.stop
    n_own = len(passages) or 1
    n_rest = engine.index.n_passages - len(passages)
    scored = []
    for gram, n in own.items():
        if n < 2 or GENERIC_WORDS.intersection(gram):
            continue
        rows = _rows_with_all(engine, gram)
        elsewhere = int(rows.size - np.count_nonzero((rows >= lo) & (rows < hi)))
        p_own = n / n_own
        p_rest = (elsewhere + 0.5) / (n_rest + 1)
        weight = GRAM_WEIGHTS[len(gram)] * p_own * math.log(p_own / p_rest)
        if weight > 0:
            scored.append((-weight, gram))
    scored.sort()
    chosen: list[str] = []
    words: set[str] = set()
    for _, gram in scored:
        shown = _display(surfaces[gram])
        if words.intersection(gram) or len(shown) < 3:
            continue
        chosen.append(shown)
        words.update(gram)
        if len(chosen) == k:
            break
    return tuple(chosen)


def _rows_with_all(engine: Engine, terms: tuple[str, ...]) -> np.ndarray:
    """Index rows of the passages holding every one of `terms`."""
    rows = engine.index.postings(terms[0])
    for term in terms[1:]:
        rows = np.intersect1d(rows, engine.index.postings(term), assume_unique=True)
    return rows


def _grams(text: str, analyzer: Analyzer) -> list[tuple[tuple[str, ...], str]]:
    """Terms and runs of two or three adjacent terms of `text`, with their surface text.

    Adjacent: only spaces, hyphens, apostrophes or stop words between them (no punctuation). The
    surface text takes in hyphenated neighbours: "drug-related", "counter-narcotics".
    """
    tokens = analyzer.tokens(text)
    joined = [
        i > 0 and PHRASE_GAP_RE.fullmatch(text[tokens[i - 1].end : tokens[i].start]) is not None
        for i in range(len(tokens))
    ]
    out = []
    for i, t in enumerate(tokens):
        for n in range(1, len(GRAM_WEIGHTS) + 1):
            j = i + n - 1
            if j >= len(tokens) or not all(joined[i + 1 : j + 1]):
                break
            a, b = _hyphen_extent(text, t.start, tokens[j].end)
            out.append((tuple(x.term for x in tokens[i : j + 1]), text[a:b]))
    return out


def _hyphen_extent(text: str, a: int, b: int) -> tuple[int, int]:
    """Widen [a, b) over words hyphenated to it: "related violence" → "drug-related violence"."""
    while a > 1 and text[a - 1] in "-‐" and text[a - 2].isalnum():
        a -= 1
        while a > 0 and text[a - 1].isalnum():
            a -= 1
    while b + 1 < len(text) and text[b] in "-‐" and text[b + 1].isalnum():
        b += 1
        while b < len(text) and text[b].isalnum():
            b += 1
    return a, b


def _display(surfaces: Counter[str]) -> str:
    """The most used spelling, in lower case unless the document always capitalizes it."""
    by_fold: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for s, n in surfaces.items():
        by_fold[" ".join(s.casefold().split())].update({s: n})
    fold, variants = min(by_fold.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    if any(v == v.casefold() for v in variants):
        return fold
    return min(variants.items(), key=lambda kv: (-kv[1], kv[0]))[0]
