"""Where a quote stands inside its document, in words a reviewer can check: `p. 12`, `pp. 12–13`,
`at 00:12:31`, the speaker of an interview turn — and what a document is (authors, date, format).

Why one module: the Discord source line, the passage view, `/docs` and the command line's text all
say the same thing the same way, so a citation copied from one matches the others. Plain text:
each renderer escapes it for its own medium.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.engine.model import Document

MAX_SPEAKER = 40
MAX_AUTHORS = 3  # more are "et al."
FORMAT_NAMES = {
    "pdf": "PDF",
    "docx": "Word",
    "html": "web page",
    "text": "text",
    "markdown": "Markdown",
    "vtt": "WebVTT subtitles",
    "srt": "SubRip subtitles",
}
# The languages a research corpus is most likely to hold, by name; others show their code.
LANGUAGE_NAMES = {
    "ar": "Arabic",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "hi": "Hindi",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "nl": "Dutch",
    "pl": "Polish",
    "pt": "Portuguese",
    "ru": "Russian",
    "sv": "Swedish",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "zh": "Chinese",
}


class Located(Protocol):
    """A `Source` or a `Passage`: both carry these locators."""

    @property
    def page(self) -> str | None: ...
    @property
    def page_end(self) -> str | None: ...
    @property
    def speaker(self) -> str | None: ...
    @property
    def timestamp(self) -> str | None: ...
    @property
    def line_start(self) -> int | None: ...
    @property
    def line_end(self) -> int | None: ...


def page_label(page: str | None, page_end: str | None) -> str | None:
    """`p. 12`, or `pp. 12–13` when the passage runs onto the next page; None without a page."""
    if page is None:
        return None
    page, page_end = " ".join(page.split()), " ".join((page_end or "").split())
    if page_end and page_end != page:
        return f"pp. {page}–{page_end}"
    return f"p. {page}"


def line_label(start: int | None, end: int | None) -> str | None:
    """`line 44`, or `lines 44–46`: where a text file's passage stands; None for other formats."""
    if start is None:
        return None
    return f"line {start}" if end in (None, start) else f"lines {start}–{end}"


def locator_parts(where: Located) -> list[str]:
    """The speaker, then the page, the time or the lines: what goes between the section and ¶."""
    parts = []
    if where.speaker:
        speaker = " ".join(where.speaker.split())
        parts.append(speaker if len(speaker) <= MAX_SPEAKER else speaker[: MAX_SPEAKER - 1] + "…")
    page = page_label(where.page, where.page_end)
    lines = line_label(where.line_start, where.line_end)
    if page:
        parts.append(page)
    elif where.timestamp:
        parts.append(f"at {where.timestamp}")
    elif lines:
        parts.append(lines)
    return parts


def authors_text(authors: Sequence[str]) -> str | None:
    """`A`, `A, B and C`, or `A, B, C et al.` beyond three."""
    if not authors:
        return None
    if len(authors) > MAX_AUTHORS:
        return ", ".join(authors[:MAX_AUTHORS]) + " et al."
    if len(authors) == 1:
        return authors[0]
    return ", ".join(authors[:-1]) + " and " + authors[-1]


def language_name(code: str | None) -> str | None:
    """`Spanish` for `es`; an unlisted code as itself; None when unknown."""
    if not code:
        return None
    return LANGUAGE_NAMES.get(code, code)


def document_facts(doc: Document) -> list[str]:
    """Authors, date, site, format (with its pages) and language, those that are known."""
    facts = [f for f in (authors_text(doc.authors), doc.date, doc.site) if f]
    kind = FORMAT_NAMES.get(doc.format, doc.format)
    if doc.pages:
        kind += f", {doc.pages} page{'s' if doc.pages != 1 else ''}"
    facts.append(kind)
    language = language_name(doc.language)
    if language:
        facts.append(language)
    return facts
