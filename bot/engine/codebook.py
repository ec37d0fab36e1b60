"""The theme codebook: named topics a team codes against, read and validated from a YAML file.

Why a codebook and not clustering: researchers code documents against themes they choose and can
argue about. A theme is a name (slug), a label, a description, loose words (`terms`), multi-word
expressions (`phrases`) and expressions that must not count (`exclude`), written in
`config/themes.yaml` and validated once, with errors that name the file and the theme. How passages
are scored against themes is `bot.engine.themes`' job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from bot.engine.analysis import Analyzer, fold_accents
from bot.engine.errors import EngineError
from bot.settings import ConfigError

THEME_KEYS = ("name", "label", "description", "terms", "phrases", "exclude")
NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SUGGESTIONS = 3
SUGGESTION_CUTOFF = 55


class UnknownTheme(EngineError):
    """A theme name that is not in the codebook; carries the closest names as suggestions."""

    def __init__(self, name: str, suggestions: tuple[str, ...] = ()) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f" Did you mean {' or '.join(suggestions)}?" if suggestions else ""
        query = " ".join(name.split()) or name
        super().__init__(f"No theme '{name}'.{hint} Or search for it: /search {query}")


@dataclass(frozen=True, slots=True)
class Theme:
    """One code of the codebook, as written in the themes file."""

    name: str  # slug, e.g. "human-rights"
    label: str
    description: str = ""
    terms: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "description": self.description,
            "terms": list(self.terms),
            "phrases": list(self.phrases),
            "exclude": list(self.exclude),
        }


@dataclass(frozen=True, slots=True)
class Codebook:
    """The validated themes of one file, in file order."""

    path: Path
    themes: tuple[Theme, ...]

    def get(self, name: str) -> Theme | None:
        """A theme by name or label, forgiving case, accents and spaces ("Human rights")."""
        key = slug(name)
        for theme in self.themes:
            if key in (theme.name, slug(theme.label)):
                return theme
        return None

    def find(self, name: str) -> Theme:
        """Like `get`, but raise `UnknownTheme` with the closest names as suggestions."""
        theme = self.get(name)
        if theme is None:
            raise UnknownTheme(name.strip(), tuple(t.name for t in self.match(name, SUGGESTIONS)))
        return theme

    def containing(self, text: str) -> list[Theme]:
        """Themes whose name or label contains `text` (any case), in file order; all when empty."""
        needle = text.strip().casefold()
        return [
            t
            for t in self.themes
            if not needle or needle in t.name.casefold() or needle in t.label.casefold()
        ]

    def match(self, text: str, limit: int = 25) -> list[Theme]:
        """Themes whose name or label matches `text` fuzzily, best first (autocomplete)."""
        if not text.strip():
            return list(self.themes[:limit])
        choices = {i: f"{t.name} {slug(t.label)}" for i, t in enumerate(self.themes)}
        found = process.extract(
            slug(text), choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=SUGGESTION_CUTOFF
        )
        return [self.themes[i] for _, _, i in sorted(found, key=lambda f: (-f[1], f[2]))]


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Human Rights" → "human-rights"."""
    return "-".join(re.findall(r"[a-z0-9]+", fold_accents(text.casefold())))


def load_codebook(path: Path, analyzer: Analyzer | None = None) -> Codebook:
    """Read and validate a themes file; raise `ConfigError` naming the file and the theme."""
    if not path.is_file():
        raise ConfigError(f"{path}: theme codebook not found (set themes.file in the settings)")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    return parse_codebook(data, path, analyzer or Analyzer())


def parse_codebook(data: Any, path: Path, analyzer: Analyzer) -> Codebook:
    """Validate parsed YAML into a `Codebook` (see `load_codebook`)."""
    if not isinstance(data, dict) or set(data) != {"themes"}:
        raise ConfigError(f"{path}: expected a mapping with one key, 'themes' (a list of themes)")
    items = data["themes"]
    if not isinstance(items, list) or not items:
        raise ConfigError(f"{path}: themes: expected a non-empty list of themes")
    themes: list[Theme] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        theme = _parse_theme(item, path, i, analyzer)
        if theme.name in seen:
            raise ConfigError(
                f"{path}: theme '{theme.name}' is defined twice (themes[{seen[theme.name]}] and "
                f"themes[{i}])"
            )
        seen[theme.name] = i
        themes.append(theme)
    return Codebook(path, tuple(themes))


def _parse_theme(item: Any, path: Path, i: int, analyzer: Analyzer) -> Theme:
    where = f"themes[{i}]"
    if not isinstance(item, dict):
        raise ConfigError(f"{path}: {where}: expected a mapping with name, label, terms…")
    name = item.get("name")
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise ConfigError(
            f"{path}: {where}: name: expected a slug like 'human-rights', got {name!r}"
        )
    where = f"theme '{name}'"
    for key in item:
        if key not in THEME_KEYS:
            raise ConfigError(
                f"{path}: {where}: unknown key '{key}' (expected one of: {', '.join(THEME_KEYS)})"
            )
    label = item.get("label")
    if not isinstance(label, str) or not label.strip():
        raise ConfigError(f"{path}: {where}: label: expected a non-empty string")
    description = item.get("description", "")
    if not isinstance(description, str):
        raise ConfigError(f"{path}: {where}: description: expected a string")
    lists = {key: _words(item.get(key), path, where, key, analyzer) for key in THEME_KEYS[3:]}
    if not lists["terms"]:
        raise ConfigError(f"{path}: {where}: terms: expected a non-empty list of words")
    return Theme(name, label.strip(), " ".join(description.split()), *lists.values())


def _words(value: Any, path: Path, where: str, key: str, analyzer: Analyzer) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: {where}: {key}: expected a list of strings")
    for v in value:
        if not analyzer.terms(v):
            raise ConfigError(
                f"{path}: {where}: {key}: '{v}' has no searchable word (only stop words or "
                "punctuation)"
            )
    return tuple(dict.fromkeys(" ".join(v.split()) for v in value))
