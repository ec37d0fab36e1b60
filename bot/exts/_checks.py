"""Checks shared by the cogs: the bot's per-user cooldown (`bot.cooldowns`), the admin check,
the contributor check (who may add documents) and the coder check (who may code, memo, save).

Each is checked on the server for every call, whatever the Discord client shows or hides.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands

if TYPE_CHECKING:
    from bot.client import CorpusBot

log = logging.getLogger(__name__)

T = TypeVar("T")


def user_cooldown() -> Callable[[T], T]:
    """Decorator: the bot's shared per-user cooldown applies to this command."""

    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        bot: CorpusBot = interaction.client
        bot.cooldowns.hit(interaction.user.id)
        return True

    return app_commands.check(predicate)


class NotAdmin(app_commands.CheckFailure):
    """The member has neither Manage Server nor the configured admin role."""


def is_admin(interaction: discord.Interaction[Any], admin_role: str | None) -> bool:
    """Manage Server, or a role whose name or id is the configured `admin_role`."""
    if interaction.permissions.manage_guild:
        return True
    if admin_role and isinstance(interaction.user, discord.Member):
        return any(admin_role in (r.name, str(r.id)) for r in interaction.user.roles)
    return False


def admin_only() -> Callable[[T], T]:
    """Decorator: checked on the server for every call, whatever the client shows or hides."""

    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        bot: CorpusBot = interaction.client
        if is_admin(interaction, bot.settings.discord.admin_role):
            return True
        command = interaction.command.name if interaction.command else "?"
        # Who and where, never what they typed.
        log.warning(
            "refused /%s for user %s in guild %s: not an admin",
            command,
            interaction.user.id,
            interaction.guild_id,
        )
        raise NotAdmin("admin only")

    return app_commands.check(predicate)


class NotContributor(app_commands.CheckFailure):
    """The member is neither an admin nor holds the configured contributor role."""


def is_contributor(
    interaction: discord.Interaction[Any], admin_role: str | None, contributor_role: str | None
) -> bool:
    """An admin, or a member with a role whose name or id is the configured `contributor_role`."""
    if is_admin(interaction, admin_role):
        return True
    if contributor_role and isinstance(interaction.user, discord.Member):
        return any(contributor_role in (r.name, str(r.id)) for r in interaction.user.roles)
    return False


def contributor_only() -> Callable[[T], T]:
    """Decorator: Manage Server, the admin role or the contributor role, checked on every call."""

    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        bot: CorpusBot = interaction.client
        d = bot.settings.discord
        if is_contributor(interaction, d.admin_role, d.contributor_role):
            return True
        command = interaction.command.name if interaction.command else "?"
        log.warning(
            "refused /%s for user %s in guild %s: not a contributor",
            command,
            interaction.user.id,
            interaction.guild_id,
        )
        raise NotContributor("contributors only")

    return app_commands.check(predicate)


class NotCoder(app_commands.CheckFailure):
    """The member is neither an admin nor holds the configured coder role."""


def is_coder(
    interaction: discord.Interaction[Any], admin_role: str | None, coder_role: str | None
) -> bool:
    """Everyone when no coder role is set; else an admin or a member with that role (name or id)."""
    if coder_role is None or is_admin(interaction, admin_role):
        return True
    if isinstance(interaction.user, discord.Member):
        return any(coder_role in (r.name, str(r.id)) for r in interaction.user.roles)
    return False


def check_coder(interaction: discord.Interaction[Any]) -> None:
    """Raise `NotCoder` unless the member may change the team's work (commands and buttons)."""
    bot: CorpusBot = interaction.client
    d = bot.settings.discord
    if is_coder(interaction, d.admin_role, d.coder_role):
        return
    what = f"/{interaction.command.name}" if interaction.command else "a Code…/Save control"
    log.warning(
        "refused %s for user %s in guild %s: not a coder",
        what,
        interaction.user.id,
        interaction.guild_id,
    )
    raise NotCoder("coders only")


def coder_only() -> Callable[[T], T]:
    """Decorator: the coder role (when one is set), checked on the server for every call."""

    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        check_coder(interaction)
        return True

    return app_commands.check(predicate)
