"""Codes and codings: creating, refusing clashes, applying, removing, finding, counting."""

from __future__ import annotations

import pytest

from bot.store import (
    AlreadyCoded,
    CodebookEntry,
    CodeNameTaken,
    CorpusText,
    InvalidInput,
    NotYours,
    Store,
    UnknownCode,
    UnknownCoding,
    UnknownUser,
)
from tests.store.builders import pid
from tests.store.conftest import ALICE, BOB, CAROL


def test_codebook_themes_become_codes(store: Store) -> None:
    """The themes are codes of origin "codebook", listed alphabetically."""
    codes = store.codes()
    assert [c.name for c in codes] == ["corruption", "human-rights"]
    assert {c.origin for c in codes} == {"codebook"}
    assert codes[1].description == "Violations and protection of rights."


def test_sync_codebook_again_updates_themes_and_keeps_members_codes(store: Store) -> None:
    """Re-syncing takes the themes file's descriptions; a member's code of the same name stays."""
    store.create_code("Militarization", ALICE)
    report = store.sync_codebook(
        [
            CodebookEntry("human-rights", "New wording."),
            CodebookEntry("militarization", "A theme now."),
        ]
    )
    assert store.get_code("human rights").description == "New wording."
    assert store.get_code("militarization").origin == "member"
    assert len(report.conflicts) == 1 and "Militarization" in report.conflicts[0]


def test_member_creates_a_code(store: Store) -> None:
    """A member's code records its origin, creator, description and colour."""
    code = store.create_code("  Police   reform ", ALICE, "Changes to policing.", "#1f77b4")
    assert code.name == "Police reform"
    assert (code.origin, code.created_by, code.colour) == ("member", "local:alice", "#1f77b4")
    assert store.get_code("POLICE-REFORM") == code


@pytest.mark.parametrize("name", ["Human Rights", "HUMAN_RIGHTS", "húman-rights", "human rights"])
def test_a_code_name_that_folds_onto_another_is_refused_naming_it(store: Store, name: str) -> None:
    """Names colliding after case/accent/separator folding are refused, naming the existing code."""
    with pytest.raises(CodeNameTaken) as err:
        store.create_code(name, BOB)
    assert "'human-rights'" in str(err.value)
    assert len(store.codes()) == 2


@pytest.mark.parametrize(
    ("name", "colour", "message"),
    [
        ("   ", None, "needs a name"),
        ("--", None, "needs a name"),
        ("x" * 101, None, "at most"),
        ("ok", "blue", "not a colour"),
    ],
)
def test_bad_code_input_is_a_clear_error(
    store: Store, name: str, colour: str | None, message: str
) -> None:
    """Empty, punctuation-only or overlong names and non-hex colours are refused in words."""
    with pytest.raises(InvalidInput, match=message):
        store.create_code(name, ALICE, colour=colour)


def test_unknown_code_suggests_close_names(store: Store) -> None:
    """An unknown code name says so and offers the nearest codes."""
    with pytest.raises(UnknownCode, match=r"no code 'human rigths'\. Did you mean: human-rights"):
        store.get_code("human rigths")


def test_coding_stores_who_when_where_and_the_exact_quote(store: Store, corpus: CorpusText) -> None:
    """A coding keeps coder, server, passage, document, quote and offsets into the doc text."""
    anchor = corpus.anchor(pid("alpha", 1))
    coding = store.code(anchor, "Human Rights", BOB, guild_id=42, memo="strong evidence")
    assert (coding.code, coding.coder, coding.coder_key) == ("human-rights", "Bob", "discord:111")
    assert (coding.guild_id, coding.passage_id, coding.doc_id) == (42, anchor.passage_id, "alpha")
    assert coding.quote == corpus.text("alpha")[coding.start : coding.end]
    assert coding.status == "ok" and coding.memo == "strong evidence"
    assert coding.created == "2024-05-01T12:00:06.000000Z"
    assert store.get_coding(coding.id) == coding


def test_coding_from_the_cli_has_no_server(store: Store, corpus: CorpusText) -> None:
    """Codings made from the CLI (no guild) are stored with a null server."""
    coding = store.code(corpus.anchor(pid("beta", 0)), "corruption", ALICE)
    assert coding.guild_id is None and coding.coder == "alice"


def test_memo_of_ten_thousand_characters_and_markup_are_stored_verbatim(
    store: Store, corpus: CorpusText
) -> None:
    """A 10,000-character memo and Discord markdown/mentions come back exactly as written."""
    memo = ("**bold** <@123> @everyone `code` " * 400)[:10_000]
    coding = store.code(corpus.anchor(pid("alpha", 0)), "corruption", ALICE, memo=memo)
    assert len(memo) == 10_000 and store.get_coding(coding.id).memo == memo


def test_coding_an_unknown_code_is_refused(store: Store, corpus: CorpusText) -> None:
    """Applying a code that does not exist names it and stores nothing."""
    with pytest.raises(UnknownCode, match="no code 'bribes'"):
        store.code(corpus.anchor(pid("alpha", 0)), "bribes", ALICE)
    assert store.count_codings() == 0


def test_coding_the_same_quote_twice_is_refused_but_others_may(
    store: Store, corpus: CorpusText
) -> None:
    """A member cannot apply one code twice to one quote; another member or code may."""
    anchor = corpus.anchor(pid("alpha", 0))
    store.code(anchor, "corruption", ALICE)
    with pytest.raises(AlreadyCoded, match="already coded"):
        store.code(anchor, "Corruption", ALICE)
    store.code(anchor, "corruption", BOB)
    store.code(anchor, "human-rights", ALICE)
    store.code(corpus.anchor(pid("alpha", 0), (0, 10)), "corruption", ALICE)
    assert store.count_codings() == 4


def test_an_anchor_whose_quote_does_not_fit_its_offsets_is_refused(
    store: Store, corpus: CorpusText
) -> None:
    """A hand-made anchor whose quote length differs from its span is refused."""
    from dataclasses import replace

    anchor = replace(corpus.anchor(pid("alpha", 0)), quote="short")
    with pytest.raises(InvalidInput, match="does not match"):
        store.code(anchor, "corruption", ALICE)


def test_uncode_your_own_but_not_anothers_unless_admin(store: Store, corpus: CorpusText) -> None:
    """Members remove their own codings; another's only as an admin."""
    mine = store.code(corpus.anchor(pid("alpha", 0)), "corruption", ALICE)
    theirs = store.code(corpus.anchor(pid("alpha", 1)), "corruption", BOB)
    with pytest.raises(NotYours, match="belongs to Bob"):
        store.uncode(theirs.id, ALICE)
    assert store.uncode(mine.id, ALICE) == mine
    store.uncode(theirs.id, CAROL, admin=True)
    assert store.count_codings() == 0
    with pytest.raises(UnknownCoding, match="no coding #"):
        store.uncode(mine.id, ALICE)


def test_coded_filters_by_code_document_coder_and_pages(store: Store, corpus: CorpusText) -> None:
    """`codings()` filters by code, document, coder (key, id or name) and pages in doc order."""
    for who in (ALICE, BOB):
        for doc, i in (("alpha", 2), ("alpha", 0), ("beta", 1)):
            store.code(corpus.anchor(pid(doc, i)), "human-rights", who)
    store.code(corpus.anchor(pid("beta", 0)), "corruption", ALICE)
    hr = store.codings(code="Human Rights")
    assert len(hr) == 6
    assert [(c.doc_id, c.start) for c in hr] == sorted((c.doc_id, c.start) for c in hr)
    assert len(store.codings(code="human-rights", doc_id="alpha", coder="Bob")) == 2
    assert store.codings(coder="111") == store.codings(coder="discord:111")
    assert store.codings(coder="alice", code="corruption")[0].passage_id == pid("beta", 0)
    pages = [store.codings(code="human-rights", limit=4, offset=o) for o in (0, 4)]
    assert [len(p) for p in pages] == [4, 2] and pages[0] + pages[1] == hr
    assert store.count_codings(code="human-rights", coder="alice") == 3
    with pytest.raises(UnknownUser, match="Nobody called 'dave'"):
        store.codings(coder="dave")


def test_code_counts_per_document_and_coder(store: Store, corpus: CorpusText) -> None:
    """`/codes` counts codings per code × document, and × coder when asked."""
    store.code(corpus.anchor(pid("alpha", 0)), "human-rights", ALICE)
    store.code(corpus.anchor(pid("alpha", 1)), "human-rights", BOB)
    store.code(corpus.anchor(pid("beta", 0)), "corruption", BOB)
    counts = {(c.code, c.doc_id): c.count for c in store.code_counts()}
    assert counts == {("corruption", "beta"): 1, ("human-rights", "alpha"): 2}
    by_coder = {(c.code, c.coder): c.count for c in store.code_counts(by_coder=True)}
    assert by_coder[("human-rights", "alice")] == by_coder[("human-rights", "Bob")] == 1


def test_a_members_new_display_name_is_used_from_then_on(store: Store, corpus: CorpusText) -> None:
    """The user row follows a Discord member's display-name change (same id, same person)."""
    from bot.store import Actor

    store.code(corpus.anchor(pid("alpha", 0)), "corruption", BOB)
    store.code(corpus.anchor(pid("alpha", 1)), "corruption", Actor.discord(111, "Robert"))
    assert {c.coder for c in store.codings()} == {"Robert"}
    assert len(store.users()) == 1


def test_match_codes_for_autocomplete(store: Store) -> None:
    """Autocomplete lists codes containing the typed text, prefix matches first."""
    store.create_code("Rights of victims", ALICE)
    assert [c.name for c in store.match_codes("rights")] == ["Rights of victims", "human-rights"]
    assert len(store.match_codes("", limit=2)) == 2


def test_code_counts_per_coder_summed_over_documents(store: Store, corpus: CorpusText) -> None:
    """`per_document=False`: one row per code × coder, summed over documents."""
    store.code(corpus.anchor(pid("alpha", 0)), "human-rights", ALICE)
    store.code(corpus.anchor(pid("beta", 0)), "human-rights", ALICE)
    store.code(corpus.anchor(pid("alpha", 1)), "human-rights", BOB)
    rows = store.code_counts(by_coder=True, per_document=False)
    assert sorted((c.code, c.doc_id, c.coder, c.count) for c in rows) == [
        ("human-rights", "", "Bob", 1),
        ("human-rights", "", "alice", 2),
    ]
