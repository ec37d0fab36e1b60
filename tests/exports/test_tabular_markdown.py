"""CSV and Markdown exports: one row per coding, grouped quotes with citations, same bytes."""

from __future__ import annotations

import csv
import io

from bot.exports import codings_csv, codings_markdown, collection_csv, collection_markdown
from bot.exports.markdown import escape_markdown
from bot.store import Actor, CorpusText, Snapshot, Store
from tests.store.builders import pid

from .conftest import EXPORT_DOCS


def _rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, so spreadsheets read UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_has_one_row_per_coding_with_its_citation(
    snapshot: Snapshot, corpus: CorpusText
) -> None:
    """Every coding is a row: passage, document, title, page, section, code, coder, quote..."""
    rows = _rows(codings_csv(snapshot.codings, corpus))
    assert list(rows[0])[:10] == [
        "passage_id",
        "doc_id",
        "title",
        "page",
        "section",
        "code",
        "coder",
        "created",
        "memo",
        "quote",
    ]
    assert len(rows) == len(snapshot.codings) == 7
    for row, coding in zip(rows, snapshot.codings, strict=True):
        assert (row["passage_id"], row["code"], row["quote"]) == (
            coding.passage_id,
            coding.code,
            coding.quote,
        )
        assert row["memo"] == coding.memo and row["coder"] == coding.coder
    first = rows[0]
    assert (first["title"], first["section"], first["page"]) == ("Alpha Report", "Findings", "")
    gone = next(r for r in rows if r["doc_id"] == "gone")
    assert gone["title"] == "gone" and gone["status"] == "needs_attention"
    assert [r["status"] for r in rows].count("needs_attention") == 2


def test_csv_keeps_long_memos_and_markup_verbatim(store: Store, corpus: CorpusText) -> None:
    """A 10,000-character memo with newlines, quotes and markdown survives the CSV round trip."""
    from bot.store import CodebookEntry

    memo = ('line "one", **two**\n<@1> ' * 500)[:10_000]
    store.sync_codebook([CodebookEntry("c")])
    store.code(corpus.anchor(pid("gamma", 0, EXPORT_DOCS)), "c", Actor.local("a"), memo=memo)
    [row] = _rows(codings_csv(store.snapshot().codings, corpus))
    assert row["memo"] == memo


def test_markdown_groups_quotes_by_code_with_citations(
    snapshot: Snapshot, corpus: CorpusText
) -> None:
    """Codes are headings (alphabetical, with counts); each quote is cited and attributed."""
    text = codings_markdown(snapshot.codings, corpus).decode("utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## corruption (3)", "## Émoji (1)", "## human-rights (3)"]
    assert "> The Mérida Initiative funded training" in text
    assert "— Alpha Report, § Findings, ¶ 1 · passage `" in text
    assert "coded by alice, 2024-05-01" in text
    assert "Memo: \\*\\*why\\*\\* \\<@123\\>" in text
    assert text.count("⚠ needs attention") == 2


def test_markdown_escaping_renders_the_words_as_written() -> None:
    """Markdown markers in quotes are escaped; plain words are left alone."""
    assert escape_markdown("a *b* _c_ `d` <e> [f](g) | ~h~") == (
        "a \\*b\\* \\_c\\_ \\`d\\` \\<e\\> \\[f\\](g) \\| \\~h\\~"
    )
    assert escape_markdown("# not a heading\n- not a list\n1. not a list") == (
        "\\# not a heading\n\\- not a list\n\\1. not a list"
    )
    assert escape_markdown("Plain words, 3.5 million (2019).") == "Plain words, 3.5 million (2019)."


def test_collection_exports_keep_the_saved_order(store: Store, corpus: CorpusText) -> None:
    """A collection's CSV and Markdown list quotes in the order saved, with who saved each."""
    order = [pid("beta", 1, EXPORT_DOCS), pid("alpha", 0, EXPORT_DOCS)]
    for who, passage in zip((Actor.local("ann"), Actor.local("ben")), order, strict=True):
        store.save(corpus.anchor(passage), who, collection="Chapter 1", note="use in intro")
    coll, items = store.collection("chapter 1")
    rows = _rows(collection_csv(coll, items, corpus))
    assert [(r["passage_id"], r["saved_by"], r["position"]) for r in rows] == [
        (order[0], "ann", "1"),
        (order[1], "ben", "2"),
    ]
    text = collection_markdown(coll, items, corpus).decode("utf-8")
    assert text.startswith("# Chapter 1\n")
    assert text.index("## 1. Beta Report") < text.index("## 2. Alpha Report")
    assert "saved by ann" in text and "Note: use in intro" in text


def test_exports_are_deterministic(snapshot: Snapshot, corpus: CorpusText) -> None:
    """The same codings give the same bytes."""
    assert codings_csv(snapshot.codings, corpus) == codings_csv(snapshot.codings, corpus)
    assert codings_markdown(snapshot.codings, corpus) == codings_markdown(snapshot.codings, corpus)
