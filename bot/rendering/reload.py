"""What a `/reload` changed: documents and passages added, removed or changed, and how to say it.

Why compare here: the engine builds a fresh corpus on reload and knows nothing of the old one; the
admin who reloaded wants to see at a glance that the file they dropped in was picked up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.engine.model import Document, Passage
from bot.engine.wording import describe_progress
from bot.rendering.pages import Page, Pages, embed
from bot.rendering.team import render_reanchored
from bot.rendering.text import escape_cut
from bot.store import ReanchorReport

NAMES_SHOWN = 8


class CorpusView(Protocol):
    @property
    def documents(self) -> Mapping[str, Document]: ...
    @property
    def passages(self) -> Sequence[Passage]: ...
    @property
    def version(self) -> str: ...
    @property
    def warnings(self) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class CorpusChanges:
    """The difference between the corpus that was served and the one that replaced it."""

    old_version: str
    new_version: str
    added: tuple[str, ...]  # document titles
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    passages_added: int
    passages_removed: int
    documents: int
    passages: int
    warnings: tuple[str, ...] = ()

    @property
    def unchanged(self) -> bool:
        return not (
            self.added
            or self.removed
            or self.changed
            or self.passages_added
            or self.passages_removed
        )


def compare_corpora(
    old: CorpusView, new: CorpusView, problems: Sequence[str] = ()
) -> CorpusChanges:
    """Documents by id (changed = different sha256) and passages by their stable ids.

    `problems`: anything else the admin should know (a broken theme codebook), with the warnings.
    """
    old_docs, new_docs = old.documents, new.documents
    old_ids, new_ids = _ids(old.passages), _ids(new.passages)
    return CorpusChanges(
        old_version=old.version,
        new_version=new.version,
        added=tuple(new_docs[d].title for d in new_docs if d not in old_docs),
        removed=tuple(old_docs[d].title for d in old_docs if d not in new_docs),
        changed=tuple(
            new_docs[d].title
            for d in new_docs
            if d in old_docs and old_docs[d].sha256 != new_docs[d].sha256
        ),
        passages_added=len(new_ids - old_ids),
        passages_removed=len(old_ids - new_ids),
        documents=len(new_docs),
        passages=len(new.passages),
        warnings=(*new.warnings, *problems),
    )


def _ids(passages: Sequence[Passage]) -> set[str]:
    """Passage ids; read straight from a `PassageTable`'s id column when it is one (1M passages:
    no million `Passage` objects made to compare two corpora)."""
    ids = getattr(passages, "ids", None)
    return set(ids()) if callable(ids) else {p.id for p in passages}


def render_reload_progress(stage: str, done: int, total: int) -> str:
    """The deferred reply's text while a long reload runs: 'Reloading… analysing passages: …'."""
    return f"Reloading the corpus… {describe_progress(stage, done, total)}"


def render_reload(
    changes: CorpusChanges, *, seconds: float, reanchored: ReanchorReport | None = None
) -> Pages:
    """The reload's outcome: what changed, what was skipped and the new corpus version; the
    team's quotes that moved with their passage and those that now need attention."""
    lines = [
        f"Now serving {changes.documents} documents, {changes.passages:,} passages "
        f"(corpus {changes.old_version} → {changes.new_version}, built in {seconds:.1f} s)."
    ]
    if changes.unchanged:
        lines.append("Nothing changed.")
    for label, titles in (
        ("Added", changes.added),
        ("Removed", changes.removed),
        ("Changed", changes.changed),
    ):
        if titles:
            lines.append(f"**{label}:** {_names(titles)}")
    if changes.passages_added or changes.passages_removed:
        lines.append(
            f"Passages: {changes.passages_added} new, {changes.passages_removed} gone "
            "(ids of gone passages no longer work with `/passage`)."
        )
    if changes.warnings:
        lines.append(f"**Skipped or read with warnings:** {_names(changes.warnings, 150)}")
    if reanchored is not None:
        lines += render_reanchored(reanchored)
    page = Page(embeds=(embed(title="Corpus reloaded", description="\n".join(lines)),))
    return Pages((page,), ephemeral_hint=True)


def render_reload_failed(reason: str) -> Pages:
    """A failed reload: the old index keeps serving, and why the new one could not be built."""
    text = (
        "The corpus could not be reloaded, so the previous one is still being served.\n"
        f"Reason: {escape_cut(reason, 1500)}"
    )
    page = Page(embeds=(embed(title="Reload failed", description=text, colour=0xEF4444),))
    return Pages((page,), ephemeral_hint=True)


def _names(names: Sequence[str], each: int = 80) -> str:
    shown = ", ".join(escape_cut(n, each) for n in names[:NAMES_SHOWN])
    more = len(names) - NAMES_SHOWN
    return shown + (f" and {more} more" if more > 0 else "")
