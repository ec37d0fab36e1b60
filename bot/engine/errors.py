"""Errors the engine raises for the reader's input; their messages are written to be shown as-is."""

from __future__ import annotations


class EngineError(Exception):
    """Base: `str(err)` is a short, friendly sentence fit to show a user."""


class CorpusError(EngineError):
    """The corpus cannot be served at all (e.g. no documents in the folder)."""


class UnknownDocument(EngineError):
    """A document name that matches no document; carries the closest ids as suggestions."""

    def __init__(self, name: str, suggestions: tuple[str, ...] = ()) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"No document matches '{name}'.{hint}")


class AmbiguousDocument(EngineError):
    """A document name that several documents match; carries them (id, title) to choose from."""

    def __init__(self, name: str, candidates: tuple[tuple[str, str], ...]) -> None:
        self.name = name
        self.candidates = candidates
        listed = "; ".join(f"{doc_id} ({title})" for doc_id, title in candidates[:10])
        more = f"; and {len(candidates) - 10} more" if len(candidates) > 10 else ""
        super().__init__(
            f"'{name}' matches {len(candidates)} documents: {listed}{more}. "
            "Give more of the id or the title."
        )


class UnknownPassage(EngineError):
    """A passage id that is not in the index (mistyped, or gone after a reload)."""

    def __init__(self, passage_id: str, reason: str | None = None) -> None:
        self.passage_id = passage_id
        super().__init__(
            reason
            or f"No passage has the id '{passage_id}'. It may have changed after the corpus was "
            "reloaded: search again to find its current id."
        )
