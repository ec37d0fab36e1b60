"""Command line: `python -m bot` / `corpus-bot` — search, read and run the bot.

Why a CLI beside the bot: scripts, benchmarks and people without a Discord application all use the
same engine from a terminal. Usage errors exit 2 with a message; a search with no results exits 0.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from bot.engine import Engine, EngineError, SearchResult
from bot.engine.model import PassageContext
from bot.settings import ConfigError, Settings, load_settings

log = logging.getLogger(__name__)

BOLD, DIM, RESET = "\033[1m", "\033[2m", "\033[0m"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="corpus-bot",
        description="Search and quote a corpus of documents, from a terminal or from Discord.",
    )
    parser.add_argument("--config", type=Path, help="settings file (default: config/bot.yaml)")
    parser.add_argument("--corpus", type=Path, help="corpus folder (overrides the settings)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("search", help="rank passages for a query")
    p.add_argument("query", nargs="*", help='free words, "quoted phrases", -excluded words')
    p.add_argument("--top", "-k", type=int, default=None, help="how many hits (default 10)")
    p.add_argument("--doc", help="only this document (id, id prefix or title)")
    p.add_argument("--queries", help="answer each line of FILE in turn ('-' for stdin)")
    p.add_argument("--json", action="store_true", help="JSON (JSON Lines with --queries)")

    p = sub.add_parser("passage", help="one passage with its neighbours")
    p.add_argument("id")
    p.add_argument("--context", "-c", type=int, default=1)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("docs", help="the documents of the corpus")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("summary", help="an extractive summary of a document")
    p.add_argument("doc")
    p.add_argument("--focus", help="summarize what the document says about this")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("theme", help="the passages most about a theme of the codebook")
    p.add_argument("name")
    p.add_argument("--top", "-k", type=int, default=10)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("themes", help="every theme against every document")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("related", help="passages of other documents most like this one")
    p.add_argument("id")
    p.add_argument("--top", "-k", type=int, default=5)
    p.add_argument("--json", action="store_true")

    sub.add_parser("run", help="start the Discord bot (token from $DISCORD_TOKEN)")
    p = sub.add_parser("sync", help="sync slash commands to the configured guilds")
    p.add_argument("--global", dest="global_sync", action="store_true", help="sync globally")
    sub.add_parser("console", help="try the bot's commands in a terminal, no Discord needed")
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        # A running bot reports its start, syncs and reloads; one-shot commands stay quiet.
        level=logging.INFO if args.verbose or args.command in ("run", "sync") else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = _settings(args)
        return _dispatch(args, settings, out)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except EngineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `… | head`
        return 0


def _settings(args: argparse.Namespace) -> Settings:
    settings = load_settings(args.config)
    if args.corpus is not None:
        if not args.corpus.is_dir():
            raise ConfigError(f"--corpus {args.corpus}: not a folder")
        from dataclasses import replace

        settings = replace(
            settings, corpus=replace(settings.corpus, folder=str(args.corpus.resolve()))
        )
    return settings


def _dispatch(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    if args.command == "run":
        from bot.client import run_bot

        return run_bot(settings, settings_loader=lambda: _settings(args))
    if args.command == "sync":
        from bot.client import sync_commands

        return sync_commands(settings, global_sync=args.global_sync)
    if args.command == "console":
        from bot.console import run_console

        return run_console(settings, stdin=sys.stdin, stdout=out)
    if args.command == "search" and not args.query and not args.queries:
        print("error: give a query, or --queries FILE", file=sys.stderr)
        return 2
    engine = Engine.load(settings)
    handler: Callable[[Engine, argparse.Namespace, TextIO], int] = COMMANDS[args.command]
    return handler(engine, args, out)


# -- commands --------------------------------------------------------------------------------


def cmd_search(engine: Engine, args: argparse.Namespace, out: TextIO) -> int:
    if args.queries:
        for line in _lines(args.queries):
            _print_search(
                engine.search(line, top=args.top, doc=args.doc), args.json, out, lines=True
            )
        return 0
    _print_search(engine.search(" ".join(args.query), top=args.top, doc=args.doc), args.json, out)
    return 0


def _lines(source: str) -> Iterator[str]:
    stream = sys.stdin if source == "-" else open(source, encoding="utf-8", errors="replace")  # noqa: SIM115
    with stream:
        for line in stream:
            if line.strip():
                yield line.rstrip("\n")


def _print_search(result: SearchResult, as_json: bool, out: TextIO, lines: bool = False) -> None:
    if as_json:
        print(
            json.dumps(result.to_json(), ensure_ascii=False, indent=None if lines else 2), file=out
        )
        return
    tty = out.isatty()
    bold, dim, reset = (BOLD, DIM, RESET) if tty else ("", "", "")
    if lines:
        print(f"{bold}# {result.query}{reset}", file=out)
    if result.message:
        print(result.message, file=out)
    if result.suggestions and not result.corrected:
        for word, alts in result.suggestions.items():
            print(f"Did you mean: {', '.join(alts)} (for '{word}')?", file=out)
    if result.hits:
        print(f"{result.total} passage{'s' if result.total != 1 else ''} matched.\n", file=out)
    for hit in result.hits:
        s = hit.source
        print(
            f"{bold}{hit.rank}.{reset} {_mark(hit.snippet.text, hit.snippet.highlights, tty)}",
            file=out,
        )
        where = " · ".join(x for x in (s.title, s.section, f"¶{s.ordinal}", s.passage_id) if x)
        print(f"   {dim}— {where}  (score {hit.score:.2f}){reset}\n", file=out)


def _mark(text: str, spans: Sequence[tuple[int, int]], tty: bool) -> str:
    """Matched words in bold on a terminal, «guillemets» elsewhere."""
    open_, close = (BOLD, RESET) if tty else ("«", "»")
    out, pos = [], 0
    for a, b in spans:
        out += [text[pos:a], open_, text[a:b], close]
        pos = b
    out.append(text[pos:])
    return "".join(out).replace("\n", "\n   ")


def cmd_passage(engine: Engine, args: argparse.Namespace, out: TextIO) -> int:
    ctx: PassageContext = engine.passage(args.id, context=args.context)
    if args.json:
        print(json.dumps(ctx.to_json(), ensure_ascii=False, indent=2), file=out)
        return 0
    s = ctx.source
    print(" · ".join(x for x in (s.title, s.section) if x), file=out)
    for p in (*ctx.before, ctx.passage, *ctx.after):
        marker = ">" if p.id == ctx.passage.id else " "
        print(f"\n{marker} ¶{p.ordinal} [{p.id}]\n{p.text}", file=out)
    return 0


def cmd_docs(engine: Engine, args: argparse.Namespace, out: TextIO) -> int:
    docs = engine.documents
    if args.json:
        rows = [
            {
                "doc_id": d.doc_id,
                "title": d.title,
                "site": d.site,
                "file": d.path,
                "words": d.words,
                "passages": d.passage_count,
                "sections": list(d.sections),
            }
            for d in docs
        ]
        print(
            json.dumps(
                {"version": engine.corpus.version, "documents": rows}, ensure_ascii=False, indent=2
            ),
            file=out,
        )
        return 0
    for d in docs:
        site = f" ({d.site})" if d.site else ""
        print(
            f"{d.doc_id}  {d.title}{site} — {d.words} words, {d.passage_count} passages", file=out
        )
    print(f"\ncorpus version {engine.corpus.version}", file=out)
    return 0


def _print_report(report: Any, as_json: bool, out: TextIO) -> None:
    """A summary, theme result or overview: its JSON, or its terminal text."""
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2), file=out)
    else:
        print(report.to_text(), file=out)


def cmd_summary(engine: Engine, args: argparse.Namespace, out: TextIO) -> int:
    _print_report(engine.summary(args.doc, focus=args.focus), args.json, out)
    return 0


def cmd_theme(engine: Engine, args: argparse.Namespace, out: TextIO) -> int:
    _print_report(engine.theme(args.name, top=args.top), args.json, out)
    return 0


def cmd_themes(engine: Engine, args: argparse.Namespace, out: TextIO) -> int:
    _print_report(engine.themes_overview(), args.json, out)
    return 0


def cmd_related(engine: Engine, args: argparse.Namespace, out: TextIO) -> int:
    hits = engine.related(args.id, top=args.top)
    _print_search(SearchResult(f"related to {args.id}", hits, len(hits)), args.json, out)
    return 0


COMMANDS: dict[str, Callable[[Engine, argparse.Namespace, TextIO], int]] = {
    "search": cmd_search,
    "passage": cmd_passage,
    "docs": cmd_docs,
    "summary": cmd_summary,
    "theme": cmd_theme,
    "themes": cmd_themes,
    "related": cmd_related,
}
