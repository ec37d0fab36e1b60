"""The database schema: numbered forward migrations, applied in one transaction.

Why numbered migrations and never edits: a team's database outlives many versions of the bot.
Migration N takes a file at `PRAGMA user_version` N-1 to N; the tests build a version-1 file and
check that the latest code opens it with every record intact.
"""

from __future__ import annotations

import sqlite3

APPLICATION_ID = 0x43425354  # "CBST": marks the file as corpus-bot's in its header

# Audited tables use AUTOINCREMENT: an id is never reused, so the audit log and `/uncode 12`
# always mean one record.
# Migration N takes a database at version N-1 to version N. Never edit a released migration:
# add the next one. Each runs inside one transaction with the version bump.

MIGRATIONS: dict[int, tuple[str, ...]] = {
    # 1: who coded what — users, codes, codings, memos.
    1: (
        f"PRAGMA application_id = {APPLICATION_ID}",
        """CREATE TABLE users (
            id           INTEGER PRIMARY KEY,
            key          TEXT NOT NULL UNIQUE,   -- 'discord:<id>' or 'local:<name>'
            display_name TEXT NOT NULL,
            created      TEXT NOT NULL
        )""",
        """CREATE TABLE codes (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            name        TEXT NOT NULL,
            folded      TEXT NOT NULL UNIQUE,    -- fold_name(name): the collision key
            description TEXT NOT NULL DEFAULT '',
            colour      TEXT,
            origin      TEXT NOT NULL CHECK (origin IN ('codebook', 'member', 'import')),
            created     TEXT NOT NULL,
            created_by  INTEGER REFERENCES users (id)
        )""",
        """CREATE TABLE codings (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            code_id      INTEGER NOT NULL REFERENCES codes (id),
            user_id      INTEGER NOT NULL REFERENCES users (id),
            guild_id     INTEGER,                -- NULL: coded from the CLI or the console
            passage_id   TEXT NOT NULL,
            doc_id       TEXT NOT NULL,
            quote        TEXT NOT NULL,          -- document_text[start_offset:end_offset]
            start_offset INTEGER NOT NULL CHECK (start_offset >= 0),
            end_offset   INTEGER NOT NULL CHECK (end_offset >= start_offset),
            memo         TEXT NOT NULL DEFAULT '',
            status       TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'needs_attention')),
            created      TEXT NOT NULL
        )""",
        "CREATE INDEX codings_by_code ON codings (code_id, doc_id, start_offset)",
        "CREATE INDEX codings_by_doc ON codings (doc_id, start_offset)",
        "CREATE INDEX codings_by_user ON codings (user_id, code_id)",
        """CREATE TABLE memos (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id      INTEGER NOT NULL REFERENCES users (id),
            guild_id     INTEGER,
            kind         TEXT NOT NULL CHECK (kind IN ('passage', 'code', 'document')),
            code_id      INTEGER REFERENCES codes (id),
            doc_id       TEXT,
            passage_id   TEXT,
            quote        TEXT,
            start_offset INTEGER,
            end_offset   INTEGER,
            status       TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'needs_attention')),
            text         TEXT NOT NULL,
            created      TEXT NOT NULL,
            updated      TEXT NOT NULL,
            CHECK ((kind = 'code') = (code_id IS NOT NULL)),
            CHECK (kind = 'code' OR doc_id IS NOT NULL),
            CHECK ((kind = 'passage') = (passage_id IS NOT NULL))
        )""",
        "CREATE INDEX memos_by_target ON memos (kind, passage_id, doc_id, code_id)",
    ),
    # 2: collections — named, ordered lists of saved quotes, one namespace per server.
    2: (
        """CREATE TABLE collections (
            id         INTEGER PRIMARY KEY AUTOINCREMENT,
            guild_id   INTEGER,
            name       TEXT NOT NULL,
            folded     TEXT NOT NULL,
            created    TEXT NOT NULL,
            created_by INTEGER NOT NULL REFERENCES users (id)
        )""",
        "CREATE UNIQUE INDEX collections_by_name ON collections (ifnull(guild_id, 0), folded)",
        """CREATE TABLE saved_quotes (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            collection_id INTEGER NOT NULL REFERENCES collections (id),
            position      INTEGER NOT NULL,
            user_id       INTEGER NOT NULL REFERENCES users (id),
            passage_id    TEXT NOT NULL,
            doc_id        TEXT NOT NULL,
            quote         TEXT NOT NULL,
            start_offset  INTEGER NOT NULL,
            end_offset    INTEGER NOT NULL,
            note          TEXT NOT NULL DEFAULT '',
            status        TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'needs_attention')),
            saved         TEXT NOT NULL,
            UNIQUE (collection_id, position)
        )""",
    ),
    # 3: the audit table — every change with who, when, the row before and after; undo.
    3: (
        """CREATE TABLE audit (
            id        INTEGER PRIMARY KEY,
            at        TEXT NOT NULL,
            user_id   INTEGER REFERENCES users (id),    -- NULL: the system (re-anchoring)
            action    TEXT NOT NULL,
            subject   TEXT NOT NULL,
            row_id    INTEGER NOT NULL,
            before    TEXT,                             -- JSON of the row, NULL when created
            after     TEXT,                             -- JSON of the row, NULL when removed
            undone_by INTEGER REFERENCES audit (id)
        )""",
        "CREATE INDEX audit_by_user ON audit (user_id, id)",
    ),
    # 4: what the anchors were last checked against, so a check after an unchanged corpus is free:
    # each document's text fingerprint, and the last audit row whose record was checked.
    4: (
        """CREATE TABLE anchored_texts (
            doc_id      TEXT PRIMARY KEY,
            fingerprint TEXT NOT NULL              -- CorpusText.fingerprint(doc_id)
        ) WITHOUT ROWID""",
        """CREATE TABLE anchor_checks (
            id         INTEGER PRIMARY KEY CHECK (id = 1),  -- one row
            audit_mark INTEGER NOT NULL,                    -- audit rows up to it were checked
            checked    TEXT NOT NULL
        )""",
    ),
}
LATEST_VERSION = max(MIGRATIONS)

# What the audit calls each kind of record, and where it lives.
TABLES = {
    "code": "codes",
    "coding": "codings",
    "memo": "memos",
    "collection": "collections",
    "saved_quote": "saved_quotes",
}
ANCHORED = ("coding", "memo", "saved_quote")


def apply_migrations(conn: sqlite3.Connection, target: int = LATEST_VERSION) -> int:
    """Bring the open database up to `target`, in one transaction; return the version before.

    `conn` must be in autocommit mode (`isolation_level=None`). Tests use it to build a database
    as an older corpus-bot left it.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for step in range(version + 1, target + 1):
            for statement in MIGRATIONS[step]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {step}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return int(version)
