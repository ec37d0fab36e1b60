"""Settings: validated at start, errors naming the file, the key and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import ConfigError, Settings, load_settings, read_token
from tests.conftest import CONFIG


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bot.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_repository_settings_load(settings: Settings) -> None:
    """config/bot.yaml is valid and points at seeds/."""
    assert settings.corpus_dir.name == "seeds" and settings.corpus_dir.is_dir()
    assert settings.bm25.k1 == 1.5 and settings.discord.results_per_page == 3


def test_unknown_key_names_file_key_and_choices(tmp_path: Path) -> None:
    """A misspelt key is an error naming the file, the dotted key and the valid keys."""
    path = write(tmp_path, "discord:\n  cooldown_rat: 5\n")
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    msg = str(err.value)
    assert str(path) in msg and "discord.cooldown_rat" in msg and "cooldown_rate" in msg


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("discord:\n  cooldown_rate: five\n", "discord.cooldown_rate: expected an integer"),
        ("discord:\n  ephemeral: 'yes'\n", "discord.ephemeral: expected true or false"),
        ("bm25:\n  variant: bm42\n", "bm25.variant: expected one of 'okapi', 'plus'"),
        ("discord:\n  guild_ids: [1, x]\n", "discord.guild_ids[1]: expected an integer"),
        ("search: 3\n", "search: expected a mapping"),
        ("corpus:\n  folder: ''\n", "corpus.folder: expected a non-empty string"),
        ("corpus: [\n", "not valid YAML"),
        ("discord:\n  results_per_page: 40\n", "results_per_page: expected 1 to 10, got 40"),
        ("passages:\n  near_duplicate: 2\n", "passages.near_duplicate: expected 0.0 to 1.0"),
    ],
)
def test_wrong_types_are_named(tmp_path: Path, yaml_text: str, expected: str) -> None:
    """Each wrong value says which key and what was expected."""
    with pytest.raises(ConfigError, match=expected.replace("[", r"\[").replace("]", r"\]")):
        load_settings(write(tmp_path, yaml_text))


def test_missing_values_take_defaults_and_paths_resolve_against_the_file(tmp_path: Path) -> None:
    """An empty file is valid; relative folders are relative to the settings file."""
    settings = load_settings(write(tmp_path, "corpus:\n  folder: docs\n"))
    assert settings.corpus_dir == (tmp_path / "docs").resolve()
    assert settings.search.top == Settings().search.top


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    """Naming a settings file that is not there is an error, not silent defaults."""
    with pytest.raises(ConfigError, match="settings file not found"):
        load_settings(tmp_path / "nope.yaml")


def test_token_is_never_part_of_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The token is read from the environment only and never appears in repr(settings)."""
    monkeypatch.setenv("DISCORD_TOKEN", "  secret-token-value  ")
    assert read_token() == "secret-token-value"
    for settings in (load_settings(CONFIG), Settings()):  # built while the variable is set
        assert "secret-token-value" not in repr(settings)
    monkeypatch.setenv("DISCORD_TOKEN", "")
    assert read_token() is None
