"""Checks on what members type, before anything reaches the database."""

from __future__ import annotations

import re

from bot.store.errors import InvalidInput
from bot.store.text import Anchor, fold_name

MAX_NAME_CHARS = 100
COLOUR_RE = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def check_name(name: str, what: str) -> str:
    name = " ".join(name.split())
    if not name or not fold_name(name):
        raise InvalidInput(f"{what} needs a name with at least one letter or digit.")
    if len(name) > MAX_NAME_CHARS:
        raise InvalidInput(f"{what} name has at most {MAX_NAME_CHARS} characters.")
    return name


def check_code(name: str, colour: str | None) -> tuple[str, str | None]:
    name = check_name(name, "A code")
    if colour is not None:
        colour = colour.strip()
        if not COLOUR_RE.fullmatch(colour):
            raise InvalidInput(f"'{colour}' is not a colour; write it like #1f77b4.")
    return name, colour


def check_anchor(anchor: Anchor) -> None:
    if not anchor.quote or anchor.start < 0 or anchor.end - anchor.start != len(anchor.quote):
        raise InvalidInput(
            "That quote does not match its position in the document; take it from the passage."
        )
