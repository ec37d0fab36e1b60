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
    first_quote = next(x for x in embed["description"].split("\n") if x.startswith("> "))
    assert first_quote.replace("\\", "") in out


def test_console_pages_and_opens_context(settings: Settings) -> None:
    """n and p page through an answer; `c 4` shows quote 4's neighbours (page 2 shows 4–6)."""
    _, out = console(
        settings, ["/search mexico police", "n", "n", "p", "c 4", "p", "x" * 3, "q", "/docs"]
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


# -- issue 10: a console that behaves --------------------------------------------------------------


def test_quote_numbers_on_screen_are_the_numbers_c_and_r_take(settings: Settings) -> None:
    """On page 2 the quotes are numbered 4–6, and `c 5` opens quote 5; `c 1` is not there."""
    _, out = console(settings, ["/search human rights", "n", "c 1", "c 5"])
    page_two = out.split("page 2/")[0].rsplit("Search: human rights", 1)[1]
    fifth = page_two.split("**5.** ")[1].split("`")[1]
    assert "[page 2/4: n next, p previous · c 4–6 more context · r 4–6 related" in out
    assert "No quote 1 to open here." in out
    assert f"passage {fifth} · 2 neighbours" in out


def test_b_returns_from_a_context_view_to_the_results(settings: Settings) -> None:
    """`c 5` then `b` shows page 2 of the results again; nothing left, `b` says so."""
    _, out = console(settings, ["/search human rights", "n", "c 5", "b", "b"])
    views = out.split("Search: human rights")
    assert len(views) == 4 and "page 2/4" in views[3]
    assert out.rstrip().endswith("Nothing to go back to.")


def test_help_lists_only_the_commands_the_console_has(settings: Settings) -> None:
    """/help in the console shows /reload but not /sync, which the console does not have."""
    _, out = console(settings, ["/help"])
    assert "`/reload`" in out and "/sync" not in out
    assert "`/search query [document] [speaker] [results]`" in out


def test_bare_words_are_a_search_only_when_not_a_command(settings: Settings) -> None:
    """`docs` and `help` run those commands; `human rights` is a search."""
    assert parse_command("docs") == ("docs", {})
    assert parse_command("summary 003") == ("summary", {"document": "003"})
    assert parse_command("Themes") == ("themes", {})
    assert parse_command("human rights") == ("search", {"query": "human rights"})


def test_summary_sentences_are_numbered_for_c(settings: Settings) -> None:
    """Summary sentences are numbered, cite ¶ and id, and `c 3` opens sentence 3's passage."""
    _, out = console(settings, ["/summary 003", "c 3"])
    third = out.split("**3.** ¶")[1].split("\n")[0]  # "4 · `039f1f822eee`"
    pid = third.split("`")[1]
    assert f"passage {pid} ·" in out


def test_ctrl_c_ends_the_console_without_a_traceback(settings: Settings) -> None:
    """Ctrl-C at the prompt ends the console with 130 and no traceback."""

    class CtrlC(io.StringIO):
        def readline(self, size: int | None = -1) -> str:
            raise KeyboardInterrupt

    out = io.StringIO()
    try:
        code = run_console(settings, stdin=CtrlC(), stdout=out)
    except KeyboardInterrupt:  # would stop the whole test run
        pytest.fail("Ctrl-C escaped the console")
    assert code == 130
    assert "Traceback" not in out.getvalue()


def test_line_editing_and_history_on_a_terminal(tmp_path: Path) -> None:
    """On a terminal, the up arrow recalls the last line (readline), in a real process."""
    import os
    import pty
    import select
    import subprocess
    import sys
    import time

    from tests.conftest import CONFIG, ROOT, SEEDS

    config = tmp_path / "bot.yaml"  # the repository's corpus and codebook, the test's database
    config.write_text(
        f"corpus: {{folder: '{SEEDS}'}}\nthemes: {{file: '{CONFIG.parent / 'themes.yaml'}'}}\n"
        f"store: {{path: '{tmp_path / 'team.sqlite3'}'}}\n"
    )
    main, child = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "console"],
        stdin=child,
        stdout=child,
        stderr=child,
        cwd=ROOT,
        env={
            **os.environ,
            "TERM": "xterm",
            "INPUTRC": str(tmp_path / "none"),
            "CORPUS_BOT_CONFIG": str(config),
        },
        close_fds=True,
    )
    os.close(child)
    seen = b""

    def read_until(marker: bytes, count: int = 1) -> bytes:
        nonlocal seen
        deadline = time.monotonic() + 60
        while seen.count(marker) < count and time.monotonic() < deadline:
            ready, _, _ = select.select([main], [], [], 1.0)
            if ready:
                try:
                    seen += os.read(main, 65536)
                except OSError:
                    break
        return seen

    try:
        read_until(b"> ")
        os.write(main, b"/docs\r")
        read_until(b"Documents", 1)
        os.write(main, b"\x1b[A\r")  # up arrow: the previous line, then Enter
        out = read_until(b"Documents", 2)
        os.write(main, b"q\r")
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(main)
    assert out.count(b"Documents") >= 2, out[-2000:]


def test_a_chat_search_over_max_top_says_so(
    seeds_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Asking the chat for more results than `search.max_top` shows the cap and says so."""
    capped = dataclasses.replace(
        seeds_workspace.settings,
        search=dataclasses.replace(seeds_workspace.settings.search, max_top=4),
    )
    monkeypatch.setattr(seeds_workspace.engine, "settings", capped)
    pages = answers.search(seeds_workspace, "security", results=20, per_page=10)
    text = page_as_text(pages[0])
    assert "Showing at most 4 results (this bot's search.max_top), not 20." in text
    assert len(pages[0].passages) == 4


def test_console_cites_a_passage(settings: Settings) -> None:
    """`/cite ID style:bibtex` prints the BibTeX entry; an unknown style says which exist."""
    _, out = console(settings, ["/cite 039f1f822eee style:bibtex", "/cite 039f1f822eee style:mla"])
    assert "@misc{mexico," in out and "\\cite[para.~4]{mexico}" in out
    assert "Unknown citation style 'mla'. Choose one of: apa, chicago, bibtex." in out
