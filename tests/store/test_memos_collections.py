"""Memos on passages, codes and documents; collections of saved quotes per server."""

from __future__ import annotations

import pytest

from bot.store import (
    AlreadySaved,
    CorpusText,
    InvalidInput,
    NotYours,
    Store,
    UnknownCode,
    UnknownCollection,
)
from tests.store.builders import pid
from tests.store.conftest import ALICE, BOB


def test_memos_on_a_passage_a_code_and_a_document(store: Store, corpus: CorpusText) -> None:
    """Each kind of memo is stored with its target and found by it."""
    passage = store.memo_passage(corpus.anchor(pid("alpha", 1)), "Check the dates.", ALICE)
    code = store.memo_code("Human Rights", "Include detentions.", BOB)
    doc = store.memo_document("beta", "A press digest, not a report.", ALICE)
    assert (passage.kind, passage.target, passage.doc_id) == ("passage", pid("alpha", 1), "alpha")
    assert passage.quote == corpus.text("alpha")[passage.start : passage.end]
    assert (code.kind, code.target) == ("code", "human-rights")
    assert (doc.kind, doc.target) == ("document", "beta")
    assert store.memos(kind="passage", target=pid("alpha", 1)) == [passage]
    assert store.memos(target="human rights") == [code]
    assert store.memos(author="alice") == [passage, doc]


def test_writing_a_memo_again_replaces_your_own_only(store: Store, corpus: CorpusText) -> None:
    """A second memo by the same member on the same target replaces the first; others add."""
    anchor = corpus.anchor(pid("alpha", 0))
    first = store.memo_passage(anchor, "v1", ALICE)
    second = store.memo_passage(anchor, "v2", ALICE)
    assert second.id == first.id and second.text == "v2" and second.created == first.created
    store.memo_passage(anchor, "Bob's view", BOB)
    assert [m.text for m in store.memos(target=anchor.passage_id)] == ["v2", "Bob's view"]


def test_memo_markup_and_length_are_kept(store: Store) -> None:
    """A 10,000-character memo with markdown and mentions is stored as is."""
    text = ("# Title\n**x** <@&999> ||spoiler|| " * 300)[:10_000]
    assert store.memo_document("alpha", text, ALICE).text == text


def test_bad_memos_are_refused(store: Store) -> None:
    """An empty memo and a memo on an unknown code are refused in words."""
    with pytest.raises(InvalidInput, match="needs some text"):
        store.memo_document("alpha", "   ", ALICE)
    with pytest.raises(UnknownCode):
        store.memo_code("no such code", "text", ALICE)


def test_delete_memo_is_owner_or_admin(store: Store) -> None:
    """Only the author (or an admin) deletes a memo."""
    memo = store.memo_document("alpha", "mine", ALICE)
    with pytest.raises(NotYours):
        store.delete_memo(memo.id, BOB)
    store.delete_memo(memo.id, BOB, admin=True)
    assert store.memos() == []


def test_collections_keep_the_order_saved_and_who_saved(store: Store, corpus: CorpusText) -> None:
    """Saved quotes come back in the order saved, each with who saved it."""
    for who, (doc, i) in zip(
        (BOB, ALICE, BOB), (("beta", 1), ("alpha", 0), ("alpha", 2)), strict=True
    ):
        store.save(corpus.anchor(pid(doc, i)), who, guild_id=7, collection="Paper draft")
    coll, items = store.collection("paper-draft", guild_id=7)
    assert coll.name == "Paper draft" and coll.created_by == "Bob"
    assert [(q.passage_id, q.saved_by) for q in items] == [
        (pid("beta", 1), "Bob"),
        (pid("alpha", 0), "alice"),
        (pid("alpha", 2), "Bob"),
    ]
    assert [q.position for q in items] == [1, 2, 3]


def test_collections_are_per_server(store: Store, corpus: CorpusText) -> None:
    """The same collection name on two servers (or the CLI) names two collections."""
    store.save(corpus.anchor(pid("alpha", 0)), ALICE, guild_id=1)
    store.save(corpus.anchor(pid("alpha", 1)), ALICE, guild_id=2)
    store.save(corpus.anchor(pid("beta", 0)), ALICE)
    assert [len(store.collection("quotes", g)[1]) for g in (1, 2, None)] == [1, 1, 1]
    with pytest.raises(UnknownCollection, match=r"no collection 'quotse'.*Did you mean: quotes"):
        store.collection("quotse", guild_id=1)
    assert [c.name for c in store.collections(1)] == ["quotes"]


def test_saving_a_quote_twice_is_refused(store: Store, corpus: CorpusText) -> None:
    """A collection holds a quote once."""
    anchor = corpus.anchor(pid("alpha", 0))
    store.save(anchor, ALICE)
    with pytest.raises(AlreadySaved, match="already in the collection 'quotes'"):
        store.save(anchor, BOB)


def test_unsave_keeps_the_order_of_the_rest(store: Store, corpus: CorpusText) -> None:
    """Removing a saved quote leaves the others in their order; others' quotes need an admin."""
    saved = [store.save(corpus.anchor(pid("alpha", i)), ALICE) for i in range(3)]
    with pytest.raises(NotYours):
        store.unsave(saved[1].id, BOB)
    store.unsave(saved[1].id, ALICE)
    assert [q.id for q in store.collection("quotes")[1]] == [saved[0].id, saved[2].id]
    later = store.save(corpus.anchor(pid("beta", 0)), BOB)
    assert later.position == 4
