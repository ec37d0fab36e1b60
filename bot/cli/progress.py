"""The loading progress bar: files read, passages analysed, indexing, on stderr.

Why tqdm: it draws one line that updates in place, waits `delay` seconds before showing anything
(a one-second load shows no bar), and is MIT/MPL licensed. Only on a terminal: a script's stderr
(a pipe, a file, CI) gets no bar characters in it.
"""

from __future__ import annotations

import logging
from types import TracebackType
from typing import TextIO

from tqdm import tqdm

from bot.engine.wording import STAGES

log = logging.getLogger(__name__)

SHOW_AFTER = 1.0  # seconds of loading before a bar appears


class LoadingBar:
    """A `Progress` callback drawing one tqdm bar per loading stage; a no-op off a terminal."""

    def __init__(self, stream: TextIO, delay: float | None = None) -> None:
        self.stream = stream
        self.delay = SHOW_AFTER if delay is None else delay
        self.enabled = bool(getattr(stream, "isatty", lambda: False)())
        self._bar: tqdm | None = None
        self._stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if stage != self._stage:
            self.close()
            self._stage = stage
            unit = {"files": " files", "passages": " passages"}.get(stage, "")
            self._bar = tqdm(
                total=total,
                desc=STAGES.get(stage, stage).capitalize(),
                unit=unit,
                file=self.stream,
                delay=self.delay,
                leave=False,
                dynamic_ncols=True,
            )
        if self._bar is not None:
            self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> LoadingBar:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
