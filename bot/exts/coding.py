"""Coding as a team: `/code`, `/uncode`, `/memo`, `/coded`, `/codes`, `/agreement`, `/undo`.

Each command parses its options and hands the work to `bot.rendering.team_answers`, which runs
in a worker thread (`answer(..., database=True)`): SQLite never runs on the event loop. Changes
are private confirmations; what the team has coded (`/coded`, `/codes`, `/agreement`) is
answered like a search, in the channel unless the bot answers privately.
"""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import CorpusBot
from bot.exts import _autocomplete
from bot.exts._checks import coder_only, user_cooldown
from bot.exts._pager import answer
from bot.exts._replies import send_page
from bot.exts._team import NewCodeView, team_of
from bot.rendering import team_answers
from bot.rendering.team import render_confirm_new_code

log = logging.getLogger(__name__)

MAX_MEMO = 6000  # Discord's longest string option; the console and the CLI take longer memos
ID = app_commands.Range[str, 1, 100]
NAME = app_commands.Range[str, 1, 100]


class Coding(commands.Cog):
    """Apply codes to passages, write memos, and read back what the team has coded."""

    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot

    @property
    def per_page(self) -> int:
        return self.bot.settings.discord.results_per_page

    @app_commands.command(name="code")
    @app_commands.describe(
        passage="The passage id shown on every quote (or 000¶32), or words to find it",
        code="A code of the codebook or the team's; a new name asks before creating it",
        memo="Why this passage has this code (optional)",
    )
    @app_commands.autocomplete(
        passage=_autocomplete.passages, code=_autocomplete.new_or_existing_code
    )
    @app_commands.guild_only()
    @coder_only()
    async def code(
        self,
        interaction: discord.Interaction[CorpusBot],
        passage: ID,
        code: NAME,
        memo: app_commands.Range[str, 1, MAX_MEMO] | None = None,
    ) -> None:
        """Code a passage: apply a code to it (a new code name asks to create it)."""
        t = team_of(interaction, write=True)
        ws = self.bot.workspace
        new = await asyncio.to_thread(team_answers.new_code_name, ws, t, passage, code)
        if new is None:
            await answer(
                interaction,
                lambda w: team_answers.code(w, t, passage, code, memo or ""),
                ephemeral=True,
                database=True,
            )
            return
        pid = ws.engine.passage(passage).id
        timeout = self.bot.settings.discord.view_timeout_seconds
        view = NewCodeView(pid, new, memo or "", timeout=timeout)
        page = render_confirm_new_code(new, pid)[0]
        await send_page(interaction, page, view=view, ephemeral=True)

    @app_commands.command(name="uncode")
    @app_commands.describe(
        passage="The passage id of the coding",
        code="The code to take off it",
        coder="Whose coding (admins only; yours by default)",
    )
    @app_commands.autocomplete(
        passage=_autocomplete.passages, code=_autocomplete.codes, coder=_autocomplete.coders
    )
    @app_commands.guild_only()
    @coder_only()
    async def uncode(
        self,
        interaction: discord.Interaction[CorpusBot],
        passage: ID,
        code: NAME,
        coder: NAME | None = None,
    ) -> None:
        """Remove your coding of a passage (admins: anyone's)."""
        t = team_of(interaction, write=True)
        await answer(
            interaction,
            lambda w: team_answers.uncode(w, t, passage, code, coder),
            ephemeral=True,
            database=True,
        )

    @app_commands.command(name="memo")
    @app_commands.describe(
        target="A passage id, code:NAME or document:TITLE",
        text="Your memo (replaces your earlier memo on the same thing)",
    )
    @app_commands.autocomplete(target=_autocomplete.memo_targets)
    @app_commands.guild_only()
    @coder_only()
    async def memo(
        self,
        interaction: discord.Interaction[CorpusBot],
        target: ID,
        text: app_commands.Range[str, 1, MAX_MEMO],
    ) -> None:
        """Write a memo on a passage, a code or a document."""
        t = team_of(interaction, write=True)
        await answer(
            interaction,
            lambda w: team_answers.memo(w, t, target, text),
            ephemeral=True,
            database=True,
        )

    @app_commands.command(name="coded")
    @app_commands.describe(
        code="The code", document="Only in this document", coder="Only this member's codings"
    )
    @app_commands.autocomplete(
        code=_autocomplete.codes, document=_autocomplete.documents, coder=_autocomplete.coders
    )
    @app_commands.guild_only()
    @user_cooldown()
    async def coded(
        self,
        interaction: discord.Interaction[CorpusBot],
        code: NAME,
        document: NAME | None = None,
        coder: NAME | None = None,
    ) -> None:
        """The passages coded with a code, quoted with their sources."""
        t = team_of(interaction)
        per_page = self.per_page
        await answer(
            interaction,
            lambda w: team_answers.coded(
                w, t, code, document=document, coder=coder, per_page=per_page
            ),
            database=True,
        )

    @app_commands.command(name="codes")
    @app_commands.guild_only()
    @user_cooldown()
    async def codes(self, interaction: discord.Interaction[CorpusBot]) -> None:
        """Every code with its codings per document and per coder."""
        t = team_of(interaction)
        await answer(interaction, lambda w: team_answers.codes(w, t), database=True)

    @app_commands.command(name="agreement")
    @app_commands.describe(
        code="The code both coded", coder_a="One coder", coder_b="The other coder"
    )
    @app_commands.autocomplete(
        code=_autocomplete.codes, coder_a=_autocomplete.coders, coder_b=_autocomplete.coders
    )
    @app_commands.guild_only()
    @user_cooldown()
    async def agreement(
        self,
        interaction: discord.Interaction[CorpusBot],
        code: NAME,
        coder_a: NAME,
        coder_b: NAME,
    ) -> None:
        """How far two coders agree on a code: Cohen's kappa and percent agreement."""
        t = team_of(interaction)
        await answer(
            interaction,
            lambda w: team_answers.agreement(w, t, code, coder_a, coder_b),
            database=True,
        )

    @app_commands.command(name="undo")
    @app_commands.guild_only()
    @coder_only()
    async def undo(self, interaction: discord.Interaction[CorpusBot]) -> None:
        """Revert your last change (a coding, memo, saved quote or new code)."""
        t = team_of(interaction, write=True)
        await answer(interaction, lambda w: team_answers.undo(w, t), ephemeral=True, database=True)


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(Coding(bot))
