"""Where a word or phrase occurs: every occurrence in the passages' own text, with its offsets.

Why not the index alone: the index knows which passages hold a *stem*, not where, nor in which
form. Concordances, collocates and trends need each occurrence of the exact word form a researcher
asked for (after case and accent folding: "Mérida" = "MERIDA", but "killing" ≠ "killings"), or of
any form of its stem when asked. So the index narrows the passages to read (the postings of the
target's terms), and this module reads only those, with the analyzer's own tokenizer — or, where
a passage's words are all ASCII, with a regex that finds exactly the same words at C speed (see
`fast_pattern`). Offsets point into the passage text, never into normalised text; the words around
a match are read from a stretch around it (`WordReader.before`/`after`), not the whole passage.

A question about a very common word would read most of the corpus; above `SCAN_LIMIT` passages it
reads an evenly spaced sample of them instead, and says so (`Scan.sampled`).
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from bot.engine.analysis import _MARKS, TOKEN_RE, Analyzer  # the tokenizer's own marks
from bot.engine.cleaning import INVISIBLE_RE
from bot.engine.engine import Engine
from bot.engine.model import Document
from bot.engine.wording import plural

SCAN_LIMIT = 10_000  # passages read for one question; above it, an even sample of them
REGION_CHARS = 96  # characters read on each side of a match first (more when that is not enough)
# A character that can be part of a word but is not ASCII: a passage without any tokenizes, after
# folding, exactly as a case-insensitive ASCII regex sees it (see `fast_pattern`).
_NON_ASCII_WORD_RE = re.compile(rf"(?![\x00-\x7f])[^\W_]|[{_MARKS}]")
MAX_TARGET_WORDS = 8
MAX_TARGET_CHARS = 200
_QUOTES_RE = re.compile(r'["“”„«»]')

EMPTY = "Type a word or a phrase."
ONLY_COMMON = (
    "'{text}' has only common words (the, of, and…), which the index does not keep: "
    "add a more specific word."
)


@dataclass(frozen=True, slots=True)
class Target:
    """A word or phrase to find: folded word forms and, for each, its index term (None: stop word).

    `stem`: a word matches any form with the same index term ("killing" finds "killings");
    otherwise only the same folded form. Stop words inside a phrase always match by form.
    """

    text: str
    forms: tuple[str, ...]
    terms: tuple[str | None, ...]
    stem: bool = False

    @property
    def content_terms(self) -> tuple[str, ...]:
        return tuple(t for t in self.terms if t is not None)

    @property
    def label(self) -> str:
        """How the target reads in an answer: its words, and "(all forms)" when stemmed."""
        return " ".join(self.forms) + (" (all forms)" if self.stem else "")


@dataclass(frozen=True, slots=True)
class Lookup:
    """What a typed target resolved to: the target, or why there is none, and any correction."""

    target: Target | None
    message: str | None = None
    suggestions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    corrected: str | None = None  # the target actually looked for, when a spelling was corrected


class WordReader:
    """The analyzer's tokenizer with each raw word's folded form and index term, cached."""

    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self.word = lru_cache(maxsize=200_000)(self._word)

    def _word(self, raw: str) -> tuple[str, str | None]:
        folded = self.analyzer.normalize(raw)
        if not folded.isalnum():  # as the analyzer does: NFKC may add spaces or marks
            folded = "".join(TOKEN_RE.findall(folded))
        return folded, self.analyzer.term(raw)

    def pairs(self, text: str) -> list[tuple[str, str | None]]:
        """(form, term) of every word of `text`, stop words included (no spans: faster)."""
        return list(map(self.word, TOKEN_RE.findall(text)))

    def form_of(self, text: str) -> str:
        """The folded words of a matched stretch of text, joined by spaces."""
        return " ".join(form for form, _ in self.pairs(text))

    def before(
        self, text: str, start: int, n: int, *, content: bool = False
    ) -> list[tuple[str, str | None]]:
        """The `n` words (or content words) that end before `start`, nearest last.

        Reads a growing stretch before `start` rather than the whole passage; a word the stretch
        cuts into is dropped.
        """
        size = REGION_CHARS
        while True:
            lo = max(0, start - size)
            words = self.pairs(text[lo:start])
            if lo > 0 and words:
                words = words[1:]  # may be the tail of a longer word
            picked = [w for w in words if w[1] is not None] if content else words
            if len(picked) >= n or lo == 0:
                return picked[len(picked) - n :] if n else []
            size *= 4

    def after(
        self, text: str, end: int, n: int, *, content: bool = False
    ) -> list[tuple[str, str | None]]:
        """The `n` words (or content words) that start after `end`, nearest first."""
        size = REGION_CHARS
        while True:
            hi = min(len(text), end + size)
            words = self.pairs(text[end:hi])
            if hi < len(text) and words:
                words = words[:-1]  # may be the head of a longer word
            picked = [w for w in words if w[1] is not None] if content else words
            if len(picked) >= n or hi == len(text):
                return picked[:n]
            size *= 4

    def tokens(self, text: str) -> Tokens:
        """Every word of `text` (stop words included) with its form, term and character span."""
        forms: list[str] = []
        terms: list[str | None] = []
        spans: list[tuple[int, int]] = []
        word = self.word
        for m in TOKEN_RE.finditer(text):
            form, term = word(m.group())
            forms.append(form)
            terms.append(term)
            spans.append(m.span())
        return Tokens(forms, terms, spans)


@dataclass(frozen=True, slots=True)
class Tokens:
    """The words of one passage, as parallel lists."""

    forms: list[str]
    terms: list[str | None]
    spans: list[tuple[int, int]]

    def __len__(self) -> int:
        return len(self.forms)

    def find(self, target: Target) -> list[tuple[int, int]]:
        """(first, last + 1) token indexes of each occurrence of `target`, left to right,
        never overlapping."""
        n = len(target.forms)
        forms = self.forms
        if not target.stem and n == 1:
            wanted = target.forms[0]
            return [(i, i + 1) for i, f in enumerate(forms) if f == wanted]
        out: list[tuple[int, int]] = []
        i, last = 0, len(forms) - n
        while i <= last:
            if all(self._matches(i + k, target, k) for k in range(n)):
                out.append((i, i + n))
                i += n
            else:
                i += 1
        return out

    def _matches(self, i: int, target: Target, k: int) -> bool:
        term = target.terms[k]
        if target.stem and term is not None:
            return self.terms[i] == term
        return self.forms[i] == target.forms[k]


_READERS: weakref.WeakKeyDictionary[Analyzer, WordReader] = weakref.WeakKeyDictionary()
_READERS_LOCK = threading.Lock()


def reader_for(engine: Engine) -> WordReader:
    """The engine's word reader (one per analyzer, so its cache lives as long as the engine)."""
    with _READERS_LOCK:
        reader = _READERS.get(engine.analyzer)
        if reader is None:
            reader = _READERS[engine.analyzer] = WordReader(engine.analyzer)
        return reader


def clean_target(text: str) -> str:
    """The typed text with invisible characters and quotes gone, whitespace collapsed, cut."""
    text = " ".join(_QUOTES_RE.sub(" ", INVISIBLE_RE.sub("", text)).split())
    if len(text) > MAX_TARGET_CHARS:
        text = text[:MAX_TARGET_CHARS].rsplit(" ", 1)[0]
    return text


def look_up(engine: Engine, text: str, *, stem: bool = False) -> Lookup:
    """Resolve what the user typed into a `Target`, correcting a misspelt word as search does.

    Never raises: empty or stop-word-only input, and words no document uses, come back as a
    `Lookup` without a target and with a sentence saying why.
    """
    cleaned = clean_target(text)
    reader = reader_for(engine)
    words = [w for w in TOKEN_RE.findall(cleaned)][:MAX_TARGET_WORDS]
    if not words:
        return Lookup(None, EMPTY)
    parsed = [reader.word(w) for w in words]
    if all(term is None for _, term in parsed):
        return Lookup(None, ONLY_COMMON.format(text=" ".join(words)))
    vocabulary = engine.index.vocabulary
    unknown = [
        w for w, (_, term) in zip(words, parsed, strict=True) if term and term not in vocabulary
    ]
    suggestions = {w: engine.speller.suggest(w) for w in dict.fromkeys(unknown)}
    suggestions = {w: s for w, s in suggestions.items() if s}
    corrected = None
    if unknown:
        missing = [w for w in unknown if w not in suggestions]
        if missing:
            what = plural(len(missing), "word", count=False)
            names = ", ".join(f"'{w}'" for w in missing)
            return Lookup(None, f"No document uses the {what} {names}.", suggestions)
        words = [suggestions[w][0] if w in suggestions else w for w in words]
        parsed = [reader.word(w) for w in words]
        corrected = " ".join(words)
    forms = tuple(form for form, _ in parsed)
    terms = tuple(term for _, term in parsed)
    return Lookup(Target(" ".join(words), forms, terms, stem), None, suggestions, corrected)


def candidate_rows(engine: Engine, target: Target, document: Document | None = None) -> np.ndarray:
    """Rows of the passages that hold every content term of `target` (ascending)."""
    index = engine.index
    rows: np.ndarray | None = None
    for term in sorted(
        set(target.content_terms), key=lambda t: index.doc_freq[index.vocabulary[t]]
    ):
        postings = index.postings(term)
        rows = postings if rows is None else np.intersect1d(rows, postings, assume_unique=True)
    if rows is None:
        return np.empty(0, dtype=np.int64)
    rows = rows.astype(np.int64)
    if document is not None:
        lo, hi = np.searchsorted(rows, [document.rows.start, document.rows.stop])
        rows = rows[lo:hi]
    return rows


def sample_rows(rows: np.ndarray, limit: int | None = None) -> tuple[np.ndarray, bool]:
    """At most `limit` (default `SCAN_LIMIT`) rows, evenly spaced over `rows`, so that every part
    of the corpus is seen."""
    limit = SCAN_LIMIT if limit is None else limit
    if rows.size <= limit:
        return rows, False
    picks = np.linspace(0, rows.size - 1, limit).round().astype(np.int64)
    return rows[np.unique(picks)], True


@dataclass(frozen=True, slots=True)
class Scan:
    """The passages read for one question, and whether they are a sample of those that qualify."""

    rows: np.ndarray  # read, ascending
    candidates: int  # passages that hold the target's terms
    sampled: bool

    @property
    def share(self) -> float:
        """The fraction of candidate passages read (1.0 when all were)."""
        return self.rows.size / self.candidates if self.candidates else 1.0


def plan_scan(
    engine: Engine, target: Target, document: Document | None = None, limit: int | None = None
) -> Scan:
    """Which passages to read for `target`: all that hold its terms, or an even sample of them."""
    rows = candidate_rows(engine, target, document)
    picked, sampled = sample_rows(rows, limit)
    return Scan(picked, int(rows.size), sampled)


def fast_pattern(target: Target, *, casefold: bool = True) -> re.Pattern[str] | None:
    """A regex that finds exactly the target's words in a passage whose words are all ASCII.

    Why it is exact there: in ASCII text the tokenizer's words are the runs of [A-Za-z0-9], and
    folding a word only lowers its case (when the analyzer folds case at all); so a word has the
    target's form when it equals it ignoring case, and a phrase's words are consecutive when only
    non-word characters stand between them. Not for stemmed targets, nor for a form that is not
    plain ASCII.
    """
    if target.stem and target.content_terms:
        return None
    if not all(f.isascii() and f.isalnum() for f in target.forms):
        return None
    body = r"[^A-Za-z0-9]+".join(re.escape(f) for f in target.forms)
    flags = re.ASCII | (re.IGNORECASE if casefold else 0)
    return re.compile(rf"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])", flags)


def find_spans(
    engine: Engine, target: Target, rows: Sequence[int] | np.ndarray
) -> Iterator[tuple[int, list[tuple[int, int]]]]:
    """For each row that holds `target`: the row and the character span of each occurrence.

    A passage whose words are all ASCII is searched with `fast_pattern` (a C-speed scan);
    any other is read word by word with the analyzer's tokenizer. Both find the same spans.
    """
    reader = reader_for(engine)
    passages = engine.corpus.passages
    pattern = fast_pattern(target, casefold=engine.analyzer.settings.casefold)
    for row in np.asarray(rows).tolist():
        spans = spans_in(passages[row].text, target, reader, pattern)
        if spans:
            yield row, spans


def spans_in(
    text: str, target: Target, reader: WordReader, pattern: re.Pattern[str] | None
) -> list[tuple[int, int]]:
    """The character spans of `target` in `text`: by `pattern` when the text allows it."""
    if pattern is not None and (text.isascii() or _NON_ASCII_WORD_RE.search(text) is None):
        return [m.span() for m in pattern.finditer(text)]
    tokens = reader.tokens(text)
    return [(tokens.spans[a][0], tokens.spans[b - 1][1]) for a, b in tokens.find(target)]


def other_forms(
    engine: Engine, target: Target, scan: Scan, limit: int = 5
) -> list[tuple[str, int]]:
    """Forms of the target's stem that do occur, most frequent first (for "try stem" hints)."""
    stemmed = Target(target.text, target.forms, target.terms, stem=True)
    counts: dict[str, int] = {}
    reader = reader_for(engine)
    passages = engine.corpus.passages
    for row, spans in find_spans(engine, stemmed, scan.rows[:2000]):
        for a, b in spans:
            form = reader.form_of(passages[row].text[a:b])
            counts[form] = counts.get(form, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def sample_note(scan: Scan) -> str | None:
    """The sentence that says a sample was read, or None."""
    if not scan.sampled:
        return None
    return (
        f"A very common word: read an evenly spaced sample of {scan.rows.size:,} of the "
        f"{scan.candidates:,} passages that hold it; counts are for the sample."
    )


def correction_note(corrected: str | None, typed: str) -> str | None:
    """The sentence that says a misspelt word was corrected, or None."""
    if corrected is None:
        return None
    return f"Showing occurrences of '{corrected}' (no document uses '{typed.strip()}')."


def nothing_found(engine: Engine, target: Target, scan: Scan, where: str | None) -> str:
    """Why a known word has no occurrence: another form is used, or it is not in this document."""
    place = f" in {where}" if where else ""
    if not target.stem and scan.candidates:
        forms = other_forms(engine, target, scan)
        if forms:
            listed = ", ".join(f"{form} ({n})" for form, n in forms)
            return (
                f"'{' '.join(target.forms)}' does not occur as written{place}; other forms do: "
                f"{listed}. Ask for all forms (stem) to include them."
            )
    if len(target.forms) > 1 and scan.candidates:
        words = plural(scan.candidates, "passage")
        return f"The words of '{target.text}' never stand together{place} ({words} hold them all)."
    return f"'{target.text}' does not occur{place}."
