"""Property tests: for any passage text, highlight spans and query, the rendered pages stay within
Discord's limits, keep markup balanced and let no mention through."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.rendering import limits
from bot.rendering.search import render_search
from bot.rendering.text import quote
from tests.rendering import builders as b

MARKUP = st.sampled_from(
    [
        "*",
        "**",
        "_",
        "__",
        "~~",
        "||",
        "`",
        "```",
        "> ",
        "\n",
        "# ",
        "- ",
        "1. ",
        "\\",
        "@everyone",
        "@here",
        "<@123456789012345678>",
        "<#1>",
        "https://x.org/a_b",
        "[a](https://b.c)",
        "🙂",
        "e\u0301",
        "\u202e",
        "\x00",
        " ",
        "Mérida",
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=12), MARKUP), max_size=60).map("".join)
RENDER = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def text_and_spans(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    text = draw(TEXT)
    n = len(text)
    points = st.integers(min_value=0, max_value=max(0, n))
    spans = draw(st.lists(st.tuples(points, points).map(sorted).map(tuple), max_size=6))
    return text, spans  # type: ignore[return-value]


@RENDER
@given(text_and_spans(), st.integers(min_value=10, max_value=600))
def test_quote_fits_and_is_balanced(case: tuple[str, list], limit: int) -> None:
    text, spans = case
    quoted = quote(text, spans, limit=limit)
    assert limits.width(quoted) <= limit
    assert limits.markdown_problems(quoted) == []
    assert all(line.startswith("> ") for line in quoted.split("\n"))


@RENDER
@given(
    st.lists(text_and_spans(), min_size=0, max_size=12),
    TEXT,
    st.integers(min_value=1, max_value=10),
    st.one_of(st.none(), TEXT),
)
def test_search_pages_are_always_sendable(
    hits: list[tuple[str, list]], query: str, per_page: int, section: str | None
) -> None:
    built = [
        b.hit(
            text or "x", tuple(spans), rank=i + 1, pid=f"p{i}", section=section, title=query or "t"
        )
        for i, (text, spans) in enumerate(hits)
    ]
    pages = render_search(
        b.result(built, query, message=query or None), version="v", per_page=per_page
    )
    for page in pages.pages:
        body = page.to_message()
        assert limits.check_message(body) == []
        assert limits.safety_problems(body) == []
        for choice in page.passages:
            assert 1 <= limits.width(choice.label) <= limits.SELECT_OPTION_TEXT
