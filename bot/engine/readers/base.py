"""What every reader returns: plain blocks of text with where they stand, plus metadata.

Why one plain shape for every format: the engine turns blocks into lines, sections and passages the
same way whatever the file was, so a guarantee that holds for text files (stable ids, sections,
debris cleaning, duplicates) holds for PDF, HTML and Word too; and a new format is one new module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "list_item", "table_row", "cue"]

# A line ending with these does not run on into the next page or column.
TERMINAL = (".", "!", "?", ":", "…", '"', "”", "’", ")")
HYPHEN_END_RE = re.compile(r"(?<=[^\W\d_])[-\u2010\u00ad]$")
ISO_DATE_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


class ReadError(Exception):
    """A file a reader cannot use; `str(err)` is the reason, worded for the person who added it."""


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of a document's text as its format gives it (a paragraph, a heading, a cue…).

    `continues` says the block goes on with the previous one's paragraph (a paragraph running
    across a page break, the next cue of a subtitle run): it is joined to it, not a new paragraph,
    yet keeps its own page or timestamp so a passage can say where it starts and ends.
    """

    text: str
    kind: BlockKind = "paragraph"
    level: int = 0  # heading level, 1 = top
    page: int | None = None  # 0-based page index (PDF)
    speaker: str | None = None
    timestamp: str | None = None  # "00:12:31"
    continues: bool = False


@dataclass(frozen=True, slots=True)
class Metadata:
    """What a file says about itself; every field optional."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    date: str | None = None  # ISO 8601: "2023", "2023-05" or "2023-05-01"
    url: str | None = None
    site: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Reading:
    """A reader's result.

    Text formats give `text` (the decoded file, cut into lines by the cleaner, so passages keep
    spans and line numbers in the file); the others give `blocks`. `guess_headings` is False where
    the format marks its headings (Word styles, HTML, a PDF outline): no other line is one.
    """

    format: str
    metadata: Metadata = field(default_factory=Metadata)
    blocks: tuple[Block, ...] = ()
    text: str | None = None
    page_labels: tuple[str, ...] = ()  # one per page of a paged format
    guess_headings: bool = True
    warnings: tuple[str, ...] = ()  # non-fatal: the file was read, but something to know


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Limits a reader enforces while it reads (the file size is checked before)."""

    max_unpacked_bytes: int = 256 * 1024 * 1024


def join_wrapped(first: str, second: str) -> str:
    """Two pieces of one paragraph broken at a line, column or page end, joined as one text.

    A word hyphenated across the break ("implemen-" + "tation") is re-joined when the next piece
    goes on in lower case; otherwise the pieces are joined with a space.
    """
    first, second = first.rstrip(), second.lstrip()
    if not first or not second:
        return first or second
    if HYPHEN_END_RE.search(first) and second[0].islower():
        return first[:-1] + second
    return first + " " + second


def iso_date(value: str | None) -> str | None:
    """The ISO date prefix of a date string ("2023-05-01T10:00:00Z" → "2023-05-01"), or None."""
    if not value:
        return None
    head = value.strip()[:10]
    for candidate in (head, head[:7], head[:4]):
        if ISO_DATE_RE.match(candidate) and not candidate.startswith("0000"):
            return candidate
    return None


def split_authors(value: str | None) -> tuple[str, ...]:
    """Authors from one metadata string: split on ";" (commas stay: "Smith, J." is one name)."""
    if not value:
        return ()
    return tuple(a for a in (" ".join(part.split()) for part in value.split(";")) if a)
