"""The command tree: names and descriptions Discord accepts, unique, and matching /help."""

from __future__ import annotations

import importlib

from discord import AppCommandType, app_commands

from bot.client import walk_extensions
from bot.rendering import limits
from bot.rendering.help import COMMANDS as HELP
from tests.discord.conftest import Harness


def test_every_extension_has_a_setup() -> None:
    """Each cog module of bot.exts can be loaded as an extension."""
    names = list(walk_extensions())
    assert {"bot.exts.search", "bot.exts.reading", "bot.exts.admin", "bot.exts.help"} <= set(names)
    for name in names:
        assert callable(importlib.import_module(name).setup)


async def test_commands_are_unique_and_valid(harness: Harness) -> None:
    """Every command and option has a valid lowercase name and a 1–100 char description."""
    tree = harness.bot.tree
    commands = tree.get_commands(type=AppCommandType.chat_input)
    names = [c.name for c in commands]
    assert len(names) == len(set(names))
    for command in commands:
        assert isinstance(command, app_commands.Command)
        assert limits.check_command(command.to_dict(tree)) == []


async def test_help_describes_exactly_the_registered_commands(harness: Harness) -> None:
    """The /help catalogue names every slash command, with its options in order."""
    registered = {c.name: c for c in harness.bot.tree.get_commands(type=AppCommandType.chat_input)}
    assert {h.name for h in HELP} == set(registered)
    for entry in HELP:
        command = registered[entry.name]
        usage = [f"/{entry.name}"] + [
            p.name if p.required else f"[{p.name}]" for p in command.parameters
        ]
        assert entry.usage == " ".join(usage)


async def test_start_syncs_to_the_configured_guild(harness: Harness) -> None:
    """Logging in syncs the commands to the configured guild only, each within the limits."""
    syncs = [r for r in harness.fake.requests if r.method == "PUT"]
    assert [r.path for r in syncs] == [
        f"/applications/{harness.bot.application_id}/guilds/"
        f"{harness.bot.settings.discord.guild_ids[0]}/commands"
    ]
    for command in syncs[0].json:
        assert limits.check_command(command) == []
    assert {c["name"] for c in syncs[0].json if c.get("type", 1) == 1} == {h.name for h in HELP}


async def test_message_menus_are_registered_with_valid_names(harness: Harness) -> None:
    """The two message menus are synced as message commands with names Discord accepts."""
    menus = harness.bot.tree.get_commands(type=AppCommandType.message)
    assert sorted(m.name for m in menus) == ["More like this", "Search corpus for this message"]
    synced = next(r for r in harness.fake.requests if r.method == "PUT").json
    payloads = [c for c in synced if c.get("type") == AppCommandType.message.value]
    assert len(payloads) == 2
    for payload in payloads:
        assert limits.check_command(payload) == []
    too_long = {"name": "Search the corpus for this message", "type": 3}
    assert limits.check_command(too_long) != []
