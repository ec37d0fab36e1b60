"""Line-level cleaning of web-scrape debris, driven by patterns from settings.

Why line by line: scrape debris in this kind of corpus comes as whole lines ("See also …" links,
"Explore More:", a lone bullet glyph), and keeping each line's span in the source file lets every
passage say exactly where it stands.

Formats read as blocks (PDF, HTML, Word, subtitles) become lines here too, over one text made of
their blocks, so that titles, sections, lists and passages are cut the same way for every format.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.engine.readers.base import Block, join_wrapped
from bot.settings import CleaningSettings

MARKDOWN_HEADING_RE = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
# Characters that show nothing vanish from the text, so they never split a word: C0/C1 controls
# (not whitespace), zero-width spaces and joiners, soft hyphens, the bidi marks, embeddings and
# isolates that come pasted with right-to-left text, invisible operators, variation selectors.
INVISIBLE_RE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u034f\u061c\u200b-\u200f"
    r"\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufe00-\ufe0f\ufeff]"
)


@dataclass(frozen=True, slots=True)
class Line:
    """One non-blank source line after cleaning, with its span in the source text."""

    text: str
    start: int
    end: int
    bullet: bool = False
    heading_level: int = 0  # markdown heading level, 0 when not a markdown heading
    table_row: bool = False  # one row of a table, its cells joined; a table's rows stay together
    speaker: str | None = None  # set on every line of an interview turn
    turn_start: bool = False  # the line that opens a turn (its speaker label already removed)


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where the text from `offset` on (up to the next anchor) stands in the source."""

    offset: int
    page: int | None = None  # 0-based page index
    speaker: str | None = None
    timestamp: str | None = None


@dataclass(frozen=True, slots=True)
class BlockText:
    """A block-read document as one text, its cleaned lines, and where each part came from."""

    text: str
    lines: list[Line | None]
    anchors: tuple[Anchor, ...]


class Cleaner:
    """Compiles the configured patterns once; `clean` turns source text into `Line`s."""

    def __init__(self, settings: CleaningSettings | None = None) -> None:
        settings = settings or CleaningSettings()
        self.drop = [re.compile(p) for p in settings.drop_lines]
        self.bullet = re.compile(settings.bullet)

    def clean(self, text: str) -> list[Line | None]:
        """Cleaned lines in order; `None` marks a blank line (a paragraph boundary)."""
        out: list[Line | None] = []
        pos = 0
        for raw in text.splitlines(keepends=True):
            start, pos = pos, pos + len(raw)
            body = raw.rstrip("\r\n")
            out.append(self.clean_line(body, start))
        return out

    def clean_line(self, raw: str, start: int = 0) -> Line | None:
        """One line: None when blank or debris, else its cleaned text and source span."""
        line = INVISIBLE_RE.sub("", raw)
        if not line.strip() or any(p.search(line) for p in self.drop):
            return None
        end = start + len(raw.rstrip())
        lead = len(raw) - len(raw.lstrip())
        heading = MARKDOWN_HEADING_RE.match(line)
        if heading:
            text = collapse(heading.group(2))
            return (
                Line(text, start + lead, end, heading_level=len(heading.group(1))) if text else None
            )
        bullet = self.bullet.match(line)
        if bullet:
            line = line[bullet.end() :]
        text = collapse(line)
        if not text:
            return None
        return Line(text, start + lead, end, bullet=bool(bullet))

    def clean_blocks(self, blocks: Sequence[Block]) -> BlockText:
        """One text made of the blocks, one line per paragraph, and the lines cleaned as for a
        text file; an anchor marks where each block starts, for its page, speaker or time.

        A block that `continues` the previous one joins its line (a word hyphenated across the
        page break re-joined); paragraphs are separated by a blank line, rows of one table are not.
        """
        parts: list[str] = []
        lines: list[Line | None] = []
        anchors: list[Anchor] = []
        pos = 0
        for group in _paragraph_groups(blocks):
            first = group[0]
            if parts:
                same_table = first.kind == "table_row" and lines and _is_row(lines[-1])
                sep = "\n" if same_table else "\n\n"
                parts.append(sep)
                pos += len(sep)
                if not same_table:
                    lines.append(None)
            text = ""
            for block in group:
                piece = collapse(INVISIBLE_RE.sub("", block.text))
                if not piece:
                    continue
                text = join_wrapped(text, piece) if text else piece
                anchor = Anchor(pos + len(text) - len(piece), block.page, block.speaker)
                anchors.append(replace(anchor, timestamp=block.timestamp))
            parts.append(text)
            lines.append(self._block_line(first, text, pos))
            pos += len(text)
        return BlockText("".join(parts), lines, tuple(anchors))

    def _block_line(self, block: Block, text: str, start: int) -> Line | None:
        """The line of one paragraph group, marked as its first block's kind says."""
        if not text or any(p.search(text) for p in self.drop):
            return None
        end = start + len(text)
        if block.kind == "heading":
            return Line(text, start, end, heading_level=max(1, block.level))
        if block.kind == "table_row":
            return Line(text, start, end, table_row=True)
        line = self.clean_line(text, start)
        if line is None:
            return None
        if block.kind == "list_item":
            line = replace(line, bullet=True)
        if block.speaker is not None:
            line = replace(line, speaker=block.speaker, turn_start=True)
        return line


def _paragraph_groups(blocks: Sequence[Block]) -> list[list[Block]]:
    groups: list[list[Block]] = []
    for block in blocks:
        if block.continues and groups:
            groups[-1].append(block)
        else:
            groups.append([block])
    return groups


def _is_row(line: Line | None) -> bool:
    return line is not None and line.table_row


def collapse(text: str) -> str:
    """Runs of whitespace (no-break and other Unicode spaces too) become one space; ends trimmed."""
    return " ".join(text.split())
