"""Each renderer: what it shows, in what order, and that it stays within Discord's limits."""

from __future__ import annotations

import pytest

from bot.rendering import limits
from bot.rendering.documents import render_documents
from bot.rendering.help import COMMANDS, render_help
from bot.rendering.pages import Pages
from bot.rendering.passage import render_passage
from bot.rendering.reading import (
    render_related,
    render_summary,
    render_theme,
    render_themes,
)
from bot.rendering.search import hit_block, render_search, source_line
from bot.rendering.terminal import page_as_text, unescape
from bot.rendering.text import ZWSP
from tests.rendering import builders as b


def assert_within_limits(pages: Pages) -> None:
    for page in pages.pages:
        body = page.to_message()
        assert limits.check_message(body) == [], body
        assert limits.safety_problems(body) == [], body


def desc(pages: Pages, index: int = 0) -> str:
    return pages[index].embeds[0]["description"]


def test_source_line_names_title_section_paragraph_and_id() -> None:
    hit = b.hit(section="History *of* cooperation")
    assert source_line(hit.source) == (
        r"US-Mexico Cooperation · History \*of\* cooperation · ¶4 · `039f1f822eee`"
    )


def test_hit_block_quotes_the_whole_passage_with_matches_bold() -> None:
    block = hit_block(b.hit(), 4000)
    head, quote = block.split("\n")
    assert head == "**1.** US-Mexico Cooperation · ¶4 · `039f1f822eee`"
    assert quote.startswith("> A crucial framework") and "the **Mérida** Initiative" in quote


def test_hit_block_falls_back_to_the_snippet_when_short_of_room() -> None:
    text = "Intro words. " * 100 + "The Mérida Initiative began. " + "Closing words. " * 100
    start = text.index("The Mérida")
    snip = b.Snippet("The Mérida Initiative began.", ((4, 10),), start)
    block = hit_block(b.hit(text, ((start + 4, start + 10),), snippet=snip), 300)
    assert block.endswith("> …The **Mérida** Initiative began.…")


def test_render_search_pages_hits_and_numbers_pages() -> None:
    hits = [b.hit(rank=i, pid=f"p{i}") for i in range(1, 8)]
    pages = render_search(b.result(hits, total=12), version="abc123", per_page=3)
    assert len(pages) == 3
    assert [c.passage_id for c in pages[2].passages] == ["p7"]
    assert pages[0].embeds[0]["footer"]["text"] == (
        "corpus abc123 · 12 matching passages, best 7 shown · page 1/3"
    )
    assert desc(pages, 1).startswith("**4.** ")
    assert_within_limits(pages)


def test_render_search_shows_the_engine_message_and_filter() -> None:
    pages = render_search(
        b.result([], "merdia", message="No passage matches 'merdia'."),
        version="v",
        per_page=3,
        document_title="US *Report*",
    )
    assert desc(pages).split("\n") == [
        r"Only in US \*Report\*",
        "No passage matches 'merdia'.",
        "",
        "Try other words, or `/docs` to see what the corpus holds.",
    ]
    assert pages[0].passages == ()
    assert_within_limits(pages)


def test_render_search_escapes_the_echoed_query() -> None:
    pages = render_search(b.result([], "@everyone **x** <@123>"), version="v", per_page=3)
    assert pages[0].embeds[0]["title"] == rf"Search: @{ZWSP}everyone \*\*x\*\* \<@123\>"


def test_many_long_hits_share_the_page_within_limits() -> None:
    long_text = ("Mérida " + "word " * 300).strip()
    hits = [b.hit(long_text, rank=i, pid=f"p{i}") for i in range(1, 11)]
    pages = render_search(b.result(hits, "Merida"), version="v", per_page=10)
    assert len(pages) == 1 and desc(pages).count("\n> ") == 10
    assert_within_limits(pages)


def test_render_passage_marks_the_passage_between_its_neighbours() -> None:
    pages = render_passage(b.context(before=2, after=1), version="v")
    text = desc(pages)
    assert text.index("¶1\n") < text.index("¶2\n") < text.index("**¶3 · this passage**")
    assert text.index("**¶3 · this passage**") < text.index("¶4\n")
    assert pages.actions == ("related",)
    assert_within_limits(pages)


def test_render_passage_with_huge_neighbours_stays_within_limits() -> None:
    pages = render_passage(b.context(before=10, after=10, text="long " * 1000), version="v")
    assert_within_limits(pages)


def test_render_documents_lists_and_pages() -> None:
    docs = [b.document(f"{i:03}", f"Title {i}", site="Site" if i % 2 else None) for i in range(23)]
    pages = render_documents(docs, version="v", per_page=10)
    assert len(pages) == 3
    assert desc(pages).startswith("**Title 0**\ntext · 1,234 words · 13 passages · `000`")
    assert "Site · text · 1,234 words" in desc(pages)
    assert_within_limits(pages)


def test_render_summary_cites_each_sentence() -> None:
    """Each sentence is numbered and cites its ¶ and passage id; the number opens its passage."""
    pages = render_summary(b.Summary(focus="human rights"), version="v")
    embed = pages[0].embeds[0]
    assert embed["title"] == "Summary: US-Mexico Cooperation"
    assert embed["description"].startswith(
        "Example Site · 1,228 words · 13 passages · about 5 min to read\n\nFocus: human rights"
    )
    assert "> A crucial framework" in embed["description"]
    assert "\n\n**1.** ¶4 · `039f1f822eee`\n> A crucial framework" in embed["description"]
    assert [f["name"] for f in embed["fields"]] == ["Outline", "Key terms"]
    assert [(c.passage_id, c.number) for c in pages[0].passages] == [("039f1f822eee", 1)]
    assert_within_limits(pages)


def test_a_field_that_escapes_to_nothing_is_left_out() -> None:
    """Key terms of only control characters would be an empty field, which Discord refuses."""
    pages = render_summary(b.Summary(key_terms=("\x00", "\u202e")), version="v")
    assert [f["name"] for f in pages[0].embeds[0]["fields"]] == ["Outline"]
    assert_within_limits(pages)


def test_an_empty_error_message_still_says_something() -> None:
    """An error whose text is blank or only control characters is not sent as an empty embed."""
    from bot.rendering.answers import render_error

    for message in ("", "  ", "\x00\u202e"):
        pages = render_error(message)
        assert pages[0].embeds[0]["description"] == "That did not work; please try again."
        assert_within_limits(pages)


def test_render_summary_shows_the_engine_message_when_nothing_to_quote() -> None:
    pages = render_summary(
        b.Summary(sentences=(), message="No sentence mentions 'x'."), version="v"
    )
    assert desc(pages).endswith("No sentence mentions 'x'.")
    assert_within_limits(pages)


def test_render_theme_explains_then_quotes() -> None:
    result = b.ThemeResult(hits=(b.hit(),), by_doc={"003": 4, "001": 1}, total=5)
    pages = render_theme(result, version="v", per_page=3, titles={"003": "US Report"})
    text = desc(pages)
    assert text.startswith(
        "Violations and protection of fundamental rights.\nTerms: torture, abuses"
    )
    assert "Most in: US Report (4); 001 (1)" in text
    assert pages[0].embeds[0]["title"] == "Theme: Human rights"
    assert_within_limits(pages)


def test_render_themes_one_field_per_theme() -> None:
    themes = tuple(b.Theme(name=f"t{i}", label=f"Theme {i}") for i in range(20))
    overview = b.ThemeOverview(themes, {"t0": {"003": 3}})
    pages = render_themes(overview, version="v", titles={"003": "US Report"})
    assert len(pages) == 3
    first = pages[0].embeds[0]["fields"][0]
    assert first["name"] == "Theme 0 · t0"
    assert first["value"].endswith("3 passages, most in US Report (3)")
    assert_within_limits(pages)


def test_render_related_offers_context_only() -> None:
    pages = render_related([b.hit()], origin_title="Doc", origin_ordinal=2, version="v", per_page=3)
    assert pages[0].embeds[0]["title"] == "Related to ¶2 of Doc"
    assert pages.actions == ("context",)


def test_help_lists_every_command_with_a_working_example() -> None:
    """Reading commands on the first page, the team's on the second; every one once."""
    pages = render_help(
        {"query": "Mexico", "document": "003", "passage": "abc", "theme": "t"}, version="v"
    )
    fields = [f for page in pages.pages for f in page.embeds[0]["fields"]]
    assert len(fields) == len(COMMANDS) and len(pages) == 2
    team = [f["name"] for f in pages[1].embeds[0]["fields"]]
    assert team == [f"`{c.usage}`" for c in COMMANDS if c.team]
    assert fields[0]["value"].endswith("Example: `/search query:Mexico`")
    assert_within_limits(pages)


@pytest.mark.parametrize(
    ("escaped", "shown"), [(r"\*\*x\*\*", "**x**"), (f"@{ZWSP}everyone", "@everyone")]
)
def test_unescape_shows_what_discord_displays(escaped: str, shown: str) -> None:
    assert unescape(escaped) == shown


def test_page_as_text_has_title_description_fields_and_footer() -> None:
    pages = render_summary(b.Summary(), version="v")
    text = page_as_text(pages[0])
    assert text.startswith("Summary: US-Mexico Cooperation\n=====")
    assert "Outline\n• Opening (3)" in text
    assert text.endswith("-- corpus v · 003 · 1 sentence")
