"""What can go wrong with the team's database, each as a sentence a member can act on.

Why a hierarchy of our own rather than sqlite3's exceptions: the cogs, the console and the CLI catch
one `StoreError` and show `str(error)`; they never see SQL, error codes or a traceback, and a
different SQL database behind the same API raises the same errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class StoreError(Exception):
    """Base class: `str()` is a friendly sentence, safe to show to a member as is."""


# -- the database file itself ----------------------------------------------------------------


class StoreUnavailable(StoreError):
    """The database cannot be used at all (file, folder or disk problem)."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = str(path)
        super().__init__(f"The team database {self.path} cannot be used: {reason}.")


class ReadOnlyStore(StoreUnavailable):
    """The file (or its folder) cannot be written: nothing is changed, nothing is lost."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(
            path,
            "it is read-only (check the permissions of the file and of its folder); "
            "nothing was changed",
        )


class StoreLocked(StoreUnavailable):
    """Another program held the database longer than the busy timeout."""

    def __init__(self, path: Path | str, seconds: float) -> None:
        super().__init__(
            path,
            f"another program kept it locked for more than {seconds:g} s; "
            "nothing was changed, try again in a moment",
        )


class CorruptStore(StoreUnavailable):
    """The file is not a SQLite database, or its pages are damaged."""

    def __init__(self, path: Path | str, detail: str = "") -> None:
        extra = f" ({detail})" if detail else ""
        super().__init__(
            path,
            f"it is not a readable database file{extra}; it was left untouched — "
            "restore it from a backup",
        )


class ForeignDatabase(StoreUnavailable):
    """A SQLite file that belongs to some other program: never migrated, never written."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(
            path,
            "it is a SQLite database of some other program; it was left untouched — "
            "point store.path at another file",
        )


class NewerSchema(StoreUnavailable):
    """The file was written by a newer corpus-bot: refused, never downgraded or overwritten."""

    def __init__(self, path: Path | str, found: int, supported: int) -> None:
        self.found = found
        self.supported = supported
        super().__init__(
            path,
            f"it was written by a newer corpus-bot (schema version {found}; this one knows up to "
            f"{supported}); it was left untouched — upgrade corpus-bot",
        )


class StoreFull(StoreUnavailable):
    """The disk is full: the change was rolled back."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(path, "the disk is full; the change was not saved")


# -- what a member asked for ---------------------------------------------------------------


class InvalidInput(StoreError):
    """An argument the store cannot accept (empty name, bad colour, offsets outside a passage)."""


class NotFound(StoreError):
    """Something named by a member does not exist; `suggestions` lists close names."""

    def __init__(self, message: str, suggestions: Sequence[str] = ()) -> None:
        self.suggestions = tuple(suggestions)
        if self.suggestions:
            message += " Did you mean: " + ", ".join(self.suggestions) + "?"
        super().__init__(message)


class UnknownCode(NotFound):
    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        self.name = name
        super().__init__(f"There is no code '{name}'.", suggestions)


class UnknownPassage(NotFound):
    def __init__(self, passage_id: str) -> None:
        self.passage_id = passage_id
        super().__init__(f"There is no passage '{passage_id}' in the corpus.")


class UnknownDocument(NotFound):
    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        super().__init__(f"There is no document '{doc_id}' in the corpus.")


class UnknownUser(NotFound):
    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        self.name = name
        message = f"Nobody called '{name}' has coded, memoed or saved anything."
        super().__init__(message, suggestions)


class UnknownCoding(NotFound):
    def __init__(self, coding_id: int) -> None:
        self.coding_id = coding_id
        super().__init__(f"There is no coding #{coding_id}.")


class UnknownCollection(NotFound):
    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        self.name = name
        super().__init__(f"There is no collection '{name}' on this server.", suggestions)


class UnknownMemo(NotFound):
    def __init__(self, what: str) -> None:
        super().__init__(f"There is no memo of yours on {what}.")


class CodeNameTaken(StoreError):
    """A new code's name folds to the same key as an existing code's."""

    def __init__(self, name: str, existing: str) -> None:
        self.name = name
        self.existing = existing
        if name == existing:
            message = f"The code '{existing}' already exists."
        else:
            message = (
                f"The code '{name}' would clash with the existing code '{existing}' "
                "(names are compared ignoring case, accents, spaces and hyphens); "
                f"use '{existing}' or choose another name."
            )
        super().__init__(message)


class AlreadyCoded(StoreError):
    def __init__(self, code: str, passage_id: str) -> None:
        super().__init__(f"You have already coded passage {passage_id} as '{code}'.")


class AlreadySaved(StoreError):
    def __init__(self, collection: str, passage_id: str) -> None:
        super().__init__(f"Passage {passage_id} is already in the collection '{collection}'.")


class NotYours(StoreError):
    """A member tried to change another member's work without being an admin."""

    def __init__(self, what: str, owner: str) -> None:
        super().__init__(f"That {what} belongs to {owner}; only they or an admin can change it.")


class NothingToUndo(StoreError):
    def __init__(self) -> None:
        super().__init__("You have no change left to undo.")


class UndoConflict(StoreError):
    """The change cannot be reverted because later changes depend on it; nothing was done."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"That change cannot be undone: {reason}. Nothing was changed.")


class CodebookImportError(StoreError):
    """A codebook file that cannot be read."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"The codebook {source} cannot be imported: {reason}.")


class ExportError(StoreError):
    """An export that cannot be produced (e.g. nothing to export)."""
