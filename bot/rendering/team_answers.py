"""What each team command answers: where the engine (passages, documents) meets the store.

Why here, beside `answers`: the slash commands and the console both call these, so `/code` in
either place codes the same quote and shows the same page. They are blocking (SQLite): the cogs
run them with `asyncio.to_thread`, never on the event loop. Store errors (`StoreError`) and
engine errors (`EngineError`) propagate; the caller shows them as a sentence.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.engine import Workspace
from bot.engine.codebook import Codebook
from bot.engine.errors import EngineError
from bot.engine.wording import plural, short_labels
from bot.exports import (
    codebook_qdc,
    codings_csv,
    codings_markdown,
    collection_csv,
    collection_markdown,
    project_qdpx,
    web_annotations,
)
from bot.rendering import team
from bot.rendering.answers import passage as passage_pages
from bot.rendering.pages import Pages
from bot.rendering.team import Quoted
from bot.rendering.text import escape_cut
from bot.store import (
    DEFAULT_COLLECTION,
    Actor,
    Anchor,
    CodebookEntry,
    CodeNameTaken,
    CorpusText,
    ExportError,
    InvalidInput,
    NotFound,
    ReanchorReport,
    Store,
    UnknownCode,
)

log = logging.getLogger(__name__)

# /coded shows at most this many codings (in document order): rendering every page up front,
# as the pager does, took 1.5 s for 5,000 codings; the rest are counted and can be exported.
MAX_CODED = 300

# What can be exported, in which formats, and the file each makes.
EXPORTS: dict[str, dict[str, str]] = {
    "codings": {"csv": "codings.csv", "markdown": "codings.md", "w3c": "codings.jsonld"},
    "collection": {"csv": "{name}.csv", "markdown": "{name}.md"},
    "codebook": {"qdc": "codebook.qdc"},
    "project": {"qdpx": "project.qdpx"},
}


@dataclass(frozen=True, slots=True)
class Team:
    """Who asks, where, and the database: what every team answer needs besides the workspace.

    The codes and codings are the team's, one set per database: those made in any server, the
    console or the command line are all shown and exported (a coding records its server as
    provenance). Collections are per server, as members name them there.
    """

    store: Store
    actor: Actor
    guild_id: int | None = None
    admin: bool = False


@dataclass(frozen=True, slots=True)
class ExportFile:
    """An export ready to attach or write: its file name, bytes, and a sentence about it."""

    filename: str
    data: bytes
    summary: str
    count: str = ""  # the records counted ("5 codings"), when the summary says more

    @property
    def counted(self) -> str:
        """What `corpus-bot export` reports: the records counted."""
        return self.count or self.summary


_CORPUS_TEXTS: weakref.WeakKeyDictionary[Workspace, CorpusText] = weakref.WeakKeyDictionary()
_CORPUS_TEXTS_LOCK = threading.Lock()


def corpus_text(ws: Workspace) -> CorpusText:
    """The store's view of the workspace's corpus, made once per workspace (and dropped with it:
    a reloaded-away workspace and its index are not kept alive by this cache)."""
    with _CORPUS_TEXTS_LOCK:
        found = _CORPUS_TEXTS.get(ws)
        if found is None:
            found = CorpusText.build(ws.engine.documents, ws.engine.corpus.passages)
            _CORPUS_TEXTS[ws] = found
        return found


def codebook_entries(codebook: Codebook | None) -> list[CodebookEntry]:
    """The codebook's themes as codes: the theme's name, its label and description as text."""
    if codebook is None:
        return []
    return [
        CodebookEntry(t.name, " — ".join(x for x in (t.label, t.description) if x))
        for t in codebook.themes
    ]


def sync_workspace(ws: Workspace, store: Store) -> ReanchorReport:
    """After start or a reload: the codebook's themes become codes, every quote is re-anchored."""
    if ws.codebook is not None:
        report = store.sync_codebook(codebook_entries(ws.codebook))
        for conflict in report.conflicts:
            log.warning("codebook theme kept out of the codes: %s", conflict)
    # Only the documents whose text changed since the last check, and records written since.
    return store.refresh_anchors(corpus_text(ws))


# -- quoting --------------------------------------------------------------------------------


def quoted(ws: Workspace, passage_id: str, doc_id: str, quote: str, status: str) -> Quoted:
    """A stored quote with its current source line (None when its passage is gone)."""
    engine = ws.engine
    doc = engine.corpus.documents.get(doc_id)
    source = None
    try:
        p = engine.passage(passage_id)
        if p.doc_id == doc_id:
            source = engine.source(p)
    except EngineError:
        pass
    return Quoted(passage_id, doc_id, quote, status, source, doc.title if doc else doc_id)


def _anchor(ws: Workspace, passage: str) -> tuple[str, Anchor]:
    p = ws.engine.passage(passage)  # ids, 000¶32 and 000:44 all work; unknown raises
    return p.id, corpus_text(ws).anchor(p.id)


# -- codes and codings ----------------------------------------------------------------------


def new_code_name(ws: Workspace, t: Team, passage: str, code: str) -> str | None:
    """None when `code` names an existing code exactly; the new code's name when none is like it.

    Checks the passage first (an unknown passage is refused before anything is asked). A name
    that matches an existing code only after folding case, accents and hyphens is refused with
    `CodeNameTaken`, naming the existing code: two codes that look alike split the team's work.
    """
    ws.engine.passage(passage)
    name = " ".join(code.split())
    try:
        existing = t.store.get_code(name)
    except UnknownCode:
        if not name:
            raise InvalidInput("A code needs a name.") from None
        return name
    if existing.name != name:
        raise CodeNameTaken(name, existing.name)
    return None


def code(
    ws: Workspace, t: Team, passage: str, code_name: str, memo: str = "", *, create: bool = False
) -> Pages:
    """Code a whole passage (creating the code first when `create`)."""
    pid, anchor = _anchor(ws, passage)
    new = new_code_name(ws, t, pid, code_name)
    if new is not None:
        if not create:
            raise UnknownCode(new, [c.name for c in t.store.match_codes(new, limit=3)])
        code_name = t.store.create_code(new, t.actor).name
    coding = t.store.code(anchor, code_name, t.actor, guild_id=t.guild_id, memo=memo)
    q = quoted(ws, coding.passage_id, coding.doc_id, coding.quote, coding.status)
    return team.render_coded(coding, q, created=new is not None)


def uncode(ws: Workspace, t: Team, passage: str, code_name: str, coder: str | None = None) -> Pages:
    """Remove your coding of a passage with a code (an admin: anyone's, naming the coder)."""
    pid = ws.engine.passage(passage).id
    who = coder or t.actor.key
    codings = t.store.codings(code=code_name, passage_id=pid, coder=who)
    if not codings:
        whose = "You have" if coder is None else f"{coder.strip()} has"
        raise NotFound(f"{whose} no coding of passage {pid} as '{code_name.strip()}'.")
    for c in codings:
        t.store.uncode(c.id, t.actor, admin=t.admin)
    removed = codings[0]
    what = f"**{escape_cut(removed.code, 100)}**"
    where = f"of passage `{pid}` by {escape_cut(removed.coder, 80)}"
    if len(codings) == 1:
        return team.done(f"Removed the coding {what} {where}. `/undo` puts it back.")
    # Parts of the passage coded apart (the CLI's --quote) are each their own change.
    return team.done(
        f"Removed {len(codings)} codings {what} {where}. `/undo` puts them back one at a time."
    )


def coded(
    ws: Workspace,
    t: Team,
    code_name: str,
    *,
    document: str | None = None,
    coder: str | None = None,
    per_page: int = 3,
) -> Pages:
    """The codings of a code (in one document, by one coder), quoted with their sources."""
    doc = ws.engine.find_document(document) if document else None
    doc_id = doc.doc_id if doc else None
    found = t.store.codings(code=code_name, doc_id=doc_id, coder=coder, limit=MAX_CODED)
    total = len(found)
    attention = sum(c.status == "needs_attention" for c in found)
    if total == MAX_CODED:  # there may be more: count them all, show the first ones
        total = t.store.count_codings(code=code_name, doc_id=doc_id, coder=coder)
        attention = t.store.count_codings(
            code=code_name, doc_id=doc_id, coder=coder, status="needs_attention"
        )
    name = t.store.get_code(code_name).name
    quotes = {c.id: quoted(ws, c.passage_id, c.doc_id, c.quote, c.status) for c in found}
    filters = []
    if doc:
        filters.append(f"in {doc.title}")
    if coder:
        filters.append(f"by {t.store.find_user(coder).display_name}")
    return team.render_codings(
        found,
        quotes,
        title=f"Coded {escape_cut(name, 200)}",
        version=ws.version,
        per_page=per_page,
        filters="Only " + ", ".join(filters) if filters else "",
        total=total,
        attention=attention,
    )


def codes(ws: Workspace, t: Team) -> Pages:
    """Every code with its codings per document and per coder."""
    counts = t.store.code_counts()
    by_coder = t.store.code_counts(by_coder=True, per_document=False)
    labels = short_labels(ws.engine.corpus.documents)
    return team.render_code_counts(counts, by_coder, t.store.codes(), labels, version=ws.version)


def agreement(ws: Workspace, t: Team, code_name: str, coder_a: str, coder_b: str) -> Pages:
    a, b = t.store.find_user(coder_a), t.store.find_user(coder_b)
    result = t.store.agreement(code_name, a.key, b.key, corpus_text(ws))
    return team.render_agreement(result, a.display_name, b.display_name)


def undo(ws: Workspace, t: Team) -> Pages:
    result = t.store.undo(t.actor)
    return team.done(escape_cut(result.message, 1000))


# -- memos --------------------------------------------------------------------------------

# `/memo target:` prefixes that say what the target is.
MEMO_KINDS = {"passage": "passage", "code": "code", "document": "document", "doc": "document"}


def memo(ws: Workspace, t: Team, target: str, text: str) -> Pages:
    """Write your memo on a passage, a code or a document (`code:NAME`, `document:ID` or a
    passage id; a bare name is tried as a passage, then a code, then a document)."""
    kind, _, rest = target.strip().partition(":")
    if kind.lower() in MEMO_KINDS and rest.strip():
        order, name = [MEMO_KINDS[kind.lower()]], rest
    else:
        order, name = ["passage", "code", "document"], target
    errors: list[str] = []
    for k in order:
        try:
            if k == "passage":
                pid, anchor = _anchor(ws, name)
                saved = t.store.memo_passage(anchor, text, t.actor, guild_id=t.guild_id)
                return team.render_memo_saved(saved, f"passage `{pid}`")
            if k == "code":
                saved = t.store.memo_code(name, text, t.actor, guild_id=t.guild_id)
                return team.render_memo_saved(
                    saved, f"the code **{escape_cut(saved.target, 100)}**"
                )
            doc = ws.engine.find_document(name)
            saved = t.store.memo_document(doc.doc_id, text, t.actor, guild_id=t.guild_id)
            return team.render_memo_saved(saved, f"the document {escape_cut(doc.title, 200)}")
        except (EngineError, NotFound) as exc:
            errors.append(str(exc))
    if len(order) == 1:
        raise NotFound(errors[0])
    raise NotFound(
        f"'{name.strip()}' is no passage id, code or document. "
        "Write code:NAME or document:TITLE to say which."
    )


def passage_with_memos(ws: Workspace, store: Store | None, passage_id: str, context: int) -> Pages:
    """`/passage`, with the team's memos on it under the passage (when the database is open)."""
    pages = passage_pages(ws, passage_id, context=context)
    if store is None:
        return pages
    pid = ws.engine.passage(passage_id).id
    return team.with_memos(pages, store.memos(kind="passage", target=pid))


# -- quotes -------------------------------------------------------------------------------


def save(ws: Workspace, t: Team, passage: str, collection: str | None = None) -> Pages:
    _, anchor = _anchor(ws, passage)
    item = t.store.save(
        anchor,
        t.actor,
        guild_id=t.guild_id,
        collection=collection or DEFAULT_COLLECTION,
    )
    return team.render_saved(
        item, quoted(ws, item.passage_id, item.doc_id, item.quote, item.status)
    )


def collection(ws: Workspace, t: Team, name: str, *, per_page: int = 3) -> Pages:
    coll, items = t.store.collection(name, t.guild_id)
    quotes = {s.id: quoted(ws, s.passage_id, s.doc_id, s.quote, s.status) for s in items}
    return team.render_collection(coll, items, quotes, version=ws.version, per_page=per_page)


# -- exports ------------------------------------------------------------------------------


def export(
    ws: Workspace,
    t: Team,
    what: str,
    fmt: str,
    *,
    name: str | None = None,
    code_name: str | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ExportFile:
    """The bytes of one export, named; `ExportError` for a format the thing has not.

    `name`: the collection to export; `code_name`: codings of this code only (an unknown code
    raises `UnknownCode`). The Discord command, the console and `corpus-bot export` all call this.
    """
    formats = EXPORTS.get(what)
    if formats is None:
        raise ExportError(f"There is no export of '{what}': choose {', '.join(EXPORTS)}.")
    if fmt not in formats:
        raise ExportError(f"{what.capitalize()} export as {', '.join(formats)}, not {fmt}.")
    corpus = corpus_text(ws)
    if what == "collection":
        if not name:
            raise ExportError("Name the collection to export (collection option).")
        coll, items = t.store.collection(name, t.guild_id)
        render = collection_csv if fmt == "csv" else collection_markdown
        stem = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in coll.name)[:60]
        filename = formats[fmt].format(name=stem or "collection")
        return ExportFile(filename, render(coll, items, corpus), plural(len(items), "quote"))
    if what == "codebook":
        all_codes = t.store.codes()
        return ExportFile(formats[fmt], codebook_qdc(all_codes), plural(len(all_codes), "code"))
    if what == "project":  # only the project needs everything: one consistent read
        snap = t.store.snapshot()
        data = project_qdpx(snap, corpus, exported_at=now())
        summary = f"{len(snap.codes)} codes, {len(snap.codings)} codings, {len(snap.memos)} memos"
        return ExportFile(formats[fmt], data, summary, plural(len(snap.codings), "coding"))
    codings = t.store.codings(code=t.store.get_code(code_name).name if code_name else None)
    make = {"csv": codings_csv, "markdown": codings_markdown, "w3c": web_annotations}[fmt]
    return ExportFile(formats[fmt], make(codings, corpus), plural(len(codings), "coding"))
