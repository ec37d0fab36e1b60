"""Property tests: for any passage text, highlight spans and query, the rendered pages stay within
Discord's limits, hold no markup the renderer did not mean and let no mention through.

Markup is read by `tests/rendering/discord_markdown.py`, written from Discord's rules apart from the
production checker in `bot/rendering/limits.py`, which would agree with its own code's mistakes.

Every renderer is covered, each with the text a user or a corpus file could put in it (queries,
titles, sections, sites, passage words, engine messages echoing input). 6,100 cases a run, each
test within a few seconds.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine.model import PassageContext, Snippet
from bot.rendering import limits
from bot.rendering.answers import render_error
from bot.rendering.documents import render_documents
from bot.rendering.pages import Pages
from bot.rendering.passage import render_passage
from bot.rendering.reading import render_related, render_summary, render_theme
from bot.rendering.reload import render_reload_failed
from bot.rendering.search import render_search
from bot.rendering.text import escape, escape_cut, plain, quote
from tests.rendering import builders as b
from tests.rendering import discord_markdown
from tests.rendering.discord_markdown import shown, visible
from tests.strategies import CONTROL, EMOJI, INVISIBLE, MARKUP, MENTIONS, RTL_WORDS

# Pieces a title, a passage or a query really holds, beside random text: every markup
# character and line-start marker, mentions, links, RTL words, emoji, invisible characters.
OTHER_PIECES = ["\n", "\n- ", "\n# ", "\n> ", "\n1. ", " ", "  ", "<", "@", "https://x.org/a_b*c"]
OTHER_PIECES += ["Mérida", "e\u0301", "@Everyone", "<t:1700000000:R>", "</search:1>", "<a:x:1>"]
PIECES = st.sampled_from(
    [*MARKUP, *MENTIONS, *RTL_WORDS, *EMOJI, *INVISIBLE, *CONTROL[:4], *OTHER_PIECES]
)
TEXT = st.lists(st.one_of(st.text(max_size=12), PIECES), max_size=60).map("".join)
SHORT_TEXT = st.lists(st.one_of(st.text(max_size=8), PIECES), max_size=16).map("".join)
LINE = SHORT_TEXT.map(lambda text: text.replace("\n", " "))  # one line
# Passages as long as a corpus holds (up to 1,200 characters and more), to fill a page's budget.
LONG_TEXT = st.one_of(TEXT, st.tuples(TEXT, st.integers(2, 12)).map(lambda t: t[0] * t[1]))
RENDER = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MANY = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOME = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LIMIT = st.integers(min_value=10, max_value=4096)


def assert_sendable(pages: Pages) -> None:
    """Every page within Discord's limits, with no markup or mention the renderer did not mean
    (read by the independent `discord_markdown`, not by the production checker)."""
    for page in pages.pages:
        body = page.to_message()
        assert limits.check_message(body) == [], body
        assert discord_markdown.message_problems(body) == [], body
        for choice in page.passages:
            assert 1 <= limits.width(choice.label) <= limits.SELECT_OPTION_TEXT


@st.composite
def text_and_spans(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    text = draw(LONG_TEXT)
    n = len(text)
    points = st.integers(min_value=0, max_value=max(0, n))
    spans = draw(st.lists(st.tuples(points, points).map(sorted).map(tuple), max_size=6))
    return text, spans  # type: ignore[return-value]


@RENDER
@given(text_and_spans(), st.integers(min_value=10, max_value=600))
def test_quote_fits_and_is_balanced(case: tuple[str, list], limit: int) -> None:
    """A quote fits its budget; every line is one of ours (`> `) and holds no other markup."""
    text, spans = case
    quoted = quote(text, spans, limit=limit)
    assert limits.width(quoted) <= limit
    assert all(line.startswith("> ") for line in quoted.split("\n"))
    assert discord_markdown.problems(quoted) == [], quoted


@RENDER
@given(
    st.lists(st.tuples(text_and_spans(), st.booleans()), min_size=0, max_size=12),
    TEXT,
    st.integers(min_value=1, max_value=10),
    st.one_of(st.none(), TEXT),
)
def test_search_pages_are_always_sendable(
    hits: list[tuple[tuple[str, list], bool]], query: str, per_page: int, section: str | None
) -> None:
    """Any hits, query and page size: every page fits, whatever the snippet (whole passages)."""
    built = [
        b.hit(
            text or "x",
            tuple(spans),
            rank=i + 1,
            pid=f"p{i}",
            section=section,
            title=query or "t",
            snippet=Snippet(text or "x", tuple(spans), 0) if whole else None,
        )
        for i, ((text, spans), whole) in enumerate(hits)
    ]
    pages = render_search(
        b.result(built, query, message=query or None), version="v", per_page=per_page
    )
    assert_sendable(pages)


@MANY
@given(LINE, st.booleans())
def test_escaped_text_shows_literally_and_pings_no_one(text: str, line_start: bool) -> None:
    """Whatever a user typed, escaped it has no live mention and no markup of its own (block
    markup too when it starts a line), and Discord shows the very characters typed."""
    escaped = escape(text, line_start=line_start)
    assert discord_markdown.problems(escaped, block=line_start, ours=False) == [], escaped
    if "://" not in text:  # where a bare link ends is Discord's call; links are tested apart
        assert visible(shown(escaped)) == visible(text)


@MANY
@given(TEXT, LIMIT)
def test_escape_cut_fits_and_pings_no_one(text: str, limit: int) -> None:
    """Cut and escaped: within the limit, one line, no markup even at the start of a line."""
    cut = escape_cut(text, limit)
    assert limits.width(cut) <= limit and "\n" not in cut
    assert discord_markdown.problems(cut, ours=False) == [], cut


@SOME
@given(SHORT_TEXT, st.integers(min_value=1, max_value=256))
def test_plain_text_fits(text: str, limit: int) -> None:
    """Footers, labels and choices: cleaned, cut to the limit, never longer."""
    assert limits.width(plain(text, limit)) <= limit


@RENDER
@given(TEXT)
def test_error_notices_are_sendable(message: str) -> None:
    """An engine error quoting what the user typed, or a failed reload's reason."""
    assert_sendable(render_error(message))
    assert_sendable(render_reload_failed(message))


@RENDER
@given(
    text_and_spans(),
    st.lists(TEXT, max_size=6),
    TEXT,
    st.one_of(st.none(), TEXT),
    st.one_of(st.none(), SHORT_TEXT),
    st.lists(SHORT_TEXT, max_size=4),
)
def test_passage_with_neighbours_is_sendable(
    main: tuple[str, list],
    neighbours: list[str],
    title: str,
    section: str | None,
    page: str | None,
    authors: list[str],
) -> None:
    """A passage with its neighbours ("More context"): any words, titles, sections, page labels,
    speakers, authors and URLs."""
    text, _ = main
    p = b.passage(
        text or "x",
        title=title or "t",
        section=section,
        ordinal=len(neighbours) + 1,
        page=page,
        speaker=section,
    )
    around = [
        b.passage(
            n or "y",
            pid=f"n{i}",
            title=title or "t",
            section=section or n,
            ordinal=i + 1,
            page=n[:8] or None,
            page_end=page,
        )
        for i, n in enumerate(neighbours)
    ]
    half = len(around) // 2
    context = PassageContext(p, b.source(p, site=title), tuple(around[:half]), tuple(around[half:]))
    doc = b.document(authors=tuple(authors), date=page, url=section)
    assert_sendable(render_passage(context, version="v", document=doc))


@RENDER
@given(
    st.lists(text_and_spans(), max_size=8),
    TEXT,
    TEXT,
    st.integers(min_value=1, max_value=10),
)
def test_related_and_theme_pages_are_sendable(
    hits: list[tuple[str, list]], title: str, label: str, per_page: int
) -> None:
    """Related passages and a theme's passages, with any titles, labels and descriptions."""
    built = tuple(
        b.hit(text or "x", tuple(spans), rank=i + 1, pid=f"p{i}", title=title or "t")
        for i, (text, spans) in enumerate(hits)
    )
    assert_sendable(
        render_related(built, origin_title=title, origin_ordinal=3, version="v", per_page=per_page)
    )
    theme = b.Theme(name=label or "t", label=label, description=title, terms=(label, title))
    result = b.ThemeResult(theme, built, {"d1": len(built), label: 1}, total=len(built))
    assert_sendable(
        render_theme(result, version="v", per_page=per_page, titles={"d1": title, label: label})
    )


@RENDER
@given(
    st.lists(TEXT, max_size=6),
    TEXT,
    st.one_of(st.none(), TEXT),
    st.lists(st.tuples(TEXT, st.integers(0, 99)), max_size=8),
    st.lists(TEXT, max_size=8),
)
def test_summaries_are_sendable(
    sentences: list[str],
    title: str,
    focus: str | None,
    outline: list[tuple[str, int]],
    terms: list[str],
) -> None:
    """A summary: any sentences, title, focus, outline headings and key terms."""
    summary = b.Summary(
        title=title,
        site=focus,
        sentences=tuple(b.Sentence(t, f"p{i}", None, i + 1) for i, t in enumerate(sentences)),
        outline=tuple(outline),
        key_terms=tuple(terms),
        focus=focus,
        message=focus,
    )
    assert_sendable(render_summary(summary, version="v"))


@RENDER
@given(
    st.lists(
        st.tuples(TEXT, st.one_of(st.none(), TEXT), st.lists(SHORT_TEXT, max_size=5)), max_size=20
    )
)
def test_document_lists_are_sendable(docs: list[tuple[str, str | None, list[str]]]) -> None:
    """Any title, site, authors, date, URL and language in /docs stays sendable."""
    built = [
        b.document(
            f"d{i}",
            title or "t",
            site=site,
            authors=tuple(authors),
            date=site,
            url=title,
            language=site,
            format="pdf",
            pages=len(authors),
        )
        for i, (title, site, authors) in enumerate(docs)
    ]
    assert_sendable(render_documents(built, version="v"))
