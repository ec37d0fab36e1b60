"""Discord's size limits, and a checker that lists every way a payload breaks them.

Why a checker and not only careful renderers: the renderers budget their output, but the tests pass
every body the bot really sent (recorded by the offline fake) through `check_message`, so a limit
missed anywhere — a label, an option, an autocomplete choice — fails a test instead of a user's
command. Lengths are counted in UTF-16 code units, which is never less than what Discord counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

CONTENT = 2000
EMBEDS = 10
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER_TEXT = 2048
AUTHOR_NAME = 256
EMBED_TOTAL = 6000  # title + description + field names/values + footer + author, all embeds

ACTION_ROWS = 5
ROW_BUTTONS = 5
CUSTOM_ID = 100
BUTTON_LABEL = 80
SELECT_OPTIONS = 25
SELECT_OPTION_TEXT = 100  # label, value and description of an option
SELECT_PLACEHOLDER = 150

CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100

COMMAND_NAME_MAX = 32
DESCRIPTION = 100
OPTIONS = 25
# Python's `\w` is letters, digits (categories L and N) and "_": Discord's `[-_'\p{L}\p{N}]`.
COMMAND_NAME_RE = re.compile(r"^[-'\w]{1,32}$")

BUTTON, SELECT = 2, 3  # component types
INTERACTION_MESSAGE_TYPES = {4, 7}  # channel message, update message
AUTOCOMPLETE_RESULT = 8


def width(text: str) -> int:
    """Length as Discord may count it: UTF-16 code units (an emoji outside the BMP counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def check_message(payload: Mapping[str, Any]) -> list[str]:
    """Every limit a message body breaks; an interaction callback body is unwrapped first."""
    if "type" in payload and "data" in payload and "embeds" not in payload:
        if payload["type"] == AUTOCOMPLETE_RESULT:
            return check_choices(payload["data"].get("choices", []))
        if payload["type"] not in INTERACTION_MESSAGE_TYPES:
            return []
        payload = payload["data"] or {}
    problems: list[str] = []
    content = payload.get("content")
    if content is not None and width(content) > CONTENT:
        problems.append(f"content has {width(content)} chars (max {CONTENT})")
    embeds = payload.get("embeds") or []
    if len(embeds) > EMBEDS:
        problems.append(f"{len(embeds)} embeds (max {EMBEDS})")
    total = 0
    for i, embed in enumerate(embeds):
        total += _check_embed(embed, f"embed {i}", problems)
    if total > EMBED_TOTAL:
        problems.append(f"embeds hold {total} chars together (max {EMBED_TOTAL})")
    if not content and not embeds and "components" not in payload and "flags" not in payload:
        problems.append("message has neither content nor embeds")
    problems.extend(check_components(payload.get("components") or []))
    return problems


def _check_embed(embed: Mapping[str, Any], where: str, problems: list[str]) -> int:
    total = 0
    for key, limit in (("title", EMBED_TITLE), ("description", EMBED_DESCRIPTION)):
        text = embed.get(key)
        if text is not None:
            total += _limit(text, limit, f"{where} {key}", problems)
    fields = embed.get("fields") or []
    if len(fields) > EMBED_FIELDS:
        problems.append(f"{where} has {len(fields)} fields (max {EMBED_FIELDS})")
    for j, fld in enumerate(fields):
        total += _limit(fld.get("name", ""), FIELD_NAME, f"{where} field {j} name", problems)
        total += _limit(fld.get("value", ""), FIELD_VALUE, f"{where} field {j} value", problems)
        for part in ("name", "value"):
            if not str(fld.get(part, "")).strip():
                problems.append(f"{where} field {j} {part} is empty")
    footer = (embed.get("footer") or {}).get("text")
    if footer is not None:
        total += _limit(footer, FOOTER_TEXT, f"{where} footer", problems)
    author = (embed.get("author") or {}).get("name")
    if author is not None:
        total += _limit(author, AUTHOR_NAME, f"{where} author", problems)
    if not any(embed.get(k) for k in ("title", "description", "fields")):
        problems.append(f"{where} is empty")
    return total


def check_components(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """Limits of action rows, buttons and select menus."""
    problems: list[str] = []
    rows = list(rows)
    if len(rows) > ACTION_ROWS:
        problems.append(f"{len(rows)} action rows (max {ACTION_ROWS})")
    for r, row in enumerate(rows):
        items = row.get("components") or []
        if not items:
            problems.append(f"row {r} is empty")
        buttons = [c for c in items if c.get("type") == BUTTON]
        selects = [c for c in items if c.get("type") == SELECT]
        if len(buttons) > ROW_BUTTONS:
            problems.append(f"row {r} has {len(buttons)} buttons (max {ROW_BUTTONS})")
        if selects and len(items) > 1:
            problems.append(f"row {r} mixes a select menu with other components")
        for c, item in enumerate(items):
            where = f"row {r} component {c}"
            custom_id = item.get("custom_id")
            if custom_id is not None:
                _limit(custom_id, CUSTOM_ID, f"{where} custom_id", problems)
            if item.get("label") is not None:
                _limit(item["label"], BUTTON_LABEL, f"{where} label", problems)
            if item.get("placeholder") is not None:
                _limit(item["placeholder"], SELECT_PLACEHOLDER, f"{where} placeholder", problems)
            options = item.get("options")
            if options is not None:
                if not 1 <= len(options) <= SELECT_OPTIONS:
                    problems.append(f"{where} has {len(options)} options (1–{SELECT_OPTIONS})")
                for o, option in enumerate(options):
                    for key in ("label", "value", "description"):
                        if option.get(key) is not None:
                            text = option[key]
                            _limit(text, SELECT_OPTION_TEXT, f"{where} option {o} {key}", problems)
    return problems


def check_choices(choices: Iterable[Mapping[str, Any]]) -> list[str]:
    """Limits of an autocomplete answer."""
    choices = list(choices)
    problems: list[str] = []
    if len(choices) > CHOICES:
        problems.append(f"{len(choices)} choices (max {CHOICES})")
    for i, choice in enumerate(choices):
        name = choice.get("name", "")
        if not 1 <= width(name) <= CHOICE_NAME:
            problems.append(f"choice {i} name has {width(name)} chars (1–{CHOICE_NAME})")
        value = choice.get("value")
        if isinstance(value, str) and not 1 <= width(value) <= CHOICE_VALUE:
            problems.append(f"choice {i} value has {width(value)} chars (1–{CHOICE_VALUE})")
    return problems


def check_command(
    payload: Mapping[str, Any], where: str = "", *, is_option: bool = False
) -> list[str]:
    """Name and description rules of a slash command (as synced) and of its options."""
    where = where or f"/{payload.get('name')}"
    problems: list[str] = []
    name = str(payload.get("name", ""))
    context_menu = not is_option and payload.get("type", 1) != 1
    if context_menu:  # a menu entry: any case, spaces allowed, still 1–32 characters
        if not 1 <= width(name.strip()) <= COMMAND_NAME_MAX or name != name.strip():
            problems.append(f"{where}: menu name {name!r} is not 1–32 characters")
    elif not COMMAND_NAME_RE.match(name) or name != name.lower():
        problems.append(f"{where}: name {name!r} is not a lowercase 1–32 char command name")
    description = str(payload.get("description", ""))
    if not context_menu and not 1 <= width(description) <= DESCRIPTION:
        problems.append(f"{where}: description has {width(description)} chars (1–{DESCRIPTION})")
    options = payload.get("options") or []
    if len(options) > OPTIONS:
        problems.append(f"{where}: {len(options)} options (max {OPTIONS})")
    for option in options:
        problems.extend(check_command(option, f"{where} {option.get('name')}", is_option=True))
        problems.extend(check_choices(option.get("choices") or []))
    return problems


def _limit(text: str, limit: int, where: str, problems: list[str]) -> int:
    n = width(str(text))
    if n > limit:
        problems.append(f"{where} has {n} chars (max {limit})")
    return n


# -- safety: markup that stays balanced, mentions that cannot render --------------------------

_ESCAPED = re.compile(r"\\[^0-9A-Za-z\s]")  # Discord: a backslash escapes any non-alphanumeric
_CODE_SPAN = re.compile(r"`[^`\n]+`")
_CODE_BLOCK = re.compile(r"```[^`]*```")
_URL = re.compile(r"https?://[^\s<>\"`|*\\]+")
_MENTION = re.compile(r"@(?:everyone|here)\b|(?<!\\)<(?:@[!&]?|#)\d+>")


def markdown_problems(text: str) -> list[str]:
    """Markup left unbalanced in `text`: bold pairs, stray `*`, `_`, `~`, `|` or backticks.

    Our renderers escape every markup character of the source and add only `**…**`, `> `,
    `` `id` `` and fenced code blocks (whose content is never markup); anything else unescaped
    means a renderer broke that rule.
    """
    stripped = _URL.sub("", _ESCAPED.sub("", _CODE_BLOCK.sub("", text)))
    problems: list[str] = []
    if stripped.count("`") % 2:
        problems.append("odd number of backticks")
    stripped = _CODE_SPAN.sub("", stripped)
    if stripped.count("**") % 2:
        problems.append("unbalanced **")
    rest = stripped.replace("**", "")
    for char in "*_~|":
        if char in rest:
            problems.append(f"unescaped {char!r}")
    return problems


def safety_problems(payload: Mapping[str, Any]) -> list[str]:
    """Mentions that could render or ping, and broken markup, in a message body."""
    if "type" in payload and "data" in payload and "embeds" not in payload:
        if payload["type"] not in INTERACTION_MESSAGE_TYPES:
            return []
        payload = payload["data"] or {}
    problems: list[str] = []
    allowed = payload.get("allowed_mentions")
    if allowed is not None and (
        allowed.get("parse") or allowed.get("users") or allowed.get("roles")
    ):
        problems.append(f"allowed_mentions lets mentions through: {allowed}")
    texts = [("content", payload.get("content") or "")]
    for i, e in enumerate(payload.get("embeds") or []):
        texts += [(f"embed {i} title", e.get("title") or "")]
        texts += [(f"embed {i} description", e.get("description") or "")]
        for j, f in enumerate(e.get("fields") or []):
            texts += [(f"embed {i} field {j} name", f.get("name", ""))]
            texts += [(f"embed {i} field {j} value", f.get("value", ""))]
    for where, text in texts:
        if mention := _MENTION.search(text):
            problems.append(f"{where} holds a live mention: {mention.group()!r}")
        problems.extend(f"{where}: {p}" for p in markdown_problems(text))
    return problems
