"""DOCX: paragraphs and tables in body order, headings from styles, core properties, bad zips."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from bot.engine.corpus import load_corpus
from bot.settings import CorpusSettings, Settings
from tests.engine.readers.builders import FIXTURES, DocxItem, make_docx

Write = Callable[[dict[str, str | bytes]], Path]
BLOCKS = FIXTURES / "docx" / "blk-paras-and-tables.docx"
needs_fixtures = pytest.mark.skipif(not BLOCKS.is_file(), reason="../shared/fixtures not present")

OPENING = "The state police and the army signed a cooperation agreement in the spring of 2019."
AFTER = "After the table, the report turns to the training programmes of the municipal police."
INTRO = "The agreement lists these duties for the joint command of both forces:"


def report_docx() -> bytes:
    return make_docx(
        [
            DocxItem("Joint Operations Report", style="Title"),
            DocxItem(OPENING),
            DocxItem("Arrests by Year", style="Heading 1"),
            DocxItem(rows=[["Year", "Arrests", "Region"], ["2019", "1,204", "North"]]),
            DocxItem(AFTER),
            DocxItem("Duties", style="Heading 2"),
            DocxItem(INTRO),
            DocxItem("patrols on the federal highways", style="List Bullet"),
            DocxItem("escorting convoys of seized goods", style="List Bullet"),
        ],
        title="Old template title",
        author="Ana López",
        created=dt.datetime(2020, 6, 1, 9, 30),
    )


def test_body_order_tables_headings_and_lists(write_corpus: Write) -> None:
    """Paragraphs and table rows come in body order, a row's cells joined; headings name
    sections; list items join their intro line."""
    corpus = load_corpus(Settings(), write_corpus({"report.docx": report_docx()}))
    doc = corpus.documents["report"]
    assert doc.title == "Joint Operations Report" and doc.format == "docx"
    assert doc.sections == ("Arrests by Year", "Duties")
    first, table, listed = corpus.passages
    assert first.text == OPENING and first.section is None
    # The short table merges with the paragraph after it, as short fragments do.
    assert table.text == "Year | Arrests | Region\n2019 | 1,204 | North\n" + AFTER
    assert table.section == "Arrests by Year"
    assert listed.section == "Duties" and listed.text.startswith(INTRO)
    assert listed.text.count("\n• ") == 2


def test_core_properties_are_the_metadata(write_corpus: Write) -> None:
    """The author and creation date come from the core properties."""
    corpus = load_corpus(Settings(), write_corpus({"report.docx": report_docx()}))
    doc = corpus.documents["report"]
    assert doc.authors == ("Ana López",) and doc.date == "2020-06-01"


@needs_fixtures
def test_real_docx_reads_paragraphs_and_tables_in_order(write_corpus: Write) -> None:
    """python-docx's own test file: paragraph, table cell text, paragraph, in that order."""
    corpus = load_corpus(Settings(), write_corpus({"blk.docx": BLOCKS.read_bytes()}))
    text = "\n".join(p.text for p in corpus.passages)
    assert text.index("Lorem ipsum") < text.index("Text before Text after") < text.index("Donec")
    assert corpus.documents["blk"].authors == ("Steve Canny",)


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_bad_word_files_are_skipped_with_the_reason(write_corpus: Write) -> None:
    """A renamed zip, a truncated .docx, an old binary .doc and a zip bomb are each skipped with
    a warning naming the file and the reason; the good document loads."""
    good = report_docx()
    bomb = zip_of({"word/document.xml": b"<w:document/>", "word/media/x.bin": b"\0" * 3_000_000})
    files: dict[str, str | bytes] = {
        "renamed.docx": zip_of({"photos/a.jpg": b"\xff\xd8\xff" + b"x" * 100}),
        "truncated.docx": good[: len(good) // 2],
        "old.docx": bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 600,
        "bomb.docx": bomb,
        "good.docx": good,
    }
    settings = replace(Settings(), corpus=CorpusSettings(max_unpacked_mb=2.0))
    corpus = load_corpus(settings, write_corpus(files))
    assert set(corpus.documents) == {"good"}
    reasons = {
        "renamed.docx": "a zip archive, not a Word document",
        "truncated.docx": "a damaged or truncated zip archive",
        "old.docx": "an old binary Office file",
        "bomb.docx": "it would unpack to 3 MB, over the 2 MB limit (a zip bomb?)",
    }
    for name, reason in reasons.items():
        assert any(w.startswith(f"{name}: skipped, {reason}") for w in corpus.warnings), (
            name,
            corpus.warnings,
        )
