"""Exploring the corpus as corpus linguists do: `/kwic`, `/collocates`, `/keywords`, `/trend`, and
the message menus "Search corpus for this message" and "More like this".

Each command parses its options and hands the work to `bot.rendering.explore_answers` through
`answer`, which runs it (charts included) in an engine thread. The menus are `ContextMenu`s, which
discord.py cannot declare inside a cog, so the cog adds them to the tree when it loads and removes
them when it unloads.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import CorpusBot
from bot.exts import _autocomplete
from bot.exts._checks import user_cooldown
from bot.exts._pager import answer
from bot.rendering import explore_answers
from bot.rendering.pages import notice

log = logging.getLogger(__name__)

MAX_TERM = 200
# Discord allows 32 characters in a menu name: "Search the corpus for this message" has 34.
SEARCH_MENU = "Search corpus for this message"
MORE_LIKE_MENU = "More like this"
SORTS = [
    app_commands.Choice(name="by position in the corpus", value="position"),
    app_commands.Choice(name="by the word before (L1, L2, L3)", value="left"),
    app_commands.Choice(name="by the word after (R1, R2, R3)", value="right"),
]
MEASURES = [
    app_commands.Choice(name="log-likelihood", value="ll"),
    app_commands.Choice(name="mutual information (MI)", value="mi"),
    app_commands.Choice(name="t-score", value="t"),
]


class Explore(commands.Cog):
    """Concordances, collocates, keywords and trends, and searching from a message."""

    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot
        self.menus = [
            app_commands.ContextMenu(name=SEARCH_MENU, callback=self.search_message),
            app_commands.ContextMenu(name=MORE_LIKE_MENU, callback=self.more_like_this),
        ]

    async def cog_load(self) -> None:
        for menu in self.menus:
            self.bot.tree.add_command(menu)

    async def cog_unload(self) -> None:
        for menu in self.menus:
            self.bot.tree.remove_command(menu.name, type=menu.type)

    @property
    def per_page(self) -> int:
        return self.bot.settings.discord.results_per_page

    @app_commands.command(name="kwic")
    @app_commands.describe(
        term='A word or "a phrase" to find; accents and capitals do not matter',
        document="Only in this document (title or id)",
        width="Characters of context on each side (default 24)",
        stem="Find every form of the word (kill, killed, killings)",
        sort="Order of the lines",
    )
    @app_commands.autocomplete(document=_autocomplete.documents)
    @app_commands.choices(sort=SORTS)
    @user_cooldown()
    async def kwic(
        self,
        interaction: discord.Interaction[CorpusBot],
        term: app_commands.Range[str, 1, MAX_TERM],
        document: app_commands.Range[str, 1, 100] | None = None,
        width: app_commands.Range[int, 10, 40] = explore_answers.DISCORD_WIDTH,
        stem: bool = False,
        sort: str = "position",
    ) -> None:
        """Every occurrence of a word in its context (a concordance), each with its source."""
        await answer(
            interaction,
            lambda ws: explore_answers.kwic(
                ws, term, document=document, width=width, stem=stem, sort=sort
            ),
        )

    @app_commands.command(name="collocates")
    @app_commands.describe(
        term="A word or phrase",
        window="Words on each side that count as near it (1–10, default 5)",
        measure="How association is measured (default log-likelihood)",
        min_freq="Times a word must occur near it to be listed (default 3)",
        stem="Look around every form of the word",
    )
    @app_commands.choices(measure=MEASURES)
    @user_cooldown()
    async def collocates(
        self,
        interaction: discord.Interaction[CorpusBot],
        term: app_commands.Range[str, 1, MAX_TERM],
        window: app_commands.Range[int, 1, 10] = 5,
        measure: str = "ll",
        min_freq: app_commands.Range[int, 1, 1000] = 3,
        stem: bool = False,
    ) -> None:
        """The words that keep company with a word, by a standard association measure."""
        await answer(
            interaction,
            lambda ws: explore_answers.collocates_pages(
                ws, term, window=window, measure=measure, min_freq=min_freq, stem=stem
            ),
        )

    @app_commands.command(name="keywords")
    @app_commands.describe(document="The document (title or id)")
    @app_commands.autocomplete(document=_autocomplete.documents)
    @user_cooldown()
    async def keywords(
        self,
        interaction: discord.Interaction[CorpusBot],
        document: app_commands.Range[str, 1, 100],
    ) -> None:
        """What is distinctive of a document against the rest of the corpus (keyness)."""
        await answer(interaction, lambda ws: explore_answers.keywords_pages(ws, document))

    @app_commands.command(name="trend")
    @app_commands.describe(
        term_or_theme='A word, "a phrase", or a theme of the codebook',
        document="Per section of this document instead of per document",
        stem="Count every form of the word",
    )
    @app_commands.autocomplete(term_or_theme=_autocomplete.themes, document=_autocomplete.documents)
    @user_cooldown()
    async def trend(
        self,
        interaction: discord.Interaction[CorpusBot],
        term_or_theme: app_commands.Range[str, 1, MAX_TERM],
        document: app_commands.Range[str, 1, 100] | None = None,
        stem: bool = False,
    ) -> None:
        """How often a word or theme occurs per document (or section, or date), with a chart."""
        await answer(
            interaction,
            lambda ws: explore_answers.trend_pages(ws, term_or_theme, document=document, stem=stem),
        )

    @user_cooldown()
    async def search_message(
        self, interaction: discord.Interaction[CorpusBot], message: discord.Message
    ) -> None:
        """The message's text as a search, answered privately."""
        text = message_text(message)
        per_page = self.per_page
        await answer(
            interaction,
            lambda ws: explore_answers.search_message(ws, text, per_page=per_page),
            ephemeral=True,
        )

    @user_cooldown()
    async def more_like_this(
        self, interaction: discord.Interaction[CorpusBot], message: discord.Message
    ) -> None:
        """Passages like the quotes of one of the bot's answers, answered privately."""
        if self.bot.user is None or message.author.id != self.bot.user.id:
            await answer(interaction, lambda ws: notice(explore_answers.NOT_OURS), ephemeral=True)
            return
        texts = embed_texts(message)
        per_page = self.per_page
        await answer(
            interaction,
            lambda ws: explore_answers.more_like_message(ws, texts, per_page=per_page),
            ephemeral=True,
        )


def message_text(message: discord.Message) -> str:
    """What a message says: its content, or, when it has none, its embeds' titles and text."""
    if message.content.strip():
        return message.content
    return "\n".join(part for e in message.embeds for part in (e.title, e.description) if part)


def embed_texts(message: discord.Message) -> list[str]:
    """Every text of a message's embeds (where the bot's answers cite passage ids)."""
    texts = [message.content or ""]
    for e in message.embeds:
        texts += [e.title or "", e.description or "", e.footer.text or ""]
        texts += [f"{f.name}\n{f.value}" for f in e.fields]
    return texts


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(Explore(bot))
