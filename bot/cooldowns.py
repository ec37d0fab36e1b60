"""A per-user rate limit whose numbers come from the settings, kept on the bot.

Why not `app_commands.checks.cooldown`: its numbers are fixed when the module is imported, while
ours come from `config/bot.yaml`; and its buckets are module globals, while ours live on the bot,
so one cooldown spans all of a user's engine commands and each bot (or test) starts fresh.
"""

from __future__ import annotations

import time

from discord import app_commands


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
