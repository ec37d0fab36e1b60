"""Every change is audited (who, what, when, before/after); `/undo` reverts your own last one."""

from __future__ import annotations

import pytest

from bot.store import CorpusText, NothingToUndo, Store, UndoConflict
from tests.store.builders import pid
from tests.store.conftest import ALICE, BOB


def test_every_change_appends_an_audit_row(store: Store, corpus: CorpusText) -> None:
    """Create, edit and remove each leave one row with the actor and the row before/after."""
    coding = store.code(corpus.anchor(pid("alpha", 0)), "corruption", ALICE, memo="a")
    store.set_coding_memo(coding.id, "b", ALICE)
    store.uncode(coding.id, BOB, admin=True)
    created, edited, removed = reversed(store.audit(limit=3))
    assert (created.action, created.actor, created.before) == ("code", "alice", None)
    assert created.after is not None and created.after["quote"] == coding.quote
    assert (edited.action, edited.before["memo"], edited.after["memo"]) == (  # type: ignore[index]
        "edit coding memo",
        "a",
        "b",
    )
    assert (removed.action, removed.actor_key, removed.after) == ("uncode", "discord:111", None)
    assert removed.before is not None and removed.before["memo"] == "b"
    assert created.at < edited.at < removed.at
    assert [e.action for e in store.audit(actor=ALICE)] == ["edit coding memo", "code"]


def test_the_codebook_sync_is_audited_as_the_system(store: Store) -> None:
    """Themes added at start are audited with no member: nobody can undo them."""
    entries = store.audit()
    assert {e.action for e in entries} == {"codebook code"}
    assert {e.actor_key for e in entries} == {None}


def test_undo_reverts_your_last_change_then_the_one_before(
    store: Store, corpus: CorpusText
) -> None:
    """Undo walks back through the member's own changes, newest first, skipping others'."""
    anchor = corpus.anchor(pid("alpha", 0))
    first = store.code(anchor, "corruption", ALICE)
    store.code(anchor, "human-rights", BOB)
    memo = store.memo_passage(anchor, "v1", ALICE)
    store.memo_passage(anchor, "v2", ALICE)
    result = store.undo(ALICE)
    assert "edit memo" in result.message
    assert store.memos(author="alice")[0].text == "v1"
    store.undo(ALICE)
    assert store.memos(author="alice") == []
    store.undo(ALICE)
    assert [c.coder for c in store.codings()] == ["Bob"]
    with pytest.raises(NothingToUndo, match="no change left"):
        store.undo(ALICE)
    assert memo.id and first.id


def test_undo_of_a_removal_restores_the_coding_as_it_was(store: Store, corpus: CorpusText) -> None:
    """Undoing /uncode brings back the same coding: id, quote, memo, time."""
    coding = store.code(corpus.anchor(pid("beta", 1)), "human-rights", BOB, memo="keep", guild_id=9)
    store.uncode(coding.id, BOB)
    store.undo(BOB)
    assert store.get_coding(coding.id) == coding


def test_undo_marks_the_entry_undone_and_is_itself_audited(
    store: Store, corpus: CorpusText
) -> None:
    """The reverted entry is flagged undone and an 'undo' row records the reversal."""
    store.code(corpus.anchor(pid("alpha", 0)), "corruption", ALICE)
    store.undo(ALICE)
    undo, original = store.audit(actor=ALICE, limit=2)
    assert undo.action == "undo" and undo.after is None and undo.before is not None
    assert original.action == "code" and original.undone


def test_undo_that_would_break_later_work_is_refused(store: Store, corpus: CorpusText) -> None:
    """Undoing a code's creation after someone used it is refused; nothing changes."""
    store.create_code("Vetting", ALICE)
    store.code(corpus.anchor(pid("alpha", 0)), "vetting", BOB)
    with pytest.raises(UndoConflict, match="codings or memos use that code"):
        store.undo(ALICE)
    assert store.get_code("vetting").name == "Vetting"
    assert not store.audit(actor=ALICE)[0].undone


def test_undo_after_an_admin_removed_it_says_so(store: Store, corpus: CorpusText) -> None:
    """Undoing a coding an admin already removed is refused in words."""
    coding = store.code(corpus.anchor(pid("alpha", 0)), "corruption", ALICE)
    store.uncode(coding.id, BOB, admin=True)
    with pytest.raises(UndoConflict, match="already removed"):
        store.undo(ALICE)


def test_undo_of_an_edit_changed_again_by_an_admin_is_refused(
    store: Store, corpus: CorpusText
) -> None:
    """A memo edit is not undone over a later edit by someone else."""
    coding = store.code(corpus.anchor(pid("alpha", 0)), "corruption", ALICE, memo="a")
    store.set_coding_memo(coding.id, "b", ALICE)
    store.set_coding_memo(coding.id, "admin's", BOB, admin=True)
    with pytest.raises(UndoConflict, match="changed again"):
        store.undo(ALICE)
    assert store.get_coding(coding.id).memo == "admin's"


def test_undo_of_a_save_then_of_the_collection_it_created(store: Store, corpus: CorpusText) -> None:
    """The first save into a new collection is two changes: the quote, then the collection."""
    store.save(corpus.anchor(pid("alpha", 0)), ALICE, collection="Draft")
    store.undo(ALICE)
    assert store.collection("draft")[1] == []
    store.undo(ALICE)
    assert store.collections() == []


def test_ids_are_never_reused_after_an_undo(store: Store, corpus: CorpusText) -> None:
    """A new coding after an undone one gets a fresh id, so audit rows keep meaning one record."""
    first = store.code(corpus.anchor(pid("alpha", 0)), "corruption", ALICE)
    store.undo(ALICE)
    second = store.code(corpus.anchor(pid("alpha", 0)), "corruption", ALICE)
    assert second.id > first.id
