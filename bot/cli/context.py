"""What a command-line command is given: its arguments, the settings, where to print.

Why an object: most commands need the loaded corpus, some only the settings (`run`, `sync`), so the
workspace is loaded on first use, once, and never for a command that does not read it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TextIO

from bot.cli.progress import LoadingBar
from bot.engine import Workspace
from bot.rendering.terminal import corpus_report
from bot.settings import Settings


class UsageError(ValueError):
    """The command line is wrong (exit 2); `usage` is the command's usage line, if any."""

    def __init__(self, message: str, usage: str = "") -> None:
        super().__init__(message)
        self.usage = usage


@dataclass
class Context:
    """One command's arguments, settings and output stream; the workspace loads on first use."""

    args: argparse.Namespace
    settings: Settings
    out: TextIO
    # Re-reads the settings with the command line's overrides (for the bot's `/reload`).
    reload_settings: Callable[[], Settings]
    err: TextIO = field(default_factory=lambda: sys.stderr)

    @cached_property
    def workspace(self) -> Workspace:
        """The corpus and codebook; files it skipped are counted on stderr (listed with -v)."""
        with LoadingBar(self.err) as bar:
            workspace = Workspace.load(self.settings, progress=bar)
        verbose = bool(getattr(self.args, "verbose", False))
        for line in corpus_report(workspace.engine.corpus.warnings, verbose=verbose):
            print(line, file=self.err)
        if verbose:
            for problem in workspace.problems:
                print(f"warning: {problem}", file=self.err)
        return workspace

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    def print(self, text: str = "") -> None:
        print(text, file=self.out)


Handler = Callable[[Context], int]
