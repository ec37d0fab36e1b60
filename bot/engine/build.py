"""Building a corpus's index: analysis of every passage, BM25F impacts, duplicates, speller words.

Why apart from `Engine`: an index snapshot (`bot.engine.snapshot`) stores exactly what this
returns (`Built`), and an incremental reload rebuilds it from a snapshot's term ids plus the few
documents that changed; the engine takes a `Built` from either and cannot tell them apart.
"""

from __future__ import annotations

import itertools
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bot.engine.analysis import Analyzer, Analyzers
from bot.engine.corpus import Corpus
from bot.engine.index import PassageIndex
from bot.engine.spelling import speller_words
from bot.engine.terms import TermStream, analyse_documents, duplicate_rows
from bot.settings import Settings

log = logging.getLogger(__name__)

# (stage, done, total), called as loading goes: "files", "passages", "index", "snapshot".
Progress = Callable[[str, int, int], None]
# For each term of a title or heading, the row ranges whose fields hold it: (starts, stops).
FieldRuns = dict[str, tuple[np.ndarray, np.ndarray]]


@dataclass(slots=True)
class Built:
    """What an engine is made of besides the corpus: its index, term ids and speller words."""

    index: PassageIndex
    terms: TermStream | None  # None when served from a snapshot (its term ids stay on disk)
    speller_words: list[str]
    field_runs: FieldRuns


def analyzers_of(corpus: Corpus, analyzers: Analyzers) -> dict[str, Analyzer]:
    """Each document's analyzer: its language's."""
    return {d.doc_id: analyzers.of(d.language) for d in corpus.documents.values()}


def build(
    settings: Settings,
    corpus: Corpus,
    analyzers: Analyzers,
    progress: Progress | None = None,
) -> Built:
    """Analyse every passage of `corpus` in its document's language and index it; marks its
    duplicate passages."""
    table = corpus.passages
    of = analyzers_of(corpus, analyzers)
    documents = (([table.text(r) for r in d.rows], of[d.doc_id]) for d in corpus.documents.values())
    total = len(table)
    terms = analyse_documents(
        documents, progress=None if progress is None else lambda n: progress("passages", n, total)
    )
    return finish(settings, corpus, analyzers, terms, progress)


def finish(
    settings: Settings,
    corpus: Corpus,
    analyzers: Analyzers,
    terms: TermStream,
    progress: Progress | None = None,
) -> Built:
    """The index (with its title and section fields), duplicate marks and speller words of
    analysed passages. Field terms are numbered after the passages' own, as
    `PassageIndex.build` numbers them."""
    if progress is not None:
        progress("index", 0, 1)
    of = analyzers_of(corpus, analyzers)
    fields, runs = field_streams(settings, corpus, of, terms.vocabulary)
    index = PassageIndex.from_term_ids(
        terms.ids, terms.indptr, terms.vocabulary, settings.bm25, fields
    )
    corpus.passages.mark_duplicates(duplicate_rows(terms.ids, terms.indptr))
    if all(a is analyzers.default for a in of.values()):
        words = terms.surface.speller_words()
    else:  # words of several languages: the speller folds and checks them as English does
        live = terms.surface.count > 0
        distinct = sorted({w for w, keep in zip(terms.surface.words, live, strict=True) if keep})
        words = speller_words(distinct, analyzers.default.fold, analyzers.default.term)
    built = Built(index, terms, words, runs)
    if progress is not None:
        progress("index", 1, 1)
    return built


def field_streams(
    settings: Settings,
    corpus: Corpus,
    analyzer_of: dict[str, Analyzer],
    vocabulary: dict[str, int],
) -> tuple[list[tuple[float, np.ndarray, np.ndarray]], FieldRuns]:
    """Each weighted field (document title, section heading) as term ids per passage, and where
    each field term stands. A field text is analysed once per language; new terms are numbered
    in order of first use, title field first."""
    weights = settings.bm25.field_weights
    table = corpus.passages
    n = len(table)
    sections = np.asarray(table.arrays["section"])
    streams: list[tuple[float, np.ndarray, np.ndarray]] = []
    spans: defaultdict[str, list[tuple[int, int]]] = defaultdict(list)
    for weight, kind in ((weights.title, "title"), (weights.section, "section")):
        if weight <= 0:
            continue
        cache: dict[tuple[str, str], tuple[np.ndarray, set[str]]] = {}
        pieces: list[np.ndarray] = []
        lengths = np.zeros(n, dtype=np.int64)
        for d in corpus.documents.values():
            analyzer = analyzer_of[d.doc_id]
            lo, hi = d.rows.start, d.rows.stop
            segments: list[tuple[int, int, str | None]]
            if kind == "title":
                segments = [(lo, hi, d.title)]
            else:
                codes = sections[lo:hi]
                cuts = [0, *(np.flatnonzero(codes[1:] != codes[:-1]) + 1).tolist(), hi - lo]
                segments = [
                    (lo + a, lo + b, None if codes[a] < 0 else table.strings[int(codes[a])])
                    for a, b in itertools.pairwise(cuts)
                ]
            for start, stop, text in segments:
                if text is None:
                    continue
                key = (analyzer.language, text)
                cached = cache.get(key)
                if cached is None:
                    found = analyzer.terms(text)
                    ids = np.array(
                        [vocabulary.setdefault(t, len(vocabulary)) for t in found], np.int32
                    )
                    cached = cache[key] = (ids, set(found))
                ids, distinct = cached
                if ids.size == 0:
                    continue
                pieces.append(np.tile(ids, stop - start))
                lengths[start:stop] = ids.size
                for t in distinct:
                    spans[t].append((start, stop))
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        ids_all = np.concatenate(pieces) if pieces else np.empty(0, np.int32)
        streams.append((weight, ids_all, indptr))
    return streams, _merge_runs(spans)


def _merge_runs(spans: dict[str, list[tuple[int, int]]]) -> FieldRuns:
    """Sorted, merged row ranges per term (touching or overlapping ranges become one)."""
    out: FieldRuns = {}
    for term, found in spans.items():
        if not found:
            continue
        found.sort()
        merged = [found[0]]
        for a, b in found[1:]:
            if a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
            else:
                merged.append((a, b))
        starts, stops = zip(*merged, strict=True)
        out[term] = (np.array(starts, dtype=np.int64), np.array(stops, dtype=np.int64))
    return out
