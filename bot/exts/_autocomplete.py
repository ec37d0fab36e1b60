"""Autocomplete for document, theme, code, coder, collection and passage options.

Why no worker thread here: Discord gives autocomplete 3 seconds and users type fast; matching a
few thousand titles with rapidfuzz takes milliseconds, far less than a thread hop under load.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.engine.errors import EngineError
from bot.rendering import limits
from bot.rendering.choices import document_choices, theme_choices
from bot.rendering.text import plain
from bot.store import fold_name

if TYPE_CHECKING:
    from bot.client import CorpusBot

log = logging.getLogger(__name__)

MAX_TYPED = 200  # characters of the typed text matched against titles
PASSAGE_CHOICES = 10  # passages offered for typed words (a search's best)


async def documents(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Documents whose title words or id match what the user has typed so far."""
    bot: CorpusBot = interaction.client
    try:
        found = bot.workspace.engine.match_documents(current[:MAX_TYPED], limit=limits.CHOICES)
    except EngineError:  # not loaded yet
        return []
    return [app_commands.Choice(name=n, value=v) for n, v in document_choices(found)]


async def speakers(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Interview speakers whose name contains what the user has typed so far."""
    bot: CorpusBot = interaction.client
    try:
        engine = bot.workspace.engine
    except EngineError:
        return []
    typed = engine.analyzer.normalize(current[:MAX_TYPED].strip())
    names = [name for folded, name in engine.speakers.items() if typed in folded]
    # Speaker labels are at most 40 characters (`passages.SPEAKER_MAX_CHARS`): they fit a choice.
    return [app_commands.Choice(name=n, value=n) for n in names[: limits.CHOICES]]


async def themes(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Themes whose name or label contains what the user has typed so far."""
    bot: CorpusBot = interaction.client
    try:
        codebook = bot.workspace.codebook
    except EngineError:
        return []
    if codebook is None:  # no codebook, or a broken one: nothing to offer; /theme explains why
        return []
    return [
        app_commands.Choice(name=n, value=v) for n, v in theme_choices(codebook.containing(current))
    ]


# -- the team's database: codes, coders, collections, passages, memo targets ----------------
# Database reads run in a worker thread (a lock held by a writer must not stall the event loop).


def _fits(value: str) -> bool:
    return 1 <= limits.width(value) <= limits.CHOICE_VALUE


def _choice(name: str, value: str) -> app_commands.Choice[str]:
    return app_commands.Choice(name=plain(name, limits.CHOICE_NAME) or value[:50], value=value)


async def codes(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Codes (the codebook's themes and members' codes) containing what was typed."""
    bot: CorpusBot = interaction.client
    if bot.store is None:
        return []
    found = await asyncio.to_thread(bot.store.match_codes, current[:MAX_TYPED], limits.CHOICES)
    return [_choice(c.name, c.name) for c in found if _fits(c.name)]


async def new_or_existing_code(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Existing codes first; what was typed, as a new code, when no code has that name."""
    choices = await codes(interaction, current)
    typed = " ".join(current.split())[:100]
    if typed and all(fold_name(c.value) != fold_name(typed) for c in choices):
        choices = [_choice(f"new code: {typed}", typed), *choices][: limits.CHOICES]
    return choices


async def coders(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Members who have coded, memoed or saved, by display name; the value is their user key."""
    bot: CorpusBot = interaction.client
    if bot.store is None:
        return []
    users = await asyncio.to_thread(bot.store.users)
    typed = fold_name(current)
    found = [u for u in users if typed in fold_name(u.display_name)]
    return [_choice(u.display_name, u.key) for u in found if _fits(u.key)][: limits.CHOICES]


async def collections(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """This server's collections whose name contains what was typed."""
    bot: CorpusBot = interaction.client
    if bot.store is None:
        return []
    found = await asyncio.to_thread(bot.store.collections, interaction.guild_id)
    typed = fold_name(current)
    names = [c.name for c in found if typed in fold_name(c.name)]
    return [_choice(n, n) for n in names if _fits(n)][: limits.CHOICES]


async def passages(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """A passage id as typed (`000¶32` too), else the best passages for the typed words."""
    bot: CorpusBot = interaction.client
    typed = current.strip()[:MAX_TYPED]
    if not typed:
        return []
    try:
        ws = bot.workspace
    except EngineError:
        return []

    def find() -> list[tuple[str, str]]:
        try:
            p = ws.engine.passage(typed)
            return [(f"{p.id} · {p.title} · ¶{p.ordinal}", p.id)]
        except EngineError:
            pass
        try:
            result = ws.engine.search(typed, top=PASSAGE_CHOICES)
        except EngineError:
            return []
        return [
            (
                f"{h.passage.id} · {h.source.title} · ¶{h.source.ordinal} · {h.passage.text}",
                h.passage.id,
            )
            for h in result.hits
        ]

    found = await bot.run_engine(find)
    return [_choice(name, value) for name, value in found if _fits(value)]


async def memo_targets(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Codes (`code:NAME`) and documents (`document:ID`) matching what was typed, or a passage."""
    if current.strip() and not current.lower().startswith(("code:", "document:", "doc:")):
        found = await passages(interaction, current)
        if found and found[0].value.lower() == current.strip().lower():
            return found[:1]
    typed = current.split(":", 1)[1] if ":" in current else current
    out = [
        _choice(f"code: {c.name}", f"code:{c.value}")
        for c in await codes(interaction, typed)
        if _fits(f"code:{c.value}")
    ][:12]
    out += [
        _choice(f"document: {d.name}", f"document:{d.value}")
        for d in await documents(interaction, typed)
        if _fits(f"document:{d.value}")
    ]
    return out[: limits.CHOICES]
