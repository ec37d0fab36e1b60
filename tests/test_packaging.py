"""An installed corpus-bot carries its settings, codebook and seeds, so it runs from any folder."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT, SEEDS


def test_the_wheel_ships_the_config_the_codebook_and_the_seeds(tmp_path: Path) -> None:
    """A regular install gets bot/shipped/config/bot.yaml, and the seeds its ../seeds names."""
    proc = subprocess.run(
        [
            *(sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps"),
            *("--no-build-isolation", "-q", "-w", str(tmp_path)),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"bot/shipped/config/bot.yaml", "bot/shipped/config/themes.yaml"} <= names
    assert {f"bot/shipped/seeds/{p.name}" for p in SEEDS.iterdir()} <= names
