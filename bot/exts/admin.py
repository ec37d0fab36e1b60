"""Administration: `/reload` (re-read the corpus) and `/sync` (register the slash commands).

Why reload builds aside and swaps: searches keep running on the old engine while the new one is
built in a worker thread; the swap is one assignment, so every search sees the old corpus or the
new one, never a mix — and a failed build leaves the old engine serving. One reload at a time: a
second request while one runs is refused, not queued (it would only redo the same work).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import time
from collections.abc import Awaitable

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import CorpusBot
from bot.engine.build import Progress
from bot.exts._checks import admin_only
from bot.exts._replies import send_page
from bot.exts._workspace import rebuild_workspace
from bot.rendering.pages import Pages, notice
from bot.rendering.reload import (
    compare_corpora,
    render_reload,
    render_reload_failed,
    render_reload_progress,
)

log = logging.getLogger(__name__)

# A reload running longer than this shows its progress, updated this often at most.
PROGRESS_EVERY = 3.0
BUSY = "A reload is already running; its report will appear where it was asked for."


class ProgressMessage:
    """Edits a deferred reply with the reload's progress, once it has run `PROGRESS_EVERY`
    seconds and then at most that often (Discord rate-limits edits; a short reload shows none).

    Called from the build's worker thread: the edit is scheduled on the bot's event loop.
    """

    def __init__(self, interaction: discord.Interaction[CorpusBot]) -> None:
        self.interaction = interaction
        self.loop = asyncio.get_running_loop()
        self.last = time.monotonic()
        self.sent: list[concurrent.futures.Future[None]] = []

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        text = render_reload_progress(stage, done, total)
        edit = self.interaction.edit_original_response(content=text)
        self.sent.append(asyncio.run_coroutine_threadsafe(_quietly(edit), self.loop))

    async def finished(self) -> None:
        """Wait for the edits sent, so none lands after (and over) the final report."""
        await asyncio.gather(*map(asyncio.wrap_future, self.sent))


async def _quietly(edit: Awaitable[object]) -> None:
    """A progress edit that fails (token expired, rate limit) is not worth an error."""
    try:
        await edit
    except discord.HTTPException as exc:
        log.debug("reload progress not shown: %s", exc)


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
            progress = ProgressMessage(interaction)
            pages = await self.reload_engine(progress)
            await progress.finished()
            await send_page(interaction, pages[0])

    async def reload_engine(self, progress: Progress | None = None) -> Pages:
        """Re-read settings (when the bot can) and corpus, swap both in; on failure keep the old."""
        started = time.perf_counter()
        try:
            rebuilt = await rebuild_workspace(self.bot, progress)
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
