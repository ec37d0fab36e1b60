"""Adding a file to the corpus folder and taking one out, so that nothing is lost or half-done.

Why its own module, between the engine and the front ends: the engine only ever reads the corpus,
and neither Discord nor the shell should decide what a safe file name is. `/add` and
`corpus-bot add` both go through here, in the same order:

1. `check_upload` — the name and the declared size, before a byte is downloaded;
2. `prepare_file` — the bytes: their real type against the name, then the very reader and
   passage cutter the corpus uses (`read_document`, `build_document`). A file that cannot be read
   is refused here, while the corpus is untouched;
3. `add_file` — written into the corpus folder atomically (a hidden temporary file in the same
   folder, then a link or rename into place), a replaced file moved to `.removed/`;

and `remove_document` moves a document's file to `<corpus>/.removed/` (the loader skips hidden
folders). Nothing is ever deleted: each `Change` can be undone, which the bot does when the swap
that follows fails, so the folder and the index being served stay in step. Every refusal is a
`FileRefused` whose message names the file and the reason; the log keeps the detail.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from bot.engine.cleaning import Cleaner
from bot.engine.corpus import build_document, list_documents
from bot.engine.model import Document
from bot.engine.readers import ReadError, ReadOptions, extension_formats, read_document
from bot.engine.readers.sidecar import read_sidecar
from bot.engine.readers.sniffing import FORMAT_NAMES, sniff
from bot.settings import Settings

log = logging.getLogger(__name__)

REMOVED = ".removed"
MAX_NAME_BYTES = 255
# Names Windows reserves for devices, with any extension ("CON.pdf" cannot be created there).
RESERVED = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{i}" for i in range(10)]
    + [f"lpt{i}" for i in range(10)]
    + ["com¹", "com²", "com³", "lpt¹", "lpt²", "lpt³"]
)
FORBIDDEN = frozenset('<>:"/\\|?*')
TEXT_FORMATS = frozenset({"text", "markdown"})
# What the bytes may be that no reader takes, and why each is refused (as the loader says it).
UNREADABLE = {
    "binary": "it is a binary file, not a document",
    "zip": "it is a zip archive, not a Word document (it has no word/document.xml)",
    "damaged zip": "it is a damaged or truncated zip archive",
    "ole": "it is an old binary Office file (.doc, .xls); save it as .docx",
}


class FileRefused(Exception):
    """A file that is not added (or removed); `str(err)` is `name: reason`, fit to show."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(f"{name}: {reason}")


@dataclass(frozen=True, slots=True)
class Prepared:
    """A file that was read and cut into passages, not yet written."""

    name: str  # the safe file name it will have in the corpus folder
    raw: bytes
    document: Document
    first_section: str | None
    warnings: tuple[str, ...]
    replaces: tuple[Path, ...] = ()  # files it takes the place of (same name or same id)


@dataclass
class Change:
    """What one add or remove did to the folder, so that it can be undone."""

    created: Path | None = None  # a file this change wrote
    moves: list[tuple[Path, Path]] = field(default_factory=list)  # (from, to), in order

    def undo(self) -> None:
        """Put the folder back as it was: drop the written file, move the others back."""
        if self.created is not None:
            with contextlib.suppress(FileNotFoundError):
                self.created.unlink()
        for source, target in reversed(self.moves):
            os.replace(target, source)
        log.info("undid %s", self)


def check_upload(name: str, size: int, settings: Settings) -> str:
    """The safe file name for an upload of `size` bytes; raises `FileRefused` before any byte
    is downloaded when the name or the size will not do."""
    safe = safe_file_name(name, settings.corpus.extensions)
    check_size(safe, size, settings.corpus.max_file_mb)
    return safe


def check_size(name: str, size: int, max_mb: float) -> None:
    if size > max_mb * 1024 * 1024:
        raise FileRefused(
            name, f"it is {size / 1e6:,.0f} MB, over the corpus's {max_mb:g} MB limit"
        )
    if size == 0:
        raise FileRefused(name, "the file is empty")


def safe_file_name(name: str, extensions: tuple[str, ...]) -> str:
    """`name` itself when it is a plain file name the corpus can hold; raises `FileRefused`
    for a path, `..`, a hidden or reserved name, a control character or an unknown format.

    Refused rather than repaired: a name like `../../etc/passwd` is not a slip to fix quietly.
    """
    shown = repr(name) if any(ord(c) < 32 for c in name) else name
    name = unicodedata.normalize("NFC", name)
    if not name.strip():
        raise FileRefused("(no name)", "the file has no name")
    if "/" in name or "\\" in name or name in (".", ".."):
        raise FileRefused(shown, "a file name may not contain a path (/, \\ or ..)")
    if name.startswith("."):
        raise FileRefused(shown, "hidden files (a name starting with '.') are not documents")
    bad = sorted({c for c in name if c in FORBIDDEN or ord(c) < 32 or ord(c) == 127})
    if bad:
        shown_bad = " ".join(repr(c) for c in bad)
        raise FileRefused(shown, f"a file name may not contain {shown_bad}")
    if name != name.rstrip(" ."):
        raise FileRefused(shown, "a file name may not end with a space or a dot")
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise FileRefused(shown[:60] + "…", f"the name is longer than {MAX_NAME_BYTES} bytes")
    if name.split(".")[0].strip().lower() in RESERVED:
        raise FileRefused(shown, "that name is reserved by Windows for a device; rename the file")
    extension = PurePath(name).suffix.lower()
    if extension not in {e.lower() for e in extensions}:
        kinds = ", ".join(extensions)
        raise FileRefused(shown, f"the corpus holds only {kinds} files")
    return name


def prepare_file(settings: Settings, name: str, raw: bytes, *, replace: bool = False) -> Prepared:
    """Check `raw` and read it exactly as the corpus will; raises `FileRefused`.

    Nothing is written: an unreadable file leaves the corpus as it was.
    """
    name = safe_file_name(name, settings.corpus.extensions)
    check_size(name, len(raw), settings.corpus.max_file_mb)
    if raw.isspace():
        raise FileRefused(name, "the file is empty")
    check_type(name, raw)
    folder = settings.corpus_dir
    replaces = conflicts(folder, name, settings, replace=replace)
    options = ReadOptions(max_unpacked_bytes=int(settings.corpus.max_unpacked_mb * 1024 * 1024))
    try:
        reading = read_document(raw, name, options)
    except ReadError as exc:
        log.info("refused %s: %s", name, exc)
        raise FileRefused(name, str(exc)) from None
    except Exception as exc:  # a reader library's own failure on a damaged file
        log.warning("refused %s: reading failed", name, exc_info=True)
        raise FileRefused(name, f"it could not be read ({type(exc).__name__})") from None
    doc_id = PurePath(name).stem
    built = build_document(
        reading, doc_id, name, raw, Cleaner(settings.cleaning), settings, 0, read_sidecar(folder)
    )
    if built is None:
        raise FileRefused(name, "no text is left once page furniture and debris are removed")
    document, passages = built
    first = next((p.section for p in passages if p.section), None)
    return Prepared(name, raw, document, first, reading.warnings, replaces)


def check_type(name: str, raw: bytes) -> None:
    """Refuse bytes that are not what the name says (a "report.pdf" that is an HTML error page,
    a ".docx" that is some other zip): the loader would warn about it at every start."""
    extension = PurePath(name).suffix.lower()
    claimed = extension_formats().get(extension)
    found = sniff(raw, extension)
    if found in UNREADABLE:
        raise FileRefused(name, UNREADABLE[found])
    if claimed is None or found == claimed or {found, claimed} <= TEXT_FORMATS:
        return
    raise FileRefused(
        name,
        f"the name says {FORMAT_NAMES[claimed]} but the file holds {FORMAT_NAMES[found]}; "
        "check the download, or give it the right extension",
    )


def conflicts(folder: Path, name: str, settings: Settings, *, replace: bool) -> tuple[Path, ...]:
    """Corpus files a new `name` would clash with: the same name, or the same document id (the
    file stem) under another extension or folder. Without `replace`, any clash is refused."""
    doc_id = PurePath(name).stem
    found = [p for p in list_documents(folder, settings.corpus.extensions, []) if p.stem == doc_id]
    target = folder / name
    if target.exists() and target not in found:
        found.insert(0, target)
    if found and not replace:
        rel = found[0].relative_to(folder).as_posix()
        if rel == name:
            raise FileRefused(name, "the corpus already has a file of that name; use replace")
        raise FileRefused(
            name, f"the corpus already has '{rel}', with the same document id '{doc_id}'"
        )
    return tuple(found)


def add_file(settings: Settings, prepared: Prepared) -> Change:
    """Write a prepared file into the corpus folder, atomically; the files it replaces are moved
    to `.removed/` first. Raises `FileRefused` if a file of that name appeared meanwhile."""
    folder = settings.corpus_dir
    target = folder / prepared.name
    change = Change()
    fd, temp_name = tempfile.mkstemp(prefix=".adding-", suffix=".part", dir=folder)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(prepared.raw)
            out.flush()
            os.fsync(out.fileno())
        for old in prepared.replaces:
            change.moves.append((old, move_aside(folder, old)))
        try:
            _place(temp, target)
        except FileExistsError:
            change.undo()
            raise FileRefused(prepared.name, "a file of that name was added meanwhile") from None
        change.created = target
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
    _sync_folder(folder)
    log.info("added %s (%d bytes) to %s", prepared.name, len(prepared.raw), folder)
    return change


def _place(temp: Path, target: Path) -> None:
    """Give the written file its name in one step, never over an existing file."""
    try:
        os.link(temp, target)  # fails if `target` exists, whoever created it
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links
        if target.exists():
            raise FileExistsError(target) from None
        os.replace(temp, target)


def remove_document(settings: Settings, document: Document) -> Change:
    """Move a document's file to `<corpus>/.removed/`: out of the corpus, never deleted."""
    folder = settings.corpus_dir
    path = folder / document.path
    if not path.is_file():
        raise FileRefused(document.path, "the file is no longer in the corpus folder")
    change = Change(moves=[(path, move_aside(folder, path))])
    _sync_folder(folder)
    log.info("removed %s: moved to %s", document.path, change.moves[0][1])
    return change


def move_aside(folder: Path, path: Path) -> Path:
    """Move `path` into `<folder>/.removed/` (keeping its subfolders); an older copy there keeps
    its name and this one gets the time it was removed."""
    rel = path.relative_to(folder)
    target = folder / REMOVED / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = target.with_name(f"{target.stem}.{stamp}{target.suffix}")
    os.replace(path, target)
    return target


def _sync_folder(folder: Path) -> None:
    """Make the folder's new entries durable (best effort: not every system allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
