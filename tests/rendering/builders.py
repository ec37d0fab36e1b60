"""Small hand-made engine results, so renderers are tested without loading a corpus."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.engine.model import Document, Hit, Passage, PassageContext, SearchResult, Snippet, Source

MERIDA = (
    "A crucial framework for US-Mexico cooperation has been the Mérida Initiative, a security "
    "cooperation agreement established in 2007."
)


def passage(
    text: str = MERIDA,
    *,
    pid: str = "039f1f822eee",
    doc_id: str = "003",
    title: str = "US-Mexico Cooperation",
    section: str | None = None,
    ordinal: int = 4,
    **locators: str | int | None,
) -> Passage:
    """`locators`: page, page_end, speaker, timestamp, line_start, line_end."""
    return Passage(pid, doc_id, title, section, ordinal, text, 0, len(text), **locators)  # type: ignore[arg-type]


def source(p: Passage, site: str | None = None) -> Source:
    return Source(
        p.doc_id,
        p.title,
        site,
        p.section,
        p.ordinal,
        p.id,
        f"{p.doc_id}.txt",
        page=p.page,
        page_end=p.page_end,
        speaker=p.speaker,
        timestamp=p.timestamp,
        line_start=p.line_start,
        line_end=p.line_end,
    )


def hit(
    text: str = MERIDA,
    spans: tuple[tuple[int, int], ...] | None = None,
    *,
    rank: int = 1,
    snippet: Snippet | None = None,
    **passage_kw: object,
) -> Hit:
    p = passage(text, **passage_kw)  # type: ignore[arg-type]
    if spans is None:
        start = text.find("Mérida")
        spans = ((start, start + 6),) if start >= 0 else ()
    return Hit(rank, 1.0, p, source(p), snippet or Snippet(text[:200], spans, 0), {}, spans)


def result(hits: list[Hit], query: str = "Merida", **kw: object) -> SearchResult:
    return SearchResult(query, tuple(hits), kw.pop("total", len(hits)), **kw)  # type: ignore[arg-type]


def context(before: int = 1, after: int = 1, text: str = MERIDA) -> PassageContext:
    main = passage(text, ordinal=before + 1)
    around = [
        passage(f"Neighbour {i} says something.", pid=f"n{i}", ordinal=i + 1)
        for i in range(before + after + 1)
    ]
    return PassageContext(main, source(main), tuple(around[:before]), tuple(around[before + 1 :]))


def document(doc_id: str = "003", title: str = "US-Mexico Cooperation", **kw: object) -> Document:
    values: dict[str, object] = {
        "site": None,
        "path": f"{doc_id}.txt",
        "sha256": "0" * 64,
        "words": 1234,
        "passage_count": 13,
    }
    values.update(kw)
    return Document(doc_id, title, **values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Sentence:
    text: str
    passage_id: str
    section: str | None
    ordinal: int


@dataclass(frozen=True)
class Summary:
    doc_id: str = "003"
    title: str = "US-Mexico Cooperation"
    site: str | None = "Example Site"
    sentences: tuple[Sentence, ...] = (Sentence(MERIDA, "039f1f822eee", None, 4),)
    outline: tuple[tuple[str, int], ...] = (("Opening", 3), ("History", 5))
    key_terms: tuple[str, ...] = ("Mérida Initiative", "organized crime")
    words: int = 1228
    passages: int = 13
    reading_minutes: float = 5.4
    focus: str | None = None
    message: str | None = None


@dataclass(frozen=True)
class Theme:
    name: str = "human-rights"
    label: str = "Human rights"
    description: str = "Violations and protection of fundamental rights."
    terms: tuple[str, ...] = ("torture", "abuses")


@dataclass(frozen=True)
class ThemeResult:
    theme: Theme = field(default_factory=Theme)
    hits: tuple[Hit, ...] = ()
    by_doc: dict[str, int] = field(default_factory=dict)
    total: int = 0


@dataclass(frozen=True)
class ThemeOverview:
    themes: tuple[Theme, ...] = ()
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
