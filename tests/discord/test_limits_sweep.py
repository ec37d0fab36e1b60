"""Every command over every document, theme and a set of nasty queries: every body Discord would
receive is within its limits, pings no one and has balanced markup."""

from __future__ import annotations

import pytest

from bot.rendering import limits
from tests.discord.conftest import BotFactory, Harness

NASTY_QUERIES = [
    "Merida",
    "human rights",
    '"organized crime" -drug',
    "mexico police military cooperation reform training",
    "",
    "   ",
    "a" * 10_000,
    ("security " * 2000).strip(),
    "@everyone",
    "@here <@123456789012345678> <@&456> <#789>",
    "**bold** __under__ ~~strike~~ ||spoiler|| `code` ```block```",
    "> quote\n# heading\n- list\n1. item",
    "[masked](https://example.com) https://example.com/a_b*c",
    "the of and",
    "( * \\ $ \" ' -",
    "Mérida 🇲🇽 emoji 🙂",
    "مرحبا שלום \u202eevil",
    "zero\u200bwidth\u0000control\u0007",
    "e\u0301\u0301\u0301 combining",
    "merdia policee",
]


def check_all_bodies(harness: Harness) -> None:
    bodies = harness.fake.message_bodies()
    assert bodies
    for body in bodies:
        problems = limits.check_message(body) + limits.safety_problems(body)
        assert not problems, (problems, body)
    for request in harness.fake.requests:
        if request.path.endswith("/callback") and request.json["type"] == 8:
            assert limits.check_choices(request.json["data"]["choices"]) == []


async def click_everything(harness: Harness, payload: dict) -> None:
    """Page to the end and open context and related for the first quote of each page."""
    message = harness.fake.reply_to(payload)
    labels = [c.get("label") or c.get("placeholder") for c in harness.fake.components(message)]
    for label in ("More context", "Related"):
        if any(str(x).startswith(label) for x in labels):
            await harness.click(message, label)
    while any(
        c.get("label") == "Next" and not c["disabled"] for c in harness.fake.components(message)
    ):
        await harness.click(message, "Next")
        message = harness.fake.reply_to(payload)


@pytest.mark.parametrize("per_page", [1, 3, 10])
async def test_every_query_renders_within_limits(make_harness: BotFactory, per_page: int) -> None:
    """Nasty queries at several page sizes, with every page and control visited."""
    h = await make_harness(results_per_page=per_page, cooldown_rate=0)
    for query in NASTY_QUERIES:
        payload = await h.command("search", query=query, results=50)
        await click_everything(h, payload)
    check_all_bodies(h)


async def test_every_document_renders_within_limits(make_harness: BotFactory) -> None:
    """Search in, summarise, autocomplete and open passages of every document."""
    h = await make_harness(cooldown_rate=0)
    engine = h.bot.workspace.engine
    for doc in engine.documents:
        await h.command("search", query="security", document=doc.doc_id)
        await click_everything(h, await h.command("summary", document=doc.doc_id))
        await h.autocomplete("summary", "document", document=doc.title[:12])
        for passage in engine.corpus.passages_of(doc.doc_id)[::7]:
            await h.command("passage", id=passage.id, context=5)
            await h.command("related", passage_id=passage.id)
    for command in ("docs", "help", "themes"):
        await click_everything(h, await h.command(command))
    check_all_bodies(h)


async def test_every_theme_renders_within_limits(make_harness: BotFactory) -> None:
    """Each theme of the codebook (when the engine has themes), paged to the end."""
    h = await make_harness(cooldown_rate=0, results_per_page=2)
    codebook = h.bot.workspace.codebook
    names = [t.name for t in codebook.themes] if codebook else ["human-rights"]
    for name in names:
        await click_everything(h, await h.command("theme", name=name))
        await h.autocomplete("theme", "name", name=name[:3])
    check_all_bodies(h)


async def test_nasty_option_values_render_within_limits(make_harness: BotFactory) -> None:
    """Odd document names, passage ids and theme names get clean, escaped answers."""
    h = await make_harness(cooldown_rate=0)
    for value in ["@everyone", "**x**", "a" * 3000, "<@123456789012345678>", "\u202e", "`"]:
        await h.command("search", query="police", document=value)
        await h.command("passage", id=value)
        await h.command("summary", document=value, focus=value)
        await h.command("theme", name=value)
        await h.command("related", passage_id=value)
        await h.autocomplete("search", "document", query="x", document=value)
    check_all_bodies(h)
