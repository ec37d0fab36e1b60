"""What a file really is, from its first bytes: the extension is a claim, the bytes are the fact.

Why: files reach a corpus by hand and by download; a "report.pdf" that is an HTML error page, a
PDF saved as ".txt", or a ".docx" that is some other zip are common, and each needs its own answer.
"""

from __future__ import annotations

import io
import re
import zipfile

HEAD_BYTES = 4096
BINARY_SNIFF_BYTES = 8192
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
WORD_PART = "word/document.xml"
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml"})

SRT_RE = re.compile(r"\A\d+[ \t]*\r?\n[ \t]*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}[ \t]*-->")
# Comments, XML declarations and blank space a page may open with before its doctype.
PREAMBLE_RE = re.compile(r"\A(?:\s+|<!--.*?-->|<\?xml[^>]*\?>)*", re.S)
DOCUMENT_HTML_RE = re.compile(r"<!doctype\s+html|<html[\s>]", re.I)
FRAGMENT_HTML_RE = re.compile(
    r"<(?:head|body|p|div|article|section|main|h[1-6]|title|meta)\b", re.I
)

# What each format is called in a message.
FORMAT_NAMES = {
    "pdf": "a PDF",
    "docx": "a Word document",
    "html": "an HTML page",
    "text": "plain text",
    "markdown": "Markdown text",
    "vtt": "WebVTT subtitles",
    "srt": "SubRip subtitles",
}


def sniff(raw: bytes, extension: str = "") -> str:
    """The format the bytes hold: pdf, docx, html, vtt, srt or text — or zip, damaged zip, ole,
    binary (formats no reader takes).

    `extension` only breaks a tie the bytes leave open: an ".html" file holding a fragment of
    markup (no doctype) is HTML, the same bytes in a ".txt" file are text.
    """
    head = raw[:HEAD_BYTES]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(ZIP_MAGICS):
        holds = _zip_holds(raw, WORD_PART)
        return "damaged zip" if holds is None else "docx" if holds else "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if not head.startswith(UTF16_32_BOMS) and b"\x00" in raw[:BINARY_SNIFF_BYTES]:
        return "binary"
    text = head.decode("utf-8", errors="ignore").lstrip("\ufeff")
    opening = text[PREAMBLE_RE.match(text).end() :]  # type: ignore[union-attr]
    if opening.startswith("WEBVTT"):
        return "vtt"
    if SRT_RE.match(opening):
        return "srt"
    if DOCUMENT_HTML_RE.match(opening):
        return "html"
    if extension.lower() in HTML_EXTENSIONS and FRAGMENT_HTML_RE.search(text):
        return "html"
    return "text"


def _zip_holds(raw: bytes, member: str) -> bool | None:
    """Whether the zip archive lists `member`; None when its directory cannot be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return member in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
