"""A store holding every kind of record an export must carry, over a corpus with tricky text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.store import Actor, CodebookEntry, CorpusText, Snapshot, Store
from tests.store.builders import Clock, make_corpus, pid

DOCS = {
    "alpha": [
        "The Mérida Initiative funded training on human rights for police officers.",
        "Critics reported extrajudicial killings\r\nand abuses by security forces.",
        "Emoji 🚓 and tabs\tand <angle> & ampersands stay as they are.",
    ],
    "beta": [
        "Cartels moved fentanyl across the border while soldiers patrolled Juárez.",
        "Key measures include:\n• seizing precursor chemicals\n• sharing intelligence",
    ],
    "gamma": ["A document nobody coded."],
    "gone": ["This document will be removed from the corpus before the export."],
}
EXPORT_DOCS = {k: v for k, v in DOCS.items() if k != "gone"}
ALICE = Actor.local("alice")
BOB = Actor.discord(111, "Bob")


@pytest.fixture
def corpus() -> CorpusText:
    """The corpus at export time (document 'gone' was removed, alpha's 2nd passage edited)."""
    docs = dict(EXPORT_DOCS)
    docs["alpha"] = [DOCS["alpha"][0], "Critics reported abuses.", DOCS["alpha"][2]]
    return make_corpus(docs)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "db.sqlite3", clock=Clock()) as s:
        yield s


@pytest.fixture
def snapshot(store: Store, corpus: CorpusText) -> Snapshot:
    """Codings by two coders, a coding that lost its quote, one in a removed document, memos."""
    before = make_corpus(DOCS)
    store.sync_codebook(
        [
            CodebookEntry("human-rights", 'Rights & <abuses> by "forces".'),
            CodebookEntry("corruption"),
        ]
    )
    store.create_code("Émoji", ALICE, "Odd characters.", "#ff8800")
    a0 = before.anchor(pid("alpha", 0, DOCS))
    store.code(a0, "human-rights", ALICE, memo="**why** <@123>")
    store.code(a0, "human-rights", BOB, guild_id=5)
    store.code(before.anchor(pid("alpha", 0, DOCS), (4, 21)), "corruption", BOB)
    store.code(before.anchor(pid("alpha", 1, DOCS), (8, 39)), "human-rights", ALICE)  # lost
    store.code(before.anchor(pid("alpha", 2, DOCS)), "Émoji", ALICE)
    store.code(before.anchor(pid("beta", 1, DOCS)), "corruption", BOB, memo="list item")
    store.code(before.anchor(pid("gone", 0, DOCS)), "corruption", ALICE)  # document removed
    store.memo_passage(a0, "A passage memo.", BOB)
    store.memo_passage(before.anchor(pid("beta", 0, DOCS)), "Memo on an uncoded passage.", ALICE)
    store.memo_code("corruption", "Code memo: see the 2019 audit.", ALICE)
    store.memo_document("beta", "A press digest.", BOB)
    store.reanchor(corpus)
    return store.snapshot()
