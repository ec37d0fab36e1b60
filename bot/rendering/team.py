"""The team's work as pages: codings quoted with their sources, counts, agreement, memos, quotes.

Why pure: the cogs and the console show the same pages, and the tests check them against
Discord's limits without Discord. Everything a member typed — code names, memos, collection
names, display names — is escaped here (`escape`, `escape_cut`), so a memo holding `@everyone`,
`<@123>` or `**markdown**` is shown as the characters it is and never pings or formats.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.engine.model import Source
from bot.engine.wording import plural
from bot.rendering import limits
from bot.rendering.pages import Page, Pages, PassageChoice, embed, notice, with_page_numbers
from bot.rendering.search import SEPARATOR, source_line
from bot.rendering.text import cut_lines, escape_cut, plain, quote
from bot.store import NEEDS_ATTENTION, Agreement, Code, CodeCount, Coding, Memo, ReanchorReport
from bot.store.model import Collection, SavedQuote

ATTENTION = "⚠️ needs attention: this quote is no longer in its document (kept as it was)"
MEMO_SHOWN = 600  # characters of one memo shown under a passage or a coding
QUOTE_BUDGET = 700  # characters of one quote on a /coded or /collection page
MAX_CODE_OPTIONS = 25  # Discord's options in one select menu
DONE_COLOUR = 0x22C55E


@dataclass(frozen=True, slots=True)
class Quoted:
    """A coding or saved quote with where it stands now (None: its passage is gone)."""

    passage_id: str
    doc_id: str
    quote: str
    status: str
    source: Source | None
    doc_title: str


def where(q: Quoted) -> str:
    """The source line of a quote, or its document and old passage id when the passage is gone."""
    if q.source is not None:
        return source_line(q.source)
    title = escape_cut(q.doc_title or q.doc_id, 200)
    return (
        f"{title} · passage `{plain(q.passage_id, 64).replace('`', '')}` (no longer in the corpus)"
    )


def quoted_block(q: Quoted, head: str, limit: int) -> str:
    """`head` and the source line, the quote as a block quote, and the needs-attention mark."""
    lines = [f"{head} {where(q)}".strip()]
    if q.status == NEEDS_ATTENTION:
        lines.append(ATTENTION)
    room = max(60, limit - sum(limits.width(x) + 1 for x in lines))
    lines.append(quote(q.quote, limit=room))
    return "\n".join(lines)


def with_team_actions(pages: Pages) -> Pages:
    """The answer with Code… and Save offered for its quotes (search results, a passage)."""
    extra = tuple(a for a in ("code", "save") if a not in pages.actions)
    return Pages(pages.pages, pages.ephemeral_hint, (*pages.actions, *extra))


def done(text: str, *, title: str | None = None) -> Pages:
    """A private confirmation (already escaped where it echoes what a member typed)."""
    page = Page(embeds=(embed(title=title, description=text, colour=DONE_COLOUR),))
    return Pages((page,), ephemeral_hint=True)


def render_coded(coding: Coding, q: Quoted, *, created: bool = False) -> Pages:
    """The confirmation of `/code` or a Code… choice: which code, which quote, where."""
    name = escape_cut(coding.code, 100)
    text = f"Created the code **{name}** and coded:" if created else f"Coded as **{name}**:"
    body = quoted_block(q, "", 1500)
    if coding.memo:
        body += "\nMemo: " + escape_cut(coding.memo, MEMO_SHOWN)
    footer = f"coding #{coding.id} · /undo reverts it"
    page = Page(
        embeds=(embed(description=f"{text}\n{body}", footer=footer, colour=DONE_COLOUR),),
    )
    return Pages((page,), ephemeral_hint=True)


def render_confirm_new_code(name: str, passage_id: str) -> Pages:
    """The question asked before a member's new code is created."""
    text = (
        f"There is no code **{escape_cut(name, 100)}** yet. Create it and code passage "
        f"`{plain(passage_id, 64).replace('`', '')}` with it?"
    )
    return notice(text, title="New code")


def render_codings(
    codings: Sequence[Coding],
    quoted: Mapping[int, Quoted],
    *,
    title: str,
    version: str,
    per_page: int,
    filters: str = "",
    total: int | None = None,
    attention: int | None = None,
) -> Pages:
    """`/coded`: the coded passages quoted with their sources, coder and memo, paged.

    `total`/`attention`: how many codings match in all, when only the first ones are given.
    """
    total = len(codings) if total is None else total
    if attention is None:
        attention = sum(c.status == NEEDS_ATTENTION for c in codings)
    footer = f"corpus {version} · {plural(total, 'coding')}"
    if attention:
        footer += f", {attention} needing attention"
    if total > len(codings):
        more = (
            f"Showing the first {len(codings):,} of {total:,} codings in document order: "
            "narrow with document or coder, or /export codings to see them all."
        )
        filters = f"{filters}\n{more}" if filters else more
    tails = [
        f"— {escape_cut(c.coder, 80)}, {c.created[:10]}"
        + (f"\nMemo: {escape_cut(c.memo, MEMO_SHOWN)}" if c.memo else "")
        for c in codings
    ]
    header = "\n".join(escape_cut(line, 300) for line in filters.split("\n")) if filters else ""
    empty = "No coding matches yet: code passages with `/code` or the Code… button."
    quotes = [quoted[c.id] for c in codings]
    return _quote_pages(quotes, tails, title, footer, per_page, header=header, empty=empty)


def _quote_pages(
    quotes: Sequence[Quoted],
    tails: Sequence[str],
    title: str,
    footer: str,
    per_page: int,
    *,
    header: str = "",
    empty: str,
) -> Pages:
    """Numbered quotes with their sources, each followed by its tail (who, memo), `per_page` a
    page under `header`, with a passage choice for each quote still in the corpus: the shared
    body of `/coded` and `/collection`."""
    per_page = max(1, per_page)
    pages: list[Page] = []
    for first in range(0, max(1, len(quotes)), per_page):
        chunk = range(first, min(first + per_page, len(quotes)))
        budget = limits.EMBED_DESCRIPTION - limits.width(header) - 10 * (len(chunk) + 1)
        each = budget // max(1, len(chunk))
        blocks = [header] if header else []
        choices: list[PassageChoice] = []
        for i in chunk:
            q, tail, n = quotes[i], tails[i], i + 1
            room = each - limits.width(tail) - 2
            blocks.append(f"{quoted_block(q, f'**{n}.**', room)}\n{tail}")
            if q.source is not None:
                label = plain(f"{n} · {q.source.title}", limits.SELECT_OPTION_TEXT - 8)
                choices.append(PassageChoice(q.passage_id, f"{label} · ¶{q.source.ordinal}", n))
        if not chunk:
            blocks.append(empty)
        pages.append(
            Page(
                embeds=(embed(title=title, description=SEPARATOR.join(blocks), footer=footer),),
                passages=tuple(choices),
            )
        )
    return Pages(with_page_numbers(pages, footer), actions=("context",))


def render_code_counts(
    counts: Sequence[CodeCount],
    by_coder: Sequence[CodeCount],
    codes: Sequence[Code],
    doc_labels: Mapping[str, str],
    *,
    version: str,
) -> Pages:
    """`/codes`: every code with its codings per document and per coder (one field a code)."""
    per_doc: dict[str, list[CodeCount]] = defaultdict(list)
    per_coder: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for c in counts:
        per_doc[c.code].append(c)
    for c in by_coder:
        per_coder[c.code][c.coder or "?"] += c.count
    fields: list[tuple[str, str]] = []
    for code in codes:
        docs = per_doc.get(code.name, [])
        total = sum(c.count for c in docs)
        name = f"{escape_cut(code.name, 100)} · {plural(total, 'coding')}"
        if not docs:
            fields.append((name, "not used yet"))
            continue
        in_docs = ", ".join(
            f"{escape_cut(doc_labels.get(c.doc_id, c.doc_id), 40)} {c.count}" for c in docs
        )
        coders = ", ".join(
            f"{escape_cut(who, 40)} {n}" for who, n in sorted(per_coder[code.name].items())
        )
        fields.append((name, f"Documents: {in_docs}\nCoders: {coders}"))
    pages: list[Page] = []
    step = 10  # fields a page: 10 × 1,024 characters stay within the 6,000 an embed may hold
    for first in range(0, max(1, len(fields)), step):
        chunk = fields[first : first + step]
        description = (
            None if chunk else "No codes yet: the codebook's themes and `/code` make them."
        )
        budgeted = _fit_fields(chunk, limits.EMBED_TOTAL - 600)
        pages.append(Page(embeds=(embed(title="Codes", description=description, fields=budgeted),)))
    total = sum(c.count for c in counts)
    footer = f"corpus {version} · {plural(len(codes), 'code')}, {plural(total, 'coding')}"
    return Pages(with_page_numbers(pages, footer), actions=())


def _fit_fields(fields: list[tuple[str, str]], budget: int) -> list[tuple[str, str]]:
    """Cut each field's value so that the fields together stay within `budget` characters."""
    each = max(80, budget // max(1, len(fields)))
    out = []
    for name, value in fields:
        room = min(limits.FIELD_VALUE, each - limits.width(name))
        out.append(
            (name, value if limits.width(value) <= room else cut_lines(value, max(20, room)))
        )
    return out


def render_agreement(ag: Agreement, name_a: str, name_b: str) -> Pages:
    """`/agreement`: Cohen's kappa, percent agreement, the units and the 2 × 2 counts."""
    a, b = escape_cut(name_a, 80), escape_cut(name_b, 80)
    if not ag.units:
        text = (
            f"No passage to compare: {a} and {b} have not both coded the same document yet "
            "(agreement counts the passages of the documents both have coded)."
        )
        return notice(text, title=f"Agreement on {escape_cut(ag.code, 100)}")
    kappa = "undefined (both coders gave one answer to every passage)"
    if ag.kappa is not None:
        kappa = f"{ag.kappa:.3f}"
    percent = f"{ag.percent:.1f} %" if ag.percent is not None else "—"
    lines = [
        f"**Cohen's kappa:** {kappa}",
        f"**Percent agreement:** {percent}",
        f"**Units compared:** {plural(ag.units, 'passage')} of "
        f"{plural(len(ag.documents), 'document')} both have coded",
        "",
        f"Both applied it: {ag.both_yes} · only {a}: {ag.a_only} · only {b}: {ag.b_only} · "
        f"neither: {ag.both_no}",
    ]
    if ag.skipped:
        lines.append(
            f"{plural(ag.skipped, 'coding')} skipped: its passage is no longer in the corpus."
        )
    title = f"Agreement on {escape_cut(ag.code, 100)}: {a} and {b}"
    page = Page(embeds=(embed(title=title, description="\n".join(lines)),))
    return Pages((page,), actions=())


def memo_lines(memos: Sequence[Memo], budget: int) -> str:
    """Memos under a passage: author, date and the text, escaped, within `budget` characters."""
    lines: list[str] = []
    used = 0
    for i, m in enumerate(memos):
        line = (
            f"**{escape_cut(m.author, 80)}** ({m.updated[:10]}): {escape_cut(m.text, MEMO_SHOWN)}"
        )
        if used + limits.width(line) + 1 > budget:
            lines.append(f"… and {plural(len(memos) - i, 'more memo')}")
            break
        lines.append(line)
        used += limits.width(line) + 1
    return "\n".join(lines)


def with_memos(pages: Pages, memos: Sequence[Memo]) -> Pages:
    """The passage view with its memos as a second embed, within the message's 6,000 characters."""
    if not memos or not pages.pages or not pages[0].embeds:
        return pages
    page = pages[0]
    used = sum(_embed_width(e) for e in page.embeds)
    budget = min(limits.EMBED_DESCRIPTION, limits.EMBED_TOTAL - used - 100)
    if budget < 100:
        return pages
    text = memo_lines(memos, budget - 40)
    if not text:
        text = f"{plural(len(memos), 'memo')} (too long to show here)"
    memo_embed = embed(title=f"Memos ({len(memos)})", description=text)
    shown = Page(
        embeds=(*page.embeds, memo_embed),
        content=page.content,
        passages=page.passages,
        files=page.files,
    )
    return Pages((shown, *pages.pages[1:]), pages.ephemeral_hint, pages.actions)


def _embed_width(e: Mapping[str, object]) -> int:
    total = 0
    for key in ("title", "description"):
        total += limits.width(str(e.get(key) or ""))
    for f in e.get("fields") or []:  # type: ignore[attr-defined]
        total += limits.width(str(f.get("name", ""))) + limits.width(str(f.get("value", "")))
    footer = e.get("footer")
    if isinstance(footer, dict):
        total += limits.width(str(footer.get("text", "")))
    return total


def render_memo_saved(memo: Memo, target: str) -> Pages:
    return done(
        f"Your memo on {target} is saved ({plural(len(memo.text), 'character')}).\n"
        f"> {escape_cut(memo.text, MEMO_SHOWN)}"
    )


def render_collection(
    collection: Collection,
    items: Sequence[SavedQuote],
    quoted: Mapping[int, Quoted],
    *,
    version: str,
    per_page: int,
) -> Pages:
    """`/collection`: the quotes in the order saved, each with its source and who saved it."""
    title = f"Collection: {escape_cut(collection.name, 200)}"
    footer = f"corpus {version} · {plural(len(items), 'quote')}"
    tails = [f"— saved by {escape_cut(s.saved_by, 80)}, {s.saved[:10]}" for s in items]
    quotes = [quoted[s.id] for s in items]
    return _quote_pages(quotes, tails, title, footer, per_page, empty="No quote in it yet.")


def render_saved(item: SavedQuote, q: Quoted) -> Pages:
    text = (
        f"Saved to the collection **{escape_cut(item.collection, 100)}** "
        f"(quote {item.position}):\n{quoted_block(q, '', 1500)}"
    )
    return done(text)


def code_option_label(code: Code) -> str:
    """A select option's label for a code (Discord shows options as plain text)."""
    return plain(code.name, limits.SELECT_OPTION_TEXT)


def more_codes_note(total: int, shown: int) -> str:
    """What to do when the select cannot hold every code."""
    return (
        f"Showing {shown} of {total} codes. For another code, use `/code` — its code option "
        "completes any code as you type."
    )


def render_reanchored(report: ReanchorReport) -> list[str]:
    """Lines for the `/reload` report: codings moved with their passage, and those now lost."""
    if not report.changed:
        return []
    lines = []
    moved = len(report.moved) + len(report.recovered)
    if moved:
        lines.append(
            f"**Team codings re-anchored:** {plural(moved, 'quote')} found again at "
            "new passages or offsets."
        )
    if report.lost:
        shown = "; ".join(
            f"{x.subject.replace('_', ' ')} #{x.row_id} «{escape_cut(x.quote, 60)}» "
            f"({escape_cut(x.doc_id, 40)}, {x.reason})"
            for x in report.lost[:5]
        )
        more = len(report.lost) - 5
        lines.append(
            f"**Needs attention:** {plural(len(report.lost), 'quote')} no longer in "
            f"{'its' if len(report.lost) == 1 else 'their'} document, kept and marked: {shown}"
            + (f" and {more} more" if more > 0 else "")
            + " (`/coded` lists them)."
        )
    return lines


def with_reanchored(pages: Pages, report: ReanchorReport | None) -> Pages:
    """An /add or /remove answer with what it did to the team's quotes (when it did anything)."""
    lines = render_reanchored(report) if report is not None else []
    if not lines or not pages.pages or not pages[0].embeds:
        return pages
    first = dict(pages[0].embeds[0])
    text = "\n".join([first.get("description") or "", *lines]).strip()
    first["description"] = cut_lines(text, limits.EMBED_DESCRIPTION)
    page = Page(
        embeds=(first, *pages[0].embeds[1:]),
        content=pages[0].content,
        passages=pages[0].passages,
        files=pages[0].files,
    )
    return Pages((page, *pages.pages[1:]), pages.ephemeral_hint, pages.actions)


def store_unavailable(reason: str) -> str:
    """What members read when the team database cannot be used (search still works)."""
    return f"{reason} Search and reading still work; an admin can see the details in the log."
