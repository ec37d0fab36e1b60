"""Swapping the workspace the bot serves: what `/reload`, `/add` and `/remove` share.

Why one function: the new workspace is built aside in a worker thread while searches keep running
on the old one, then swapped in one assignment, so every answer comes from one corpus; a failed
build raises and leaves the old workspace serving. Callers hold `bot.reload_lock`, so two changes
to the corpus never interleave.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.engine import Workspace
from bot.engine.build import Progress
from bot.engine.loading import ProgressLog
from bot.rendering.team_answers import sync_workspace
from bot.settings import Settings
from bot.store import ReanchorReport, StoreError

if TYPE_CHECKING:
    from bot.client import CorpusBot

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Rebuilt:
    """The workspace served before, the one served now, and what happened to the team's quotes
    (None when the team database is not open, or re-anchoring failed: see the log)."""

    old: Workspace
    new: Workspace
    reanchored: ReanchorReport | None = None


async def rebuild_workspace(bot: CorpusBot, progress: Progress | None = None) -> Rebuilt:
    """Re-read the settings (when the bot can) and the corpus, swap both in, then re-anchor the
    team's codings, memos and saved quotes to the new corpus (opening the team database again
    if it could not be used before).

    Raises whatever the build raised; the old workspace is then still the one served. A
    database failure while re-anchoring is logged and does not undo the swap: the quotes keep
    their old anchors and the next reload tries again. Loading progress is logged at INFO, and
    also handed to `progress` (called from the worker thread).
    """
    logged = ProgressLog(log)

    def report(stage: str, done: int, total: int) -> None:
        logged(stage, done, total)
        if progress is not None:
            progress(stage, done, total)

    old = bot.workspace
    loader = bot.settings_loader

    def build() -> tuple[Settings, Workspace]:
        settings = loader() if loader is not None else bot.settings
        return settings, Workspace.load(settings, progress=report)

    settings, new = await asyncio.to_thread(build)
    if settings is not bot.settings:
        bot.apply_settings(settings)
    bot.workspace = new
    reanchored = None
    if bot.store is None and bot.store_problem is not None:
        # The database could not be used at start (locked, read-only, damaged): an admin who
        # fixed it reloads, and the team commands work again without a restart.
        reanchored = await bot.open_store()
    elif bot.store is not None:
        try:
            reanchored = await asyncio.to_thread(sync_workspace, new, bot.store)
        except StoreError as exc:
            log.warning("the team's quotes were not re-anchored after the reload: %s", exc)
    return Rebuilt(old, new, reanchored)
