"""Re-anchoring: where a saved quote stands after the corpus was reloaded or edited.

Why a pure module: the rule is the part worth testing on its own (moved, recovered, lost), and the
store only applies the changes it returns, inside one transaction.

The rule, for each coding, passage memo and saved quote:
1. its passage still exists and the document text still holds the quote at its offsets: unchanged;
2. otherwise the exact quote is looked for in the same document (inside its old passage first,
   then nearest its old offset): found → new passage id and offsets, status ok;
3. not found (or the document is gone): kept with its quote and old offsets, marked
   needs-attention, reported. Never deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.store.model import NEEDS_ATTENTION, OK, Lost, Moved, ReanchorReport
from bot.store.text import CorpusText


@dataclass(frozen=True, slots=True)
class AnchoredRow:
    subject: str  # "coding", "memo", "saved_quote"
    row_id: int
    passage_id: str
    doc_id: str
    quote: str
    start: int
    end: int
    status: str


@dataclass(frozen=True, slots=True)
class Decision:
    row: AnchoredRow
    outcome: str  # "unchanged", "moved", "recovered", "lost", "still_lost"
    changes: dict[str, Any] = field(default_factory=dict)
    new_passage_id: str | None = None
    new_start: int | None = None
    reason: str = ""


def decide(row: AnchoredRow, corpus: CorpusText) -> Decision:
    """What happens to one anchored record against the reloaded corpus."""
    was_lost = row.status == NEEDS_ATTENTION
    if not corpus.has_document(row.doc_id):
        return _lost(row, was_lost, "document gone")
    if corpus.has_passage(row.passage_id) and corpus.passage(row.passage_id).doc_id == row.doc_id:
        p_start, p_end = corpus.span(row.passage_id)
        text = corpus.text(row.doc_id)
        if p_start <= row.start and row.end <= p_end and text[row.start : row.end] == row.quote:
            if was_lost:
                return Decision(row, "recovered", {"status": OK}, row.passage_id, row.start)
            return Decision(row, "unchanged")
    found = corpus.find_quote(row.doc_id, row.quote, near=row.start, prefer=row.passage_id)
    if found is None:
        return _lost(row, was_lost, "quote gone")
    changes: dict[str, Any] = {
        "passage_id": found.passage_id,
        "start_offset": found.start,
        "end_offset": found.end,
    }
    if was_lost:
        changes["status"] = OK
    return Decision(
        row, "recovered" if was_lost else "moved", changes, found.passage_id, found.start
    )


def _lost(row: AnchoredRow, was_lost: bool, reason: str) -> Decision:
    if was_lost:
        return Decision(row, "still_lost", reason=reason)
    return Decision(row, "lost", {"status": NEEDS_ATTENTION}, reason=reason)


def summarize(decisions: Iterable[Decision]) -> ReanchorReport:
    checked = unchanged = still_lost = 0
    moved: list[Moved] = []
    recovered: list[Moved] = []
    lost: list[Lost] = []
    for d in decisions:
        r = d.row
        checked += 1
        if d.outcome == "unchanged":
            unchanged += 1
        elif d.outcome == "still_lost":
            still_lost += 1
        elif d.outcome == "lost":
            lost.append(Lost(r.subject, r.row_id, r.doc_id, r.passage_id, r.quote, d.reason))
        else:
            assert d.new_passage_id is not None and d.new_start is not None
            item = Moved(
                r.subject, r.row_id, r.doc_id, r.passage_id, d.new_passage_id, r.start, d.new_start
            )
            (recovered if d.outcome == "recovered" else moved).append(item)
    return ReanchorReport(
        checked, unchanged, tuple(moved), tuple(recovered), tuple(lost), still_lost
    )
