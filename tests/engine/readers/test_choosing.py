"""Choosing a reader by the bytes, text encodings, line numbers, and a folder of every format."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.engine.corpus import load_corpus
from bot.engine.readers.sniffing import sniff
from bot.settings import CorpusSettings, Settings
from tests.engine.readers.builders import DocxItem, PdfPage, PdfSpec, make_docx, make_pdf

Write = Callable[[dict[str, str | bytes]], Path]
BORDER = "Patrols along the northern border doubled during the spring according to the ministry."
WINTER = "Training for the municipal police ran through the winter in three states of the north."
TEXT = "Title\n\nThis plain text document has enough words to be a passage of its own.\n"


@pytest.mark.parametrize(
    ("raw", "extension", "expected"),
    [
        (b"%PDF-1.7\n...", ".txt", "pdf"),
        (b"<!DOCTYPE html><html><body><p>x</p></body></html>", ".txt", "html"),
        (b"<p>A fragment of a page</p>", ".html", "html"),
        (b"<p>A fragment of a page</p>", ".txt", "text"),
        (b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n", ".txt", "vtt"),
        (b"1\n00:00:01,000 --> 00:00:02,000\nHi\n", ".txt", "srt"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ".txt", "binary"),
        ("Título\n".encode("utf-16"), ".txt", "text"),
    ],
)
def test_sniff_reads_the_bytes_not_the_name(raw: bytes, extension: str, expected: str) -> None:
    """The format comes from the content; the extension only settles an HTML fragment."""
    assert sniff(raw, extension) == expected


def test_bytes_that_do_not_match_the_name(write_corpus: Write) -> None:
    """A PDF named .txt is read as a PDF with a warning; HTML named .pdf (a failed download) is
    skipped; text named .vtt is read as text with a warning."""
    pdf = make_pdf(PdfSpec([PdfPage([BORDER])]))
    files: dict[str, str | bytes] = {
        "saved.txt": pdf,
        "download.pdf": "<!DOCTYPE html><html><body><p>404 Not Found</p></body></html>",
        "notes.vtt": TEXT,
    }
    corpus = load_corpus(Settings(), write_corpus(files))
    assert set(corpus.documents) == {"saved", "notes"}
    assert corpus.documents["saved"].format == "pdf"
    assert corpus.passages_of("saved")[0].page == "1"
    assert corpus.documents["notes"].format == "text"
    assert "saved.txt: named as plain text but holds a PDF; read as a PDF" in corpus.warnings
    assert (
        "download.pdf: skipped, named as a PDF but holds an HTML page (a failed download?)"
        in corpus.warnings
    )
    assert (
        "notes.vtt: named as WebVTT subtitles but holds plain text; read as plain text"
        in corpus.warnings
    )


def test_cp1252_text_keeps_its_accents(write_corpus: Write) -> None:
    """A Windows-1252 file reads "policía" (not "polic�a"), with a warning that it was a guess."""
    text = "Informe\n\nLa policía detuvo a tres personas en la frontera durante la noche.\n"
    corpus = load_corpus(Settings(), write_corpus({"es.txt": text.encode("cp1252")}))
    assert "policía" in corpus.passages[0].text
    (warning,) = corpus.warnings
    assert warning.startswith("es.txt: not valid UTF-8") and "read as cp1252 (a guess" in warning


def test_utf16_with_a_bom_is_text(write_corpus: Write) -> None:
    """A UTF-16 file (NUL bytes, but a BOM) is read as text without a warning."""
    corpus = load_corpus(Settings(), write_corpus({"u16.txt": TEXT.encode("utf-16")}))
    assert corpus.passages[0].text.startswith("This plain text document")
    assert not corpus.warnings


def test_seed_passage_cites_its_line(seeds_engine: Engine) -> None:
    """Seed 000's ¶32 (extrajudicial killings) is line 44 of its file, and has no page."""
    p = seeds_engine.passage("f899896a8ccd")
    assert (p.ordinal, p.line_start, p.line_end) == (32, 44, 44)
    path = seeds_engine.corpus.folder / seeds_engine.corpus.documents[p.doc_id].path
    line_44 = path.read_text(encoding="utf-8").splitlines()[43]
    assert p.text.split()[:4] == line_44.split()[:4]
    assert p.page is None and p.speaker is None and p.timestamp is None


def test_wrapped_paragraph_spans_its_lines(write_corpus: Write) -> None:
    """A hard-wrapped paragraph on lines 3–4 of a Markdown file cites lines 3 to 4."""
    md = "# Notes\n\nResidents of the border towns said\nthat patrols had doubled since spring.\n"
    (p,) = load_corpus(Settings(), write_corpus({"n.md": md})).passages
    assert (p.line_start, p.line_end) == (3, 4)


def test_hits_and_context_carry_locators_only_when_set(write_corpus: Write) -> None:
    """`--json` hits and passage context carry page for a PDF passage and line numbers for a
    text one, and leave out the keys a format does not have."""
    folder = write_corpus({"report.pdf": make_pdf(PdfSpec([PdfPage([BORDER])])), "notes.txt": TEXT})
    engine = Engine.load(replace(Settings(), base_dir=str(folder.parent)), folder=folder)
    (pdf_hit,) = engine.search("northern border").hits
    assert pdf_hit.to_json()["page"] == "1"
    assert not {"page_end", "line_start", "speaker", "timestamp"} & pdf_hit.to_json().keys()
    text_hit = engine.search("plain text document").hits[0]
    assert (text_hit.to_json()["line_start"], text_hit.to_json()["line_end"]) == (3, 3)
    assert "page" not in text_hit.to_json()
    context = engine.passage_in_context(pdf_hit.passage.id).to_json()
    assert context["passage"]["page"] == "1" and "line_start" not in context["passage"]
    json.dumps(context)


def test_a_folder_of_every_format_loads(write_corpus: Write) -> None:
    """PDF, HTML, DOCX, TXT, MD, VTT and SRT files in one folder all become documents, and a
    search finds the PDF passage with its page."""
    html = "<html><body><article><h1>Web</h1><p>" + "The harbour was inspected. " * 5
    files: dict[str, str | bytes] = {
        "a.pdf": make_pdf(PdfSpec([PdfPage([WINTER]), PdfPage([BORDER])])),
        "b.html": html + "</p></article></body></html>",
        "c.docx": make_docx([DocxItem("Training of the municipal police ran all winter long.")]),
        "d.txt": TEXT,
        "e.md": "# Markdown\n\nA markdown document with a paragraph that is long enough.\n",
        "f.vtt": "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nA spoken sentence about patrols.\n",
        "g.srt": "1\n00:00:01,000 --> 00:00:03,000\nA subtitle line about checkpoints.\n",
    }
    settings = replace(Settings(), corpus=CorpusSettings())
    engine = Engine.load(settings, folder=write_corpus(files))
    formats = {d.doc_id: d.format for d in engine.documents}
    assert formats == {
        "a": "pdf",
        "b": "html",
        "c": "docx",
        "d": "text",
        "e": "markdown",
        "f": "vtt",
        "g": "srt",
    }
    hit = engine.search("northern border patrols").hits[0]
    assert hit.passage.doc_id == "a" and hit.passage.page == "2"
    assert not engine.corpus.warnings
