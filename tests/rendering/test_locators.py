"""Citations a reviewer can check: page, page range, time and speaker in every source line, and
a document's authors, date, format, pages, language and URL in /docs and the passage view."""

from __future__ import annotations

from bot.engine.model import PassageContext
from bot.rendering.documents import render_documents
from bot.rendering.locators import authors_text, document_facts, page_label
from bot.rendering.passage import render_passage
from bot.rendering.search import source_line
from bot.rendering.terminal import documents_text, passage_text, where
from tests.rendering import builders as b


def test_a_pdf_passage_shows_its_page_before_the_paragraph() -> None:
    """`Title · Section · p. 12 · ¶4 · id` on Discord and in the terminal."""
    source = b.source(b.passage(section="Findings", page="12"))
    assert source_line(source) == ("US-Mexico Cooperation · Findings · p. 12 · ¶4 · `039f1f822eee`")
    assert where(source) == "US-Mexico Cooperation · Findings · p. 12 · ¶4 · 039f1f822eee"


def test_a_passage_over_a_page_break_shows_both_pages() -> None:
    """A passage running from page 12 onto 13 cites `pp. 12–13`; one page is `p.`."""
    source = b.source(b.passage(page="12", page_end="13"))
    assert "· pp. 12–13 · ¶4 ·" in source_line(source)
    assert "· pp. 12–13 · ¶4 ·" in where(source)
    assert page_label("iv", None) == "p. iv"
    assert page_label("7", "7") == "p. 7"


def test_subtitles_show_the_time_and_transcripts_the_speaker() -> None:
    """A subtitle cue cites `at 00:12:31`; an interview turn names its speaker."""
    cue = b.source(b.passage(timestamp="00:12:31"))
    turn = b.source(b.passage(speaker="Interviewer"))
    assert "· at 00:12:31 · ¶4 ·" in source_line(cue)
    assert "· Interviewer · ¶4 ·" in source_line(turn)
    assert "· Interviewer · ¶4 ·" in where(turn)


def test_a_text_file_passage_shows_its_lines() -> None:
    """A text file's passage cites the lines it spans (`line 44`, `lines 44–46`) before its ¶,
    in Discord, in the terminal, and beside each neighbour of the passage view."""
    one = b.source(b.passage(line_start=44, line_end=44))
    three = b.source(b.passage(line_start=44, line_end=46))
    assert source_line(one) == "US-Mexico Cooperation · line 44 · ¶4 · `039f1f822eee`"
    assert where(three) == "US-Mexico Cooperation · lines 44–46 · ¶4 · 039f1f822eee"
    main = b.passage(line_start=44, line_end=44)
    before = b.passage("Before.", pid="aaaaaaaaaaaa", ordinal=3, line_start=42, line_end=42)
    context = PassageContext(main, b.source(main), (before,), ())
    assert "¶3 · line 42\n" in render_passage(context, version="v")[0].embeds[0]["description"]


def test_a_source_without_locators_keeps_its_old_line() -> None:
    """A web page: `Title · ¶4 · id`, nothing invented."""
    assert source_line(b.source(b.passage())) == "US-Mexico Cooperation · ¶4 · `039f1f822eee`"


def test_a_speaker_name_is_escaped_in_discord() -> None:
    """A speaker label with markdown or a mention shows literally."""
    line = source_line(b.source(b.passage(speaker="**R1** @everyone")))
    assert "\\*\\*R1\\*\\*" in line and "@everyone" not in line


def test_the_passage_view_shows_page_turns_and_the_byline() -> None:
    """Neighbours on another page carry it; the head names authors, date and URL."""
    main = b.passage(page="12", ordinal=2)
    before = b.passage("Earlier words on the page before.", pid="n0", ordinal=1, page="11")
    after = b.passage("Later words on the same page.", pid="n1", ordinal=3, page="12")
    context = PassageContext(main, b.source(main), (before,), (after,))
    doc = b.document(authors=("Ana López", "John Smith"), date="2021", url="https://ex.org/r")
    description = render_passage(context, version="v", document=doc)[0].embeds[0]["description"]
    assert "· p. 12 · ¶2 ·" in description
    assert "Ana López and John Smith · 2021 · https://ex.org/r" in description
    assert "¶1 · p. 11\n" in description
    assert "¶3\n" in description  # same page as the passage: not repeated
    text = passage_text(context)
    assert "¶1 · p. 11 [n0]" in text and "> ¶2 · p. 12 [039f1f822eee]" in text


def test_docs_show_authors_date_format_pages_language_and_url() -> None:
    """/docs and `docs` list what a document is, not only its size."""
    doc = b.document(
        authors=("Ana López", "John Smith", "Li Wei", "Sam Roe"),
        date="2021-03-15",
        site="Field Archive",
        format="pdf",
        pages=24,
        language="es",
        url="https://example.org/report",
    )
    description = render_documents([doc], version="v")[0].embeds[0]["description"]
    assert (
        "Ana López, John Smith, Li Wei et al. · 2021-03-15 · Field Archive · PDF, 24 pages · "
        "Spanish · 1,234 words" in description
    )
    assert "https://example.org/report" in description
    text = documents_text([doc], "v")
    assert "Ana López, John Smith, Li Wei et al. · 2021-03-15 · PDF, 24 pages · Spanish" in text
    assert "https://example.org/report" in text


def test_facts_leave_out_what_is_not_known() -> None:
    """A text file with nothing known says only its format."""
    assert document_facts(b.document()) == ["text"]
    assert document_facts(b.document(format="docx", pages=1, language="xx")) == [
        "Word, 1 page",
        "xx",
    ]
    assert authors_text(("A", "B")) == "A and B"
    assert authors_text(()) is None


def test_long_metadata_never_cuts_a_document_off_the_list() -> None:
    """Ten documents with long titles, authors and URLs spread over more pages; every one is
    listed whole."""
    docs = [
        b.document(
            f"d{i}",
            f"Title {i} " + "word " * 40,
            authors=("A" * 100, "B" * 100, "C" * 100),
            site="S" * 100,
            url="https://example.org/" + "x" * 180,
            format="pdf",
            pages=3,
        )
        for i in range(10)
    ]
    pages = render_documents(docs, version="v")
    listed = "".join(p.embeds[0]["description"] for p in pages.pages)
    assert len(pages) > 1
    assert all(f"`d{i}`" in listed for i in range(10))
    assert all(len(p.embeds[0]["description"]) <= 4096 for p in pages.pages)
