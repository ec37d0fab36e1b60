"""`/help`: every command, what it is for, and an example that works on this corpus."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import CorpusBot
from bot.exts._pager import answer
from bot.rendering import answers

log = logging.getLogger(__name__)


class Help(commands.Cog):
    """The command reference, shown privately."""

    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot

    @app_commands.command(name="help")
    async def help(self, interaction: discord.Interaction[CorpusBot]) -> None:
        """What each command does, with examples from the corpus."""
        await answer(interaction, answers.help_pages, ephemeral=True)


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(Help(bot))
