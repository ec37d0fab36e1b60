"""Administration: `/reload` (re-read the corpus) and `/sync` (register the slash commands).

Why reload builds aside and swaps: searches keep running on the old engine while the new one is
built in a worker thread; the swap is one assignment, so every search sees the old corpus or the
new one, never a mix — and a failed build leaves the old engine serving. One reload at a time: a
second request while one runs is refused, not queued (it would only redo the same work).
"""

from __future__ import annotations

import logging
import time

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import CorpusBot
from bot.exts._checks import admin_only
from bot.exts._replies import send_page
from bot.exts._workspace import rebuild_workspace
from bot.rendering.pages import Pages, notice
from bot.rendering.reload import compare_corpora, render_reload, render_reload_failed

log = logging.getLogger(__name__)

BUSY = "A reload is already running; its report will appear where it was asked for."


class Admin(commands.Cog):
    """Commands for members with Manage Server or the configured admin role."""

    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot

    @app_commands.command(name="reload")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @admin_only()
    async def reload(self, interaction: discord.Interaction[CorpusBot]) -> None:
        """Re-read the corpus and report what changed (admins only)."""
        if self.bot.reload_lock.locked():
            await send_page(interaction, notice(BUSY)[0], ephemeral=True)
            return
        async with self.bot.reload_lock:
            await interaction.response.defer(thinking=True, ephemeral=True)
            pages = await self.reload_engine()
            await send_page(interaction, pages[0])

    async def reload_engine(self) -> Pages:
        """Re-read settings (when the bot can) and corpus, swap both in; on failure keep the old."""
        started = time.perf_counter()
        try:
            rebuilt = await rebuild_workspace(self.bot)
        except Exception as exc:  # any failure must leave the old workspace serving
            serving = self.bot.workspace.version
            log.warning("reload failed; still serving corpus %s: %s", serving, exc)
            return render_reload_failed(str(exc) or type(exc).__name__)
        old, new = rebuilt.old, rebuilt.new
        changes = compare_corpora(old.engine.corpus, new.engine.corpus, new.problems)
        log.info(
            "reloaded corpus %s → %s (%d documents, %d passages)",
            changes.old_version,
            changes.new_version,
            changes.documents,
            changes.passages,
        )
        return render_reload(
            changes, seconds=time.perf_counter() - started, reanchored=rebuilt.reanchored
        )

    @app_commands.command(name="sync")
    @app_commands.describe(scope="This server only (instant), or every server (up to an hour)")
    @app_commands.choices(
        scope=[
            app_commands.Choice(name="this server", value="guild"),
            app_commands.Choice(name="global", value="global"),
        ]
    )
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @admin_only()
    async def sync(self, interaction: discord.Interaction[CorpusBot], scope: str = "guild") -> None:
        """Register the bot's slash commands with Discord (admins only)."""
        await interaction.response.defer(thinking=True, ephemeral=True)
        if scope == "global":
            synced = await self.bot.tree.sync()
            text = f"Synced {len(synced)} commands globally; Discord may take up to an hour."
        else:
            guild = discord.Object(interaction.guild_id or 0)
            self.bot.tree.copy_global_to(guild=guild)
            synced = await self.bot.tree.sync(guild=guild)
            text = f"Synced {len(synced)} commands to this server."
        await send_page(interaction, notice(text)[0])


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(Admin(bot))
