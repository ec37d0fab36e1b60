"""The `store:` settings: where the database is (resolved like the corpus folder), busy timeout."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import ConfigError, Settings, load_settings, parse_settings

ROOT = Path(__file__).resolve().parents[2]


def test_default_store_path_is_data_beside_the_settings_folder(tmp_path: Path) -> None:
    """Without a `store:` section the database is data/corpus-bot.sqlite3 beside config/."""
    settings = parse_settings("corpus: {folder: docs}\n", tmp_path / "config" / "bot.yaml")
    assert settings.store.path == "../data/corpus-bot.sqlite3"
    assert settings.store_path == (tmp_path / "data" / "corpus-bot.sqlite3").resolve()
    assert settings.store.busy_timeout == 5.0


def test_store_settings_are_read_and_checked(tmp_path: Path) -> None:
    """`store.path` and `store.busy_timeout` are read; a bad timeout names the file and key."""
    config = tmp_path / "conf" / "bot.yaml"
    settings = parse_settings("store: {path: ../db/team.sqlite3, busy_timeout: 2}\n", config)
    assert settings.store_path == (tmp_path / "db" / "team.sqlite3").resolve()
    assert settings.store.busy_timeout == 2.0
    with pytest.raises(ConfigError, match=r"bot\.yaml: store\.busy_timeout: expected 0 to 600"):
        parse_settings("store: {busy_timeout: 9999}\n", config)
    with pytest.raises(ConfigError, match=r"unknown key 'store\.file'"):
        parse_settings("store: {file: x}\n", config)


def test_the_repository_settings_put_the_database_beside_the_config() -> None:
    """config/bot.yaml puts the database in data/ at the top of the checkout, git-ignored."""
    settings = load_settings(ROOT / "config" / "bot.yaml")
    assert settings.store_path == (ROOT / "data" / "corpus-bot.sqlite3").resolve()
    assert "data/" in (ROOT / ".gitignore").read_text().splitlines()
    assert Settings().store.path == settings.store.path
