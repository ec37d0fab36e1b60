"""Escaping, bolding, quoting and cutting: the pieces that keep Discord markdown unbroken."""

from __future__ import annotations

import pytest

from bot.rendering.limits import markdown_problems, width
from bot.rendering.text import (
    ELLIPSIS,
    ZWSP,
    bold_spans,
    cut,
    cut_lines,
    escape,
    escape_cut,
    merge_spans,
    plain,
    quote,
)
from tests.rendering import discord_markdown


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("**bold**", r"\*\*bold\*\*"),
        ("__a__ ~~b~~ ||c||", r"\_\_a\_\_ \~\~b\~\~ \|\|c\|\|"),
        ("`code` ```x```", r"\`code\` \`\`\`x\`\`\`"),
        ("> quote", r"\> quote"),
        ("back\\slash", "back\\\\slash"),
        ("[masked](https://x.org)", r"\[masked\](https://x.org)"),
        ("<@123456789012345678> <#1>", r"\<@123456789012345678\> \<\#1\>"),
        ("# not a header", r"\# not a header"),
    ],
)
def test_escape_neutralises_markup(raw: str, escaped: str) -> None:
    """Every markup character is escaped; the text reads the same once Discord renders it."""
    assert escape(raw) == escaped


def test_escape_breaks_everyone_and_here() -> None:
    """@everyone and @here get a zero-width space so they cannot ping or render."""
    assert escape("hi @everyone and @here") == f"hi @{ZWSP}everyone and @{ZWSP}here"


def test_escape_keeps_links_whole() -> None:
    """A URL is left verbatim: an escape inside it would break the link."""
    assert escape("see https://example.org/a_b~c now_") == r"see https://example.org/a_b~c now\_"


def test_line_start_markers_are_escaped_only_there() -> None:
    """`- `, `+ `, `1. ` start a list only at a line's start."""
    assert escape("- item", line_start=True) == r"\- item"
    assert escape("12. item", line_start=True) == r"12\. item"
    assert escape("a - b 2. c", line_start=True) == "a - b 2. c"
    assert escape("- item") == "- item"


def test_control_and_bidi_characters_are_dropped() -> None:
    assert escape("a\x00b\u202ec\x07d") == "abcd"


def test_bold_spans_bolds_whole_escaped_pieces() -> None:
    text = "the *Mérida* Initiative"
    assert bold_spans(text, [(5, 11)]) == r"the \***Mérida**\* Initiative"
    assert markdown_problems(bold_spans(text, [(5, 11)])) == []


def test_touching_and_overlapping_spans_merge() -> None:
    """No `****` between adjacent matches, no nested bold."""
    assert merge_spans([(4, 8), (0, 4), (6, 10), (20, 30)], 25) == [(0, 10), (20, 25)]
    assert bold_spans("humanrights now", [(0, 5), (5, 11)]) == "**humanrights** now"


def test_spans_trim_whitespace_and_skip_links() -> None:
    assert bold_spans("a  word  b", [(1, 8)]) == "a  **word**  b"
    assert bold_spans("see https://x.org/merida", [(18, 24)]) == "see https://x.org/merida"


def test_quote_prefixes_every_line_and_bolds_within_lines() -> None:
    """A span crossing a newline is bolded on each line separately, so no `**` spans lines."""
    quoted = quote("first line\nsecond line", [(6, 17)], limit=200)
    assert quoted == "> first **line**\n> **second** line"


def test_quote_cuts_at_a_word_boundary_with_an_ellipsis() -> None:
    text = "one two three four five six seven"
    quoted = quote(text, limit=20)
    assert quoted == "> one two three…"
    assert width(quoted) <= 20


def test_quote_keep_end_keeps_the_tail() -> None:
    quoted = quote("one two three four five six seven", limit=20, keep="end")
    assert quoted == "> …five six seven"


def test_quote_cut_never_splits_an_escape_or_bold() -> None:
    """Cutting re-renders the kept source text, so escapes and bold pairs stay whole."""
    text = "a**b " * 50
    for limit in range(8, 120):
        quoted = quote(text, [(0, 4), (10, 14)], limit=limit)
        assert width(quoted) <= limit
        assert markdown_problems(quoted) == [], quoted


def test_quote_of_a_single_huge_word_cuts_inside_it() -> None:
    quoted = quote("x" * 10_000, limit=100)
    assert width(quoted) <= 100 and quoted.endswith(ELLIPSIS)


def test_quote_never_splits_a_combining_accent() -> None:
    text = "e\u0301" * 300
    quoted = quote(text, limit=51)
    body = quoted[2:-1]
    assert not body or body[-1] == "\u0301"


def test_lead_and_trail_mark_an_excerpt() -> None:
    assert quote("middle words", lead=True, trail=True, limit=100) == "> …middle words…"


def test_escape_cut_cuts_the_source_not_the_escapes() -> None:
    cut_text = escape_cut("*" * 300, 50)
    assert width(cut_text) <= 50
    assert cut_text.endswith(ELLIPSIS) and markdown_problems(cut_text) == []


def test_plain_and_cut_flatten_and_shorten() -> None:
    assert plain("a\n  b\tc\x00", 100) == "a b c"
    assert cut("hello wonderful world", 12) == "hello…"
    assert cut("short", 12) == "short"


def test_cut_lines_drops_whole_lines() -> None:
    text = "\n".join(f"> line {i} **bold**" for i in range(100))
    cut_text = cut_lines(text, 200)
    assert width(cut_text) <= 200
    assert cut_text.endswith("\n" + ELLIPSIS)
    assert markdown_problems(cut_text) == []


def test_width_counts_utf16_units() -> None:
    assert width("é") == 1 and width("🙂") == 2


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [("1. Background", r"1\. Background"), ("- Total Insight", r"\- Total Insight")],
)
def test_escape_cut_escapes_line_start_markers(raw: str, escaped: str) -> None:
    """A site or description that starts a line in an embed never becomes a list item."""
    assert escape_cut(raw, 80) == escaped


@pytest.mark.parametrize(
    ("text", "span"),
    [("see https://x.org/a|police forces now", (20, 33)), ("https://x.org/a_b*c<@1> x", (19, 20))],
    ids=["after-a-bar", "at-the-link-end"],
)
def test_no_bold_marker_lands_inside_a_link(text: str, span: tuple[int, int]) -> None:
    """Discord's link runs to the next space or "<": a highlight touching it stays unbolded."""
    rendered = bold_spans(text, [span])
    assert "**" not in rendered and discord_markdown.problems(rendered) == [], rendered
