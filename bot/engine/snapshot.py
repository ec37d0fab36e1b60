"""Index snapshots: a built corpus written to disk, memory-mapped at the next start.

Why: reading, cleaning and analysing a million passages takes minutes, and a restart or a
`/reload` that changed nothing (or one document) should not pay it again. After a build, the
passages (columns), the BM25 matrix, the vocabulary, the speller's words and each passage's term
ids are written to `index.cache_dir`, one slot per corpus folder. A start whose corpus and settings
are unchanged maps the arrays (`numpy.load(mmap_mode="r")`): pages are read when a query touches
them.

What makes a snapshot usable (`Fingerprint`):
- every corpus file's path, size, `mtime_ns` and inode, and the sidecar's. Not a content hash:
  hashing a million passages' files takes seconds, while a changed file that keeps its size, its
  modification time to the nanosecond and its inode was changed on purpose to look unchanged
  (`/add` replaces files with a rename, which gives a new inode). A file modified within
  `RACY_NS` of the build's stat could be written again in the same clock tick with the same size
  (git's "racy" entries): its content hash is kept and compared at the next start instead;
- every setting that changes passages, analysis or scores (`corpus` but the folder, `cleaning`,
  `passages`, `analysis`, `bm25`), the source of `bot/engine` (a new analyzer is a new index), the
  versions of the libraries that read, detect and stem (`TEXT_PACKAGES`) and `FORMAT_VERSION`.

Never served unless whole: each file's size and CRC-32 are in the manifest and checked before use
(a truncated, corrupt or half-deleted snapshot is logged and rebuilt). A snapshot is written into a
fresh folder and made current by atomically replacing the slot's symlink, so two processes
building at once each write their own folder and the last rename wins; neither reads the other's
half-written files.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import mmap
import os
import secrets
import shutil
import time
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from bot.engine.build import Built, FieldRuns
from bot.engine.corpus import Corpus, list_documents
from bot.engine.index import PassageIndex
from bot.engine.model import Document
from bot.engine.passage_table import PassageTable
from bot.engine.readers.sidecar import SIDECAR_NAMES
from bot.engine.terms import Surface, TermStream
from bot.settings import Settings

log = logging.getLogger(__name__)

FORMAT_VERSION = 4
MANIFEST = "manifest.json"
SEP = "\x00"  # between the words of a word list file
ENGINE_DIR = Path(__file__).resolve().parent
# A data folder no slot points at is removed after this long (a writer may still be filling it).
STALE_SECONDS = 600.0
# A file whose mtime is this close to the build's stat is checked by content next time: a write in
# the same timestamp tick (a few ms on ext4, 2 s on FAT) keeps size, mtime and inode.
RACY_NS = 2_000_000_000
# Checked before serving; the rest (term ids, surface words) only before an incremental reload.
LAZY_PREFIXES = ("terms.", "surface.")
# The libraries whose upgrade can change a document's passages, language or terms: the readers
# (pyproject's "Readers"), the language detector and the stemmer.
TEXT_PACKAGES = (
    "PyStemmer",
    "py3langid",
    "pypdfium2",
    "trafilatura",
    "python-docx",
    "webvtt-py",
    "charset-normalizer",
)


class SnapshotError(Exception):
    """A snapshot that must not be used: the message says why (logged, then rebuilt)."""


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What a snapshot was built from: the corpus files and the settings and code of the build."""

    files: dict[str, list[int]]  # rel path → [size, mtime_ns, inode], documents and sidecar
    listing: list[str]  # the listing's own warnings (unsupported files, unreadable folders)
    build: str  # hash of the settings, the engine's code and the format
    taken_ns: int = 0  # when the files were stat'd (not part of the digest)

    @property
    def digest(self) -> str:
        data = json.dumps([sorted(self.files.items()), self.listing, self.build])
        return hashlib.sha256(data.encode()).hexdigest()[:24]


def fingerprint(settings: Settings, folder: Path) -> Fingerprint:
    """Stat the corpus files (no file is read) and hash the build settings and code."""
    taken_ns = time.time_ns()
    warnings: list[str] = []
    files: dict[str, list[int]] = {}
    for path in list_documents(folder, settings.corpus.extensions, warnings):
        files[path.relative_to(folder).as_posix()] = _stat(path)
    for name in SIDECAR_NAMES:
        if (folder / name).is_file():
            files[name] = _stat(folder / name)
    return Fingerprint(files, warnings, build_key(settings), taken_ns)


def _stat(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def build_key(settings: Settings) -> str:
    """Hash of everything but the files that decides the snapshot's content."""
    corpus = {k: v for k, v in asdict(settings.corpus).items() if k != "folder"}
    parts = {
        "format": FORMAT_VERSION,
        "corpus": corpus,
        "cleaning": asdict(settings.cleaning),
        "passages": asdict(settings.passages),
        "analysis": asdict(settings.analysis),
        "bm25": asdict(settings.bm25),
        "packages": _package_versions(),
        "numpy": np.__version__.split(".")[0],
        "code": _code_hash(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:24]


@cache  # once per process: a library upgraded under it is not the one it imported
def _package_versions() -> dict[str, str]:
    out = {}
    for name in TEXT_PACKAGES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "absent"
    return out


def _code_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(ENGINE_DIR.rglob("*.py")):
        digest.update(path.relative_to(ENGINE_DIR).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def slot_name(folder: Path) -> str:
    """The cache slot of a corpus folder: one current snapshot per folder."""
    return "corpus-" + hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]


# -- writing ------------------------------------------------------------------------------------


def write(cache_dir: Path, corpus: Corpus, built: Built, fp: Fingerprint) -> Path:
    """Write a snapshot of `corpus` and `built` and make it the folder's current one."""
    if built.terms is None:
        raise ValueError("a snapshot needs the term ids of a fresh build")
    cache_dir.mkdir(parents=True, exist_ok=True)
    slot = slot_name(corpus.folder)
    data = cache_dir / f"{slot}.{int(time.time())}.{os.getpid()}.{secrets.token_hex(4)}"
    data.mkdir()
    try:
        files: dict[str, list[int]] = {}
        for name, array in _arrays(corpus, built).items():
            files[f"{name}.npy"] = _save(data / f"{name}.npy", array)
        for name, value in _lists(corpus, built).items():
            files[f"{name}.json"] = _save_json(data / f"{name}.json", value)
        for name, words in _words(built).items():
            files[f"{name}.txt"] = _save_bytes(data / f"{name}.txt", SEP.join(words).encode())
        manifest = {
            "format": FORMAT_VERSION,
            "folder": str(corpus.folder.resolve()),
            "fingerprint": fp.digest,
            "build": fp.build,
            "documents": {d.path: fp.files.get(d.path) for d in corpus.documents.values()},
            "sidecar": {n: fp.files[n] for n in SIDECAR_NAMES if n in fp.files},
            "shape": list(built.index.matrix.shape),
            "racy": _racy(corpus, fp),
            "files": files,
        }
        _save_json(data / MANIFEST, manifest)
        link = cache_dir / f"{data.name}.link"
        os.symlink(data.name, link)
        os.replace(link, cache_dir / slot)  # atomic: readers see the old snapshot or the new
    except BaseException:
        shutil.rmtree(data, ignore_errors=True)
        raise
    _remove_stale(cache_dir, slot)
    return data


def _racy(corpus: Corpus, fp: Fingerprint) -> dict[str, str | None]:
    """The files modified too close to the stat to trust their stat next time, with the content
    hash the snapshot holds (None for the sidecar: it is not kept, so it counts as changed)."""
    sha = {d.path: d.sha256 for d in corpus.documents.values()}
    return {
        rel: sha.get(rel)
        for rel, (_, mtime_ns, _) in fp.files.items()
        if mtime_ns >= fp.taken_ns - RACY_NS
    }


def _arrays(corpus: Corpus, built: Built) -> dict[str, np.ndarray]:
    index, terms = built.index, built.terms
    assert terms is not None
    m = index.matrix
    out = {f"passages.{k}": v for k, v in corpus.passages.arrays.items()}
    out.update(
        {
            "index.data": m.data,
            "index.indices": m.indices,
            "index.indptr": m.indptr,
            "index.idf": index.idf,
            "index.doc_freq": index.doc_freq,
            "index.zero_impact": index.zero_impact,
            "index.term_freq": index.term_freq,
            "terms.ids": terms.ids,
            "terms.indptr": terms.indptr,
            "surface.term": terms.surface.term,
            "surface.count": terms.surface.count,
        }
    )
    runs = list(built.field_runs.values())
    out["fields.bounds"] = np.cumsum([0, *(len(a) for a, _ in runs)], dtype=np.int64)
    out["fields.starts"] = np.concatenate([a for a, _ in runs]) if runs else np.empty(0, np.int64)
    out["fields.stops"] = np.concatenate([b for _, b in runs]) if runs else np.empty(0, np.int64)
    return out


def _lists(corpus: Corpus, built: Built) -> dict[str, Any]:
    return {
        "corpus": {
            "documents": [asdict(d) for d in corpus.documents.values()],
            "version": corpus.version,
            "warnings": corpus.warnings,
            **corpus.passages.to_lists(),
        },
    }


def _words(built: Built) -> dict[str, list[str]]:
    """The long word lists, written as one text each (words never hold a NUL)."""
    assert built.terms is not None
    vocab = [""] * len(built.index.vocabulary)
    for term, tid in built.index.vocabulary.items():
        vocab[tid] = term
    return {
        "index.vocabulary": vocab,
        "speller": built.speller_words,
        "surface.words": built.terms.surface.words,
        "surface.folded": built.terms.surface.folded,
        "fields.terms": list(built.field_runs),
    }


class _CrcFile:
    """A file that keeps the CRC-32 of what is written to it (no second read to checksum)."""

    def __init__(self, f: Any) -> None:
        self.f, self.crc, self.size = f, 0, 0

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        self.crc = zlib.crc32(view, self.crc)
        self.size += view.nbytes
        return int(self.f.write(view))


# No fsync: a snapshot cut short by a crash is caught by its checksums and rebuilt, and syncing
# a million passages' arrays would cost seconds on every build.
def _save(path: Path, array: np.ndarray) -> list[int]:
    with open(path, "wb") as raw:
        f = _CrcFile(raw)
        np.save(f, np.ascontiguousarray(array), allow_pickle=False)  # type: ignore[arg-type]
    return [f.size, f.crc]


def _save_json(path: Path, value: Any) -> list[int]:
    return _save_bytes(path, json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())


def _save_bytes(path: Path, raw: bytes) -> list[int]:
    path.write_bytes(raw)
    return [len(raw), zlib.crc32(raw)]


def _crc(path: Path) -> int:
    """CRC-32 of a file, read through a mapping that is closed after (not left in our RSS)."""
    with open(path, "rb") as f:
        if os.fstat(f.fileno()).st_size == 0:
            return zlib.crc32(b"")
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
            return zlib.crc32(m)


def _remove_stale(cache_dir: Path, slot: str) -> None:
    """Remove this slot's data folders that no symlink points at and no writer is filling."""
    try:
        current = os.readlink(cache_dir / slot)
    except OSError:
        return
    now = time.time()
    for path in cache_dir.glob(f"{slot}.*"):
        if path.name == current or path.is_symlink():
            continue
        try:
            if now - path.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            continue


# -- reading ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Snapshot:
    """An opened, checked snapshot: its manifest and its files, mapped on demand."""

    folder: Path
    manifest: dict[str, Any]

    @property
    def fingerprint(self) -> str:
        return str(self.manifest["fingerprint"])

    def racy_changed(self, folder: Path) -> set[str]:
        """The files whose stat cannot be trusted (see `RACY_NS`) and whose content is not the
        snapshot's: read again although their stat is unchanged."""
        changed = set()
        for rel, sha in self.manifest["racy"].items():
            try:
                same = (
                    sha is not None
                    and hashlib.sha256((folder / rel).read_bytes()).hexdigest() == sha
                )
            except OSError:
                same = False
            if not same:
                changed.add(rel)
        return changed

    def check(self, names: Iterator[str] | list[str]) -> None:
        """Raise `SnapshotError` unless every named file has its manifest size and CRC."""
        files = self.manifest["files"]
        names = list(names)
        for name in names:
            path = self.folder / name
            try:
                size = path.stat().st_size
            except OSError as exc:
                raise SnapshotError(f"{name} is missing ({exc.strerror})") from None
            if size != files[name][0]:
                raise SnapshotError(f"{name} is truncated ({size} of {files[name][0]} bytes)")
        # zlib releases the GIL: the files are checksummed on every core at once.
        with ThreadPoolExecutor(max(1, min(4, os.cpu_count() or 1))) as pool:
            crcs = list(pool.map(_crc, [self.folder / n for n in names]))
        for name, crc in zip(names, crcs, strict=True):
            if crc != files[name][1]:
                raise SnapshotError(f"{name} is corrupt (checksum mismatch)")

    def array(self, name: str) -> np.ndarray:
        return np.load(self.folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)

    def json(self, name: str) -> Any:
        return json.loads((self.folder / f"{name}.json").read_text(encoding="utf-8"))

    def words(self, name: str) -> list[str]:
        raw = (self.folder / f"{name}.txt").read_bytes().decode("utf-8")
        return raw.split(SEP) if raw else []

    def eager_files(self) -> list[str]:
        return [n for n in self.manifest["files"] if not n.startswith(LAZY_PREFIXES)]

    def lazy_files(self) -> list[str]:
        return [n for n in self.manifest["files"] if n.startswith(LAZY_PREFIXES)]

    def corpus_and_index(self, settings: Settings, folder: Path) -> tuple[Corpus, Built]:
        """The corpus and index it holds (files checked first); term ids are left on disk."""
        self.check(self.eager_files())
        meta = self.json("corpus")
        documents = {d.doc_id: d for d in map(_document, meta["documents"])}
        arrays = {
            n[len("passages.") : -len(".npy")]: self.array(n[: -len(".npy")])
            for n in self.manifest["files"]
            if n.startswith("passages.")
        }
        table = PassageTable(arrays, meta["doc_ids"], meta["titles"], meta["strings"])
        corpus = Corpus(folder, documents, table, meta["version"], meta["warnings"])
        built = Built(self.index(settings), None, self.words("speller"), self.field_runs())
        return corpus, built

    def field_runs(self) -> FieldRuns:
        terms = self.words("fields.terms")
        bounds = self.array("fields.bounds").tolist()
        starts, stops = self.array("fields.starts"), self.array("fields.stops")
        return {
            t: (np.array(starts[a:b]), np.array(stops[a:b]))
            for t, a, b in zip(terms, bounds[:-1], bounds[1:], strict=True)
        }

    def index(self, settings: Settings) -> PassageIndex:
        shape = tuple(self.manifest["shape"])
        matrix = sp.csc_matrix(
            (self.array("index.data"), self.array("index.indices"), self.array("index.indptr")),
            shape=shape,
            copy=False,
        )
        vocab = {t: i for i, t in enumerate(self.words("index.vocabulary"))}
        return PassageIndex(
            vocab,
            matrix,
            self.array("index.idf"),
            self.array("index.doc_freq"),
            self.array("index.zero_impact"),
            settings.bm25,
            self.array("index.term_freq"),
        )

    def terms(self, vocabulary: dict[str, int]) -> TermStream:
        """The term ids and surface words (checked first): what an incremental reload reuses."""
        self.check(self.lazy_files())
        surface = Surface(
            self.words("surface.words"),
            self.words("surface.folded"),
            np.array(self.array("surface.term")),
            np.array(self.array("surface.count")),
        )
        return TermStream(self.array("terms.ids"), self.array("terms.indptr"), vocabulary, surface)


def open_snapshot(cache_dir: Path, folder: Path, build: str) -> Snapshot:
    """The folder's current snapshot if it was made by this build; raises `SnapshotError`."""
    slot = cache_dir / slot_name(folder)
    if not slot.exists():
        raise FileNotFoundError(slot)
    data = slot.resolve()
    try:
        manifest = json.loads((data / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SnapshotError(f"its manifest cannot be read ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        raise SnapshotError("it has another format version")
    if manifest.get("folder") != str(folder.resolve()):
        raise SnapshotError(f"it belongs to another corpus folder ({manifest.get('folder')})")
    if manifest.get("build") != build:
        raise SnapshotError("it was built with other settings or another version of the engine")
    return Snapshot(data, manifest)


def _document(data: dict[str, Any]) -> Document:
    tuples = {f.name for f in fields(Document) if str(f.type).startswith("tuple")}
    values: dict[str, Any] = {k: tuple(v) if k in tuples else v for k, v in data.items()}
    return Document(**values)
