"""The corpus's documents: `/add` a file, `/remove` a document, `/cite` a passage.

Why /add reads before it writes: the attachment goes through the same reader and passage cutter
as the corpus (`bot.corpus_files.prepare_file`) while the corpus is untouched, so a file that
cannot be read is refused and nothing changes. Only then is it written (atomically) and the
workspace rebuilt and swapped as `/reload` does; if that swap fails, the file operation is undone,
so the folder and the index being served never disagree. Adds, removes and reloads hold the bot's
reload lock, one at a time: two members adding at once are served in turn.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import CorpusBot
from bot.corpus_files import (
    Change,
    FileRefused,
    Prepared,
    add_file,
    check_upload,
    prepare_file,
    remove_document,
)
from bot.engine.model import Document
from bot.exts import _autocomplete
from bot.exts._checks import admin_only, contributor_only, user_cooldown
from bot.exts._pager import answer
from bot.exts._replies import send_page
from bot.exts._workspace import Rebuilt, rebuild_workspace
from bot.rendering import answers
from bot.rendering.corpus_changes import render_added, render_refused, render_removed
from bot.rendering.pages import Pages
from bot.rendering.team import with_reanchored

log = logging.getLogger(__name__)

DOWNLOAD_FAILED = "it could not be downloaded from Discord; try again"
STYLES = [
    app_commands.Choice(name="APA 7", value="apa"),
    app_commands.Choice(name="Chicago author-date", value="chicago"),
    app_commands.Choice(name="BibTeX", value="bibtex"),
]


class Documents(commands.Cog):
    """Add and remove the corpus's documents; cite its passages."""

    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot

    @app_commands.command(name="cite")
    @app_commands.describe(
        passage_id="The passage id shown on every quote",
        style="One style only (default: APA 7, Chicago author-date and BibTeX)",
    )
    @app_commands.choices(style=STYLES)
    @user_cooldown()
    async def cite(
        self,
        interaction: discord.Interaction[CorpusBot],
        passage_id: app_commands.Range[str, 1, 64],
        style: str | None = None,
    ) -> None:
        """A passage's reference with its page or paragraph: APA 7, Chicago, BibTeX."""
        await answer(interaction, lambda ws: answers.cite(ws, passage_id, style=style))

    @app_commands.command(name="add")
    @app_commands.describe(
        file="The document: PDF, web page (.html), Word (.docx), text, Markdown or subtitles",
        replace="Replace the document of the same name (its old file is kept in .removed/)",
    )
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @contributor_only()
    async def add(
        self,
        interaction: discord.Interaction[CorpusBot],
        file: discord.Attachment,
        replace: bool = False,
    ) -> None:
        """Add a document to the corpus (Manage Server, admin or contributor role)."""
        try:  # before a byte is downloaded: the name, and the size Discord declares
            name = check_upload(file.filename, file.size, self.bot.settings)
        except FileRefused as exc:
            log.warning("/add by user %s refused: %s", interaction.user.id, exc)
            await send_page(interaction, render_refused(exc.name, exc.reason)[0], ephemeral=True)
            return
        await interaction.response.defer(thinking=True, ephemeral=True)
        try:  # outside the lock: a slow download holds up no one else's change
            raw = await file.read()
        except discord.HTTPException as exc:
            log.warning(
                "/add by user %s: downloading %s failed (%s)", interaction.user.id, name, exc.status
            )
            await send_page(interaction, render_refused(name, DOWNLOAD_FAILED)[0])
            return
        async with self.bot.reload_lock:
            pages = await self.add_bytes(interaction, name, raw, replace)
        await send_page(interaction, pages[0])

    async def add_bytes(
        self, interaction: discord.Interaction[CorpusBot], name: str, raw: bytes, replace: bool
    ) -> Pages:
        """Read, write and swap in; each refusal leaves the corpus as it was."""
        user = interaction.user.id
        settings = self.bot.settings
        try:
            prepared = await asyncio.to_thread(prepare_file, settings, name, raw, replace=replace)
            change = await asyncio.to_thread(add_file, settings, prepared)
        except FileRefused as exc:
            log.warning("/add by user %s refused: %s", user, exc)
            return render_refused(exc.name, exc.reason)
        rebuilt = await self.swap_or_undo(change, f"/add of {name}")
        if rebuilt is None:
            return render_refused(name, "the corpus could not be reloaded with it (see the log)")
        log.info("/add by user %s: %s (%d bytes)", user, name, len(raw))
        pages = added(prepared, settings.corpus_dir, rebuilt.new.version)
        return with_reanchored(pages, rebuilt.reanchored)

    @app_commands.command(name="remove")
    @app_commands.describe(document="The document to take out of the corpus (title or id)")
    @app_commands.autocomplete(document=_autocomplete.documents)
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @admin_only()
    async def remove(
        self,
        interaction: discord.Interaction[CorpusBot],
        document: app_commands.Range[str, 1, 100],
    ) -> None:
        """Take a document out of the corpus; its file is kept in .removed/ (admins only)."""
        await interaction.response.defer(thinking=True, ephemeral=True)
        async with self.bot.reload_lock:
            doc = self.bot.workspace.engine.find_document(document)
            pages = await self.remove_document(interaction, doc)
        await send_page(interaction, pages[0])

    async def remove_document(
        self, interaction: discord.Interaction[CorpusBot], doc: Document
    ) -> Pages:
        """Move the file aside and swap; undone if the corpus cannot be served without it."""
        if len(self.bot.workspace.engine.documents) == 1:
            reason = "it is the corpus's only document; add another one first"
            return render_refused(doc.path, reason, action="removed")
        settings = self.bot.settings
        try:
            change = await asyncio.to_thread(remove_document, settings, doc)
        except FileRefused as exc:
            log.warning("/remove by user %s refused: %s", interaction.user.id, exc)
            return render_refused(exc.name, exc.reason, action="removed")
        rebuilt = await self.swap_or_undo(change, f"/remove of {doc.path}")
        if rebuilt is None:
            reason = "the corpus could not be reloaded without it (see the log)"
            return render_refused(doc.path, reason, action="removed")
        log.info("/remove by user %s: %s", interaction.user.id, doc.path)
        kept = change.moves[0][1].relative_to(settings.corpus_dir).as_posix()
        pages = render_removed(doc, kept_as=kept, version=rebuilt.new.version)
        return with_reanchored(pages, rebuilt.reanchored)

    async def swap_or_undo(self, change: Change, what: str) -> Rebuilt | None:
        """Rebuild and swap the workspace; if that fails, undo `change` (the old one serves on)."""
        try:
            return await rebuild_workspace(self.bot)
        except Exception as exc:  # the folder must go back to what is being served
            log.warning("%s: the corpus did not reload (%s); undoing the change", what, exc)
            await asyncio.to_thread(change.undo)
            return None


def added(prepared: Prepared, folder: Path, version: str) -> Pages:
    """The answer to a successful /add: the document as the corpus's reader read it."""
    doc = prepared.document
    replaced = [p.relative_to(folder).as_posix() for p in prepared.replaces]
    return render_added(
        doc,
        first_section=prepared.first_section,
        warnings=prepared.warnings,
        replaced=replaced,
        version=version,
    )


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(Documents(bot))
