"""Swapping the workspace the bot serves: what `/reload`, `/add` and `/remove` share.

Why one function: the new workspace is built aside in a worker thread while searches keep running
on the old one, then swapped in one assignment, so every answer comes from one corpus; a failed
build raises and leaves the old workspace serving. Callers hold `bot.reload_lock`, so two changes
to the corpus never interleave.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from bot.engine import Workspace
from bot.engine.build import Progress
from bot.engine.loading import ProgressLog
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.client import CorpusBot

log = logging.getLogger(__name__)


async def rebuild_workspace(
    bot: CorpusBot, progress: Progress | None = None
) -> tuple[Workspace, Workspace]:
    """Re-read the settings (when the bot can) and the corpus, swap both in; (old, new).

    Raises whatever the build raised; the old workspace is then still the one served. Progress
    is logged at INFO, and also handed to `progress` (called from the worker thread).
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
    return old, new
