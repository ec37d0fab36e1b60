"""The team's work as terminal text, from hand-made records (no store, no command line)."""

from __future__ import annotations

from dataclasses import replace

from bot.engine.model import Document, Passage
from bot.rendering.team_terminal import (
    agreement_text,
    check_text,
    coded_text,
    codes_json,
    codes_table,
    reanchor_lines,
    source_line,
)
from bot.store import (
    Agreement,
    CheckReport,
    Code,
    CodeCount,
    Coding,
    CorpusText,
    Lost,
    Moved,
    ReanchorReport,
)

TEXT = "Critics reported extrajudicial killings and abuses by security forces."
PASSAGE = Passage("p1", "d1", "Alpha Report", "Findings", 3, TEXT, 0, len(TEXT), line_start=7)
CORPUS = CorpusText.build(
    [Document("d1", "Alpha Report", None, "d1.txt", "0" * 64, 0, 1)], [PASSAGE]
)
CODING = Coding(
    1, "human-rights", 1, "ana", "local:ana", None, "p1", "d1",
    "extrajudicial killings", 17, 39, "**why** <@1>", "ok", "2024-05-01T12:00:00.000000Z",
)  # fmt: skip


def _code(name: str) -> Code:
    return Code(1, name, "", None, "codebook", "2024-05-01T12:00:00Z", None)


def test_a_coding_is_quoted_with_its_source_coder_and_memo_as_stored() -> None:
    """Quote, then `— Title · Section · line · ¶ · id · coded by · #id`, the memo as stored."""
    text = coded_text("human-rights", [CODING], CORPUS, total=1, first=1, tty=False)
    assert text.splitlines() == [
        "human-rights: 1 coding",
        "",
        "1. extrajudicial killings",
        "   — Alpha Report · Findings · line 7 · ¶3 · p1 · coded by ana · #1",
        "   memo: **why** <@1>",
    ]


def test_a_coding_that_lost_its_place_is_marked_and_still_quoted() -> None:
    """needs-attention codings and codings of a removed document keep their quote, marked."""
    lost = replace(CODING, status="needs_attention", passage_id="gone", doc_id="d9")
    text = coded_text("human-rights", [lost], CORPUS, total=1, first=1, tty=False)
    assert "1. extrajudicial killings" in text
    assert "— d9 (no longer in the corpus) · gone · coded by ana" in text
    assert "⚠ needs attention" in text


def test_a_page_says_where_it_is_and_how_to_get_the_next() -> None:
    """A page from the middle: numbered from its first, `21–40 of 45`, `--page 3 for more`."""
    page = [replace(CODING, id=i) for i in range(20)]
    text = coded_text("human-rights", page, CORPUS, total=45, first=21, tty=False)
    assert text.startswith("human-rights: 45 codings, 21–40 of 45\n\n21. ")
    assert text.endswith("--page 3 for more")


def test_codes_table_counts_per_document_and_per_coder_with_every_code() -> None:
    """Rows of codes (unused ones too), a column per document and per coder, and totals; a
    coder's counts are summed over documents."""
    codes = [_code("corruption"), _code("human-rights")]
    by_doc = [
        CodeCount("human-rights", "000_x", None, 2),
        CodeCount("human-rights", "003_y", None, 1),
    ]
    by_coder = [
        CodeCount("human-rights", "000_x", "ana", 2),
        CodeCount("human-rights", "003_y", "ana", 1),
    ]
    lines = codes_table(codes, by_doc, by_coder).splitlines()
    assert lines[:6] == [
        "2 codes, 3 codings",
        "",
        "by document:",
        "code          000  003  total",
        "corruption      ·    ·      0",
        "human-rights    2    1      3",
    ]
    assert "human-rights    3      3" in lines
    assert lines[-1] == "documents: 000 = 000_x, 003 = 003_y"
    data = codes_json(codes, by_doc, by_coder)["codes"]
    assert data[1]["coders"] == {"ana": 3} and data[0]["total"] == 0


def test_agreement_names_kappa_percent_units_and_the_counts() -> None:
    """Kappa to three places, percent to one, over how many passages of how many documents."""
    a = Agreement("x", "local:a", "local:b", 50, ("d1", "d2"), 20, 5, 10, 15, 70.0, 0.4)
    text = agreement_text(a, {"local:a": "Ana", "local:b": "Ben"})
    assert text.splitlines() == [
        "'x': Ana vs Ben",
        "Cohen's kappa 0.400 · agreement 70.0% over 50 passages of 2 documents both coded",
        "both coded it 20 · only Ana 5 · only Ben 10 · neither 15",
    ]


def test_reanchor_lines_say_what_moved_and_what_needs_attention() -> None:
    """Nothing when nothing changed; else a count line, then one line per record."""
    assert reanchor_lines(ReanchorReport(checked=3, unchanged=3)) == []
    report = ReanchorReport(
        checked=2,
        moved=(Moved("coding", 4, "d1", "p1", "p2", 0, 30),),
        lost=(Lost("saved_quote", 2, "d1", "p1", "gone words", "quote gone"),),
    )
    assert reanchor_lines(report) == [
        "the corpus changed since the last check: 1 moved, 1 need attention",
        "  coding #4 follows its quote to passage p2",
        "  saved quote #2 needs attention (quote gone in d1): \u201cgone words\u201d",
    ]


def test_check_text_leads_with_integrity_and_names_orphans() -> None:
    """A damaged file says DAMAGED and SQLite's lines; orphans and unused codes are listed."""
    damaged = CheckReport(("row 3 missing from index",), 0, 4, 10, 1, ("p9",), ("d9",), ("x",))
    text = check_text(damaged, "team.sqlite3")
    assert text.splitlines()[:3] == [
        "team.sqlite3: schema version 4, 10 codings (1 need attention)",
        "integrity: DAMAGED",
        "  row 3 missing from index",
    ]
    assert "codings of documents not in the corpus: d9" in text
    assert "codes never applied: x" in text


def test_source_line_of_a_known_passage_matches_search_results() -> None:
    """The same `Title · Section · line · ¶ · id` a search hit cites."""
    assert source_line("p1", "d1", CORPUS) == "Alpha Report · Findings · line 7 · ¶3 · p1"
