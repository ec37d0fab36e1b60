"""REFI-QDA exports validate against the official schemas and every selection cuts its quote."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import xmlschema

from bot.exports import codebook_qdc, project_qdpx, read_qdc
from bot.exports.refi import code_guid, coding_guid
from bot.store import CorpusText, ExportError, Snapshot
from tests.store.builders import pid

SCHEMAS = Path(__file__).resolve().parents[2].parent / "shared" / "refi-qda"
NS = {"p": "urn:QDA-XML:project:1.0", "c": "urn:QDA-XML:codebook:1.0"}
WHEN = "2024-06-01T09:30:00Z"


@pytest.fixture(scope="module")
def project_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / "Project-mrt2019.xsd"))


@pytest.fixture(scope="module")
def codebook_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / "Codebook.xsd"))


def _open(data: bytes) -> tuple[ET.Element, dict[str, str], bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    qde = archive.read("project.qde")
    sources = {
        name.split("/", 1)[1]: archive.read(name).decode("utf-8")
        for name in archive.namelist()
        if name.startswith("sources/")
    }
    return ET.fromstring(qde), sources, qde


def test_project_validates_against_the_official_schema(
    snapshot: Snapshot, corpus: CorpusText, project_schema: xmlschema.XMLSchema
) -> None:
    """project.qde is valid QDA-XML 1.0 (Project-mrt2019.xsd)."""
    _, _, qde = _open(project_qdpx(snapshot, corpus, exported_at=WHEN))
    project_schema.validate(qde.decode("utf-8"))


def test_every_selection_cuts_exactly_its_quote_from_the_shipped_text(
    snapshot: Snapshot, corpus: CorpusText
) -> None:
    """Each PlainTextSelection's start/end cut its codings' quotes out of the file in sources/."""
    root, sources, _ = _open(project_qdpx(snapshot, corpus, exported_at=WHEN))
    by_guid = {coding_guid(c): c for c in snapshot.codings}
    checked = 0
    for source in root.iterfind(".//p:TextSource", NS):
        path = source.get("plainTextPath", "")
        assert path.startswith("internal://")
        text = sources[path.removeprefix("internal://")]
        assert "\r" not in text and not text.startswith("\ufeff")
        for sel in source.iterfind("p:PlainTextSelection", NS):
            start, end = int(sel.get("startPosition", -1)), int(sel.get("endPosition", -1))
            for coding in sel.iterfind("p:Coding", NS):
                assert text[start:end] == by_guid[coding.get("guid", "")].quote
                checked += 1
    ok = [c for c in snapshot.codings if c.status == "ok" and c.doc_id in corpus.documents]
    assert checked == len(ok) == 5


def test_sources_are_the_documents_with_work_on_them(
    snapshot: Snapshot, corpus: CorpusText
) -> None:
    """Coded or memoed documents are shipped (all of them on request), as the store's text."""
    root, sources, _ = _open(project_qdpx(snapshot, corpus, exported_at=WHEN))
    names = [s.get("name") for s in root.iterfind(".//p:TextSource", NS)]
    assert names == ["Alpha Report", "Beta Report"]
    assert sorted(sources.values()) == sorted([corpus.text("alpha"), corpus.text("beta")])
    root, sources, _ = _open(project_qdpx(snapshot, corpus, exported_at=WHEN, all_documents=True))
    assert len(sources) == 3


def test_every_reference_points_at_something_in_the_project(
    snapshot: Snapshot, corpus: CorpusText
) -> None:
    """CodeRefs, NoteRefs and creatingUser GUIDs all resolve; GUIDs are unique."""
    root, _, _ = _open(project_qdpx(snapshot, corpus, exported_at=WHEN))
    guids = [el.get("guid") for el in root.iter() if el.get("guid")]
    assert len(guids) == len(set(guids))
    codes = {el.get("guid") for el in root.iterfind(".//p:CodeBook//p:Code", NS)}
    notes = {el.get("guid") for el in root.iterfind("p:Notes/p:Note", NS)}
    users = {el.get("guid") for el in root.iterfind("p:Users/p:User", NS)}
    assert {el.get("targetGUID") for el in root.iterfind(".//p:CodeRef", NS)} <= codes
    note_refs = [el.get("targetGUID") for el in root.iter(f"{{{NS['p']}}}NoteRef")]
    assert set(note_refs) == notes and len(note_refs) == len(notes)
    assert {el.get("creatingUser") for el in root.iter() if el.get("creatingUser")} <= users


def test_memos_become_notes_where_they_belong(snapshot: Snapshot, corpus: CorpusText) -> None:
    """Code, document, passage and coding memos are Notes referenced from their element."""
    root, _, _ = _open(project_qdpx(snapshot, corpus, exported_at=WHEN))
    notes = {
        n.get("guid"): n.findtext("p:PlainTextContent", namespaces=NS)
        for n in root.iterfind("p:Notes/p:Note", NS)
    }

    def texts(element: ET.Element) -> list[str | None]:
        return [notes[r.get("targetGUID")] for r in element.iterfind("p:NoteRef", NS)]

    corruption = root.find(f".//p:Code[@guid='{code_guid('corruption')}']", NS)
    assert corruption is not None and texts(corruption) == ["Code memo: see the 2019 audit."]
    beta = root.find(".//p:TextSource[@name='Beta Report']", NS)
    assert beta is not None and texts(beta) == ["A press digest."]
    selections = list(beta.iterfind("p:PlainTextSelection", NS))
    memo_only = [s for s in selections if s.find("p:Coding", NS) is None]
    assert [texts(s) for s in memo_only] == [["Memo on an uncoded passage."]]
    coding_memos = [notes[r.get("targetGUID")] for r in root.iterfind(".//p:Coding/p:NoteRef", NS)]
    assert sorted(coding_memos) == ["**why** <@123>", "list item"]  # type: ignore[type-var]


def test_codings_whose_quote_is_gone_are_exported_as_notes_with_their_quote(
    snapshot: Snapshot, corpus: CorpusText
) -> None:
    """Needs-attention codings and those of a removed document keep their quote, as notes."""
    root, _, _ = _open(project_qdpx(snapshot, corpus, exported_at=WHEN))
    contents = [
        n.findtext("p:PlainTextContent", namespaces=NS) or ""
        for n in root.iter(f"{{{NS['p']}}}Note")
    ]
    lost = [c for c in contents if c.startswith("Needs attention")]
    assert len(lost) == 2
    assert any("reported extrajudicial killings" in c for c in lost)
    assert any("This document will be removed" in c for c in lost)
    assert len(root.findall("p:NoteRef", NS)) == 1  # the removed document's, on the project


def test_same_data_gives_the_same_bytes_but_for_the_timestamp(
    snapshot: Snapshot, corpus: CorpusText
) -> None:
    """Two exports are byte-identical; another export time changes only creationDateTime."""
    first = project_qdpx(snapshot, corpus, exported_at=WHEN)
    assert project_qdpx(snapshot, corpus, exported_at=WHEN) == first
    later = project_qdpx(snapshot, corpus, exported_at="2025-01-01T00:00:00Z")
    _, sources_a, qde_a = _open(first)
    _, sources_b, qde_b = _open(later)
    assert sources_a == sources_b
    assert qde_a.replace(WHEN.encode(), b"2025-01-01T00:00:00Z") == qde_b


def test_codebook_validates_and_round_trips(
    snapshot: Snapshot, codebook_schema: xmlschema.XMLSchema
) -> None:
    """The .qdc is valid Codebook.xsd; reading it back gives the codes, colours, descriptions."""
    data = codebook_qdc(snapshot.codes)
    codebook_schema.validate(data.decode("utf-8"))
    entries = read_qdc(data)
    assert [(e.name, e.description, e.colour) for e in entries] == [
        ("corruption", "", None),
        ("Émoji", "Odd characters.", "#ff8800"),
        ("human-rights", 'Rights & <abuses> by "forces".', None),
    ]
    assert codebook_qdc(snapshot.codes) == data


def test_code_guids_are_the_same_in_the_codebook_and_the_project(
    snapshot: Snapshot, corpus: CorpusText
) -> None:
    """A code keeps one GUID across exports (uuid5 of its folded name)."""
    book = ET.fromstring(codebook_qdc(snapshot.codes))
    root, _, _ = _open(project_qdpx(snapshot, corpus, exported_at=WHEN))
    in_book = {c.get("name"): c.get("guid") for c in book.iterfind(".//c:Code", NS)}
    in_project = {c.get("name"): c.get("guid") for c in root.iterfind(".//p:Code", NS)}
    assert in_book == in_project and in_book["corruption"] == code_guid("Corruption")


def test_an_empty_codebook_is_a_clear_error() -> None:
    """Exporting a codebook with no code says so (the schema needs at least one)."""
    with pytest.raises(ExportError, match="no code"):
        codebook_qdc([])


def test_control_characters_do_not_break_the_xml(
    store: object, corpus: CorpusText, project_schema: xmlschema.XMLSchema
) -> None:
    """A memo with a control character still gives well-formed, valid XML."""
    from bot.store import Actor, CodebookEntry, Store

    assert isinstance(store, Store)
    store.sync_codebook([CodebookEntry("x")])
    store.code(
        corpus.anchor(pid("gamma", 0, {"gamma": ["A document nobody coded."]})),
        "x",
        Actor.local("z"),
        memo="bell \x07 here",
    )
    _, _, qde = _open(project_qdpx(store.snapshot(), corpus, exported_at=WHEN))
    project_schema.validate(qde.decode("utf-8"))


def test_stable_guid_is_uuid5_of_the_natural_key() -> None:
    """The inlined GUID maker gives exactly uuid5(NAMESPACE, key)."""
    import uuid

    from bot.exports.citation import NAMESPACE, stable_guid

    for parts in [("code", "human rights"), ("user", "discord:1"), ("x", "Émoji 🚓", 3)]:
        key = "\x1f".join(str(p) for p in parts)
        assert stable_guid(*parts) == str(uuid.uuid5(NAMESPACE, key))
