"""A rendered page: what one Discord message shows, as plain data.

Why plain data: the cogs turn a `Page` into `discord.Embed`s, the console turns the same `Page` into
text, and the tests check it against Discord's limits — all without either side knowing the other.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from bot.rendering import limits
from bot.rendering.text import cut, cut_lines, plain

COLOUR = 0x3B82F6  # one accent colour for every answer
ERROR_COLOUR = 0xEF4444


@dataclass(frozen=True, slots=True)
class PassageChoice:
    """A passage shown on a page, offered to the "More context" and "Related" controls."""

    passage_id: str
    label: str  # short plain text, e.g. "1 · US-Mexico Cooperation · ¶7"
    number: int | None = None  # the number the page shows for it (a hit's rank, a sentence's)


@dataclass(frozen=True, slots=True)
class Image:
    """A picture sent with a page (a chart): an embed shows it as `attachment://filename`."""

    filename: str  # e.g. "trend.png"
    data: bytes
    description: str = ""  # alt text, for screen readers

    @property
    def url(self) -> str:
        return f"attachment://{self.filename}"


@dataclass(frozen=True, slots=True)
class Page:
    """One message: optional content, embeds as Discord JSON dicts, the passages it quotes, and
    the pictures its embeds show."""

    embeds: tuple[dict[str, Any], ...] = ()
    content: str | None = None
    passages: tuple[PassageChoice, ...] = ()
    files: tuple[Image, ...] = ()

    def to_message(self) -> dict[str, Any]:
        """The Discord message body this page becomes (without components)."""
        body: dict[str, Any] = {"embeds": [dict(e) for e in self.embeds]}
        if self.content is not None:
            body["content"] = self.content
        return body


@dataclass(frozen=True, slots=True)
class Pages:
    """An answer: one or more pages the reader moves through, in order."""

    pages: tuple[Page, ...]
    ephemeral_hint: bool = False  # an answer only the asker needs (errors, "not yet" notices)
    # What the pager offers for the passages of a page: their neighbours, related passages.
    actions: tuple[str, ...] = ("context", "related")

    def __len__(self) -> int:
        return len(self.pages)

    def __getitem__(self, index: int) -> Page:
        return self.pages[index]


def embed(
    *,
    title: str | None = None,
    description: str | None = None,
    fields: list[tuple[str, str]] | None = None,
    footer: str | None = None,
    colour: int = COLOUR,
) -> dict[str, Any]:
    """An embed dict; title and field names must already be escaped, the footer is plain text."""
    data: dict[str, Any] = {"type": "rich", "color": colour}
    if title:
        data["title"] = cut(title, limits.EMBED_TITLE)
    if description:
        data["description"] = cut_lines(description, limits.EMBED_DESCRIPTION)
    # Discord refuses a whole message over one field with an empty name or value (a heading or
    # key term that escaped to nothing): such a field is left out.
    shown = [(n, v) for n, v in fields or () if n.strip() and v.strip()]
    if shown:
        data["fields"] = [
            {
                "name": cut(name, limits.FIELD_NAME),
                "value": cut_lines(value, limits.FIELD_VALUE),
                "inline": False,
            }
            for name, value in shown[: limits.EMBED_FIELDS]
        ]
    if footer:
        data["footer"] = {"text": plain(footer, limits.FOOTER_TEXT)}
    return data


def notice(text: str, *, title: str | None = None, error: bool = False) -> Pages:
    """A one-page answer holding a single sentence (already escaped where it echoes user text)."""
    colour = ERROR_COLOUR if error else COLOUR
    page = Page(embeds=(embed(title=title, description=text, colour=colour),))
    return Pages((page,), ephemeral_hint=True)


def with_page_numbers(pages: list[Page], footer_base: str) -> tuple[Page, ...]:
    """Set each page's first-embed footer to `footer_base · page x/y` (plain text)."""
    total = len(pages)
    out = []
    for number, page in enumerate(pages, start=1):
        text = footer_base if total == 1 else f"{footer_base} · page {number}/{total}"
        if page.embeds:
            first = dict(page.embeds[0])
            first["footer"] = {"text": plain(text, limits.FOOTER_TEXT)}
            page = replace(page, embeds=(first, *page.embeds[1:]))
        out.append(page)
    return tuple(out)
