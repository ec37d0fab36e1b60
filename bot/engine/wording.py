"""Small wording helpers shared by the engine's messages and every renderer.

Why here: "1 passage" / "2 passages" and short document labels appear in engine messages, JSON and
every front end's text; written once, they read the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable


def plural(n: int, word: str, many: str | None = None, *, count: bool = True) -> str:
    """The word for `n` things, with the number: "1 passage", "1,200 passages", "2 matches".

    `count=False` leaves the number out ("the words 'a', 'b'").
    """
    form = word if n == 1 else many or word + "s"
    return f"{n:,} {form}" if count else form


def short_labels(doc_ids: Iterable[str]) -> dict[str, str]:
    """Short, unique labels for document ids: the part before the first "_" ("000"), when unique."""
    ids = list(doc_ids)
    heads = [d.split("_", 1)[0][:12] for d in ids]
    if len(set(heads)) == len(heads) and all(heads):
        return dict(zip(ids, heads, strict=True))
    for n in range(3, max((len(d) for d in ids), default=3) + 1):
        cut = [d[:n] for d in ids]
        if len(set(cut)) == len(cut):
            return dict(zip(ids, cut, strict=True))
    return {d: d for d in ids}


# What each loading stage is called in a log line, a progress bar or a reload message.
STAGES = {
    "files": "reading files",
    "passages": "analysing passages",
    "index": "indexing",
    "snapshot": "writing the index snapshot",
}


def describe_progress(stage: str, done: int, total: int) -> str:
    """'reading files: 1,200 of 5,000' — the words a log line or a message shows."""
    what = STAGES.get(stage, stage)
    if stage in ("files", "passages"):
        return f"{what}: {done:,} of {total:,}"
    return what + (" (done)" if done >= total else "")
