"""From cleaned lines to the passages a reader would quote, with titles and sections.

Why these rules: a scraped article is a title, headings and paragraphs, sometimes one paragraph
per line and sometimes hard-wrapped; readers quote paragraphs, want a list to come with the
sentence that introduces it, and cannot use a three-word fragment or a 3,000-character wall.
Nothing here knows the seed documents: the rules are about the shape of text.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from bot.engine.cleaning import Line
from bot.engine.model import Passage
from bot.engine.sentences import sentence_spans
from bot.settings import PassageSettings

SENTENCE_END = (".", "!", "?", "…", '"', "”", "’", ")", ":", ";")
NO_HEADING_END = (".", "!", "?", ":", ";", ",", "…")
SITE_SEPARATORS = (" - ", " | ", " – ", " — ")
BULLET_MARK = "• "
HEADING_MAX_CHARS = 120
# A speaker label opening an interview turn: "Interviewer:", "R1:", "Q:", "Dr. Ana López:".
SPEAKER_RE = re.compile(r"^(?P<label>[^\W\d_][\w'’.\-]*(?: [\w'’.\-]+){0,3}?)\s?:\s+(?=\S)")
SPEAKER_MAX_CHARS = 40
# A document is a transcript when at least this share of its paragraphs open with a label, with
# at least TURNS_MIN labelled lines and two speakers: one "Note:" paragraph does not make one.
TRANSCRIPT_SHARE = 0.5
TURNS_MIN = 3


@dataclass(slots=True)
class Block:
    """A paragraph, list, table or interview turn being assembled, and its lines."""

    lines: list[Line] = field(default_factory=list)
    is_list: bool = False
    is_table: bool = False  # rows, one per line
    speaker: str | None = None  # an interview turn: a passage of its own

    @property
    def text(self) -> str:
        parts: list[str] = []
        for line in self.lines:
            if line.bullet:
                parts.append("\n" + BULLET_MARK + line.text)
            elif (
                parts
                and not parts[-1].startswith("\n" + BULLET_MARK)
                and not self.is_list
                and not self.is_table
            ):
                parts.append(" " + line.text)  # a hard-wrapped paragraph
            else:
                parts.append(("\n" if parts else "") + line.text)
        return "".join(parts).strip()


@dataclass(frozen=True, slots=True)
class Chunk:
    """A passage before it has an id: text, section and source span."""

    text: str
    section: str | None
    start: int
    end: int
    speaker: str | None = None  # a turn of an interview: never merged with its neighbours


@dataclass(frozen=True, slots=True)
class Locator:
    """Where a passage stands, beyond its document and ¶: lines, pages, speaker, time."""

    line_start: int | None = None
    line_end: int | None = None
    page: str | None = None
    page_end: str | None = None
    speaker: str | None = None
    timestamp: str | None = None


@dataclass(frozen=True, slots=True)
class Layout:
    """What the lines of one document say about it: title, site, headings and chunks."""

    title: str
    site: str | None
    sections: tuple[str, ...]
    chunks: tuple[Chunk, ...]


def read_layout(
    lines: Sequence[Line | None],
    settings: PassageSettings,
    fallback: str,
    guess_headings: bool = True,
    known_title: str | None = None,
) -> Layout:
    """Title, site, sections and passage chunks of one document's cleaned lines.

    `guess_headings=False` where the format marks its headings: then only marked lines are
    headings. `known_title` is the title the file's metadata gives: the first line is taken as
    the title only when it says the same, else it stays a passage.
    """
    body = list(lines)
    title, site = _take_title(body, settings, fallback, guess_headings, known_title)
    blocks: list[tuple[str | None, Block]] = []
    sections: list[str] = []
    section: str | None = None
    current = Block()
    pending_break = False

    def flush() -> None:
        nonlocal current
        if current.lines:
            blocks.append((section, current))
        current = Block()

    for i, line in enumerate(body):
        if line is None:
            pending_break = True
            continue
        if _is_heading(body, i, settings, guess_headings):
            flush()
            section = line.text
            sections.append(section)
            pending_break = False
            continue
        ends_turn = current.speaker is not None and line.speaker != current.speaker
        if (ends_turn or current.is_table) and not line.table_row:
            flush()  # a turn or a table ends: what follows starts afresh
        if line.turn_start:
            flush()
            current.lines.append(line)
            current.speaker = line.speaker
        elif line.speaker is not None and current.speaker == line.speaker:
            current.lines.append(line)  # the turn goes on
        elif line.table_row:
            if current.lines and (pending_break or not current.is_table):
                flush()
            current.lines.append(line)
            current.is_table = True
        elif line.bullet:
            intro = current.lines and (current.is_list or current.lines[-1].text.endswith(":"))
            if not intro:
                flush()
            current.lines.append(line)
            current.is_list = True
        elif (
            current.lines
            and not pending_break
            and not current.is_list
            and _continues(current.lines[-1], line)
        ):
            current.lines.append(line)
        else:
            flush()
            current.lines.append(line)
        pending_break = False
    flush()
    chunks = _merge_short(blocks, settings.min_chars)
    chunks = [piece for chunk in chunks for piece in _split_long(chunk, settings.max_chars)]
    return Layout(title, site, tuple(dict.fromkeys(sections)), tuple(chunks))


def _take_title(
    body: list[Line | None],
    settings: PassageSettings,
    fallback: str,
    guess: bool = True,
    known: str | None = None,
) -> tuple[str, str | None]:
    """Remove and return the title line (and its repeat), and the site named after it.

    The title is the first non-empty line when it reads like a title; when the document opens with
    a paragraph instead, the opening stays a passage and the first heading names the document.
    """
    first = _next_line(body, 0)
    if known is not None:
        if first is not None and _fold(body[first]) == " ".join(known.casefold().split()):
            body[first] = None
        return known, None
    if first is None:
        return fallback, None
    line = body[first]
    assert line is not None
    if not _looks_like_title(line, settings) or (not guess and _one_of_several_tops(body, line)):
        for i, cand in enumerate(body):
            if cand is not None and _is_heading(body, i, settings, guess):
                return cand.text, None
        return fallback, None
    body[first] = None
    title, site = line.text, None
    nxt = _next_line(body, first + 1)
    if nxt is not None:
        following = body[nxt]
        assert following is not None
        if following.text == title:
            body[nxt] = None
        else:
            for sep in SITE_SEPARATORS:
                head, found, tail = title.rpartition(sep)
                if found and head.strip() == following.text and tail.strip():
                    title, site = head.strip(), tail.strip()
                    body[nxt] = None
                    break
    return title, site


def _one_of_several_tops(body: Sequence[Line | None], line: Line) -> bool:
    """Whether `line` is a heading with others at its level or above: a section, not the title
    (a document's single top heading is its title, as `# Title` is in Markdown)."""
    level = line.heading_level
    if not level:
        return False
    return sum(1 for b in body if b is not None and 0 < b.heading_level <= level) > 1


def _fold(line: Line | None) -> str:
    return " ".join(line.text.casefold().split()) if line is not None else ""


def _looks_like_title(line: Line, settings: PassageSettings) -> bool:
    if line.heading_level:
        return True
    if line.table_row or line.speaker is not None:
        return False
    words = len(line.text.split())
    return (
        not line.bullet
        and words <= settings.heading_max_words + 6
        and len(line.text) <= HEADING_MAX_CHARS + 40
        and not line.text.endswith((".", "!", "?", ";", ","))
    )


def _is_heading(
    body: Sequence[Line | None], i: int, settings: PassageSettings, guess: bool = True
) -> bool:
    """A short line without sentence punctuation, followed by body text (or a markdown heading).

    With `guess` False only lines marked as headings (`heading_level`) are headings.
    """
    line = body[i]
    if line is None or line.bullet:
        return False
    if line.heading_level:
        return True
    if not guess or line.table_row or line.speaker is not None:
        return False
    if not _short_unpunctuated(line, settings):
        return False
    nxt = _next_line(body, i + 1)
    if nxt is None:
        return False
    following = body[nxt]
    assert following is not None
    if following.heading_level or following.bullet:
        return following.heading_level > 0
    if _continues(line, following):
        return False  # a hard-wrapped sentence, not a heading
    if _short_unpunctuated(following, settings):
        # Two short lines in a row: a heading and its sub-heading, when body text follows.
        after = _next_line(body, nxt + 1)
        nxt_line = body[after] if after is not None else None
        return nxt_line is not None and not _short_unpunctuated(nxt_line, settings)
    return True


def _short_unpunctuated(line: Line, settings: PassageSettings) -> bool:
    text = line.text
    return (
        len(text.split()) <= settings.heading_max_words
        and len(text) <= HEADING_MAX_CHARS
        and not text.endswith(NO_HEADING_END)
        and not text[:1].islower()
    )


def _continues(previous: Line, line: Line) -> bool:
    """Whether `line` continues `previous` as one hard-wrapped paragraph."""
    return not previous.text.endswith(SENTENCE_END) and line.text[:1].islower()


def _next_line(body: Sequence[Line | None], i: int) -> int | None:
    for j in range(i, len(body)):
        if body[j] is not None:
            return j
    return None


def _merge_short(blocks: list[tuple[str | None, Block]], min_chars: int) -> list[Chunk]:
    """Fragments too short to stand alone join the next block of their section (or the previous)."""
    chunks: list[Chunk] = []
    carry: Chunk | None = None
    for section, block in blocks:
        start, end = block.lines[0].start, block.lines[-1].end
        chunk = Chunk(block.text, section, start, end, block.speaker)
        if chunk.speaker is not None:  # a turn stands alone, however short
            if carry is not None:
                chunks.append(_join_previous(chunks, carry))
                carry = None
            chunks.append(chunk)
            continue
        if carry is not None and carry.section == section:
            chunk = Chunk(carry.text + "\n" + chunk.text, section, carry.start, chunk.end)
        elif carry is not None:
            chunks.append(_join_previous(chunks, carry))
        carry = None
        if len(chunk.text) < min_chars:
            carry = chunk
        else:
            chunks.append(chunk)
    if carry is not None:
        chunks.append(_join_previous(chunks, carry))
    return [c for c in chunks if c is not None]


def _join_previous(chunks: list[Chunk], short: Chunk) -> Chunk:
    """Append a trailing fragment to the previous chunk of its section, or keep it alone."""
    if chunks and chunks[-1].section == short.section and chunks[-1].speaker is None:
        prev = chunks.pop()
        return Chunk(prev.text + "\n" + short.text, prev.section, prev.start, short.end)
    return short


def _split_long(chunk: Chunk, max_chars: int) -> list[Chunk]:
    """Split an over-long chunk at sentence boundaries into pieces of at most `max_chars`.

    Pieces are balanced (a 1,300-character paragraph becomes two of ~650, not 1,200 + 100). The
    source span of each piece is estimated by proportion, since cleaning changed spacing.
    """
    text = chunk.text
    if len(text) <= max_chars:
        return [chunk]
    spans = sentence_spans(text)
    n_pieces = -(-len(text) // max_chars)
    target = len(text) / n_pieces
    pieces: list[tuple[int, int]] = []
    start = spans[0][0]
    for a, b in spans:
        if a > start and (b - start > max_chars or a - start >= target):
            pieces.append((start, _rstrip(text, a)))
            start = a
    pieces.append((start, spans[-1][1]))
    out = []
    width = chunk.end - chunk.start
    for a, b in pieces:
        for lo, hi in _hard_cut(text, a, b, max_chars):
            src_a = chunk.start + round(width * lo / len(text))
            src_b = chunk.start + round(width * hi / len(text))
            out.append(Chunk(text[lo:hi], chunk.section, src_a, src_b, chunk.speaker))
    return out


def _hard_cut(text: str, a: int, b: int, max_chars: int) -> list[tuple[int, int]]:
    """A single sentence longer than `max_chars` is cut at word boundaries."""
    out = []
    while b - a > max_chars:
        cut = text.rfind(" ", a, a + max_chars)
        cut = cut if cut > a else a + max_chars
        out.append((a, cut))
        a = cut + 1 if text[cut : cut + 1] == " " else cut
    out.append((a, b))
    return out


def _rstrip(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def passage_id(doc_id: str, text: str, occurrence: int) -> str:
    """A stable id: same document and same words → same id, across runs and reloads.

    Derived from the words, not the position, so a citation never silently points at other words
    after the corpus changes: it keeps working, or it clearly no longer exists.
    """
    words = " ".join(text.split())
    key = f"{doc_id}\x00{words}\x00{occurrence}".encode()
    return hashlib.blake2b(key, digest_size=6).hexdigest()


def make_passages(
    doc_id: str,
    title: str,
    chunks: Sequence[Chunk],
    first_row: int,
    locate: Callable[[Chunk], Locator] | None = None,
) -> list[Passage]:
    """Give chunks their ids, ordinals, index rows and (with `locate`) their locators."""
    seen: dict[str, int] = {}
    out = []
    for i, chunk in enumerate(chunks):
        n = seen.get(chunk.text, 0)
        seen[chunk.text] = n + 1
        where = locate(chunk) if locate is not None else Locator(speaker=chunk.speaker)
        out.append(
            Passage(
                id=passage_id(doc_id, chunk.text, n),
                doc_id=doc_id,
                title=title,
                section=chunk.section,
                ordinal=i + 1,
                text=chunk.text,
                start=chunk.start,
                end=chunk.end,
                row=first_row + i,
                line_start=where.line_start,
                line_end=where.line_end,
                page=where.page,
                page_end=where.page_end,
                speaker=where.speaker,
                timestamp=where.timestamp,
            )
        )
    return out


def mark_turns(lines: Sequence[Line | None]) -> list[Line | None]:
    """The lines of an interview transcript as turns: each label opens a turn (the label moves
    to `speaker`), and the lines after it belong to that turn until the next label or heading.

    Lines are left as they are unless the document reads as a transcript: enough of its
    paragraphs open with a speaker label, and at least two speakers talk.
    """
    out = list(lines)
    labels: dict[int, tuple[str, int]] = {}
    paragraphs = opened = 0
    previous: Line | None = None
    for i, line in enumerate(out):
        if line is None or line.heading_level:
            previous = None
            continue
        label = _speaker_label(line)
        if label is not None:
            labels[i] = label
        if previous is None:
            paragraphs += 1
            opened += label is not None
        previous = line
    speakers = Counter(name for name, _ in labels.values())
    if len(labels) < TURNS_MIN or len(speakers) < 2 or opened < TRANSCRIPT_SHARE * paragraphs:
        return out
    speaker: str | None = None
    for i, line in enumerate(out):
        if line is None:
            continue
        if line.heading_level:
            speaker = None
        elif i in labels:
            speaker, cut = labels[i]
            rest = line.text[cut:]
            out[i] = replace(
                line, text=rest, start=line.start + cut, speaker=speaker, turn_start=True
            )
        elif speaker is not None:
            out[i] = replace(line, speaker=speaker)
    return out


def _speaker_label(line: Line) -> tuple[str, int] | None:
    """(label, where the words start) when the line opens with a speaker label."""
    if line.bullet or line.table_row:
        return None
    m = SPEAKER_RE.match(line.text)
    if m is None:
        return None
    label = m.group("label").rstrip(".")
    words = label.split()
    if len(label) > SPEAKER_MAX_CHARS or not all(w[0].isupper() or w[0].isdigit() for w in words):
        return None
    return label, m.end()
