"""The corpus: every document of a folder, read safely, cut into passages with their locators.

Why so defensive: admins drop files into the corpus folder by hand. A bad file (binary, empty,
unreadable, encrypted, scanned, damaged, huge, a zip bomb, a symlink loop) must never stop the
bot; it is skipped, or read as well as it can be, with a warning that names it and says why.

How a file becomes passages: `read_document` picks a reader by the file's bytes and returns its
text (.txt, .md) or blocks (PDF, HTML, DOCX, subtitles) with metadata; both become cleaned lines
(`Cleaner.clean` / `Cleaner.clean_blocks`), interview turns are marked, `read_layout` finds the
title, sections and passages, and each passage is located: lines in the file, or page, speaker
and time from the blocks it came from. The metadata sidecar then completes the document.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.engine.cleaning import Anchor, BlockText, Cleaner, Line
from bot.engine.errors import CorpusError
from bot.engine.language import detect_language, language_tag, sample_text
from bot.engine.model import Document, Passage
from bot.engine.passage_table import PassageTable, PassageTableBuilder
from bot.engine.passages import Chunk, Locator, make_passages, mark_turns, read_layout
from bot.engine.readers import Metadata, ReadError, Reading, ReadOptions, read_document
from bot.engine.readers.sidecar import SIDECAR_NAMES, Sidecar, merge, read_sidecar
from bot.settings import Settings

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Corpus:
    """Documents (in file-name order) and their passages (in index-row order)."""

    folder: Path
    documents: dict[str, Document]
    passages: PassageTable
    version: str
    warnings: list[str] = field(default_factory=list)

    def passages_of(self, doc_id: str) -> list[Passage]:
        rows = self.documents[doc_id].rows
        return self.passages[rows.start : rows.stop]


# A document kept from an index snapshot: its record, the snapshot's passages, its rows there and
# the warnings its reading gave.
Reused = tuple[Document, PassageTable, range, list[str]]


def load_corpus(
    settings: Settings,
    folder: Path | None = None,
    reuse: Callable[[str, Path], Reused | None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Corpus:
    """Read every document of the corpus folder; raise `CorpusError` when none is usable.

    `reuse(rel, path)` may hand back a document unchanged since a snapshot: its passages are
    copied from the snapshot instead of read again (an incremental reload). `progress` hears
    (files done, files in all).
    """
    folder = Path(folder) if folder is not None else settings.corpus_dir
    if not folder.is_dir():
        raise CorpusError(f"no documents found in {folder}: it is not a folder")
    cleaner = Cleaner(settings.cleaning)
    options = ReadOptions(max_unpacked_bytes=int(settings.corpus.max_unpacked_mb * 1024 * 1024))
    sidecar = read_sidecar(folder)
    warnings: list[str] = list(sidecar.warnings)
    documents: dict[str, Document] = {}
    passages = PassageTableBuilder()
    digest = hashlib.sha256()
    paths = list_documents(folder, settings.corpus.extensions, warnings)
    for done, path in enumerate(paths):
        if progress is not None:
            progress(done, len(paths))
        rel = path.relative_to(folder).as_posix()
        doc_id = path.stem
        if doc_id in documents:
            warnings.append(f"{rel}: skipped, another file already has the id '{doc_id}'")
            continue
        kept = reuse(rel, path) if reuse is not None else None
        if kept is not None:
            old, table, rows, old_warnings = kept
            warnings.extend(old_warnings)
            documents[doc_id] = replace(old, first_row=len(passages))
            passages.add_rows(table, rows.start, rows.stop)
            digest.update(f"{rel}\x00{old.sha256}\n".encode())
            continue
        raw = read_bytes(path, settings.corpus.max_file_mb, rel, warnings)
        if raw is None:
            continue
        reading = read_file(raw, path.name, rel, options, warnings)
        if reading is None:
            continue
        built = build_document(reading, doc_id, rel, raw, cleaner, settings, len(passages), sidecar)
        if built is None:
            warnings.append(f"{rel}: skipped, no text left after cleaning")
            continue
        document, doc_passages = built
        documents[doc_id] = document
        passages.add(doc_passages)
        digest.update(f"{rel}\x00{document.sha256}\n".encode())
    for doc_id in sidecar.entries.keys() - documents.keys():
        warnings.append(
            f"{sidecar.name}: {doc_id}: no document has this id; its metadata is unused"
        )
    if progress is not None:
        progress(len(paths), len(paths))
    if sidecar.raw:
        digest.update(b"sidecar\x00" + hashlib.sha256(sidecar.raw).digest())
    for w in warnings:
        log.warning("%s", w)
    if not documents:
        exts = ", ".join(settings.corpus.extensions)
        raise CorpusError(f"no documents found in {folder} (looked for {exts} files)")
    return Corpus(folder, documents, passages.finish(), digest.hexdigest()[:10], warnings)


def read_file(
    raw: bytes, name: str, rel: str, options: ReadOptions, warnings: list[str]
) -> Reading | None:
    """The file read by the reader its bytes call for, or None (with a warning saying why)."""
    try:
        reading = read_document(raw, name, options)
    except ReadError as exc:
        warnings.append(f"{rel}: skipped, {exc}")
        return None
    except Exception as exc:  # a reader library's own bug must not stop the corpus loading
        log.debug("reading %s failed", rel, exc_info=True)
        warnings.append(f"{rel}: skipped, it could not be read ({type(exc).__name__}: {exc})")
        return None
    warnings.extend(f"{rel}: {w}" for w in reading.warnings)
    return reading


def build_document(
    reading: Reading,
    doc_id: str,
    rel: str,
    raw: bytes,
    cleaner: Cleaner,
    settings: Settings,
    first_row: int,
    sidecar: Sidecar | None = None,
) -> tuple[Document, list[Passage]] | None:
    """A document and its passages from what its reader read; None when no text is left."""
    extracted = reading.metadata
    given = sidecar.entries.get(doc_id) if sidecar else None
    meta = merge(extracted, given)
    locate: Callable[[Chunk], Locator]
    if reading.text is not None:
        lines: list[Line | None] = cleaner.clean(reading.text)
        locate = _line_locator(reading.text)
    else:
        block_text = cleaner.clean_blocks(reading.blocks)
        lines = block_text.lines
        locate = _block_locator(block_text, reading.page_labels)
    layout = read_layout(
        mark_turns(lines),
        settings.passages,
        fallback=doc_id,
        guess_headings=reading.guess_headings,
        known_title=extracted.title,
    )
    if not layout.chunks:
        return None
    title = meta.title or layout.title
    doc_passages = make_passages(doc_id, title, layout.chunks, first_row, locate)
    document = Document(
        doc_id=doc_id,
        title=title,
        site=meta.site or layout.site,
        path=rel,
        sha256=hashlib.sha256(raw).hexdigest(),
        words=sum(p.words for p in doc_passages),
        passage_count=len(doc_passages),
        sections=layout.sections,
        first_row=first_row,
        authors=meta.authors,
        date=meta.date,
        url=meta.url,
        format=reading.format,
        pages=len(reading.page_labels) or None,
        language=document_language(given.language if given else None, extracted, doc_passages),
    )
    return document, doc_passages


def document_language(
    sidecar: str | None, extracted: Metadata, passages: list[Passage]
) -> str | None:
    """The sidecar's language, else the one its words are in, else the one the file declares.

    Detection beats the file's own declaration: a `lang="en"` or a Word language property
    mostly comes from a template, whatever the text is written in.
    """
    if sidecar:
        return language_tag(sidecar) or sidecar
    detected = detect_language(sample_text([p.text for p in passages]))
    return detected or language_tag(extracted.language)


def _line_locator(text: str) -> Callable[[Chunk], Locator]:
    """Lines of the file a chunk spans (1-based; lines as `str.splitlines` counts them)."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def locate(chunk: Chunk) -> Locator:
        first = bisect.bisect_right(starts, chunk.start)
        last = bisect.bisect_right(starts, max(chunk.start, chunk.end - 1))
        return Locator(line_start=first, line_end=last, speaker=chunk.speaker)

    return locate


def _block_locator(block_text: BlockText, labels: tuple[str, ...]) -> Callable[[Chunk], Locator]:
    """Page (and last page), speaker and start time of a chunk, from the blocks it spans."""
    anchors = block_text.anchors
    offsets = [a.offset for a in anchors]

    def at(offset: int) -> Anchor:
        i = bisect.bisect_right(offsets, offset) - 1
        return anchors[max(i, 0)] if anchors else Anchor(0)

    def label(page: int | None) -> str | None:
        if page is None:
            return None
        return labels[page] if page < len(labels) else str(page + 1)

    def locate(chunk: Chunk) -> Locator:
        first, last = at(chunk.start), at(max(chunk.start, chunk.end - 1))
        page, page_end = label(first.page), label(last.page)
        return Locator(
            page=page,
            page_end=page_end if page_end != page else None,
            speaker=chunk.speaker or first.speaker,
            timestamp=first.timestamp,
        )

    return locate


def list_documents(folder: Path, extensions: tuple[str, ...], warnings: list[str]) -> list[Path]:
    """Files with a corpus extension under `folder`, sorted, each real file once.

    Symlinks are followed, but a directory reached twice (a symlink loop) is walked once.
    """
    wanted = {e.lower() for e in extensions}
    seen_dirs: set[tuple[int, int]] = set()
    out: list[Path] = []

    def on_error(err: OSError) -> None:
        warnings.append(f"{err.filename}: skipped, cannot be read ({err.strerror})")

    for root, dirs, files in os.walk(folder, followlinks=True, onerror=on_error):
        try:
            st = os.stat(root)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in seen_dirs:
            dirs[:] = []
            warnings.append(f"{Path(root).relative_to(folder)}: skipped, a symlink loop")
            continue
        seen_dirs.add((st.st_dev, st.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.startswith("."):
                continue
            if name in SIDECAR_NAMES and Path(root) == folder:
                continue  # the metadata sidecar describes the documents; it is not one
            if Path(name).suffix.lower() not in wanted:
                rel = (Path(root) / name).relative_to(folder).as_posix()
                warnings.append(f"{rel}: skipped, unsupported format")
                continue
            out.append(Path(root) / name)
    return sorted(out, key=lambda p: p.relative_to(folder).as_posix())


def read_bytes(path: Path, max_mb: float, rel: str, warnings: list[str]) -> bytes | None:
    """The file's bytes, or None (with a warning) when it is unreadable, huge or empty.

    The size is checked before reading: a 200 MB file is never read into memory.
    """
    try:
        size = path.stat().st_size
        if size > max_mb * 1024 * 1024:
            warnings.append(f"{rel}: skipped, {size / 1e6:.0f} MB is over the {max_mb:g} MB limit")
            return None
        raw = path.read_bytes()
    except OSError as exc:
        warnings.append(f"{rel}: skipped, cannot be read ({exc.strerror or exc})")
        return None
    if not raw or raw.isspace():
        warnings.append(f"{rel}: skipped, the file is empty")
        return None
    return raw
