"""Line-level cleaning of web-scrape debris, driven by patterns from settings.

Why line by line: scrape debris in this kind of corpus comes as whole lines ("See also …" links,
"Explore More:", a lone bullet glyph), and keeping each line's span in the source file lets every
passage say exactly where it stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


def collapse(text: str) -> str:
    """Runs of whitespace (no-break and other Unicode spaces too) become one space; ends trimmed."""
    return " ".join(text.split())
