"""The corpus: every text document of a folder, read safely, cut into passages.

Why so defensive: admins drop files into the corpus folder by hand. A bad file (binary, empty,
unreadable, not UTF-8, huge, a symlink loop) must never stop the bot; it is skipped or read with
replacement characters, with a warning that names it.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from bot.engine.cleaning import Cleaner
from bot.engine.errors import CorpusError
from bot.engine.model import Document, Passage
from bot.engine.passages import make_passages, read_layout
from bot.settings import Settings

log = logging.getLogger(__name__)

BINARY_SNIFF_BYTES = 8192


@dataclass(slots=True)
class Corpus:
    """Documents (in file-name order) and their passages (in index-row order)."""

    folder: Path
    documents: dict[str, Document]
    passages: list[Passage]
    version: str
    warnings: list[str] = field(default_factory=list)

    def passages_of(self, doc_id: str) -> list[Passage]:
        rows = self.documents[doc_id].rows
        return self.passages[rows.start : rows.stop]


def load_corpus(settings: Settings, folder: Path | None = None) -> Corpus:
    """Read every document of the corpus folder; raise `CorpusError` when none is usable."""
    folder = Path(folder) if folder is not None else settings.corpus_dir
    if not folder.is_dir():
        raise CorpusError(f"no documents found in {folder}: it is not a folder")
    cleaner = Cleaner(settings.cleaning)
    warnings: list[str] = []
    documents: dict[str, Document] = {}
    passages: list[Passage] = []
    digest = hashlib.sha256()
    for path in list_documents(folder, settings.corpus.extensions, warnings):
        rel = path.relative_to(folder).as_posix()
        raw = read_bytes(path, settings.corpus.max_file_mb, rel, warnings)
        if raw is None:
            continue
        text = decode(raw, rel, warnings)
        doc_id = path.stem
        if doc_id in documents:
            warnings.append(f"{rel}: skipped, another file already has the id '{doc_id}'")
            continue
        layout = read_layout(cleaner.clean(text), settings.passages, fallback=doc_id)
        if not layout.chunks:
            warnings.append(f"{rel}: skipped, no text left after cleaning")
            continue
        sha = hashlib.sha256(raw).hexdigest()
        doc_passages = make_passages(doc_id, layout.title, layout.chunks, len(passages))
        documents[doc_id] = Document(
            doc_id=doc_id,
            title=layout.title,
            site=layout.site,
            path=rel,
            sha256=sha,
            words=sum(p.words for p in doc_passages),
            passage_count=len(doc_passages),
            sections=layout.sections,
            first_row=len(passages),
        )
        passages.extend(doc_passages)
        digest.update(f"{rel}\x00{sha}\n".encode())
    for w in warnings:
        log.warning("%s", w)
    if not documents:
        exts = ", ".join(settings.corpus.extensions)
        raise CorpusError(f"no documents found in {folder} (looked for {exts} files)")
    return Corpus(folder, documents, passages, digest.hexdigest()[:10], warnings)


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
            if Path(name).suffix.lower() not in wanted:
                rel = (Path(root) / name).relative_to(folder).as_posix()
                warnings.append(f"{rel}: skipped, unsupported format")
                continue
            out.append(Path(root) / name)
    return sorted(out, key=lambda p: p.relative_to(folder).as_posix())


def read_bytes(path: Path, max_mb: float, rel: str, warnings: list[str]) -> bytes | None:
    """The file's bytes, or None (with a warning) when it is unreadable, huge, empty or binary."""
    try:
        size = path.stat().st_size
        if size > max_mb * 1024 * 1024:
            warnings.append(f"{rel}: skipped, {size / 1e6:.0f} MB is over the {max_mb:g} MB limit")
            return None
        raw = path.read_bytes()
    except OSError as exc:
        warnings.append(f"{rel}: skipped, cannot be read ({exc.strerror or exc})")
        return None
    if not raw.strip():
        warnings.append(f"{rel}: skipped, the file is empty")
        return None
    if b"\x00" in raw[:BINARY_SNIFF_BYTES]:
        warnings.append(f"{rel}: skipped, it looks like a binary file")
        return None
    return raw


def decode(raw: bytes, rel: str, warnings: list[str]) -> str:
    """UTF-8 (a BOM is dropped); bytes that are not UTF-8 become U+FFFD, with a warning."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        warnings.append(
            f"{rel}: not valid UTF-8 (first bad byte at offset {exc.start}); "
            "read with replacement characters"
        )
        text = raw.decode("utf-8", errors="replace")
    return text.removeprefix("\ufeff")
