"""The team's memory from a shell: code, uncode, memo, coded, codes, save, collection, agreement,
undo, export, import, backup and `store check`.

The same store the bot writes (`store.path`, or `--store PATH`), so scripts and tests drive it
exactly as members do in Discord. You are the local user (`getpass.getuser()`) unless `--coder`
names someone else. Why a new code needs `--new`: a typo ("corruptoin") would otherwise start a
code of its own and split the team's codings; without `--new` an unknown code is an error that
names the closest codes.

Every command that reads or writes quotes first checks them against the corpus as it is now
(`Store.refresh_anchors`): after an edit, `add` or `remove`, a coding follows its quote to its
new place or is flagged needs-attention, and what changed is said on stderr. When nothing changed
that check reads nothing.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bot.cli.context import Context, UsageError
from bot.cli.options import positive_count
from bot.engine import EngineError
from bot.engine.wording import plural
from bot.exports import (
    read_qdc,
    write_atomically,
)
from bot.rendering import team_answers
from bot.rendering.team_answers import Team, codebook_entries, corpus_text
from bot.rendering.team_terminal import (
    agreement_json,
    agreement_text,
    check_json,
    check_text,
    coded_one_text,
    coded_text,
    codes_json,
    codes_table,
    coding_json,
    collection_text,
    collections_text,
    import_text,
    memo_text,
    reanchor_lines,
    saved_json,
    saved_text,
)
from bot.store import (
    DEFAULT_COLLECTION,
    Actor,
    Anchor,
    CodebookImportError,
    CorpusText,
    InvalidInput,
    NotFound,
    Store,
    UnknownCode,
    UnknownUser,
    local_user,
)

log = logging.getLogger(__name__)

PAGE_SIZE = 20
DAMAGED = 3  # `store check` found the file damaged: the same exit code as an unusable database
# What each export is made of, and the formats it comes in (the first is the default).
EXPORTS: dict[str, tuple[str, ...]] = {what: tuple(f) for what, f in team_answers.EXPORTS.items()}
FORMATS = sorted({f for formats in EXPORTS.values() for f in formats})


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("code", help="apply a code to a passage (yours, as the local user)")
    p.add_argument("passage", help="passage id (or 000¶12, 000:44)")
    p.add_argument("code", help="the code's name (case, accents and hyphens do not matter)")
    p.add_argument("--memo", default="", help="a note on this coding, stored as written")
    p.add_argument("--quote", help="code only these exact words of the passage")
    p.add_argument("--new", action="store_true", help="create the code if it does not exist")
    p.add_argument("--description", default="", help="with --new: what the new code covers")
    _coder(p)
    p.set_defaults(handler=code)

    p = sub.add_parser("uncode", help="remove a coding: by number, or by passage and code")
    p.add_argument("target", help="a coding number (#12), or a passage id with CODE")
    p.add_argument("code", nargs="?", help="the code, when TARGET is a passage")
    p.add_argument("--admin", action="store_true", help="remove someone else's coding")
    _coder(p)
    p.set_defaults(handler=uncode)

    p = sub.add_parser("memo", help="write (or replace) your memo on a passage, code or document")
    p.add_argument("target", help="passage id, code name or document (id, prefix or title)")
    p.add_argument("text", nargs="+", help="the memo, stored as written; - reads it from stdin")
    p.add_argument("--on", choices=("passage", "code", "document"), help="what TARGET is")
    _coder(p)
    p.set_defaults(handler=memo)

    p = sub.add_parser("coded", help="the passages coded with a code, quoted with their sources")
    p.add_argument("code")
    p.add_argument("--doc", help="only this document (id, id prefix or title)")
    p.add_argument("--coder", help="only this coder's codings")
    p.add_argument("--page", type=positive_count, default=1, help=f"{PAGE_SIZE} codings a page")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=coded)

    p = sub.add_parser("codes", help="every code: codings per document and per coder")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=codes)

    p = sub.add_parser("save", help="save a passage's quote in a collection")
    p.add_argument("passage")
    p.add_argument("--collection", default=DEFAULT_COLLECTION, help="default: %(default)s")
    p.add_argument("--note", default="", help="why this quote")
    p.add_argument("--quote", help="save only these exact words of the passage")
    _coder(p)
    p.set_defaults(handler=save)

    p = sub.add_parser("collection", help="a collection's quotes in the order saved (or the list)")
    p.add_argument("name", nargs="?")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=collection)

    p = sub.add_parser("agreement", help="Cohen's kappa of two coders on one code")
    p.add_argument("code")
    p.add_argument("coder_a")
    p.add_argument("coder_b")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=agreement)

    p = sub.add_parser("undo", help="revert your last change (again: the one before)")
    _coder(p)
    p.set_defaults(handler=undo)

    p = sub.add_parser("export", help="write codings, a collection, the codebook or the project")
    p.add_argument("what", choices=sorted(EXPORTS))
    p.add_argument(
        "--format", choices=FORMATS, help="csv, markdown, w3c (codings); qdc; qdpx (project)"
    )
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    p.add_argument("--collection", default=DEFAULT_COLLECTION, help="for `export collection`")
    p.add_argument("--code", help="codings: only this code")
    p.add_argument("--json", action="store_true", help="what was written (or the error) as JSON")
    p.set_defaults(handler=export)

    p = sub.add_parser("import", help="merge a REFI-QDA codebook (.qdc) into the team's codes")
    p.add_argument("what", choices=("codebook",))
    p.add_argument("file", type=Path)
    _coder(p)
    p.set_defaults(handler=import_codebook)

    p = sub.add_parser("backup", help="a consistent copy of the team database (online backup)")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="what was written (or the error) as JSON")
    p.set_defaults(handler=backup)

    p = sub.add_parser("store", help="the team database: `store check` (integrity, orphans)")
    p.add_argument("action", choices=("check",))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=store_check)


def _coder(p: argparse.ArgumentParser) -> None:
    p.add_argument("--coder", help="who you are (default: your user name on this computer)")
    p.add_argument("--json", action="store_true", help="the result (or the error) as JSON")


# -- opening the store and the corpus -------------------------------------------------------


def actor(ctx: Context) -> Actor:
    name = (getattr(ctx.args, "coder", None) or "").strip() or local_user()
    return Actor.local(name)


@contextmanager
def open_store(ctx: Context) -> Iterator[Store]:
    """The team database of the settings (or `--store`): made with its folder on first use."""
    with Store(ctx.settings.store_path, busy_timeout=ctx.settings.store.busy_timeout) as store:
        yield store


def current_corpus(ctx: Context, store: Store) -> CorpusText:
    """The corpus as it is now, with the codebook's themes as codes and every quote checked."""
    workspace = ctx.workspace
    if workspace.codebook is not None:
        # The bot's own entries: two wordings of a theme would rewrite its code on every run.
        report = store.sync_codebook(codebook_entries(workspace.codebook))
        for conflict in report.conflicts:
            log.info("codebook: %s", conflict)
    corpus = corpus_text(workspace)
    for line in reanchor_lines(store.refresh_anchors(corpus)):
        print(line, file=ctx.err)
    return corpus


def _anchor(ctx: Context, corpus: CorpusText, passage: str, words: str | None) -> Anchor:
    """The whole passage, or the exact `words` inside it."""
    p = ctx.workspace.engine.passage(passage)
    whole = corpus.anchor(p.id)
    if not words:
        return whole
    at = whole.quote.find(words)
    if at < 0:
        raise InvalidInput(f"The words '{words}' are not in passage {p.id}.")
    return corpus.anchor(p.id, (at, at + len(words)))


def _print_json(ctx: Context, data: Any) -> None:
    ctx.print(json.dumps(data, ensure_ascii=False, indent=2))


def _answer(ctx: Context, text: str, data: dict[str, Any]) -> None:
    """A change's answer: a sentence, or with --json the record it made."""
    if ctx.json:
        _print_json(ctx, data)
    else:
        ctx.print(text)


# -- coding ---------------------------------------------------------------------------------


def code(ctx: Context) -> int:
    args = ctx.args
    with open_store(ctx) as store:
        corpus = current_corpus(ctx, store)
        anchor = _anchor(ctx, corpus, args.passage, args.quote)
        who = actor(ctx)
        created = False
        try:
            name = store.get_code(args.code).name
        except UnknownCode as exc:
            if not args.new:
                raise NotFound(f"{exc} To create it, add --new.") from None
            name = store.create_code(args.code, who, args.description).name
            created = True
        coding = store.code(anchor, name, who, memo=args.memo)
    if ctx.json:
        _print_json(ctx, {**coding_json(coding, corpus), "created_code": created})
    else:
        ctx.print(coded_one_text(coding, created_code=created))
    return 0


def uncode(ctx: Context) -> int:
    args = ctx.args
    with open_store(ctx) as store:
        who = actor(ctx)
        number = args.target.removeprefix("#")
        if args.code is None:
            if not number.isdigit():
                raise UsageError("uncode takes a coding number (#12), or a passage id and a code")
            removed = store.uncode(int(number), who, admin=args.admin)
        else:
            current_corpus(ctx, store)
            passage = ctx.workspace.engine.passage(args.target)
            name = store.get_code(args.code).name
            try:
                mine = store.codings(code=name, passage_id=passage.id, coder=who.key)
            except UnknownUser:
                mine = []
            if not mine:
                raise NotFound(
                    f"{who.display_name} has not coded passage {passage.id} as '{name}'."
                )
            if len(mine) > 1:
                numbers = ", ".join(f"#{c.id}" for c in mine)
                raise InvalidInput(
                    f"{who.display_name} coded passage {passage.id} as '{name}' {len(mine)} times "
                    f"({numbers}); remove one by its number."
                )
            removed = store.uncode(mine[0].id, who)
    text = f"removed coding #{removed.id}: passage {removed.passage_id} as '{removed.code}'"
    _answer(ctx, text, {"removed": asdict(removed)})
    return 0


def memo(ctx: Context) -> int:
    args = ctx.args
    text = sys.stdin.read() if args.text == ["-"] else " ".join(args.text)
    with open_store(ctx) as store:
        corpus = current_corpus(ctx, store)
        who = actor(ctx)
        kind, target = _memo_target(ctx, store, args.target, args.on)
        if kind == "passage":
            written = store.memo_passage(corpus.anchor(target), text, who)
        elif kind == "code":
            written = store.memo_code(target, text, who)
        else:
            written = store.memo_document(target, text, who)
    _answer(ctx, memo_text(written), {"memo": asdict(written)})
    return 0


def _memo_target(ctx: Context, store: Store, target: str, on: str | None) -> tuple[str, str]:
    """("passage", id), ("code", name) or ("document", id): what TARGET names, in that order."""
    engine = ctx.workspace.engine
    if on in (None, "passage"):
        try:
            return "passage", engine.passage(target).id
        except EngineError:
            if on:
                raise
    found: list[tuple[str, str]] = []
    if on in (None, "code"):
        try:
            found.append(("code", store.get_code(target).name))
        except UnknownCode:
            if on:
                raise
    if on in (None, "document"):
        try:
            found.append(("document", engine.find_document(target).doc_id))
        except EngineError:
            if on:
                raise
    if len(found) == 1:
        return found[0]
    if found:
        raise InvalidInput(
            f"'{target}' names the code '{found[0][1]}' and the document {found[1][1]}; "
            "say which with --on code or --on document."
        )
    raise NotFound(
        f"'{target}' is no passage, code or document; --on passage|code|document says which."
    )


# -- retrieving -----------------------------------------------------------------------------


def coded(ctx: Context) -> int:
    args = ctx.args
    with open_store(ctx) as store:
        corpus = current_corpus(ctx, store)
        name = store.get_code(args.code).name
        doc_id = ctx.workspace.engine.find_document(args.doc).doc_id if args.doc else None
        filters: dict[str, Any] = {"code": name, "doc_id": doc_id, "coder": args.coder}
        total = store.count_codings(**filters)
        offset = (args.page - 1) * PAGE_SIZE
        page = store.codings(**filters, limit=PAGE_SIZE, offset=offset)
    if ctx.json:
        _print_json(
            ctx,
            {
                "code": name,
                "total": total,
                "page": args.page,
                "pages": max(1, -(-total // PAGE_SIZE)),
                "codings": [coding_json(c, corpus) for c in page],
            },
        )
    else:
        tty = ctx.out.isatty()
        ctx.print(coded_text(name, page, corpus, total=total, first=offset + 1, tty=tty))
    return 0


def codes(ctx: Context) -> int:
    with open_store(ctx) as store:
        current_corpus(ctx, store)
        all_codes = store.codes()
        by_doc = store.code_counts()
        by_coder = store.code_counts(by_coder=True, per_document=False)
    if ctx.json:
        _print_json(ctx, codes_json(all_codes, by_doc, by_coder))
    else:
        ctx.print(codes_table(all_codes, by_doc, by_coder))
    return 0


# -- collections ----------------------------------------------------------------------------


def save(ctx: Context) -> int:
    args = ctx.args
    with open_store(ctx) as store:
        corpus = current_corpus(ctx, store)
        anchor = _anchor(ctx, corpus, args.passage, args.quote)
        saved = store.save(anchor, actor(ctx), collection=args.collection, note=args.note)
    _answer(ctx, saved_text(saved), {"saved": saved_json(saved, corpus)})
    return 0


def collection(ctx: Context) -> int:
    args = ctx.args
    with open_store(ctx) as store:
        corpus = current_corpus(ctx, store)
        if args.name is None:
            listed = store.collections()
            if ctx.json:
                _print_json(ctx, {"collections": [c.name for c in listed]})
            else:
                ctx.print(collections_text(listed))
            return 0
        found, items = store.collection(args.name)
    if ctx.json:
        _print_json(
            ctx, {"collection": found.name, "quotes": [saved_json(q, corpus) for q in items]}
        )
    else:
        ctx.print(collection_text(found, items, corpus, tty=ctx.out.isatty()))
    return 0


# -- agreement and undo ---------------------------------------------------------------------


def agreement(ctx: Context) -> int:
    args = ctx.args
    with open_store(ctx) as store:
        corpus = current_corpus(ctx, store)
        result = store.agreement(args.code, args.coder_a, args.coder_b, corpus)
        names = {u.key: u.display_name for u in store.users()}
    if ctx.json:
        _print_json(ctx, agreement_json(result, names))
    else:
        ctx.print(agreement_text(result, names))
    return 0


def undo(ctx: Context) -> int:
    with open_store(ctx) as store:
        result = store.undo(actor(ctx))
    entry = result.undone
    undone = {"action": entry.action, "subject": entry.subject, "id": entry.row_id}
    _answer(ctx, result.message, {"message": result.message, "undone": undone})
    return 0


# -- files ----------------------------------------------------------------------------------


def export(ctx: Context) -> int:
    args = ctx.args
    allowed = EXPORTS[args.what]
    fmt = args.format or allowed[0]
    if fmt not in allowed:
        raise UsageError(f"export {args.what} comes as {' or '.join(allowed)}, not {fmt}")
    output: Path = args.output
    if _same_file(output, ctx.settings.store_path):
        raise UsageError(f"-o {output} is the team database itself; choose another file")
    with open_store(ctx) as store:
        current_corpus(ctx, store)
        team = Team(store, actor(ctx))
        made = team_answers.export(
            ctx.workspace, team, args.what, fmt, name=args.collection, code_name=args.code
        )
    write_atomically(output, made.data)
    text = f"wrote {output} ({args.what}, {fmt}: {made.counted})"
    data = {"path": str(output), "what": args.what, "format": fmt, "bytes": len(made.data)}
    _answer(ctx, text, data)
    return 0


def import_codebook(ctx: Context) -> int:
    path: Path = ctx.args.file
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CodebookImportError(str(path), f"it cannot be read ({exc.strerror or exc})") from None
    entries = read_qdc(data, str(path))
    with open_store(ctx) as store:
        current_corpus(ctx, store)  # the codebook's themes are codes: merged against them too
        report = store.import_codebook(entries, actor(ctx))
    _answer(ctx, import_text(report, path.name), asdict(report))
    return 0


def backup(ctx: Context) -> int:
    with open_store(ctx) as store:
        written = store.backup(ctx.args.file)
        codings = store.count_codings()
    text = f"backed up the team database to {written} ({plural(codings, 'coding')})"
    _answer(ctx, text, {"path": str(written), "codings": codings})
    return 0


def store_check(ctx: Context) -> int:
    with open_store(ctx) as store:
        corpus = current_corpus(ctx, store)
        report = store.check(corpus)
        path = shown(store.path)
    if ctx.json:
        _print_json(ctx, check_json(report, path))
    else:
        ctx.print(check_text(report, path))
    return 0 if report.ok else DAMAGED


# -- helpers --------------------------------------------------------------------------------


def shown(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _same_file(a: Path, b: Path) -> bool:
    return a.resolve() in (b.resolve(), Path(f"{b.resolve()}-wal"), Path(f"{b.resolve()}-shm"))
