"""Saved quotes and exports: `/save`, `/collection`, `/export`.

Why exports answer with a file: the team's analysis tools (NVivo, ATLAS.ti, MAXQDA, QualCoder,
a spreadsheet) open these files directly. A file past the server's upload limit is not cut: the
answer says so and points to `corpus-bot export`, which writes the same bytes on the bot's machine.
"""

from __future__ import annotations

import asyncio
import io
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import CorpusBot
from bot.exts import _autocomplete
from bot.exts._checks import coder_only, user_cooldown
from bot.exts._pager import answer
from bot.exts._replies import deliver, page_kwargs, send_page
from bot.exts._team import team_of
from bot.rendering import team_answers
from bot.rendering.pages import notice
from bot.rendering.team import done

log = logging.getLogger(__name__)

NAME = app_commands.Range[str, 1, 100]
WHAT = [
    app_commands.Choice(name="codings (every coding)", value="codings"),
    app_commands.Choice(name="a collection of saved quotes", value="collection"),
    app_commands.Choice(name="the codebook (codes)", value="codebook"),
    app_commands.Choice(name="the project (codes, codings, memos, documents)", value="project"),
]
FORMATS = [
    app_commands.Choice(name="CSV (spreadsheets)", value="csv"),
    app_commands.Choice(name="Markdown", value="markdown"),
    app_commands.Choice(name="REFI-QDA codebook .qdc", value="qdc"),
    app_commands.Choice(name="REFI-QDA project .qdpx (NVivo, ATLAS.ti, MAXQDA…)", value="qdpx"),
    app_commands.Choice(name="W3C Web Annotations (JSON-LD)", value="w3c"),
]


def too_large(size: int, limit: int, what: str, fmt: str) -> str:
    """Why the export is not attached, and the command that writes it on the bot's machine."""
    return (
        f"The {what} export is {size / 1e6:.1f} MB, over this server's upload limit of "
        f"{limit / 1e6:.0f} MB. On the bot's machine, run "
        f"`corpus-bot export {what} --format {fmt} -o FILE` to write it."
    )


class Quotes(commands.Cog):
    """Collections of saved quotes, and exports of the team's work."""

    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot

    @app_commands.command(name="save")
    @app_commands.describe(
        passage="The passage id shown on every quote, or words to find it",
        collection="The collection to add it to (default: quotes; made if new)",
    )
    @app_commands.autocomplete(passage=_autocomplete.passages, collection=_autocomplete.collections)
    @app_commands.guild_only()
    @coder_only()
    async def save(
        self,
        interaction: discord.Interaction[CorpusBot],
        passage: NAME,
        collection: NAME | None = None,
    ) -> None:
        """Save a passage's quote to one of the server's collections."""
        t = team_of(interaction, write=True)
        await answer(
            interaction,
            lambda w: team_answers.save(w, t, passage, collection),
            ephemeral=True,
            database=True,
        )

    @app_commands.command(name="collection")
    @app_commands.describe(name="The collection")
    @app_commands.autocomplete(name=_autocomplete.collections)
    @app_commands.guild_only()
    @user_cooldown()
    async def collection(self, interaction: discord.Interaction[CorpusBot], name: NAME) -> None:
        """The quotes of a collection, in the order they were saved, with who saved each."""
        t = team_of(interaction)
        per_page = self.bot.settings.discord.results_per_page
        await answer(
            interaction,
            lambda w: team_answers.collection(w, t, name, per_page=per_page),
            database=True,
        )

    @app_commands.command(name="export")
    @app_commands.describe(
        what="What to export",
        format="The file format (codings: csv, markdown, w3c; collection: csv, markdown; "
        "codebook: qdc; project: qdpx)",
        collection="The collection, when exporting one",
    )
    @app_commands.choices(what=WHAT, format=FORMATS)
    @app_commands.autocomplete(collection=_autocomplete.collections)
    @app_commands.guild_only()
    @user_cooldown()
    async def export(
        self,
        interaction: discord.Interaction[CorpusBot],
        what: str,
        format: str,
        collection: NAME | None = None,
    ) -> None:
        """The team's codings, a collection, the codebook or the whole project, as a file."""
        t = team_of(interaction)
        ws = self.bot.workspace
        private = self.bot.settings.discord.ephemeral
        await interaction.response.defer(thinking=True, ephemeral=private)
        made = await asyncio.to_thread(team_answers.export, ws, t, what, format, name=collection)
        limit = interaction.filesize_limit
        if len(made.data) > limit:
            # Not escaped: `what` and `format` were checked by `export`; the command is code.
            text = too_large(len(made.data), limit, what, format)
            await send_page(interaction, notice(text)[0], ephemeral=private)
            return
        page = done(f"`{made.filename}`: {made.summary}.", title="Export")[0]
        kwargs = page_kwargs(page)
        kwargs["files"] = [discord.File(io.BytesIO(made.data), filename=made.filename)]
        await deliver(interaction, kwargs, ephemeral=private)
        log.info("/export %s %s: %d bytes", what, format, len(made.data))


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(Quotes(bot))
