"""A Discord-free console: type the slash commands, read the very pages the bot would send.

Why: it is how to try the bot (and a corpus) before creating a Discord application, and a quick way
to see what a command answers. Lines are read from stdin, so it works piped from a file too:

    /search human rights            (bare words are a search too)
    /search query:Merida document:003 results:5
    /summary 003     /theme human-rights     /passage 039f1f822eee     /docs     /help
    n / p  next / previous page      c 2 / r 2  more context / related for quote 2      q  quit
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

from bot.engine import CorpusError, EngineError, Workspace
from bot.rendering import answers, explore_answers
from bot.rendering.pages import Pages
from bot.rendering.reload import compare_corpora, render_reload, render_reload_failed
from bot.rendering.terminal import page_as_text
from bot.settings import ConfigError, Settings

PROMPT = "> "
QUIT = {"q", "quit", "exit", "/quit", "/exit"}
NUMBER_OPTIONS = {
    "results": (1, 50),
    "context": (0, 5),
    "width": (10, 40),
    "window": (1, 10),
    "min_freq": (1, 1000),
}
CHOICE_OPTIONS = {"sort": ("position", "left", "right"), "measure": ("ll", "mi", "t")}
FLAGS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


@dataclass(frozen=True, slots=True)
class ConsoleCommand:
    """A slash command as the console knows it: option names in order, the first one required."""

    options: tuple[str, ...]
    run: Callable[[Workspace, dict[str, Any]], Pages]


COMMANDS: dict[str, ConsoleCommand] = {
    "search": ConsoleCommand(
        ("query", "document", "results"),
        lambda e, o: answers.search(
            e, o["query"], document=o.get("document"), results=o.get("results")
        ),
    ),
    "passage": ConsoleCommand(
        ("id", "context"), lambda e, o: answers.passage(e, o["id"], context=o.get("context", 1))
    ),
    "docs": ConsoleCommand((), lambda e, o: answers.documents(e)),
    "summary": ConsoleCommand(
        ("document", "focus"),
        lambda e, o: answers.summary(e, o["document"], focus=o.get("focus")),
    ),
    "theme": ConsoleCommand(("name",), lambda e, o: answers.theme(e, o["name"])),
    "themes": ConsoleCommand((), lambda e, o: answers.themes(e)),
    "related": ConsoleCommand(("passage_id",), lambda e, o: answers.related(e, o["passage_id"])),
    "help": ConsoleCommand((), lambda e, o: answers.help_pages(e)),
    "kwic": ConsoleCommand(
        ("term", "document", "width", "stem", "sort"),
        lambda e, o: explore_answers.kwic(
            e,
            o["term"],
            document=o.get("document"),
            width=o.get("width", explore_answers.DISCORD_WIDTH),
            stem=o.get("stem", False),
            sort=o.get("sort", "position"),
        ),
    ),
    "collocates": ConsoleCommand(
        ("term", "window", "measure", "min_freq", "stem"),
        lambda e, o: explore_answers.collocates_pages(
            e,
            o["term"],
            window=o.get("window", 5),
            measure=o.get("measure", "ll"),
            min_freq=o.get("min_freq", 3),
            stem=o.get("stem", False),
        ),
    ),
    "keywords": ConsoleCommand(
        ("document",), lambda e, o: explore_answers.keywords_pages(e, o["document"])
    ),
    "trend": ConsoleCommand(
        ("term_or_theme", "document", "stem"),
        lambda e, o: explore_answers.trend_pages(
            e, o["term_or_theme"], document=o.get("document"), stem=o.get("stem", False)
        ),
    ),
}


class UsageError(ValueError):
    """A console line that names no known command or gives a bad option; the message says how."""


def parse_command(line: str) -> tuple[str, dict[str, Any]]:
    """`/name opt:value …` (or bare words, a search) → command name and options.

    Text before the first `name:` goes to the command's first option, so `/search human rights`
    and `/search query:human rights` are the same; values run until the next known option name.
    """
    line = line.strip()
    if not line.startswith("/"):
        line = "/search " + line
    name, _, rest = line[1:].partition(" ")
    name = name.lower()
    if name not in COMMANDS and name != "reload":
        known = ", ".join(f"/{n}" for n in [*COMMANDS, "reload"])
        raise UsageError(f"Unknown command /{name}. Commands: {known}.")
    spec = COMMANDS[name].options if name in COMMANDS else ()
    options: dict[str, Any] = {}
    if spec:
        pattern = re.compile(r"(?:^|(?<=\s))(" + "|".join(map(re.escape, spec)) + r"):")
        parts = pattern.split(rest)
        if parts[0].strip():
            options[spec[0]] = parts[0].strip()
        for key, value in zip(parts[1::2], parts[2::2], strict=True):
            options[key] = value.strip()
        for key, (lo, hi) in NUMBER_OPTIONS.items():
            if key in options:
                options[key] = _number(key, options[key], lo, hi)
        for key, allowed in CHOICE_OPTIONS.items():
            if key in options and options[key].lower() not in allowed:
                raise UsageError(f"{key} must be one of: {', '.join(allowed)}.")
            if key in options:
                options[key] = options[key].lower()
        if "stem" in options:
            if options["stem"].lower() not in FLAGS:
                raise UsageError("stem must be true or false.")
            options["stem"] = FLAGS[options["stem"].lower()]
        if spec[0] not in options or options[spec[0]] == "":
            raise UsageError(f"/{name} needs {spec[0]}: try /{name} {spec[0]}:…")
    elif rest.strip():
        raise UsageError(f"/{name} takes no options.")
    return name, {k: v for k, v in options.items() if v != ""}


def _number(key: str, value: str, lo: int, hi: int) -> int:
    try:
        n = int(value)
    except ValueError:
        raise UsageError(f"{key} must be a whole number from {lo} to {hi}.") from None
    if not lo <= n <= hi:
        raise UsageError(f"{key} must be a whole number from {lo} to {hi}.")
    return n


class Console:
    """The console's state: the engine, and the answer being paged through."""

    def __init__(self, settings: Settings, workspace: Workspace, out: TextIO) -> None:
        self.settings = settings
        self.workspace = workspace
        self.out = out
        self.pages: Pages | None = None
        self.index = 0

    def handle(self, line: str) -> None:
        """Act on one input line: a command, a paging key, or a context/related request."""
        word, _, arg = line.strip().partition(" ")
        if word in ("n", "next", "p", "prev", "previous"):
            self._turn(+1 if word.startswith("n") else -1)
        elif word in ("c", "r") and arg.strip():
            self._open(word, arg.strip())
        else:
            try:
                name, options = parse_command(line)
            except UsageError as exc:
                self._say(str(exc))
                return
            if name == "reload":
                self._show(self._reload())
            else:
                self._answer(lambda e: COMMANDS[name].run(e, options))

    def _answer(self, compute: Callable[[Workspace], Pages]) -> None:
        try:
            pages = compute(self.workspace)
        except (EngineError, ConfigError) as exc:  # the console's user is the admin: say it all
            pages = answers.render_error(str(exc))
        self._show(pages)

    def _show(self, pages: Pages) -> None:
        self.pages, self.index = pages, 0
        self._print_page()

    def _turn(self, step: int) -> None:
        if self.pages is None:
            self._say("Nothing to page through yet: type a command, e.g. /search human rights")
            return
        index = self.index + step
        if not 0 <= index < len(self.pages):
            self._say("No more pages that way.")
            return
        self.index = index
        self._print_page()

    def _open(self, key: str, arg: str) -> None:
        choices = self.pages[self.index].passages if self.pages else ()
        actions = self.pages.actions if self.pages else ()
        wanted = "context" if key == "c" else "related"
        if not arg.isdigit() or not 1 <= int(arg) <= len(choices) or wanted not in actions:
            self._say(f"No quote {arg} to open here.")
            return
        pid = choices[int(arg) - 1].passage_id
        if wanted == "context":
            self._answer(lambda e: answers.passage(e, pid, context=1))
        else:
            self._answer(lambda e: answers.related(e, pid))

    def _reload(self) -> Pages:
        try:
            new = Workspace.load(self.settings)
        except Exception as exc:  # as in the bot: the old workspace keeps serving
            return render_reload_failed(str(exc))
        old, self.workspace = self.workspace, new
        changes = compare_corpora(old.engine.corpus, new.engine.corpus, new.problems)
        return render_reload(changes, seconds=new.engine.build_seconds)

    def _print_page(self) -> None:
        assert self.pages is not None
        page = self.pages[self.index]
        self._say(page_as_text(page))
        keys = []
        if len(self.pages) > 1:
            keys.append(f"page {self.index + 1}/{len(self.pages)}: n next, p previous")
        n = len(page.passages)
        if n and "context" in self.pages.actions:
            keys.append(f"c 1{f'–{n}' if n > 1 else ''} more context")
        if n and "related" in self.pages.actions:
            keys.append(f"r 1{f'–{n}' if n > 1 else ''} related")
        keys.append("q quit")
        self._say("[" + " · ".join(keys) + "]")

    def _say(self, text: str) -> None:
        print(text, file=self.out)
        print(file=self.out)


def run_console(settings: Settings, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Read commands until `q` or end of input; 1 if the corpus cannot be loaded."""
    try:
        workspace = Workspace.load(settings)
    except CorpusError as exc:
        print(f"error: {exc}", file=stdout)
        return 1
    for problem in workspace.problems:
        print(f"warning: {problem}", file=stdout)
    corpus = workspace.engine.corpus
    console = Console(settings, workspace, stdout)
    console._say(
        f"Corpus console: {len(corpus.documents)} documents, {len(corpus.passages):,} passages "
        f"(corpus {corpus.version}). Type /help for the commands, q to quit."
    )
    interactive = stdin.isatty()
    while True:
        if interactive:
            print(PROMPT, end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line or line.strip().lower() in QUIT:
            return 0
        if line.strip():
            console.handle(line)
