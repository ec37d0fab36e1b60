"""The engine: a loaded corpus, its analyzer and BM25 index, and the questions they answer.

Why one object: the bot swaps the whole engine on `/reload` in one assignment, so every search sees
one consistent corpus, index and vocabulary — never a mix of old and new.
"""

from __future__ import annotations

import itertools
import logging
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from bot.engine.analysis import TOKEN_RE, Analyzer, Analyzers
from bot.engine.build import Built, Progress, build
from bot.engine.cleaning import INVISIBLE_RE
from bot.engine.corpus import Corpus
from bot.engine.errors import AmbiguousDocument, UnknownDocument, UnknownPassage
from bot.engine.index import RANK_SLACK, Candidates, rank
from bot.engine.loading import load_index
from bot.engine.model import Document, Hit, Passage, PassageContext, SearchResult, Source
from bot.engine.query import ParsedQuery, Phrase, parse_query
from bot.engine.snippets import best_snippet, merge_adjacent, read_matches
from bot.engine.spelling import Speller
from bot.engine.wording import plural
from bot.settings import Settings

log = logging.getLogger(__name__)

ONLY_COMMON_WORDS = "That query has only common words or punctuation; add a more specific word."
# A passage named by its document and ¶ number: "000¶32", "003 ¶ 4" (id, id prefix or title).
PARAGRAPH_REF_RE = re.compile(r"(?P<doc>.+?)\s*¶\s*(?P<n>\d+)")
LINE_REF_RE = re.compile(r"(?P<doc>.+?):(?P<n>\d+)")
# `speaker:R1` or `speaker:"Dr. Ana López"` in a query: only that speaker's turns.
SPEAKER_RE = re.compile(r'(?<!\S)speaker:(?:["“”]([^"“”]*)["“”]?|(\S*))', re.IGNORECASE)
SPEAKERS_LISTED = 10  # speakers named when one typed is unknown
# A fuzzy title match must score this (rapidfuzz partial ratio) and beat the next by the margin.
FUZZY_TITLE_SCORE = 90
FUZZY_TITLE_MARGIN = 5
# Passages read to confirm that a word typed as one stands as two in the corpus (`joined_form`).
JOINED_FORM_CHECKS = 50
# Above this many candidates, phrases are verified lazily in score order.
PHRASE_VERIFY_ALL = 5000
# Hits compared set by set for near-duplicates; past this many, shared terms are counted at once.
PAIRWISE_SHOWN = 40


class Engine:
    """Everything needed to answer queries about one corpus; read-only once built."""

    def __init__(
        self,
        settings: Settings,
        corpus: Corpus,
        built: Built | None = None,
        analyzers: Analyzers | None = None,
    ) -> None:
        """Index `corpus`, or take its index, terms and speller as `built` (from a snapshot,
        analysed by `analyzers`)."""
        t0 = time.perf_counter()
        self.settings = settings
        self.corpus = corpus
        self.analyzers = analyzers or Analyzers(settings.analysis)
        self.analyzer = self.analyzers.default
        # The analyzers of the corpus's languages, the default first, and each row's among them.
        self.languages: list[Analyzer] = [self.analyzer]
        self._doc_analyzer: dict[str, Analyzer] = {}
        self._row_language = np.zeros(len(corpus.passages), dtype=np.int8)
        for d in corpus.documents.values():
            found = self._doc_analyzer[d.doc_id] = self.analyzers.of(d.language)
            if found not in self.languages:
                self.languages.append(found)
            if found is not self.analyzer:
                self._row_language[d.rows.start : d.rows.stop] = self.languages.index(found)
        # Interview turns by speaker (folded name → rows), and each speaker's name as written.
        self._speaker_rows: dict[str, list[int]] = defaultdict(list)
        self.speakers: dict[str, str] = {}
        table = corpus.passages
        codes = np.asarray(table.arrays["speaker"])
        for row in np.flatnonzero(codes >= 0).tolist():
            name = table.strings[int(codes[row])]
            folded = self.analyzer.normalize(" ".join(name.split()))
            self.speakers.setdefault(folded, name)
            self._speaker_rows[folded].append(row)
        if built is None:
            built = build(settings, corpus, self.analyzers)
        self.built = built
        self.index = built.index
        self._field_runs = built.field_runs
        self.speller = Speller.from_words(
            built.speller_words, self.analyzer.fold, self.analyzer.term, self._doc_freq
        )
        self.build_seconds = time.perf_counter() - t0

    @classmethod
    def load(
        cls,
        settings: Settings | None = None,
        folder: Path | None = None,
        progress: Progress | None = None,
    ) -> Engine:
        """Read the corpus folder and build the index (raises `CorpusError` if it is empty).

        With `index.cache` on, an unchanged corpus is mapped from its snapshot and a changed one
        re-reads only its changed files (`bot.engine.loading`). `progress` hears each stage.
        """
        settings = settings or Settings()
        folder = Path(folder) if folder is not None else settings.corpus_dir
        analyzers = Analyzers(settings.analysis)
        corpus, built = load_index(settings, folder, analyzers, settings.index_cache_dir, progress)
        return cls(settings, corpus, built, analyzers)

    def analyzer_of(self, passage: Passage) -> Analyzer:
        """The analyzer of the passage's document language: what its index terms came from."""
        return self._doc_analyzer[passage.doc_id]

    # -- documents and passages -------------------------------------------------------------

    @property
    def documents(self) -> list[Document]:
        return list(self.corpus.documents.values())

    def find_document(self, name: str) -> Document:
        """A document by id, unique id prefix, exact title, or unique fuzzy title match.

        Case and accents never matter. Several matches raise `AmbiguousDocument` listing them;
        none raises `UnknownDocument` with the closest documents.
        """
        docs = self.corpus.documents
        key = name.strip()
        if key in docs:
            return docs[key]
        folded = self.analyzer.normalize(key)
        norm = self.analyzer.normalize
        if folded:
            steps: list[Callable[[Document], bool]] = [
                lambda d: norm(d.doc_id) == folded,
                lambda d: norm(d.doc_id).startswith(folded),
                lambda d: norm(d.title) == folded,
                lambda d: folded in norm(d.title),
            ]
            for matches in steps:
                found = [d for d in docs.values() if matches(d)]
                if len(found) == 1:
                    return found[0]
                if found:
                    raise AmbiguousDocument(key, tuple((d.doc_id, d.title) for d in found))
            fuzzy = self._fuzzy_titles(folded)
            if len(fuzzy) == 1:
                return fuzzy[0]
            if fuzzy:
                raise AmbiguousDocument(key, tuple((d.doc_id, d.title) for d in fuzzy))
        raise UnknownDocument(key, tuple(d.doc_id for d in self.match_documents(key, limit=3)))

    def _fuzzy_titles(self, folded: str) -> list[Document]:
        """Titles that contain `folded` with a typo or two; the best alone if it clearly leads."""
        docs = self.documents
        scored = sorted(
            (
                (fuzz.partial_ratio(folded, self.analyzer.normalize(d.title)), i)
                for i, d in enumerate(docs)
            ),
            reverse=True,
        )
        close = [(score, i) for score, i in scored if score >= FUZZY_TITLE_SCORE]
        if len(close) > 1 and close[0][0] - close[1][0] >= FUZZY_TITLE_MARGIN:
            close = close[:1]
        return [docs[i] for _, i in sorted(close, key=lambda c: c[1])]

    def match_documents(self, text: str, limit: int = 25) -> list[Document]:
        """Documents whose id or title words match `text` fuzzily, best first (autocomplete)."""
        docs = self.documents
        if not text.strip():
            return docs[:limit]
        choices = {i: self.analyzer.normalize(f"{d.doc_id} {d.title}") for i, d in enumerate(docs)}
        found = process.extract(
            self.analyzer.normalize(text),
            choices,
            scorer=fuzz.WRatio,
            limit=limit,
            score_cutoff=50,
        )
        return [docs[i] for _, _, i in sorted(found, key=lambda f: (-f[1], f[2]))]

    def passage(self, passage_id: str) -> Passage:
        """A passage by id (any case), by document and ¶ (`000¶32`) or by document and source
        line (`000:44`, the passage whose lines hold line 44 of the file).

        Raises `UnknownPassage` (mistyped, or gone after a reload), or the document errors.
        """
        key = passage_id.strip()
        row = self._row_of_id.get(key)
        if row is None:
            row = self._row_of_id.get(key.lower())
        if row is not None:
            return self.corpus.passages[row]
        if line_ref := LINE_REF_RE.fullmatch(key):
            return self._passage_at_line(line_ref["doc"], int(line_ref["n"]), key)
        ref = PARAGRAPH_REF_RE.fullmatch(key)
        if ref is None:
            raise UnknownPassage(key)
        doc = self.find_document(ref["doc"])
        number = int(ref["n"])
        for p in self.corpus.passages_of(doc.doc_id):
            if p.ordinal == number:
                return p
        raise UnknownPassage(
            key,
            f"{doc.title} ({doc.doc_id}) has ¶1 to ¶{doc.passage_count}; there is no ¶{number}.",
        )

    @cached_property
    def _row_of_id(self) -> dict[str, int]:
        """Passage id → row; made at the first lookup by id, not at start (1M ids ≈ 100 MB)."""
        table = self.corpus.passages
        return {table.passage_id(r): r for r in range(len(table))}

    def _passage_at_line(self, name: str, line: int, key: str) -> Passage:
        doc = self.find_document(name)
        passages = self.corpus.passages_of(doc.doc_id)
        for p in passages:
            if p.line_start is not None and p.line_start <= line <= (p.line_end or p.line_start):
                return p
        lines = [p for p in passages if p.line_start is not None]
        if not lines:
            why = f"{doc.title} ({doc.doc_id}) is not a text file: cite it by ¶ or passage id."
        else:
            why = (
                f"No passage of {doc.title} ({doc.doc_id}) is on line {line} (its passages run "
                f"from line {lines[0].line_start} to {lines[-1].line_end}; blank lines, headings "
                "and the title are between passages)."
            )
        raise UnknownPassage(key, why)

    def source(self, passage: Passage) -> Source:
        """Where `passage` stands: document, section, ¶, and its page, line, time or speaker."""
        doc = self.corpus.documents[passage.doc_id]
        p = passage
        return Source(
            doc.doc_id,
            doc.title,
            doc.site,
            p.section,
            p.ordinal,
            p.id,
            doc.path,
            page=p.page,
            page_end=p.page_end,
            speaker=p.speaker,
            timestamp=p.timestamp,
            line_start=p.line_start,
            line_end=p.line_end,
        )

    def passage_in_context(self, passage_id: str, context: int = 1) -> PassageContext:
        """A passage with up to `context` neighbours on each side, from its own document."""
        p = self.passage(passage_id)
        rows = self.corpus.documents[p.doc_id].rows
        context = max(0, min(context, 10))
        lo = max(rows.start, p.row - context)
        hi = min(rows.stop, p.row + context + 1)
        passages = self.corpus.passages
        return PassageContext(
            p, self.source(p), tuple(passages[lo : p.row]), tuple(passages[p.row + 1 : hi])
        )

    # -- search -----------------------------------------------------------------------------

    def search(
        self,
        query: str,
        top: int | None = None,
        doc: str | Sequence[str] | None = None,
        speaker: str | None = None,
    ) -> SearchResult:
        """Rank passages for a query; see `bot.engine.query` for the syntax.

        `top` is taken as given (each front end applies its own cap and says so); `doc` names
        one document or several (ids, prefixes or titles) to search only in; `speaker` (or
        `speaker:NAME` in the query) keeps the turns of one interview speaker.
        """
        s = self.settings.search
        top = max(1, top or s.top)
        names = [doc] if isinstance(doc, str) else list(doc or ())
        documents = list(
            {d.doc_id: d for d in map(self.find_document, filter(None, names))}.values()
        )
        doc_id = documents[0].doc_id if len(documents) == 1 else None
        text = " ".join(INVISIBLE_RE.sub("", query).split())
        if len(text) > s.max_query_chars:
            text = text[: s.max_query_chars].rsplit(" ", 1)[0]
        said = [speaker] if speaker and speaker.strip() else []
        said += [m[1] if m[1] is not None else m[2] for m in SPEAKER_RE.finditer(text)]
        text = " ".join(SPEAKER_RE.sub(" ", text).split())
        speaker_rows: np.ndarray | None = None
        if said:
            speaker_rows, unknown_speaker = self._turns_of(said)
            if unknown_speaker is not None:
                return SearchResult(query, (), 0, message=unknown_speaker, doc_filter=doc_id)
        if not text:
            return SearchResult(
                query, (), 0, message="Type some words to search for.", doc_filter=doc_id
            )
        queries = self._parse(text)
        if all(q.is_empty for q in queries):
            return SearchResult(
                query,
                (),
                0,
                doc_filter=doc_id,
                message=ONLY_COMMON_WORDS,
            )
        typed = dict.fromkeys(w for q in queries for w in q.words)
        unknown = [w for w in typed if self._unknown(w)]
        suggestions = {w: self.speller.suggest(w) for w in unknown}
        suggestions = {w: sug for w, sug in suggestions.items() if sug}
        corrections = {
            w: fix
            for w in unknown
            if (fix := self.joined_form(w) or self.speller.correct(w, suggestions.get(w, ())))
        }
        corrected: str | None = None
        if corrections:
            corrected = _apply_corrections(text, corrections)
            queries = self._parse(corrected)
        hits, total = self._ranked_hits(queries, top, documents, speaker_rows)
        missing = [w for w in unknown if w not in corrections]
        message = _search_message(text, corrected, bool(hits), missing, suggestions, documents)
        return SearchResult(
            query, tuple(hits), total, corrected, suggestions, message, doc_filter=doc_id
        )

    def _turns_of(self, names: Sequence[str]) -> tuple[np.ndarray, str | None]:
        """The rows of the turns every named speaker holds (each name folded: equal, or a unique
        part of one speaker's name), or a sentence saying which name matches no one."""
        rows: np.ndarray | None = None
        for name in names:
            folded = self.analyzer.normalize(" ".join(name.split()))
            found = [folded] if folded in self._speaker_rows else []
            if not found and folded:
                found = [k for k in self._speaker_rows if folded in k]
            if len(found) != 1:
                return np.empty(0, np.int64), self._speaker_message(name, found)
            mine = np.asarray(self._speaker_rows[found[0]], dtype=np.int64)
            rows = mine if rows is None else np.intersect1d(rows, mine)
        return (rows if rows is not None else np.empty(0, np.int64)), None

    def _speaker_message(self, name: str, matches: Sequence[str]) -> str:
        shown = " ".join(name.split()) or "(nothing)"
        if matches:
            named = ", ".join(self.speakers[k] for k in matches[:SPEAKERS_LISTED])
            return f"Several speakers match '{shown}': {named}. Type one of them in full."
        if not self.speakers:
            return f"No passage has a speaker, so none is '{shown}': this corpus has no interviews."
        listed = list(self.speakers.values())
        more = len(listed) - SPEAKERS_LISTED
        named = ", ".join(listed[:SPEAKERS_LISTED]) + (f" and {more} more" if more > 0 else "")
        return f"No passage is spoken by '{shown}'. Speakers: {named}."

    def _parse(self, text: str) -> list[ParsedQuery]:
        """The query as each language of the corpus reads it (`self.languages` order)."""
        return [parse_query(text, analyzer) for analyzer in self.languages]

    def joined_form(self, word: str) -> str | None:
        """How the corpus writes a word typed as one: `crossborder` → `cross-border`.

        A word in the corpus in another form is not a typo to correct into some other word: it
        is searched as the corpus writes it, when its two halves (3 letters or more, each a
        corpus word) stand side by side in some passage.
        """
        if not word.isalpha() or len(word) < 6:
            return None
        term = self.analyzer.term
        for i in range(3, len(word) - 2):
            left, right = word[:i], word[i:]
            a, b = term(left), term(right)
            if a is None or b is None or a not in self.index.vocabulary:
                continue
            rows = np.intersect1d(self.index.postings(a), self.index.postings(b))
            # Passages holding a half only in a title or heading last: the checks are few.
            titled = self._under_fields(rows, a) | self._under_fields(rows, b)
            rows = np.concatenate([rows[~titled], rows[titled]])
            pair = Phrase(f"{left} {right}", (a, b))
            passages = self.corpus.passages
            for row in rows[:JOINED_FORM_CHECKS]:
                p = passages[row]
                if _contains_phrases(self.analyzer_of(p).terms(p.text), [pair]):
                    return f"{left}-{right}"
        return None

    def _unknown(self, word: str) -> bool:
        """A word that some language indexes and no language's passages hold."""
        terms = [t for a in self.languages if (t := a.term(word)) is not None]
        return bool(terms) and not any(t in self.index.vocabulary for t in terms)

    def _doc_freq(self, word: str) -> int:
        term = self.analyzer.term(word)
        t = self.index.term_id(term) if term else None
        return int(self.index.doc_freq[t]) if t is not None else 0

    def _ranked_hits(
        self,
        queries: Sequence[ParsedQuery],
        top: int,
        documents: Sequence[Document],
        speaker_rows: np.ndarray | None = None,
    ) -> tuple[list[Hit], int]:
        """The best passages; each scored by the query as read in its own document's language."""
        weights = [_term_weights(q) for q in queries]
        parsed = queries[0]
        filtered = bool(documents) or speaker_rows is not None
        if len(queries) == 1 and not (
            filtered or parsed.phrases or parsed.excluded or parsed.required
        ):
            # Plain bag of words: the pruned top-k, and a count that scores nothing.
            ranked = self.index.top_k_weighted(weights[0], top + RANK_SLACK)
            return self.make_hits(ranked, weights[0], top), self.index.match_count(weights[0])
        found = []
        for language, (parsed, w) in enumerate(zip(queries, weights, strict=True)):
            cands = self.index.score(w)
            if len(queries) > 1:
                mine = self._row_language[cands.rows] == language
                cands = Candidates(cands.rows[mine], cands.scores[mine])
            cands = self._filter(cands, parsed, documents, speaker_rows)
            if parsed.phrases:
                cands = self._verify_phrases(cands, parsed.phrases, top)
            found.append(cands)
        cands = found[0] if len(found) == 1 else _union(found)
        ranked = rank(cands, top + RANK_SLACK)

        def weights_of(p: Passage) -> dict[str, float]:
            return weights[self._row_language[p.row]]

        return self.make_hits(ranked, weights_of, top), len(cands)

    def _filter(
        self,
        cands: Candidates,
        parsed: ParsedQuery,
        documents: Sequence[Document],
        speaker_rows: np.ndarray | None = None,
    ) -> Candidates:
        keep = np.ones(len(cands), dtype=bool)
        if speaker_rows is not None:
            keep &= np.isin(cands.rows, speaker_rows, assume_unique=True)
        if documents:
            inside = np.zeros(len(cands), dtype=bool)
            for d in documents:
                inside |= (cands.rows >= d.rows.start) & (cands.rows < d.rows.stop)
            keep &= inside
        for term in parsed.required:
            keep &= self._in_text(cands.rows, term)
        for term in parsed.excluded:
            keep &= ~self._in_text(cands.rows, term)
        for phrase in parsed.phrases:
            for term in phrase.terms:
                keep &= np.isin(cands.rows, self.index.postings(term), assume_unique=True)
        if keep.all():
            return cands
        return Candidates(cands.rows[keep], cands.scores[keep])

    def _in_text(self, rows: np.ndarray, term: str) -> np.ndarray:
        """Which of `rows` hold `term` in their own text, not only in their title or section.

        `+word` and `-word` are about the words a reader sees in the quote; the postings also
        hold passages that have the word only in a field, so those (rows under a title or
        heading holding the word) are read to tell.
        """
        held = np.isin(rows, self.index.postings(term), assume_unique=True)
        if not held.any():
            return held
        passages = self.corpus.passages
        for i in np.flatnonzero(held & self._under_fields(rows, term)):
            p = passages[rows[i]]
            held[i] = term in self.analyzer_of(p).terms(p.text)
        return held

    def _under_fields(self, rows: np.ndarray, term: str) -> np.ndarray:
        """Which of `rows` have `term` in their document's title or their section heading."""
        runs = self._field_runs.get(term)
        if runs is None:
            return np.zeros(len(rows), dtype=bool)
        starts, stops = runs
        run = np.searchsorted(starts, rows, side="right") - 1
        return (run >= 0) & (rows < stops[np.maximum(run, 0)])

    def _verify_phrases(self, cands: Candidates, phrases: Sequence[Phrase], top: int) -> Candidates:
        """Keep candidates whose analyzed words contain every phrase consecutively."""
        order = np.lexsort((cands.rows, -cands.scores))
        if len(cands) > PHRASE_VERIFY_ALL:
            order = order[: max(PHRASE_VERIFY_ALL, (top + RANK_SLACK) * 20)]
        passages = self.corpus.passages
        keep = []
        for i in order:
            p = passages[cands.rows[i]]
            if _contains_phrases(self.analyzer_of(p).terms(p.text), phrases):
                keep.append(i)
        keep.sort()
        idx = np.asarray(keep, dtype=np.int64)
        return Candidates(cands.rows[idx], cands.scores[idx])

    def make_hits(
        self,
        ranked: Iterable[tuple[int, float]],
        weights: Mapping[str, float] | Callable[[Passage], Mapping[str, float]],
        top: int,
    ) -> list[Hit]:
        """Hits for ranked rows: snippet, highlights, contributions; repeated words shown once.

        `weights` are the query's terms, or a function giving them per passage when the corpus
        has several languages (a Spanish passage is highlighted with the Spanish terms).
        Each passage is read once (its terms for the near-duplicate check and the spans of the
        query's terms in one pass), and a passage is checked against the hits already shown
        through their shared terms, not pair by pair: `--top 1000` stays near-linear.
        """
        weights_of = weights if callable(weights) else lambda _p: weights
        hits: list[Hit] = []
        hit_weights: list[Mapping[str, float]] = []
        shown = ShownWords(self.settings.passages.near_duplicate)
        s = self.settings.search
        passages = self.corpus.passages
        snippet_weights: dict[int, dict[str, float]] = {}  # per weights object (language)
        for row, score in ranked:
            p = passages[row]
            if p.duplicate_of is not None:
                continue
            w = weights_of(p)
            words, spans = read_matches(p.text, self.analyzer_of(p), w)
            if shown.repeats(words):
                continue
            shown.add(words)
            if id(w) not in snippet_weights:
                snippet_weights[id(w)] = self._idf_weights(w)
            snippet = best_snippet(
                p.text, spans, snippet_weights[id(w)], s.snippet_sentences, s.snippet_chars
            )
            hits.append(
                Hit(
                    rank=len(hits) + 1,
                    score=score,
                    passage=p,
                    source=self.source(p),
                    snippet=snippet,
                    contributions={},
                    highlights=merge_adjacent(p.text, [(a, b) for a, b, _ in spans]),
                )
            )
            hit_weights.append(w)
            if len(hits) == top:
                break
        self._add_contributions(hits, hit_weights)
        return hits

    def _add_contributions(self, hits: list[Hit], hit_weights: list[Mapping[str, float]]) -> None:
        """Each hit's share of its score by term (why it matched): one search per term for all
        the hits scored by the same terms (what `PassageIndex.contributions` gives for one)."""
        groups: dict[int, list[int]] = {}
        for i, w in enumerate(hit_weights):
            groups.setdefault(id(w), []).append(i)
        for members in groups.values():
            rows = np.fromiter((hits[i].passage.row for i in members), np.int64, len(members))
            for term in dict.fromkeys(hit_weights[members[0]]):
                t = self.index.term_id(term)
                if t is None:
                    continue
                found, impacts = self.index.impacts(term)
                if not found.size:
                    continue
                at = np.searchsorted(found, rows)
                held = np.flatnonzero(found[np.minimum(at, found.size - 1)] == rows)
                zero = float(self.index.zero_impact[t])
                for j in held.tolist():
                    hits[members[j]].contributions[term] = float(impacts[at[j]]) + zero

    def _idf_weights(self, weights: Mapping[str, float]) -> dict[str, float]:
        out = {}
        for term, w in weights.items():
            t = self.index.term_id(term)
            out[term] = w * (float(self.index.idf[t]) if t is not None else 0.0)
        return out


def _term_weights(parsed: ParsedQuery) -> dict[str, float]:
    """Each scored term's weight: how often the query names it (rank_bm25's weighting)."""
    weights: dict[str, float] = defaultdict(float)
    for t in parsed.terms:
        weights[t] += 1.0
    return weights


def _union(parts: Sequence[Candidates]) -> Candidates:
    """Candidates of disjoint row sets (one per language) in one, rows ascending."""
    rows = np.concatenate([c.rows for c in parts])
    scores = np.concatenate([c.scores for c in parts])
    order = np.argsort(rows, kind="stable")
    return Candidates(rows[order], scores[order])


class ShownWords:
    """The term sets of the hits shown so far, to tell whether a passage repeats one of them.

    A passage repeats a shown one when the words both use are at least `threshold` of the
    larger one's (over the larger, not the smaller: a two-word passage shares all its words
    with many longer ones, yet neither repeats the other; a reposted paragraph with a few
    words changed shares almost all of both). Up to `PAIRWISE_SHOWN` hits the sets are
    compared one by one (cheapest for a page of hits); past it, shared words are counted for
    every shown set at once from the lists of the shown sets holding each word (one
    `bincount`), so `--top 1000` stays near-linear.
    """

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self.sets: list[set[str]] = []
        self.holders: dict[str, list[int]] = {}

    def repeats(self, words: set[str]) -> bool:
        if not words:
            return False
        threshold, n = self.threshold, len(words)
        if len(self.sets) <= PAIRWISE_SHOWN:
            return any(
                other and len(words & other) / max(n, len(other)) >= threshold
                for other in self.sets
            )
        held = [h for w in words if (h := self.holders.get(w)) is not None]
        if not held:
            return False
        shared = np.bincount(
            np.fromiter(itertools.chain.from_iterable(held), np.int64), minlength=len(self.sets)
        )
        larger = np.maximum(np.fromiter(map(len, self.sets), np.int64, len(self.sets)), n)
        return bool((shared / larger >= threshold).any())

    def add(self, words: set[str]) -> None:
        self.sets.append(words)
        if len(self.sets) > PAIRWISE_SHOWN:  # counted from now on: index every set once
            first = 0 if len(self.sets) == PAIRWISE_SHOWN + 1 else len(self.sets) - 1
            for i in range(first, len(self.sets)):
                for w in self.sets[i]:
                    self.holders.setdefault(w, []).append(i)


def _contains_phrases(terms: list[str], phrases: Sequence[Phrase]) -> bool:
    for phrase in phrases:
        n = len(phrase.terms)
        if not any(tuple(terms[i : i + n]) == phrase.terms for i in range(len(terms) - n + 1)):
            return False
    return True


def _search_message(
    text: str,
    corrected: str | None,
    found: bool,
    missing: Sequence[str],
    suggestions: dict[str, tuple[str, ...]],
    documents: Sequence[Document],
) -> str | None:
    """What to tell the reader: a correction made, nothing found, and every unknown word named."""
    parts: list[str] = []
    if corrected is not None:
        parts.append(f"Showing results for {corrected}" if found else "")
    if not found:
        where = " in " + " or ".join(d.title for d in documents) if documents else ""
        nor = f", nor '{corrected}'" if corrected is not None else ""
        parts.append(f"No passage{where} matches '{text}'{nor}.")
    if missing:
        words = plural(len(missing), "word", count=False)
        named = ", ".join(f"'{w}'" for w in missing)
        if parts and parts[-1].startswith("Showing"):
            parts[-1] += "."
        parts.append(f"No document uses the {words} {named}")
        if found:
            parts[-1] += "; showing passages for the other words"
        hints = [
            ", ".join(suggestions[w]) + (f" (for '{w}')" if len(missing) > 1 else "")
            for w in missing
            if w in suggestions
        ]
        parts[-1] += f". Did you mean {'; '.join(hints)}?" if hints else "."
    return " ".join(p for p in parts if p) or None


def _apply_corrections(text: str, corrections: dict[str, str]) -> str:
    """The query with each misspelt word replaced by its correction (quotes and signs kept)."""

    def fix(m: re.Match[str]) -> str:
        return corrections.get(m.group(), m.group())

    return TOKEN_RE.sub(fix, text)
