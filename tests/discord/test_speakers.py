"""`/search speaker:` keeps one interview speaker's turns; the option autocompletes speakers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.engine import Workspace
from bot.settings import Settings
from tests.discord.conftest import BotFactory
from tests.engine.readers.test_transcripts import INTERVIEW


async def test_search_by_speaker(
    make_harness: BotFactory,
    write_corpus: Callable[[dict[str, str | bytes]], Path],
    corpus_settings: Callable[[Path], Settings],
) -> None:
    """`speaker:R1` quotes R1's turn only, its source line naming R1; the option offers R1."""
    folder = write_corpus({"int07.txt": INTERVIEW})
    harness = await make_harness(workspace_=Workspace.load(corpus_settings(folder)))
    choices = await harness.autocomplete("search", "speaker", query="soldiers", speaker="r")
    assert {"name": "R1", "value": "R1"} in choices
    payload = await harness.command("search", query="soldiers changed", speaker="R1")
    description = harness.fake.callback(payload)["data"]["embeds"][0]["description"]
    heads = [line for line in description.split("\n") if line.startswith("**")]
    assert heads and all(" · R1 · " in head for head in heads)
    assert "Interviewer" not in description
