"""`backup` (online copy) and `check` (integrity and what the corpus no longer knows)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.store import InvalidInput, Store
from tests.store.builders import DOCS, make_corpus, pid
from tests.store.conftest import ALICE


def test_backup_is_a_complete_working_copy(store: Store, tmp_path: Path) -> None:
    """A backup opens as a store with the same codings, made while the store stays open."""
    corpus = make_corpus()
    coding = store.code(corpus.anchor(pid("alpha", 0)), "corruption", ALICE, memo="m")
    target = store.backup(tmp_path / "backups" / "copy.sqlite3")
    store.code(corpus.anchor(pid("alpha", 1)), "corruption", ALICE)
    with Store(target) as copy:
        assert copy.codings() == [coding]
        assert copy.check().ok
    assert not list(target.parent.glob("*.partial"))


def test_backup_refuses_to_overwrite_the_database_itself(store: Store) -> None:
    """Backing up onto the live file is refused."""
    with pytest.raises(InvalidInput, match="another file"):
        store.backup(store.path)


def test_check_reports_orphans_against_the_corpus(store: Store) -> None:
    """check() finds codings and memos the corpus no longer knows and codes nobody used."""
    corpus = make_corpus()
    store.code(corpus.anchor(pid("beta", 0)), "corruption", ALICE)
    store.code(corpus.anchor(pid("alpha", 0)), "corruption", ALICE)
    store.memo_document("beta", "about beta", ALICE)
    store.memo_passage(corpus.anchor(pid("beta", 1)), "p", ALICE)
    report = store.check(make_corpus({"alpha": DOCS["alpha"]}))
    assert report.ok and report.integrity == ("ok",) and report.foreign_key_problems == 0
    assert report.unknown_passages == (pid("beta", 0),)
    assert report.unknown_documents == ("beta",)
    assert report.unused_codes == ("human-rights",)
    assert report.orphan_memos == 2
    assert (report.codings, report.needs_attention) == (2, 0)
    assert store.check(corpus).unknown_passages == ()
