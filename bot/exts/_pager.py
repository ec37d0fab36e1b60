"""Every answer and the pager under it: Previous / page x of y / Next, "More context", "Related".

`answer` runs a command's engine work off the event loop and replies within Discord's 3 seconds: the
work runs in one of the bot's engine threads (as many as `max_concurrent_searches`); if it is not
done after `DEFER_AFTER` seconds the interaction is deferred ("thinking…") and the answer replaces
that placeholder when it is ready. When every engine thread is already taken, the work would queue,
so the interaction is deferred at once: under a burst, acknowledging must not wait for the searches
ahead of it (`bench/load.py` measures this).

Why one view for all commands: every answer is a `Pages` of plain pages, so paging and opening a
quote's neighbours work the same after `/search`, `/theme` or `/summary`. Only the person who ran
the command can turn its pages (others would yank the message from under the asker); anyone may
open context or related passages, which arrive as a private reply. When the view times out, its
controls are disabled on the message so nobody clicks a dead button.

A click that no live view owns — the bot restarted, or the view timed out but its message could not
be edited — would otherwise get no answer at all, and Discord would show "This interaction failed".
`answer_stale_control` catches those by our custom_id prefix and says the buttons expired. Why not a
`DynamicItem`: discord.py dispatches dynamic items *as well as* the live view for every matching
custom_id, so it would answer every click twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import discord

from bot.engine import Workspace
from bot.exts._replies import (
    CUSTOM_ID_PREFIX,
    HANDLED,
    Edit,
    control_id,
    custom_id_of,
    describe,
    failure,
    page_kwargs,
    report_error,
    send_notice,
    send_page,
)
from bot.exts._team import offer_codes, save_passage
from bot.rendering import answers
from bot.rendering.pages import Page, Pages, PassageChoice, notice

if TYPE_CHECKING:
    from bot.client import CorpusBot

log = logging.getLogger(__name__)

DEFER_AFTER = 1.0  # seconds of engine work before we defer; Discord allows 3 to acknowledge
Compute = Callable[[Workspace], Pages]

NOT_YOURS = (
    "Only the person who ran this command can turn its pages. "
    "Run the command yourself to get your own copy."
)
EXPIRED = "These buttons have expired — run the command again."
TEAM_ACTIONS = ("code", "save")
BUTTON_LABELS = {"context": "More context", "related": "Related", "code": "Code…", "save": "Save"}
SELECT_PLACEHOLDERS = {
    "context": "More context for…",
    "related": "Related passages for…",
    "code": "Code…",
    "save": "Save…",
}


async def answer(
    interaction: discord.Interaction[Any],
    compute: Compute,
    *,
    ephemeral: bool | None = None,
    database: bool = False,
) -> None:
    """Compute pages with the current engine (in a thread) and reply with them and a pager.

    `database`: the work is mostly the team database's (short, but it may wait for a lock):
    it runs in `asyncio.to_thread`, not in an engine thread a search may need.
    """
    bot: CorpusBot = interaction.client
    workspace = bot.workspace  # one corpus for the whole answer, even if a reload swaps it
    # Queued behind busy engine threads the answer will be late: acknowledge at once.
    queued = bot.engine_busy and not database
    if database:
        work = asyncio.ensure_future(asyncio.to_thread(compute, workspace))
    else:
        work = asyncio.ensure_future(bot.run_engine(compute, workspace))
    private = bot.settings.discord.ephemeral if ephemeral is None else ephemeral
    try:
        done = set() if queued else (await asyncio.wait({work}, timeout=DEFER_AFTER))[0]
        if not done and not interaction.response.is_done():
            await interaction.response.defer(thinking=True, ephemeral=private)
    except BaseException:
        # The interaction failed (expired, Discord error): the work's outcome is moot, but it
        # must not end as an "exception was never retrieved" warning.
        work.add_done_callback(lambda t: t.cancelled() or t.exception())
        raise
    pages = await work
    private = private or pages.ephemeral_hint
    view = PaginatorView.for_pages(pages, owner_id=interaction.user.id, bot=bot)
    await send_page(interaction, pages[0], view=view, ephemeral=private)


async def answer_stale_control(interaction: discord.Interaction[Any]) -> None:
    """Tell the clicker that a pager control no live view owns has expired.

    discord.py hands a click to the view that owns it (a task, started first) and only then
    dispatches `on_interaction` (this listener, a later task). The view's `interaction_check`
    runs before that task first waits, so when this runs, a live view has already marked the
    interaction as its own.
    """
    if interaction.type is not discord.InteractionType.component:
        return
    custom_id = custom_id_of(interaction)
    if not custom_id.startswith(CUSTOM_ID_PREFIX) or interaction.extras.get(HANDLED):
        return
    log.info("%s clicked on a message whose pager has expired", describe(interaction))
    await send_notice(interaction, notice(EXPIRED)[0])


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
        self.has_files = any(page.files for page in pages.pages)
        self.edit_message: Edit | None = None  # edits the message showing this view
        self.previous = TurnButton("Previous", "◀️", -1)
        self.counter: discord.ui.Button[PaginatorView] = discord.ui.Button(
            label="1/1", disabled=True, custom_id=control_id("page"), row=0
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

    def attach(self, edit: Edit) -> None:
        """Remember how to edit the message showing this view (to disable it on timeout)."""
        self.edit_message = edit

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        interaction.extras[HANDLED] = self  # a live view answers this click, not the fallback
        return True

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
        # Code… and Save only while the team database is open (they could do nothing else).
        actions = [a for a in self.actions if a not in TEAM_ACTIONS or self.bot.store is not None]
        if len(choices) == 1:
            for kind in actions:
                label = BUTTON_LABELS[kind]
                self.add_item(PassageButton(label, kind, choices[0].passage_id))
        elif choices:
            for row, kind in enumerate(actions, start=1):
                self.add_item(PassageSelect(SELECT_PLACEHOLDERS[kind], kind, choices, row=row))

    async def turn(self, interaction: discord.Interaction[Any], step: int) -> None:
        """Show the page `step` away, if the clicker is the one who asked."""
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message(NOT_YOURS, ephemeral=True)
            return
        self.index = max(0, min(len(self.pages) - 1, self.index + step))
        self._build()
        kwargs = page_kwargs(self.page, edit=True)
        if self.has_files:  # a page without pictures must not keep the previous page's
            kwargs.setdefault("attachments", [])
        await interaction.response.edit_message(**kwargs, view=self)
        # The click's token edits this same message and is fresh: the command's own token
        # expires 15 minutes after the command, while each page turn delays the timeout.
        self.attach(interaction.edit_original_response)

    async def open(self, interaction: discord.Interaction[Any], kind: str, passage_id: str) -> None:
        """A private reply: the passage's neighbours, the passages related to it, the codes to
        code it with, or the confirmation that it was saved."""
        if kind == "code":
            await offer_codes(interaction, passage_id)
        elif kind == "save":
            await save_passage(interaction, passage_id)
        elif kind == "context":
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
        if self.edit_message is None:
            return
        try:
            await self.edit_message(view=self)
        except discord.HTTPException as exc:  # the message was deleted, or the token expired
            # Its buttons stay clickable; `answer_stale_control` answers those clicks.
            log.warning("could not disable an expired pager: %s", failure(exc))

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await report_error(interaction, error)


class TurnButton(discord.ui.Button[PaginatorView]):
    """Previous or Next."""

    def __init__(self, label: str, emoji: str, step: int) -> None:
        super().__init__(label=label, emoji=emoji, custom_id=control_id(label.lower()), row=0)
        self.step = step

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        assert self.view is not None
        await self.view.turn(interaction, self.step)


class PassageButton(discord.ui.Button[PaginatorView]):
    """ "More context" or "Related" for the one passage of a page."""

    def __init__(self, label: str, kind: str, passage_id: str) -> None:
        super().__init__(label=label, custom_id=control_id(kind), row=1)
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
        # One option per passage: two summary sentences from one passage open the same thing.
        unique = {c.passage_id: c for c in reversed(choices)}
        options = [
            discord.SelectOption(label=c.label, value=c.passage_id)
            for c in choices
            if unique.get(c.passage_id) is c
        ][:25]
        super().__init__(
            placeholder=placeholder, options=options, custom_id=control_id(kind), row=row
        )
        self.kind = kind

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        assert self.view is not None
        await self.view.open(interaction, self.kind, self.values[0])
