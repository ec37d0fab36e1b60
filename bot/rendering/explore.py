"""Exploration answers as Discord pages: concordance lines, collocate and keyword tables, trends
with their charts, and the themes heatmap.

Why a concordance looks like this: the point of KWIC is that every occurrence lines up, so the left
context sits in an inline code span padded to one width (monospace, so the matches start in one
column), the match is bold, the right context follows. Code spans show text verbatim, so the
source's own characters need no markdown escapes there; only what could still break out of a span
or ping someone is neutralised (a backtick, a mention). Tables of numbers are code blocks, whose
words are index forms (letters and digits only). Charts are attached to the embed that shows them,
and the same numbers are in the embed as text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from bot.engine.collocates import CollocateResult
from bot.engine.keywords import KeywordResult
from bot.engine.kwic import Concordance, ConcordanceLine
from bot.engine.themes import ThemeOverview
from bot.engine.trend import Trend, TrendPoint
from bot.engine.wording import plural, short_labels
from bot.rendering import charts, limits
from bot.rendering.pages import (
    Image,
    Page,
    Pages,
    PassageChoice,
    embed,
    with_page_numbers,
)
from bot.rendering.text import ZWSP, clean, escape, escape_cut, plain, quote

KWIC_PER_PAGE = 10
DISCORD_WIDTH = 24  # characters of context each side that still fit one line of an embed
COLLOCATES_PER_PAGE = 20
KEYWORDS_PER_PAGE = 5
TABLE_ROWS = 15  # rows of a trend table (the highest rates when there are more points)
FOOTER_DOCS = 8  # documents named in a concordance footer
HEATMAP_COLUMNS = 15
HEATMAP_ROWS = 20
NBSP = "\u00a0"
TREND_FILE, DATES_FILE, THEMES_FILE = "trend.png", "trend-dates.png", "themes.png"
_MENTION_RE = re.compile(r"@(everyone|here)|<(?=[@#:])", re.IGNORECASE)


# -- concordance ---------------------------------------------------------------------------------


def code_text(text: str) -> str:
    """Text for inside code (a span or a block): shown verbatim, so no markdown escapes, but no
    backtick (it would close the code) and no mention that could ping or render."""
    text = clean(text).replace("`", "ˋ")
    text = _MENTION_RE.sub(lambda m: f"@{ZWSP}{m.group(1)}" if m.group(1) else f"<{ZWSP}", text)
    if text.endswith("\\"):
        text += NBSP  # a final backslash must not look like it escapes the closing backtick
    return text


def code_span(text: str, *, pad_to: int = 0) -> str:
    """`text` in an inline code span: whitespace collapsed, left-padded with no-break spaces to
    `pad_to` characters (so spans line up)."""
    text = code_text(" ".join(text.split()))
    text = NBSP * max(0, pad_to - len(text)) + text
    return f"`{text}`" if text else ""


def kwic_line(line: ConcordanceLine, width: int) -> str:
    """left · **match** · right, the left context right-aligned to `width` characters."""
    left = code_span(_last_chars(line.left, width), pad_to=width)
    match = f"**{escape(' '.join(clean(line.match).split()))}**"
    right = code_span(_first_chars(line.right, width))
    return " ".join(part for part in (left, match, right) if part)


def _last_chars(text: str, width: int) -> str:
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[-width:]
    return cut.split(" ", 1)[1] if " " in cut else cut


def _first_chars(text: str, width: int) -> str:
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[:width]
    return cut.rsplit(" ", 1)[0] if " " in cut else cut


def render_kwic(
    result: Concordance,
    *,
    version: str,
    width: int = DISCORD_WIDTH,
    document_title: str | None = None,
) -> Pages:
    """A concordance: a header with counts, then pages of aligned lines, each with its source."""
    width = max(8, min(width, 60))
    query = result.target or result.query
    title = "KWIC: " + escape_cut(query, limits.EMBED_TITLE - 6)
    head = []
    if document_title:
        head.append("Only in " + escape_cut(document_title, 200))
    if result.total:
        docs = plural(len(result.by_doc), "document")
        head.append(f"**{plural(result.total, 'occurrence')}** in {docs}, sorted by {result.sort}.")
    if result.stem and len(result.forms) > 1:
        forms = " · ".join(f"{escape_cut(f, 40)} {n}" for f, n in list(result.forms.items())[:8])
        head.append("Forms: " + forms)
    if result.truncated:
        head.append(
            f"The first {len(result.lines):,} lines are shown; `corpus-bot kwic --json` lists "
            "every one."
        )
    if result.message:
        head.append(escape_cut(result.message, 600))
    header = "\n".join(head)
    footer = _kwic_footer(result, version)
    if not result.lines:
        text = header or "Nothing to show."
        return Pages((Page(embeds=(embed(title=title, description=text, footer=footer),)),))
    pages = []
    lines = result.lines
    for first in range(0, len(lines), KWIC_PER_PAGE):
        chunk = lines[first : first + KWIC_PER_PAGE]
        blocks = [header] if header else []
        blocks += [
            f"{kwic_line(line, width)}\n{_where(line, first + i + 1)}"
            for i, line in enumerate(chunk)
        ]
        seen = dict.fromkeys((line.passage_id, line) for line in chunk)
        choices = _choices([line for _, line in seen])
        pages.append(
            Page(
                embeds=(embed(title=title, description="\n\n".join(blocks), footer=footer),),
                passages=choices,
            )
        )
    return Pages(with_page_numbers(pages, footer))


def _where(line: ConcordanceLine, number: int) -> str:
    return f"-# {number}. {escape_cut(line.title, 60)} · ¶{line.ordinal} · `{line.passage_id}`"


def _choices(lines: Sequence[ConcordanceLine]) -> tuple[PassageChoice, ...]:
    out: dict[str, PassageChoice] = {}
    for line in lines:
        if line.passage_id not in out:
            label = plain(f"{line.title}", limits.SELECT_OPTION_TEXT - 12) + f" · ¶{line.ordinal}"
            out[line.passage_id] = PassageChoice(line.passage_id, label)
    return tuple(out.values())[: limits.SELECT_OPTIONS]


def _kwic_footer(result: Concordance, version: str) -> str:
    parts = [f"corpus {version}", plural(result.total, "occurrence")]
    if result.by_doc:
        labels = short_labels(result.by_doc)
        shown = [f"{labels[d]} {n}" for d, n in list(result.by_doc.items())[:FOOTER_DOCS]]
        more = len(result.by_doc) - FOOTER_DOCS
        parts.append("per document: " + ", ".join(shown) + (f" +{more} more" if more > 0 else ""))
    if result.sampled:
        parts.append(f"sample of {result.passages_read:,} of {result.candidates:,} passages")
    return " · ".join(parts)


# -- collocates ----------------------------------------------------------------------------------


def render_collocates(result: CollocateResult, *, version: str) -> Pages:
    """The collocates as a table: co-occurrences (left/right), corpus frequency, LL, MI and t."""
    title = "Collocates: " + escape_cut(result.target or result.query, limits.EMBED_TITLE - 12)
    head = []
    if result.node_frequency:
        head.append(
            f"**{plural(result.node_frequency, 'occurrence')}**, window ±{result.window} words, "
            f"ranked by {result.measure_name}; at least {result.min_freq} together."
        )
    if result.message:
        head.append(escape_cut(result.message, 600))
    header = "\n".join(head)
    footer = (
        f"corpus {version} · N = {result.corpus_terms:,} words (stop words not counted) · "
        f"{result.window_slots:,} window slots"
    )
    rows = result.collocates
    if not rows:
        return Pages((Page(embeds=(embed(title=title, description=header, footer=footer),)),))
    pages = []
    for first in range(0, len(rows), COLLOCATES_PER_PAGE):
        chunk = rows[first : first + COLLOCATES_PER_PAGE]
        table = [f"{'word':<14} {'n':>4} {'L/R':>7} {'freq':>6} {'LL':>7} {'MI':>5} {'t':>5}"]
        table += [
            f"{charts.short(c.word, 14):<14} {c.together:>4} {f'{c.left}/{c.right}':>7} "
            f"{c.frequency:>6} {c.ll:>7.1f} {_fixed(c.mi, 5)} {c.t:>5.2f}"
            for c in chunk
        ]
        legend = "n = within the window (L left, R right of it) · freq = in the whole corpus"
        description = "\n".join([header, "```text", *table, "```", legend]).strip()
        pages.append(Page(embeds=(embed(title=title, description=description, footer=footer),)))
    return Pages(with_page_numbers(pages, footer), actions=())


def _fixed(value: float, width: int) -> str:
    return f"{value:>{width}.2f}" if math.isfinite(value) else f"{'–':>{width}}"


# -- keywords ------------------------------------------------------------------------------------


def render_keywords(result: KeywordResult, *, version: str) -> Pages:
    """Keywords with their counts here and in the rest, keyness and effect size, and an example."""
    title = "Keywords: " + escape_cut(result.title, limits.EMBED_TITLE - 10)
    head = [
        f"Against the rest of the corpus: {result.document_terms:,} words here, "
        f"{result.reference_terms:,} in the rest (stop words not counted). Log-likelihood ≥ "
        f"{result.threshold} (p < {result.p}), used at least {result.min_freq} times."
    ]
    if result.message:
        head.append(escape_cut(result.message, 600))
    header = "\n".join(head)
    footer = f"corpus {version} · {result.doc_id} · {plural(len(result.keywords), 'keyword')}"
    if not result.keywords:
        return Pages((Page(embeds=(embed(title=title, description=header, footer=footer),)),))
    pages = []
    keywords = result.keywords
    for first in range(0, len(keywords), KEYWORDS_PER_PAGE):
        blocks = [header]
        choices = []
        for i, k in enumerate(keywords[first : first + KEYWORDS_PER_PAGE], start=first + 1):
            head_line = (
                f"**{i}. {escape(k.word)}** · {k.frequency:,} here ({k.per_10k:,.1f} per 10k) vs "
                f"{k.reference_frequency:,} in the rest ({k.reference_per_10k:,.1f}) · "
                f"LL {k.ll:,.1f} · Log Ratio {k.log_ratio:+.2f}"
            )
            block = [head_line]
            if k.example is not None:
                e = k.example
                block.append(quote(e.text, e.highlights, limit=500))
                block.append(f"-# ¶{e.ordinal} · `{e.passage_id}`")
                choices.append(
                    PassageChoice(e.passage_id, plain(f"{i} · {k.word} · ¶{e.ordinal}", 90))
                )
            blocks.append("\n".join(block))
        pages.append(
            Page(
                embeds=(embed(title=title, description="\n\n".join(blocks), footer=footer),),
                passages=tuple(dict((c.passage_id, c) for c in choices).values()),
            )
        )
    return Pages(with_page_numbers(pages, footer))


# -- trend ---------------------------------------------------------------------------------------


def render_trend(result: Trend, *, version: str) -> Pages:
    """The relative frequencies as a table in the embed and as a chart attached to it."""
    what = result.target or result.query
    title = "Trend: " + escape_cut(what, limits.EMBED_TITLE - 7)
    where = (
        f"by section of {escape_cut(result.doc_title or '', 150)}"
        if result.by == "section"
        else "by document"
    )
    head = []
    if result.points:
        counted = "the theme's terms and phrases" if result.kind == "theme" else "the word"
        head.append(
            f"Occurrences of {counted} per 10,000 words, {where}: **{result.total:,}** in "
            f"{result.words:,} words overall, {result.per_10k:,.1f} per 10k."
        )
    if result.message:
        head.append(escape_cut(result.message, 600))
    footer = f"corpus {version} · words counted as /docs counts them"
    if result.sampled:
        footer += f" · estimated from {result.passages_read:,} of {result.candidates:,} passages"
    if not result.total:
        return Pages(
            (Page(embeds=(embed(title=title, description="\n".join(head), footer=footer),)),)
        )
    shown = _table_points(result.points)
    table = _trend_table(shown, len(result.points), sections=result.by == "section")
    images = trend_images(result)
    main = embed(title=title, description="\n".join([*head, table]), footer=footer)
    main["image"] = {"url": images[0].url}
    embeds = [main]
    if result.dates:
        left_out = ""
        if result.undated:
            verb = "is" if result.undated == 1 else "are"
            left_out = f"\n{plural(result.undated, 'document')} without a date {verb} left out."
        dated = embed(
            title="By date: " + escape_cut(what, limits.EMBED_TITLE - 9),
            description=_trend_table(list(result.dates)[-TABLE_ROWS:], len(result.dates))
            + left_out,
        )
        dated["image"] = {"url": images[1].url}
        embeds.append(dated)
    return Pages((Page(embeds=tuple(embeds), files=images),))


def trend_images(result: Trend) -> tuple[Image, ...]:
    """The trend's charts: by document (or section), then by date when documents have dates;
    none when nothing was counted."""
    if not result.total:
        return ()
    images = [_trend_chart(result, _table_points(result.points))]
    if result.dates:
        images.append(_dates_chart(result))
    return tuple(images)


def _table_points(points: Sequence[TrendPoint]) -> list[TrendPoint]:
    """All points in their order when they fit, else the highest rates."""
    if len(points) <= TABLE_ROWS:
        return list(points)
    return sorted(points, key=lambda p: (-p.per_10k, -p.count))[:TABLE_ROWS]


def _trend_table(points: Sequence[TrendPoint], total: int, *, sections: bool = False) -> str:
    rows = [f"{'':<18} {'count':>7} {'words':>9} {'per 10k':>8}"]
    for p in points:
        label = charts.short(f"{p.label} {p.title}" if sections else p.label, 18)
        rows.append(f"{label:<18} {p.count:>7,} {p.words:>9,} {p.per_10k:>8.1f}")
    note = f"\nThe {len(points)} highest of {total:,}." if total > len(points) else ""
    body = "\n".join(code_text(r) for r in rows)  # labels can be section headings
    return f"```text\n{body}\n```{note}"


def _trend_chart(result: Trend, points: Sequence[TrendPoint]) -> Image:
    what = charts.short(result.target or result.query, 30)
    if result.by == "section":
        labels = [f"{p.label} {p.title}" for p in points]
        ylabel, title = "section", f"“{what}” by section"
    else:
        labels = [p.label for p in points]
        ylabel, title = "document", f"“{what}” by document"
    note = None
    if len(result.points) > len(points):
        note = f"The {len(points)} highest of {len(result.points):,} {ylabel}s"
    data = charts.bar_chart(
        labels,
        [p.per_10k for p in points],
        title=title,
        xlabel="occurrences per 10,000 words",
        ylabel=ylabel,
        note=note,
    )
    return Image(TREND_FILE, data, f"Bar chart: {title}, occurrences per 10,000 words")


def _dates_chart(result: Trend) -> Image:
    what = charts.short(result.target or result.query, 30)
    title = f"“{what}” over time"
    data = charts.line_chart(
        [p.key for p in result.dates],
        [p.per_10k for p in result.dates],
        title=title,
        xlabel="date",
        ylabel="per 10,000 words",
        note=f"{plural(result.undated, 'document')} without a date left out"
        if result.undated
        else None,
    )
    return Image(DATES_FILE, data, f"Line chart: {title}, occurrences per 10,000 words")


# -- themes heatmap ------------------------------------------------------------------------------


def themes_heatmap(overview: ThemeOverview) -> Image:
    """Themes × documents, coloured by the share of each document's passages touching the theme."""
    docs = list(overview.documents)
    totals = {
        d.doc_id: sum(overview.counts[t.name][d.doc_id] for t in overview.themes) for d in docs
    }
    if len(docs) > HEATMAP_COLUMNS:
        keep = set(sorted(totals, key=lambda d: (-totals[d], d))[:HEATMAP_COLUMNS])
        docs = [d for d in docs if d.doc_id in keep]
    themes = list(overview.themes)
    if len(themes) > HEATMAP_ROWS:
        by_total = {t.name: sum(overview.counts[t.name].values()) for t in themes}
        keep_t = set(sorted(by_total, key=lambda n: (-by_total[n], n))[:HEATMAP_ROWS])
        themes = [t for t in themes if t.name in keep_t]
    labels = short_labels([d.doc_id for d in docs])
    note = None
    if len(docs) < len(overview.documents) or len(themes) < len(overview.themes):
        note = (
            f"{len(themes)} of {len(overview.themes)} themes × the {len(docs)} of "
            f"{len(overview.documents):,} documents with the most theme passages"
        )
    data = charts.heatmap(
        [t.name for t in themes],
        [labels[d.doc_id] for d in docs],
        [[overview.shares.get(t.name, {}).get(d.doc_id, 0.0) for d in docs] for t in themes],
        [[overview.counts[t.name][d.doc_id] for d in docs] for t in themes],
        title="Themes × documents",
        xlabel="document",
        ylabel="theme",
        colour_label="share of the document's passages",
        note=note,
    )
    return Image(THEMES_FILE, data, "Heatmap of themes by documents: passages touching each theme")


def with_image(pages: Pages, image: Image) -> Pages:
    """Every page shows `image` under its first embed (a turned page re-sends it)."""
    out = []
    for page in pages.pages:
        if page.embeds:
            first = dict(page.embeds[0])
            first["image"] = {"url": image.url}
            page = Page(
                embeds=(first, *page.embeds[1:]),
                content=page.content,
                passages=page.passages,
                files=(*page.files, image),
            )
        out.append(page)
    return Pages(tuple(out), pages.ephemeral_hint, pages.actions)
