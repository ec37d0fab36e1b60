"""Checks shared by the cogs: a per-user cooldown read from the settings, and the admin check.

Why not `app_commands.checks.cooldown`: its numbers are fixed when the module is imported, while
ours come from `config/bot.yaml`; and its buckets are module globals, while ours live on the bot,
so one cooldown spans all of a user's engine commands and each bot (or test) starts fresh.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands

if TYPE_CHECKING:
    from bot.client import CorpusBot

log = logging.getLogger(__name__)

T = TypeVar("T")


class UserCooldowns:
    """At most `rate` engine commands per user in any `per` seconds (rate 0 turns it off)."""

    def __init__(self, rate: int, per: float) -> None:
        self.rate = rate
        self.per = per
        self._buckets: dict[int, app_commands.Cooldown] = {}

    def hit(self, user_id: int, now: float | None = None) -> None:
        """Count one command; raise `CommandOnCooldown` when the user is over the rate."""
        if self.rate <= 0 or self.per <= 0:
            return
        now = time.time() if now is None else now
        self._prune(now)
        bucket = self._buckets.setdefault(user_id, app_commands.Cooldown(self.rate, self.per))
        retry_after = bucket.update_rate_limit(now)
        if retry_after is not None:
            raise app_commands.CommandOnCooldown(bucket, retry_after)

    def _prune(self, now: float) -> None:
        stale = [k for k, b in self._buckets.items() if now > b._last + b.per]
        for k in stale:
            del self._buckets[k]


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
