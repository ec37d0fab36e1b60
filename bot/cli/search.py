"""`search`, `passage`, `docs`: finding passages from a terminal."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any

from bot.cli.context import Context, UsageError
from bot.cli.options import MAX_TOP, positive_count
from bot.engine import Document, SearchResult
from bot.rendering.terminal import documents_text, passage_text, search_text


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("search", help="rank passages for a query")
    p.add_argument(
        "query", nargs="*", help='free words, "quoted phrases", -excluded and +required words'
    )
    p.add_argument(
        "--top",
        "-k",
        type=positive_count,
        default=None,
        help=f"how many hits (default 10, at most {MAX_TOP})",
    )
    p.add_argument(
        "--doc",
        action="append",
        help="only this document: id, id prefix or title (repeat for several)",
    )
    p.add_argument(
        "--speaker", help="only this interview speaker's turns (a name, or a unique part of one)"
    )
    p.add_argument("--queries", help="answer each line of FILE in turn ('-' for stdin)")
    p.add_argument("--snippets", action="store_true", help="the best sentences, not whole passages")
    p.add_argument("--json", action="store_true", help="JSON (JSON Lines with --queries)")
    p.set_defaults(handler=search, free_words="query")

    p = sub.add_parser("passage", help="one passage with its neighbours")
    p.add_argument("id", help="a passage id, or a document and ¶ number: 000¶32")
    p.add_argument("--context", "-c", type=int, default=1)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=passage)

    p = sub.add_parser("docs", help="the documents of the corpus")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=docs)


def search(ctx: Context) -> int:
    args = ctx.args
    if not args.query and not args.queries:
        raise UsageError("give a query, or --queries FILE")
    if args.query and args.queries:
        raise UsageError("give a query or --queries FILE, not both")
    lines = _lines(args.queries) if args.queries else None
    engine = ctx.workspace.engine
    documents = [engine.find_document(name) for name in args.doc or ()]
    top = min(args.top, MAX_TOP) if args.top else None
    if lines is None:
        result = engine.search(
            " ".join(args.query), top=top, doc=_ids(documents), speaker=args.speaker
        )
        _note_cap(ctx, result)
        ctx.print(_render(ctx, result, documents, heading=False, indent=2))
        return 0
    for line in lines:
        result = engine.search(line, top=top, doc=_ids(documents), speaker=args.speaker)
        _note_cap(ctx, result)
        ctx.print(_render(ctx, result, documents, heading=True, indent=None))
    return 0


def _ids(documents: list[Document]) -> list[str]:
    return [d.doc_id for d in documents]


def _render(
    ctx: Context,
    result: SearchResult,
    documents: list[Document],
    *,
    heading: bool,
    indent: int | None,
) -> str:
    if ctx.json:
        data: dict[str, Any] = result.to_json()
        if documents:
            data["documents"] = _ids(documents)
        return json.dumps(data, ensure_ascii=False, indent=indent)
    return search_text(result, tty=ctx.out.isatty(), heading=heading, snippets=ctx.args.snippets)


def _note_cap(ctx: Context, result: SearchResult) -> None:
    """Say on stderr when --top asked for more than the CLI prints."""
    asked = ctx.args.top
    if asked and asked > MAX_TOP and result.total > len(result.hits):
        print(
            f"note: showing {len(result.hits)} of {result.total:,} matching passages "
            f"(--top is at most {MAX_TOP})",
            file=ctx.err,
        )


def _lines(source: str) -> Iterator[str]:
    """The non-blank lines of FILE (stdin for '-'); an unreadable file is a usage error."""
    if source == "-":
        stream = sys.stdin
    else:
        try:
            stream = open(source, encoding="utf-8", errors="replace")  # noqa: SIM115
        except OSError as exc:
            raise UsageError(f"--queries {source}: {exc.strerror or exc}") from None
    return _read(stream)


def _read(stream: Any) -> Iterator[str]:
    with stream:
        for line in stream:
            if line.strip():
                yield line.rstrip("\n")


def passage(ctx: Context) -> int:
    context = ctx.workspace.engine.passage_in_context(ctx.args.id, ctx.args.context)
    if ctx.json:
        ctx.print(json.dumps(context.to_json(), ensure_ascii=False, indent=2))
    else:
        ctx.print(passage_text(context))
    return 0


def docs(ctx: Context) -> int:
    ws = ctx.workspace
    documents = ws.engine.documents
    if not ctx.json:
        ctx.print(documents_text(documents, ws.version))
        ctx.print(f"settings: {ctx.settings.origin}")
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
    data = {"version": ws.version, "settings": ctx.settings.origin, "documents": rows}
    ctx.print(json.dumps(data, ensure_ascii=False, indent=2))
    return 0
