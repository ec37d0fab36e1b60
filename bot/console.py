"""A Discord-free console: type the slash commands, read the very pages the bot would send.

Why: it is how to try the bot (and a corpus) before creating a Discord application, and a quick way
to see what a command answers. Lines are read from stdin, so it works piped from a file too:

    /search human rights            (bare words are a search, unless they name a command)
    /search query:Merida document:003 results:5
    /summary 003     /theme human-rights     /passage 039f1f822eee     /docs     /help
    /code 039f1f822eee code:human-rights     /coded human-rights     /export project qdpx
    n / p  next / previous page      c 2 / r 2  more context / related for quote 2
    b  back to the answer a context or related view came from      q  quit

The team commands (/code, /memo, /coded, /save, /export…) work on the same database as the bot
(`store.path`), as the local user (`getpass.getuser()`).

On a terminal, lines are edited and recalled with readline (arrows, Ctrl-R).
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from bot.engine import CorpusError, EngineError, Workspace
from bot.exports import write_atomically
from bot.rendering import answers, explore_answers, team_answers
from bot.rendering.pages import Pages, PassageChoice
from bot.rendering.reload import compare_corpora, render_reload, render_reload_failed
from bot.rendering.team import done, store_unavailable
from bot.rendering.team_answers import Team
from bot.rendering.terminal import corpus_report, page_as_text
from bot.settings import ConfigError, Settings
from bot.store import Actor, NotFound, Store, StoreError, local_user

PROMPT = "> "
QUIT = {"q", "quit", "exit", "/quit", "/exit"}
BACK = {"b", "back"}
NUMBER_OPTIONS = {
    "results": (1, 50),
    "context": (0, 5),
    "width": (10, 40),
    "window": (1, 10),
    "min_freq": (1, 1000),
}
CHOICE_OPTIONS = {"sort": ("position", "left", "right"), "measure": ("ll", "mi", "t")}
FLAGS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
INTERRUPTED = 130
# Commands the console answers itself rather than through `answers` (it has no Discord to sync).
ADMIN = ("reload",)


@dataclass(frozen=True, slots=True)
class ConsoleCommand:
    """A slash command as the console knows it: option names in order, the first one required."""

    options: tuple[str, ...]
    run: Callable[[Workspace, dict[str, Any]], Pages]


COMMANDS: dict[str, ConsoleCommand] = {
    "search": ConsoleCommand(
        ("query", "document", "speaker", "results"),
        lambda e, o: answers.search(
            e,
            o["query"],
            document=o.get("document"),
            speaker=o.get("speaker"),
            results=o.get("results"),
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
    "cite": ConsoleCommand(
        ("passage_id", "style"),
        lambda e, o: answers.cite(e, o["passage_id"], style=o.get("style")),
    ),
    "help": ConsoleCommand(
        (), lambda e, o: answers.help_pages(e, only=(*COMMANDS, *TEAM_COMMANDS, *ADMIN))
    ),
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


@dataclass(frozen=True, slots=True)
class TeamCommand:
    """A team command: its options (the first `required` ones must be given) and what it does
    with the workspace, the database and the local user."""

    options: tuple[str, ...]
    run: Callable[[Workspace, Team, dict[str, Any]], Pages]
    required: int = 1
    words: int = 1  # leading options that bare words fill, one word each (the last takes the rest)


def _code(ws: Workspace, t: Team, o: dict[str, Any]) -> Pages:
    """`/code`: an unknown code is created only with `create:yes` (the bot asks with buttons)."""
    create = o.get("create", False)
    new = team_answers.new_code_name(ws, t, o["passage"], o["code"])
    if new is not None and not create:
        raise NotFound(
            f"There is no code '{new}' yet. To create it, run: "
            f"/code {o['passage']} code:{new} create:yes"
        )
    return team_answers.code(ws, t, o["passage"], o["code"], o.get("memo", ""), create=create)


def _export(ws: Workspace, t: Team, o: dict[str, Any]) -> Pages:
    """`/export`: the file is written in the working directory (or to `file:`)."""
    made = team_answers.export(ws, t, o["what"], o["format"], name=o.get("collection"))
    path = Path(o.get("file") or made.filename)
    write_atomically(path, made.data)
    return done(f"Wrote {path} ({len(made.data):,} bytes): {made.summary}.", title="Export")


TEAM_COMMANDS: dict[str, TeamCommand] = {
    "code": TeamCommand(("passage", "code", "memo", "create"), _code, required=2),
    "uncode": TeamCommand(
        ("passage", "code", "coder"),
        lambda e, t, o: team_answers.uncode(e, t, o["passage"], o["code"], o.get("coder")),
        required=2,
    ),
    "memo": TeamCommand(
        ("target", "text"),
        lambda e, t, o: team_answers.memo(e, t, o["target"], o["text"]),
        required=2,
    ),
    "coded": TeamCommand(
        ("code", "document", "coder"),
        lambda e, t, o: team_answers.coded(
            e, t, o["code"], document=o.get("document"), coder=o.get("coder")
        ),
    ),
    "codes": TeamCommand((), lambda e, t, o: team_answers.codes(e, t), required=0),
    "agreement": TeamCommand(
        ("code", "coder_a", "coder_b"),
        lambda e, t, o: team_answers.agreement(e, t, o["code"], o["coder_a"], o["coder_b"]),
        required=3,
    ),
    "undo": TeamCommand((), lambda e, t, o: team_answers.undo(e, t), required=0),
    "save": TeamCommand(
        ("passage", "collection"),
        lambda e, t, o: team_answers.save(e, t, o["passage"], o.get("collection")),
    ),
    "collection": TeamCommand(("name",), lambda e, t, o: team_answers.collection(e, t, o["name"])),
    "export": TeamCommand(("what", "format", "collection", "file"), _export, required=2, words=2),
}


class UsageError(ValueError):
    """A console line that names no known command or gives a bad option; the message says how."""


def parse_command(line: str) -> tuple[str, dict[str, Any]]:
    """`/name opt:value …` (or bare words, a search) → command name and options.

    Text before the first `name:` goes to the command's first option, so `/search human rights`
    and `/search query:human rights` are the same; values run until the next known option name.
    """
    line = line.strip()
    names = (*COMMANDS, *TEAM_COMMANDS, *ADMIN)
    if not line.startswith("/"):
        first = line.split(" ", 1)[0].lower()
        line = f"/{line}" if first in names else "/search " + line
    name, _, rest = line[1:].partition(" ")
    name = name.lower()
    if name not in names:
        known = ", ".join(f"/{n}" for n in names)
        raise UsageError(f"Unknown command /{name}. Commands: {known}.")
    spec: tuple[str, ...] = ()
    required = words = 1
    if name in COMMANDS:
        spec = COMMANDS[name].options
    elif name in TEAM_COMMANDS:
        team = TEAM_COMMANDS[name]
        spec, required, words = team.options, team.required, team.words
    options: dict[str, Any] = {}
    if spec:
        pattern = re.compile(r"(?:^|(?<=\s))(" + "|".join(map(re.escape, spec)) + r"):")
        parts = pattern.split(rest)
        bare = parts[0].split(None, words - 1) if parts[0].strip() else []
        for key, value in zip(spec, bare, strict=False):
            options[key] = value.strip()
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
        for flag in ("stem", "create"):
            if flag in options:
                if options[flag].lower() not in FLAGS:
                    raise UsageError(f"{flag} must be true or false.")
                options[flag] = FLAGS[options[flag].lower()]
        for key in spec[:required]:
            if key not in options or options[key] == "":
                raise UsageError(f"/{name} needs {key}: try /{name} {key}:…")
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

    def __init__(
        self,
        settings: Settings,
        workspace: Workspace,
        out: TextIO,
        store: Store | None = None,
        store_problem: str | None = None,
    ) -> None:
        self.settings = settings
        self.workspace = workspace
        self.out = out
        self.store = store
        self.store_problem = store_problem
        # The console's user runs the bot's machine: they act as an admin of the team's work.
        self.actor = Actor.local(local_user())
        self.pages: Pages | None = None
        self.index = 0
        # The answers a context or related view was opened from, for `b`.
        self.trail: list[tuple[Pages, int]] = []

    def handle(self, line: str) -> None:
        """Act on one input line: a command, a paging key, or a context/related request."""
        word, _, arg = line.strip().partition(" ")
        if word in ("n", "next", "p", "prev", "previous"):
            self._turn(+1 if word.startswith("n") else -1)
        elif word in ("c", "r") and arg.strip():
            self._open(word, arg.strip())
        elif word.lower() in BACK and not arg.strip():
            self._back()
        else:
            try:
                name, options = parse_command(line)
            except UsageError as exc:
                self._say(str(exc))
                return
            self.trail.clear()  # a new question starts a new trail
            if name == "reload":
                self._show(self._reload())
            elif name in TEAM_COMMANDS:
                self._answer(lambda e: TEAM_COMMANDS[name].run(e, self._team(), options))
            elif name == "passage":
                self._answer(
                    lambda e: team_answers.passage_with_memos(
                        e, self.store, options["id"], options.get("context", 1)
                    )
                )
            else:
                self._answer(lambda e: COMMANDS[name].run(e, options))

    def _team(self) -> Team:
        if self.store is None:
            reason = self.store_problem or "The team database is not open."
            raise StoreError(store_unavailable(reason))
        return Team(self.store, self.actor, None, admin=True)

    def _answer(self, compute: Callable[[Workspace], Pages], *, keep: bool = False) -> None:
        """Show what `compute` answers; `keep` remembers the current answer for `b`."""
        try:
            pages = compute(self.workspace)
        except (EngineError, ConfigError, StoreError) as exc:  # the user is the admin: say it all
            pages = answers.render_error(str(exc))
        if keep and self.pages is not None:
            self.trail.append((self.pages, self.index))
        self._show(pages)

    def _show(self, pages: Pages, index: int = 0) -> None:
        self.pages, self.index = pages, index
        self._print_page()

    def _back(self) -> None:
        if not self.trail:
            self._say("Nothing to go back to.")
            return
        self._show(*self.trail.pop())

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
        """`c N` / `r N`: N is the number shown on the page (a hit's rank, a sentence's number)."""
        choices = self.pages[self.index].passages if self.pages else ()
        actions = self.pages.actions if self.pages else ()
        wanted = "context" if key == "c" else "related"
        chosen = _choice(choices, arg)
        if chosen is None or wanted not in actions:
            self._say(f"No quote {arg} to open here.")
            return
        pid = chosen.passage_id
        if wanted == "context":
            self._answer(lambda e: answers.passage(e, pid, context=1), keep=True)
        else:
            self._answer(lambda e: answers.related(e, pid), keep=True)

    def _reload(self) -> Pages:
        try:
            new = Workspace.load(self.settings)
        except Exception as exc:  # as in the bot: the old workspace keeps serving
            return render_reload_failed(str(exc))
        old, self.workspace = self.workspace, new
        changes = compare_corpora(old.engine.corpus, new.engine.corpus, new.problems)
        reanchored = None
        if self.store is not None:
            try:
                reanchored = team_answers.sync_workspace(new, self.store)
            except StoreError as exc:
                self._say(f"warning: the team's quotes were not re-anchored: {exc}")
        return render_reload(changes, seconds=new.engine.build_seconds, reanchored=reanchored)

    def _print_page(self) -> None:
        assert self.pages is not None
        page = self.pages[self.index]
        self._say(page_as_text(page))
        keys = []
        if len(self.pages) > 1:
            keys.append(f"page {self.index + 1}/{len(self.pages)}: n next, p previous")
        numbers = [_number_of(c, i) for i, c in enumerate(page.passages, start=1)]
        shown = f"{numbers[0]}{f'–{numbers[-1]}' if len(numbers) > 1 else ''}" if numbers else ""
        if numbers and "context" in self.pages.actions:
            keys.append(f"c {shown} more context")
        if numbers and "related" in self.pages.actions:
            keys.append(f"r {shown} related")
        if self.trail:
            keys.append("b back")
        keys.append("q quit")
        self._say("[" + " · ".join(keys) + "]")

    def _say(self, text: str) -> None:
        print(text, file=self.out)
        print(file=self.out)


def _number_of(choice: PassageChoice, position: int) -> int:
    return choice.number if choice.number is not None else position


def _choice(choices: tuple[PassageChoice, ...], arg: str) -> PassageChoice | None:
    """The passage shown with number `arg` on the page, if any."""
    if not arg.isdigit():
        return None
    wanted = int(arg)
    for position, choice in enumerate(choices, start=1):
        if _number_of(choice, position) == wanted:
            return choice
    return None


def run_console(
    settings: Settings,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    *,
    verbose: bool = False,
) -> int:
    """Read commands until `q`, end of input or Ctrl-C; 1 if the corpus cannot be loaded."""
    try:
        workspace = Workspace.load(settings)
    except CorpusError as exc:
        print(f"error: {exc}", file=stdout)
        return 1
    for note in corpus_report(workspace.engine.corpus.warnings, verbose=verbose):
        print(note, file=stdout)
    for problem in workspace.problems:
        print(f"warning: {problem}", file=stdout)
    store, store_problem = _open_store(settings, workspace)
    if store_problem is not None:
        print(f"warning: {store_problem} Search and reading still work.", file=stdout)
    corpus = workspace.engine.corpus
    console = Console(settings, workspace, stdout, store, store_problem)
    console._say(
        f"Corpus console: {len(corpus.documents)} documents, {len(corpus.passages):,} passages "
        f"(corpus {corpus.version}). Type /help for the commands, q to quit."
    )
    read = _line_reader(stdin, stdout)
    try:
        while True:
            line = read()
            if line is None or line.strip().lower() in QUIT:
                return 0
            if line.strip():
                console.handle(line)
    except KeyboardInterrupt:  # Ctrl-C: leave cleanly, as the shell expects
        print(file=stdout)
        return INTERRUPTED
    finally:
        if store is not None:
            store.close()


def _open_store(settings: Settings, workspace: Workspace) -> tuple[Store | None, str | None]:
    """The team database, synced with the corpus; or None and why it cannot be used."""
    store = None
    try:
        store = Store(settings.store_path, busy_timeout=settings.store.busy_timeout)
        team_answers.sync_workspace(workspace, store)
    except StoreError as exc:
        if store is not None:
            store.close()
        return None, str(exc)
    return store, None


def _line_reader(stdin: TextIO, stdout: TextIO) -> Callable[[], str | None]:
    """A function returning the next line (None at the end of input).

    On a terminal it is `input()` with readline loaded (line editing, arrows through the
    session's history, Ctrl-R); from a pipe or a file, plain lines, with no prompt.
    """
    if stdin is sys.stdin and stdout is sys.stdout and stdin.isatty():
        with contextlib.suppress(ImportError):  # not on every platform; input() works without
            import readline  # noqa: F401  (loading it is what gives input() line editing)

        def prompt() -> str | None:
            try:
                return input(PROMPT)
            except EOFError:
                return None

        return prompt

    def next_line() -> str | None:
        if stdin.isatty():
            print(PROMPT, end="", file=stdout, flush=True)
        return stdin.readline() or None

    return next_line
