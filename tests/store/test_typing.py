"""The store and exports are type-checked like the engine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_mypy_is_clean_on_store_and_exports() -> None:
    """`mypy bot/store bot/exports` finds no error."""
    mypy = str(Path(sys.executable).parent / "mypy")
    result = subprocess.run(
        [mypy, "bot/store", "bot/exports"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
