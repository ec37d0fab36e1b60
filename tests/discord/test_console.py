"""The console: the same pages as the bot, as text, driven by piped input."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest

from bot.console import UsageError, parse_command, run_console
from bot.engine import Workspace
from bot.rendering import answers
from bot.rendering.terminal import page_as_text
from bot.settings import CorpusSettings, Settings
from tests.discord.conftest import Harness
from tests.discord.fake_discord import CHANNEL_MESSAGE


def console(settings: Settings, lines: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    code = run_console(settings, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out)
    return code, out.getvalue()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/search human rights", ("search", {"query": "human rights"})),
        ("human rights", ("search", {"query": "human rights"})),
        (
            "/search query:Merida document:003 results:5",
            ("search", {"query": "Merida", "document": "003", "results": 5}),
        ),
        ("/search police document:003", ("search", {"query": "police", "document": "003"})),
        ("/search time: 10:30", ("search", {"query": "time: 10:30"})),
        (
            "/summary 003 focus:human rights",
            ("summary", {"document": "003", "focus": "human rights"}),
        ),
        ("/passage abc context:2", ("passage", {"id": "abc", "context": 2})),
        ("/theme human-rights", ("theme", {"name": "human-rights"})),
        ("/docs", ("docs", {})),
        ("/HELP", ("help", {})),
    ],
)
def test_parse_command(line: str, expected: tuple[str, dict]) -> None:
    """Bare text before the first `name:` fills the first option; numbers are checked."""
    assert parse_command(line) == expected


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/nope x", "Unknown command /nope"),
        ("/search", "/search needs query"),
        ("/search x results:many", "results must be a whole number from 1 to 50"),
        ("/passage x context:9", "context must be a whole number from 0 to 5"),
        ("/docs extra", "/docs takes no options"),
    ],
)
def test_parse_command_errors_say_how(line: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_command(line)


def test_console_prints_the_same_page_as_the_bot(settings: Settings, workspace: Workspace) -> None:
    """`/search query:Merida` prints exactly the bot's first page, as text, then the keys."""
    code, out = console(settings, ["/search query:Merida", "q"])
    assert code == 0
    page = answers.search(workspace, "Merida")[0]
    assert page_as_text(page) in out
    assert "the **Mérida** Initiative, a security cooperation agreement" in out
    assert "[c 1–2 more context · r 1–2 related · q quit]" in out


async def test_console_text_matches_the_discord_embed(settings: Settings, make_harness) -> None:
    """What the console prints is what Discord received, minus markdown escapes."""
    h: Harness = await make_harness()
    payload = await h.command("search", query="@everyone **Mérida** police")
    callback = h.fake.callback(payload)
    assert callback["type"] == CHANNEL_MESSAGE
    embed = callback["data"]["embeds"][0]
    _, out = console(settings, ["/search @everyone **Mérida** police"])
    assert "Search: @everyone **Mérida** police" in out
    first_quote = embed["description"].split("\n")[1]
    assert first_quote.startswith("> ")
    assert first_quote.replace("\\", "") in out


def test_console_pages_and_opens_context(settings: Settings) -> None:
    """n and p page through an answer; `c 1` shows the first quote's neighbours."""
    _, out = console(
        settings, ["/search mexico police", "n", "n", "p", "c 1", "p", "x" * 3, "q", "/docs"]
    )
    assert "page 2/" in out and "page 3/" in out
    assert "this passage" in out
    assert "No more pages that way." in out
    assert "Documents in the corpus" not in out  # nothing after q


def test_console_reports_errors_as_sentences(settings: Settings) -> None:
    """Unknown commands, documents and passages each get one clear sentence."""
    _, out = console(
        settings, ["/bogus", "/search police document:nope", "/passage 000", "c 9", "n"]
    )
    assert "Unknown command /bogus" in out
    assert "No document matches 'nope'" in out
    assert "No passage has the id '000'" in out
    assert "No quote 9 to open here." in out


def test_console_reload_reports_changes(write_corpus, tmp_path: Path) -> None:
    """/reload in the console re-reads the folder and says what changed."""
    folder = write_corpus({"a.txt": "Alpha Report\n\nThe Mérida Initiative funded training.\n"})
    settings = dataclasses.replace(
        Settings(), base_dir=str(folder.parent), corpus=CorpusSettings(folder=folder.name)
    )

    class Script(io.StringIO):
        """Piped input that adds a document to the folder just before `/reload` is read."""

        def readline(self, size: int | None = -1) -> str:
            line = super().readline(size)
            if line.startswith("/reload"):
                (folder / "b.txt").write_text("Beta Notes\n\nCartels moved fentanyl north.\n")
            return line

    out = io.StringIO()
    assert run_console(settings, stdin=Script("/docs\n/reload\n"), stdout=out) == 0
    assert "**Added:** Beta Notes" in out.getvalue()


def test_console_without_corpus_fails_clearly(tmp_path: Path) -> None:
    """An empty corpus folder: exit code 1 and the engine's reason."""
    (tmp_path / "corpus").mkdir()
    settings = dataclasses.replace(
        Settings(), base_dir=str(tmp_path), corpus=CorpusSettings(folder="corpus")
    )
    code, out = console(settings, ["/docs"])
    assert code == 1
    assert "no documents found" in out


def test_console_cites_a_passage(settings: Settings) -> None:
    """`/cite ID style:bibtex` prints the BibTeX entry; an unknown style says which exist."""
    _, out = console(settings, ["/cite 039f1f822eee style:bibtex", "/cite 039f1f822eee style:mla"])
    assert "@misc{mexico," in out and "\\cite[para.~4]{mexico}" in out
    assert "Unknown citation style 'mla'. Choose one of: apa, chicago, bibtex." in out
