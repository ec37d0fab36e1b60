"""`summary`, `theme`, `themes`, `related`: the reading aids from a terminal."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bot.cli.context import Context
from bot.cli.explore import write_png
from bot.cli.options import MAX_TOP, positive_count
from bot.engine.model import SearchResult
from bot.engine.related import related_passages
from bot.engine.summary import summarize
from bot.engine.themes import theme_result, themes_overview
from bot.rendering.explore import themes_heatmap
from bot.rendering.terminal import overview_text, search_text, summary_text, theme_text


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("summary", help="an extractive summary of a document")
    p.add_argument("doc")
    p.add_argument("--focus", help="summarize what the document says about this")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=summary)

    p = sub.add_parser("theme", help="the passages most about a theme of the codebook")
    p.add_argument("name")
    p.add_argument("--top", "-k", type=positive_count, default=10, help=f"at most {MAX_TOP}")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=theme)

    p = sub.add_parser("themes", help="every theme against every document")
    p.add_argument("--json", action="store_true")
    p.add_argument("--png", type=Path, metavar="FILE", help="save the themes × documents heatmap")
    p.set_defaults(handler=themes)

    p = sub.add_parser("related", help="passages of other documents most like this one")
    p.add_argument("id")
    p.add_argument("--top", "-k", type=positive_count, default=5, help=f"at most {MAX_TOP}")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=related)


def _report(ctx: Context, report: Any, text: str) -> int:
    """A report's JSON with --json, else its terminal text."""
    if ctx.json:
        ctx.print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        ctx.print(text)
    return 0


def summary(ctx: Context) -> int:
    ws = ctx.workspace
    document = ws.engine.find_document(ctx.args.doc)
    result = summarize(ws.engine, document, ctx.args.focus, codebook=ws.codebook)
    return _report(ctx, result, summary_text(result))


def theme(ctx: Context) -> int:
    result = theme_result(ctx.workspace.themes(), ctx.args.name, top=min(ctx.args.top, MAX_TOP))
    return _report(ctx, result, theme_text(result))


def themes(ctx: Context) -> int:
    overview = themes_overview(ctx.workspace.themes())
    code = _report(ctx, overview, overview_text(overview))
    if ctx.args.png is not None:
        write_png(ctx.args.png, themes_heatmap(overview).data)
    return code


def related(ctx: Context) -> int:
    hits = related_passages(ctx.workspace.engine, ctx.args.id, top=min(ctx.args.top, MAX_TOP))
    result = SearchResult(f"related to {ctx.args.id}", hits, len(hits))
    return _report(ctx, result, search_text(result, tty=ctx.out.isatty()))
