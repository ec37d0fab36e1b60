"""Fixtures for the store tests: a fresh database file per test and a small corpus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.store import Actor, CodebookEntry, CorpusText, Store
from tests.store.builders import Clock, make_corpus

ALICE = Actor.local("alice")
BOB = Actor.discord(111, "Bob")
CAROL = Actor.discord(222, "Carol")


@pytest.fixture
def corpus() -> CorpusText:
    return make_corpus()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "team.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    """A store on a fresh file with the codebook's two themes."""
    with Store(db_path, clock=Clock(), busy_timeout=2) as s:
        s.sync_codebook(
            [
                CodebookEntry("human-rights", "Violations and protection of rights."),
                CodebookEntry("corruption", "Bribery and collusion."),
            ]
        )
        yield s
