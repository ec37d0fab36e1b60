"""REFI-QDA: the exchange format NVivo, ATLAS.ti, MAXQDA and QualCoder read.

- `codebook_qdc`: a codebook (`.qdc`, namespace `urn:QDA-XML:codebook:1.0`).
- `project_qdpx`: a project (`.qdpx`): a zip holding `project.qde` (namespace
  `urn:QDA-XML:project:1.0`) and one plain-text file per document under `sources/`.
- `read_qdc`: the codes of a codebook another tool wrote, to merge into the store.

Both files validate against the official schemas (QDA-XML 1.0, March 2019; the tests check it).
Points that trip implementations up, handled here:

- A `PlainTextSelection`'s start/end positions are character offsets into the plain text
  shipped in `sources/` — we ship exactly `document_text()` (`\n` line ends, no byte-order
  mark, UTF-8), the text the store's offsets count in, so every selection cuts its quote out.
  (MAXQDA counts `\r\n` as two characters; shipping `\n` avoids the question.)
- Offsets count Unicode code points, as Python and QualCoder do.
- GUIDs are required on users, codes, sources, selections, codings and notes: each is a uuid5 of
  a natural key (see `citation.stable_guid`), so exporting the same data twice gives the same
  bytes; the only moving part is the project's `creationDateTime`, which the caller passes.
- The folder is `sources/` in lower case: QualCoder's exporter names it so after ATLAS.ti
  rejected `Sources/` (zip entry names are case-sensitive); QualCoder's importer reads both.
- Memos become `Note`s: a passage memo hangs on a selection of the passage, a coding's memo on
  its `Coding`, a code's on its `Code`, a document's on its `TextSource`. A coding whose quote
  is no longer in its document cannot be a selection: it becomes a note with its quote.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import lru_cache

from bot.exports.citation import stable_guid
from bot.store.errors import CodebookImportError, ExportError
from bot.store.model import OK, Code, CodebookEntry, Coding, Memo, Snapshot, User
from bot.store.text import CorpusText, fold_name

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
ORIGIN = "corpus-bot"
SOURCES_DIR = "sources"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed zip entry times: same data, same bytes
SELECTION_NAME_CHARS = 80
# Characters XML 1.0 cannot carry (control characters other than tab, newline, return).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# -- codebook ------------------------------------------------------------------------------


def codebook_qdc(codes: Sequence[Code]) -> bytes:
    """The store's codes as a REFI-QDA codebook (alphabetical, one flat level)."""
    if not codes:
        raise ExportError("There is no code to export yet: the codebook is empty.")
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NS, "origin": ORIGIN})
    codes_el = ET.SubElement(root, "Codes")
    for code in _sorted_codes(codes):
        _code_element(codes_el, code)
    return _xml_bytes(root)


def read_qdc(data: bytes, source: str = "the file") -> list[CodebookEntry]:
    """The codable codes of a `.qdc` codebook (or of a `project.qde`), nested ones flattened.

    Any QDA-XML version is accepted; a category (`isCodable="false"`) is not a code, but the codes
    inside it are. A file with a DOCTYPE is refused (no entity tricks).
    """
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise CodebookImportError(
            source, "it declares a DOCTYPE or entities, which a codebook never needs"
        )
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise CodebookImportError(source, f"it is not well-formed XML ({exc})") from None
    ns, _, tag = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", root.tag)
    if not ns.startswith("urn:QDA-XML:") or tag not in ("CodeBook", "Project"):
        raise CodebookImportError(source, "it is not a REFI-QDA codebook (no QDA-XML CodeBook)")
    if tag == "Project":
        found = root.find(f"{{{ns}}}CodeBook")
        if found is None:
            raise CodebookImportError(source, "the project holds no codebook")
        root = found
    codes = root.find(f"{{{ns}}}Codes")
    if codes is None:
        raise CodebookImportError(source, "it holds no Codes element")
    entries: list[CodebookEntry] = []

    def walk(element: ET.Element) -> None:
        for code in element.findall(f"{{{ns}}}Code"):
            name = (code.get("name") or "").strip()
            description = code.findtext(f"{{{ns}}}Description") or ""
            if name and code.get("isCodable", "true").strip().lower() not in ("false", "0"):
                entries.append(CodebookEntry(name, description.strip(), code.get("color")))
            walk(code)

    walk(codes)
    if not entries:
        raise CodebookImportError(source, "it holds no codable code")
    return entries


# -- project -------------------------------------------------------------------------------


def project_qdpx(
    snapshot: Snapshot,
    corpus: CorpusText,
    *,
    exported_at: datetime | str,
    name: str = "corpus-bot project",
    all_documents: bool = False,
) -> bytes:
    """The team's codes, codings and memos with their documents, as a REFI-QDA project.

    Documents are those with a coding or a memo (every document of the corpus if
    `all_documents`). `exported_at` is the project's creationDateTime — the only field that
    differs between two exports of the same data.
    """
    builder = _ProjectBuilder(snapshot, corpus)
    root = builder.build(name, _stamp(exported_at), all_documents)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _add(archive, "project.qde", _xml_bytes(root))
        for file_name, text in sorted(builder.files.items()):
            _add(archive, f"{SOURCES_DIR}/{file_name}", text.encode("utf-8"))
    return buffer.getvalue()


# Codes, users and sources recur on every selection: remember their GUIDs (bounded).
_folded = lru_cache(maxsize=4096)(fold_name)


@lru_cache(maxsize=4096)
def source_guid(doc_id: str) -> str:
    return stable_guid("source", doc_id)


@lru_cache(maxsize=4096)
def code_guid(code_name: str) -> str:
    return stable_guid("code", _folded(code_name))


@lru_cache(maxsize=4096)
def user_guid(user_key: str) -> str:
    return stable_guid("user", user_key)


def coding_guid(c: Coding) -> str:
    return stable_guid("coding", c.coder_key, _folded(c.code), c.doc_id, c.quote, c.created)


def selection_guid(doc_id: str, start: int, end: int) -> str:
    return stable_guid("selection", doc_id, start, end)


class _ProjectBuilder:
    """Walks a snapshot once, making the XML tree and the `sources/` texts."""

    def __init__(self, snapshot: Snapshot, corpus: CorpusText) -> None:
        self.snapshot = snapshot
        self.corpus = corpus
        self.files: dict[str, str] = {}
        self.notes: list[ET.Element] = []
        self.users = self._used_users()
        self.user_keys = {u.key for u in self.users}

    def build(self, name: str, created: str, all_documents: bool) -> ET.Element:
        s = self.snapshot
        root = ET.Element(
            "Project",
            {
                "xmlns": PROJECT_NS,
                "name": _safe(name),
                "origin": ORIGIN,
                "creationDateTime": created,
            },
        )
        if self.users:
            users_el = ET.SubElement(root, "Users")
            for u in self.users:
                ET.SubElement(
                    users_el,
                    "User",
                    {"guid": user_guid(u.key), "name": _safe(u.display_name), "id": _safe(u.key)},
                )
        memos_by_code: dict[str, list[Memo]] = defaultdict(list)
        for m in s.memos:
            if m.kind == "code":
                memos_by_code[fold_name(m.target)].append(m)
        if s.codes:
            codes_el = ET.SubElement(ET.SubElement(root, "CodeBook"), "Codes")
            for code in _sorted_codes(s.codes):
                el = _code_element(codes_el, code)
                for m in memos_by_code.get(fold_name(code.name), []):
                    ET.SubElement(el, "NoteRef", {"targetGUID": self._memo_note(m)})
        sources = self._sources(all_documents)
        if len(sources):
            root.append(sources)
        orphans = self._orphan_notes()
        if self.notes:
            notes_el = ET.SubElement(root, "Notes")
            notes_el.extend(self.notes)
        for guid in orphans:
            ET.SubElement(root, "NoteRef", {"targetGUID": guid})
        return root

    def _used_users(self) -> list[User]:
        s = self.snapshot
        keys = {c.coder_key for c in s.codings} | {m.author_key for m in s.memos}
        keys |= {c.created_by for c in s.codes if c.created_by}
        return sorted((u for u in s.users if u.key in keys), key=lambda u: u.key)

    def _documents(self, all_documents: bool) -> list[str]:
        s = self.snapshot
        wanted = {c.doc_id for c in s.codings}
        wanted |= {m.doc_id for m in s.memos if m.kind != "code" and m.doc_id}
        ids = self.corpus.doc_ids()
        if not all_documents:
            ids = [d for d in ids if d in wanted]
        return ids

    def _sources(self, all_documents: bool) -> ET.Element:
        s = self.snapshot
        codings_by_doc: dict[str, list[Coding]] = defaultdict(list)
        for c in s.codings:
            codings_by_doc[c.doc_id].append(c)
        memos_by_doc: dict[str, list[Memo]] = defaultdict(list)
        for m in s.memos:
            if m.kind != "code" and m.doc_id:
                memos_by_doc[m.doc_id].append(m)
        sources = ET.Element("Sources")
        for doc_id in self._documents(all_documents):
            sources.append(self._source(doc_id, codings_by_doc[doc_id], memos_by_doc[doc_id]))
        return sources

    def _source(self, doc_id: str, codings: list[Coding], memos: list[Memo]) -> ET.Element:
        guid = source_guid(doc_id)
        text = self.corpus.text(doc_id)
        self.files[f"{guid}.txt"] = text
        document = self.corpus.documents.get(doc_id)
        title = document.title if document is not None else doc_id
        source = ET.Element(
            "TextSource",
            {"guid": guid, "name": _safe(title), "plainTextPath": f"internal://{guid}.txt"},
        )
        ET.SubElement(source, "Description").text = _safe(
            f"corpus-bot document {doc_id}" + (f" ({document.path})" if document else "")
        )
        # Selections: one per span, holding every coding of that span and memos on it.
        spans: dict[tuple[int, int], list[Coding]] = defaultdict(list)
        source_notes: list[str] = []
        for c in codings:
            if c.status == OK and text[c.start : c.end] == c.quote:
                spans[(c.start, c.end)].append(c)
            else:
                source_notes.append(self._lost_coding_note(c))
        span_memos: dict[tuple[int, int], list[Memo]] = defaultdict(list)
        for m in memos:
            if (
                m.kind == "passage"
                and m.status == OK
                and m.start is not None
                and m.end is not None
                and text[m.start : m.end] == m.quote
            ):
                span_memos[(m.start, m.end)].append(m)
                spans.setdefault((m.start, m.end), [])
            else:
                source_notes.append(self._memo_note(m))
        for (start, end), span_codings in sorted(spans.items()):
            span_codings.sort(key=lambda c: (c.created, c.id))
            attrs = {
                "guid": selection_guid(doc_id, start, end),
                "name": _safe(_short(text[start:end])),
                "startPosition": str(start),
                "endPosition": str(end),
            }
            first = span_codings[0] if span_codings else None
            if first is not None:
                attrs["creatingUser"] = user_guid(first.coder_key)
                attrs["creationDateTime"] = first.created
            selection = ET.SubElement(source, "PlainTextSelection", attrs)
            for c in span_codings:
                coding = ET.SubElement(
                    selection,
                    "Coding",
                    {
                        "guid": coding_guid(c),
                        "creatingUser": user_guid(c.coder_key),
                        "creationDateTime": c.created,
                    },
                )
                ET.SubElement(coding, "CodeRef", {"targetGUID": code_guid(c.code)})
                if c.memo:
                    ET.SubElement(coding, "NoteRef", {"targetGUID": self._coding_memo_note(c)})
            for m in span_memos.get((start, end), []):
                ET.SubElement(selection, "NoteRef", {"targetGUID": self._memo_note(m)})
        for guid in source_notes:
            ET.SubElement(source, "NoteRef", {"targetGUID": guid})
        return source

    def _orphan_notes(self) -> list[str]:
        """Notes for what belongs to a document the corpus no longer has."""
        known = set(self.corpus.doc_ids())
        guids = [self._lost_coding_note(c) for c in self.snapshot.codings if c.doc_id not in known]
        guids += [
            self._memo_note(m)
            for m in self.snapshot.memos
            if m.kind != "code" and m.doc_id and m.doc_id not in known
        ]
        return guids

    # -- notes -------------------------------------------------------------------------------

    def _note(self, guid: str, name: str, text: str, user_key: str, created: str) -> str:
        attrs = {"guid": guid, "name": _safe(name)}
        if user_key in self.user_keys:
            attrs["creatingUser"] = user_guid(user_key)
        attrs["creationDateTime"] = created
        note = ET.Element("Note", attrs)
        ET.SubElement(note, "PlainTextContent").text = _safe(text)
        self.notes.append(note)
        return guid

    def _memo_note(self, m: Memo) -> str:
        guid = stable_guid("memo", m.kind, m.target, m.author_key, m.created)
        where = {"passage": "passage", "code": "code", "document": "document"}[m.kind]
        text = m.text
        if m.kind == "passage" and m.status != OK:
            text += f"\n\n[Needs attention: the passage's quote is no longer found.]\n«{m.quote}»"
        return self._note(
            guid, f"Memo on {where} {m.target} by {m.author}", text, m.author_key, m.updated
        )

    def _coding_memo_note(self, c: Coding) -> str:
        guid = stable_guid("coding memo", coding_guid(c))
        return self._note(
            guid, f"Memo by {c.coder} on coding '{c.code}'", c.memo, c.coder_key, c.created
        )

    def _lost_coding_note(self, c: Coding) -> str:
        guid = stable_guid("lost coding", coding_guid(c))
        text = (
            f"Needs attention: this coding's quote is no longer found in document {c.doc_id}.\n"
            f"Code: {c.code}\nCoder: {c.coder}\nPassage: {c.passage_id}\n"
            f"Quote: «{c.quote}»"
        )
        if c.memo:
            text += f"\nMemo: {c.memo}"
        return self._note(
            guid, f"Coding '{c.code}' by {c.coder} (needs attention)", text, c.coder_key, c.created
        )


# -- helpers -------------------------------------------------------------------------------


def _code_element(parent: ET.Element, code: Code) -> ET.Element:
    attrs = {"guid": code_guid(code.name), "name": _safe(code.name), "isCodable": "true"}
    if code.colour:
        attrs["color"] = code.colour
    el = ET.SubElement(parent, "Code", attrs)
    if code.description:
        ET.SubElement(el, "Description").text = _safe(code.description)
    return el


def _sorted_codes(codes: Iterable[Code]) -> list[Code]:
    return sorted(codes, key=lambda c: (fold_name(c.name), c.name))


def _xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    # Serialising to str and encoding once is several times faster than ET's encoded writer.
    text = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n").encode("utf-8")


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def _safe(text: str) -> str:
    """Text XML 1.0 can carry: forbidden control characters become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _short(quote: str) -> str:
    flat = " ".join(quote.split())
    return flat if len(flat) <= SELECTION_NAME_CHARS else flat[: SELECTION_NAME_CHARS - 1] + "…"


def _stamp(moment: datetime | str) -> str:
    if isinstance(moment, str):
        return moment
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
