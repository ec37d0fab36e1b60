"""Loading a corpus and its index: from the snapshot, incrementally from it, or from scratch.

Why three ways: a start with an unchanged corpus maps the snapshot (seconds at a million
passages); a `/reload` after one document changed re-reads and re-analyses that document only and
rebuilds the index from the snapshot's term ids for the rest; anything else — no snapshot, other
settings, a damaged snapshot — reads every file. The three give the same corpus, index and scores
(`tests/engine/test_snapshot.py` compares them); a snapshot that cannot be trusted is logged and
never used.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bot.engine.analysis import Analyzer, Analyzers
from bot.engine.build import Built, Progress, analyzers_of, build, finish
from bot.engine.corpus import Corpus, Reused, load_corpus
from bot.engine.model import Document
from bot.engine.readers.sidecar import SIDECAR_NAMES
from bot.engine.snapshot import (
    Snapshot,
    SnapshotError,
    fingerprint,
    open_snapshot,
    write,
)
from bot.engine.terms import STOP, Surface, SurfaceIds, TermStream, _drop_stops, words_of
from bot.engine.wording import describe_progress
from bot.settings import Settings

log = logging.getLogger(__name__)
corpus_log = logging.getLogger("bot.engine.corpus")  # where the corpus's warnings are logged

# What makes a snapshot unusable once opened: our own checks, or a file numpy or json refuses.
BROKEN = (SnapshotError, OSError, ValueError, KeyError, TypeError, EOFError)


def load_index(
    settings: Settings,
    folder: Path,
    analyzers: Analyzers,
    cache_dir: Path | None,
    progress: Progress | None = None,
) -> tuple[Corpus, Built]:
    """The corpus of `folder` and its index, through the snapshot in `cache_dir` when given."""
    if cache_dir is None:
        return _full(settings, folder, analyzers, progress)
    fp = fingerprint(settings, folder)
    snap: Snapshot | None = None
    racy: set[str] = set()
    try:
        snap = open_snapshot(cache_dir, folder, fp.build)
        racy = snap.racy_changed(folder)
    except FileNotFoundError:
        log.info("no index snapshot for %s in %s yet: building one", folder, cache_dir)
    except BROKEN as exc:
        log.warning("index snapshot for %s in %s not used: %s; rebuilding", folder, cache_dir, exc)
    if snap is not None and snap.fingerprint == fp.digest and not racy:
        try:
            corpus, built = snap.corpus_and_index(settings, folder)
        except BROKEN as exc:
            log.warning("index snapshot %s not used: %s; rebuilding", snap.folder, exc)
            snap = None
        else:
            log.info("corpus unchanged: index snapshot %s mapped", snap.folder)
            for w in corpus.warnings:
                corpus_log.warning("%s", w)
            return corpus, built
    if snap is not None:
        # A racy file whose content changed has a stat no snapshot holds: it is read again.
        files = {rel: [] if rel in racy else stat for rel, stat in fp.files.items()}
        corpus, built = _incremental(settings, folder, analyzers, snap, files, progress)
    else:
        corpus, built = _full(settings, folder, analyzers, progress)
    if progress is not None:
        progress("snapshot", 0, 1)
    try:
        written = write(cache_dir, corpus, built, fp)
    except OSError as exc:
        log.warning("index snapshot not written to %s: %s", cache_dir, exc)
    else:
        log.info("index snapshot written: %s", written)
    if progress is not None:
        progress("snapshot", 1, 1)
    return corpus, built


def _full(
    settings: Settings, folder: Path, analyzers: Analyzers, progress: Progress | None
) -> tuple[Corpus, Built]:
    corpus = load_corpus(settings, folder, progress=_stage(progress, "files"))
    return corpus, build(settings, corpus, analyzers, progress)


def _stage(progress: Progress | None, stage: str) -> Callable[[int, int], None] | None:
    if progress is None:
        return None
    return lambda done, total: progress(stage, done, total)


class ProgressLog:
    """Logs loading progress at INFO: at each new stage, then at most every `every` seconds.

    Why: a bot loading a million passages at start is silent for minutes otherwise.
    """

    def __init__(self, logger: logging.Logger | None = None, every: float = 5.0) -> None:
        self.log = logger or log
        self.every = every
        self._stage = ""
        self._last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == self._stage and now - self._last < self.every and done < total:
            return
        self._stage, self._last = stage, now
        self.log.info("loading the corpus: %s", describe_progress(stage, done, total))


def _incremental(
    settings: Settings,
    folder: Path,
    analyzers: Analyzers,
    snap: Snapshot,
    files: dict[str, list[int]],
    progress: Progress | None,
) -> tuple[Corpus, Built]:
    """Re-read only the files that changed since `snap`; the rest comes from it."""
    manifest = snap.manifest
    try:
        if manifest["sidecar"] != {n: files[n] for n in SIDECAR_NAMES if n in files}:
            raise SnapshotError("the metadata sidecar changed (it describes every document)")
        old, old_built = snap.corpus_and_index(settings, folder)
        old_terms = snap.terms(old_built.index.vocabulary)
    except BROKEN as exc:
        log.warning("index snapshot %s not reused: %s; reading every file", snap.folder, exc)
        return _full(settings, folder, analyzers, progress)
    by_path = {d.path: d for d in old.documents.values()}
    stats: dict[str, list[int]] = manifest["documents"]
    old_warnings: dict[str, list[str]] = {}
    for w in old.warnings:
        old_warnings.setdefault(w.split(": ", 1)[0], []).append(w)
    kept: dict[str, range] = {}

    def reuse(rel: str, path: Path) -> Reused | None:
        doc = by_path.get(rel)
        if doc is None or stats.get(rel) != files.get(rel):
            return None
        kept[doc.doc_id] = doc.rows
        return doc, old.passages, doc.rows, old_warnings.get(rel, [])

    corpus = load_corpus(settings, folder, reuse=reuse, progress=_stage(progress, "files"))
    default = analyzers.default
    languages = {*analyzers_of(old, analyzers).values(), *analyzers_of(corpus, analyzers).values()}
    if languages != {default}:
        # Documents in several languages: the snapshot's surface words belong to their
        # languages' analyzers; analysing every passage again is simpler and still exact.
        log.info("incremental reload: several languages, every passage analysed again")
        return corpus, build(settings, corpus, analyzers, progress)
    fresh = [d for d in corpus.documents.values() if d.doc_id not in kept]
    gone = [d for d in old.documents.values() if kept.get(d.doc_id) != d.rows]
    log.info(
        "incremental reload: %d documents kept from the snapshot, %d read again, %d dropped",
        len(kept),
        len(fresh),
        len(gone),
    )
    terms = _merge_terms(corpus, old, old_terms, kept, fresh, gone, default)
    if progress is not None:
        progress("passages", len(corpus.passages), len(corpus.passages))
    return corpus, finish(settings, corpus, analyzers, terms, progress)


def _merge_terms(
    corpus: Corpus,
    old: Corpus,
    old_terms: TermStream,
    kept: dict[str, range],
    fresh: list[Document],
    gone: list[Document],
    analyzer: Analyzer,
) -> TermStream:
    """The term stream a full build would give: kept documents' ids from the snapshot, the
    others analysed; surface counts updated; terms renumbered by first occurrence."""
    surface = old_terms.surface
    words = list(surface.words)
    owners = [0] * len(words)
    table = SurfaceIds(words, owners, 0)
    table.update(zip(words, range(len(words)), strict=True))
    n_old_words = len(words)
    counts = np.array(surface.count, dtype=np.int64)

    def raw_ids(texts: list[str]) -> tuple[np.ndarray, list[int]]:
        lists = [words_of(t) for t in texts]
        flat = [w for ws in lists for w in ws]
        return np.fromiter(map(table.__getitem__, flat), np.int32, len(flat)), list(map(len, lists))

    for d in gone:  # their old words no longer count
        ids, _ = raw_ids([old.passages.text(r) for r in d.rows])
        counts[: len(words)] -= np.bincount(ids, minlength=n_old_words)[:n_old_words]
    fresh_raw = {d.doc_id: raw_ids([corpus.passages.text(r) for r in d.rows]) for d in fresh}
    folded_new, terms_new = analyzer.analyse_words(words[n_old_words:])
    vocab_terms = old_terms.terms()
    vocabulary = dict(old_terms.vocabulary)
    new_ids = []
    for t in terms_new:
        if t is None:
            new_ids.append(STOP)
        else:
            tid = vocabulary.setdefault(t, len(vocabulary))
            if tid == len(vocab_terms):
                vocab_terms.append(t)
            new_ids.append(tid)
    surface_term = np.concatenate([np.asarray(surface.term), np.asarray(new_ids, np.int32)])
    counts = np.concatenate([counts, np.zeros(len(words) - n_old_words, np.int64)])
    pieces: list[np.ndarray] = []
    lengths: list[np.ndarray] = []
    for d in corpus.documents.values():
        rows = kept.get(d.doc_id)
        if rows is not None:
            lo, hi = int(old_terms.indptr[rows.start]), int(old_terms.indptr[rows.stop])
            pieces.append(np.asarray(old_terms.ids[lo:hi]))
            lengths.append(np.diff(np.asarray(old_terms.indptr[rows.start : rows.stop + 1])))
        else:
            raw, raw_lengths = fresh_raw[d.doc_id]
            counts += np.bincount(raw, minlength=len(words))
            ids, indptr = _drop_stops(surface_term[raw], raw_lengths)
            pieces.append(ids)
            lengths.append(np.diff(indptr))
    ids = np.concatenate(pieces) if pieces else np.empty(0, np.int32)
    indptr = np.zeros(len(corpus.passages) + 1, dtype=np.int64)
    if lengths:
        np.cumsum(np.concatenate(lengths), out=indptr[1:])
    # Renumber terms by first occurrence, dropping those no passage uses any more.
    first = np.full(len(vocab_terms), ids.size, dtype=np.int64)
    np.minimum.at(first, ids, np.arange(ids.size, dtype=np.int64))
    present = np.flatnonzero(first < ids.size)
    order = present[np.argsort(first[present], kind="stable")]
    remap = np.full(len(vocab_terms) + 1, STOP, dtype=np.int32)  # index -1 (STOP) stays STOP
    remap[order] = np.arange(order.size, dtype=np.int32)
    new_vocabulary = {vocab_terms[t]: i for i, t in enumerate(order.tolist())}
    live = np.flatnonzero(counts > 0)
    folded = list(surface.folded) + folded_new
    new_surface = Surface(
        [words[i] for i in live.tolist()],
        [folded[i] for i in live.tolist()],
        remap[surface_term[live]],
        counts[live],
    )
    return TermStream(remap[ids], indptr, new_vocabulary, new_surface)
