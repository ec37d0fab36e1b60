"""Text pieces every renderer shares: escaping, bolding matched words, quoting, cutting to a budget.

Why one module: Discord markdown breaks in quiet ways when a passage's own characters (`*`, `_`,
`||`, backticks, a leading `> ` or `# `) meet the markup we add around them. Here every character
that could start markup is escaped first, and our own markup (`**`, `> `) is only ever added around
whole escaped pieces, so the output is balanced by construction. Cutting works on the source text
and re-renders the kept part, so a cut can never fall inside an escape or between two `**`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

from bot.rendering.limits import width

ELLIPSIS = "…"
ZWSP = "\u200b"

# Characters that start Discord markdown anywhere in a line; escaping any punctuation is harmless
# (Discord shows `\#` as `#`), so we escape generously. `<` stops `<@id>`, `<#id>`, `<t:…>`.
_MARKUP_RE = re.compile(r"([\\*_~|`>\[\]<#])")
# Block markup that only counts at the start of a line: lists, numbered lists, headers, subtext.
_LINE_START_RE = re.compile(r"^(\s*)([-+]|\d+[.)])(?=\s|$)")
_EVERYONE_RE = re.compile(r"@(everyone|here)", re.IGNORECASE)
# URLs are kept verbatim (an escape inside one breaks the link) and never get bold markers.
_URL_RE = re.compile(r"https?://[^\s<>\"`|*\\]+")
# Where Discord sees a link: on to the next whitespace or "<", over anything escaped after a URL.
_LINK_RE = re.compile(r"https?://[^\s<]*")
# C0/C1 controls (except newline and tab), and bidi overrides that could reorder the text nearby.
_UNSAFE_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

Span = tuple[int, int]


def clean(text: str) -> str:
    """Drop control and bidi-override characters: they render as nothing or reorder what follows."""
    return _UNSAFE_RE.sub("", text)


def escape(text: str, *, line_start: bool = False) -> str:
    """Escape `text` so Discord shows it literally: no markup, no mention, links left whole.

    `line_start`: the text begins a line, where `- `, `1. ` or `# ` would start a list or header.
    """
    text = clean(text)
    out: list[str] = []
    pos = 0
    for match in _URL_RE.finditer(text):
        out.append(_escape_plain(text[pos : match.start()]))
        out.append(_no_everyone(match.group()))  # a link must not smuggle in @everyone
        pos = match.end()
    out.append(_escape_plain(text[pos:]))
    escaped = "".join(out)
    if line_start:
        escaped = _LINE_START_RE.sub(lambda m: f"{m.group(1)}{_escape_marker(m.group(2))}", escaped)
    return escaped


def _escape_plain(text: str) -> str:
    return _no_everyone(_MARKUP_RE.sub(r"\\\1", text))


def _no_everyone(text: str) -> str:
    return _EVERYONE_RE.sub(lambda m: f"@{ZWSP}{m.group(1)}", text)


def code_block(text: str, language: str = "") -> str:
    """`text` shown verbatim in a fenced code block (for copying: a BibTeX entry).

    Nothing inside a code block is markup, but a backtick would close it: backticks become the
    look-alike `ˋ`, and `@everyone` is broken as everywhere else.
    """
    body = _no_everyone(clean(text)).replace("`", "ˋ")
    return f"```{language}\n{body}\n```"


def _escape_marker(marker: str) -> str:
    return marker[:-1] + "\\" + marker[-1]


def escape_cut(text: str, limit: int) -> str:
    """`escape(text)` within `limit`: the source text is cut (never an escape), then escaped.

    Line-start markers are escaped too: callers put the result at the start of a line (a
    document's site, a theme's description, a message), and `\\-` shows as `-` anywhere.
    """
    text = " ".join(clean(text).split())
    if width(escape(text, line_start=True)) <= limit:
        return escape(text, line_start=True)
    return _fit(text, limit, lambda kept: escape(kept, line_start=True) + ELLIPSIS, keep="start")[0]


def plain(text: str, limit: int) -> str:
    """Text for places Discord shows without markdown (footers, labels, choices): clean, cut."""
    return cut(" ".join(clean(text).split()), limit)


def cut(text: str, limit: int) -> str:
    """`text` cut to `limit` at a word boundary, with an ellipsis when anything was dropped."""
    if width(text) <= limit:
        return text
    return _fit(text, limit, lambda kept: kept + ELLIPSIS, keep="start")[0]


def cut_lines(text: str, limit: int) -> str:
    """`text` cut to whole lines within `limit` (a safety net: renderers budget their lines, and a
    line is the unit that holds its own markup, so dropping whole lines never breaks markdown)."""
    if width(text) <= limit:
        return text
    kept: list[str] = []
    used = width(ELLIPSIS)
    for line in text.split("\n"):
        if used + width(line) + 1 > limit:
            break
        kept.append(line)
        used += width(line) + 1
    if not kept:
        return cut(text, limit)
    return "\n".join([*kept, ELLIPSIS])


def bold_spans(text: str, spans: Sequence[Span] = (), *, line_start: bool = False) -> str:
    """Escape `text` and bold the spans (character offsets into `text`) as whole pieces."""
    text = clean_keep_offsets(text)
    links = [m.span() for m in _LINK_RE.finditer(text)]
    out: list[str] = []
    pos = 0
    for start, end in merge_spans(spans, len(text)):
        start, end = _strip_span(text, start, end)
        # `**` inside a link would show as is, and leave its partner outside unbalanced.
        if start >= end or any(s < end and start <= e for s, e in links):
            continue
        out.append(escape(text[pos:start], line_start=line_start and pos == 0))
        out.append(f"**{escape(text[start:end], line_start=line_start and start == 0)}**")
        pos = end
    out.append(escape(text[pos:], line_start=line_start and pos == 0))
    return "".join(out)


def clean_keep_offsets(text: str) -> str:
    """Like `clean`, but unsafe characters become spaces so highlight offsets stay valid."""
    return _UNSAFE_RE.sub(" ", text)


def merge_spans(spans: Sequence[Span], length: int) -> list[Span]:
    """Sorted, clipped, non-overlapping spans; touching spans merge (no `****` between them)."""
    merged: list[list[int]] = []
    for start, end in sorted((max(0, s), min(length, e)) for s, e in spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _strip_span(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def quote(
    text: str,
    spans: Sequence[Span] = (),
    *,
    limit: int,
    keep: str = "start",
    lead: bool = False,
    trail: bool = False,
) -> str:
    """`text` as a Discord block quote (`> ` on every line), spans bold, within `limit` chars.

    Cut at a word boundary when too long: `keep="start"` keeps the beginning and ends with "…",
    `keep="end"` keeps the end (for the passage *before* a quote). `lead`/`trail` add an ellipsis
    because `text` is already an excerpt of a longer passage.
    """

    def render(kept: str, offset: int, cut_start: bool, cut_end: bool) -> str:
        local = [(s - offset, e - offset) for s, e in spans]
        return _quote_lines(kept, local, lead or cut_start, trail or cut_end)

    if width(render(text, 0, False, False)) <= limit:
        return render(text, 0, False, False)
    if keep == "end":
        return _fit_end(text, limit, render)
    return _fit(text, limit, lambda kept: render(kept, 0, False, True), keep="start")[0]


def _quote_lines(text: str, spans: Sequence[Span], lead: bool, trail: bool) -> str:
    lines: list[str] = []
    pos = 0
    raw_lines = text.split("\n")
    for i, line in enumerate(raw_lines):
        line_spans = [(s - pos, e - pos) for s, e in spans if s < pos + len(line) and e > pos]
        rendered = bold_spans(line, line_spans, line_start=True).strip()
        pos += len(line) + 1
        if not rendered:
            continue
        if lead and not lines:
            rendered = ELLIPSIS + rendered
        if trail and i == len(raw_lines) - 1:
            rendered += ELLIPSIS
        lines.append("> " + rendered)
    if trail and lines and not lines[-1].endswith(ELLIPSIS):
        lines[-1] += ELLIPSIS
    return "\n".join(lines) or "> " + ELLIPSIS


def _boundaries(text: str) -> list[int]:
    """Cut points after which a word ends (whitespace follows), in ascending order."""
    return [m.start() for m in re.finditer(r"\s+", text) if m.start() > 0]


def _fit(text: str, limit: int, render: Callable[[str], str], keep: str) -> tuple[str, int]:
    """The longest prefix of `text` cut at a word boundary whose rendering fits in `limit`."""
    cuts = _boundaries(text)
    best = _largest(cuts, lambda k: width(render(text[:k].rstrip())) <= limit)
    if best is None:  # not even one word fits: cut inside the word, never inside a character
        chars = [k for k in range(1, len(text)) if not unicodedata.combining(text[k])]
        best = _largest(chars, lambda k: width(render(text[:k])) <= limit) or 0
    kept = text[:best].rstrip()
    rendered = render(kept)
    while width(rendered) > limit and kept:  # rendering is not strictly monotonic: step back
        kept = kept[:-1]
        rendered = render(kept)
    return rendered, len(kept)


def _fit_end(text: str, limit: int, render: Callable[[str, int, bool, bool], str]) -> str:
    """The longest suffix of `text` that starts at a word and fits in `limit` after an ellipsis."""

    def fits(k: int) -> bool:
        return width(render(text[k:], k, True, False)) <= limit

    starts = [m.end() for m in re.finditer(r"\s+", text) if m.end() < len(text)]
    # A later start is a shorter suffix, so "fits" only turns from False to True along `starts`:
    # the smallest fitting start is the negated largest of the negated list.
    best = _largest([-k for k in reversed(starts)], lambda k: fits(-k))
    if best is None:  # not even the last word fits: keep whole characters from the end
        chars = [k for k in range(len(text)) if not unicodedata.combining(text[k])]
        best = _largest([-k for k in reversed(chars)], lambda k: fits(-k))
        if best is None:
            return "> " + ELLIPSIS
    return render(text[-best:], -best, True, False)


def _largest(candidates: Sequence[int], ok: Callable[[int], bool]) -> int | None:
    """The largest candidate (ascending list) that is ok, by binary search; None if none is."""
    lo, hi, best = 0, len(candidates) - 1, None
    while lo <= hi:
        mid = (lo + hi) // 2
        if ok(candidates[mid]):
            best = candidates[mid]
            lo = mid + 1
        else:
            hi = mid - 1
    return best
