"""Autocomplete for document and theme options, shared by the cogs that take them.

Why no worker thread here: Discord gives autocomplete 3 seconds and users type fast; matching a
few thousand titles with rapidfuzz takes milliseconds, far less than a thread hop under load.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.engine.errors import EngineError
from bot.rendering import limits
from bot.rendering.choices import document_choices, theme_choices

if TYPE_CHECKING:
    from bot.client import CorpusBot

log = logging.getLogger(__name__)

MAX_TYPED = 200  # characters of the typed text matched against titles


async def documents(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Documents whose title words or id match what the user has typed so far."""
    bot: CorpusBot = interaction.client
    try:
        found = bot.workspace.engine.match_documents(current[:MAX_TYPED], limit=limits.CHOICES)
    except EngineError:  # not loaded yet
        return []
    return [app_commands.Choice(name=n, value=v) for n, v in document_choices(found)]


async def speakers(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Interview speakers whose name contains what the user has typed so far."""
    bot: CorpusBot = interaction.client
    try:
        engine = bot.workspace.engine
    except EngineError:
        return []
    typed = engine.analyzer.normalize(current[:MAX_TYPED].strip())
    names = [name for folded, name in engine.speakers.items() if typed in folded]
    # Speaker labels are at most 40 characters (`passages.SPEAKER_MAX_CHARS`): they fit a choice.
    return [app_commands.Choice(name=n, value=n) for n in names[: limits.CHOICES]]


async def themes(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Themes whose name or label contains what the user has typed so far."""
    bot: CorpusBot = interaction.client
    try:
        codebook = bot.workspace.codebook
    except EngineError:
        return []
    if codebook is None:  # no codebook, or a broken one: nothing to offer; /theme explains why
        return []
    return [
        app_commands.Choice(name=n, value=v) for n, v in theme_choices(codebook.containing(current))
    ]
