"""Trend: how often a word, phrase or codebook theme occurs across documents, sections and dates.

Why relative frequencies: documents differ in length, so raw counts mislead; occurrences per
10,000 words (Voyant's "relative frequencies") compare a short brief with a long report. Words are
counted as `/docs` counts them (whitespace-separated words of the passages), so the figures can be
checked against it. A word or phrase is found as `/kwic` finds it (exact form after case and
accent folding, or every form of its stem), so the two always agree on a count; a codebook theme
counts each of its terms and phrases as `/theme` does.

Per document across the corpus; per section within one document; and per date when documents carry
one (a `date` attribute: read with `getattr`, so documents without one simply have no date).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bot.engine.codebook import Codebook
from bot.engine.engine import Engine
from bot.engine.model import Document
from bot.engine.occurrences import (
    correction_note,
    find_spans,
    look_up,
    nothing_found,
    plan_scan,
    sample_note,
    sample_rows,
)
from bot.engine.themes import ThemeMatcher
from bot.engine.wording import short_labels

log = logging.getLogger(__name__)

PER = 10_000
MAX_DATE_POINTS = 40  # more distinct dates than this are grouped by month, then by year
NO_SECTION = "(before the first heading)"


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One bar of a trend: a document, section or date, its occurrences and its words."""

    key: str  # doc id, section heading or date
    label: str  # short, for a chart axis
    title: str  # long, for a table
    count: int  # occurrences (an estimate when the trend is sampled)
    words: int

    @property
    def per_10k(self) -> float:
        return self.count * PER / self.words if self.words else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "title": self.title,
            "count": self.count,
            "words": self.words,
            "per_10k": round(self.per_10k, 4),
        }


@dataclass(frozen=True, slots=True)
class Trend:
    """Relative frequencies of a word or theme: per document (or section), and per date."""

    query: str
    points: tuple[TrendPoint, ...]  # per document, or per section of `doc_filter`
    by: str = "document"  # or "section"
    dates: tuple[TrendPoint, ...] = ()  # per date, oldest first, when documents have dates
    undated: int = 0  # documents without a date (when some have one)
    kind: str = "word"  # or "theme"
    target: str | None = None  # what was counted: the word(s), or the theme's label
    doc_filter: str | None = None
    doc_title: str | None = None
    passages_read: int = 0
    candidates: int = 0
    sampled: bool = False
    corrected: str | None = None
    suggestions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    message: str | None = None

    @property
    def total(self) -> int:
        return sum(p.count for p in self.points)

    @property
    def words(self) -> int:
        return sum(p.words for p in self.points)

    @property
    def per_10k(self) -> float:
        return self.total * PER / self.words if self.words else 0.0

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "query": self.query,
            "kind": self.kind,
            "target": self.target,
            "by": self.by,
            "total": self.total,
            "words": self.words,
            "per_10k": round(self.per_10k, 4),
            "points": [p.to_json() for p in self.points],
            "dates": [p.to_json() for p in self.dates],
            "undated": self.undated,
            "passages_read": self.passages_read,
            "candidates": self.candidates,
            "sampled": self.sampled,
            "suggestions": {k: list(v) for k, v in self.suggestions.items()},
        }
        for key in ("doc_filter", "corrected", "message"):
            if getattr(self, key) is not None:
                out["document" if key == "doc_filter" else key] = getattr(self, key)
        return out


def trend(
    engine: Engine,
    text: str,
    *,
    document: str | None = None,
    stem: bool = False,
    codebook: Codebook | None = None,
) -> Trend:
    """Occurrences of `text` per 10,000 words: per document, or per section of `document`.

    `text` names a codebook theme (by name or label) when `codebook` has one, unless it is quoted;
    otherwise it is a word or phrase. Raises `UnknownDocument` for an unknown document; other odd
    input gets a `message`.
    """
    doc = engine.find_document(document) if document else None
    base: dict[str, Any] = {
        "doc_filter": doc.doc_id if doc else None,
        "doc_title": doc.title if doc else None,
        "by": "section" if doc else "document",
    }
    theme = codebook.get(text) if codebook is not None and not _quoted(text) else None
    notes: list[str] = []
    extra: dict[str, Any] = {}
    if theme is not None:
        matcher = ThemeMatcher.compile(theme, engine.analyzer)
        rows = _theme_rows(engine, matcher, doc)
        read, sampled = sample_rows(rows)
        counts = _theme_counts(engine, matcher, read)
        kind, target = "theme", theme.label
        if sampled:
            notes.append(
                f"A very common theme: read an evenly spaced sample of {read.size:,} of the "
                f"{rows.size:,} passages that touch it; counts are estimates."
            )
        candidates = int(rows.size)
    else:
        lookup = look_up(engine, text, stem=stem)
        if lookup.target is None:
            return Trend(text, (), message=lookup.message, suggestions=lookup.suggestions, **base)
        scan = plan_scan(engine, lookup.target, doc)
        read, sampled, candidates = scan.rows, scan.sampled, scan.candidates
        counts = Counter(
            {row: len(spans) for row, spans in find_spans(engine, lookup.target, read)}
        )
        kind, target = "word", lookup.target.label
        extra.update(corrected=lookup.corrected, suggestions=lookup.suggestions)
        notes += [n for n in (correction_note(lookup.corrected, text), sample_note(scan)) if n]
        if not counts:
            notes.append(nothing_found(engine, lookup.target, scan, doc.title if doc else None))
    scale = candidates / read.size if sampled and read.size else 1.0
    if doc is not None:
        points = _by_section(engine, doc, counts, scale)
        dates: tuple[TrendPoint, ...] = ()
        undated = 0
    else:
        points = _by_document(engine.documents, counts, scale)
        dates, undated = _by_date(engine.documents, points)
    if kind == "theme" and not any(p.count for p in points):
        where = f" in {doc.title}" if doc else ""
        notes.append(f"No passage{where} speaks to the theme {theme.label if theme else text}.")
    return Trend(
        text,
        points,
        dates=dates,
        undated=undated,
        kind=kind,
        target=target,
        passages_read=int(read.size),
        candidates=candidates,
        sampled=sampled,
        message=" ".join(notes) or None,
        **extra,
        **base,
    )


def _quoted(text: str) -> bool:
    """Quotes around the text ask for the words themselves, even when a theme has that name."""
    stripped = text.strip()
    return len(stripped) > 1 and stripped[0] in "\"“„«'" and stripped[-1] in "\"”»'"


def _theme_rows(engine: Engine, matcher: ThemeMatcher, doc: Document | None) -> np.ndarray:
    index = engine.index
    wanted = sorted(matcher.terms.union(*matcher.phrases))
    parts = [index.postings(t) for t in wanted]
    rows = np.unique(np.concatenate(parts)).astype(np.int64) if parts else np.empty(0, np.int64)
    if doc is not None:
        lo, hi = np.searchsorted(rows, [doc.rows.start, doc.rows.stop])
        rows = rows[lo:hi]
    return rows


def _theme_counts(engine: Engine, matcher: ThemeMatcher, rows: np.ndarray) -> Counter[int]:
    """Occurrences of the theme's terms and phrases in each row, counted as `/theme` counts."""
    passages, analyzer = engine.corpus.passages, engine.analyzer
    counts: Counter[int] = Counter()
    for row in rows.tolist():
        n = sum(matcher.count(analyzer.terms(passages[row].text)).values())
        if n:
            counts[row] = n
    return counts


def _by_document(
    documents: list[Document], counts: Counter[int], scale: float
) -> tuple[TrendPoint, ...]:
    starts = np.asarray([d.rows.start for d in documents], dtype=np.int64)
    rows = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    found = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
    owner = np.searchsorted(starts, rows, side="right") - 1  # the document of each row
    per_doc = np.bincount(owner, weights=found, minlength=len(documents)) * scale
    labels = short_labels([d.doc_id for d in documents])
    return tuple(
        TrendPoint(d.doc_id, labels[d.doc_id], d.title, round(float(per_doc[i])), d.words)
        for i, d in enumerate(documents)
    )


def _by_section(
    engine: Engine, doc: Document, counts: Counter[int], scale: float
) -> tuple[TrendPoint, ...]:
    """One point per section, in the document's order; passages before any heading together."""
    words: dict[str, int] = defaultdict(int)
    found: Counter[str] = Counter()
    for p in engine.corpus.passages_of(doc.doc_id):
        key = p.section or NO_SECTION
        words[key] += p.words
        found[key] += counts.get(p.row, 0)
    return tuple(
        TrendPoint(key, f"§{i}", key, round(found[key] * scale), n)
        for i, (key, n) in enumerate(words.items(), start=1)
    )


def date_key(value: object) -> str | None:
    """A document's date as sortable text: ISO dates stay ISO, a year stays a year."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = " ".join(str(value).split())
    return text or None


def _by_date(
    documents: Iterable[Document], points: tuple[TrendPoint, ...]
) -> tuple[tuple[TrendPoint, ...], int]:
    """Points summed over documents of the same date (or month, or year, when there are many)."""
    keys = {d.doc_id: date_key(getattr(d, "date", None)) for d in documents}
    dated = [(keys[p.key], p) for p in points if keys.get(p.key)]
    if not dated:
        return (), 0
    undated = len(points) - len(dated)
    for cut in (None, 7, 4):  # the date, its month (YYYY-MM), its year
        grouped: dict[str, list[TrendPoint]] = defaultdict(list)
        for key, p in dated:
            assert key is not None
            grouped[key[:cut] if cut and _iso(key) else key].append(p)
        if len(grouped) <= MAX_DATE_POINTS:
            break
    out = []
    for key in sorted(grouped):
        members = grouped[key]
        docs = ", ".join(p.label for p in members[:3]) + (" …" if len(members) > 3 else "")
        out.append(
            TrendPoint(
                key,
                key,
                f"{key} ({docs})",
                sum(p.count for p in members),
                sum(p.words for p in members),
            )
        )
    return tuple(out), undated


def _iso(key: str) -> bool:
    return len(key) >= 4 and key[:4].isdigit()
