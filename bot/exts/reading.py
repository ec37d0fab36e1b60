"""Reading aids: `/summary`, `/theme`, `/themes` and `/related`."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import CorpusBot
from bot.exts import _autocomplete
from bot.exts._checks import user_cooldown
from bot.exts._pager import answer
from bot.rendering import answers

log = logging.getLogger(__name__)


class Reading(commands.Cog):
    """Summaries of a document, the codebook's themes, and passages related to a passage."""

    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot

    @app_commands.command(name="summary")
    @app_commands.describe(
        document="The document to summarise (title or id)",
        focus="Optional words to focus the summary on",
    )
    @app_commands.autocomplete(document=_autocomplete.documents)
    @user_cooldown()
    async def summary(
        self,
        interaction: discord.Interaction[CorpusBot],
        document: app_commands.Range[str, 1, 100],
        focus: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        """The key sentences of a document, each citing its paragraph."""
        await answer(interaction, lambda ws: answers.summary(ws, document, focus=focus))

    @app_commands.command(name="theme")
    @app_commands.describe(name="The theme (see /themes)")
    @app_commands.autocomplete(name=_autocomplete.themes)
    @user_cooldown()
    async def theme(
        self, interaction: discord.Interaction[CorpusBot], name: app_commands.Range[str, 1, 100]
    ) -> None:
        """The passages that speak to one theme, and where they are."""
        per_page = self.bot.settings.discord.results_per_page
        await answer(interaction, lambda ws: answers.theme(ws, name, per_page=per_page))

    @app_commands.command(name="themes")
    @user_cooldown()
    async def themes(self, interaction: discord.Interaction[CorpusBot]) -> None:
        """Every theme, and the documents that discuss it most."""
        await answer(interaction, answers.themes)

    @app_commands.command(name="related")
    @app_commands.describe(passage_id="The passage id shown on every quote")
    @user_cooldown()
    async def related(
        self,
        interaction: discord.Interaction[CorpusBot],
        passage_id: app_commands.Range[str, 1, 64],
    ) -> None:
        """Passages elsewhere in the corpus most like the given one."""
        per_page = self.bot.settings.discord.results_per_page
        await answer(interaction, lambda ws: answers.related(ws, passage_id, per_page=per_page))


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(Reading(bot))
