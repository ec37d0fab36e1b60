"""After a corpus reload, quotes follow their words; a quote that is gone is kept and flagged."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from bot.engine import Engine
from bot.settings import Settings
from bot.store import Actor, CodebookEntry, Store
from tests.store.builders import DOCS, make_corpus, pid
from tests.store.conftest import ALICE, BOB


def _edited(**changes: list[str]) -> dict[str, list[str]]:
    return {**DOCS, **changes}


def test_unchanged_corpus_changes_nothing(store: Store) -> None:
    """Reloading the same corpus leaves every coding as it was and audits nothing."""
    corpus = make_corpus()
    coding = store.code(corpus.anchor(pid("alpha", 1)), "corruption", ALICE)
    audited = len(store.audit(limit=1000))
    report = store.reanchor(make_corpus())
    assert (report.checked, report.unchanged, report.changed) == (1, 1, False)
    assert store.get_coding(coding.id) == coding
    assert len(store.audit(limit=1000)) == audited


def test_a_passage_pushed_down_by_new_text_keeps_its_id_and_moves(store: Store) -> None:
    """Text added above shifts the offsets: the coding follows, same passage, same quote."""
    corpus = make_corpus()
    coding = store.code(corpus.anchor(pid("alpha", 1), (8, 39)), "human-rights", ALICE)
    new = make_corpus(_edited(alpha=["A new opening paragraph.", *DOCS["alpha"]]))
    report = store.reanchor(new)
    moved = store.get_coding(coding.id)
    assert moved.passage_id == coding.passage_id and moved.status == "ok"
    assert moved.start == coding.start + len("A new opening paragraph.\n\n")
    assert new.text("alpha")[moved.start : moved.end] == coding.quote
    assert [m.row_id for m in report.moved] == [coding.id]


def test_a_rewritten_passage_is_found_again_by_its_quote(store: Store) -> None:
    """The passage's words changed (new id), but the quoted words are still there: re-anchored."""
    corpus = make_corpus()
    coding = store.code(corpus.anchor(pid("alpha", 1), (8, 39)), "human-rights", BOB)
    assert coding.quote == "reported extrajudicial killings"
    changed = "Several critics reported extrajudicial killings in 2019 and later."
    new_docs = _edited(alpha=[DOCS["alpha"][0], changed, DOCS["alpha"][2]])
    new = make_corpus(new_docs)
    report = store.reanchor(new)
    moved = store.get_coding(coding.id)
    assert moved.passage_id == pid("alpha", 1, new_docs) != coding.passage_id
    assert new.text("alpha")[moved.start : moved.end] == coding.quote
    assert report.moved[0].new_passage_id == moved.passage_id


def test_a_quote_that_is_gone_is_kept_flagged_and_reported(store: Store) -> None:
    """Words deleted from the document: the coding stays with its quote, needs attention."""
    corpus = make_corpus()
    coding = store.code(corpus.anchor(pid("alpha", 1)), "human-rights", ALICE, memo="keep me")
    report = store.reanchor(make_corpus(_edited(alpha=[DOCS["alpha"][0], DOCS["alpha"][2]])))
    kept = store.get_coding(coding.id)
    assert kept.status == "needs_attention"
    assert (kept.quote, kept.memo, kept.start) == (coding.quote, "keep me", coding.start)
    assert [(lost.row_id, lost.reason) for lost in report.lost] == [(coding.id, "quote gone")]
    assert store.codings(status="needs_attention") == [kept]
    assert store.audit(limit=1)[0].action == "reanchor"
    assert store.audit(limit=1)[0].actor_key is None


def test_a_removed_document_flags_its_codings(store: Store) -> None:
    """A document gone from the corpus: its codings are kept and reported as 'document gone'."""
    store.code(make_corpus().anchor(pid("beta", 0)), "corruption", ALICE)
    report = store.reanchor(make_corpus({"alpha": DOCS["alpha"]}))
    assert [lost.reason for lost in report.lost] == ["document gone"]
    assert store.count_codings(status="needs_attention") == 1


def test_a_flagged_coding_recovers_when_its_words_come_back(store: Store) -> None:
    """Reloading a corpus where the quote is back clears needs-attention (reported recovered)."""
    coding = store.code(make_corpus().anchor(pid("beta", 0)), "corruption", ALICE)
    store.reanchor(make_corpus({"alpha": DOCS["alpha"]}))
    again = store.reanchor(make_corpus())
    assert store.get_coding(coding.id) == coding
    assert [r.row_id for r in again.recovered] == [coding.id]
    third = store.reanchor(make_corpus({"alpha": DOCS["alpha"]}))
    fourth = store.reanchor(make_corpus({"alpha": DOCS["alpha"]}))
    assert len(third.lost) == 1 and fourth.still_lost == 1 and not fourth.changed


def test_passage_memos_and_saved_quotes_follow_too(store: Store) -> None:
    """Passage memos and saved quotes are re-anchored like codings."""
    corpus = make_corpus()
    anchor = corpus.anchor(pid("alpha", 2))
    memo = store.memo_passage(anchor, "audits!", ALICE)
    saved = store.save(anchor, ALICE)
    store.memo_document("alpha", "unaffected", ALICE)
    new = make_corpus(_edited(alpha=["Inserted first.", *DOCS["alpha"]]))
    report = store.reanchor(new)
    assert {m.subject for m in report.moved} == {"memo", "saved_quote"}
    [moved_memo] = store.memos(kind="passage")
    [moved_quote] = store.collection("quotes")[1]
    for item in (moved_memo, moved_quote):
        assert item.start is not None and item.end is not None
        assert new.text("alpha")[item.start : item.end] == anchor.quote
    assert moved_memo.id == memo.id and moved_quote.id == saved.id


def test_a_repeated_quote_stays_at_the_occurrence_nearest_its_place(store: Store) -> None:
    """Among several copies of the words, the one in its own passage / nearest wins."""
    docs = {"d": ["rights and duties", "more rights and duties here", "rights and duties"]}
    corpus = make_corpus(docs)
    coding = store.code(corpus.anchor(pid("d", 2, docs)), "corruption", ALICE)
    new_docs = {"d": ["preface", *docs["d"]]}
    store.reanchor(make_corpus(new_docs))
    assert store.get_coding(coding.id).passage_id == pid("d", 3, new_docs)


def test_reanchor_through_a_real_engine_reload(
    write_corpus: Callable[[dict[str, str | bytes]], Path], tmp_path: Path
) -> None:
    """An edited corpus file, reloaded by the engine: the coding follows its quote."""
    from bot.store import CorpusText

    original = (
        "Report\n\nThe Mérida Initiative funded training on human rights for police officers "
        "in several Mexican states over many years.\n\n"
        "Critics reported extrajudicial killings and abuses by security forces in several states.\n"
    )
    folder = write_corpus({"alpha.txt": original})
    settings = replace(Settings(), base_dir=str(folder.parent))
    engine = Engine.load(settings, folder=folder)
    corpus = CorpusText.build(engine.documents, engine.corpus.passages)
    target = engine.corpus.passages[1]
    with Store(tmp_path / "db.sqlite3") as store:
        store.sync_codebook([CodebookEntry("human-rights")])
        coding = store.code(corpus.anchor(target.id, (8, 39)), "human-rights", Actor.local("al"))
        edited = original.replace(
            "Critics reported",
            "New evidence came out this year in two states, say the human rights groups.\n\n"
            "Critics reported",
        ).replace("in several states.", "in many states.")
        (folder / "alpha.txt").write_text(edited, encoding="utf-8")
        reloaded = Engine.load(settings, folder=folder)
        new = CorpusText.build(reloaded.documents, reloaded.corpus.passages)
        assert not new.has_passage(target.id)
        report = store.reanchor(new)
        moved = store.get_coding(coding.id)
    assert moved.status == "ok" and moved.passage_id != target.id
    assert new.text("alpha")[moved.start : moved.end] == "reported extrajudicial killings"
    assert len(report.moved) == 1


def test_with_its_passage_gone_a_quote_goes_to_the_nearest_copy(store: Store) -> None:
    """When both passages holding the words changed, the copy nearest the old offset wins."""
    docs = {"d": ["alpha rights beta", "gamma words", "delta rights epsilon"]}
    corpus = make_corpus(docs)
    coding = store.code(corpus.anchor(pid("d", 2, docs), (6, 12)), "corruption", ALICE)
    assert coding.quote == "rights"
    new_docs = {"d": ["alpha rights beta!", "gamma words", "delta rights epsilon!"]}
    store.reanchor(make_corpus(new_docs))
    assert store.get_coding(coding.id).passage_id == pid("d", 2, new_docs)


# -- refresh_anchors: the same rule, only where something may have moved ---------------------


def test_refresh_reads_nothing_when_the_corpus_is_as_last_checked(store: Store) -> None:
    """After one check, an unchanged corpus re-reads no record and writes nothing."""
    corpus = make_corpus()
    store.code(corpus.anchor(pid("alpha", 1)), "corruption", ALICE)
    store.code(corpus.anchor(pid("beta", 0)), "corruption", ALICE)
    assert store.refresh_anchors(corpus).checked == 2  # the first call checks everything
    audited = store.audit(limit=1000)
    report = store.refresh_anchors(make_corpus())
    assert (report.checked, report.changed) == (0, False)
    assert store.audit(limit=1000) == audited


def test_refresh_checks_only_the_edited_document_and_moves_its_coding(store: Store) -> None:
    """Text added above a coded passage of alpha: alpha's codings are checked and follow their
    quote; beta's are not even read."""
    corpus = make_corpus()
    coding = store.code(corpus.anchor(pid("alpha", 1), (8, 39)), "human-rights", ALICE)
    store.code(corpus.anchor(pid("beta", 0)), "corruption", ALICE)
    store.refresh_anchors(corpus)
    new = make_corpus(_edited(alpha=["A new opening paragraph.", *DOCS["alpha"]]))
    report = store.refresh_anchors(new)
    assert report.checked == 1 and [m.row_id for m in report.moved] == [coding.id]
    moved = store.get_coding(coding.id)
    assert new.text("alpha")[moved.start : moved.end] == coding.quote
    assert store.refresh_anchors(new).checked == 0


def test_refresh_checks_records_written_since_against_another_load(store: Store) -> None:
    """A coding made after the check by a process still serving the old corpus (the bot before
    its /reload) is checked on the next refresh, though no fingerprint changed."""
    old = make_corpus()
    new = make_corpus(_edited(alpha=["A new opening paragraph.", *DOCS["alpha"]]))
    store.refresh_anchors(new)
    stale = store.code(old.anchor(pid("alpha", 1), (8, 39)), "human-rights", BOB)
    report = store.refresh_anchors(new)
    assert [m.row_id for m in report.moved] == [stale.id]
    fixed = store.get_coding(stale.id)
    assert new.text("alpha")[fixed.start : fixed.end] == stale.quote


def test_refresh_flags_the_codings_of_a_removed_document(store: Store) -> None:
    """A document gone since the last check: its codings are read, kept and flagged."""
    store.code(make_corpus().anchor(pid("beta", 0)), "corruption", ALICE)
    store.refresh_anchors(make_corpus())
    report = store.refresh_anchors(make_corpus({"alpha": DOCS["alpha"]}))
    assert [lost.reason for lost in report.lost] == ["document gone"]
    assert store.refresh_anchors(make_corpus({"alpha": DOCS["alpha"]})).checked == 0


def test_a_full_reanchor_records_the_check(store: Store) -> None:
    """The bot's /reload (a full `reanchor`) also records what it checked against."""
    corpus = make_corpus()
    store.code(corpus.anchor(pid("alpha", 1)), "corruption", ALICE)
    store.reanchor(corpus)
    assert store.refresh_anchors(corpus).checked == 0
