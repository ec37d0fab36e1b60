"""A rendered page as terminal text: the console prints exactly what Discord would show.

Why convert rather than render twice: the console exists to try the bot before creating a Discord
application, so it must show the same quotes, sources and footers; only the markdown escapes (which
Discord hides) are removed, and bold stays as `**word**`.
"""

from __future__ import annotations

import re

from bot.rendering.pages import Page
from bot.rendering.text import ZWSP

_ESCAPED_RE = re.compile(r"\\([^0-9A-Za-z\s])")


def unescape(text: str) -> str:
    """Markdown escapes and zero-width spaces removed: the characters Discord would display."""
    return _ESCAPED_RE.sub(r"\1", text).replace(ZWSP, "")


def page_as_text(page: Page) -> str:
    """Content, then each embed's title, description, fields and footer, blank-line separated."""
    blocks: list[str] = []
    if page.content:
        blocks.append(unescape(page.content))
    for data in page.embeds:
        if data.get("title"):
            title = unescape(data["title"])
            blocks.append(f"{title}\n{'=' * min(len(title), 72)}")
        if data.get("description"):
            blocks.append(unescape(data["description"]))
        for field in data.get("fields", []):
            blocks.append(f"{unescape(field['name'])}\n{unescape(field['value'])}")
        if data.get("footer", {}).get("text"):
            blocks.append(f"-- {data['footer']['text']}")
    return "\n\n".join(blocks)
