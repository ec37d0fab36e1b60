"""Rows to records: the SELECTs the store reads with and the dataclasses they become."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from bot.store.model import (
    AuditEntry,
    Code,
    Coding,
    Collection,
    Memo,
    SavedQuote,
    User,
)

CODE_SELECT = (
    "SELECT k.*, u.key AS creator_key FROM codes k LEFT JOIN users u ON u.id = k.created_by"
)
CODING_SELECT = (
    "SELECT c.*, k.name AS code_name, u.display_name, u.key AS user_key "
    "FROM codings c JOIN codes k ON k.id = c.code_id JOIN users u ON u.id = c.user_id"
)
MEMO_SELECT = (
    "SELECT m.*, k.name AS code_name, k.folded AS code_folded, u.display_name, u.key AS user_key "
    "FROM memos m JOIN users u ON u.id = m.user_id LEFT JOIN codes k ON k.id = m.code_id"
)
COLLECTION_SELECT = (
    "SELECT c.*, u.display_name FROM collections c JOIN users u ON u.id = c.created_by"
)
SAVED_SELECT = (
    "SELECT s.*, k.name AS collection_name, u.display_name, u.key AS user_key "
    "FROM saved_quotes s JOIN collections k ON k.id = s.collection_id "
    "JOIN users u ON u.id = s.user_id"
)
AUDIT_SELECT = (
    "SELECT a.*, u.key AS user_key, u.display_name FROM audit a "
    "LEFT JOIN users u ON u.id = a.user_id"
)


def user_record(r: sqlite3.Row) -> User:
    return User(r["id"], r["key"], r["display_name"], r["created"])


def code_record(r: sqlite3.Row) -> Code:
    return Code(
        r["id"],
        r["name"],
        r["description"],
        r["colour"],
        r["origin"],
        r["created"],
        r["creator_key"],
    )


def coding_record(r: sqlite3.Row) -> Coding:
    return Coding(
        id=r["id"],
        code=r["code_name"],
        code_id=r["code_id"],
        coder=r["display_name"],
        coder_key=r["user_key"],
        guild_id=r["guild_id"],
        passage_id=r["passage_id"],
        doc_id=r["doc_id"],
        quote=r["quote"],
        start=r["start_offset"],
        end=r["end_offset"],
        memo=r["memo"],
        status=r["status"],
        created=r["created"],
    )


def memo_record(r: sqlite3.Row) -> Memo:
    kind = r["kind"]
    target = {"passage": r["passage_id"], "code": r["code_name"], "document": r["doc_id"]}[kind]
    return Memo(
        id=r["id"],
        kind=kind,
        target=target,
        author=r["display_name"],
        author_key=r["user_key"],
        guild_id=r["guild_id"],
        text=r["text"],
        created=r["created"],
        updated=r["updated"],
        doc_id=r["doc_id"],
        quote=r["quote"],
        start=r["start_offset"],
        end=r["end_offset"],
        status=r["status"],
    )


def collection_record(r: sqlite3.Row) -> Collection:
    return Collection(r["id"], r["guild_id"], r["name"], r["created"], r["display_name"])


def saved_record(r: sqlite3.Row) -> SavedQuote:
    return SavedQuote(
        id=r["id"],
        collection=r["collection_name"],
        position=r["position"],
        passage_id=r["passage_id"],
        doc_id=r["doc_id"],
        quote=r["quote"],
        start=r["start_offset"],
        end=r["end_offset"],
        saved_by=r["display_name"],
        saved_by_key=r["user_key"],
        saved=r["saved"],
        note=r["note"],
        status=r["status"],
    )


def audit_record(r: sqlite3.Row) -> AuditEntry:
    return AuditEntry(
        id=r["id"],
        at=r["at"],
        actor_key=r["user_key"],
        actor=r["display_name"],
        action=r["action"],
        subject=r["subject"],
        row_id=r["row_id"],
        before=json.loads(r["before"]) if r["before"] is not None else None,
        after=json.loads(r["after"]) if r["after"] is not None else None,
        undone=r["undone_by"] is not None,
    )


def row_dict(conn: sqlite3.Connection, table: str, row_id: int) -> dict[str, Any] | None:
    row = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).fetchone()
    return dict(row) if row is not None else None


def to_json(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)
