"""The team's memory in SQLite: every query the bot makes (the schema is in `schema.py`).

Why SQLite from the standard library: the bot starts with nothing to install, and one file holds
the team's codings, memos and quotes. How it is used follows sqlite-utils' advice:

- one connection per thread (the bot calls from worker threads, never the event loop);
- WAL mode (readers never block the writer), foreign keys on, a busy timeout, `synchronous=FULL`
  (a committed change survives a crash or power cut: an acknowledged coding is never lost);
- every change in one `BEGIN IMMEDIATE` transaction — the write lock is taken up front, so a
  check-then-insert (no duplicate coding) cannot race with another writer — and one audit row
  per changed record, written in the same transaction;
- the schema versioned with `PRAGMA user_version` and numbered forward migrations; a file from a
  newer version, a foreign SQLite file, a corrupt or read-only file is refused before anything is
  written to it.

The public surface is the `Store` class: plain methods taking and returning the frozen dataclasses
of `bot.store.model`, raising `bot.store.errors`. Nothing else in the code base writes SQL.
"""

from __future__ import annotations

import difflib
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.store import errors as E
from bot.store.agreement import Agreement, agreement
from bot.store.model import (
    OK,
    Actor,
    AuditEntry,
    CheckReport,
    Code,
    CodebookEntry,
    CodeCount,
    Coding,
    Collection,
    ImportReport,
    Memo,
    MemoKind,
    Origin,
    ReanchorReport,
    SavedQuote,
    Snapshot,
    Status,
    UndoResult,
    User,
)
from bot.store.reanchor import AnchoredRow, decide, summarize
from bot.store.sqlite.rows import (
    AUDIT_SELECT,
    CODE_SELECT,
    CODING_SELECT,
    COLLECTION_SELECT,
    MEMO_SELECT,
    SAVED_SELECT,
    audit_record,
    code_record,
    coding_record,
    collection_record,
    memo_record,
    row_dict,
    saved_record,
    to_json,
    user_record,
)
from bot.store.sqlite.schema import (
    ANCHORED,
    APPLICATION_ID,
    LATEST_VERSION,
    TABLES,
    apply_migrations,
)
from bot.store.text import Anchor, CorpusText, fold_name
from bot.store.validate import check_anchor, check_code, check_name

log = logging.getLogger(__name__)

DEFAULT_BUSY_TIMEOUT = 5.0
DEFAULT_COLLECTION = "quotes"

_SQLITE_READONLY = 8
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26
_SQLITE_IOERR = 10
_SQLITE_PERM = 3


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Store:
    """The team's database: codes, codings, memos, collections, the audit log.

    Open it once per process and share it between threads; each thread gets its own
    connection. Every method is blocking: call it from a worker thread, never the event loop.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.path = Path(path)
        self.busy_timeout = float(busy_timeout)
        self._clock = clock
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._closed = False
        self._prepare_folder()
        try:
            self._open()
        except BaseException:
            self.close()
            raise

    # -- opening ---------------------------------------------------------------------------

    def _prepare_folder(self) -> None:
        if self.path.is_dir():
            raise E.StoreUnavailable(self.path, "it is a folder, not a file")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except PermissionError:
            raise E.ReadOnlyStore(self.path) from None
        except OSError as exc:
            reason = f"its folder cannot be made ({exc.strerror})"
            raise E.StoreUnavailable(self.path, reason) from None

    def _open(self) -> None:
        conn = self._conn()
        with self._translate():
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            if version > LATEST_VERSION:
                raise E.NewerSchema(self.path, version, LATEST_VERSION)
            if version == 0:
                tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                if tables or app_id not in (0, APPLICATION_ID):
                    raise E.ForeignDatabase(self.path)
            elif app_id != APPLICATION_ID:
                raise E.ForeignDatabase(self.path)
            # Probe for write access before changing anything (a read-only file fails here).
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(f"PRAGMA user_version = {int(version)}")
            finally:
                conn.execute("ROLLBACK")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                log.warning("%s: WAL mode unavailable (journal mode %s)", self.path, mode)
            before = apply_migrations(conn)
        if before != LATEST_VERSION:
            log.info("%s: schema migrated from version %d to %d", self.path, before, LATEST_VERSION)

    def _connect(self) -> sqlite3.Connection:
        with self._translate():
            conn = sqlite3.connect(
                self.path,
                timeout=self.busy_timeout,
                isolation_level=None,
                check_same_thread=False,
            )
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            conn.execute("PRAGMA synchronous = FULL")
        return conn

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise E.StoreError("The team database is closed.")
            conn = self._connect()
            self._local.conn = conn
            with self._connections_lock:
                self._connections.append(conn)
        return conn

    def close(self) -> None:
        """Close every thread's connection (the last one checkpoints the WAL)."""
        self._closed = True
        with self._connections_lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            with suppress(sqlite3.Error):
                conn.close()
        self._local = threading.local()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self._translate():
            return int(self._conn().execute("PRAGMA user_version").fetchone()[0])

    # -- transactions and errors --------------------------------------------------------------

    @contextmanager
    def _translate(self) -> Iterator[None]:
        """sqlite3's errors become `StoreError`s that say what happened to the file."""
        try:
            yield
        except sqlite3.Error as exc:
            raise self._friendly(exc) from exc

    def _friendly(self, exc: sqlite3.Error) -> Exception:
        code = getattr(exc, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        text = str(exc).lower()
        if primary == _SQLITE_READONLY or "readonly" in text:
            return E.ReadOnlyStore(self.path)
        if primary in (_SQLITE_BUSY, _SQLITE_LOCKED) or "database is locked" in text:
            return E.StoreLocked(self.path, self.busy_timeout)
        if primary in (_SQLITE_NOTADB, _SQLITE_CORRUPT) or "not a database" in text:
            return E.CorruptStore(self.path, str(exc))
        if primary == _SQLITE_FULL:
            return E.StoreFull(self.path)
        if primary in (_SQLITE_CANTOPEN, _SQLITE_PERM):
            return E.StoreUnavailable(self.path, "the file cannot be opened")
        if primary == _SQLITE_IOERR:
            return E.StoreUnavailable(self.path, "reading or writing the disk failed")
        return exc

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One change: a transaction holding the write lock from its first statement."""
        conn = self._conn()
        with self._translate():
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """Several reads that must see one moment (a snapshot for an export)."""
        conn = self._conn()
        with self._translate():
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._translate():
            return self._conn().execute(sql, params).fetchall()

    def _now(self) -> str:
        return _stamp(self._clock())

    # -- users -------------------------------------------------------------------------------

    def _user_id(self, conn: sqlite3.Connection, actor: Actor) -> int:
        """The actor's row, created or renamed as needed (inside the caller's transaction)."""
        kind, _, rest = actor.key.partition(":")
        if kind not in ("discord", "local") or not rest.strip() or not actor.display_name.strip():
            raise E.InvalidInput("A user needs a name (or a Discord id and a display name).")
        conn.execute(
            "INSERT INTO users (key, display_name, created) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET display_name = excluded.display_name "
            "WHERE display_name != excluded.display_name",
            (actor.key, actor.display_name.strip(), self._now()),
        )
        return int(conn.execute("SELECT id FROM users WHERE key = ?", (actor.key,)).fetchone()[0])

    def users(self) -> list[User]:
        rows = self._query("SELECT * FROM users ORDER BY display_name COLLATE NOCASE, key")
        return [user_record(r) for r in rows]

    def find_user(self, name: str) -> User:
        """A user by key ("discord:123", "local:alice"), Discord id, or display name."""
        name = name.strip()
        users = self.users()
        for u in users:
            if name in (u.key, str(u.discord_id)):
                return u
        folded = fold_name(name)
        same = [u for u in users if fold_name(u.display_name) == folded]
        same += [u for u in users if fold_name(u.key.partition(":")[2]) == folded and u not in same]
        if len(same) == 1:
            return same[0]
        if len(same) > 1:
            keys = ", ".join(u.key for u in same)
            raise E.InvalidInput(f"Several people are called '{name}' ({keys}); name one by id.")
        names = {fold_name(u.display_name): u.display_name for u in users}
        close = difflib.get_close_matches(folded, names, n=3, cutoff=0.6)
        raise E.UnknownUser(name, [names[c] for c in close])

    # -- codes -------------------------------------------------------------------------------

    def codes(self) -> list[Code]:
        return [code_record(r) for r in self._query(CODE_SELECT + " ORDER BY k.folded")]

    def get_code(self, name: str) -> Code:
        """The code whose name folds like `name` (case, accents, hyphens ignored)."""
        folded = fold_name(name)
        rows = self._query(CODE_SELECT + " WHERE k.folded = ?", (folded,))
        if rows:
            return code_record(rows[0])
        raise E.UnknownCode(name.strip(), self._close_codes(folded))

    def _close_codes(self, folded: str) -> list[str]:
        names = {r["folded"]: r["name"] for r in self._query("SELECT folded, name FROM codes")}
        close = difflib.get_close_matches(folded, names, n=3, cutoff=0.6)
        starts = [f for f in names if folded and f.startswith(folded) and f not in close]
        return [names[f] for f in [*close, *starts][:3]]

    def match_codes(self, text: str, limit: int = 25) -> list[Code]:
        """Codes whose folded name contains `text`, prefix matches first (autocomplete)."""
        folded = fold_name(text)
        codes = self.codes()
        if not folded:
            return codes[:limit]
        hits = [c for c in codes if folded in fold_name(c.name)]
        hits.sort(key=lambda c: (not fold_name(c.name).startswith(folded), fold_name(c.name)))
        return hits[:limit]

    def create_code(
        self,
        name: str,
        actor: Actor,
        description: str = "",
        colour: str | None = None,
    ) -> Code:
        """A member's new code; refused when its name collides with an existing one."""
        name, colour = check_code(name, colour)
        with self._write() as conn:
            uid = self._user_id(conn, actor)
            code_id = self._insert_code(conn, name, description, colour, "member", uid)
            self._audit(conn, uid, "create code", "code", code_id, None)
            return code_record(conn.execute(CODE_SELECT + " WHERE k.id = ?", (code_id,)).fetchone())

    def _insert_code(
        self,
        conn: sqlite3.Connection,
        name: str,
        description: str,
        colour: str | None,
        origin: Origin,
        user_id: int | None,
    ) -> int:
        folded = fold_name(name)
        clash = conn.execute("SELECT name FROM codes WHERE folded = ?", (folded,)).fetchone()
        if clash:
            raise E.CodeNameTaken(name, clash["name"])
        cur = conn.execute(
            "INSERT INTO codes (name, folded, description, colour, origin, created, created_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (name, folded, description.strip(), colour, origin, self._now(), user_id),
        )
        return int(cur.lastrowid or 0)

    def sync_codebook(self, entries: Iterable[CodebookEntry]) -> ImportReport:
        """Make the codebook's themes codes (origin "codebook"); the themes file wins for them.

        Run at start and on reload. A theme whose name collides with a member's code is
        reported, and the member's code kept.
        """
        return self._merge(entries, None, "codebook")

    def import_codebook(self, entries: Iterable[CodebookEntry], actor: Actor) -> ImportReport:
        """Merge an imported codebook (.qdc): new codes added, clashes named, nothing replaced."""
        return self._merge(entries, actor, "import")

    def _merge(
        self, entries: Iterable[CodebookEntry], actor: Actor | None, origin: Origin
    ) -> ImportReport:
        added: list[str] = []
        unchanged: list[str] = []
        conflicts: list[str] = []
        seen: dict[str, str] = {}
        with self._write() as conn:
            uid = self._user_id(conn, actor) if actor else None
            for entry in entries:
                try:
                    name, colour = check_code(entry.name, entry.colour)
                except E.InvalidInput as exc:
                    conflicts.append(f"'{entry.name}' skipped: {exc}")
                    continue
                folded = fold_name(name)
                if folded in seen:
                    conflicts.append(f"'{name}' skipped: it repeats '{seen[folded]}' in the file.")
                    continue
                seen[folded] = name
                row = conn.execute("SELECT * FROM codes WHERE folded = ?", (folded,)).fetchone()
                description = entry.description.strip()
                if row is None:
                    code_id = self._insert_code(conn, name, description, colour, origin, uid)
                    self._audit(conn, uid, f"{origin} code", "code", code_id, None)
                    added.append(name)
                elif origin == "codebook" and row["origin"] == "codebook":
                    changes = {}
                    if row["name"] != name:
                        changes["name"] = name
                    if row["description"] != description:
                        changes["description"] = description
                    if changes:
                        self._update(conn, uid, "codebook code", "code", row["id"], changes)
                    unchanged.append(name)
                elif row["name"] == name and description in ("", row["description"]):
                    unchanged.append(name)
                else:
                    why = "its name" if row["name"] != name else "its description"
                    conflicts.append(
                        f"'{name}' matches the existing code '{row['name']}' but {why} differs; "
                        "kept the existing code."
                    )
        return ImportReport(tuple(added), tuple(unchanged), tuple(conflicts))

    # -- codings -----------------------------------------------------------------------------

    def code(
        self,
        anchor: Anchor,
        code: str,
        actor: Actor,
        *,
        guild_id: int | None = None,
        memo: str = "",
    ) -> Coding:
        """Apply an existing code to a quote (make the anchor with `CorpusText.anchor`)."""
        check_anchor(anchor)
        with self._write() as conn:
            uid = self._user_id(conn, actor)
            row = conn.execute(
                "SELECT id, name FROM codes WHERE folded = ?", (fold_name(code),)
            ).fetchone()
            if row is None:
                raise E.UnknownCode(code.strip(), self._close_codes(fold_name(code)))
            same = conn.execute(
                "SELECT 1 FROM codings WHERE code_id = ? AND user_id = ? AND doc_id = ? "
                "AND start_offset = ? AND end_offset = ? AND status = 'ok'",
                (row["id"], uid, anchor.doc_id, anchor.start, anchor.end),
            ).fetchone()
            if same:
                raise E.AlreadyCoded(row["name"], anchor.passage_id)
            cur = conn.execute(
                "INSERT INTO codings (code_id, user_id, guild_id, passage_id, doc_id, quote, "
                "start_offset, end_offset, memo, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    row["id"],
                    uid,
                    guild_id,
                    anchor.passage_id,
                    anchor.doc_id,
                    anchor.quote,
                    anchor.start,
                    anchor.end,
                    memo,
                    self._now(),
                ),
            )
            coding_id = int(cur.lastrowid or 0)
            self._audit(conn, uid, "code", "coding", coding_id, None)
            return self._coding(conn, coding_id)

    def uncode(self, coding_id: int, actor: Actor, *, admin: bool = False) -> Coding:
        """Remove a coding: your own, or anyone's if `admin`. Returns what was removed."""
        with self._write() as conn:
            uid = self._user_id(conn, actor)
            coding = self._coding(conn, coding_id)
            self._check_owner(conn, "codings", coding_id, uid, admin, "coding")
            self._delete(conn, uid, "uncode", "coding", coding_id)
            return coding

    def set_coding_memo(
        self, coding_id: int, memo: str, actor: Actor, *, admin: bool = False
    ) -> Coding:
        with self._write() as conn:
            uid = self._user_id(conn, actor)
            self._coding(conn, coding_id)
            self._check_owner(conn, "codings", coding_id, uid, admin, "coding")
            self._update(conn, uid, "edit coding memo", "coding", coding_id, {"memo": memo})
            return self._coding(conn, coding_id)

    def get_coding(self, coding_id: int) -> Coding:
        with self._translate():
            return self._coding(self._conn(), coding_id)

    def _coding(self, conn: sqlite3.Connection, coding_id: int) -> Coding:
        row = conn.execute(CODING_SELECT + " WHERE c.id = ?", (coding_id,)).fetchone()
        if row is None:
            raise E.UnknownCoding(coding_id)
        return coding_record(row)

    def codings(
        self,
        *,
        code: str | None = None,
        doc_id: str | None = None,
        coder: str | None = None,
        passage_id: str | None = None,
        guild_id: int | None = None,
        status: Status | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Coding]:
        """Codings matching every filter given, in document order (`/coded`, exports).

        `code` is a code name (folded), `coder` a user key, Discord id or display name.
        Raises `UnknownCode` / `UnknownUser` for names that match nothing.
        """
        where, params = self._coding_filter(code, doc_id, coder, passage_id, guild_id, status)
        sql = CODING_SELECT + where + " ORDER BY c.doc_id, c.start_offset, c.id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [max(0, int(limit)), max(0, int(offset))]
        return [coding_record(r) for r in self._query(sql, params)]

    def count_codings(
        self,
        *,
        code: str | None = None,
        doc_id: str | None = None,
        coder: str | None = None,
        passage_id: str | None = None,
        guild_id: int | None = None,
        status: Status | None = None,
    ) -> int:
        where, params = self._coding_filter(code, doc_id, coder, passage_id, guild_id, status)
        rows = self._query("SELECT count(*) FROM codings c" + where, params)
        return int(rows[0][0])

    def _coding_filter(
        self,
        code: str | None,
        doc_id: str | None,
        coder: str | None,
        passage_id: str | None,
        guild_id: int | None,
        status: Status | None,
    ) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if code is not None:
            clauses.append("c.code_id = ?")
            params.append(self.get_code(code).id)
        if coder is not None:
            clauses.append("c.user_id = ?")
            params.append(self.find_user(coder).id)
        for column, value in (
            ("c.doc_id", doc_id),
            ("c.passage_id", passage_id),
            ("c.guild_id", guild_id),
            ("c.status", status),
        ):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def code_counts(
        self, *, by_coder: bool = False, guild_id: int | None = None, per_document: bool = True
    ) -> list[CodeCount]:
        """Codings per code × document (× coder): the `/codes` table.

        `per_document=False` sums over documents (`doc_id` is ""): codes × coders alone, which
        is a few hundred groups where code × document × coder can be one per coding.
        """
        who = ", user_id" if by_coder else ""
        doc = "doc_id" if per_document else "'' AS doc_id"
        group = "code_id, doc_id" if per_document else "code_id"
        where = " WHERE guild_id = ?" if guild_id is not None else ""
        rows = self._query(
            "SELECT k.name AS code, g.doc_id, u.display_name, g.n FROM "
            f"(SELECT code_id, {doc}{who}, count(*) AS n FROM codings{where} "
            f"GROUP BY {group}{who}) g "
            "JOIN codes k ON k.id = g.code_id "
            f"LEFT JOIN users u ON {'u.id = g.user_id' if by_coder else '0'} "
            "ORDER BY k.folded, g.doc_id, u.display_name",
            [guild_id] if guild_id is not None else [],
        )
        return [CodeCount(r["code"], r["doc_id"], r["display_name"], r["n"]) for r in rows]

    def agreement(self, code: str, coder_a: str, coder_b: str, corpus: CorpusText) -> Agreement:
        """Cohen's kappa and percent agreement of two coders on one code (see `agreement`)."""
        name = self.get_code(code).name
        a, b = self.find_user(coder_a), self.find_user(coder_b)
        if a.id == b.id:
            raise E.InvalidInput("Agreement needs two different coders.")
        rows = self._query(CODING_SELECT + " WHERE c.user_id IN (?, ?) ORDER BY c.id", (a.id, b.id))
        return agreement([coding_record(r) for r in rows], name, a.key, b.key, corpus)

    # -- memos -------------------------------------------------------------------------------

    def memo_passage(
        self, anchor: Anchor, text: str, actor: Actor, *, guild_id: int | None = None
    ) -> Memo:
        """Write (or replace) your memo on a passage."""
        check_anchor(anchor)
        return self._set_memo(
            "passage",
            {"passage_id": anchor.passage_id, "doc_id": anchor.doc_id},
            {"quote": anchor.quote, "start_offset": anchor.start, "end_offset": anchor.end},
            text,
            actor,
            guild_id,
        )

    def memo_code(self, code: str, text: str, actor: Actor, *, guild_id: int | None = None) -> Memo:
        """Write (or replace) your memo on a code."""
        code_id = self.get_code(code).id
        return self._set_memo("code", {"code_id": code_id}, {}, text, actor, guild_id)

    def memo_document(
        self, doc_id: str, text: str, actor: Actor, *, guild_id: int | None = None
    ) -> Memo:
        """Write (or replace) your memo on a document (resolve `doc_id` with the engine first)."""
        if not doc_id.strip():
            raise E.InvalidInput("A document memo needs a document.")
        return self._set_memo("document", {"doc_id": doc_id.strip()}, {}, text, actor, guild_id)

    def _set_memo(
        self,
        kind: MemoKind,
        target: dict[str, Any],
        anchor: dict[str, Any],
        text: str,
        actor: Actor,
        guild_id: int | None,
    ) -> Memo:
        if not text.strip():
            raise E.InvalidInput("A memo needs some text (to remove one, delete it).")
        with self._write() as conn:
            uid = self._user_id(conn, actor)
            where = " AND ".join(f"{k} = ?" for k in target)
            row = conn.execute(
                f"SELECT id FROM memos WHERE kind = ? AND user_id = ? AND {where}",
                (kind, uid, *target.values()),
            ).fetchone()
            now = self._now()
            if row is not None:
                changes = {"text": text, "updated": now, **anchor}
                if anchor:
                    changes["status"] = OK
                self._update(conn, uid, "edit memo", "memo", row["id"], changes)
                memo_id = int(row["id"])
            else:
                values = {
                    "user_id": uid,
                    "guild_id": guild_id,
                    "kind": kind,
                    **target,
                    **anchor,
                    "text": text,
                    "created": now,
                    "updated": now,
                }
                cur = conn.execute(
                    f"INSERT INTO memos ({', '.join(values)}) "
                    f"VALUES ({', '.join('?' for _ in values)})",
                    tuple(values.values()),
                )
                memo_id = int(cur.lastrowid or 0)
                self._audit(conn, uid, "memo", "memo", memo_id, None)
            return self._memo(conn, memo_id)

    def delete_memo(self, memo_id: int, actor: Actor, *, admin: bool = False) -> Memo:
        with self._write() as conn:
            uid = self._user_id(conn, actor)
            memo = self._memo(conn, memo_id)
            self._check_owner(conn, "memos", memo_id, uid, admin, "memo")
            self._delete(conn, uid, "delete memo", "memo", memo_id)
            return memo

    def _memo(self, conn: sqlite3.Connection, memo_id: int) -> Memo:
        row = conn.execute(MEMO_SELECT + " WHERE m.id = ?", (memo_id,)).fetchone()
        if row is None:
            raise E.UnknownMemo(f"#{memo_id}")
        return memo_record(row)

    def memos(
        self,
        *,
        kind: MemoKind | None = None,
        target: str | None = None,
        doc_id: str | None = None,
        author: str | None = None,
    ) -> list[Memo]:
        """Memos matching every filter: `target` is a passage id, code name or document id."""
        clauses: list[str] = []
        params: list[Any] = []
        if kind is not None:
            clauses.append("m.kind = ?")
            params.append(kind)
        if target is not None:
            clauses.append(
                "(m.passage_id = ? OR (m.kind = 'document' AND m.doc_id = ?) OR k.folded = ?)"
            )
            params += [target, target, fold_name(target)]
        if doc_id is not None:
            clauses.append("m.doc_id = ?")
            params.append(doc_id)
        if author is not None:
            clauses.append("m.user_id = ?")
            params.append(self.find_user(author).id)
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        return [memo_record(r) for r in self._query(MEMO_SELECT + where + " ORDER BY m.id", params)]

    # -- collections -------------------------------------------------------------------------

    def save(
        self,
        anchor: Anchor,
        actor: Actor,
        *,
        guild_id: int | None = None,
        collection: str = DEFAULT_COLLECTION,
        note: str = "",
    ) -> SavedQuote:
        """Append a quote to a collection of this server, creating the collection if needed."""
        check_anchor(anchor)
        name = check_name(collection, "A collection")
        with self._write() as conn:
            uid = self._user_id(conn, actor)
            coll = conn.execute(
                "SELECT id, name FROM collections WHERE ifnull(guild_id, 0) = ? AND folded = ?",
                (guild_id or 0, fold_name(name)),
            ).fetchone()
            if coll is None:
                cur = conn.execute(
                    "INSERT INTO collections (guild_id, name, folded, created, created_by) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (guild_id, name, fold_name(name), self._now(), uid),
                )
                coll_id, coll_name = int(cur.lastrowid or 0), name
                self._audit(conn, uid, "create collection", "collection", coll_id, None)
            else:
                coll_id, coll_name = int(coll["id"]), str(coll["name"])
            dup = conn.execute(
                "SELECT 1 FROM saved_quotes WHERE collection_id = ? AND doc_id = ? "
                "AND start_offset = ? AND end_offset = ?",
                (coll_id, anchor.doc_id, anchor.start, anchor.end),
            ).fetchone()
            if dup:
                raise E.AlreadySaved(coll_name, anchor.passage_id)
            position = conn.execute(
                "SELECT ifnull(max(position), 0) + 1 FROM saved_quotes WHERE collection_id = ?",
                (coll_id,),
            ).fetchone()[0]
            cur = conn.execute(
                "INSERT INTO saved_quotes (collection_id, position, user_id, passage_id, doc_id, "
                "quote, start_offset, end_offset, note, saved) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    coll_id,
                    position,
                    uid,
                    anchor.passage_id,
                    anchor.doc_id,
                    anchor.quote,
                    anchor.start,
                    anchor.end,
                    note,
                    self._now(),
                ),
            )
            saved_id = int(cur.lastrowid or 0)
            self._audit(conn, uid, "save", "saved_quote", saved_id, None)
            return saved_record(
                conn.execute(SAVED_SELECT + " WHERE s.id = ?", (saved_id,)).fetchone()
            )

    def unsave(self, saved_id: int, actor: Actor, *, admin: bool = False) -> SavedQuote:
        with self._write() as conn:
            uid = self._user_id(conn, actor)
            row = conn.execute(SAVED_SELECT + " WHERE s.id = ?", (saved_id,)).fetchone()
            if row is None:
                raise E.NotFound(f"There is no saved quote #{saved_id}.")
            self._check_owner(conn, "saved_quotes", saved_id, uid, admin, "saved quote")
            self._delete(conn, uid, "unsave", "saved_quote", saved_id)
            return saved_record(row)

    def collections(self, guild_id: int | None = None) -> list[Collection]:
        rows = self._query(
            COLLECTION_SELECT + " WHERE ifnull(c.guild_id, 0) = ? ORDER BY c.folded",
            (guild_id or 0,),
        )
        return [collection_record(r) for r in rows]

    def collection(
        self, name: str, guild_id: int | None = None
    ) -> tuple[Collection, list[SavedQuote]]:
        """A collection of this server and its quotes in the order they were saved."""
        with self._read() as conn:
            row = conn.execute(
                COLLECTION_SELECT + " WHERE ifnull(c.guild_id, 0) = ? AND c.folded = ?",
                (guild_id or 0, fold_name(name)),
            ).fetchone()
            if row is None:
                names = [
                    r["name"]
                    for r in conn.execute(
                        "SELECT name FROM collections WHERE ifnull(guild_id, 0) = ?",
                        (guild_id or 0,),
                    )
                ]
                close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
                raise E.UnknownCollection(name.strip(), close)
            items = conn.execute(
                SAVED_SELECT + " WHERE s.collection_id = ? ORDER BY s.position", (row["id"],)
            ).fetchall()
            return collection_record(row), [saved_record(r) for r in items]

    # -- the audit log and undo ----------------------------------------------------------------

    def _audit(
        self,
        conn: sqlite3.Connection,
        user_id: int | None,
        action: str,
        subject: str,
        row_id: int,
        before: dict[str, Any] | None,
        *,
        after: dict[str, Any] | bool | None = True,
    ) -> int:
        """Append one audit row; `after=True` reads the row as it now stands."""
        if after is True:
            after = row_dict(conn, TABLES[subject], row_id)
        cur = conn.execute(
            "INSERT INTO audit (at, user_id, action, subject, row_id, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                self._now(),
                user_id,
                action,
                subject,
                row_id,
                to_json(before),
                to_json(after if isinstance(after, dict) else None),
            ),
        )
        return int(cur.lastrowid or 0)

    def _update(
        self,
        conn: sqlite3.Connection,
        user_id: int | None,
        action: str,
        subject: str,
        row_id: int,
        changes: dict[str, Any],
    ) -> None:
        table = TABLES[subject]
        before = row_dict(conn, table, row_id)
        assignments = ", ".join(f"{column} = ?" for column in changes)
        conn.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", (*changes.values(), row_id))
        self._audit(conn, user_id, action, subject, row_id, before)

    def _delete(
        self, conn: sqlite3.Connection, user_id: int, action: str, subject: str, row_id: int
    ) -> None:
        table = TABLES[subject]
        before = row_dict(conn, table, row_id)
        conn.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))
        self._audit(conn, user_id, action, subject, row_id, before, after=None)

    def _check_owner(
        self,
        conn: sqlite3.Connection,
        table: str,
        row_id: int,
        user_id: int,
        admin: bool,
        what: str,
    ) -> None:
        owner = conn.execute(
            f"SELECT u.id, u.display_name FROM {table} t JOIN users u ON u.id = t.user_id "
            "WHERE t.id = ?",
            (row_id,),
        ).fetchone()
        if owner is not None and owner["id"] != user_id and not admin:
            raise E.NotYours(what, owner["display_name"])

    def audit(self, *, actor: Actor | None = None, limit: int = 50) -> list[AuditEntry]:
        """The latest changes, newest first (one member's when `actor` is given)."""
        where, params = "", []
        if actor is not None:
            where, params = " WHERE u.key = ?", [actor.key]
        rows = self._query(
            AUDIT_SELECT + where + " ORDER BY a.id DESC LIMIT ?", [*params, max(0, limit)]
        )
        return [audit_record(r) for r in rows]

    def undo(self, actor: Actor) -> UndoResult:
        """Revert the member's own last change that is not yet undone (again: the one before).

        Refused with `UndoConflict`, changing nothing, when later changes depend on it (the coding
        was already removed, the code has codings now, the memo was edited again).
        """
        with self._write() as conn:
            uid = self._user_id(conn, actor)
            row = conn.execute(
                AUDIT_SELECT + " WHERE a.user_id = ? AND a.undone_by IS NULL "
                "AND a.action != 'undo' ORDER BY a.id DESC LIMIT 1",
                (uid,),
            ).fetchone()
            if row is None:
                raise E.NothingToUndo()
            entry = audit_record(row)
            table = TABLES[entry.subject]
            current = row_dict(conn, table, entry.row_id)
            try:
                if entry.before is None:  # it was created: remove it
                    if current is None:
                        raise E.UndoConflict(f"that {_noun(entry.subject)} was already removed")
                    conn.execute(f"DELETE FROM {table} WHERE id = ?", (entry.row_id,))
                    after = None
                elif entry.after is None:  # it was removed: put it back as it was
                    if current is not None:  # pragma: no cover - ids are never reused
                        raise E.UndoConflict(f"that {_noun(entry.subject)} exists again")
                    columns = list(entry.before)
                    conn.execute(
                        f"INSERT INTO {table} ({', '.join(columns)}) "
                        f"VALUES ({', '.join('?' for _ in columns)})",
                        [entry.before[c] for c in columns],
                    )
                    after = entry.before
                else:  # it was changed: change it back, unless changed again since
                    if current is None:
                        raise E.UndoConflict(f"that {_noun(entry.subject)} was removed since")
                    changed = [c for c in entry.after if entry.before.get(c) != entry.after[c]]
                    if any(current.get(c) != entry.after[c] for c in changed):
                        raise E.UndoConflict(f"that {_noun(entry.subject)} was changed again since")
                    if changed:
                        conn.execute(
                            f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in changed)} "
                            "WHERE id = ?",
                            [*(entry.before[c] for c in changed), entry.row_id],
                        )
                    after = {**current, **{c: entry.before[c] for c in changed}}
            except sqlite3.IntegrityError:
                raise E.UndoConflict(_integrity_reason(entry)) from None
            undo_id = self._audit(
                conn, uid, "undo", entry.subject, entry.row_id, current, after=after
            )
            conn.execute("UPDATE audit SET undone_by = ? WHERE id = ?", (undo_id, entry.id))
            return UndoResult(entry, _describe_undo(entry))

    # -- after a corpus reload -------------------------------------------------------------

    def reanchor(self, corpus: CorpusText) -> ReanchorReport:
        """Check every quote against the reloaded corpus; move or flag the ones that changed.

        A quote still at its offsets in its passage is left alone; one that moved (its passage
        re-cut or renumbered, text added above it) is found again by its exact words in the same
        document and re-anchored; one that is gone is kept, marked needs-attention, and reported.
        Nothing is ever deleted. Changes are audited as the system's, so no member undoes them.

        The scan reads one snapshot without the write lock (members keep coding meanwhile); the
        changes are then applied in one transaction, each row re-checked as it stands by then.
        What the anchors were checked against is recorded, for `refresh_anchors`.
        """
        return self._reanchor(corpus, incremental=False)

    def refresh_anchors(self, corpus: CorpusText) -> ReanchorReport:
        """`reanchor`, but only where something may have moved since the last check.

        Why: the command line opens the database once per command, and the corpus may have been
        edited (or `corpus-bot add`/`remove` run) since the last one. Checked are the records of
        documents whose fingerprint (`CorpusText.fingerprint`) differs from the last check's —
        edited, added or removed — and the records written since it (whoever wrote them may have
        anchored them against another load of the corpus). Nothing else is read: when nothing
        changed it costs the fingerprints and two small queries, and writes nothing. The first
        call on a database checks everything. `checked`/`unchanged` count the records read.
        """
        return self._reanchor(corpus, incremental=True)

    def _reanchor(self, corpus: CorpusText, *, incremental: bool) -> ReanchorReport:
        fingerprints = {d: corpus.fingerprint(d) for d in corpus.doc_ids()}
        with self._read() as conn:
            mark = int(conn.execute("SELECT ifnull(max(id), 0) FROM audit").fetchone()[0])
            state = conn.execute("SELECT audit_mark FROM anchor_checks WHERE id = 1").fetchone()
            stored = dict(conn.execute("SELECT doc_id, fingerprint FROM anchored_texts").fetchall())
            scope: tuple[list[str], dict[str, list[int]]] | None = None
            if incremental and state is not None:
                docs = sorted(
                    d
                    for d in stored.keys() | fingerprints.keys()
                    if stored.get(d) != fingerprints.get(d)
                )
                touched: dict[str, list[int]] = {}
                for subject, row_id in conn.execute(
                    "SELECT DISTINCT subject, row_id FROM audit WHERE id > ? AND subject IN "
                    f"({', '.join('?' for _ in ANCHORED)})",
                    (int(state["audit_mark"]), *ANCHORED),
                ):
                    touched.setdefault(subject, []).append(int(row_id))
                if not docs and not touched:
                    return ReanchorReport()
                scope = (docs, touched)
            decisions = [decide(row, corpus) for row in _anchored_rows(conn, scope)]
        final = {(d.row.subject, d.row.row_id): d for d in decisions}
        same_state = stored == fingerprints and state is not None and state["audit_mark"] == mark
        if any(d.changes for d in decisions) or not same_state:
            with self._write() as conn:
                others = conn.execute("SELECT ifnull(max(id), 0) FROM audit").fetchone()[0] != mark
                for d in decisions:
                    if not d.changes:
                        continue
                    current = _anchored_row(conn, d.row.subject, d.row.row_id)
                    if current is None:  # removed since the scan
                        del final[(d.row.subject, d.row.row_id)]
                        continue
                    now = d if current == d.row else decide(current, corpus)
                    final[(d.row.subject, d.row.row_id)] = now
                    if now.changes:
                        self._update(
                            conn, None, "reanchor", d.row.subject, d.row.row_id, now.changes
                        )
                if not others:  # nobody wrote since the scan: our own reanchor rows are checked
                    mark = int(conn.execute("SELECT max(id) FROM audit").fetchone()[0] or 0)
                self._record_check(conn, fingerprints, stored, mark)
        report = summarize(final.values())
        if report.changed:
            log.info(
                "re-anchored after reload: %d moved, %d recovered, %d need attention",
                len(report.moved),
                len(report.recovered),
                len(report.lost),
            )
        return report

    def _record_check(
        self,
        conn: sqlite3.Connection,
        fingerprints: dict[str, str],
        stored: dict[str, str],
        mark: int,
    ) -> None:
        """Remember what the anchors were checked against (inside the caller's transaction)."""
        gone = [d for d in stored if d not in fingerprints]
        conn.executemany("DELETE FROM anchored_texts WHERE doc_id = ?", [(d,) for d in gone])
        conn.executemany(
            "INSERT INTO anchored_texts (doc_id, fingerprint) VALUES (?, ?) "
            "ON CONFLICT (doc_id) DO UPDATE SET fingerprint = excluded.fingerprint",
            [(d, f) for d, f in fingerprints.items() if stored.get(d) != f],
        )
        conn.execute(
            "INSERT INTO anchor_checks (id, audit_mark, checked) VALUES (1, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET audit_mark = excluded.audit_mark, "
            "checked = excluded.checked",
            (mark, self._now()),
        )

    # -- maintenance -------------------------------------------------------------------------

    def check(self, corpus: CorpusText | None = None) -> CheckReport:
        """SQLite's integrity check, foreign keys, and what the corpus no longer knows."""
        with self._read() as conn:
            integrity = tuple(str(r[0]) for r in conn.execute("PRAGMA integrity_check"))
            fk = len(conn.execute("PRAGMA foreign_key_check").fetchall())
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            total = conn.execute("SELECT count(*) FROM codings").fetchone()[0]
            attention = conn.execute(
                "SELECT count(*) FROM codings WHERE status = 'needs_attention'"
            ).fetchone()[0]
            unused = tuple(
                r["name"]
                for r in conn.execute(
                    "SELECT name FROM codes k WHERE NOT EXISTS "
                    "(SELECT 1 FROM codings c WHERE c.code_id = k.id) ORDER BY folded"
                )
            )
            passages: tuple[str, ...] = ()
            documents: tuple[str, ...] = ()
            orphan_memos = 0
            if corpus is not None:
                pairs = conn.execute("SELECT DISTINCT passage_id, doc_id FROM codings").fetchall()
                passages = tuple(sorted({p for p, _ in pairs if not corpus.has_passage(p)}))
                documents = tuple(sorted({d for _, d in pairs if not corpus.has_document(d)}))
                for m in conn.execute(
                    "SELECT passage_id, doc_id FROM memos WHERE kind != 'code'"
                ).fetchall():
                    known = (
                        corpus.has_passage(m["passage_id"])
                        if m["passage_id"] is not None
                        else corpus.has_document(m["doc_id"])
                    )
                    orphan_memos += not known
        return CheckReport(
            integrity, fk, version, total, attention, passages, documents, unused, orphan_memos
        )

    def backup(self, destination: str | Path) -> Path:
        """A consistent copy of the live database (SQLite's online backup API), made atomically."""
        dest = Path(destination)
        if dest.resolve() == self.path.resolve():
            raise E.InvalidInput("A backup must go to another file than the database itself.")
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise E.StoreError(f"The backup cannot be written to {dest}: {exc.strerror}.") from None
        partial = dest.with_name(f".{dest.name}.{os.getpid()}.partial")
        try:
            target = sqlite3.connect(partial)
            try:
                with self._translate():
                    self._conn().backup(target)
            finally:
                target.close()
            os.replace(partial, dest)
        except sqlite3.Error as exc:
            raise E.StoreError(f"The backup cannot be written to {dest}: {exc}.") from None
        except OSError as exc:
            raise E.StoreError(f"The backup cannot be written to {dest}: {exc.strerror}.") from None
        finally:
            partial.unlink(missing_ok=True)
        return dest

    def snapshot(self, *, guild_id: int | None = None) -> Snapshot:
        """Everything an export needs, read at one moment (codings of one server if given)."""
        with self._read() as conn:
            users = tuple(user_record(r) for r in conn.execute("SELECT * FROM users ORDER BY key"))
            codes = tuple(code_record(r) for r in conn.execute(CODE_SELECT + " ORDER BY k.folded"))
            where = " WHERE c.guild_id = ?" if guild_id is not None else ""
            params = (guild_id,) if guild_id is not None else ()
            codings = tuple(
                coding_record(r)
                for r in conn.execute(
                    CODING_SELECT + where + " ORDER BY c.doc_id, c.start_offset, c.id", params
                )
            )
            memos = tuple(memo_record(r) for r in conn.execute(MEMO_SELECT + " ORDER BY m.id"))
            colls = tuple(
                collection_record(r)
                for r in conn.execute(
                    COLLECTION_SELECT + " WHERE ifnull(c.guild_id, 0) = ? ORDER BY c.folded",
                    (guild_id or 0,),
                )
            )
            saved = tuple(
                saved_record(r)
                for r in conn.execute(
                    SAVED_SELECT + " JOIN collections o ON o.id = s.collection_id "
                    "WHERE ifnull(o.guild_id, 0) = ? ORDER BY k.folded, s.position",
                    (guild_id or 0,),
                )
            )
        return Snapshot(users, codes, codings, memos, colls, saved)


# -- words for undo -------------------------------------------------------------------------


def _noun(subject: str) -> str:
    return subject.replace("_", " ")


def _integrity_reason(entry: AuditEntry) -> str:
    if entry.subject == "code":
        return "codings or memos use that code now"
    if entry.subject == "collection":
        return "quotes were saved in that collection since"
    return f"what that {_noun(entry.subject)} referred to was removed since"


_ANCHOR_COLUMNS = "id, passage_id, doc_id, quote, start_offset, end_offset, status"


def _anchored_rows(
    conn: sqlite3.Connection, scope: tuple[list[str], dict[str, list[int]]] | None = None
) -> Iterator[AnchoredRow]:
    """Every record that quotes the corpus: codings, passage memos, saved quotes.

    With a `scope` (documents, {subject: row ids}), only the records of those documents and
    those rows.
    """
    for subject in ANCHORED:
        clauses = ["kind = 'passage'"] if subject == "memo" else []
        params: list[Any] = []
        if scope is not None:
            docs, rows = scope
            clauses.append(
                "(doc_id IN (SELECT value FROM json_each(?)) "
                "OR id IN (SELECT value FROM json_each(?)))"
            )
            params += [json.dumps(docs), json.dumps(rows.get(subject, []))]
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        for r in conn.execute(f"SELECT {_ANCHOR_COLUMNS} FROM {TABLES[subject]}{where}", params):
            yield AnchoredRow(subject, *r)


def _anchored_row(conn: sqlite3.Connection, subject: str, row_id: int) -> AnchoredRow | None:
    r = conn.execute(
        f"SELECT {_ANCHOR_COLUMNS} FROM {TABLES[subject]} WHERE id = ?", (row_id,)
    ).fetchone()
    return AnchoredRow(subject, *r) if r is not None else None


def _describe_undo(entry: AuditEntry) -> str:
    row = entry.after if entry.after is not None else entry.before or {}
    what = {
        "code": f"code '{row.get('name', '')}'",
        "coding": f"coding #{entry.row_id} of passage {row.get('passage_id', '')}",
        "memo": f"memo #{entry.row_id}",
        "collection": f"collection '{row.get('name', '')}'",
        "saved_quote": f"saved quote of passage {row.get('passage_id', '')}",
    }[entry.subject]
    if entry.before is None:
        return f"Undone: {entry.action} — removed the {what}."
    if entry.after is None:
        return f"Undone: {entry.action} — restored the {what}."
    return f"Undone: {entry.action} — the {what} is back as it was."
