"""Plain text and Markdown: the decoded file itself, cut into lines later by the cleaner.

Why the text and not blocks: passages of a text file keep character spans and line numbers in the
file, so a reviewer opens it at the line; the cleaner already reads Markdown headings and bullets.
"""

from __future__ import annotations

import logging

from bot.engine.readers.base import Reading, ReadOptions

log = logging.getLogger(__name__)

FORMATS = ("text", "markdown")
EXTENSIONS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# A guess that ties with the best is broken towards the encodings text files really come in.
PREFERRED = ("cp1252", "latin_1", "iso8859_15")
# Below this coherence charset-normalizer has not recognised any language: it is a coin toss.
RECOGNISED = 0.2
TIE = 0.01


def read(raw: bytes, format: str, options: ReadOptions) -> Reading:
    """The file's text (decoded as `decode_text` says) for the cleaner to cut into lines."""
    text, warning = decode_text(raw)
    return Reading(format=format, text=text, warnings=(warning,) if warning else ())


def decode_text(raw: bytes) -> tuple[str, str | None]:
    """The text of `raw` and, when its encoding had to be guessed, a warning saying so.

    UTF-8 (a BOM dropped) or a UTF-16/32 BOM need no guess. Anything else is guessed with
    charset-normalizer, preferring Windows-1252 when the guess is a tie or unsure: a short
    Latin-1 "policía" is equally valid Central-European or Urdu to a detector, but it is
    almost always Western European text from Windows.
    """
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(encoding), None
            except UnicodeDecodeError:
                break
    try:
        return raw.decode("utf-8").removeprefix("\ufeff"), None
    except UnicodeDecodeError as exc:
        bad = exc.start
    guess = guess_encoding(raw)
    where = f"not valid UTF-8 (first bad byte at offset {bad})"
    if guess is None:
        text = raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
        return text, f"{where}; read with replacement characters"
    return raw.decode(guess), f"{where}; read as {guess} (a guess: check accented letters)"


def guess_encoding(raw: bytes) -> str | None:
    """The encoding `raw` most likely is, or None when nothing decodes it."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(raw))
    fallback = next((e for e in PREFERRED if _decodes(raw, e)), None)
    if not matches:
        return fallback
    best = matches[0]
    tied = {  # with the encodings that decode these bytes to the very same text
        _canonical(encoding)
        for m in matches
        if m.chaos <= best.chaos + TIE and m.coherence >= best.coherence - TIE
        for encoding in (m.encoding, *m.could_be_from_charset)
    }
    for encoding in PREFERRED:
        if encoding in tied and _decodes(raw, encoding):
            return encoding
    if best.coherence < RECOGNISED and fallback is not None:
        return fallback
    return best.encoding


def _canonical(encoding: str) -> str:
    return {"iso-8859-1": "latin_1", "latin-1": "latin_1", "windows-1252": "cp1252"}.get(
        encoding.lower(), encoding.lower()
    )


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True
