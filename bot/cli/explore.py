"""`kwic`, `collocates`, `keywords`, `trend`: exploring the corpus from a terminal.

The same engine functions as the slash commands; `--json` for scripts (`kwic --json` is JSON Lines:
one line per occurrence, then a summary line), `--png FILE` to save a trend's chart.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.cli.context import Context
from bot.engine.association import LL_CRITICAL, MEASURES
from bot.engine.collocates import DEFAULT_MIN_FREQ, DEFAULT_TOP, DEFAULT_WINDOW, collocates
from bot.engine.keywords import DEFAULT_P
from bot.engine.keywords import DEFAULT_TOP as KEYWORDS_TOP
from bot.engine.keywords import keywords as find_keywords
from bot.engine.kwic import DEFAULT_WIDTH, SORTS, concordance
from bot.engine.trend import trend as find_trend
from bot.rendering.explore import trend_images
from bot.rendering.explore_text import collocates_text, keywords_text, kwic_text, trend_text

NOTHING_TO_DRAW = 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("kwic", help="every occurrence of a word or phrase in context")
    p.add_argument("term", nargs="+", help="a word or a phrase")
    p.add_argument("--doc", help="only this document (id, id prefix or title)")
    p.add_argument("--width", type=int, default=DEFAULT_WIDTH, help="context characters a side")
    p.add_argument("--stem", action="store_true", help="every form of the word")
    p.add_argument("--sort", choices=SORTS, default="position")
    p.add_argument("--json", action="store_true", help="JSON Lines: occurrences, then a summary")
    p.set_defaults(handler=kwic)

    p = sub.add_parser("collocates", help="the words found near a word more often than chance")
    p.add_argument("term", nargs="+")
    p.add_argument("--window", type=int, default=DEFAULT_WINDOW, help="words each side (1–10)")
    p.add_argument("--measure", choices=MEASURES, default="ll")
    p.add_argument("--min-freq", type=int, default=DEFAULT_MIN_FREQ)
    p.add_argument("--top", "-k", type=int, default=DEFAULT_TOP)
    p.add_argument("--stem", action="store_true")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=collocates_command)

    p = sub.add_parser("keywords", help="what is distinctive of a document (keyness)")
    p.add_argument("doc")
    p.add_argument("--min-freq", type=int, default=3)
    p.add_argument("--p", type=float, choices=sorted(LL_CRITICAL), default=DEFAULT_P)
    p.add_argument("--top", "-k", type=int, default=KEYWORDS_TOP)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=keywords)

    p = sub.add_parser("trend", help="a word or theme per document, section or date")
    p.add_argument("term_or_theme", nargs="+")
    p.add_argument("--doc", help="per section of this document")
    p.add_argument("--stem", action="store_true")
    p.add_argument("--json", action="store_true")
    p.add_argument("--png", type=Path, metavar="FILE", help="save the chart (and FILE-dates.png)")
    p.set_defaults(handler=trend)


def _print_json(ctx: Context, data: object) -> None:
    ctx.print(json.dumps(data, ensure_ascii=False, indent=2))


def kwic(ctx: Context) -> int:
    args = ctx.args
    result = concordance(
        ctx.workspace.engine,
        " ".join(args.term),
        document=args.doc,
        width=args.width,
        stem=args.stem,
        sort=args.sort,
        max_lines=None,  # a script wants every occurrence read
    )
    if args.json:
        for line in result.lines:
            ctx.print(json.dumps(line.to_json(), ensure_ascii=False))
        ctx.print(json.dumps(result.summary_json(), ensure_ascii=False))
    else:
        ctx.print(kwic_text(result, tty=ctx.out.isatty()))
    return 0


def collocates_command(ctx: Context) -> int:
    args = ctx.args
    result = collocates(
        ctx.workspace.engine,
        " ".join(args.term),
        window=args.window,
        measure=args.measure,
        min_freq=args.min_freq,
        stem=args.stem,
        top=args.top,
    )
    if args.json:
        _print_json(ctx, result.to_json())
    else:
        ctx.print(collocates_text(result))
    return 0


def keywords(ctx: Context) -> int:
    args = ctx.args
    result = find_keywords(
        ctx.workspace.engine, args.doc, min_freq=args.min_freq, p=args.p, top=args.top
    )
    if args.json:
        _print_json(ctx, result.to_json())
    else:
        ctx.print(keywords_text(result, tty=ctx.out.isatty()))
    return 0


def trend(ctx: Context) -> int:
    args = ctx.args
    ws = ctx.workspace
    result = find_trend(
        ws.engine,
        " ".join(args.term_or_theme),
        document=args.doc,
        stem=args.stem,
        codebook=ws.codebook,
    )
    if args.json:
        _print_json(ctx, result.to_json())
    else:
        ctx.print(trend_text(result))
    if args.png is None:
        return 0
    images = trend_images(result)
    if not images:
        print("error: nothing was counted, so there is no chart to save", file=sys.stderr)
        return NOTHING_TO_DRAW
    paths = [args.png, args.png.with_name(f"{args.png.stem}-dates{args.png.suffix or '.png'}")]
    for path, image in zip(paths, images, strict=False):
        write_png(path, image.data)
    return 0


def write_png(path: Path, data: bytes) -> None:
    """Write a chart; the message (on stderr, so --json stays clean) names the file."""
    path.write_bytes(data)
    print(f"wrote {path} ({len(data) / 1024:.0f} KB)", file=sys.stderr)
