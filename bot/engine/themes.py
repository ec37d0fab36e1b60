"""Themes: a codebook of named topics, and which passages of the corpus speak to each.

Why a codebook and not clustering: researchers code documents against themes they choose and can
argue about. A theme is a name (slug), a label, a description, loose words (`terms`), multi-word
expressions (`phrases`) and expressions that must not count (`exclude`), written in
`config/themes.yaml` and validated once, with errors that name the file and the theme.

How a passage is scored against a theme (all in analyzed terms, so "Abuses" meets "abuse"):

- A phrase counts where its words stand consecutively (stop words skipped), exactly as a quoted
  phrase of `/search`; a term counts wherever it stands outside a counted phrase.
- An `exclude` expression masks its words: a term or phrase occurrence overlapping it does not count
  ("law" counts for legal-framework, but not inside "law enforcement").
- The score is BM25's saturated, length-normalized term frequency summed over the theme's terms
  and phrases, each phrase counting `PHRASE_WEIGHT` times a loose term; so passages *using the
  theme's expressions*, several of them, densely, rank first. There is no idf: every expression
  of the codebook was chosen as telling, and the most common one ("human rights") is the most
  central to its theme, not the least.
- A passage **touches** a theme when at least one term or phrase of the theme counts in it (after
  exclusions). Terms are therefore words that signal the theme on their own ("torture",
  "corruption"); broad words belong in phrases ("human rights", not "rights").
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

import numpy as np
import yaml
from rapidfuzz import fuzz, process

from bot.engine.analysis import Analyzer
from bot.engine.errors import EngineError
from bot.engine.index import rank
from bot.engine.model import Document, Hit
from bot.settings import ConfigError

if TYPE_CHECKING:
    from bot.engine.engine import Engine

log = logging.getLogger(__name__)

THEME_KEYS = ("name", "label", "description", "terms", "phrases", "exclude")
NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PHRASE_WEIGHT = 2.0
# Each further hit from a document already shown counts this much less, so one long article cannot
# fill the first page while other documents also speak to the theme.
SAME_DOCUMENT_DECAY = 0.85
RANK_SLACK = 20  # extra ranked rows handed to make_hits, which drops near-duplicates
BAR_GLYPHS = " ▁▂▃▄▅▆▇█"
SUGGESTIONS = 3
SUGGESTION_CUTOFF = 55


class UnknownTheme(EngineError):
    """A theme name that is not in the codebook; carries the closest names as suggestions."""

    def __init__(self, name: str, suggestions: tuple[str, ...] = ()) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f" Did you mean {' or '.join(suggestions)}?" if suggestions else ""
        query = " ".join(name.split()) or name
        super().__init__(f"No theme '{name}'.{hint} Or search for it: /search {query}")


# -- the codebook -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Theme:
    """One code of the codebook, as written in the themes file."""

    name: str  # slug, e.g. "human-rights"
    label: str
    description: str = ""
    terms: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "description": self.description,
            "terms": list(self.terms),
            "phrases": list(self.phrases),
            "exclude": list(self.exclude),
        }


@dataclass(frozen=True, slots=True)
class Codebook:
    """The validated themes of one file, in file order."""

    path: Path
    themes: tuple[Theme, ...]

    def get(self, name: str) -> Theme | None:
        """A theme by name or label, forgiving case, accents and spaces ("Human rights")."""
        key = slug(name)
        for theme in self.themes:
            if key in (theme.name, slug(theme.label)):
                return theme
        return None

    def find(self, name: str) -> Theme:
        """Like `get`, but raise `UnknownTheme` with the closest names as suggestions."""
        theme = self.get(name)
        if theme is None:
            raise UnknownTheme(name.strip(), tuple(t.name for t in self.match(name, SUGGESTIONS)))
        return theme

    def match(self, text: str, limit: int = 25) -> list[Theme]:
        """Themes whose name or label matches `text` fuzzily, best first (autocomplete)."""
        if not text.strip():
            return list(self.themes[:limit])
        choices = {i: f"{t.name} {slug(t.label)}" for i, t in enumerate(self.themes)}
        found = process.extract(
            slug(text), choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=SUGGESTION_CUTOFF
        )
        return [self.themes[i] for _, _, i in sorted(found, key=lambda f: (-f[1], f[2]))]


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Human Rights" → "human-rights"."""
    from bot.engine.analysis import fold_accents

    return "-".join(re.findall(r"[a-z0-9]+", fold_accents(text.casefold())))


def load_codebook(path: Path, analyzer: Analyzer | None = None) -> Codebook:
    """Read and validate a themes file; raise `ConfigError` naming the file and the theme."""
    if not path.is_file():
        raise ConfigError(f"{path}: theme codebook not found (set themes.file in the settings)")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    return parse_codebook(data, path, analyzer or Analyzer())


def parse_codebook(data: Any, path: Path, analyzer: Analyzer) -> Codebook:
    """Validate parsed YAML into a `Codebook` (see `load_codebook`)."""
    if not isinstance(data, dict) or set(data) != {"themes"}:
        raise ConfigError(f"{path}: expected a mapping with one key, 'themes' (a list of themes)")
    items = data["themes"]
    if not isinstance(items, list) or not items:
        raise ConfigError(f"{path}: themes: expected a non-empty list of themes")
    themes: list[Theme] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        theme = _parse_theme(item, path, i, analyzer)
        if theme.name in seen:
            raise ConfigError(
                f"{path}: theme '{theme.name}' is defined twice (themes[{seen[theme.name]}] and "
                f"themes[{i}])"
            )
        seen[theme.name] = i
        themes.append(theme)
    return Codebook(path, tuple(themes))


def _parse_theme(item: Any, path: Path, i: int, analyzer: Analyzer) -> Theme:
    where = f"themes[{i}]"
    if not isinstance(item, dict):
        raise ConfigError(f"{path}: {where}: expected a mapping with name, label, terms…")
    name = item.get("name")
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise ConfigError(
            f"{path}: {where}: name: expected a slug like 'human-rights', got {name!r}"
        )
    where = f"theme '{name}'"
    for key in item:
        if key not in THEME_KEYS:
            raise ConfigError(
                f"{path}: {where}: unknown key '{key}' (expected one of: {', '.join(THEME_KEYS)})"
            )
    label = item.get("label")
    if not isinstance(label, str) or not label.strip():
        raise ConfigError(f"{path}: {where}: label: expected a non-empty string")
    description = item.get("description", "")
    if not isinstance(description, str):
        raise ConfigError(f"{path}: {where}: description: expected a string")
    lists = {key: _words(item.get(key), path, where, key, analyzer) for key in THEME_KEYS[3:]}
    if not lists["terms"]:
        raise ConfigError(f"{path}: {where}: terms: expected a non-empty list of words")
    return Theme(name, label.strip(), " ".join(description.split()), *lists.values())


def _words(value: Any, path: Path, where: str, key: str, analyzer: Analyzer) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: {where}: {key}: expected a list of strings")
    for v in value:
        if not analyzer.terms(v):
            raise ConfigError(
                f"{path}: {where}: {key}: '{v}' has no searchable word (only stop words or "
                "punctuation)"
            )
    return tuple(dict.fromkeys(" ".join(v.split()) for v in value))


# -- scoring ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ThemeMatcher:
    """A theme compiled to analyzed terms: what to look for in a passage's term list."""

    terms: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]  # two or more terms each
    exclude: tuple[tuple[str, ...], ...]

    @classmethod
    def compile(cls, theme: Theme, analyzer: Analyzer) -> ThemeMatcher:
        terms: set[str] = set()
        phrases: list[tuple[str, ...]] = []
        for words in (*theme.terms, *theme.phrases):
            analyzed = tuple(analyzer.terms(words))
            if len(analyzed) == 1:
                terms.add(analyzed[0])
            elif analyzed and analyzed not in phrases:
                phrases.append(analyzed)
        exclude = tuple(dict.fromkeys(tuple(analyzer.terms(w)) for w in theme.exclude))
        return cls(frozenset(terms), tuple(phrases), tuple(e for e in exclude if e))

    @property
    def query_weights(self) -> dict[str, float]:
        """Term weights for highlighting and snippets: phrase words count like phrases."""
        weights = dict.fromkeys(sorted(self.terms), 1.0)
        for phrase in self.phrases:
            for term in phrase:
                weights[term] = max(weights.get(term, 0.0), PHRASE_WEIGHT)
        return weights

    def count(self, terms: Sequence[str]) -> Counter[str | tuple[str, ...]]:
        """Occurrences of each term and phrase in a term list, after exclusions."""
        masked = _occupied(terms, self.exclude)
        used = set(masked)
        found: Counter[str | tuple[str, ...]] = Counter()
        for phrase in self.phrases:
            n = len(phrase)
            for i in range(len(terms) - n + 1):
                if tuple(terms[i : i + n]) == phrase and not used.intersection(range(i, i + n)):
                    found[phrase] += 1
                    used.update(range(i, i + n))
        for i, term in enumerate(terms):
            if term in self.terms and i not in used:
                found[term] += 1
        return found


def _occupied(terms: Sequence[str], expressions: Iterable[tuple[str, ...]]) -> set[int]:
    out: set[int] = set()
    for expr in expressions:
        n = len(expr)
        for i in range(len(terms) - n + 1):
            if tuple(terms[i : i + n]) == expr:
                out.update(range(i, i + n))
    return out


@dataclass(frozen=True, slots=True)
class ThemeScores:
    """One theme over the whole corpus: passages that touch it (rows ascending) and their scores."""

    theme: Theme
    rows: np.ndarray  # int64
    scores: np.ndarray  # float64
    weights: dict[str, float]  # per analyzed term, for highlights and contributions

    def by_doc(self, documents: Iterable[Document]) -> dict[str, int]:
        """How many passages of each document touch the theme (every document, corpus order)."""
        return {
            d.doc_id: int(
                np.count_nonzero(
                    (self.rows >= d.first_row) & (self.rows < d.first_row + d.passage_count)
                )
            )
            for d in documents
        }


class ThemeIndex:
    """Every theme of a codebook scored against every passage once; read-only afterwards."""

    def __init__(self, engine: Engine, codebook: Codebook) -> None:
        self.codebook = codebook
        self.matchers = {t.name: ThemeMatcher.compile(t, engine.analyzer) for t in codebook.themes}
        self.scores = self._score_all(engine)

    def _score_all(self, engine: Engine) -> dict[str, ThemeScores]:
        index, analyzer = engine.index, engine.analyzer
        passages = engine.corpus.passages
        lengths = np.fromiter(
            (len(analyzer.terms(p.text)) for p in passages), dtype=np.float64, count=len(passages)
        )
        avgdl = float(lengths.mean()) if lengths.size and lengths.sum() else 1.0
        wanted = set().union(*(m.terms.union(*m.phrases) for m in self.matchers.values()))
        rows = np.unique(
            np.concatenate(
                [index.postings(t) for t in sorted(wanted)] or [np.empty(0, dtype=np.int64)]
            )
        ).astype(np.int64)
        counts: dict[str, dict[int, Counter[str | tuple[str, ...]]]] = {
            name: {} for name in self.matchers
        }
        for row in rows.tolist():
            terms = analyzer.terms(passages[row].text)
            for name, matcher in self.matchers.items():
                found = matcher.count(terms)
                if found:
                    counts[name][row] = found
        k1, b = index.settings.k1, index.settings.b
        out = {}
        for theme in self.codebook.themes:
            per_row = counts[theme.name]
            touched = sorted(per_row)
            scores = []
            for row in touched:
                norm = 1.0 - b + b * lengths[row] / avgdl
                score = 0.0
                for unit, tf in sorted(per_row[row].items(), key=lambda kv: str(kv[0])):
                    weight = PHRASE_WEIGHT if isinstance(unit, tuple) else 1.0
                    score += weight * tf * (k1 + 1) / (tf + k1 * norm)
                scores.append(score)
            out[theme.name] = ThemeScores(
                theme,
                np.asarray(touched, dtype=np.int64),
                np.asarray(scores, dtype=np.float64),
                self.matchers[theme.name].query_weights,
            )
        return out


_INDEXES: WeakKeyDictionary[Engine, ThemeIndex] = WeakKeyDictionary()
_CODEBOOKS: WeakKeyDictionary[Engine, Codebook] = WeakKeyDictionary()
_LOCK = threading.Lock()


def codebook_of(engine: Engine) -> Codebook:
    """The engine's codebook (`settings.themes_path`), read and validated on first use."""
    with _LOCK:
        book = _CODEBOOKS.get(engine)
        if book is None:
            book = load_codebook(engine.settings.themes_path, engine.analyzer)
            _CODEBOOKS[engine] = book
        return book


def theme_index_of(engine: Engine) -> ThemeIndex:
    """The engine's themes scored over its corpus, computed on first use and kept with it."""
    book = codebook_of(engine)
    with _LOCK:
        built = _INDEXES.get(engine)
        if built is None:
            built = ThemeIndex(engine, book)
            _INDEXES[engine] = built
        return built


# -- results ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ThemeResult:
    """The passages most about one theme, and how many passages of each document touch it."""

    theme: Theme
    hits: tuple[Hit, ...]
    by_doc: dict[str, int]
    total: int  # passages touching the theme, whole corpus
    message: str | None = None

    @property
    def documents_touching(self) -> int:
        return sum(1 for n in self.by_doc.values() if n)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "theme": self.theme.name,
            "label": self.theme.label,
            "description": self.theme.description,
            "total": self.total,
            "documents": f"{self.documents_touching} of {len(self.by_doc)}",
            "hits": [h.to_json() for h in self.hits],
            "by_doc": dict(self.by_doc),
        }
        if self.message is not None:
            out["message"] = self.message
        return out

    def to_text(self) -> str:
        t = self.theme
        lines = [
            f"{t.label} ({t.name}) — {self.total} passage{'s' if self.total != 1 else ''} in "
            f"{self.documents_touching} of {len(self.by_doc)} documents"
        ]
        if t.description:
            lines.append(t.description)
        lines.append(
            "By document: "
            + ", ".join(f"{short_labels(self.by_doc)[d]} {n}" for d, n in self.by_doc.items())
        )
        if self.message:
            lines.append(self.message)
        for hit in self.hits:
            s = hit.source
            where = " · ".join(x for x in (s.title, s.section, f"¶{s.ordinal}", s.passage_id) if x)
            lines.append(f"\n{hit.rank}. {hit.snippet.text}\n   — {where}  (score {hit.score:.2f})")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class ThemeOverview:
    """Every theme against every document: how many passages of each document touch it."""

    themes: tuple[Theme, ...]
    documents: tuple[Document, ...]
    counts: dict[str, dict[str, int]]  # theme name → doc id → passages touching
    shares: dict[str, dict[str, float]] = field(default_factory=dict)  # … / passages of the doc

    def to_json(self) -> dict[str, Any]:
        labels = short_labels([d.doc_id for d in self.documents])
        return {
            "themes": [{"name": t.name, "label": t.label} for t in self.themes],
            "documents": [
                {
                    "doc_id": d.doc_id,
                    "label": labels[d.doc_id],
                    "title": d.title,
                    "passages": d.passage_count,
                }
                for d in self.documents
            ],
            "counts": self.counts,
            "shares": {
                t: {d: round(v, 4) for d, v in row.items()} for t, row in self.shares.items()
            },
        }

    def to_text(self) -> str:
        """A compact table: a bar glyph for the share of the document's passages, and the count.

        Fits a Discord message (under 2,000 characters for 12 themes × 5 documents); wrap it in a
        code block so the columns line up.
        """
        labels = short_labels([d.doc_id for d in self.documents])
        width = max([len(t.name) for t in self.themes] + [5])
        cells = [max(4, len(labels[d.doc_id]) + 1) for d in self.documents]
        header = " " * width + "".join(
            f" {labels[d.doc_id]:>{c}}" for d, c in zip(self.documents, cells, strict=True)
        )
        lines = [header]
        for t in self.themes:
            row = f"{t.name:<{width}}"
            for d, c in zip(self.documents, cells, strict=True):
                n = self.counts[t.name][d.doc_id]
                share = self.shares.get(t.name, {}).get(d.doc_id, 0.0)
                row += f" {bar(share)}{n:>{c - 1}}" if n else f" {'·':>{c}}"
            lines.append(row)
        lines.append("")
        lines.append("bar = share of the document's passages; number = passages")
        lines += [f"{labels[d.doc_id]} {d.title}"[:80] for d in self.documents]
        return "\n".join(lines)


def bar(share: float) -> str:
    """One glyph for a share in [0, 1]: a thin bar for anything above zero, full at 50 % or more."""
    if share <= 0:
        return BAR_GLYPHS[0]
    steps = len(BAR_GLYPHS) - 1
    return BAR_GLYPHS[max(1, min(steps, math.ceil(share * 2 * steps)))]


def short_labels(doc_ids: Iterable[str]) -> dict[str, str]:
    """Short, unique labels for document ids: the part before the first "_" ("000"), when unique."""
    ids = list(doc_ids)
    heads = [d.split("_", 1)[0][:12] for d in ids]
    if len(set(heads)) == len(heads) and all(heads):
        return dict(zip(ids, heads, strict=True))
    for n in range(3, max((len(d) for d in ids), default=3) + 1):
        cut = [d[:n] for d in ids]
        if len(set(cut)) == len(cut):
            return dict(zip(ids, cut, strict=True))
    return {d: d for d in ids}


# -- the questions ------------------------------------------------------------------------------


def theme_result(engine: Engine, name: str, top: int = 10) -> ThemeResult:
    """The passages most about theme `name`, best first, labelled by document."""
    book = codebook_of(engine)
    theme = book.find(name)
    scored = theme_index_of(engine).scores[theme.name]
    s = engine.settings.search
    top = max(1, min(top, s.max_top))
    ranked = diversified(scored.rows, scored.scores, engine, top + RANK_SLACK)
    hits = engine.make_hits(ranked, scored.weights, top)
    by_doc = scored.by_doc(engine.documents)
    message = None if hits else f"No passage of the corpus speaks to {theme.label}."
    return ThemeResult(theme, tuple(hits), by_doc, int(scored.rows.size), message)


def diversified(
    rows: np.ndarray, scores: np.ndarray, engine: Engine, k: int
) -> list[tuple[int, float]]:
    """The k best rows, where each further row of an already-listed document counts a bit less.

    The reported score stays the passage's own; only the order changes. Ties keep corpus order.
    """
    from bot.engine.index import Candidates

    pool = rank(Candidates(rows, scores), max(k * 4, k + 50))
    doc_of = {p.row: p.doc_id for p in (engine.corpus.passages[r] for r, _ in pool)}
    shown: Counter[str] = Counter()
    out: list[tuple[int, float]] = []
    remaining = list(pool)
    while remaining and len(out) < k:
        best = max(
            range(len(remaining)),
            key=lambda i: (
                remaining[i][1] * SAME_DOCUMENT_DECAY ** shown[doc_of[remaining[i][0]]],
                -remaining[i][0],
            ),
        )
        row, score = remaining.pop(best)
        shown[doc_of[row]] += 1
        out.append((row, score))
    return out


def themes_overview(engine: Engine) -> ThemeOverview:
    """Every theme against every document (passage counts and shares)."""
    built = theme_index_of(engine)
    docs = tuple(engine.documents)
    counts: dict[str, dict[str, int]] = {}
    shares: dict[str, dict[str, float]] = {}
    for theme in built.codebook.themes:
        by_doc = built.scores[theme.name].by_doc(docs)
        counts[theme.name] = by_doc
        shares[theme.name] = {
            d.doc_id: by_doc[d.doc_id] / d.passage_count if d.passage_count else 0.0 for d in docs
        }
    return ThemeOverview(built.codebook.themes, docs, counts, shares)


def focus_matcher(engine: Engine, focus: str) -> tuple[ThemeMatcher, Theme | None]:
    """What a summary focus means: a codebook theme when it names one, else its words.

    Words follow the search syntax: "quoted phrases" and -excluded words.
    """
    from bot.engine.query import parse_query

    try:
        theme = codebook_of(engine).get(focus)
    except ConfigError:
        theme = None  # no codebook: a focus is then always words
    if theme is not None:
        return ThemeMatcher.compile(theme, engine.analyzer), theme
    parsed = parse_query(focus, engine.analyzer)
    phrase_terms = {t for p in parsed.phrases for t in p.terms}
    return (
        ThemeMatcher(
            frozenset(t for t in parsed.terms if t not in phrase_terms),
            tuple(p.terms for p in parsed.phrases),
            tuple((t,) for t in parsed.excluded),
        ),
        None,
    )
