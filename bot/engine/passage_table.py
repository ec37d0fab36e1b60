"""The corpus's passages as columns: one text buffer with offsets, numbers in numpy arrays.

Why columns and not a list of `Passage` objects: at a million passages the objects and their
strings cost ~1 GB and seconds to create, and a snapshot of them must be unpickled object by object
before the first answer. Here every column is one numpy array that an index snapshot memory-maps as
it is (`to_arrays` / `from_arrays`); a `Passage` is made only when one is asked for (a hit, a
passage view, an exploration walking the corpus). Reading is that of a list: `table[i]`,
`table[a:b]` (a list), `len`, iteration.

Strings that repeat (section headings, page labels, speakers, times) are stored once in `strings`
and referred to by code; a document's id and title by the document's code.
"""

from __future__ import annotations

import itertools
import logging
from array import array
from collections.abc import Iterator, Sequence
from typing import overload

import numpy as np

from bot.engine.model import Passage

log = logging.getLogger(__name__)

NONE = -1  # the code of a missing string or number
INT_COLUMNS = ("ordinal", "start", "end", "line_start", "line_end")
CODE_COLUMNS = ("section", "page", "page_end", "speaker", "timestamp")
TEXT_COLUMNS = ("text", "id")


class PassageTable(Sequence[Passage]):
    """Read-only passages in index-row order, stored as columns."""

    def __init__(
        self,
        arrays: dict[str, np.ndarray],
        doc_ids: list[str],
        titles: list[str],
        strings: list[str],
    ) -> None:
        self.arrays = arrays
        self.doc_ids = doc_ids
        self.titles = titles
        self.strings = strings
        self._n = int(arrays["doc"].size)

    # -- reading -----------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> Passage: ...

    @overload
    def __getitem__(self, i: slice) -> list[Passage]: ...

    def __getitem__(self, i: int | slice) -> Passage | list[Passage]:
        if isinstance(i, slice):
            return [self._passage(r) for r in range(*i.indices(self._n))]
        r = int(i)
        if r < 0:
            r += self._n
        if not 0 <= r < self._n:
            raise IndexError("passage row out of range")
        return self._passage(r)

    def __iter__(self) -> Iterator[Passage]:
        return map(self._passage, range(self._n))

    def text(self, row: int) -> str:
        """One passage's text, without making the whole `Passage`."""
        return self._string("text", row)

    def passage_id(self, row: int) -> str:
        return self._string("id", row)

    def texts(self) -> Iterator[str]:
        """Every passage's text in row order (decoded one at a time)."""
        buf, off = self.arrays["text_buf"], self.arrays["text_off"]
        for a, b in zip(off[:-1].tolist(), off[1:].tolist(), strict=True):
            yield bytes(buf[a:b]).decode("utf-8")

    def ids(self) -> list[str]:
        """Every passage's id in row order, without making the passages (a reload compares
        a million of them)."""
        buf, off = self.arrays["id_buf"].tobytes(), self.arrays["id_off"].tolist()
        return [buf[a:b].decode("utf-8") for a, b in itertools.pairwise(off)]

    def doc_code(self, row: int) -> int:
        return int(self.arrays["doc"][row])

    def _string(self, column: str, row: int) -> str:
        off = self.arrays[f"{column}_off"]
        return bytes(self.arrays[f"{column}_buf"][off[row] : off[row + 1]]).decode("utf-8")

    def _code(self, column: str, row: int) -> str | None:
        c = int(self.arrays[column][row])
        return None if c == NONE else self.strings[c]

    def _passage(self, r: int) -> Passage:
        a = self.arrays
        doc = int(a["doc"][r])
        line_start, line_end = int(a["line_start"][r]), int(a["line_end"][r])
        dup = int(a["duplicate"][r])
        return Passage(
            id=self._string("id", r),
            doc_id=self.doc_ids[doc],
            title=self.titles[doc],
            section=self._code("section", r),
            ordinal=int(a["ordinal"][r]),
            text=self._string("text", r),
            start=int(a["start"][r]),
            end=int(a["end"][r]),
            row=r,
            duplicate_of=None if dup == NONE else self._string("id", dup),
            line_start=None if line_start == NONE else line_start,
            line_end=None if line_end == NONE else line_end,
            page=self._code("page", r),
            page_end=self._code("page_end", r),
            speaker=self._code("speaker", r),
            timestamp=self._code("timestamp", r),
        )

    # -- marks -------------------------------------------------------------------------------

    def mark_duplicates(self, duplicate: np.ndarray) -> None:
        """Set each row's `duplicate_of` from `duplicate` (the original's row, or -1)."""
        self.arrays["duplicate"] = np.asarray(duplicate, dtype=np.int32)

    # -- storage -----------------------------------------------------------------------------

    def to_lists(self) -> dict[str, list[str]]:
        return {"doc_ids": self.doc_ids, "titles": self.titles, "strings": self.strings}

    @classmethod
    def from_passages(cls, passages: Sequence[Passage]) -> PassageTable:
        """A table of `passages` (their `row`s must be 0..n-1 in order)."""
        builder = PassageTableBuilder()
        builder.add(passages)
        return builder.finish()


class PassageTableBuilder:
    """Appends passages document by document, keeping no `Passage` object alive."""

    def __init__(self) -> None:
        self._ints: dict[str, array[int]] = {c: array("q") for c in INT_COLUMNS}
        self._codes: dict[str, array[int]] = {c: array("i") for c in CODE_COLUMNS}
        self._doc = array("i")
        self._bufs: dict[str, list[bytes]] = {c: [] for c in TEXT_COLUMNS}
        self._lens: dict[str, array[int]] = {c: array("q") for c in TEXT_COLUMNS}
        self._strings: dict[str, int] = {}
        self._docs: dict[str, int] = {}
        self.doc_ids: list[str] = []
        self.titles: list[str] = []
        self._parts: list[tuple[PassageTable, int, int]] = []
        self._copied = 0

    def __len__(self) -> int:
        return self._copied + len(self._doc)

    def add_rows(self, table: PassageTable, lo: int, hi: int) -> None:
        """Append rows lo..hi of another table (a document kept from a snapshot), copied
        column by column when the table is finished: no `Passage` is made."""
        if self._doc:
            self._flush()
        self._parts.append((table, lo, hi))
        self._copied += hi - lo

    def _flush(self) -> None:
        own = self._finish()
        copied, parts = self._copied + len(own), [*self._parts, (own, 0, len(own))]
        self.__init__()  # type: ignore[misc]
        self._parts, self._copied = parts, copied

    def _doc_code(self, doc_id: str, title: str) -> int:
        code = self._docs.get(doc_id)
        if code is None:
            code = self._docs[doc_id] = len(self.doc_ids)
            self.doc_ids.append(doc_id)
            self.titles.append(title)
        return code

    def _code(self, value: str | None) -> int:
        if value is None:
            return NONE
        code = self._strings.get(value)
        if code is None:
            code = self._strings[value] = len(self._strings)
        return code

    def add(self, passages: Sequence[Passage]) -> None:
        """Append one document's passages (in row order), a column at a time."""
        ps = passages
        self._doc.extend([self._doc_code(p.doc_id, p.title) for p in ps])
        ints = self._ints
        ints["ordinal"].extend([p.ordinal for p in ps])
        ints["start"].extend([p.start for p in ps])
        ints["end"].extend([p.end for p in ps])
        ints["line_start"].extend([NONE if p.line_start is None else p.line_start for p in ps])
        ints["line_end"].extend([NONE if p.line_end is None else p.line_end for p in ps])
        code = self._code
        codes = self._codes
        codes["section"].extend([code(p.section) for p in ps])
        codes["page"].extend([code(p.page) for p in ps])
        codes["page_end"].extend([code(p.page_end) for p in ps])
        codes["speaker"].extend([code(p.speaker) for p in ps])
        codes["timestamp"].extend([code(p.timestamp) for p in ps])
        for column, values in (("text", [p.text for p in ps]), ("id", [p.id for p in ps])):
            raw = [v.encode("utf-8") for v in values]
            self._bufs[column].append(b"".join(raw))
            self._lens[column].extend(map(len, raw))

    def _finish(self) -> PassageTable:
        arrays: dict[str, np.ndarray] = {"doc": np.frombuffer(self._doc, dtype=np.int32).copy()}
        for c in INT_COLUMNS:
            arrays[c] = np.frombuffer(self._ints[c], dtype=np.int64).copy()
        for c in CODE_COLUMNS:
            arrays[c] = np.frombuffer(self._codes[c], dtype=np.int32).copy()
        for c in TEXT_COLUMNS:
            arrays[f"{c}_buf"] = np.frombuffer(b"".join(self._bufs[c]), dtype=np.uint8).copy()
            off = np.zeros(len(self._lens[c]) + 1, dtype=np.int64)
            np.cumsum(np.frombuffer(self._lens[c], dtype=np.int64), out=off[1:])
            arrays[f"{c}_off"] = off
        arrays["duplicate"] = np.full(len(self._doc), NONE, dtype=np.int32)
        return PassageTable(arrays, self.doc_ids, self.titles, list(self._strings))

    def finish(self) -> PassageTable:
        """The table of everything added, in order."""
        if not self._parts:
            return self._finish()
        if self._doc:
            self._flush()
        return concat_rows(self._parts)


def concat_rows(parts: Sequence[tuple[PassageTable, int, int]]) -> PassageTable:
    """One table of row ranges of several tables, in the order given (codes re-numbered)."""
    doc_ids: list[str] = []
    titles: list[str] = []
    docs: dict[str, int] = {}
    strings: dict[str, int] = {}
    cols: dict[str, list[np.ndarray]] = {
        c: []
        for c in ("doc", *INT_COLUMNS, *CODE_COLUMNS, "text_buf", "id_buf", "text_off", "id_off")
    }
    base = {"text": 0, "id": 0}
    for table, lo, hi in parts:
        a = table.arrays
        doc_map = np.empty(len(table.doc_ids), dtype=np.int32)
        used = np.unique(a["doc"][lo:hi])
        for code in used.tolist():
            doc_id = table.doc_ids[code]
            if doc_id not in docs:
                docs[doc_id] = len(doc_ids)
                doc_ids.append(doc_id)
                titles.append(table.titles[code])
            doc_map[code] = docs[doc_id]
        cols["doc"].append(doc_map[a["doc"][lo:hi]])
        for c in INT_COLUMNS:
            cols[c].append(np.asarray(a[c][lo:hi]))
        string_map = np.empty(len(table.strings) + 1, dtype=np.int32)
        string_map[-1] = NONE  # code -1 indexes the last slot
        codes = np.concatenate([np.asarray(a[c][lo:hi]) for c in CODE_COLUMNS])
        for code in np.unique(codes[codes != NONE]).tolist():
            s = table.strings[code]
            string_map[code] = strings.setdefault(s, len(strings))
        for c in CODE_COLUMNS:
            cols[c].append(string_map[a[c][lo:hi]])
        for c in TEXT_COLUMNS:
            off = a[f"{c}_off"]
            start, stop = int(off[lo]), int(off[hi])
            cols[f"{c}_buf"].append(np.asarray(a[f"{c}_buf"][start:stop]))
            cols[f"{c}_off"].append(np.asarray(off[lo + 1 : hi + 1]) - start + base[c])
            base[c] += stop - start
    arrays = {
        c: np.concatenate(v) if v else np.empty(0, dtype=np.int64)
        for c, v in cols.items()
        if not c.endswith("_off")
    }
    arrays["doc"] = arrays["doc"].astype(np.int32, copy=False)
    for c in CODE_COLUMNS:
        arrays[c] = arrays[c].astype(np.int32, copy=False)
    for c in TEXT_COLUMNS:
        arrays[f"{c}_buf"] = arrays[f"{c}_buf"].astype(np.uint8, copy=False)
        arrays[f"{c}_off"] = np.concatenate([np.zeros(1, np.int64), *cols[f"{c}_off"]])
    arrays["duplicate"] = np.full(arrays["doc"].size, NONE, dtype=np.int32)
    return PassageTable(arrays, doc_ids, titles, list(strings))
