"""Finding passages: `/search`, `/passage` and `/docs`; their quotes carry Code… and Save."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import CorpusBot
from bot.exts import _autocomplete
from bot.exts._checks import user_cooldown
from bot.exts._pager import answer
from bot.rendering import answers, team_answers
from bot.rendering.team import with_team_actions

log = logging.getLogger(__name__)

MAX_QUERY = 300
MAX_RESULTS = 50
MAX_CONTEXT = 5


class Search(commands.Cog):
    """Search the corpus and open a passage with its neighbours."""

    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot

    @app_commands.command(name="search")
    @app_commands.describe(
        query='Words to look for; "exact phrase", -word to exclude a word, +word to require one',
        document="Only search this document (title or id)",
        speaker="Only this interview speaker's turns",
        results="How many passages to show (default 10)",
    )
    @app_commands.autocomplete(document=_autocomplete.documents, speaker=_autocomplete.speakers)
    @user_cooldown()
    async def search(
        self,
        interaction: discord.Interaction[CorpusBot],
        query: app_commands.Range[str, 1, MAX_QUERY],
        document: app_commands.Range[str, 1, 100] | None = None,
        speaker: app_commands.Range[str, 1, 100] | None = None,
        results: app_commands.Range[int, 1, MAX_RESULTS] | None = None,
    ) -> None:
        """Find the passages that best match your words, quoted with their sources."""
        per_page = self.bot.settings.discord.results_per_page
        await answer(
            interaction,
            lambda ws: with_team_actions(
                answers.search(
                    ws,
                    query,
                    document=document,
                    speaker=speaker,
                    results=results,
                    per_page=per_page,
                )
            ),
        )

    @app_commands.command(name="passage")
    @app_commands.describe(
        id="The passage id shown on every quote, or a document and ¶ number: 000¶32",
        context="How many passages to show before and after it (default 1)",
    )
    @user_cooldown()
    async def passage(
        self,
        interaction: discord.Interaction[CorpusBot],
        id: app_commands.Range[str, 1, 64],
        context: app_commands.Range[int, 0, MAX_CONTEXT] = 1,
    ) -> None:
        """Show one passage with the passages around it, and the team's memos on it."""
        store = self.bot.store
        await answer(
            interaction,
            lambda ws: with_team_actions(team_answers.passage_with_memos(ws, store, id, context)),
        )

    @app_commands.command(name="docs")
    @user_cooldown()
    async def docs(self, interaction: discord.Interaction[CorpusBot]) -> None:
        """List the documents in the corpus, with their ids and sizes."""
        await answer(interaction, answers.documents)


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(Search(bot))
