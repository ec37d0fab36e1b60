"""Writing an export to disk: beside the target, then renamed over it.

Why shared: the CLI (`corpus-bot export`) and the console (`/export … file:`) both write export
files; a failed write must never leave half a file where a team's tool would open it.
"""

from __future__ import annotations

import os
from pathlib import Path

from bot.store.errors import StoreError


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` (its folder made if missing); `StoreError` says why it could not."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        try:
            partial.write_bytes(data)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    except OSError as exc:
        raise StoreError(
            f"The export cannot be written to {path}: {exc.strerror or exc}."
        ) from None
