"""The command line's parser, settings and error handling; the commands are in their families.

Why a CLI beside the bot: scripts, benchmarks and people without a Discord application all use the
same engine from a terminal. Usage errors exit 2 with a message; a search with no results exits 0.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from bot.cli import explore, reading, search, service
from bot.cli.context import Context
from bot.engine import EngineError
from bot.settings import ConfigError, Settings, load_settings

log = logging.getLogger(__name__)

FAMILIES = (search, reading, explore, service)
# A running bot reports its start, syncs and reloads; one-shot commands stay quiet.
CHATTY = ("run", "sync")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="corpus-bot",
        description="Search and quote a corpus of documents, from a terminal or from Discord.",
    )
    parser.add_argument("--config", type=Path, help="settings file (default: config/bot.yaml)")
    parser.add_argument("--corpus", type=Path, help="corpus folder (overrides the settings)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for family in FAMILIES:
        family.register(sub)
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose or args.command in CHATTY else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = read_settings(args)
        ctx = Context(args, settings, stdout or sys.stdout, lambda: read_settings(args))
        code: int = args.handler(ctx)
        return code
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except EngineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `… | head`
        return 0


def read_settings(args: argparse.Namespace) -> Settings:
    """The settings file, with `--corpus` replacing its corpus folder."""
    settings = load_settings(args.config)
    if args.corpus is not None:
        if not args.corpus.is_dir():
            raise ConfigError(f"--corpus {args.corpus}: not a folder")
        corpus = replace(settings.corpus, folder=str(args.corpus.resolve()))
        settings = replace(settings, corpus=corpus)
    return settings
