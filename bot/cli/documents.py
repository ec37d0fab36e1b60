"""`cite`, `add`, `remove`: a passage's reference, and the corpus's files, from a terminal.

`add` and `remove` change the corpus folder exactly as `/add` and `/remove` do (the same checks,
the same reader, atomic writes, `.removed/` instead of deleting); a bot already running serves the
change after its next `/reload`.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from bot.cli.context import Context
from bot.corpus_files import FileRefused, add_file, check_upload, prepare_file, remove_document
from bot.engine.citations import STYLE_NAMES, cite_passage
from bot.rendering.terminal import added_text, citation_text

log = logging.getLogger(__name__)

RUNNING_BOT = "A bot that is running serves the change after /reload."


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("cite", help="a passage's reference: APA 7, Chicago author-date, BibTeX")
    p.add_argument("id", help="the passage id")
    p.add_argument("--style", choices=STYLE_NAMES, help="only this style (default: all three)")
    p.add_argument("--json", action="store_true", help="the CSL-JSON item and each rendering")
    p.set_defaults(handler=cite)

    p = sub.add_parser("add", help="add files to the corpus folder (read and checked first)")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--replace", action="store_true", help="replace a document of the same name")
    p.set_defaults(handler=add)

    p = sub.add_parser("remove", help="move a document's file to the corpus's .removed/ folder")
    p.add_argument("doc", help="document id, id prefix or title")
    p.set_defaults(handler=remove)


def cite(ctx: Context) -> int:
    styles = (ctx.args.style,) if ctx.args.style else None
    citation = cite_passage(ctx.workspace.engine, ctx.args.id, styles)
    if ctx.args.json:
        ctx.print(json.dumps(citation.to_json(), ensure_ascii=False, indent=2))
    else:
        ctx.print(citation_text(citation, tty=ctx.out.isatty()))
    return 0


def add(ctx: Context) -> int:
    """Each file checked, read and written in turn; 1 if any was refused (the others still go)."""
    settings = ctx.settings
    refused = 0
    for path in ctx.args.files:
        try:
            name = check_upload(path.name, _size(path), settings)
            prepared = prepare_file(settings, name, path.read_bytes(), replace=ctx.args.replace)
            add_file(settings, prepared)
        except FileRefused as exc:
            print(f"error: {exc}", file=sys.stderr)
            refused += 1
            continue
        except OSError as exc:
            print(f"error: {path}: cannot be read ({exc.strerror or exc})", file=sys.stderr)
            refused += 1
            continue
        replaced = [p.relative_to(settings.corpus_dir).as_posix() for p in prepared.replaces]
        doc = prepared.document
        ctx.print(added_text(doc, prepared.first_section, prepared.warnings, replaced))
    if refused < len(ctx.args.files):
        ctx.print(RUNNING_BOT)
    return 1 if refused else 0


def remove(ctx: Context) -> int:
    engine = ctx.workspace.engine
    doc = engine.find_document(ctx.args.doc)
    if len(engine.documents) == 1:
        print(f"error: {doc.path}: it is the corpus's only document", file=sys.stderr)
        return 1
    try:
        change = remove_document(ctx.settings, doc)
    except FileRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    kept = change.moves[0][1].relative_to(ctx.settings.corpus_dir).as_posix()
    ctx.print(f"removed {doc.doc_id} ({doc.title}); its file is kept as {kept}")
    ctx.print(RUNNING_BOT)
    return 0


def _size(path: Path) -> int:
    """The file's size, so a huge file is refused before it is read (raises OSError)."""
    return path.stat().st_size
