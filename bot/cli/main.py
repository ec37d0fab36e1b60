"""The command line's parser, settings and error handling; the commands are in their families.

Why a CLI beside the bot: scripts, benchmarks and people without a Discord application all use the
same engine from a terminal. Exit codes: 2 for a usage or settings error, 1 for an unknown id or
an empty corpus or a change the team database refused (already coded, nothing to undo), 3 when the
team database cannot be used (read-only, corrupt, from a newer corpus-bot, another program's),
75 when another program kept it locked (try again), 0 otherwise (a search with no results is an
answer). With `--json` an error is a JSON object too (`{"error": …, "code": …}` on stdout), so a
script reads every outcome the same way.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import NoReturn, TextIO

from bot.cli import documents, explore, reading, search, service, team
from bot.cli.context import Context, UsageError
from bot.engine import CorpusError, EngineError
from bot.settings import ConfigError, Settings, load_settings, with_index_cache
from bot.store import StoreError, StoreLocked, StoreUnavailable

log = logging.getLogger(__name__)

FAMILIES = (search, reading, explore, documents, team, service)
# A running bot reports its start, syncs and reloads; one-shot commands stay quiet.
CHATTY = ("run", "sync")
USAGE, NOT_FOUND, INTERRUPTED = 2, 1, 130
# The team database: unusable as it is (3), or busy — try again (75, sysexits' EX_TEMPFAIL).
STORE_UNUSABLE, STORE_BUSY = 3, 75


class Parser(argparse.ArgumentParser):
    """argparse that raises `UsageError` instead of printing and exiting, so `--json` can answer."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message, usage=self.format_usage())


def add_global_options(parser: argparse.ArgumentParser, *, on_command: bool) -> None:
    """`--config`, `--corpus`, `--store`, `--index-cache`, `-v`: before the command and after it.

    On a command's parser they default to SUPPRESS, so an option given before the command is not
    overwritten by the command parser's default.
    """
    default = argparse.SUPPRESS if on_command else None
    parser.add_argument(
        "--config", type=Path, default=default, help="settings file (see README: Configuration)"
    )
    parser.add_argument(
        "--corpus", type=Path, default=default, help="corpus folder (overrides the settings)"
    )
    parser.add_argument(
        "--index-cache",
        type=Path,
        metavar="DIR",
        default=default,
        help="keep index snapshots in DIR (overrides index.cache_dir)",
    )
    parser.add_argument(
        "--no-index-cache",
        action="store_true",
        default=argparse.SUPPRESS if on_command else False,
        help="read and index every file; neither read nor write a snapshot",
    )
    parser.add_argument(
        "--store",
        type=Path,
        default=default,
        metavar="PATH",
        help="the team database file (overrides store.path; made on first use)",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS if on_command else False,
        help="say which settings are used, list skipped files, log more",
    )


def build_parser() -> Parser:
    parser = Parser(
        prog="corpus-bot",
        description="Search and quote a corpus of documents, from a terminal or from Discord.",
    )
    add_global_options(parser, on_command=False)
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=Parser
    )
    for family in FAMILIES:
        family.register(sub)
    for command in sub.choices.values():
        add_global_options(command, on_command=True)
    return parser


def parse_args(parser: Parser, argv: Sequence[str]) -> argparse.Namespace:
    """Parse `argv`; a command that takes free words gets every word that is not its option.

    Why by hand first: argparse takes `-military` (a word the query excludes) for an unknown
    option, and `-violence` for `-v` plus more flags; for a command declaring `free_words`, any
    token that is not exactly one of its option strings (or `--long=value`, `-k3`) is a word, in
    order; `--` makes the rest words. A family opts in with `p.set_defaults(free_words="query")`.
    """
    args = list(argv)
    command, position = _find_command(parser, args)
    if command is None:
        return parser.parse_args(args)
    dest = command.get_default("free_words")
    if not dest:
        return parser.parse_args(args)
    takes_value = {
        s: action.nargs != 0 for action in command._actions for s in action.option_strings
    }
    kept, words = args[: position + 1], list[str]()
    rest = iter(args[position + 1 :])
    for token in rest:
        name = token.split("=", 1)[0] if token.startswith("--") else token
        if token == "--":
            words.extend(rest)
        elif name in takes_value or (takes_value.get(token[:2]) and token[2:].isdigit()):
            kept.append(token)  # an option, `--opt=value`, or a short one with digits: `-k3`
            attached = "=" in token or name not in takes_value
            value = next(rest, None) if not attached and takes_value[name] else None
            if value is not None:
                kept.append(value)
        else:
            words.append(token)
    namespace = parser.parse_args(kept)
    setattr(namespace, dest, words)
    return namespace


def _find_command(parser: Parser, args: list[str]) -> tuple[argparse.ArgumentParser | None, int]:
    """The command's parser and its index in `args`, skipping the global options before it."""
    commands: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            commands = action.choices
    i = 0
    while i < len(args):
        token = args[i]
        if token in commands:
            return commands[token], i
        if token in ("--config", "--corpus", "--store"):
            i += 2
            continue
        if not token.startswith("-"):
            return None, i
        i += 1
    return None, i


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    raw = list(sys.argv[1:] if argv is None else argv)
    out = stdout or sys.stdout
    wants_json = "--json" in raw[: raw.index("--")] if "--" in raw else "--json" in raw
    settings: Settings | None = None
    args: argparse.Namespace | None = None
    try:
        args = parse_args(build_parser(), raw)
        _setup_logging(args)
        settings = read_settings(args)
        if args.verbose:
            print(f"settings: {settings.origin}", file=sys.stderr)
        ctx = Context(args, settings, out, lambda: read_settings(args))
        code: int = args.handler(ctx)
        return code
    except UsageError as exc:
        return _fail(str(exc), USAGE, wants_json, out, usage=exc.usage)
    except ConfigError as exc:
        return _fail(str(exc), USAGE, wants_json, out)
    except CorpusError as exc:
        if getattr(args, "corpus", None) is not None:
            hint = " (the folder given by --corpus)"
        else:
            origin = settings.origin if settings else "built-in defaults"
            hint = f" (corpus.folder of {origin}; --corpus DIR reads another folder)"
        return _fail(f"{exc}{hint}", NOT_FOUND, wants_json, out)
    except EngineError as exc:
        return _fail(str(exc), NOT_FOUND, wants_json, out)
    except StoreLocked as exc:
        return _fail(str(exc), STORE_BUSY, wants_json, out)
    except StoreUnavailable as exc:
        return _fail(str(exc), STORE_UNUSABLE, wants_json, out)
    except StoreError as exc:
        return _fail(str(exc), NOT_FOUND, wants_json, out)
    except KeyboardInterrupt:  # Ctrl-C: stop quietly, as a shell expects
        print(file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:  # `… | head`: the reader has gone, and so do we, quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _fail(message: str, code: int, wants_json: bool, out: TextIO, usage: str = "") -> int:
    """Say what went wrong: a JSON object on stdout with --json, else a line on stderr."""
    if wants_json:
        print(json.dumps({"error": message, "code": code}, ensure_ascii=False), file=out)
    else:
        print(f"{usage}error: {message}", file=sys.stderr)
    return code


def _setup_logging(args: argparse.Namespace) -> None:
    logging.basicConfig(
        level=logging.INFO if args.verbose or args.command in CHATTY else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    # The CLI reports the corpus loader's warnings itself, in its own words (`report_corpus`).
    logging.getLogger("bot.engine.corpus").setLevel(logging.ERROR)


def read_settings(args: argparse.Namespace) -> Settings:
    """The settings file, with `--corpus` replacing its corpus folder and `--store` its database."""
    settings = load_settings(args.config)
    if getattr(args, "store", None) is not None:
        store = replace(settings.store, path=str(args.store.resolve()))
        settings = replace(settings, store=store)
    if args.corpus is not None:
        if not args.corpus.is_dir():
            raise ConfigError(f"--corpus {args.corpus}: not a folder")
        corpus = replace(settings.corpus, folder=str(args.corpus.resolve()))
        settings = replace(settings, corpus=corpus)
    if args.no_index_cache:
        return with_index_cache(settings, "off")
    return with_index_cache(settings, args.index_cache)
