"""Settings: `config/bot.yaml` validated once at start into frozen dataclasses.

Why a hand-rolled validator: the settings are a handful of plain types, and what users need from it
is one thing a generic schema library words badly — an error that names the file, the key and what
was expected ("config/bot.yaml: discord.cooldown_rate: expected an integer, got 'five'").

The bot token is deliberately *not* a setting: it is read from the environment by `read_token`, so
it can never be written in a file of the repo nor appear in `repr(settings)`.
"""

from __future__ import annotations

import logging
import os
import re
import types
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

import yaml

log = logging.getLogger(__name__)

T = TypeVar("T")

CONFIG_ENV = "CORPUS_BOT_CONFIG"
# "off", or the folder for index snapshots: overrides `index:` (scripts, CI, the test suite).
INDEX_CACHE_ENV = "CORPUS_BOT_INDEX_CACHE"
TOKEN_ENV = "DISCORD_TOKEN"
DEFAULT_CONFIG = Path("config") / "bot.yaml"
# Field weights of BM25F ranking (bm25.field_weights), chosen on SciFact and Cranfield through the
# product pipeline (bench/quality.py; README, Benchmarks).
TITLE_WEIGHT = 2.0
SECTION_WEIGHT = 1.0
PACKAGE_DIR = Path(__file__).resolve().parent
# The repository's config/ and seeds/, reachable from the package: in a checkout or an editable
# install `bot/shipped/config` is a symlink to `config/`; a wheel holds copies of the files there
# (package data), so `../seeds` in the shipped bot.yaml resolves in both.
SHIPPED_CONFIGS = (
    PACKAGE_DIR / "shipped" / "config" / "bot.yaml",
    PACKAGE_DIR.parent / "config" / "bot.yaml",  # a checkout whose symlinks were not kept
)


def shipped_config_path() -> Path | None:
    """The settings file installed with the package, if the installation has one."""
    return next((p for p in SHIPPED_CONFIGS if p.is_file()), None)


def _shipped_dir() -> str:
    """The folder the built-in defaults' relative paths start from: the shipped config's."""
    shipped = shipped_config_path()
    return str(shipped.resolve().parent if shipped else PACKAGE_DIR)


class ConfigError(ValueError):
    """A settings file that cannot be used; the message names the file and the key."""


def _check_regex(value: str, file: str, key: str) -> None:
    try:
        re.compile(value)
    except re.error as exc:
        raise ConfigError(
            f"{file}: {key}: not a valid regular expression ({exc}): {value!r}"
        ) from None


def _check_extension(value: str, file: str, key: str) -> None:
    if not value.startswith(".") or len(value) < 2 or any(c in value for c in "/\\*? "):
        raise ConfigError(
            f"{file}: {key}: expected a file extension with its dot, like '.txt', got {value!r}"
        )


@dataclass(frozen=True)
class CorpusSettings:
    """Where the documents are and which files count as documents."""

    folder: str = "../seeds"
    extensions: tuple[str, ...] = field(
        default=(".txt", ".md", ".pdf", ".html", ".htm", ".docx", ".vtt", ".srt"),
        metadata={"check": _check_extension},
    )
    max_file_mb: float = 64.0
    # A .docx is a zip: refuse one that would unpack to more than this (a zip bomb).
    max_unpacked_mb: float = field(default=256.0, metadata={"range": (1.0, 100_000.0)})


@dataclass(frozen=True)
class CleaningSettings:
    """Regular expressions that remove web-scrape debris; applied line by line."""

    drop_lines: tuple[str, ...] = field(
        default=(
            r"^\s*See also\b.*$",
            r"^\s*Explore More:?\s*$",
            r"^\s*[-•·*▪◦‣]\s*$",
        ),
        metadata={"check": _check_regex},
    )
    bullet: str = field(
        default=r"^\s*(?:[-•·*▪◦‣]|\d{1,2}[.)])\s+", metadata={"check": _check_regex}
    )


@dataclass(frozen=True)
class PassageSettings:
    """How paragraphs become quotable passages."""

    min_chars: int = field(default=80, metadata={"range": (0, 10_000)})
    max_chars: int = field(default=1200, metadata={"range": (100, 100_000)})
    heading_max_words: int = field(default=14, metadata={"range": (1, 100)})
    near_duplicate: float = field(default=0.8, metadata={"range": (0.0, 1.0)})


@dataclass(frozen=True)
class AnalysisSettings:
    """The analyzer's steps; passages and queries always share them."""

    nfkc: bool = True
    casefold: bool = True
    fold_accents: bool = True
    stopwords: Literal["english", "none"] = "english"
    stemmer: Literal["english", "none"] = "english"
    # Each document with its own language's stemmer and stop words (Spanish, French…); English
    # (the two settings above) for documents of unknown or unsupported language.
    per_language: bool = True


@dataclass(frozen=True)
class FieldWeights:
    """How much a passage's document title and section heading count in its ranking (BM25F).

    A weight w makes each word of the field count like w words of the passage itself, in its
    term frequency and its length; 0 leaves the field out (plain BM25 over the passage's text).
    """

    title: float = field(default=TITLE_WEIGHT, metadata={"range": (0.0, 100.0)})
    section: float = field(default=SECTION_WEIGHT, metadata={"range": (0.0, 100.0)})


@dataclass(frozen=True)
class BM25Settings:
    """BM25 parameters; defaults are rank_bm25's so scores match it (with field weights 0)."""

    variant: Literal["okapi", "plus"] = "okapi"
    k1: float = 1.5
    b: float = 0.75
    epsilon: float = 0.25
    delta: float | None = None
    field_weights: FieldWeights = field(default_factory=FieldWeights)


@dataclass(frozen=True)
class SearchSettings:
    """Defaults and bounds for queries."""

    top: int = field(default=10, metadata={"range": (1, 1000)})
    max_top: int = field(default=50, metadata={"range": (1, 1000)})
    max_query_chars: int = field(default=1000, metadata={"range": (10, 100_000)})
    snippet_sentences: int = field(default=3, metadata={"range": (1, 10)})
    snippet_chars: int = field(default=400, metadata={"range": (50, 4000)})


@dataclass(frozen=True)
class SummarySettings:
    """Length budget of extractive summaries (one Discord embed by default)."""

    max_chars: int = field(default=1500, metadata={"range": (200, 4000)})


@dataclass(frozen=True)
class ThemeSettings:
    """Where the theme codebook is."""

    file: str = "themes.yaml"


@dataclass(frozen=True)
class DiscordSettings:
    """Non-secret Discord options."""

    guild_ids: tuple[int, ...] = ()
    results_per_page: int = field(default=3, metadata={"range": (1, 10)})
    ephemeral: bool = False
    cooldown_rate: int = field(default=5, metadata={"range": (0, 1000)})
    cooldown_seconds: float = field(default=30.0, metadata={"range": (0, 86400)})
    admin_role: str | None = None
    # Role (name or id) allowed to /add documents besides Manage Server and the admin role.
    contributor_role: str | None = None
    # Role (name or id) allowed to code, memo and save quotes; None = every member may.
    coder_role: str | None = None
    shards: int | None = field(default=None, metadata={"range": (1, 10000)})
    max_concurrent_searches: int = field(default=8, metadata={"range": (1, 256)})
    view_timeout_seconds: float = field(default=600.0, metadata={"range": (1, 840)})


@dataclass(frozen=True)
class StoreSettings:
    """Where the team's database is (codings, memos, saved quotes) and how long to wait for it."""

    path: str = "../data/corpus-bot.sqlite3"
    busy_timeout: float = field(default=5.0, metadata={"range": (0, 600)})


@dataclass(frozen=True)
class IndexSettings:
    """Where index snapshots are kept, so an unchanged corpus starts without being re-read."""

    cache: bool = True
    cache_dir: str = "../data/index"


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from `config/bot.yaml`; paths are resolved against that file."""

    corpus: CorpusSettings = field(default_factory=CorpusSettings)
    cleaning: CleaningSettings = field(default_factory=CleaningSettings)
    passages: PassageSettings = field(default_factory=PassageSettings)
    analysis: AnalysisSettings = field(default_factory=AnalysisSettings)
    bm25: BM25Settings = field(default_factory=BM25Settings)
    search: SearchSettings = field(default_factory=SearchSettings)
    summary: SummarySettings = field(default_factory=SummarySettings)
    themes: ThemeSettings = field(default_factory=ThemeSettings)
    discord: DiscordSettings = field(default_factory=DiscordSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    index: IndexSettings = field(default_factory=IndexSettings)
    # Relative paths start here: the settings file's folder (the shipped config's for defaults).
    base_dir: str = field(default_factory=_shipped_dir)
    # Which settings were used and why, for `-v`, `docs` and errors; not part of equality.
    origin: str = field(default="built-in defaults", compare=False)

    @property
    def corpus_dir(self) -> Path:
        return (Path(self.base_dir) / self.corpus.folder).resolve()

    @property
    def themes_path(self) -> Path:
        return (Path(self.base_dir) / self.themes.file).resolve()

    @property
    def store_path(self) -> Path:
        return (Path(self.base_dir) / self.store.path).resolve()

    @property
    def index_cache_dir(self) -> Path | None:
        """The snapshot folder, or None when snapshots are off (`index.cache: false`)."""
        if not self.index.cache:
            return None
        return (Path(self.base_dir) / self.index.cache_dir).resolve()


def find_config(path: str | Path | None = None) -> tuple[Path | None, str]:
    """Which settings file to read, and why.

    In order: `--config`, `$CORPUS_BOT_CONFIG`, `config/bot.yaml` of the working directory, the
    config shipped with the installation; None when there is none at all (built-in defaults).
    """
    if path is not None:
        return Path(path), "--config"
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV]), f"${CONFIG_ENV}"
    if DEFAULT_CONFIG.is_file():
        return DEFAULT_CONFIG, "found in the working directory"
    shipped = shipped_config_path()
    if shipped is not None:
        return shipped, "shipped with the installation"
    return None, "built-in defaults"


def load_settings(path: str | Path | None = None, **overrides: Any) -> Settings:
    """Read and validate the settings `find_config` picks; no file at all means built-in defaults.

    A file the user named (`--config`, `$CORPUS_BOT_CONFIG`) must exist. `overrides` replace
    top-level sections (used by `--corpus DIR` and by tests).
    """
    config_path, why = find_config(path)
    if config_path is None:
        settings = Settings()
    elif not config_path.is_file():  # only a file the user named can be missing here
        named = f" (named by {why})" if why.startswith("$") else ""
        raise ConfigError(f"{config_path}: settings file not found{named}")
    else:
        settings = parse_settings(config_path.read_text(encoding="utf-8"), config_path)
        settings = _replace(settings, {"origin": f"{config_path.resolve()} ({why})"})
    log.debug("settings: %s", settings.origin)
    settings = with_index_cache(settings, os.environ.get(INDEX_CACHE_ENV))
    return _replace(settings, overrides) if overrides else settings


def with_index_cache(settings: Settings, value: str | Path | None) -> Settings:
    """Settings whose snapshots go to folder `value` ("off": none; None: as they were)."""
    if value is None or value == "":
        return settings
    if str(value) == "off":
        return _replace(settings, {"index": IndexSettings(cache=False)})
    folder = str(Path(value).expanduser().resolve())
    return _replace(settings, {"index": IndexSettings(cache=True, cache_dir=folder)})


def parse_settings(text: str, path: Path) -> Settings:
    """Validate YAML text into `Settings`; every error names `path` and the dotted key."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if data is None:
        data = {}
    data = dict(data) if isinstance(data, dict) else data
    if isinstance(data, dict):
        data.setdefault("base_dir", str(path.resolve().parent))
    return build_dataclass(Settings, data, str(path), "")


def _replace(settings: Settings, overrides: dict[str, Any]) -> Settings:
    from dataclasses import replace

    return replace(settings, **overrides)


def build_dataclass(cls: type[T], data: Any, file: str, where: str) -> T:
    """Build dataclass `cls` from a YAML mapping, naming `file` and the key on any error."""
    label = where or "the top level"
    if not isinstance(data, dict):
        raise ConfigError(f"{file}: {label}: expected a mapping, got {_show(data)}")
    hints = get_type_hints(cls)
    known = [f.name for f in fields(cls) if f.name != "origin"]  # type: ignore[arg-type]
    for key in data:
        if key not in known:
            raise ConfigError(
                f"{file}: unknown key '{_join(where, str(key))}' "
                f"(expected one of: {', '.join(k for k in known if k != 'base_dir')})"
            )
    kwargs = {}
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name not in data:
            continue
        key = _join(where, f.name)
        value = _coerce(hints[f.name], data[f.name], file, key)
        check: Callable[[str, str, str], None] | None = f.metadata.get("check")
        if check is not None:
            for i, item in enumerate(value if isinstance(value, tuple) else [value]):
                check(item, file, f"{key}[{i}]" if isinstance(value, tuple) else key)
        bounds = f.metadata.get("range")
        if bounds and value is not None and not bounds[0] <= value <= bounds[1]:
            raise ConfigError(f"{file}: {key}: expected {bounds[0]} to {bounds[1]}, got {value!r}")
        kwargs[f.name] = value
    return cls(**kwargs)


def _coerce(kind: Any, value: Any, file: str, key: str) -> Any:
    origin, args = get_origin(kind), get_args(kind)
    if origin in (Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return _coerce(inner[0], value, file, key)
    if is_dataclass(kind):
        return build_dataclass(kind, value, file, key)  # type: ignore[arg-type]
    if origin is Literal:
        if value not in args:
            choices = ", ".join(repr(a) for a in args)
            raise ConfigError(f"{file}: {key}: expected one of {choices}, got {_show(value)}")
        return value
    if origin is tuple:
        if isinstance(value, str | int) and not isinstance(value, bool):
            value = [value]
        if not isinstance(value, list | tuple):
            raise ConfigError(f"{file}: {key}: expected a list, got {_show(value)}")
        return tuple(_coerce(args[0], v, file, f"{key}[{i}]") for i, v in enumerate(value))
    if kind is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{file}: {key}: expected true or false, got {_show(value)}")
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{file}: {key}: expected an integer, got {_show(value)}")
        return value
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{file}: {key}: expected a number, got {_show(value)}")
        return float(value)
    if kind is str:
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{file}: {key}: expected a non-empty string, got {_show(value)}")
        return value
    raise ConfigError(f"{file}: {key}: unsupported setting type {kind}")  # pragma: no cover


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"[:80]


def read_token() -> str | None:
    """The bot token from `$DISCORD_TOKEN`, or None; it is never stored in `Settings`."""
    token = os.environ.get(TOKEN_ENV, "").strip()
    return token or None


# A bot token is three base64url parts joined by dots (id, timestamp, signature). Checked loosely
# — the parts' lengths change over time — to catch a placeholder ("…", "<token>") or a paste of
# something else before connecting, with a message that never repeats the value.
TOKEN_SHAPE_RE = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


def token_problem(token: str) -> str | None:
    """Why `token` cannot be a bot token, or None when it has a token's shape (never echoes it)."""
    if TOKEN_SHAPE_RE.fullmatch(token):
        return None
    return (
        f"{TOKEN_ENV} does not look like a bot token (three parts of letters, digits, - and _ "
        f"joined by dots; it has {len(token)} characters): copy it again from the Discord "
        "Developer Portal (Applications → your app → Bot → Reset Token)."
    )
