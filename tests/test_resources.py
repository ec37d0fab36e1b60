"""Every resource file of the repository loads: the seeds, the YAML settings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, SEEDS


@pytest.mark.parametrize("path", sorted(SEEDS.iterdir()), ids=lambda p: p.name)
def test_every_seed_is_utf8_text(path: Path) -> None:
    """Seeds are shipped unchanged and decode as UTF-8."""
    assert path.read_bytes().decode("utf-8").strip()


@pytest.mark.parametrize("path", sorted((ROOT / "config").glob("*.yaml")), ids=lambda p: p.name)
def test_every_yaml_file_parses(path: Path) -> None:
    """No YAML file in config/ is broken."""
    assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict)


def test_the_engine_never_imports_discord() -> None:
    """The engine stays a plain library: no module under bot/engine imports discord."""
    for path in (ROOT / "bot" / "engine").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import discord" not in text and "from discord" not in text, path


def test_ruff_is_clean() -> None:
    """The code base passes `ruff check` and `ruff format --check` (the venv's own ruff)."""
    ruff = str(Path(sys.executable).parent / "ruff")
    for args in (["check"], ["format", "--check"]):
        proc = subprocess.run(
            [ruff, *args, "bot", "tests", "bench"], cwd=ROOT, capture_output=True, text=True
        )
        assert proc.returncode == 0, proc.stdout[-3000:]
