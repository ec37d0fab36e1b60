"""What the team commands and the Code…/Save controls share: who is asking, the open database,
and the private "code this passage as…" select.

Why a helper module: the pager's controls (under every search result) and the team cogs both
code and save passages; the rules — the database must be open, the coder role is checked on the
server for every call, database work never runs on the event loop — live here once.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import discord

from bot.exts._checks import check_coder, is_admin
from bot.exts._replies import HANDLED, control_id, page_kwargs, report_error, send_page
from bot.rendering import team as team_pages
from bot.rendering import team_answers
from bot.rendering.pages import Pages, notice
from bot.rendering.team_answers import Team
from bot.rendering.text import escape_cut
from bot.store import Actor, Code, StoreError

if TYPE_CHECKING:
    from bot.client import CorpusBot

log = logging.getLogger(__name__)

NO_STORE = "The team database is not open."


def team_of(interaction: discord.Interaction[Any], *, write: bool = False) -> Team:
    """The asker as the store knows them; `write` checks the coder role first.

    Raises `StoreError` (its sentence says why the database cannot be used) or `NotCoder`.
    """
    bot: CorpusBot = interaction.client
    if write:
        check_coder(interaction)
    if bot.store is None:
        raise StoreError(team_pages.store_unavailable(bot.store_problem or NO_STORE))
    user = interaction.user
    return Team(
        bot.store,
        Actor.discord(user.id, user.display_name),
        interaction.guild_id,
        admin=is_admin(interaction, bot.settings.discord.admin_role),
    )


async def offer_codes(interaction: discord.Interaction[Any], passage_id: str) -> None:
    """A private select of codes for one passage; choosing one codes it (Code… control)."""
    bot: CorpusBot = interaction.client
    t = team_of(interaction, write=True)
    ws = bot.workspace

    def load() -> tuple[list[Code], str]:
        p = ws.engine.passage(passage_id)
        return t.store.codes(), f"{p.title} · ¶{p.ordinal}"

    codes, where = await asyncio.to_thread(load)
    if not codes:
        text = "There is no code yet: create one with `/code passage code:<new name>`."
        await send_page(interaction, notice(text)[0], ephemeral=True)
        return
    shown = codes[: team_pages.MAX_CODE_OPTIONS]
    text = f"Code passage `{passage_id}` ({escape_cut(where, 200)}) as…"
    if len(codes) > len(shown):
        text += "\n" + team_pages.more_codes_note(len(codes), len(shown))
    view = CodePickView(passage_id, shown, timeout=bot.settings.discord.view_timeout_seconds)
    await send_page(interaction, notice(text, title="Code a passage")[0], view=view, ephemeral=True)


async def save_passage(interaction: discord.Interaction[Any], passage_id: str) -> None:
    """Save a passage to the server's default collection (Save control)."""
    bot: CorpusBot = interaction.client
    t = team_of(interaction, write=True)
    ws = bot.workspace
    pages: Pages = await asyncio.to_thread(team_answers.save, ws, t, passage_id)
    await send_page(interaction, pages[0], ephemeral=True)


class CodePickView(discord.ui.View):
    """The private select of codes shown by Code…; the choice codes the passage and the message
    becomes the confirmation."""

    def __init__(self, passage_id: str, codes: list[Code], *, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.passage_id = passage_id
        self.add_item(CodeSelect(codes))

    def attach(self, edit: Any) -> None:
        """Nothing to disable on timeout: an ephemeral message; stale clicks are answered."""

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        interaction.extras[HANDLED] = self  # a live view answers this click, not the fallback
        return True

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await report_error(interaction, error)


class CodeSelect(discord.ui.Select[CodePickView]):
    def __init__(self, codes: list[Code]) -> None:
        options = [
            discord.SelectOption(label=team_pages.code_option_label(c), value=str(c.id))
            for c in codes
        ]
        super().__init__(
            placeholder="Choose a code…", options=options, custom_id=control_id("code")
        )
        self.names = {str(c.id): c.name for c in codes}

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        assert self.view is not None
        bot: CorpusBot = interaction.client
        t = team_of(interaction, write=True)
        name = self.names[self.values[0]]
        pid = self.view.passage_id
        pages = await asyncio.to_thread(team_answers.code, bot.workspace, t, pid, name)
        await interaction.response.edit_message(**page_kwargs(pages[0], edit=True), view=None)
        self.view.stop()


class NewCodeView(discord.ui.View):
    """Asked before `/code` creates a code: Create and code / Cancel (only the asker sees it)."""

    def __init__(self, passage_id: str, name: str, memo: str, *, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.passage_id = passage_id
        self.name = name
        self.memo = memo
        create: discord.ui.Button[NewCodeView] = discord.ui.Button(
            label="Create and code", style=discord.ButtonStyle.primary, custom_id=control_id("new")
        )
        cancel: discord.ui.Button[NewCodeView] = discord.ui.Button(
            label="Cancel", custom_id=control_id("cancel")
        )
        create.callback = self.create  # type: ignore[method-assign]
        cancel.callback = self.cancel  # type: ignore[method-assign]
        self.add_item(create)
        self.add_item(cancel)

    def attach(self, edit: Any) -> None:
        """Nothing to disable on timeout: an ephemeral message; stale clicks are answered."""

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        interaction.extras[HANDLED] = self
        return True

    async def create(self, interaction: discord.Interaction[Any]) -> None:
        bot: CorpusBot = interaction.client
        t = team_of(interaction, write=True)
        pages = await asyncio.to_thread(
            team_answers.code, bot.workspace, t, self.passage_id, self.name, self.memo, create=True
        )
        await interaction.response.edit_message(**page_kwargs(pages[0], edit=True), view=None)
        self.stop()

    async def cancel(self, interaction: discord.Interaction[Any]) -> None:
        page = notice("Nothing was created or coded.")[0]
        await interaction.response.edit_message(**page_kwargs(page, edit=True), view=None)
        self.stop()

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await report_error(interaction, error)
