"""The workspace: a loaded engine and the theme codebook read with it — what the bot serves.

Why one object above the engine: `/reload` swaps everything a question may read in one assignment
(engine, codebook, theme scores), so no answer mixes an old corpus with a new codebook. The engine
knows nothing of themes; the theme scores over its passages are built here, once, on first use,
and kept with the engine they were computed from.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from bot.engine.build import Progress
from bot.engine.codebook import Codebook, load_codebook
from bot.engine.engine import Engine
from bot.engine.themes import ThemeIndex
from bot.settings import ConfigError, Settings

log = logging.getLogger(__name__)


class Workspace:
    """An engine, its codebook (or why there is none), and the theme scores over its corpus."""

    def __init__(
        self, engine: Engine, codebook: Codebook | None, codebook_error: str | None = None
    ) -> None:
        self.engine = engine
        self.codebook = codebook
        self.codebook_error = codebook_error
        self._themes: ThemeIndex | None = None
        self._themes_lock = threading.Lock()

    @classmethod
    def load(
        cls, settings: Settings, folder: Path | None = None, progress: Progress | None = None
    ) -> Workspace:
        """Load the corpus (raises `CorpusError`) and read the codebook now, not at first use.

        A broken or missing codebook does not stop the bot — search works without it — so it is
        kept as a problem (`problems`) for the start log or the `/reload` report.
        """
        engine = Engine.load(settings, folder, progress)
        try:
            return cls(engine, load_codebook(settings.themes_path, engine.analyzer))
        except ConfigError as exc:
            return cls(engine, None, str(exc))

    @property
    def settings(self) -> Settings:
        return self.engine.settings

    @property
    def version(self) -> str:
        return self.engine.corpus.version

    @property
    def problems(self) -> list[str]:
        """What is wrong but does not stop answering, for the start log or a reload report."""
        return [f"themes: {self.codebook_error}"] if self.codebook_error else []

    def require_codebook(self) -> Codebook:
        """The codebook; raises the `ConfigError` that explains why there is none."""
        if self.codebook is None:
            raise ConfigError(self.codebook_error or "no theme codebook is loaded")
        return self.codebook

    def themes(self) -> ThemeIndex:
        """Every theme scored over the corpus: built on first use (under a lock), then kept."""
        with self._themes_lock:
            if self._themes is None:
                self._themes = ThemeIndex(self.engine, self.require_codebook())
            return self._themes
