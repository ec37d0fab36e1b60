"""Small made-up corpora and a ticking clock for the store and export tests."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.engine.model import Document, Passage
from bot.store import CorpusText

DOCS = {
    "alpha": [
        "The Mérida Initiative funded training on human rights for police officers.",
        "Critics reported extrajudicial killings and abuses by security forces.",
        "Human rights groups asked for *independent* audits of every unit.",
    ],
    "beta": [
        "Cartels moved fentanyl across the border while soldiers patrolled Juárez.",
        "Key measures include:\n• seizing precursor chemicals\n• sharing intelligence",
    ],
}


def passage_id(doc_id: str, text: str) -> str:
    """Like the engine: derived from the document and the passage's own words."""
    return hashlib.sha1(f"{doc_id}\x00{text}".encode()).hexdigest()[:12]


def make_corpus(docs: dict[str, list[str]] | None = None) -> CorpusText:
    """A CorpusText over documents given as lists of passage texts."""
    docs = DOCS if docs is None else docs
    documents = []
    passages = []
    for doc_id, texts in docs.items():
        title = doc_id.title() + " Report"
        documents.append(
            Document(doc_id, title, None, f"{doc_id}.txt", "0" * 64, 0, len(texts), ("Findings",))
        )
        for i, text in enumerate(texts, 1):
            passages.append(
                Passage(passage_id(doc_id, text), doc_id, title, "Findings", i, text, 0, len(text))
            )
    return CorpusText.build(documents, passages)


def pid(doc_id: str, index: int, docs: dict[str, list[str]] | None = None) -> str:
    """The id of the index-th (0-based) passage of a document of `docs`."""
    docs = DOCS if docs is None else docs
    return passage_id(doc_id, docs[doc_id][index])


class Clock:
    """A clock that moves one second each time it is read: stored times are predictable."""

    def __init__(self, start: datetime = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@contextmanager
def read_only_file(path: Path) -> Iterator[Path]:
    """`path` made unwritable for the block: immutable when running as root (where mode 0444 does
    not stop writes), else mode 0444; skips the test where neither can be done."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: cannot make a file read-only")
        made = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
        if made.returncode != 0:
            pytest.skip("running as root and chattr +i is not permitted here")
        try:
            yield path
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o444)
        try:
            yield path
        finally:
            path.chmod(0o644)
