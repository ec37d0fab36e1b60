"""Exploration pages: aligned concordance lines, tables and charts, always sendable to Discord."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image as PILImage

from bot.engine.collocates import Collocate, CollocateResult
from bot.engine.keywords import Example, Keyword, KeywordResult
from bot.engine.kwic import Concordance, ConcordanceLine
from bot.engine.trend import Trend, TrendPoint
from bot.rendering import limits
from bot.rendering.explore import (
    KWIC_PER_PAGE,
    NBSP,
    code_span,
    kwic_line,
    render_collocates,
    render_keywords,
    render_kwic,
    render_trend,
    with_image,
)
from bot.rendering.pages import Image, Page, Pages
from tests.rendering.test_properties import SHORT_TEXT, TEXT, assert_sendable

SOME = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def line(
    left: str = "the ", match: str = "Mérida", right: str = " Initiative", **kw: object
) -> ConcordanceLine:
    fields: dict[str, object] = {
        "passage_id": "039f1f822eee",
        "doc_id": "003_x",
        "title": "US-Mexico Cooperation",
        "section": None,
        "ordinal": 4,
        "start": 4,
        "end": 10,
    }
    fields.update(kw)
    return ConcordanceLine(left, match, right, **fields)  # type: ignore[arg-type]


def concordance(lines: list[ConcordanceLine], **kw: object) -> Concordance:
    by_doc: dict[str, int] = {}
    for x in lines:
        by_doc[x.doc_id] = by_doc.get(x.doc_id, 0) + 1
    return Concordance("merida", tuple(lines), len(lines), by_doc, target="merida", **kw)  # type: ignore[arg-type]


def test_code_span_neutralises_what_could_break_out() -> None:
    """Backticks, mentions and a final backslash cannot close the span or ping anyone."""
    span = code_span("a `b` @everyone <@123456789012345678> c\\")
    assert span.count("`") == 2 and span.startswith("`") and span.endswith("`")
    assert limits.safety_problems({"content": span}) == []
    assert code_span("ab", pad_to=5) == f"`{NBSP * 3}ab`"
    assert code_span("") == ""


def test_matches_line_up_in_one_column() -> None:
    """Every left context is padded to the same width, so every match starts at one place."""
    lines = [
        line("a ", "X", " b"),
        line("a much longer left context here ", "X", ""),
        line("", "X", " z"),
    ]
    rendered = [kwic_line(x, 20) for x in lines]
    assert {r.index("**X**") for r in rendered} == {20 + 2 + 1}
    assert rendered[1].endswith("**X**")  # no right context, no empty span


def test_kwic_pages_hold_ten_lines_with_sources_and_counts() -> None:
    lines = [line(ordinal=i, passage_id=f"{i:012x}") for i in range(25)]
    pages = render_kwic(concordance(lines), version="v1")
    assert len(pages) == 3
    first = pages[0].embeds[0]
    assert first["description"].count("**Mérida**") == KWIC_PER_PAGE
    assert "-# 1. US-Mexico Cooperation · ¶0 · `000000000000`" in first["description"]
    assert first["footer"]["text"] == "corpus v1 · 25 occurrences · per document: 003 25 · page 1/3"
    assert len(pages[0].passages) == KWIC_PER_PAGE
    assert_sendable(pages)


def test_kwic_footer_names_the_busiest_documents_and_how_many_more() -> None:
    lines = [line(doc_id=f"d{i:02d}_x") for i in range(12)]
    footer = render_kwic(concordance(lines), version="v")[0].embeds[0]["footer"]["text"]
    assert "d00 1, d01 1" in footer and "+4 more" in footer


def test_an_empty_concordance_says_why() -> None:
    result = Concordance("cocaine", (), 0, {}, message="No document uses the word 'cocaine'.")
    page = render_kwic(result, version="v")[0]
    assert page.embeds[0]["description"] == "No document uses the word 'cocaine'."
    assert not page.files


def test_collocates_table_and_keywords_examples() -> None:
    c = Collocate("truck", "trucks", 2, 0, 2, 3, 0.727, 2.71, 1.46, 0.9)
    pages = render_collocates(
        CollocateResult(
            "fentanyl",
            (c,),
            window=2,
            min_freq=1,
            target="fentanyl",
            node_frequency=2,
            window_slots=8,
            corpus_terms=33,
        ),
        version="v",
    )
    text = pages[0].embeds[0]["description"]
    assert "trucks" in text and "   2.7 " in text and "0/2" in text
    example = Example("p1", None, 3, "Smugglers move fentanyl trucks.", ((15, 23),))
    k = Keyword("fentanyl", "fentanyl", 2, 0, 1818.2, 0.0, 4.39, 3.0, example)
    kw_pages = render_keywords(KeywordResult("x", "Border X", (k,), 11, 22), version="v")
    kw_text = kw_pages[0].embeds[0]["description"]
    assert "**1. fentanyl** · 2 here" in kw_text and "**fentanyl**" in kw_text.split("\n> ")[1]
    assert kw_pages[0].passages[0].passage_id == "p1"
    assert_sendable(pages)
    assert_sendable(kw_pages)


def test_trend_embeds_show_their_charts() -> None:
    """A dated trend: two embeds, each showing its own attached PNG; the numbers in the text."""
    points = (TrendPoint("a", "a", "Report A", 4, 35), TrendPoint("b", "b", "Report B", 1, 17))
    dates = (
        TrendPoint("2019", "2019", "2019 (b)", 1, 17),
        TrendPoint("2021", "2021", "2021 (a)", 4, 35),
    )
    result = Trend("merida", points, dates=dates, undated=1, target="merida")
    page = render_trend(result, version="v")[0]
    assert [e["image"]["url"] for e in page.embeds] == [
        "attachment://trend.png",
        "attachment://trend-dates.png",
    ]
    assert [f.filename for f in page.files] == ["trend.png", "trend-dates.png"]
    for f in page.files:
        assert PILImage.open(io.BytesIO(f.data)).size == (800, 450)
    assert "1142.9" in page.embeds[0]["description"]  # a: 4 in 35 words
    assert "1 document without a date is left out." in page.embeds[1]["description"]
    assert_sendable(Pages((page,)))


def test_a_trend_with_nothing_counted_has_no_chart() -> None:
    result = Trend("x", (TrendPoint("a", "a", "A", 0, 10),), message="'x' does not occur.")
    page = render_trend(result, version="v")[0]
    assert not page.files and "image" not in page.embeds[0]


def test_with_image_puts_the_picture_on_every_page() -> None:
    pages = Pages((Page(embeds=({"title": "1"},)), Page(embeds=({"title": "2"},))))
    image = Image("themes.png", b"png")
    shown = with_image(pages, image)
    assert [p.embeds[0]["image"]["url"] for p in shown.pages] == ["attachment://themes.png"] * 2
    assert all(p.files == (image,) for p in shown.pages)


@SOME
@given(TEXT, SHORT_TEXT, TEXT, SHORT_TEXT, st.integers(min_value=8, max_value=60))
def test_any_concordance_is_sendable(
    left: str, match: str, right: str, title: str, width: int
) -> None:
    """Whatever the source's characters, the pages stay within limits, balanced, ping no one."""
    lines = [line(left, match or "x", right, title=title or "t", doc_id=title or "d")] * 3
    pages = render_kwic(
        concordance(lines, message=title), version="v", width=width, document_title=title
    )
    assert_sendable(pages)
