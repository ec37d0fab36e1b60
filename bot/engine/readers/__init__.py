"""Readers: one small module per file format, all behind `read_document`.

Each reader module names its `FORMATS` and `EXTENSIONS` and has `read(raw, format, options) ->
Reading`; it imports its library only when it reads, so a corpus of text files never loads PDFium.
Adding a format is adding a module and its name to `READER_MODULES` (and, if its bytes have a
signature, a line in `sniffing`). Nothing outside this package imports pypdfium2, trafilatura,
python-docx or webvtt.
"""

from __future__ import annotations

import importlib
from dataclasses import replace
from functools import cache
from pathlib import PurePath
from types import ModuleType

from bot.engine.readers.base import Block, Metadata, ReadError, Reading, ReadOptions
from bot.engine.readers.sniffing import FORMAT_NAMES, sniff

__all__ = [
    "Block",
    "Metadata",
    "ReadError",
    "ReadOptions",
    "Reading",
    "extension_formats",
    "read_document",
]

READER_MODULES = ("text", "pdf", "web", "word", "subtitles")
# What the bytes may be that no reader takes, and why each is refused.
UNREADABLE = {
    "binary": "it looks like a binary file",
    "zip": "a zip archive, not a Word document (it has no word/document.xml)",
    "damaged zip": "a damaged or truncated zip archive",
    "ole": "an old binary Office file (.doc, .xls); save it as .docx",
}
# Formats whose name is a promise about bytes: text under such a name is a failed download.
BINARY_FORMATS = frozenset({"pdf", "docx"})


def read_document(raw: bytes, name: str, options: ReadOptions | None = None) -> Reading:
    """Read one file's bytes with the reader its content calls for.

    Raises `ReadError` (its message is the reason, for a warning) when no reader can use it; a
    file whose bytes are another supported format than its name says is read as what it is, with
    a warning.
    """
    options = options or ReadOptions()
    extension = PurePath(name).suffix.lower()
    fmt, note = choose_format(extension_formats().get(extension), sniff(raw, extension))
    reading = _module_of(fmt).read(raw, fmt, options)
    if note:
        reading = replace(reading, warnings=(note, *reading.warnings))
    return reading


def choose_format(claimed: str | None, found: str) -> tuple[str, str | None]:
    """The format to read with, given what the name claims and the bytes are, and a warning
    when they disagree; `ReadError` when the bytes are nothing a reader takes."""
    if found in UNREADABLE:
        raise ReadError(UNREADABLE[found])
    text_like = found == "text"
    if claimed in BINARY_FORMATS and found not in BINARY_FORMATS:
        raise ReadError(
            f"named as {FORMAT_NAMES[claimed]} but holds {FORMAT_NAMES[found]} (a failed download?)"
        )
    if claimed is None or found == claimed or (text_like and claimed == "markdown"):
        return (claimed or found), None
    return found, (
        f"named as {FORMAT_NAMES[claimed]} but holds {FORMAT_NAMES[found]}; "
        f"read as {FORMAT_NAMES[found]}"
    )


@cache
def extension_formats() -> dict[str, str]:
    """Every extension a reader takes, and the format it names."""
    out: dict[str, str] = {}
    for name in READER_MODULES:
        out.update(_load(name).EXTENSIONS)
    return out


@cache
def _formats() -> dict[str, ModuleType]:
    modules = [_load(name) for name in READER_MODULES]
    return {fmt: module for module in modules for fmt in module.FORMATS}


def _module_of(fmt: str) -> ModuleType:
    return _formats()[fmt]


def _load(name: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{name}")
