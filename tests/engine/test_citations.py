"""/cite: CSL-JSON items from documents, APA 7 and Chicago author-date through citeproc-py with the
official styles, the locator (page, time or ¶), BibTeX, and graceful gaps (n.d., no author)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.engine import Engine, UnknownPassage
from bot.engine.citations import UnknownStyle, cite_passage, render
from bot.engine.csl import (
    Locator,
    bibtex_entry,
    bibtex_escape,
    bibtex_key,
    csl_item,
    csl_name,
    passage_locator,
)
from bot.settings import Settings
from tests.engine.readers.builders import PdfPage, PdfSpec, make_pdf
from tests.rendering import builders as b

Write = Callable[[dict[str, str | bytes]], Path]

REPORT = b.document(
    "harbour",
    "Harbour Inspections",
    authors=("Ana López", "Smith, John"),
    date="2021-03-15",
    site="Port Authority",
    format="pdf",
    pages=12,
    url="https://example.org/harbour.pdf",
    language="en",
)
PAGE_12 = Locator("page", "12")
FIRST_PAGE = "The first page speaks of the ports, the ships and the cranes of the northern harbour."
SECOND_PAGE = "Inspectors found undeclared chemical precursors in three containers at the harbour."


def text(runs: tuple[tuple[str, bool], ...]) -> str:
    return "".join(t for t, _ in runs)


def test_a_pdf_report_in_apa_and_chicago() -> None:
    """APA: `(López & Smith, 2021, p. 12)`; Chicago: `(López and Smith 2021, 12)`; each with its
    reference entry (APA's title in italics)."""
    item = csl_item(REPORT)
    apa, chicago = render(item, PAGE_12, "apa"), render(item, PAGE_12, "chicago")
    assert apa.in_text_plain == "(López & Smith, 2021, p. 12)"
    assert apa.entry_plain == (
        "López, A., & Smith, J. (2021). Harbour Inspections. Port Authority. "
        "https://example.org/harbour.pdf"
    )
    assert ("Harbour Inspections", True) in apa.entry
    assert chicago.in_text_plain == "(López and Smith 2021, 12)"
    assert chicago.entry_plain.startswith("López, A., and J. Smith. 2021. Harbour Inspections.")
    assert "12" not in chicago.entry_plain.replace("2021", "")  # the locator stays in the citation


def test_the_reference_entry_never_carries_the_locator() -> None:
    """The page belongs in the in-text citation only, even for an item type whose entry has a
    page field of its own (a chapter in a collection)."""
    chapter = {
        "id": "c",
        "type": "chapter",
        "title": "Ports",
        "container-title": "Border Studies",
        "author": [{"family": "Ruiz", "given": "Juan"}],
        "issued": {"date-parts": [[2020]]},
    }
    for style in ("apa", "chicago"):
        reference = render(chapter, Locator("page", "77"), style)
        assert "77" in reference.in_text_plain and "77" not in reference.entry_plain


def test_no_author_puts_the_title_first_once_and_no_date_says_nd() -> None:
    """A web page with neither author nor date: the title in the author's place, not repeated,
    and "n.d." — in both styles."""
    page = b.document("page", "Police Reform in Mexico", format="html", site="Insight News")
    item = csl_item(page)
    apa = render(item, Locator("paragraph", "4"), "apa")
    assert apa.in_text_plain == "(Police Reform in Mexico, n.d., para. 4)"
    assert apa.entry_plain.startswith("Police Reform in Mexico. (n.d.).")
    assert apa.entry_plain.count("Police Reform in Mexico") == 1
    chicago = render(item, Locator("paragraph", "4"), "chicago")
    assert "n.d." in chicago.in_text_plain and "para. 4" in chicago.in_text_plain
    assert chicago.entry_plain.count("Insight News") == 1


def test_page_ranges_and_times_are_locators() -> None:
    """A passage over two pages cites `pp. 12–13`; a subtitle cue its time; else its ¶."""
    item = csl_item(REPORT)
    assert render(item, Locator("page", "12–13"), "apa").in_text_plain.endswith("pp. 12–13)")
    assert "00:12:31" in render(item, Locator("timestamp", "00:12:31"), "apa").in_text_plain
    assert passage_locator(b.passage(page="12", page_end="13")) == Locator("page", "12–13")
    assert passage_locator(b.passage(page="iv")) == Locator("page", "iv")
    assert passage_locator(b.passage(timestamp="00:12:31")) == Locator("timestamp", "00:12:31")
    assert passage_locator(b.passage(ordinal=7)) == Locator("paragraph", "7")
    assert [Locator("page", "12–13").short, Locator("paragraph", "7").short] == ["pp. 12–13", "¶7"]
    assert Locator("page", "12–13").latex == "pp.~12--13"


def test_the_csl_item_carries_what_is_known_and_nothing_else() -> None:
    """Type by format, authors split, the date as parts, the site as publisher or website."""
    item = csl_item(REPORT)
    assert item["type"] == "report"
    assert item["author"] == [
        {"family": "López", "given": "Ana"},
        {"family": "Smith", "given": "John"},
    ]
    assert item["issued"] == {"date-parts": [[2021, 3, 15]]}
    assert item["publisher"] == "Port Authority" and item["URL"].endswith("harbour.pdf")
    bare = csl_item(b.document("notes", "Field Notes"))
    assert bare == {"id": "notes", "type": "document", "title": "Field Notes"}
    assert csl_item(b.document(format="html", site="Site"))["container-title"] == "Site"


def test_organisations_are_never_split_into_given_and_family() -> None:
    """`U.S. Copyright Office` stays whole; one word stays whole; `Smith, J.` is a person."""
    assert csl_name("U.S. Copyright Office") == {"literal": "U.S. Copyright Office"}
    assert csl_name("UNODC") == {"literal": "UNODC"}
    assert csl_name("Smith, J.") == {"family": "Smith", "given": "J."}
    assert csl_name("Ana María López") == {"family": "López", "given": "Ana María"}


def test_bibtex_entry_and_key() -> None:
    """An entry with escaped LaTeX specials, the title's case kept, an organisation in braces."""
    doc = b.document(
        "r",
        "Arms & Cash: 100% of the Flow",
        authors=("Ana López", "Ministry of Security"),
        date="2021-03",
        format="pdf",
        site="Gov_Press",
    )
    entry = bibtex_entry(doc)
    assert entry.startswith("@techreport{lopez2021arms,\n")
    assert "author = {López, Ana and {Ministry of Security}}" in entry
    assert r"title = {{Arms \& Cash: 100\% of the Flow}}" in entry
    assert "year = {2021}" in entry and "month = mar" in entry
    assert r"institution = {Gov\_Press}" in entry
    assert bibtex_key(b.document("003_abc", "The")) == "003abc"
    assert bibtex_key(b.document("d", "The DMCA", authors=("U.S. Copyright Office",))) == (
        "copyrightdmca"
    )
    assert bibtex_escape(r"a\b^c~") == r"a\textbackslash{}b\^{}c\~{}"
    assert bibtex_entry(b.document("n", "Notes")).startswith("@misc{notes,")


def test_cite_passage_on_a_real_pdf_cites_the_page_the_words_are_on(write_corpus: Write) -> None:
    """A passage on the PDF's second page cites p. 2 in every style and in the LaTeX command."""
    pdf = make_pdf(
        PdfSpec(
            [
                PdfPage([FIRST_PAGE]),
                PdfPage([SECOND_PAGE]),
            ],
            title="Harbour Inspections",
            author="Ana López",
        )
    )
    engine = Engine.load(Settings(), write_corpus({"harbour.pdf": pdf}))
    [passage] = [p for p in engine.corpus.passages if "precursors" in p.text]
    citation = cite_passage(engine, passage.id)
    assert citation.locator == Locator("page", "2")
    apa, chicago = citation.references
    assert apa.in_text_plain == "(López, 2021, p. 2)"
    assert chicago.in_text_plain == "(López 2021, 2)"
    assert citation.cite_command == r"\cite[p.~2]{lopez2021harbour}"
    assert citation.missing == ()
    assert citation.to_json()["apa"]["in_text"] == "(López, 2021, p. 2)"


def test_cite_one_style_or_an_unknown_one(seeds_engine: Engine) -> None:
    """A chosen style renders only that one; an unknown style or passage id is a clear error."""
    pid = seeds_engine.corpus.passages[3].id
    only = cite_passage(seeds_engine, pid, ["bibtex"])
    assert only.references == () and only.bibtex is not None
    assert cite_passage(seeds_engine, pid, ["apa"]).bibtex is None
    assert cite_passage(seeds_engine, pid).missing == ("author", "date")
    with pytest.raises(UnknownStyle, match="Choose one of: apa, chicago, bibtex"):
        cite_passage(seeds_engine, pid, ["mla"])
    with pytest.raises(UnknownPassage):
        cite_passage(seeds_engine, "000000000000")
