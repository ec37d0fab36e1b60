"""Fixtures shared by every test: the seed corpus engine and small made-up corpora."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from bot.engine import Engine, Workspace
from bot.settings import CorpusSettings, Settings, load_settings

# Tests build many throwaway corpora: no index snapshots unless a test asks for them (its own
# folder), so the suite never writes into the checkout's data/index nor reads a stale one.
os.environ["CORPUS_BOT_INDEX_CACHE"] = "off"

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CONFIG = ROOT / "config" / "bot.yaml"

TINY_CORPUS = {
    "alpha.txt": (
        "Alpha Report\n\n"
        "Human rights in Mérida\n\n"
        "The Mérida Initiative funded training on human rights for police officers in Mexico.\n\n"
        "Critics reported extrajudicial killings and abuses by security forces in several states.\n"
    ),
    "beta.md": (
        "# Beta Notes\n\n"
        "## Drug trafficking\n\n"
        "Cartels moved fentanyl across the border while police and soldiers patrolled Juárez.\n\n"
        "Key measures include:\n"
        "- seizing precursor chemicals at ports of entry\n"
        "- sharing intelligence between agencies on both sides\n"
    ),
    "gamma.txt": (
        "Gamma Brief\n\n"
        "Community engagement programs built trust between residents and local police in towns.\n\n"
        "Transparency and accountability rules require public reports on every joint operation.\n"
    ),
}


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The repository's own settings file (corpus = seeds/)."""
    return load_settings(CONFIG)


@pytest.fixture(scope="session")
def seeds_workspace(settings: Settings) -> Workspace:
    """The seed corpus with the shipped codebook, built once for the whole run."""
    return Workspace.load(settings)


@pytest.fixture(scope="session")
def seeds_engine(seeds_workspace: Workspace) -> Engine:
    """The engine over the five seed documents."""
    return seeds_workspace.engine


@pytest.fixture
def write_corpus(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """Write files into a fresh corpus folder and return it."""

    def write(files: dict[str, str | bytes]) -> Path:
        folder = tmp_path / "corpus"
        folder.mkdir(exist_ok=True)
        for name, content in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return folder

    return write


@pytest.fixture
def tiny_engine(write_corpus: Callable[[dict[str, str | bytes]], Path]) -> Engine:
    """An engine over three short made-up documents with known best results."""
    folder = write_corpus(dict(TINY_CORPUS))
    return Engine.load(replace(Settings(), base_dir=str(folder.parent)), folder=folder)


@pytest.fixture
def corpus_settings() -> Callable[[Path], Settings]:
    """Built-in settings over a corpus folder (its codebook would be `themes.yaml` beside it)."""

    def make(folder: Path) -> Settings:
        return replace(Settings(), base_dir=str(folder.parent), corpus=CorpusSettings(folder.name))

    return make
