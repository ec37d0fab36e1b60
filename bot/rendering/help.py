"""What `/help` (and the console's `/help`) says: every command, what it is for, an example.

Why a catalogue here rather than reading the command tree: the console has no command tree, and
both must say the same thing. A test checks this catalogue against the registered slash commands,
so it cannot drift from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.rendering.pages import Page, Pages, embed, with_page_numbers
from bot.rendering.text import plain


@dataclass(frozen=True, slots=True)
class CommandHelp:
    """One command's line in the help: usage, purpose, and an example built from the corpus."""

    name: str
    usage: str
    purpose: str
    example: str  # a format string over the example values (query, document, passage, theme)
    admin: bool = False
    team: bool = False  # the team's work (codings, memos, quotes): on the help's second page


COMMANDS: tuple[CommandHelp, ...] = (
    CommandHelp(
        "search",
        "/search query [document] [speaker] [results]",
        'Passages ranked by relevance, quoted with their source. Use "exact phrases", '
        "-word to exclude a word and +word to require one; speaker keeps one interview "
        "speaker's turns.",
        "/search query:{query}",
    ),
    CommandHelp(
        "passage",
        "/passage id [context]",
        "One passage with the passages around it: its id (on every quote) or document¶N.",
        "/passage id:{passage}",
    ),
    CommandHelp("docs", "/docs", "The documents in the corpus, with their ids and sizes.", "/docs"),
    CommandHelp(
        "summary",
        "/summary document [focus]",
        "The key sentences of a document, each citing its paragraph, with its outline.",
        "/summary document:{document}",
    ),
    CommandHelp(
        "theme",
        "/theme name",
        "The passages that speak to one theme of the codebook, and where they are.",
        "/theme name:{theme}",
    ),
    CommandHelp(
        "themes", "/themes", "Every theme, and the documents that discuss it most.", "/themes"
    ),
    CommandHelp(
        "related",
        "/related passage_id",
        "Passages elsewhere in the corpus that share the most distinctive words with one passage.",
        "/related passage_id:{passage}",
    ),
    CommandHelp(
        "cite",
        "/cite passage_id [style]",
        "The passage's reference with its page or ¶: APA 7, Chicago author-date and BibTeX.",
        "/cite passage_id:{passage}",
    ),
    CommandHelp(
        "kwic",
        "/kwic term [document] [width] [stem] [sort]",
        "Every occurrence of a word or phrase in context (a concordance), each with its source.",
        "/kwic term:{query}",
    ),
    CommandHelp(
        "collocates",
        "/collocates term [window] [measure] [min_freq] [stem]",
        "The words found near a word more often than chance (log-likelihood, MI or t-score).",
        "/collocates term:{query}",
    ),
    CommandHelp(
        "keywords",
        "/keywords document",
        "What is distinctive of a document against the rest of the corpus, with examples.",
        "/keywords document:{document}",
    ),
    CommandHelp(
        "trend",
        "/trend term_or_theme [document] [stem]",
        "How often a word or theme occurs per document, section or date, with a chart.",
        "/trend term_or_theme:{theme}",
    ),
    CommandHelp("help", "/help", "This list.", "/help"),
    CommandHelp(
        "code",
        "/code passage code [memo]",
        "Code a passage (or use Code… under a quote); a new code name asks before creating it.",
        "/code passage:{passage} code:{theme}",
        team=True,
    ),
    CommandHelp(
        "uncode",
        "/uncode passage code [coder]",
        "Remove your coding of a passage (admins: anyone's).",
        "/uncode passage:{passage} code:{theme}",
        team=True,
    ),
    CommandHelp(
        "memo",
        "/memo target text",
        "Write a memo on a passage (shown under it by /passage), code:NAME or document:TITLE.",
        "/memo target:{passage} text:Compare with the 2019 report",
        team=True,
    ),
    CommandHelp(
        "coded",
        "/coded code [document] [coder]",
        "The passages coded with a code, quoted with their sources; needs-attention ones marked.",
        "/coded code:{theme}",
        team=True,
    ),
    CommandHelp(
        "codes",
        "/codes",
        "Every code with its codings per document and coder.",
        "/codes",
        team=True,
    ),
    CommandHelp(
        "agreement",
        "/agreement code coder_a coder_b",
        "How far two coders agree on a code: Cohen's kappa, percent agreement, units compared.",
        "/agreement code:{theme} coder_a:Ana coder_b:Ben",
        team=True,
    ),
    CommandHelp(
        "undo", "/undo", "Revert your last change (coding, memo, saved quote).", "/undo", team=True
    ),
    CommandHelp(
        "save",
        "/save passage [collection]",
        "Save a passage's quote to a collection of this server (or use Save under a quote).",
        "/save passage:{passage} collection:paper",
        team=True,
    ),
    CommandHelp(
        "collection",
        "/collection name",
        "A collection's quotes in the order saved, with who saved each.",
        "/collection name:quotes",
        team=True,
    ),
    CommandHelp(
        "export",
        "/export what format [collection]",
        "The team's work as a file: CSV, Markdown, REFI-QDA (.qdc, .qdpx) or W3C annotations.",
        "/export what:project format:qdpx",
        team=True,
    ),
    CommandHelp(
        "reload",
        "/reload",
        "Re-read the corpus and report what changed (Manage Server or the admin role).",
        "/reload",
        admin=True,
    ),
    CommandHelp(
        "add",
        "/add file [replace]",
        "Add a document (PDF, web page, Word, text, subtitles) to the corpus "
        "(Manage Server, the admin role or the contributor role).",
        "/add file:report.pdf",
        admin=True,
    ),
    CommandHelp(
        "remove",
        "/remove document",
        "Take a document out of the corpus; its file is kept in .removed/ (admins).",
        "/remove document:{document}",
        admin=True,
    ),
    CommandHelp(
        "sync",
        "/sync [scope]",
        "Register the slash commands with Discord: in this server (instant) or globally.",
        "/sync scope:this server",
        admin=True,
    ),
)


READING = (
    "Search and read the team's documents. Every quote shows the exact words of a source with "
    "its title, section, paragraph (¶) and passage id, so you can check it."
)
TEAM = (
    "Code passages, write memos, save quotes and export the team's work to its analysis tools. "
    "Codes are the codebook's themes and the codes members create."
)


def render_help(
    examples: Mapping[str, str], *, version: str, only: tuple[str, ...] | None = None
) -> Pages:
    """Every command (or those named in `only`) with its usage, purpose and an example."""
    # Examples go in code spans (copyable, shown verbatim): only a backtick could break one.
    safe = {k: plain(v, 60).replace("`", "'") for k, v in examples.items()}
    pages = []
    footer = f"corpus {version} · buttons under an answer page through it and open more"
    for team, title, description in (
        (False, "Help", READING),
        (True, "Help: the team's work", TEAM),
    ):
        fields = []
        for command in COMMANDS:
            if command.team != team or (only is not None and command.name not in only):
                continue
            example = command.example.format_map(_Defaults(safe))
            value = f"{command.purpose}\nExample: `{example}`"
            fields.append((f"`{command.usage}`", value))
        if fields:
            pages.append(Page(embeds=(embed(title=title, description=description, fields=fields),)))
    return Pages(with_page_numbers(pages, footer), ephemeral_hint=True)


class _Defaults(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return key
