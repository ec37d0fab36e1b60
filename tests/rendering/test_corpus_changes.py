"""What /add, /remove and /cite show: the facts a contributor checks, refusals that name the
file, and every page sendable whatever the names and metadata hold."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from bot.engine.citations import Citation, Reference
from bot.engine.csl import Locator
from bot.rendering.citations import render_citation
from bot.rendering.corpus_changes import render_added, render_refused, render_removed
from bot.rendering.pages import ERROR_COLOUR
from bot.rendering.terminal import runs_text
from tests.rendering import builders as b
from tests.rendering.test_properties import RENDER, SHORT_TEXT, TEXT, assert_sendable


def description(pages) -> str:  # type: ignore[no-untyped-def]
    return str(pages[0].embeds[0]["description"])


def test_added_lists_facts_section_replacements_and_warnings() -> None:
    """Id, authors, format with pages, passages; first section; what was replaced; warnings,
    at most five and a count of the rest."""
    doc = b.document("harbour", "Harbour", authors=("Ana López",), format="pdf", pages=2)
    pages = render_added(
        doc,
        first_section="Harbour controls",
        warnings=[f"warning {i}" for i in range(7)],
        replaced=["harbour.txt"],
        version="v2",
    )
    text = description(pages)
    assert text.startswith("`harbour` · Ana López · PDF, 2 pages · 13 passages\n")
    assert "First section: Harbour controls" in text
    assert "Replaced harbour.txt (kept in `.removed/`)" in text
    assert "• warning 4" in text and "• warning 5" not in text and "… and 2 more" in text
    assert pages[0].embeds[0]["footer"]["text"] == "corpus v2" and pages.ephemeral_hint


def test_a_refusal_names_the_file_escaped_and_says_nothing_changed() -> None:
    """A hostile file name shows literally, pings no one, in the error colour."""
    pages = render_refused("**x** @everyone.pdf", "it is 210 MB, over the corpus's 64 MB limit")
    text = description(pages)
    assert text.startswith("**\\*\\*x\\*\\* @\u200beveryone.pdf** was not added: it is 210 MB")
    assert text.endswith("Nothing changed.")
    assert pages[0].embeds[0]["color"] == ERROR_COLOUR
    assert_sendable(pages)


def test_removed_says_where_the_file_is_kept() -> None:
    """The removed document's id and the path its file is kept at."""
    text = description(
        render_removed(b.document("notes", "Notes"), kept_as=".removed/n.txt", version="v")
    )
    assert "`notes` is out of the corpus; its file is kept as .removed/n.txt" in text


def citation(title: str = "Harbour", entry: str = "López, A. (2021). Harbour.") -> Citation:
    ref = Reference("apa", (("(López, 2021, p. 2)", False),), ((entry, False),))
    return Citation(
        "039f1f822eee",
        "harbour",
        title,
        Locator("page", "2"),
        {"id": "harbour"},
        (ref,),
        "@misc{k,\n  title = {{A `tick` @everyone}}\n}",
        "k",
    )


def test_citation_page_has_each_style_and_bibtex_in_a_code_block() -> None:
    """The passage and its locator, each style's in-text citation and reference, the BibTeX
    entry in a fenced block (a backtick in it cannot close the block) and the \\cite command."""
    text = description(render_citation(citation(), version="v"))
    assert text.startswith("Passage `039f1f822eee` · p. 2")
    assert "**APA 7**\nIn text: (López, 2021, p. 2)\nReference: López, A. (2021). Harbour." in text
    assert "cite it as `\\cite[p.~2]{k}`\n```bibtex\n@misc{k," in text
    assert "ˋtickˋ" in text and "@\u200beveryone" in text
    assert_sendable(render_citation(citation(), version="v"))


def test_missing_metadata_is_explained() -> None:
    """No author or date: the page says so and where to add them."""
    bare = replace(citation(), missing=("author", "date"))
    assert "no author or date in its metadata" in description(render_citation(bare, version="v"))


@RENDER
@given(TEXT, TEXT, st.lists(SHORT_TEXT, max_size=8), SHORT_TEXT)
def test_citation_and_change_pages_are_always_sendable(
    title: str, entry: str, warnings: list[str], name: str
) -> None:
    """Any title, reference text, warnings and file name stay within Discord's rules."""
    assert_sendable(render_citation(citation(title or "t", entry or "e"), version="v"))
    doc = b.document("d", title or "t", authors=tuple(warnings[:2]), site=name or None)
    assert_sendable(
        render_added(doc, first_section=entry, warnings=warnings, replaced=[name], version="v")
    )
    assert_sendable(render_refused(name or "n", entry or "e"))
    assert_sendable(render_removed(doc, kept_as=name or "n", version="v"))


def test_the_terminal_shows_a_references_italics_on_a_tty_only() -> None:
    """APA's italic title is italic on a terminal and plain in a pipe."""
    runs = (("López, A. (2021). ", False), ("Harbour", True), (".", False))
    assert runs_text(runs, tty=True) == "López, A. (2021). \x1b[3mHarbour\x1b[0m."
    assert runs_text(runs, tty=False) == "López, A. (2021). Harbour."
