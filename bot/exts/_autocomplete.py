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
from bot.rendering import answers
from bot.settings import ConfigError

if TYPE_CHECKING:
    from bot.client import CorpusBot

log = logging.getLogger(__name__)


async def documents(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Documents whose title words or id match what the user has typed so far."""
    bot: CorpusBot = interaction.client
    try:
        pairs = answers.document_choices(bot.engine, current)
    except EngineError:
        return []
    return [app_commands.Choice(name=name, value=value) for name, value in pairs]


async def themes(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Themes whose name or label contains what the user has typed so far."""
    bot: CorpusBot = interaction.client
    try:
        pairs = answers.theme_choices(bot.engine, current)
    except (EngineError, ConfigError):  # no codebook: nothing to offer; /theme explains why
        return []
    return [app_commands.Choice(name=name, value=value) for name, value in pairs]
