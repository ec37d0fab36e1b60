"""An independent reading of Discord markdown, to check what the renderers send.

Why not `bot.rendering.limits.markdown_problems`: a checker that shares the code under test's
regular expressions agrees with its mistakes. This one is written from Discord's documented
markdown (headers `#`–`###`, subtext `-#`, block quotes `>` / `>>>`, lists `-` `*` `+` `1.`,
masked links `[text](url)`, `**` `*` `_` `__` `~~` `||` and backticks, mentions) and from the
rule its parser shares with simple-markdown: a backslash makes the next character literal when
that character is neither a letter, a digit nor whitespace. It knows what our renderers add on
purpose — `> ` before a quoted line, `-# ` before a small source line, `**…**` around whole
pieces, `` `id` `` — and reports
everything else that Discord would turn into formatting or a mention.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

URL_START = ("https://", "http://")
# What Discord leaves out of the end of a bare link (sentence punctuation after it).
URL_TRAILING = ".,:;\"')]"
BOLD_CLOSE = re.compile(r"\*\*(?!\*)")  # the `**` that ends a bold run
MENTION_FORMS = [
    re.compile(r"<@!?\d+>"),  # user
    re.compile(r"<@&\d+>"),  # role
    re.compile(r"<#\d+>"),  # channel
    re.compile(r"</[^\s:>]+:\d+>"),  # slash command
    re.compile(r"<a?:\w+:\d+>"),  # custom emoji
    re.compile(r"<t:-?\d+(?::[tTdDfFR])?>"),  # timestamp
]
EVERYONE = re.compile(r"@(everyone|here)", re.IGNORECASE)
LINE_STARTS = [
    (re.compile(r"#{1,3} "), "a header"),
    (re.compile(r"-# "), "subtext"),
    (re.compile(r">>> |> |>$"), "a block quote"),
    (re.compile(r"\s*[-*+] "), "a list item"),
    (re.compile(r"\s*\d+\. "), "a numbered list item"),
]


@dataclass(frozen=True)
class Char:
    """One character of a message as Discord's parser sees it."""

    char: str
    literal: bool  # escaped, or inside a link or a code span: never markup


def read(text: str) -> list[Char]:
    """The characters of `text` with escapes resolved and links marked literal.

    Bold is parsed before links, as in Discord: inside `**…**` a link ends at the closing `**`
    (the first `**` not followed by another `*`). A code span (`` `…` ``) is parsed before both:
    what it holds is literal, a link included, and its backticks are its own.
    """
    out: list[Char] = []
    bold = False
    i = 0
    while i < len(text):
        c = text[i]
        nxt = text[i + 1] if i + 1 < len(text) else ""
        close = text.find("`", i + 1) if c == "`" else -1
        if c == "\\" and nxt and not (nxt.isascii() and nxt.isalnum()) and not nxt.isspace():
            out.append(Char(nxt, True))
            i += 2
        elif close > i + 1:  # a code span: backticks live, the inside literal
            out.append(Char("`", False))
            out.extend(Char(x, True) for x in text[i + 1 : close])
            out.append(Char("`", False))
            i = close + 1
        elif text.startswith(URL_START, i):
            end = i
            while end < len(text) and not text[end].isspace() and text[end] != "<":
                end += 1
            if bold and (close := BOLD_CLOSE.search(text, i, end)):
                end = close.start()
            while end > i and text[end - 1] in URL_TRAILING:
                end -= 1
            out.extend(Char(u, True) for u in text[i:end])
            i = end
        else:
            if text.startswith("**", i):
                bold = not bold
                out.append(Char("*", False))
                i += 1
                c = "*"
            out.append(Char(c, False))
            i += 1
    return out


def shown(text: str) -> str:
    """What Discord shows of `text` that holds no markup: escapes resolved, links verbatim."""
    return "".join(c.char for c in read(text))


def visible(text: str) -> str:
    """`text` without characters that show nothing (controls other than line breaks and tabs,
    format characters such as zero-width spaces and bidi marks)."""
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cf"))


def problems(text: str, *, block: bool = True, ours: bool = True) -> list[str]:
    """Formatting or mentions in `text` that the renderer did not mean.

    `block`: Discord renders block markup here (content, descriptions, field values).
    `ours`: allow what the renderers add on purpose (`> ` line prefix, `**` pairs, `` `id` ``, and
    fenced code blocks: a line of three backticks and a language opens one, a line of three
    backticks closes it, and nothing between is markup as long as it holds no backticks fence).
    """
    found: list[str] = []
    if match := EVERYONE.search(text):
        found.append(f"{match.group()!r} can ping")
    fence: str | None = None  # the line that opened the code block we are in
    for line in text.split("\n"):
        if ours and fence is None and re.fullmatch(r"```[A-Za-z0-9+-]*", line):
            fence = line
        elif fence is not None:
            if line == "```":
                fence = None
            elif "```" in line:
                found.append(f"a fence inside the code block {fence!r}: {line[:40]!r}")
        else:
            found.extend(_line_problems(line, block=block, ours=ours))
    if fence is not None:
        found.append(f"the code block {fence!r} is never closed")
    return found


def _line_problems(line: str, *, block: bool, ours: bool) -> list[str]:
    found: list[str] = []
    if ours and line.startswith("> "):  # a quoted line: a block, so its own line starts count
        line = line[2:]
    elif ours and line.startswith("-# "):  # a small source line: inline text, like a header's
        line, block = line[3:], False
    chars = read(line)
    # The markup characters Discord acts on, with everything literal replaced by a neutral "a".
    skeleton = "".join("a" if c.literal else c.char for c in chars)
    if block:
        for pattern, what in LINE_STARTS:
            if pattern.match(skeleton):
                found.append(f"line starts {what}: {line[:40]!r}")
    if ours:
        skeleton = re.sub(r"`[^`]+`", lambda m: "a" * len(m.group()), skeleton)
        bold = skeleton.count("**")
        if bold % 2:
            found.append(f"unbalanced ** in {line[:60]!r}")
        skeleton = skeleton.replace("**", "aa")
    for marker in ("*", "_", "~", "|", "`"):
        if marker in skeleton:
            found.append(f"live {marker!r} in {line[:60]!r}")
    if re.search(r"\[[^\]]*\]\(", skeleton):
        found.append(f"a masked link in {line[:60]!r}")
    for pattern in MENTION_FORMS:
        if match := pattern.search(skeleton):
            found.append(f"a mention {match.group()!r} in {line[:60]!r}")
    return found


def message_problems(body: Mapping[str, Any]) -> list[str]:
    """`problems` of every text of a message body Discord renders, and its allowed mentions."""
    found: list[str] = []
    allowed = body.get("allowed_mentions")
    if allowed is not None and allowed != {"parse": []}:
        found.append(f"allowed_mentions lets mentions through: {allowed}")
    texts: list[tuple[str, str, bool]] = [("content", body.get("content") or "", True)]
    for i, embed in enumerate(body.get("embeds") or []):
        texts.append((f"embed {i} title", embed.get("title") or "", False))
        texts.append((f"embed {i} description", embed.get("description") or "", True))
        for j, fld in enumerate(embed.get("fields") or []):
            texts.append((f"embed {i} field {j} name", fld.get("name", ""), False))
            texts.append((f"embed {i} field {j} value", fld.get("value", ""), True))
    for where, text, block in texts:
        found.extend(f"{where}: {p}" for p in problems(text, block=block))
    return found
