"""Schema versions: a fresh file gets the latest; files left by older versions migrate intact."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.store import LATEST_VERSION, Actor, Store
from bot.store.sqlite import APPLICATION_ID, MIGRATIONS, apply_migrations
from tests.store.builders import Clock, make_corpus, pid


def _old_file(path: Path, version: int) -> sqlite3.Connection:
    """A database exactly as corpus-bot at schema `version` left it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    apply_migrations(conn, version)
    return conn


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {r[0] for r in rows}


def test_migrations_are_numbered_from_one_without_gaps() -> None:
    """Migrations run 1..N in order; the latest is what a fresh file gets."""
    assert sorted(MIGRATIONS) == list(range(1, LATEST_VERSION + 1))
    assert LATEST_VERSION >= 3


def test_a_fresh_file_gets_the_latest_schema(tmp_path: Path) -> None:
    """A new database is created with its folder, at the latest version, marked as ours, in WAL."""
    path = tmp_path / "new" / "folder" / "db.sqlite3"
    with Store(path) as store:
        assert store.schema_version == LATEST_VERSION
    assert {"users", "codes", "codings", "memos", "collections", "saved_quotes", "audit"} <= (
        _tables(path)
    )
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_version_1_file_migrates_with_every_coding_and_memo(tmp_path: Path) -> None:
    """Data written under schema 1 is intact under the latest, and the new features work on it."""
    path = tmp_path / "v1.sqlite3"
    corpus = make_corpus()
    anchor = corpus.anchor(pid("alpha", 1))
    conn = _old_file(path, 1)
    conn.executescript(
        f"""
        INSERT INTO users (id, key, display_name, created)
            VALUES (1, 'discord:5', 'Old Timer', '2023-01-01T00:00:00.000000Z');
        INSERT INTO codes (id, name, folded, origin, created)
            VALUES (1, 'human-rights', 'human rights', 'codebook', '2023-01-01T00:00:00.000000Z');
        INSERT INTO codings (code_id, user_id, guild_id, passage_id, doc_id, quote,
                             start_offset, end_offset, memo, created)
            VALUES (1, 1, 77, '{anchor.passage_id}', 'alpha', '{anchor.quote}',
                    {anchor.start}, {anchor.end}, 'from v1', '2023-01-02T00:00:00.000000Z');
        INSERT INTO memos (user_id, kind, doc_id, text, created, updated)
            VALUES (1, 'document', 'beta', 'old memo', '2023-01-03T00:00:00.000000Z',
                    '2023-01-03T00:00:00.000000Z');
        """
    )
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()
    assert "audit" not in _tables(path) and "collections" not in _tables(path)

    with Store(path, clock=Clock()) as store:
        assert store.schema_version == LATEST_VERSION
        [coding] = store.codings()
        assert (coding.coder, coding.guild_id, coding.memo) == ("Old Timer", 77, "from v1")
        assert coding.quote == corpus.text("alpha")[coding.start : coding.end]
        assert store.memos()[0].text == "old memo"
        # v2 (collections) and v3 (audit, undo) work on the migrated data.
        old = Actor.discord(5, "Old Timer")
        store.save(anchor, old, guild_id=77)
        store.uncode(coding.id, old)
        store.undo(old)
        assert store.codings() == [coding]
        assert store.collection("quotes", 77)[1][0].quote == anchor.quote


def test_a_version_2_file_migrates_its_collections(tmp_path: Path) -> None:
    """Collections written under schema 2 survive the step to 3."""
    path = tmp_path / "v2.sqlite3"
    conn = _old_file(path, 2)
    conn.executescript(
        """
        INSERT INTO users (id, key, display_name, created) VALUES (1, 'local:ann', 'ann', 't');
        INSERT INTO collections (id, guild_id, name, folded, created, created_by)
            VALUES (1, NULL, 'Chapter 2', 'chapter 2', 't', 1);
        INSERT INTO saved_quotes (collection_id, position, user_id, passage_id, doc_id, quote,
                                  start_offset, end_offset, saved)
            VALUES (1, 1, 1, 'p', 'alpha', 'The', 0, 3, 't');
        """
    )
    conn.close()
    with Store(path) as store:
        coll, items = store.collection("chapter-2")
        assert (coll.name, [q.quote for q in items]) == ("Chapter 2", ["The"])


def test_opening_an_up_to_date_file_changes_nothing(tmp_path: Path) -> None:
    """Re-opening at the latest version runs no migration (the file's schema is unchanged)."""
    path = tmp_path / "db.sqlite3"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        schema = conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    Store(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == schema
