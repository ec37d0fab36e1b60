"""/summary, /theme, /themes and /related over the seed corpus, through discord.py."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from bot.engine import Workspace
from tests.discord.conftest import BotFactory, Harness
from tests.discord.fake_discord import EPHEMERAL


def embed(harness: Harness, payload: dict) -> dict:
    return harness.fake.reply_to(payload)["embeds"][0]


async def test_summary_quotes_key_sentences_citing_paragraphs(harness: Harness) -> None:
    """/summary document:003 numbers its sentences, each citing ¶ and passage id, then outline."""
    payload = await harness.command("summary", document="003")
    data = embed(harness, payload)
    assert data["title"] == "Summary: US-Mexico Cooperation in Fighting Organized Crime"
    lines = data["description"].split("\n")
    quotes = [i for i, line in enumerate(lines) if line.startswith("> ")]
    cites = [lines[i - 1] for i in quotes]
    assert quotes and all(re.fullmatch(r"\*\*\d+\.\*\* ¶\d+ · `[0-9a-f]{12}`", c) for c in cites)
    assert [c.split(".**")[0] for c in cites] == [f"**{n}" for n in range(1, len(cites) + 1)]
    assert any("Mérida Initiative" in lines[i] for i in quotes)
    assert [f["name"] for f in data["fields"]] == ["Outline", "Key terms"]
    options = harness.fake.find_component(harness.fake.reply_to(payload), "More context")
    values = [o["value"] for o in options["options"]]
    assert len(values) == len(set(values))  # one option per passage, even when it gives two
    numbers = [int(o["label"].split(" · ")[0]) for o in options["options"]]
    assert numbers == sorted(numbers)


async def test_summary_focus_and_unknown_document(harness: Harness) -> None:
    """A focus is echoed; an unknown document gets the engine's sentence, privately."""
    payload = await harness.command("summary", document="000", focus="human rights")
    assert "Focus: human rights" in embed(harness, payload)["description"]
    missing = await harness.command("summary", document="zzz")
    callback = harness.fake.callback(missing)
    assert callback["data"]["flags"] & EPHEMERAL
    assert callback["data"]["embeds"][0]["description"].startswith("No document matches 'zzz'.")


async def test_theme_lists_its_passages_and_where_they_are(harness: Harness) -> None:
    """/theme human-rights explains the theme, ranks passages with sources, and pages."""
    payload = await harness.command("theme", name="human-rights")
    data = embed(harness, payload)
    assert data["title"] == "Theme: Human rights"
    assert data["description"].startswith("Violations and protection of fundamental rights")
    assert "\n**1.** " in data["description"] and "**human rights**" in data["description"]
    assert "theme human-rights" in data["footer"]["text"]
    assert harness.fake.find_component(harness.fake.reply_to(payload), "Next")


async def test_unknown_theme_suggests_privately(harness: Harness) -> None:
    payload = await harness.command("theme", name="human-right")
    callback = harness.fake.callback(payload)
    assert callback["data"]["flags"] & EPHEMERAL
    assert "human-rights" in callback["data"]["embeds"][0]["description"]


async def test_theme_autocomplete_offers_labels(harness: Harness) -> None:
    choices = await harness.autocomplete("theme", "name", name="human")
    assert {"name": "Human rights (human-rights)", "value": "human-rights"} in choices


async def test_themes_has_a_field_per_theme(harness: Harness) -> None:
    """/themes shows every theme of the codebook once, in its order, across the pages."""
    payload = await harness.command("themes")
    shown = [f["name"].rsplit(" · ", 1)[1] for f in embed(harness, payload)["fields"]]
    pages = 1
    while not harness.fake.find_component(harness.fake.reply_to(payload), "Next")["disabled"]:
        await harness.click(harness.fake.reply_to(payload), "Next")
        shown += [f["name"].rsplit(" · ", 1)[1] for f in embed(harness, payload)["fields"]]
        pages += 1
    names = [t.name for t in harness.bot.workspace.require_codebook().themes]
    assert shown == names and pages > 1  # the seeds' codebook needs two pages


async def test_related_quotes_other_documents(harness: Harness) -> None:
    """/related lists passages from other documents, with context available for each."""
    payload = await harness.command("related", passage_id="039f1f822eee")
    data = embed(harness, payload)
    assert data["title"] == "Related to ¶4 of US-Mexico Cooperation in Fighting Organized Crime"
    heads = [line for line in data["description"].split("\n") if line.startswith("**")]
    assert heads and not any("US-Mexico Cooperation in Fighting" in h for h in heads)
    message = harness.fake.reply_to(payload)
    assert harness.fake.find_component(message, "More context")
    assert not [c for c in harness.fake.components(message) if "Related" in str(c)]


async def test_no_codebook_is_explained_not_crashed(
    make_harness: BotFactory, write_corpus, corpus_settings, caplog: pytest.LogCaptureFixture
) -> None:
    """A corpus without themes.yaml: /themes answers privately, /help and autocomplete work."""
    folder: Path = write_corpus(
        {"a.txt": "Alpha Report\n\nThe Mérida Initiative funded training.\n"}
    )
    h = await make_harness(workspace_=Workspace.load(corpus_settings(folder)))
    with caplog.at_level(logging.WARNING):
        payload = await h.command("themes")
    callback = h.fake.callback(payload)
    assert callback["data"]["flags"] & EPHEMERAL
    assert "not set up correctly" in callback["data"]["embeds"][0]["description"]
    assert "theme codebook not found" in caplog.text
    assert await h.autocomplete("theme", "name", name="") == []
    help_payload = await h.command("help")
    assert "Example: `/theme name:name`" in str(h.fake.callback(help_payload))
