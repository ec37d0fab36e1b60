"""An installed corpus-bot carries its settings, codebook and seeds, so it runs from any folder."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS

SHIPPED = {"bot/shipped/config/bot.yaml", "bot/shipped/config/themes.yaml"} | {
    f"bot/shipped/seeds/{p.name}" for p in SEEDS.iterdir()
}


def test_the_package_data_globs_cover_the_config_the_codebook_and_the_seeds() -> None:
    """pyproject's package-data for `bot` matches the shipped config, codebook and every seed."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["bot"]
    matched = {
        f"bot/{path.relative_to(ROOT / 'bot').as_posix()}"
        for pattern in patterns
        for path in (ROOT / "bot").glob(pattern)
        if path.is_file()
    }
    assert matched >= SHIPPED


@pytest.mark.skipif(
    importlib.util.find_spec("setuptools.command.bdist_wheel") is None
    and importlib.util.find_spec("wheel") is None,
    reason="building a wheel offline needs setuptools >= 70.1 or the wheel package",
)
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
    assert set(zipfile.ZipFile(wheel).namelist()) >= SHIPPED
