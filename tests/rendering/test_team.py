"""The team's pages without Discord: codings, counts, agreement, memos and collections stay within
Discord's limits and show what members typed (memos, code and collection names, display names) as
the characters it is — no ping, no formatting — whatever it holds."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.rendering import limits
from bot.rendering.pages import Pages
from bot.rendering.passage import render_passage
from bot.rendering.team import (
    ATTENTION,
    Quoted,
    render_agreement,
    render_code_counts,
    render_codings,
    render_collection,
    render_reanchored,
    with_memos,
)
from bot.store import Agreement, Code, CodeCount, Coding, Lost, Memo, ReanchorReport
from bot.store.model import Collection, SavedQuote
from tests.rendering import builders as b
from tests.rendering import discord_markdown
from tests.rendering.discord_markdown import shown, visible
from tests.rendering.test_properties import LINE, LONG_TEXT, TEXT

CASES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
STAMP = "2024-05-01T12:00:00.000000Z"


def assert_sendable(pages: Pages) -> None:
    for page in pages.pages:
        body = page.to_message()
        assert limits.check_message(body) == [], body
        assert discord_markdown.message_problems(body) == [], body


def coding(n: int, *, code: str = "corruption", coder: str = "Ana", memo: str = "", **kw) -> Coding:
    fields = dict(
        id=n,
        code=code,
        code_id=1,
        coder=coder,
        coder_key="discord:1",
        guild_id=None,
        passage_id=f"{n:012x}",
        doc_id="003",
        quote=b.MERIDA,
        start=0,
        end=len(b.MERIDA),
        memo=memo,
        status="ok",
        created=STAMP,
    )
    fields.update(kw)
    return Coding(**fields)  # type: ignore[arg-type]


def quoted_of(c: Coding, *, gone: bool = False) -> Quoted:
    p = b.passage(c.quote)
    return Quoted(c.passage_id, c.doc_id, c.quote, c.status, None if gone else b.source(p), "Doc")


def test_codings_are_paged_with_their_sources_and_lost_ones_marked() -> None:
    """Seven codings, three a page: three pages, each quote numbered with its source; a coding
    whose passage is gone keeps its quote, names its document and is marked needs attention."""
    codings = [coding(n) for n in range(1, 7)] + [coding(7, status="needs_attention")]
    quotes = {c.id: quoted_of(c, gone=c.id == 7) for c in codings}
    pages = render_codings(codings, quotes, title="Coded corruption", version="v", per_page=3)
    assert len(pages) == 3
    last = pages[2].embeds[0]["description"]
    assert "**7.** Doc · passage `000000000007` (no longer in the corpus)" in last
    assert ATTENTION in last and "Mérida" in last
    assert "7 codings, 1 needing attention" in pages[0].embeds[0]["footer"]["text"]
    assert [c.number for c in pages[0].passages] == [1, 2, 3]
    assert pages.actions == ("context",)
    assert_sendable(pages)


@CASES
@given(memo=TEXT, code=LINE, coder=LINE, quote=LONG_TEXT)
def test_codings_show_any_member_text_literally(
    memo: str, code: str, coder: str, quote: str
) -> None:
    """Whatever a memo, a code name, a display name or a quote holds, /coded pages are sendable
    and a short memo is shown as typed (its visible characters)."""
    c = coding(1, code=code or "x", coder=coder or "x", memo=memo, quote=quote or "q")
    pages = render_codings([c], {1: quoted_of(c)}, title="Coded", version="v", per_page=3)
    assert_sendable(pages)
    flat = " ".join(visible(memo).split())
    if flat and len(flat) < 200 and "://" not in flat:  # a link is shown as Discord links it
        assert flat in " ".join(visible(shown(pages[0].embeds[0]["description"])).split())


@CASES
@given(memos=st.lists(TEXT, min_size=1, max_size=6), author=LINE)
def test_memos_under_a_passage_fit_beside_it(memos: list[str], author: str) -> None:
    """Memos join the passage view as a second embed and the message stays within 6,000
    characters, whatever their length (a memo of 10,000 characters included)."""
    items = [
        Memo(i, "passage", "abc", author or "x", "local:x", None, m or "x", STAMP, STAMP)
        for i, m in enumerate([*memos, "@everyone " * 1000], start=1)
    ]
    pages = with_memos(render_passage(b.context(text=b.MERIDA * 8), version="v"), items)
    assert pages[0].embeds[1]["title"] == f"Memos ({len(items)})"
    assert_sendable(pages)


def test_code_counts_per_document_and_coder() -> None:
    """/codes: one field a code with its documents and coders; unused codes say so."""
    codes = [
        Code(1, "corruption", "", None, "codebook", STAMP, None),
        Code(2, "unused *one*", "", None, "member", STAMP, "local:a"),
    ]
    counts = [CodeCount("corruption", "000_x", None, 2), CodeCount("corruption", "003_y", None, 1)]
    by_coder = [
        CodeCount("corruption", "000_x", "Ana", 2),
        CodeCount("corruption", "003_y", "Ben", 1),
    ]
    pages = render_code_counts(
        counts, by_coder, codes, {"000_x": "000", "003_y": "003"}, version="v"
    )
    fields = pages[0].embeds[0]["fields"]
    assert fields[0]["name"] == "corruption · 3 codings"
    assert fields[0]["value"] == "Documents: 000 2, 003 1\nCoders: Ana 2, Ben 1"
    assert fields[1] == {
        "name": r"unused \*one\* · 0 codings",
        "value": "not used yet",
        "inline": False,
    }
    assert_sendable(pages)


@CASES
@given(names=st.lists(LINE, min_size=1, max_size=60, unique=True))
def test_code_counts_fit_for_many_codes(names: list[str]) -> None:
    """Any number of codes with any names: pages of ten fields, each within the limits."""
    codes = [Code(i, n or f"c{i}", "", None, "member", STAMP, None) for i, n in enumerate(names)]
    counts = [CodeCount(c.name, f"doc{i}", None, 1) for i, c in enumerate(codes) for _ in range(3)]
    by = [CodeCount(c.name, "doc", f"coder {c.name}", 1) for c in codes]
    pages = render_code_counts(counts, by, codes, {}, version="v")
    assert len(pages) == -(-len(codes) // 10)
    assert_sendable(pages)


def test_agreement_shows_kappa_percent_units_and_the_table() -> None:
    """/agreement: the published example's numbers (kappa 0.4, 70 %, 50 units) as shown."""
    ag = Agreement("training", "a", "b", 50, ("003",), 20, 5, 10, 15, 70.0, 0.4)
    text = render_agreement(ag, "Ana", "B*n")[0].embeds[0]["description"]
    assert "**Cohen's kappa:** 0.400" in text and "**Percent agreement:** 70.0 %" in text
    assert "**Units compared:** 50 passages of 1 document" in text
    assert r"Both applied it: 20 · only Ana: 5 · only B\*n: 10 · neither: 15" in text


def test_agreement_without_shared_documents_says_why() -> None:
    ag = Agreement("training", "a", "b", 0, (), 0, 0, 0, 0, None, None)
    text = render_agreement(ag, "Ana", "Ben")[0].embeds[0]["description"]
    assert "have not both coded the same document" in text


def test_collection_in_the_order_saved_with_who_saved_each() -> None:
    coll = Collection(1, None, "paper @everyone", STAMP, "Ana")
    items = [
        SavedQuote(i, "paper", i, f"{i:012x}", "003", b.MERIDA, 0, 5, f"S{i}", "k", STAMP, "", "ok")
        for i in (1, 2)
    ]
    quotes = {
        s.id: Quoted(s.passage_id, "003", s.quote, "ok", b.source(b.passage()), "D") for s in items
    }
    pages = render_collection(coll, items, quotes, version="v", per_page=3)
    text = pages[0].embeds[0]["description"]
    assert text.index("saved by S1") < text.index("saved by S2")
    assert "@\u200beveryone" in pages[0].embeds[0]["title"]
    assert_sendable(pages)


def test_reload_lines_name_the_lost_quotes() -> None:
    """The /reload report says how many quotes moved and names the ones that need attention."""
    report = ReanchorReport(
        3, 1, (), (), (Lost("coding", 4, "003", "abc", "Gone **words**", "quote gone"),)
    )
    lines = render_reanchored(report)
    assert lines == [
        r"**Needs attention:** 1 quote no longer in its document, kept and marked: coding #4 "
        r"«Gone \*\*words\*\*» (003, quote gone) (`/coded` lists them)."
    ]
    assert render_reanchored(ReanchorReport(3, 3)) == []
