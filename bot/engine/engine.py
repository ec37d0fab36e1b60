"""The engine: a loaded corpus, its analyzer and BM25 index, and the questions they answer.

Why one object: the bot swaps the whole engine on `/reload` in one assignment, so every search sees
one consistent corpus, index and vocabulary — never a mix of old and new.
"""

from __future__ import annotations

import logging
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from bot.engine.analysis import TOKEN_RE, Analyzer
from bot.engine.build import Built, Progress, build
from bot.engine.cleaning import INVISIBLE_RE
from bot.engine.corpus import Corpus
from bot.engine.errors import AmbiguousDocument, UnknownDocument, UnknownPassage
from bot.engine.index import RANK_SLACK, Candidates, rank
from bot.engine.loading import load_index
from bot.engine.model import Document, Hit, Passage, PassageContext, SearchResult, Source
from bot.engine.query import ParsedQuery, Phrase, parse_query
from bot.engine.snippets import best_snippet, match_spans, merge_adjacent
from bot.engine.spelling import Speller
from bot.engine.wording import plural
from bot.settings import Settings

log = logging.getLogger(__name__)

ONLY_COMMON_WORDS = "That query has only common words or punctuation; add a more specific word."
# A passage named by its document and ¶ number: "000¶32", "003 ¶ 4" (id, id prefix or title).
PARAGRAPH_REF_RE = re.compile(r"(?P<doc>.+?)\s*¶\s*(?P<n>\d+)")
LINE_REF_RE = re.compile(r"(?P<doc>.+?):(?P<n>\d+)")
# A fuzzy title match must score this (rapidfuzz partial ratio) and beat the next by the margin.
FUZZY_TITLE_SCORE = 90
FUZZY_TITLE_MARGIN = 5
# Passages read to confirm that a word typed as one stands as two in the corpus (`joined_form`).
JOINED_FORM_CHECKS = 50
# Above this many candidates, phrases are verified lazily in score order.
PHRASE_VERIFY_ALL = 5000


class Engine:
    """Everything needed to answer queries about one corpus; read-only once built."""

    def __init__(self, settings: Settings, corpus: Corpus, built: Built | None = None) -> None:
        """Index `corpus`, or take its index, terms and speller as `built` (from a snapshot)."""
        t0 = time.perf_counter()
        self.settings = settings
        self.corpus = corpus
        self.analyzer = Analyzer(settings.analysis)
        if built is None:
            built = build(settings, corpus, self.analyzer)
        self.built = built
        self.index = built.index
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
        analyzer = Analyzer(settings.analysis)
        corpus, built = load_index(settings, folder, analyzer, settings.index_cache_dir, progress)
        return cls(settings, corpus, built)

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
        self, query: str, top: int | None = None, doc: str | Sequence[str] | None = None
    ) -> SearchResult:
        """Rank passages for a query; see `bot.engine.query` for the syntax.

        `top` is taken as given (each front end applies its own cap and says so); `doc` names
        one document or several (ids, prefixes or titles) to search only in.
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
        if not text:
            return SearchResult(
                query, (), 0, message="Type some words to search for.", doc_filter=doc_id
            )
        parsed = parse_query(text, self.analyzer)
        if parsed.is_empty:
            return SearchResult(
                query,
                (),
                0,
                doc_filter=doc_id,
                message=ONLY_COMMON_WORDS,
            )
        unknown = [w for w in dict.fromkeys(parsed.words) if self._unknown(w)]
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
            parsed = parse_query(corrected, self.analyzer)
        hits, total = self._ranked_hits(parsed, top, documents)
        missing = [w for w in unknown if w not in corrections]
        message = _search_message(text, corrected, bool(hits), missing, suggestions, documents)
        return SearchResult(
            query, tuple(hits), total, corrected, suggestions, message, doc_filter=doc_id
        )

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
            pair = Phrase(f"{left} {right}", (a, b))
            passages = self.corpus.passages
            for row in rows[:JOINED_FORM_CHECKS]:
                if _contains_phrases(self.analyzer.terms(passages[row].text), [pair]):
                    return f"{left}-{right}"
        return None

    def _unknown(self, word: str) -> bool:
        term = self.analyzer.term(word)
        return term is not None and term not in self.index.vocabulary

    def _doc_freq(self, word: str) -> int:
        term = self.analyzer.term(word)
        t = self.index.term_id(term) if term else None
        return int(self.index.doc_freq[t]) if t is not None else 0

    def _ranked_hits(
        self, parsed: ParsedQuery, top: int, documents: Sequence[Document]
    ) -> tuple[list[Hit], int]:
        weights: dict[str, float] = defaultdict(float)
        for t in parsed.terms:
            weights[t] += 1.0
        if not documents and not parsed.phrases and not parsed.excluded and not parsed.required:
            # Plain bag of words: the pruned top-k, and a count that scores nothing.
            ranked = self.index.top_k_weighted(weights, top + RANK_SLACK)
            return self.make_hits(ranked, weights, top), self.index.match_count(weights)
        cands = self.index.score(weights)
        cands = self._filter(cands, parsed, documents)
        if parsed.phrases:
            cands = self._verify_phrases(cands, parsed.phrases, top)
        ranked = rank(cands, top + RANK_SLACK)
        return self.make_hits(ranked, weights, top), len(cands)

    def _filter(
        self, cands: Candidates, parsed: ParsedQuery, documents: Sequence[Document]
    ) -> Candidates:
        keep = np.ones(len(cands), dtype=bool)
        if documents:
            inside = np.zeros(len(cands), dtype=bool)
            for d in documents:
                inside |= (cands.rows >= d.rows.start) & (cands.rows < d.rows.stop)
            keep &= inside
        for term in parsed.required:
            keep &= np.isin(cands.rows, self.index.postings(term), assume_unique=True)
        for term in parsed.excluded:
            keep &= ~np.isin(cands.rows, self.index.postings(term), assume_unique=True)
        for phrase in parsed.phrases:
            for term in phrase.terms:
                keep &= np.isin(cands.rows, self.index.postings(term), assume_unique=True)
        if keep.all():
            return cands
        return Candidates(cands.rows[keep], cands.scores[keep])

    def _verify_phrases(self, cands: Candidates, phrases: Sequence[Phrase], top: int) -> Candidates:
        """Keep candidates whose analyzed words contain every phrase consecutively."""
        order = np.lexsort((cands.rows, -cands.scores))
        if len(cands) > PHRASE_VERIFY_ALL:
            order = order[: max(PHRASE_VERIFY_ALL, (top + RANK_SLACK) * 20)]
        passages = self.corpus.passages
        keep = [
            i
            for i in order
            if _contains_phrases(self.analyzer.terms(passages[cands.rows[i]].text), phrases)
        ]
        keep.sort()
        idx = np.asarray(keep, dtype=np.int64)
        return Candidates(cands.rows[idx], cands.scores[idx])

    def make_hits(
        self, ranked: Iterable[tuple[int, float]], weights: dict[str, float], top: int
    ) -> list[Hit]:
        """Hits for ranked rows: snippet, highlights, contributions; repeated words shown once."""
        hits: list[Hit] = []
        shown: list[set[str]] = []
        threshold = self.settings.passages.near_duplicate
        s = self.settings.search
        passages = self.corpus.passages
        for row, score in ranked:
            p = passages[row]
            if p.duplicate_of is not None:
                continue
            words = set(self.analyzer.terms(p.text))
            if any(_overlap(words, other) >= threshold for other in shown):
                continue
            shown.append(words)
            spans = match_spans(p.text, self.analyzer, weights)
            snippet = best_snippet(
                p.text, spans, self._idf_weights(weights), s.snippet_sentences, s.snippet_chars
            )
            hits.append(
                Hit(
                    rank=len(hits) + 1,
                    score=score,
                    passage=p,
                    source=self.source(p),
                    snippet=snippet,
                    contributions=self.index.contributions(row, weights),
                    highlights=merge_adjacent(p.text, [(a, b) for a, b, _ in spans]),
                )
            )
            if len(hits) == top:
                break
        return hits

    def _idf_weights(self, weights: dict[str, float]) -> dict[str, float]:
        out = {}
        for term, w in weights.items():
            t = self.index.term_id(term)
            out[term] = w * (float(self.index.idf[t]) if t is not None else 0.0)
        return out


def _overlap(a: set[str], b: set[str]) -> float:
    """Share of the smaller passage's words found in the other (1.0 = contained)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


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
