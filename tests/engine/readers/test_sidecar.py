"""The metadata sidecar: completes and overrides extracted metadata; its mistakes are warnings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from bot.engine.corpus import load_corpus
from bot.settings import CorpusSettings, Settings
from tests.engine.readers.builders import PdfPage, PdfSpec, make_pdf

Write = Callable[[dict[str, str | bytes]], Path]
TEXT = "Border Notes\n\nPatrols along the northern border doubled during the spring this year.\n"
PDF_TEXT = "Inspections at the harbour found containers with undeclared chemical precursors."


def test_yaml_sidecar_overrides_and_completes_metadata(write_corpus: Write) -> None:
    """Title, authors, date, url, site and language from metadata.yaml win over what the file
    says; the sidecar is not itself a document; passages carry the new title."""
    sidecar = """
notes:
  title: Notes from the Border
  authors: [Ana López, John Smith]
  date: 2021-03-15
  url: https://example.org/notes
  site: Field Archive
  language: es
report:
  title: Harbour Inspections 2021
  authors: "María Pérez; Juan Ruiz"
"""
    pdf = make_pdf(PdfSpec([PdfPage([PDF_TEXT])], title="Harbour Report", author="Nobody"))
    folder = write_corpus({"notes.txt": TEXT, "report.pdf": pdf, "metadata.yaml": sidecar})
    corpus = load_corpus(Settings(), folder)
    assert set(corpus.documents) == {"notes", "report"} and not corpus.warnings
    notes = corpus.documents["notes"]
    assert (notes.title, notes.authors) == ("Notes from the Border", ("Ana López", "John Smith"))
    assert (notes.date, notes.url, notes.site, notes.language) == (
        "2021-03-15",
        "https://example.org/notes",
        "Field Archive",
        "es",
    )
    assert corpus.passages_of("notes")[0].title == "Notes from the Border"
    report = corpus.documents["report"]
    assert report.title == "Harbour Inspections 2021"  # the PDF says "Harbour Report"
    assert report.authors == ("María Pérez", "Juan Ruiz")  # the PDF says "Nobody"
    assert report.date == "2021-03-15"  # not in the sidecar: the PDF's own


def test_csv_sidecar(write_corpus: Write) -> None:
    """metadata.csv: an id column, authors separated by ";", empty cells leave a field alone."""
    sidecar = "id,title,authors,date\nnotes,Notes from the Border,Ana López; John Smith,2021\n"
    corpus = load_corpus(Settings(), write_corpus({"notes.txt": TEXT, "metadata.csv": sidecar}))
    notes = corpus.documents["notes"]
    assert (notes.title, notes.authors, notes.date, notes.url) == (
        "Notes from the Border",
        ("Ana López", "John Smith"),
        "2021",
        None,
    )


def test_sidecar_is_not_a_document_even_when_its_extension_is_listed(write_corpus: Write) -> None:
    """With ".csv" among the corpus extensions, metadata.csv is still read as the sidecar only."""
    sidecar = "id,title\nnotes,Notes from the Border\n"
    files: dict[str, str | bytes] = {"notes.txt": TEXT, "metadata.csv": sidecar}
    settings = replace(Settings(), corpus=CorpusSettings(extensions=(".txt", ".csv")))
    corpus = load_corpus(settings, write_corpus(files))
    assert set(corpus.documents) == {"notes"}
    assert corpus.documents["notes"].title == "Notes from the Border"


def test_sidecar_mistakes_name_the_file_the_document_and_the_key(write_corpus: Write) -> None:
    """A bad date, an unknown key and an unknown document are warnings naming file, document and
    key; the good keys still apply and the corpus loads."""
    sidecar = """
notes:
  title: Notes from the Border
  date: last spring
  editor: Someone
ghost:
  title: Nobody has this id
"""
    corpus = load_corpus(Settings(), write_corpus({"notes.txt": TEXT, "metadata.yaml": sidecar}))
    assert corpus.documents["notes"].title == "Notes from the Border"
    assert corpus.documents["notes"].date is None
    assert (
        "metadata.yaml: notes: date: expected a date like 2021, 2021-03 or 2021-03-15, "
        "got str 'last spring'" in corpus.warnings
    )
    assert any(w.startswith("metadata.yaml: notes: unknown key 'editor'") for w in corpus.warnings)
    assert any(
        w.startswith("metadata.yaml: ghost: no document has this id") for w in corpus.warnings
    )


def test_broken_sidecar_is_ignored_with_a_warning(write_corpus: Write) -> None:
    """A sidecar that is not valid YAML is ignored, said so, and the documents load as read."""
    corpus = load_corpus(
        Settings(), write_corpus({"notes.txt": TEXT, "metadata.yaml": "notes: [unclosed\n"})
    )
    assert corpus.documents["notes"].title == "Border Notes"
    assert any(w.startswith("metadata.yaml: not valid YAML") for w in corpus.warnings)


def test_sidecar_changes_the_corpus_version(write_corpus: Write) -> None:
    """Editing the sidecar changes the corpus version (titles shown may have changed)."""
    folder = write_corpus({"notes.txt": TEXT})
    before = load_corpus(Settings(), folder).version
    (folder / "metadata.yaml").write_text("notes:\n  title: Renamed\n", encoding="utf-8")
    assert load_corpus(Settings(), folder).version != before
