"""Settings: validated at start, errors naming the file, the key and what was expected."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.settings import (
    CONFIG_ENV,
    INDEX_CACHE_ENV,
    ConfigError,
    Settings,
    load_settings,
    read_token,
    shipped_config_path,
)
from tests.conftest import CONFIG, ROOT, SEEDS


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
        (
            "bm25:\n  field_weights: {title: -1}\n",
            "bm25.field_weights.title: expected 0.0 to 100.0, got -1.0",
        ),
        ("bm25:\n  field_weights: {body: 2}\n", "unknown key 'bm25.field_weights.body'"),
        ("bm25:\n  field_weights: 2\n", "bm25.field_weights: expected a mapping"),
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


def test_builtin_defaults_equal_the_shipped_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without any settings file the bot behaves exactly as with the shipped config/bot.yaml."""
    monkeypatch.delenv(INDEX_CACHE_ENV)  # the suite turns snapshots off (tests/conftest.py)
    shipped = shipped_config_path()
    assert shipped is not None and shipped.resolve() == (ROOT / "config" / "bot.yaml").resolve()
    assert load_settings(shipped) == Settings()
    assert Settings().corpus_dir == SEEDS.resolve()
    assert Settings().themes_path == (ROOT / "config" / "themes.yaml").resolve()
    assert Settings().index_cache_dir == (ROOT / "data" / "index").resolve()


def test_index_cache_environment_overrides_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """`$CORPUS_BOT_INDEX_CACHE` names the snapshot folder, or turns snapshots off."""
    monkeypatch.setenv(INDEX_CACHE_ENV, "/tmp/snapshots")
    assert load_settings(CONFIG).index_cache_dir == Path("/tmp/snapshots").resolve()
    monkeypatch.setenv(INDEX_CACHE_ENV, "off")
    assert load_settings(CONFIG).index_cache_dir is None


def test_settings_are_found_from_any_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Away from the repository, the config shipped with the installation is used, and said so."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    settings = load_settings()
    assert settings.corpus_dir == SEEDS.resolve()
    assert "shipped with the installation" in settings.origin


def test_settings_discovery_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--config, then $CORPUS_BOT_CONFIG, then ./config/bot.yaml, then the shipped config."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "bot.yaml").write_text("search:\n  top: 3\n", encoding="utf-8")
    assert load_settings().search.top == 3
    assert "working directory" in load_settings().origin
    env_file = write(tmp_path, "search:\n  top: 4\n")
    monkeypatch.setenv(CONFIG_ENV, str(env_file))
    assert load_settings().search.top == 4
    assert CONFIG_ENV in load_settings().origin
    named = tmp_path / "named.yaml"
    named.write_text("search:\n  top: 5\n", encoding="utf-8")
    assert load_settings(named).search.top == 5
    monkeypatch.setenv(CONFIG_ENV, str(tmp_path / "gone.yaml"))
    with pytest.raises(ConfigError, match=r"gone.yaml: settings file not found \(named by \$"):
        load_settings()


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        (
            "cleaning:\n  drop_lines: ['^ok$', '[unclosed']\n",
            "cleaning.drop_lines[1]: not a valid regular expression",
        ),
        ("cleaning:\n  bullet: '(?P<'\n", "cleaning.bullet: not a valid regular expression"),
        ("corpus:\n  extensions: [.txt, md]\n", "corpus.extensions[1]: expected a file extension"),
    ],
)
def test_patterns_and_extensions_are_checked_at_start(
    tmp_path: Path, yaml_text: str, expected: str
) -> None:
    """A broken regular expression or an extension without a dot is an error naming the key."""
    with pytest.raises(ConfigError, match=re.escape(expected)):
        load_settings(write(tmp_path, yaml_text))
