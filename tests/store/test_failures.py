"""Database files that cannot be used give a clear sentence and are never overwritten."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.store import (
    CorpusText,
    CorruptStore,
    ForeignDatabase,
    NewerSchema,
    ReadOnlyStore,
    Store,
    StoreError,
    StoreLocked,
    StoreUnavailable,
)
from bot.store.sqlite import LATEST_VERSION
from tests.store.builders import pid, read_only_file
from tests.store.conftest import ALICE


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def existing(tmp_path: Path, corpus: CorpusText) -> Path:
    """A database with one coding, closed (its WAL checkpointed into the file)."""
    path = tmp_path / "db.sqlite3"
    with Store(path) as store:
        store.create_code("topic", ALICE)
        store.code(corpus.anchor(pid("alpha", 0)), "topic", ALICE)
    return path


@pytest.fixture
def read_only(existing: Path) -> Iterator[Path]:
    """The database file made unwritable: immutable when running as root, else mode 0444."""
    with read_only_file(existing):
        yield existing


def test_read_only_file_is_refused_and_left_as_it_was(read_only: Path) -> None:
    """Opening a read-only database says it is read-only, and its bytes do not change."""
    before = _digest(read_only)
    with pytest.raises(ReadOnlyStore) as err:
        Store(read_only)
    assert str(err.value) == (
        f"The team database {read_only} cannot be used: it is read-only (check the permissions "
        "of the file and of its folder); nothing was changed."
    )
    assert _digest(read_only) == before


def test_corrupt_file_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    """A file that is not a database says so and is not overwritten."""
    path = tmp_path / "db.sqlite3"
    path.write_bytes(b"these are my notes, not a database\n" * 200)
    before = _digest(path)
    with pytest.raises(CorruptStore, match=r"not a readable database file.*left untouched"):
        Store(path)
    assert _digest(path) == before


def test_damaged_pages_fail_the_integrity_check(existing: Path) -> None:
    """A database whose pages were scribbled over is refused or reported by check()."""
    data = bytearray(existing.read_bytes())
    page = 4096
    for i in range(page * 2 + 100, min(len(data), page * 5), 7):
        data[i] = 0xA5
    existing.write_bytes(bytes(data))
    try:
        with Store(existing) as store:
            report = store.check()
        assert not report.ok and report.integrity != ("ok",)
    except CorruptStore:
        pass


def test_another_programs_sqlite_file_is_refused(tmp_path: Path) -> None:
    """A SQLite file of some other program is neither migrated nor written."""
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.close()
    before = _digest(path)
    with pytest.raises(ForeignDatabase, match="some other program"):
        Store(path)
    assert _digest(path) == before


def test_a_newer_schema_version_is_refused_and_never_downgraded(existing: Path) -> None:
    """A file from a newer corpus-bot is refused by name and version, and left byte for byte."""
    with sqlite3.connect(existing) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")  # so that even switching to WAL would show
        conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    before = _digest(existing)
    with pytest.raises(NewerSchema) as err:
        Store(existing)
    assert f"schema version {LATEST_VERSION + 1}" in str(err.value)
    assert "upgrade corpus-bot" in str(err.value)
    assert _digest(existing) == before


def test_a_locked_database_gives_up_after_the_busy_timeout(
    existing: Path, corpus: CorpusText
) -> None:
    """While another program holds the write lock, a change waits, then says so; none is lost."""
    store = Store(existing, busy_timeout=0.05)
    other = sqlite3.connect(existing, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreLocked, match=r"kept it locked for more than 0\.05 s"):
            store.code(corpus.anchor(pid("alpha", 1)), "topic", ALICE)
        assert store.count_codings() == 1  # reads go on during the lock (WAL)
    finally:
        other.execute("ROLLBACK")
        other.close()
    store.code(corpus.anchor(pid("alpha", 1)), "topic", ALICE)
    assert store.count_codings() == 2
    store.close()


def test_a_locked_database_at_start_is_a_clear_error(existing: Path) -> None:
    """Opening while another program holds an exclusive lock is refused in words."""
    other = sqlite3.connect(existing, isolation_level=None)
    other.execute("PRAGMA journal_mode = DELETE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreLocked):
            Store(existing, busy_timeout=0.05)
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_folder_in_place_of_the_file_is_refused(tmp_path: Path) -> None:
    """A store path that is a folder is a clear error."""
    with pytest.raises(StoreUnavailable, match="is a folder"):
        Store(tmp_path)


def test_the_store_makes_its_folder(tmp_path: Path) -> None:
    """The database's folder (and parents) are created on first use."""
    path = tmp_path / "a" / "b" / "db.sqlite3"
    Store(path).close()
    assert path.is_file()


def test_a_closed_store_says_so(tmp_path: Path) -> None:
    """Using a store after close() is a clear error, not a crash."""
    store = Store(tmp_path / "db.sqlite3")
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.codes()
