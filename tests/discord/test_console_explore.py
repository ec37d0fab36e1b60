"""The console's exploration commands: the bot's own pages, as text."""

from __future__ import annotations

import io

import pytest

from bot.console import UsageError, parse_command, run_console
from bot.engine import Workspace
from bot.rendering import explore_answers
from bot.rendering.terminal import page_as_text
from bot.settings import Settings


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/kwic Merida", ("kwic", {"term": "Merida"})),
        (
            "/kwic killing stem:yes sort:LEFT width:30 document:000",
            (
                "kwic",
                {"term": "killing", "stem": True, "sort": "left", "width": 30, "document": "000"},
            ),
        ),
        (
            "/collocates police window:3 measure:mi min_freq:2",
            ("collocates", {"term": "police", "window": 3, "measure": "mi", "min_freq": 2}),
        ),
        ("/keywords 003", ("keywords", {"document": "003"})),
        (
            "/trend human-rights stem:no",
            ("trend", {"term_or_theme": "human-rights", "stem": False}),
        ),
    ],
)
def test_parse_explore_commands(line: str, expected: tuple[str, dict]) -> None:
    assert parse_command(line) == expected


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/kwic x sort:up", "sort must be one of: position, left, right"),
        ("/collocates x measure:chi2", "measure must be one of: ll, mi, t"),
        ("/collocates x window:99", "window must be a whole number from 1 to 10"),
        ("/kwic x stem:maybe", "stem must be true or false"),
        ("/keywords", "/keywords needs document"),
    ],
)
def test_bad_explore_options_say_how(line: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_command(line)


def test_console_prints_the_bots_kwic_and_names_the_chart(
    settings: Settings, workspace: Workspace
) -> None:
    """`/kwic Merida` prints the bot's page; `/trend police` shows its numbers and its chart."""
    lines = ["/kwic Merida", "/trend police", "q"]
    out = io.StringIO()
    assert run_console(settings, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out) == 0
    text = out.getvalue()
    assert page_as_text(explore_answers.kwic(workspace, "Merida")[0]) in text
    assert "**Mérida** `Initiative, a security" in text
    assert "[chart trend.png]" in text and "per 10k" in text
