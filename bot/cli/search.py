"""`search`, `passage`, `docs`: finding passages from a terminal."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator

from bot.cli.context import Context
from bot.rendering.terminal import documents_text, passage_text, search_text

USAGE = 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("search", help="rank passages for a query")
    p.add_argument("query", nargs="*", help='free words, "quoted phrases", -excluded words')
    p.add_argument("--top", "-k", type=int, default=None, help="how many hits (default 10)")
    p.add_argument("--doc", help="only this document (id, id prefix or title)")
    p.add_argument("--queries", help="answer each line of FILE in turn ('-' for stdin)")
    p.add_argument("--json", action="store_true", help="JSON (JSON Lines with --queries)")
    p.set_defaults(handler=search)

    p = sub.add_parser("passage", help="one passage with its neighbours")
    p.add_argument("id")
    p.add_argument("--context", "-c", type=int, default=1)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=passage)

    p = sub.add_parser("docs", help="the documents of the corpus")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=docs)


def search(ctx: Context) -> int:
    args = ctx.args
    if not args.query and not args.queries:
        print("error: give a query, or --queries FILE", file=sys.stderr)
        return USAGE
    engine = ctx.workspace.engine
    if args.queries:
        for line in _lines(args.queries):
            result = engine.search(line, top=args.top, doc=args.doc)
            if args.json:
                ctx.print(json.dumps(result.to_json(), ensure_ascii=False))
            else:
                ctx.print(search_text(result, tty=ctx.out.isatty(), heading=True))
        return 0
    result = engine.search(" ".join(args.query), top=args.top, doc=args.doc)
    if args.json:
        ctx.print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        ctx.print(search_text(result, tty=ctx.out.isatty()))
    return 0


def _lines(source: str) -> Iterator[str]:
    stream = sys.stdin if source == "-" else open(source, encoding="utf-8", errors="replace")  # noqa: SIM115
    with stream:
        for line in stream:
            if line.strip():
                yield line.rstrip("\n")


def passage(ctx: Context) -> int:
    context = ctx.workspace.engine.passage_in_context(ctx.args.id, ctx.args.context)
    if ctx.args.json:
        ctx.print(json.dumps(context.to_json(), ensure_ascii=False, indent=2))
    else:
        ctx.print(passage_text(context))
    return 0


def docs(ctx: Context) -> int:
    ws = ctx.workspace
    documents = ws.engine.documents
    if not ctx.args.json:
        ctx.print(documents_text(documents, ws.version))
        return 0
    rows = [
        {
            "doc_id": d.doc_id,
            "title": d.title,
            "site": d.site,
            "file": d.path,
            "authors": list(d.authors),
            "date": d.date,
            "url": d.url,
            "format": d.format,
            "pages": d.pages,
            "language": d.language,
            "words": d.words,
            "passages": d.passage_count,
            "sections": list(d.sections),
        }
        for d in documents
    ]
    ctx.print(json.dumps({"version": ws.version, "documents": rows}, ensure_ascii=False, indent=2))
    return 0
