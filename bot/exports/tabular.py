"""CSV exports: one row per coding, or per saved quote — what a spreadsheet or R/pandas reads.

UTF-8 with a byte-order mark (so Excel shows accents right) and RFC 4180 quoting with `\r\n`
row ends; text fields are written exactly as stored.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from bot.exports.citation import cite
from bot.store.model import Coding, Collection, SavedQuote
from bot.store.text import CorpusText

CODING_COLUMNS = (
    "passage_id",
    "doc_id",
    "title",
    "page",
    "section",
    "code",
    "coder",
    "created",
    "memo",
    "quote",
    "status",
    "start",
    "end",
)
SAVED_COLUMNS = (
    "collection",
    "position",
    "passage_id",
    "doc_id",
    "title",
    "page",
    "section",
    "saved_by",
    "saved",
    "note",
    "quote",
    "status",
)


def codings_csv(codings: Sequence[Coding], corpus: CorpusText) -> bytes:
    """One row per coding, in the order given (the store's: document, then position)."""
    rows = []
    for c in codings:
        where = cite(c.passage_id, c.doc_id, corpus)
        rows.append(
            (
                c.passage_id,
                c.doc_id,
                where.title,
                _blank(where.page),
                where.section or "",
                c.code,
                c.coder,
                c.created,
                c.memo,
                c.quote,
                c.status,
                c.start,
                c.end,
            )
        )
    return _csv(CODING_COLUMNS, rows)


def collection_csv(
    collection: Collection, items: Sequence[SavedQuote], corpus: CorpusText
) -> bytes:
    """One row per saved quote, in the order they were saved."""
    rows = []
    for q in items:
        where = cite(q.passage_id, q.doc_id, corpus)
        rows.append(
            (
                collection.name,
                q.position,
                q.passage_id,
                q.doc_id,
                where.title,
                _blank(where.page),
                where.section or "",
                q.saved_by,
                q.saved,
                q.note,
                q.quote,
                q.status,
            )
        )
    return _csv(SAVED_COLUMNS, rows)


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _blank(value: object | None) -> object:
    return "" if value is None else value
