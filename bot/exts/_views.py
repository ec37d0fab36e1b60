"""The pager under every answer: Previous / page x of y / Next, plus "More context" and "Related".

Why one view for all commands: every answer is a `Pages` of plain pages, so paging and opening a
quote's neighbours work the same after `/search`, `/theme` or `/summary`. Only the person who ran
the command can turn its pages (others would yank the message from under the asker); anyone may
open context or related passages, which arrive as a private reply. When the view times out, its
controls are disabled on the message so nobody clicks a dead button.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

import discord

from bot.exts._replies import answer, page_kwargs, report_error
from bot.rendering import answers
from bot.rendering.pages import Page, Pages, PassageChoice

if TYPE_CHECKING:
    from bot.client import CorpusBot

log = logging.getLogger(__name__)

NOT_YOURS = (
    "Only the person who ran this command can turn its pages. "
    "Run the command yourself to get your own copy."
)


def _custom_id(kind: str) -> str:
    return f"pager:{kind}:{os.urandom(6).hex()}"


class PaginatorView(discord.ui.View):
    """Pages of one answer, the controls for the page shown, and who may turn them."""

    def __init__(
        self,
        pages: Pages,
        *,
        owner_id: int,
        bot: CorpusBot,
    ) -> None:
        super().__init__(timeout=bot.settings.discord.view_timeout_seconds)
        self.pages = pages
        self.index = 0
        self.owner_id = owner_id
        self.bot = bot
        self.actions = pages.actions
        self.interaction: discord.Interaction[Any] | None = None
        self.previous = TurnButton("Previous", "◀️", -1)
        self.counter: discord.ui.Button[PaginatorView] = discord.ui.Button(
            label="1/1", disabled=True, custom_id=_custom_id("page"), row=0
        )
        self.next = TurnButton("Next", "▶️", +1)
        self._build()

    @classmethod
    def for_pages(cls, pages: Pages, *, owner_id: int, bot: CorpusBot) -> PaginatorView | None:
        """A view when the answer has something to click (several pages or quoted passages)."""
        if len(pages) <= 1 and not (pages[0].passages and pages.actions):
            return None
        return cls(pages, owner_id=owner_id, bot=bot)

    @property
    def page(self) -> Page:
        return self.pages[self.index]

    def attach(self, interaction: discord.Interaction[Any]) -> None:
        """Remember the interaction whose message shows this view (to disable it on timeout)."""
        self.interaction = interaction

    # -- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        """Controls for the current page: the pager row, then context/related for its passages."""
        self.clear_items()
        total = len(self.pages)
        if total > 1:
            self.previous.disabled = self.index == 0
            self.next.disabled = self.index == total - 1
            self.counter.label = f"{self.index + 1}/{total}"
            for item in (self.previous, self.counter, self.next):
                self.add_item(item)
        choices = self.page.passages
        if len(choices) == 1:
            if "context" in self.actions:
                self.add_item(PassageButton("More context", "context", choices[0].passage_id))
            if "related" in self.actions:
                self.add_item(PassageButton("Related", "related", choices[0].passage_id))
        elif choices:
            if "context" in self.actions:
                self.add_item(PassageSelect("More context for…", "context", choices, row=1))
            if "related" in self.actions:
                self.add_item(PassageSelect("Related passages for…", "related", choices, row=2))

    async def turn(self, interaction: discord.Interaction[Any], step: int) -> None:
        """Show the page `step` away, if the clicker is the one who asked."""
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message(NOT_YOURS, ephemeral=True)
            return
        self.index = max(0, min(len(self.pages) - 1, self.index + step))
        self._build()
        await interaction.response.edit_message(**page_kwargs(self.page), view=self)

    async def open(self, interaction: discord.Interaction[Any], kind: str, passage_id: str) -> None:
        """A private reply with the passage's neighbours, or the passages related to it."""
        if kind == "context":
            await answer(
                interaction, lambda e: answers.passage(e, passage_id, context=1), ephemeral=True
            )
        else:
            per_page = self.bot.settings.discord.results_per_page
            await answer(
                interaction,
                lambda e: answers.related(e, passage_id, per_page=per_page),
                ephemeral=True,
            )

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button | discord.ui.Select):
                item.disabled = True
        if self.interaction is None:
            return
        try:
            await self.interaction.edit_original_response(view=self)
        except discord.HTTPException as exc:  # the message was deleted, or the token expired
            log.info("could not disable an expired pager (%s)", exc.status)

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await report_error(interaction, error)


class TurnButton(discord.ui.Button[PaginatorView]):
    """Previous or Next."""

    def __init__(self, label: str, emoji: str, step: int) -> None:
        super().__init__(label=label, emoji=emoji, custom_id=_custom_id(label.lower()), row=0)
        self.step = step

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        assert self.view is not None
        await self.view.turn(interaction, self.step)


class PassageButton(discord.ui.Button[PaginatorView]):
    """ "More context" or "Related" for the one passage of a page."""

    def __init__(self, label: str, kind: str, passage_id: str) -> None:
        super().__init__(label=label, custom_id=_custom_id(kind), row=1)
        self.kind = kind
        self.passage_id = passage_id

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        assert self.view is not None
        await self.view.open(interaction, self.kind, self.passage_id)


class PassageSelect(discord.ui.Select[PaginatorView]):
    """ "More context" or "Related" for one of the passages of a page."""

    def __init__(
        self, placeholder: str, kind: str, choices: tuple[PassageChoice, ...], row: int
    ) -> None:
        options = [discord.SelectOption(label=c.label, value=c.passage_id) for c in choices[:25]]
        super().__init__(
            placeholder=placeholder, options=options, custom_id=_custom_id(kind), row=row
        )
        self.kind = kind

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        assert self.view is not None
        await self.view.open(interaction, self.kind, self.values[0])
