"""PDF: text in reading order with the page it stands on, labels, outline, headers, bad files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.engine.corpus import Corpus, load_corpus
from bot.engine.model import Passage
from bot.engine.readers.pdf import NO_TEXT
from bot.settings import Settings
from tests.engine.readers.builders import (
    FIXTURES,
    PdfPage,
    PdfSpec,
    make_blank_pdf,
    make_pdf,
    make_positioned_pdf,
)

Write = Callable[[dict[str, str | bytes]], Path]
DMCA = FIXTURES / "pdf" / "dmca.pdf"
needs_fixtures = pytest.mark.skipif(not DMCA.is_file(), reason="../shared/fixtures not present")

BORDER = "Patrols along the northern border doubled during the spring according to the ministry."
HARBOUR = "Inspections at the harbour found containers with undeclared chemical precursors."
WINTER = "Training for the municipal police ran through the winter in three states of the north."


def load(write_corpus: Write, files: dict[str, str | bytes]) -> Corpus:
    return load_corpus(Settings(), write_corpus(files))


def passage_with(corpus: Corpus, words: str) -> Passage:
    found = [p for p in corpus.passages if words in p.text]
    assert len(found) == 1, (words, [p.text for p in corpus.passages])
    return found[0]


def test_each_passage_knows_the_page_its_text_stands_on(write_corpus: Write) -> None:
    """Text written on pages 1, 2 and 3 is cited as p. 1, 2 and 3 (no labels: 1-based numbers)."""
    pages = [PdfPage([BORDER]), PdfPage([HARBOUR]), PdfPage([WINTER])]
    corpus = load(write_corpus, {"report.pdf": make_pdf(PdfSpec(pages))})
    assert [passage_with(corpus, t[:40]).page for t in (BORDER, HARBOUR, WINTER)] == ["1", "2", "3"]
    assert all(p.page_end is None for p in corpus.passages)
    doc = corpus.documents["report"]
    assert doc.format == "pdf" and doc.pages == 3


def test_page_labels_are_the_pages_the_pdf_shows(write_corpus: Write) -> None:
    """Front matter labelled i, ii and a body starting at 1 are cited by those labels."""
    pages = [
        PdfPage([BORDER], label=("r", 1)),
        PdfPage([HARBOUR]),
        PdfPage([WINTER], label=("D", 1)),
    ]
    corpus = load(write_corpus, {"report.pdf": make_pdf(PdfSpec(pages))})
    assert passage_with(corpus, "northern border").page == "i"
    assert passage_with(corpus, "harbour").page == "ii"
    assert passage_with(corpus, "municipal police").page == "1"


def test_a_paragraph_running_onto_the_next_page_gives_both_pages(write_corpus: Write) -> None:
    """A paragraph broken by a page end is one passage from p. 1 to p. 2, its hyphenated word
    re-joined."""
    pages = [
        PdfPage(
            [BORDER, ["The committee agreed that the patrols along the border would need rein-"]]
        ),
        PdfPage([["forcement before the elections, and that the army would remain in charge."]]),
    ]
    corpus = load(write_corpus, {"report.pdf": make_pdf(PdfSpec(pages))})
    p = passage_with(corpus, "The committee agreed")
    assert "would need reinforcement before the elections" in p.text
    assert (p.page, p.page_end) == ("1", "2")


def test_words_hyphenated_at_a_line_end_are_rejoined(write_corpus: Write) -> None:
    """ "implemen-" at a line end and "tation" on the next line read as "implementation"."""
    lines = [
        "The ministry reported that the implemen-",
        "tation of the agreement was slow in 2019.",
    ]
    corpus = load(write_corpus, {"report.pdf": make_pdf(PdfSpec([PdfPage([BORDER, lines])]))})
    p = passage_with(corpus, "The ministry reported")
    assert "the implementation of the agreement" in p.text


def test_running_headers_and_page_numbers_are_removed(write_corpus: Write) -> None:
    """A header repeated on every page and the bare page numbers appear in no passage."""
    pages = [PdfPage([t]) for t in (BORDER, HARBOUR, WINTER, BORDER.replace("spring", "fall"))]
    spec = PdfSpec(pages, header="Annual Security Report 2021", page_numbers=True)
    corpus = load(write_corpus, {"report.pdf": make_pdf(spec)})
    texts = [p.text for p in corpus.passages]
    assert not any("Annual Security Report" in t for t in texts), texts
    assert not any(t.strip().isdigit() or t.endswith((" 2", " 3", " 4")) for t in texts), texts
    assert corpus.documents["report"].title != "Annual Security Report 2021"


def test_sections_come_from_the_outline(write_corpus: Write) -> None:
    """Bookmarks name the sections of their pages; a heading-like line not in the outline is not
    a section."""
    pages = [
        PdfPage(["Border Patrols", BORDER], bookmark=(0, "Border Patrols")),
        PdfPage(["Looks Like A Heading", HARBOUR], bookmark=(0, "Harbour Inspections")),
    ]
    corpus = load(write_corpus, {"report.pdf": make_pdf(PdfSpec(pages))})
    doc = corpus.documents["report"]
    assert doc.sections == ("Border Patrols", "Harbour Inspections")
    assert passage_with(corpus, "northern border").section == "Border Patrols"
    assert passage_with(corpus, "harbour").section == "Harbour Inspections"


def test_without_an_outline_heading_like_lines_are_sections(write_corpus: Write) -> None:
    """As in a text file, a short unpunctuated line before body text is a section heading."""
    body = [BORDER + " " + WINTER, HARBOUR + " " + WINTER]  # paragraphs of two or three lines
    pages = [PdfPage(["Report Title", "Border Patrols", body[0], "Harbour Inspections", body[1]])]
    corpus = load(write_corpus, {"report.pdf": make_pdf(PdfSpec(pages))})
    assert passage_with(corpus, "harbour").section == "Harbour Inspections"
    assert corpus.documents["report"].sections == ("Border Patrols", "Harbour Inspections")


def test_metadata_title_author_and_creation_date(write_corpus: Write) -> None:
    """The PDF's title, author and creation date become the document's; a first line that is
    not that title stays (here as a heading, as in a text file)."""
    spec = PdfSpec(
        [PdfPage(["Prepared for the State Ministry", BORDER])],
        title="Border Security in 2021",
        author="Ana López; John Smith",
        created=dt.datetime(2021, 3, 15, 10, 0, tzinfo=dt.UTC),
    )
    corpus = load(write_corpus, {"report.pdf": make_pdf(spec)})
    doc = corpus.documents["report"]
    assert doc.title == "Border Security in 2021"
    assert corpus.passages[0].section == "Prepared for the State Ministry"  # not eaten as title
    assert doc.authors == ("Ana López", "John Smith")
    assert doc.date == "2021-03-15"


def test_two_columns_are_read_one_after_the_other(write_corpus: Write) -> None:
    """Text drawn right column first is still read left column, then right column."""
    left = "The left column opens the article and explains how the patrols were organised."
    right = "The right column continues with the results of the harbour inspections."
    pdf = make_positioned_pdf([(110, 30, 85, right), (10, 30, 85, left)])
    corpus = load(write_corpus, {"cols.pdf": pdf})
    text = "\n".join(p.text for p in corpus.passages)
    assert text.index("left column opens") < text.index("right column continues")
    assert "patrols were organised" in passage_with(corpus, "left column").text


def test_a_note_drawn_first_is_read_where_it_stands(write_corpus: Write) -> None:
    """A footnote drawn before the body, at the foot of the page, is read after the body."""
    note = "Source: ministry figures published in the annual statistical yearbook of 2020."
    pdf = make_positioned_pdf([(10, 270, 190, note), (10, 30, 190, BORDER)])
    corpus = load(write_corpus, {"notes.pdf": pdf})
    text = "\n".join(p.text for p in corpus.passages)
    assert text.index("northern border") < text.index("statistical yearbook")


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda: make_blank_pdf(), NO_TEXT),
        (
            lambda: make_pdf(PdfSpec([PdfPage([BORDER])], user_password="secret")),
            "the PDF is encrypted (password-protected)",
        ),
        (lambda: make_pdf(PdfSpec([PdfPage([BORDER])]))[:900], "a damaged or truncated PDF"),
        (lambda: b"%PDF-1.7\n" + bytes(range(256)) * 4, "a damaged or truncated PDF"),
    ],
    ids=["scanned", "encrypted", "truncated", "corrupt"],
)
def test_unreadable_pdfs_are_skipped_with_the_reason(
    write_corpus: Write, make: Callable[[], bytes], reason: str
) -> None:
    """A scanned, encrypted, truncated or corrupt PDF is skipped with a warning naming it and
    saying why; the other documents load."""
    corpus = load(
        write_corpus, {"bad.pdf": make(), "good.pdf": make_pdf(PdfSpec([PdfPage([WINTER])]))}
    )
    assert set(corpus.documents) == {"good"}
    assert any(w.startswith(f"bad.pdf: skipped, {reason}") for w in corpus.warnings), (
        corpus.warnings
    )


@needs_fixtures
def test_real_encrypted_pdf_is_skipped(write_corpus: Write) -> None:
    """The RC4-encrypted fixture is refused as encrypted, not as damaged."""
    raw = (FIXTURES / "pdf" / "encrypted-rc4-128.pdf").read_bytes()
    corpus = load(
        write_corpus, {"locked.pdf": raw, "good.pdf": make_pdf(PdfSpec([PdfPage([WINTER])]))}
    )
    assert "locked.pdf: skipped, the PDF is encrypted" in corpus.warnings[0]


@pytest.fixture(scope="module")
def dmca(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    folder = tmp_path_factory.mktemp("dmca")
    (folder / "dmca.pdf").write_bytes(DMCA.read_bytes())
    return load_corpus(Settings(), folder)


# Checked by rendering the pages and reading them (pages carry no labels; footers say "Page N").
DMCA_PAGES = [
    ("Section 104 of the Copyright Act establishes the conditions of eligibility", "2", None),
    ("Section 1201 contains language clarifying that the prohibition", "4", None),
    ("Section 1201 contains two general savings clauses", "5", None),
    # Starts at the foot of page 3 and ends with "but not the second." at the top of page 4.
    ("unauthorized copying of a copyrighted work", "3", "4"),
]


@needs_fixtures
@pytest.mark.parametrize(("words", "page", "page_end"), DMCA_PAGES)
def test_dmca_passages_cite_the_page_the_words_are_on(
    dmca: Corpus, words: str, page: str, page_end: str | None
) -> None:
    """In the real DMCA summary, a passage's page is the page the sentence is printed on."""
    p = passage_with(dmca, words)
    assert (p.page, p.page_end) == (page, page_end)


@needs_fixtures
def test_dmca_reads_clean(dmca: Corpus) -> None:
    """The DMCA summary: its metadata title, no running header or footer in the passages, a
    hyphenated word re-joined, sections from its headings (one wrapped over two lines)."""
    doc = dmca.documents["dmca"]
    assert doc.title == "The Digital Millennium Copyright Act of 1998" and doc.pages == 18
    texts = [p.text for p in dmca.passages]
    assert not any("Copyright Office Summary December 1998" in t for t in texts)
    assert not any("Page 4" in t for t in texts)
    assert "circumventing a technological measure that prevents copying" in "\n".join(texts)
    assert passage_with(dmca, "Section 1201 contains two general").section == "Savings clauses"
    # A heading set on two lines, the second indented, is one section.
    wrapped = "Limitation for Information Residing on Systems or Networks at the Direction of Users"
    assert wrapped in doc.sections
