"""Errors and stale clicks: every command's error reaches the user as one private sentence.

An extension rather than code in the bot class (the pattern of python-discord's
`exts/backend/error_handler.py` and RoboDanny): the client then knows nothing of how errors are
worded or which controls are ours; loading this extension installs the tree's error handler and the
listener for clicks on controls no live view owns, and unloading it removes both.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import CorpusBot
from bot.exts._pager import answer_stale_control
from bot.exts._replies import report_error

log = logging.getLogger(__name__)


class ErrorHandler(commands.Cog):
    """Installs the command tree's error handler; listens for clicks on expired pagers."""

    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot
        self._previous = bot.tree.on_error

    async def cog_load(self) -> None:
        self.bot.tree.on_error = self.on_app_command_error  # type: ignore[method-assign]

    async def cog_unload(self) -> None:
        self.bot.tree.on_error = self._previous  # type: ignore[method-assign]

    async def on_app_command_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        await report_error(interaction, error)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        # Clicks on controls no live view owns (after a restart, or a view that timed out).
        await answer_stale_control(interaction)


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(ErrorHandler(bot))
