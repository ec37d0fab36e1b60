"""The engine's result types: plain frozen dataclasses every front end (CLI, bot, tests) reads.

Why here and not beside the code that makes them: renderers and tests construct and read these
without loading a corpus, and nothing in this module does work.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Passage:
    """One quotable passage: the sources' own words and where they stand."""

    id: str  # stable: derived from the document id and the passage's own words
    doc_id: str
    title: str
    section: str | None
    ordinal: int  # 1-based position in its document (the ¶ number a reader cites)
    text: str  # cleaned text, verbatim words of the source
    start: int  # character span in the decoded source file
    end: int
    row: int = -1  # row in the index (corpus order)
    duplicate_of: str | None = None  # id of an earlier passage with (nearly) the same words
    # Locators a reviewer checks a quote with; None where the format has no such thing.
    line_start: int | None = None  # 1-based line range in the source file (.txt / .md)
    line_end: int | None = None
    page: str | None = None  # the page label the PDF shows ("iv", "12"), else its 1-based number
    page_end: str | None = None  # set only when the passage runs onto the next page
    speaker: str | None = None  # the speaker of an interview turn or a subtitle voice
    timestamp: str | None = None  # "00:12:31": when a subtitle passage starts

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True, slots=True)
class Document:
    """A source file of the corpus."""

    doc_id: str
    title: str
    site: str | None
    path: str  # path relative to the corpus folder
    sha256: str
    words: int
    passage_count: int
    sections: tuple[str, ...] = ()
    first_row: int = 0  # its passages are rows first_row .. first_row + passage_count - 1
    # Metadata: extracted from the file, completed or overridden by the corpus's sidecar file.
    authors: tuple[str, ...] = ()
    date: str | None = None  # ISO 8601, as precise as known: "2023", "2023-05", "2023-05-01"
    url: str | None = None
    format: str = "text"  # the reader that read it: text, markdown, pdf, html, docx, vtt, srt
    pages: int | None = None  # page count of paged formats (PDF)
    language: str | None = None  # ISO 639-1 ("en"): the sidecar's, else detected, else declared

    @property
    def rows(self) -> range:
        """The index rows of its passages (they are contiguous, in document order)."""
        return range(self.first_row, self.first_row + self.passage_count)


@dataclass(frozen=True, slots=True)
class Source:
    """Where a quote stands, for a citation line."""

    doc_id: str
    title: str
    site: str | None
    section: str | None
    ordinal: int
    passage_id: str
    file: str
    page: str | None = None
    page_end: str | None = None
    speaker: str | None = None
    timestamp: str | None = None
    line_start: int | None = None
    line_end: int | None = None


@dataclass(frozen=True, slots=True)
class Snippet:
    """The best 1–3 sentences of a passage, with the spans of matched words (to bold them)."""

    text: str
    highlights: tuple[tuple[int, int], ...] = ()
    start: int = 0  # offset of the snippet inside the passage text


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked passage of a result list, with why it matched."""

    rank: int
    score: float
    passage: Passage
    source: Source
    snippet: Snippet
    contributions: dict[str, float] = field(default_factory=dict)
    highlights: tuple[tuple[int, int], ...] = ()  # matched spans in passage.text

    def to_json(self) -> dict[str, Any]:
        p = self.passage
        return {
            "rank": self.rank,
            "score": round(self.score, 6),
            "passage_id": p.id,
            "doc_id": p.doc_id,
            "title": p.title,
            "site": self.source.site,
            "section": p.section,
            "ordinal": p.ordinal,
            **locators_json(p),
            "file": self.source.file,
            "text": p.text,
            "snippet": self.snippet.text,
            "highlights": [list(h) for h in self.highlights],
            "contributions": {k: round(v, 6) for k, v in self.contributions.items()},
        }


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Everything a front end needs to answer one query.

    `message` is set when there is something to tell the reader in plain words (nothing found, only
    stop words, a correction applied); `corrected` is the query actually searched when the engine
    corrected a spelling; `suggestions` maps each unknown word to its closest vocabulary words.
    """

    query: str
    hits: tuple[Hit, ...]
    total: int  # passages that matched, before cutting to top k (duplicates removed)
    corrected: str | None = None
    suggestions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    message: str | None = None
    doc_filter: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "query": self.query,
            "total": self.total,
            "hits": [h.to_json() for h in self.hits],
            "suggestions": {k: list(v) for k, v in self.suggestions.items()},
        }
        if self.corrected is not None:
            out["corrected"] = self.corrected
        if self.message is not None:
            out["message"] = self.message
        if self.doc_filter is not None:
            out["document"] = self.doc_filter
        return out


@dataclass(frozen=True, slots=True)
class PassageContext:
    """A passage with its neighbours in the same document (for "more context")."""

    passage: Passage
    source: Source
    before: tuple[Passage, ...] = ()
    after: tuple[Passage, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "passage": passage_json(self.passage),
            "source": _without_none(asdict(self.source), LOCATOR_FIELDS),
            "before": [passage_json(p) for p in self.before],
            "after": [passage_json(p) for p in self.after],
        }


# Locator keys appear in JSON only where the format has them (no "page": null for a web page).
LOCATOR_FIELDS = ("line_start", "line_end", "page", "page_end", "speaker", "timestamp")


def locators_json(passage: Passage) -> dict[str, Any]:
    """The passage's locators that are set, in a stable order."""
    return {k: v for k in LOCATOR_FIELDS if (v := getattr(passage, k)) is not None}


def passage_json(passage: Passage) -> dict[str, Any]:
    """Every field of a passage, leaving out the locators it does not have."""
    return _without_none(asdict(passage), LOCATOR_FIELDS)


def _without_none(data: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if not (k in keys and v is None)}
