"""The store's records: frozen dataclasses in, frozen dataclasses out.

Why plain dataclasses: the cogs, the console, the CLI and the exports read these and never a
database row, so another SQL database can take SQLite's place behind the same `Store` methods.
Times are UTC ISO 8601 strings ("2024-05-01T12:00:00.000000Z"): sortable, and what REFI-QDA and
the W3C model want.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from typing import Any, Literal

Origin = Literal["codebook", "member", "import"]
Status = Literal["ok", "needs_attention"]
MemoKind = Literal["passage", "code", "document"]

OK: Status = "ok"
NEEDS_ATTENTION: Status = "needs_attention"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is making a change: a Discord member (by id) or a local user (CLI, console).

    `key` identifies the person across display-name changes: "discord:<id>" or "local:<name>".
    """

    key: str
    display_name: str

    @classmethod
    def discord(cls, user_id: int, display_name: str) -> Actor:
        return cls(f"discord:{int(user_id)}", display_name.strip() or str(user_id))

    @classmethod
    def local(cls, name: str) -> Actor:
        name = name.strip()
        return cls(f"local:{name}", name)

    @property
    def discord_id(self) -> int | None:
        kind, _, rest = self.key.partition(":")
        return int(rest) if kind == "discord" and rest.isdigit() else None


def local_user() -> str:
    """The name you are logged in as (the CLI's and the console's coder); "local" where the
    system has none (a bare container, where `getpass.getuser()` raises)."""
    try:
        return getpass.getuser().strip() or "local"
    except (KeyError, OSError):
        return "local"


@dataclass(frozen=True, slots=True)
class User:
    id: int
    key: str
    display_name: str
    created: str

    @property
    def discord_id(self) -> int | None:
        kind, _, rest = self.key.partition(":")
        return int(rest) if kind == "discord" and rest.isdigit() else None


@dataclass(frozen=True, slots=True)
class Code:
    id: int
    name: str
    description: str
    colour: str | None  # "#rrggbb" or None
    origin: Origin
    created: str
    created_by: str | None  # user key; None for codebook themes


@dataclass(frozen=True, slots=True)
class CodebookEntry:
    """A code as a codebook (themes file, imported .qdc) describes it."""

    name: str
    description: str = ""
    colour: str | None = None


@dataclass(frozen=True, slots=True)
class Coding:
    """A code applied by one member to one quote of a document."""

    id: int
    code: str  # the code's name
    code_id: int
    coder: str  # display name
    coder_key: str
    guild_id: int | None
    passage_id: str
    doc_id: str
    quote: str  # exactly document_text[start:end] when status is "ok"
    start: int
    end: int
    memo: str
    status: Status
    created: str


@dataclass(frozen=True, slots=True)
class Memo:
    """A member's note on a passage, a code or a document (one per member and target)."""

    id: int
    kind: MemoKind
    target: str  # passage id, code name or document id
    author: str
    author_key: str
    guild_id: int | None
    text: str
    created: str
    updated: str
    doc_id: str | None = None  # passage memos: where the passage stands
    quote: str | None = None
    start: int | None = None
    end: int | None = None
    status: Status = OK


@dataclass(frozen=True, slots=True)
class Collection:
    id: int
    guild_id: int | None
    name: str
    created: str
    created_by: str  # display name


@dataclass(frozen=True, slots=True)
class SavedQuote:
    id: int
    collection: str
    position: int  # order of saving (gaps where quotes were removed)
    passage_id: str
    doc_id: str
    quote: str
    start: int
    end: int
    saved_by: str
    saved_by_key: str
    saved: str
    note: str
    status: Status


@dataclass(frozen=True, slots=True)
class CodeCount:
    """How many codings a code has in a document (and by one coder, when counted by coder)."""

    code: str
    doc_id: str
    coder: str | None
    count: int


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One change, as appended to the audit table: who, what, when, the row before and after."""

    id: int
    at: str
    actor_key: str | None  # None for the system (re-anchoring after a reload)
    actor: str | None
    action: str
    subject: str  # what kind of record: "code", "coding", "memo", "collection", "saved_quote"
    row_id: int
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    undone: bool = False


@dataclass(frozen=True, slots=True)
class UndoResult:
    """What `/undo` reverted, in words."""

    undone: AuditEntry
    message: str


@dataclass(frozen=True, slots=True)
class Moved:
    """A quote found again after a reload, at a new passage or offset."""

    subject: str
    row_id: int
    doc_id: str
    old_passage_id: str
    new_passage_id: str
    old_start: int
    new_start: int


@dataclass(frozen=True, slots=True)
class Lost:
    """A quote no longer in its document: kept, marked needs-attention."""

    subject: str
    row_id: int
    doc_id: str
    passage_id: str
    quote: str
    reason: str  # "document gone" or "quote gone"


@dataclass(frozen=True, slots=True)
class ReanchorReport:
    """What a corpus reload did to the anchored records (codings, passage memos, saved quotes)."""

    checked: int = 0
    unchanged: int = 0
    moved: tuple[Moved, ...] = ()
    recovered: tuple[Moved, ...] = ()  # needs-attention records found again
    lost: tuple[Lost, ...] = ()  # newly marked needs-attention
    still_lost: int = 0  # already needs-attention and still not found

    @property
    def changed(self) -> bool:
        return bool(self.moved or self.recovered or self.lost)


@dataclass(frozen=True, slots=True)
class CheckReport:
    """`store check`: SQLite's integrity check and what no longer matches the corpus."""

    integrity: tuple[str, ...]  # ("ok",) when sound
    foreign_key_problems: int
    schema_version: int
    codings: int
    needs_attention: int
    unknown_passages: tuple[str, ...] = ()  # passage ids of codings unknown to the corpus
    unknown_documents: tuple[str, ...] = ()
    unused_codes: tuple[str, ...] = ()
    orphan_memos: int = 0  # passage/document memos whose target is unknown to the corpus

    @property
    def ok(self) -> bool:
        return self.integrity == ("ok",) and self.foreign_key_problems == 0


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What merging a codebook did: codes added, codes already there, conflicts named."""

    added: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()  # one sentence each


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything an export needs, read in one transaction (one consistent moment)."""

    users: tuple[User, ...]
    codes: tuple[Code, ...]
    codings: tuple[Coding, ...]
    memos: tuple[Memo, ...]
    collections: tuple[Collection, ...] = ()
    saved: tuple[SavedQuote, ...] = field(default=())
