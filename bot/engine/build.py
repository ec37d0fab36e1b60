"""Building a corpus's index: analysis of every passage, BM25 impacts, duplicates, speller words.

Why apart from `Engine`: an index snapshot (`bot.engine.snapshot`) stores exactly what this
returns (`Built`), and an incremental reload rebuilds it from a snapshot's term ids plus the few
documents that changed; the engine takes a `Built` from either and cannot tell them apart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.engine.analysis import Analyzer
from bot.engine.corpus import Corpus
from bot.engine.index import PassageIndex
from bot.engine.terms import TermStream, analyse_documents, duplicate_rows
from bot.settings import Settings

log = logging.getLogger(__name__)

# (stage, done, total), called as loading goes: "files", "passages", "index", "snapshot".
Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class Built:
    """What an engine is made of besides the corpus: its index, term ids and speller words."""

    index: PassageIndex
    terms: TermStream | None  # None when served from a snapshot (its term ids stay on disk)
    speller_words: list[str]


def build(
    settings: Settings,
    corpus: Corpus,
    analyzer: Analyzer,
    progress: Progress | None = None,
) -> Built:
    """Analyse every passage of `corpus` and index it; marks its duplicate passages."""
    table = corpus.passages
    documents = (([table.text(r) for r in d.rows], analyzer) for d in corpus.documents.values())
    total = len(table)
    terms = analyse_documents(
        documents, progress=None if progress is None else lambda n: progress("passages", n, total)
    )
    return finish(settings, corpus, analyzer, terms, progress)


def finish(
    settings: Settings,
    corpus: Corpus,
    analyzer: Analyzer,
    terms: TermStream,
    progress: Progress | None = None,
) -> Built:
    """The index, duplicate marks and speller words of analysed passages."""
    if progress is not None:
        progress("index", 0, 1)
    index = PassageIndex.from_term_ids(terms.ids, terms.indptr, terms.vocabulary, settings.bm25)
    corpus.passages.mark_duplicates(duplicate_rows(terms.ids, terms.indptr))
    built = Built(index, terms, terms.surface.speller_words())
    if progress is not None:
        progress("index", 1, 1)
    return built
