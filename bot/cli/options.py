"""Option types and caps that several command families share."""

from __future__ import annotations

import argparse

# The most hits one command-line command prints. The CLI's own cap, apart from the chat's
# (`search.max_top`, for Discord and the console): high enough for batch use (`--queries FILE
# --json` feeding an evaluation or a re-ranker, which reads the top 100–1,000); a request above
# it is answered with a note ("showing 1000 of 1,108"), never silently cut.
MAX_TOP = 1000


def positive_count(value: str) -> int:
    """`--top`, `--page`: a whole number of at least 1 (0 or -1 are usage errors, not "default")."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected 1 or more, got {n}")
    return n
