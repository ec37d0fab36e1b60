"""How a reply reaches Discord: the one way the interaction's state allows; errors as a sentence.

Why shared: the rules Discord imposes — one response per interaction, then edits or follow-ups,
acknowledge within 3 seconds, tokens that expire after 15 minutes — are kept in one place, for the
answers (`_pager.answer`), the pager's clicks and the error handler alike.
"""

from __future__ import annotations

import io
import logging
import math
import os
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, cast

import discord
from discord import app_commands

from bot.engine.errors import EngineError
from bot.exts._checks import NotAdmin, NotCoder, NotContributor
from bot.redaction import redact
from bot.rendering.answers import render_error
from bot.rendering.pages import Page
from bot.settings import ConfigError
from bot.store import StoreError

log = logging.getLogger(__name__)

# Discord's answers once an interaction cannot be answered any more: Unknown Webhook, Unknown
# interaction (3 s passed without a response), Invalid Webhook Token (15 minutes passed), and
# Interaction has already been acknowledged.
GONE_CODES = frozenset({10015, 10062, 50027, 40060})
# Every control the bot sends carries this prefix and a random part: a click that no live view
# owns (after a restart or a timeout) is recognised as ours and told the controls expired.
CUSTOM_ID_PREFIX = "pager:"
HANDLED = "pager_view"  # key in `interaction.extras`: a live view took this click


def control_id(kind: str) -> str:
    """A fresh custom_id for a control of kind `kind` ("next", "code", …)."""
    return f"{CUSTOM_ID_PREFIX}{kind}:{os.urandom(6).hex()}"


def page_kwargs(page: Page, *, edit: bool = False) -> dict[str, Any]:
    """`send_message` (or, with `edit`, `edit_message`) keyword arguments for a page.

    A page's pictures go as fresh `discord.File`s each time (a sent file is consumed): `files`
    for a new message, `attachments` for an edit, which replace the message's pictures.
    """
    kwargs: dict[str, Any] = {
        "content": page.content,
        "embeds": [discord.Embed.from_dict(dict(e)) for e in page.embeds],
    }
    if page.files:
        kwargs["attachments" if edit else "files"] = [
            discord.File(io.BytesIO(i.data), filename=i.filename, description=i.description or None)
            for i in page.files
        ]
    return kwargs


def for_edit(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Message keyword arguments for an edit: new files become the message's attachments."""
    if "files" not in kwargs:
        return kwargs
    return {("attachments" if k == "files" else k): v for k, v in kwargs.items()}


async def send_page(
    interaction: discord.Interaction[Any],
    page: Page,
    *,
    view: discord.ui.View | None = None,
    ephemeral: bool = False,
) -> None:
    """Reply with `page`: as the response, or by replacing the "thinking…" placeholder."""
    kwargs = page_kwargs(page)
    if view is not None:
        kwargs["view"] = view
    edit = await deliver(interaction, kwargs, ephemeral=ephemeral)
    if view is not None and hasattr(view, "attach"):
        view.attach(edit)


Edit = Callable[..., Awaitable[Any]]


async def deliver(
    interaction: discord.Interaction[Any], kwargs: dict[str, Any], *, ephemeral: bool
) -> Edit:
    """Send a message the one way the interaction's state allows; returns how to edit it later.

    Not answered yet: the interaction response. Deferred ("thinking…"): an edit of that
    placeholder — and if Discord refuses the edit for a reason other than an expired token
    (a 5xx after discord.py's retries, a 429 it does not retry), the same message as a
    follow-up, which goes through another route. Answered already: a follow-up.
    """
    response = interaction.response
    if not response.is_done():
        await response.send_message(**kwargs, ephemeral=ephemeral)
        return interaction.edit_original_response
    if response.type == discord.InteractionResponseType.deferred_channel_message:
        try:
            await interaction.edit_original_response(**for_edit(kwargs))
            return interaction.edit_original_response
        except discord.HTTPException as exc:
            if is_gone(exc):
                raise
            log.warning(
                "%s: %s; sending the answer as a follow-up", describe(interaction), failure(exc)
            )
    if kwargs.get("view", ...) is None:  # "no controls" means nothing to a new message
        kwargs = {k: v for k, v in kwargs.items() if k != "view"}
    message = await interaction.followup.send(**kwargs, ephemeral=ephemeral, wait=True)
    return message.edit


def is_gone(exc: discord.HTTPException) -> bool:
    """The interaction can no longer be answered: its token expired, or it was answered."""
    return exc.status == 401 or exc.code in GONE_CODES


def failure(exc: discord.HTTPException) -> str:
    """Which request failed and how, for the log: the route with its token masked, the status."""
    response = exc.response
    route = f"{getattr(response, 'method', '?')} {redact(str(getattr(response, 'url', '?')))}"
    code = f", Discord code {exc.code}" if exc.code else ""
    return f"{route} answered {exc.status}{code}"


def describe(interaction: discord.Interaction[Any]) -> str:
    """ "/search" or "the pager's next": what the user did, never what they typed."""
    if interaction.command is not None:
        return f"/{interaction.command.name}"
    custom_id = custom_id_of(interaction)
    kind = custom_id.split(":")[1] if custom_id.count(":") >= 2 else "?"
    return f"the pager's {kind}"


def custom_id_of(interaction: discord.Interaction[Any]) -> str:
    """The custom_id of the clicked component; "" for a slash command or autocomplete."""
    data = cast(Mapping[str, Any], interaction.data or {})
    return str(data.get("custom_id", ""))


def failed_to_answer(interaction: discord.Interaction[Any], exc: discord.HTTPException) -> bool:
    """Whether `exc` is one of this interaction's own answers failing (its token is in the URL)."""
    return interaction.token in str(getattr(exc.response, "url", ""))


async def report_error(interaction: discord.Interaction[Any], error: Exception) -> None:
    """Tell the user in one short private sentence; log a traceback only for our own bugs."""
    original = getattr(error, "original", error)
    command = interaction.command.name if interaction.command else "component"
    if isinstance(original, discord.HTTPException) and failed_to_answer(interaction, original):
        # Every route this interaction had was tried (discord.py retries 429s and 5xx); another
        # attempt would fail the same way, or after 3 s / 15 min could not succeed at all.
        log.warning("answer dropped for %s: %s", describe(interaction), failure(original))
        return
    if isinstance(original, EngineError | StoreError):
        text = str(original)
        log.info("/%s: %s", command, text)
    elif isinstance(original, ConfigError):  # e.g. a broken theme codebook: for the admin's eyes
        text = "This part of the bot is not set up correctly; an admin can see why in its log."
        log.warning("/%s: %s", command, original)
    elif isinstance(original, discord.HTTPException):  # a REST call of the command (e.g. /sync)
        text = f"Discord refused that request ({original.status}); please try again later."
        log.warning("/%s: %s", command, failure(original))
    elif isinstance(error, app_commands.CommandOnCooldown):
        wait = max(1, math.ceil(error.retry_after))
        text = f"You're going a bit fast: please wait {wait} s and try again."
    elif isinstance(error, NotContributor):
        text = (
            "Sorry, only members with Manage Server, the bot's admin role or its contributor "
            "role can add documents."
        )
    elif isinstance(error, NotCoder):
        text = (
            "Sorry, only members with the bot's coder role (or its admins) can code, write memos "
            "and save quotes."
        )
    elif isinstance(error, NotAdmin):
        text = (
            "Sorry, only members with Manage Server or the bot's admin role can use this command."
        )
    elif isinstance(error, app_commands.NoPrivateMessage):
        text = "This command only works in a server."
    elif isinstance(error, app_commands.CheckFailure):
        text = "Sorry, you can't use this command here."
    elif isinstance(error, app_commands.TransformerError):
        text = "That value does not fit this option; check it and try again."
    else:
        log.error("unhandled error in /%s", command, exc_info=original)
        text = "Something went wrong on my side (it has been logged). Please try again."
    await send_notice(interaction, render_error(text)[0])


async def send_notice(interaction: discord.Interaction[Any], page: Page) -> None:
    """A private notice, whatever state the interaction is in; gives up quietly if it expired."""
    kwargs = page_kwargs(page)
    if interaction.response.type == discord.InteractionResponseType.deferred_channel_message:
        kwargs["view"] = None  # the placeholder becomes the notice: no controls under it
    try:
        await deliver(interaction, kwargs, ephemeral=True)
    except discord.HTTPException as exc:
        log.warning("notice dropped for %s: %s", describe(interaction), failure(exc))
