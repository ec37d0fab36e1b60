"""What a command-line command is given: its arguments, the settings, where to print.

Why an object: most commands need the loaded corpus, some only the settings (`run`, `sync`), so the
workspace is loaded on first use, once, and never for a command that does not read it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TextIO

from bot.engine import Workspace
from bot.settings import Settings


@dataclass
class Context:
    """One command's arguments, settings and output stream; the workspace loads on first use."""

    args: argparse.Namespace
    settings: Settings
    out: TextIO
    # Re-reads the settings with the command line's overrides (for the bot's `/reload`).
    reload_settings: Callable[[], Settings]

    @cached_property
    def workspace(self) -> Workspace:
        return Workspace.load(self.settings)

    def print(self, text: str = "") -> None:
        print(text, file=self.out)


Handler = Callable[[Context], int]
