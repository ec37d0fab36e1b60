"""/kwic, /collocates, /keywords, /trend, the /themes heatmap and the message menus, through
discord.py against the offline fake: answers, attachments, limits."""

from __future__ import annotations

import io

import pytest
from PIL import Image as PILImage

from bot.rendering import charts, limits
from bot.rendering.explore_answers import NO_QUOTES, NO_TEXT, NOT_OURS
from tests.discord.conftest import BotFactory, Harness
from tests.discord.fake_discord import EPHEMERAL, Recorded
from tests.discord.test_limits_sweep import NASTY_QUERIES, check_all_bodies, click_everything

PNG = b"\x89PNG\r\n\x1a\n"


def first_embed(harness: Harness, payload: dict) -> dict:
    return harness.fake.reply_to(payload)["embeds"][0]


def uploads(harness: Harness, payload: dict) -> list[Recorded]:
    """The requests answering `payload` that carried files."""
    return [r for r in harness.fake.for_interaction(payload) if r.files]


def assert_png(data: bytes) -> None:
    assert data.startswith(PNG) and len(data) <= charts.MAX_BYTES
    with PILImage.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        assert image.size == (charts.WIDTH_PX, charts.HEIGHT_PX)


async def test_kwic_lines_up_every_occurrence_with_its_source(harness: Harness) -> None:
    """/kwic term:Merida: both occurrences, the match bold after a padded code span, sources,
    counts per document in the footer, and More context for the quoted passages."""
    payload = await harness.command("kwic", term="Merida")
    data = first_embed(harness, payload)
    assert data["title"] == "KWIC: merida"
    lines = data["description"].split("\n\n")
    assert lines[0] == "**2 occurrences** in 1 document, sorted by position."
    first, source = lines[1].split("\n")
    left, rest = first.split(" **", 1)
    assert left.startswith("`") and left.endswith("`") and len(left) == 24 + 2  # padded
    assert rest.startswith("Mérida** `Initiative")
    assert source == "-# 1. US-Mexico Cooperation in Fighting Organized Crime · ¶4 · `039f1f822eee`"
    assert "per document: 003 2" in data["footer"]["text"]
    assert harness.fake.find_component(harness.fake.reply_to(payload), "More context")
    check_all_bodies(harness)


async def test_kwic_options_stem_sort_width_and_document(harness: Harness) -> None:
    """stem finds every form; a width and a sort are taken; document limits the lines."""
    payload = await harness.command("kwic", term="killing", stem=True, sort="right", width=30)
    data = first_embed(harness, payload)
    assert data["title"] == "KWIC: killing (all forms)"
    assert "Forms: killings" in data["description"] or "killings" in data["description"]
    doc = await harness.command("kwic", term="police", document="003")
    assert "Only in US-Mexico Cooperation" in first_embed(harness, doc)["description"]
    check_all_bodies(harness)


async def test_kwic_pages_through_many_lines(make_harness: BotFactory) -> None:
    """A common word fills several pages of ten lines; Next turns them."""
    h = await make_harness(cooldown_rate=0)
    payload = await h.command("kwic", term="police")
    message = h.fake.reply_to(payload)
    assert "page 1/" in message["embeds"][0]["footer"]["text"]
    await h.click(message, "Next")
    assert "page 2/" in h.fake.reply_to(payload)["embeds"][0]["footer"]["text"]
    check_all_bodies(h)


async def test_unknown_words_and_documents_are_explained(harness: Harness) -> None:
    """A misspelling is corrected; an unknown word says so; an unknown document privately."""
    typo = await harness.command("kwic", term="extrajudical")
    assert "Showing occurrences of 'extrajudicial'" in first_embed(harness, typo)["description"]
    unknown = await harness.command("collocates", term="cocaine")
    assert "No document uses the word 'cocaine'" in first_embed(harness, unknown)["description"]
    missing = await harness.command("keywords", document="zzz")
    callback = harness.fake.callback(missing)
    assert callback["data"]["flags"] & EPHEMERAL
    assert "No document matches 'zzz'" in callback["data"]["embeds"][0]["description"]


async def test_collocates_table(harness: Harness) -> None:
    """/collocates term:police: a table led by 'military', the measure named, N in the footer."""
    payload = await harness.command("collocates", term="police", measure="mi")
    data = first_embed(harness, payload)
    assert data["title"] == "Collocates: police"
    assert "ranked by mutual information" in data["description"]
    assert "```text\nword" in data["description"]
    assert "N = " in data["footer"]["text"]
    ll = await harness.command("collocates", term="police")
    table = first_embed(harness, ll)["description"].split("```text\n")[1]
    assert table.split("\n")[1].startswith("military")
    check_all_bodies(harness)


async def test_keywords_with_examples(harness: Harness) -> None:
    """/keywords document:003: keywords with counts, LL and Log Ratio, each with a quote."""
    payload = await harness.command("keywords", document="003")
    data = first_embed(harness, payload)
    assert data["title"] == "Keywords: US-Mexico Cooperation in Fighting Organized Crime"
    assert "**1. organized** · 32 here" in data["description"]
    assert "Log Ratio +" in data["description"] and "\n> " in data["description"]
    check_all_bodies(harness)


async def test_trend_attaches_its_chart_to_the_embed(harness: Harness) -> None:
    """/trend term_or_theme:police: the PNG is uploaded with the answer and shown in the embed,
    and the numbers are in the embed too."""
    payload = await harness.command("trend", term_or_theme="police")
    message = harness.fake.reply_to(payload)
    data = message["embeds"][0]
    assert data["image"]["url"] == "attachment://trend.png"
    assert "per 10k" in data["description"] and "```text" in data["description"]
    (upload,) = uploads(harness, payload)
    assert list(upload.files) == ["files[0]"]
    assert_png(upload.files["files[0]"])
    assert [a["filename"] for a in message["attachments"]] == ["trend.png"]
    check_all_bodies(harness)


async def test_trend_of_a_theme_and_by_section(harness: Harness) -> None:
    payload = await harness.command("trend", term_or_theme="human-rights")
    assert first_embed(harness, payload)["title"] == "Trend: Human rights"
    section = await harness.command("trend", term_or_theme="police", document="000")
    assert "by section of" in first_embed(harness, section)["description"]
    check_all_bodies(harness)


@pytest.mark.usefixtures("busy_engine")
async def test_a_deferred_trend_uploads_its_chart_with_the_edit(harness: Harness) -> None:
    """When the answer replaces "thinking…", the PNG goes with that edit (multipart PATCH)."""
    payload = await harness.command("trend", term_or_theme="police")
    (upload,) = uploads(harness, payload)
    assert upload.method == "PATCH" and upload.path.endswith("/messages/@original")
    assert_png(upload.files["files[0]"])
    assert harness.fake.reply_to(payload)["attachments"][0]["filename"] == "trend.png"


async def test_themes_has_a_heatmap_on_every_page(harness: Harness) -> None:
    """/themes shows the heatmap under the table; turning the page sends it again."""
    payload = await harness.command("themes")
    message = harness.fake.reply_to(payload)
    assert message["embeds"][0]["image"]["url"] == "attachment://themes.png"
    assert_png(uploads(harness, payload)[0].files["files[0]"])
    click = await harness.click(message, "Next")
    (edit,) = uploads(harness, click)
    assert edit.json["data"]["embeds"][0]["image"]["url"] == "attachment://themes.png"
    assert [a["filename"] for a in harness.fake.reply_to(payload)["attachments"]] == ["themes.png"]
    check_all_bodies(harness)


async def test_search_a_members_message(harness: Harness) -> None:
    """The menu on a member's message searches its text and answers privately."""
    message = harness.fake.member_message("What do we have on the Mérida Initiative?")
    payload = await harness.send(
        harness.fake.message_command("Search corpus for this message", message)
    )
    callback = harness.fake.callback(payload)
    assert callback["data"]["flags"] & EPHEMERAL
    assert "the **Mérida Initiative**" in callback["data"]["embeds"][0]["description"]
    empty = harness.fake.member_message("")
    payload = await harness.send(
        harness.fake.message_command("Search corpus for this message", empty)
    )
    assert NO_TEXT in harness.fake.callback(payload)["data"]["embeds"][0]["description"]
    check_all_bodies(harness)


async def test_more_like_this_on_the_bots_answer(harness: Harness) -> None:
    """More like this on a /search answer: passages like its quotes, not the quotes, privately."""
    search = await harness.command("search", query="Merida")
    answer = harness.fake.reply_to(search)
    payload = await harness.send(harness.fake.message_command("More like this", answer))
    callback = harness.fake.callback(payload)
    assert callback["data"]["flags"] & EPHEMERAL
    data = callback["data"]["embeds"][0]
    assert data["title"].startswith("More like ¶4 of US-Mexico Cooperation")
    assert "`039f1f822eee`" not in data["description"]  # the quotes themselves are left out
    assert "**1.** " in data["description"]
    check_all_bodies(harness)


async def test_more_like_this_elsewhere_says_what_it_is_for(harness: Harness) -> None:
    """On a member's message, or on an answer without quotes, a private sentence says why not."""
    member = harness.fake.member_message("039f1f822eee is a nice passage")
    payload = await harness.send(harness.fake.message_command("More like this", member))
    assert NOT_OURS in harness.fake.callback(payload)["data"]["embeds"][0]["description"]
    docs = await harness.command("docs")
    payload = await harness.send(
        harness.fake.message_command("More like this", harness.fake.reply_to(docs))
    )
    assert NO_QUOTES in harness.fake.callback(payload)["data"]["embeds"][0]["description"]


async def test_every_explore_answer_stays_within_limits(make_harness: BotFactory) -> None:
    """Nasty terms through every command and option, every page visited: within every limit,
    no live mention, balanced markup."""
    h = await make_harness(cooldown_rate=0)
    documents = [d.doc_id for d in h.bot.workspace.engine.documents]
    for term in [*NASTY_QUERIES, "police", "human rights", "\\` `` ```", "a\\"]:
        term = term[:200] or " "
        await click_everything(h, await h.command("kwic", term=term, stem=True, sort="left"))
        await h.command("collocates", term=term, window=10, measure="t", min_freq=1)
        await h.command("trend", term_or_theme=term)
    for doc in documents:
        await click_everything(h, await h.command("keywords", document=doc))
        await h.command("trend", term_or_theme="security", document=doc)
        await click_everything(h, await h.command("kwic", term="security", document=doc))
    for value in ["@everyone", "**x**", "<@123456789012345678>", "`"]:
        await h.command("keywords", document=value)
        await h.command("kwic", term="police", document=value)
    check_all_bodies(h)
    for body in h.fake.message_bodies():
        for e in body.get("embeds") or []:
            assert limits.width(e.get("description", "")) <= limits.EMBED_DESCRIPTION
