"""Adding and removing corpus files: safe names, the size before the bytes, the real type, the
same reader as the corpus, atomic writes, nothing deleted — and every bad file refused with the
folder untouched."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from bot.corpus_files import (
    REMOVED,
    FileRefused,
    add_file,
    check_upload,
    prepare_file,
    remove_document,
    safe_file_name,
)
from bot.engine.corpus import load_corpus
from bot.engine.readers.pdf import NO_TEXT
from bot.engine.readers.web import NO_MAIN_TEXT
from bot.settings import CorpusSettings, Settings
from tests.engine.readers.builders import (
    FIXTURES,
    DocxItem,
    PdfPage,
    PdfSpec,
    make_blank_pdf,
    make_docx,
    make_pdf,
)

Write = Callable[[dict[str, str | bytes]], Path]
ENCRYPTED = FIXTURES / "pdf" / "encrypted-rc4-128.pdf"
needs_fixtures = pytest.mark.skipif(not ENCRYPTED.is_file(), reason="../shared/fixtures missing")

NOTES = (
    "Field Notes\n\nPatrols along the northern border doubled during the spring, said the report.\n"
)
FIRST = "Inspections at the harbour found containers with undeclared chemical precursors."
SECOND = "Training for the municipal police ran through the winter in three northern states."
SECTION = "Harbour controls"


def report_pdf() -> bytes:
    """Two pages with known text; the first opens the section `Harbour controls`."""
    return make_pdf(
        PdfSpec(
            [PdfPage([FIRST], bookmark=(0, SECTION)), PdfPage([SECOND])],
            title="Harbour Inspections",
            author="Ana López",
        )
    )


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.fixture
def corpus(write_corpus: Write) -> Path:
    return write_corpus({"notes.txt": NOTES})


@pytest.fixture
def settings(corpus: Path) -> Settings:
    """Settings over the corpus, with a 2 MB unpacking limit so a small zip bomb trips it."""
    limits = CorpusSettings(folder=corpus.name, max_unpacked_mb=2.0)
    return replace(Settings(), base_dir=str(corpus.parent), corpus=limits)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under the folder (hidden ones too) with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_pdf_is_read_then_written_and_loads_with_its_pages(settings: Settings) -> None:
    """The prepared PDF says title, pages, passages and first section; once added, the corpus
    loads it with each passage on its page, and no temporary file is left behind."""
    prepared = prepare_file(settings, "harbour.pdf", report_pdf())
    doc = prepared.document
    assert (doc.doc_id, doc.title, doc.pages, doc.passage_count) == (
        "harbour",
        "Harbour Inspections",
        2,
        2,
    )
    assert prepared.first_section == SECTION
    before = snapshot(settings.corpus_dir)
    add_file(settings, prepared)
    after = snapshot(settings.corpus_dir)
    assert set(after) - set(before) == {"harbour.pdf"}
    corpus = load_corpus(settings)
    pages = {p.text[:20]: p.page for p in corpus.passages_of("harbour")}
    assert pages == {FIRST[:20]: "1", SECOND[:20]: "2"}


BAD_FILES: list[tuple[str, Callable[[], bytes], str]] = [
    ("scan.pdf", make_blank_pdf, NO_TEXT),
    (
        "locked.pdf",
        lambda: make_pdf(PdfSpec([PdfPage([FIRST])], user_password="secret")),
        "the PDF is encrypted",
    ),
    ("cut.pdf", lambda: report_pdf()[:900], "a damaged or truncated PDF"),
    (
        "photos.docx",
        lambda: zip_of({"photos/a.jpg": b"\xff\xd8\xff" + b"x" * 100}),
        "a zip archive, not a Word document",
    ),
    (
        "bomb.docx",
        lambda: zip_of(
            {"word/document.xml": b"<w:document/>", "word/media/x.bin": b"\0" * 3_000_000}
        ),
        "over the 2 MB limit (a zip bomb?)",
    ),
    (
        "menu.html",
        lambda: b"<html><body><nav><a href='/'>Home</a></nav><script>x=1</script></body></html>",
        NO_MAIN_TEXT,
    ),
    (
        "report.pdf",
        lambda: b"<!DOCTYPE html><html><body><p>404 Not Found</p></body></html>",
        "the name says a PDF but the file holds an HTML page",
    ),
    ("notes2.txt", report_pdf, "the name says plain text but the file holds a PDF"),
    ("letter.docx", lambda: make_pdf(PdfSpec([PdfPage([FIRST])])), "says a Word document"),
    ("blob.txt", lambda: bytes(range(256)) * 8, "it is a binary file"),
    ("blank.md", lambda: b"   \n\n  ", "the file is empty"),
    ("debris.txt", lambda: b"See also Something else\nExplore More:\n", "no text is left"),
]


@pytest.mark.parametrize(("name", "make", "reason"), BAD_FILES, ids=[n for n, _, _ in BAD_FILES])
def test_a_bad_file_is_refused_naming_it_and_nothing_changes(
    settings: Settings, name: str, make: Callable[[], bytes], reason: str
) -> None:
    """Scanned, encrypted, truncated, renamed zip, zip bomb, no main text, bytes that are not what
    the name says, binary, blank, only debris: refused with the file's name and the reason; the
    folder unchanged."""
    before = snapshot(settings.corpus_dir)
    with pytest.raises(FileRefused) as refused:
        prepare_file(settings, name, make())
    assert str(refused.value).startswith(f"{name}: ")
    assert reason in refused.value.reason
    assert snapshot(settings.corpus_dir) == before


@needs_fixtures
def test_the_real_encrypted_pdf_is_refused_as_encrypted(settings: Settings) -> None:
    """The RC4-encrypted fixture is refused as encrypted, not as damaged."""
    with pytest.raises(FileRefused, match=r"locked\.pdf: the PDF is encrypted"):
        prepare_file(settings, "locked.pdf", ENCRYPTED.read_bytes())


def test_a_huge_upload_is_refused_from_its_declared_size(settings: Settings) -> None:
    """200 MB declared: refused before any byte is read, saying the size and the limit."""
    with pytest.raises(FileRefused) as refused:
        check_upload("big.pdf", 200 * 1024 * 1024, settings)
    assert str(refused.value) == "big.pdf: it is 210 MB, over the corpus's 64 MB limit"
    assert check_upload("small.pdf", 1000, settings) == "small.pdf"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../../etc/passwd", "may not contain a path"),
        ("..", "may not contain a path"),
        ("sub/report.pdf", "may not contain a path"),
        ("sub\\report.pdf", "may not contain a path"),
        (".hidden.pdf", "hidden files"),
        ("CON.pdf", "reserved by Windows"),
        ("nul.txt", "reserved by Windows"),
        ("lpt1.report.md", "reserved by Windows"),
        ("report.pdf.", "may not end with a space or a dot"),
        ("re\x00port.pdf", "may not contain '\\x00'"),
        ("what?.pdf", "may not contain '?'"),
        ("setup.exe", "the corpus holds only"),
        ("passwd", "the corpus holds only"),
        ("x" * 300 + ".pdf", "longer than 255 bytes"),
        ("   ", "the file has no name"),
    ],
)
def test_unsafe_names_are_refused(settings: Settings, name: str, reason: str) -> None:
    """Paths, `..`, hidden, reserved, control characters, odd endings and unknown formats."""
    with pytest.raises(FileRefused) as refused:
        safe_file_name(name, settings.corpus.extensions)
    assert reason in refused.value.reason
    assert safe_file_name("Informe 2021 (final).pdf", (".pdf",)) == "Informe 2021 (final).pdf"
    assert safe_file_name("CONTROL.pdf", (".pdf",)) == "CONTROL.pdf"  # only the exact names


def test_no_overwrite_without_replace_and_replace_keeps_the_old_file(settings: Settings) -> None:
    """The same name is refused; with replace the new bytes go in and the old file is moved to
    .removed/, never deleted."""
    folder = settings.corpus_dir
    new = (
        "Field Notes\n\nPatrols along the southern border fell during the summer, said a report.\n"
    )
    with pytest.raises(FileRefused, match="already has a file of that name; use replace"):
        prepare_file(settings, "notes.txt", new.encode())
    add_file(settings, prepare_file(settings, "notes.txt", new.encode(), replace=True))
    assert (folder / "notes.txt").read_text(encoding="utf-8") == new
    assert (folder / REMOVED / "notes.txt").read_text(encoding="utf-8") == NOTES
    assert "southern" in load_corpus(settings).passages_of("notes")[0].text


def test_a_second_file_with_the_same_document_id_is_refused(settings: Settings) -> None:
    """notes.pdf beside notes.txt would share the id `notes`: refused; with replace, the text
    file moves to .removed/ and the PDF takes its place."""
    folder = settings.corpus_dir
    with pytest.raises(FileRefused, match=r"already has 'notes\.txt', with the same document id"):
        prepare_file(settings, "notes.pdf", report_pdf())
    add_file(settings, prepare_file(settings, "notes.pdf", report_pdf(), replace=True))
    assert not (folder / "notes.txt").exists() and (folder / REMOVED / "notes.txt").exists()
    assert load_corpus(settings).documents["notes"].format == "pdf"


def test_two_adds_of_one_name_at_once_leave_one_file_and_refuse_the_other(
    settings: Settings,
) -> None:
    """Both checked before either wrote (the race): the second write is refused, the first
    file stays whole, and no temporary file is left."""
    first = prepare_file(settings, "harbour.pdf", report_pdf())
    second = prepare_file(settings, "harbour.pdf", make_pdf(PdfSpec([PdfPage([SECOND])])))
    add_file(settings, first)
    with pytest.raises(FileRefused, match=r"harbour\.pdf: a file of that name was added meanwhile"):
        add_file(settings, second)
    files = snapshot(settings.corpus_dir)
    assert files["harbour.pdf"] == first.raw
    assert set(files) == {"notes.txt", "harbour.pdf"}


def test_remove_moves_the_file_aside_and_the_loader_skips_it(
    settings: Settings, write_corpus: Write
) -> None:
    """The file moves to .removed/ (a hidden folder the loader never reads); removing a second
    file of the same name keeps both copies there."""
    folder = write_corpus({"extra.txt": NOTES.replace("Field", "Extra")})
    corpus = load_corpus(settings)
    remove_document(settings, corpus.documents["notes"])
    assert (folder / REMOVED / "notes.txt").read_text(encoding="utf-8") == NOTES
    assert set(load_corpus(settings).documents) == {"extra"}
    (folder / "notes.txt").write_text(NOTES, encoding="utf-8")
    remove_document(settings, load_corpus(settings).documents["notes"])
    assert len(list((folder / REMOVED).glob("notes*.txt"))) == 2


def test_every_change_can_be_undone(settings: Settings, write_corpus: Write) -> None:
    """An add (with a replace) and a remove, undone, leave the folder byte for byte as before."""
    write_corpus({"extra.txt": NOTES.replace("Field", "Extra")})
    folder = settings.corpus_dir
    before = snapshot(folder)
    added = add_file(
        settings, prepare_file(settings, "notes.md", b"# New\n\n" + b"word " * 30, replace=True)
    )
    added.undo()
    assert {k: v for k, v in snapshot(folder).items() if not k.startswith(REMOVED)} == before
    removed = remove_document(settings, load_corpus(settings).documents["extra"])
    removed.undo()
    assert {k: v for k, v in snapshot(folder).items() if not k.startswith(REMOVED)} == before


def test_the_metadata_sidecar_applies_to_an_added_file(settings: Settings) -> None:
    """A sidecar entry waiting for `harbour` names the prepared document."""
    (settings.corpus_dir / "metadata.yaml").write_text(
        "harbour:\n  title: Port Controls 2021\n", encoding="utf-8"
    )
    assert (
        prepare_file(settings, "harbour.pdf", report_pdf()).document.title == "Port Controls 2021"
    )


def test_a_word_document_with_a_renamed_extension_case_is_read(settings: Settings) -> None:
    """`REPORT.DOCX` is a Word document like `report.docx`."""
    raw = make_docx([DocxItem("Report", style="Title"), DocxItem(FIRST), DocxItem(SECOND)])
    assert prepare_file(settings, "REPORT.DOCX", raw).document.format == "docx"
