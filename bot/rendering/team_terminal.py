"""The team's work as terminal text and JSON: codings, codes, collections, agreement, checks.

Why its own module: the command line's team commands print these, and the tests read them without
running a command. Pure functions of the store's records and the loaded corpus's text (for the
source line of a quote); a quote is printed exactly as stored (a memo's markdown, mentions and all:
a terminal shows characters, it does not render them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from bot.engine.wording import plural, short_labels
from bot.rendering.locators import locator_parts
from bot.rendering.terminal import BOLD, DIM, RESET
from bot.store import (
    NEEDS_ATTENTION,
    Agreement,
    CheckReport,
    Code,
    CodeCount,
    Coding,
    Collection,
    CorpusText,
    ImportReport,
    Memo,
    ReanchorReport,
    SavedQuote,
)

ATTENTION = "needs attention: the quote is no longer where it was in its document"
MAX_COLUMNS = 12  # a codes table wider than this sums the smallest columns into "other"


# -- where a quote stands ----------------------------------------------------------------------


def source_line(passage_id: str, doc_id: str, corpus: CorpusText) -> str:
    """`Title · Section · line 19 · ¶8 · id`, as search results cite; a passage the corpus lost
    is named by its document and id."""
    if corpus.has_passage(passage_id):
        p = corpus.passage(passage_id)
        doc = corpus.documents.get(p.doc_id)
        title = doc.title if doc is not None else p.title
        parts = [title, p.section, *locator_parts(p), f"¶{p.ordinal}", p.id]
        return " · ".join(x for x in parts if x)
    doc = corpus.documents.get(doc_id)
    title = f"{doc.title} ({doc_id})" if doc is not None else f"{doc_id} (no longer in the corpus)"
    return f"{title} · {passage_id}"


def coding_json(c: Coding, corpus: CorpusText) -> dict[str, Any]:
    """A coding for scripts: every field, and its source line."""
    return {
        "id": c.id,
        "code": c.code,
        "coder": c.coder,
        "coder_key": c.coder_key,
        "passage_id": c.passage_id,
        "doc_id": c.doc_id,
        "source": source_line(c.passage_id, c.doc_id, corpus),
        "quote": c.quote,
        "start": c.start,
        "end": c.end,
        "memo": c.memo,
        "status": c.status,
        "created": c.created,
    }


# -- what one change did --------------------------------------------------------------------


def coded_one_text(c: Coding, *, created_code: bool = False) -> str:
    """The answer to `code`: what was coded, by whom, and the coding's number (for `uncode`)."""
    lines = [f"created the code '{c.code}'"] if created_code else []
    lines.append(f"coded passage {c.passage_id} as '{c.code}' (coding #{c.id}, by {c.coder})")
    lines.append(f"> {_one_line(c.quote)}")
    if c.memo:
        lines.append(f"memo: {c.memo}")
    return "\n".join(lines)


def memo_text(m: Memo) -> str:
    verb = "wrote" if m.created == m.updated else "updated"
    return f"{verb} {m.author}'s memo on {m.kind} {m.target} ({plural(len(m.text), 'character')})"


def saved_text(q: SavedQuote) -> str:
    return f"saved passage {q.passage_id} in '{q.collection}' (#{q.position}, by {q.saved_by})"


def import_text(report: ImportReport, source: str) -> str:
    """What merging a codebook did: added, already there, and each conflict in a sentence."""
    lines = [
        f"{source}: {plural(len(report.added), 'code')} added, "
        f"{len(report.unchanged)} already there, {plural(len(report.conflicts), 'conflict')}"
    ]
    if report.added:
        lines.append("added: " + ", ".join(report.added))
    lines += [f"conflict: {c}" for c in report.conflicts]
    return "\n".join(lines)


def reanchor_lines(report: ReanchorReport) -> list[str]:
    """For stderr, after the corpus changed: what moved and what needs attention, by record."""
    if not report.changed:
        return []
    lines = [
        "the corpus changed since the last check: "
        + ", ".join(
            part
            for part in (
                f"{len(report.moved)} moved" if report.moved else "",
                f"{len(report.recovered)} found again" if report.recovered else "",
                f"{len(report.lost)} need attention" if report.lost else "",
            )
            if part
        )
    ]
    for m in (*report.moved, *report.recovered):
        lines.append(
            f"  {_subject(m.subject)} #{m.row_id} follows its quote to passage {m.new_passage_id}"
        )
    for lost in report.lost:
        lines.append(
            f"  {_subject(lost.subject)} #{lost.row_id} needs attention ({lost.reason} in "
            f"{lost.doc_id}): \u201c{_one_line(lost.quote, 60)}\u201d"
        )
    return lines


# -- retrieving -------------------------------------------------------------------------------


def coded_text(
    code: str,
    codings: Sequence[Coding],
    corpus: CorpusText,
    *,
    total: int,
    first: int,
    tty: bool,
) -> str:
    """A page of one code's quotes, numbered from `first`, each with its source, coder and memo;
    a quote the corpus lost is marked needs-attention but still shown. (When it was coded is in
    `--json` and the exports: the terminal keeps to what a reader checks a quote with.)"""
    bold, dim, reset = (BOLD, DIM, RESET) if tty else ("", "", "")
    if not codings:
        return f"No passage is coded '{code}' yet." if total == 0 else f"No more codings ({total})."
    last = first + len(codings) - 1
    shown = f"{first}–{last} of {total}" if (first, last) != (1, total) else f"{total}"
    lines = [f"{code}: {plural(total, 'coding')}" + ("" if shown == str(total) else f", {shown}")]
    for i, c in enumerate(codings, first):
        lines.append("")
        lines.append(f"{bold}{i}.{reset} {c.quote}")
        lines.append(
            f"   {dim}— {source_line(c.passage_id, c.doc_id, corpus)} · "
            f"coded by {c.coder} · #{c.id}{reset}"
        )
        if c.memo:
            lines.append(f"   memo: {c.memo}")
        if c.status == NEEDS_ATTENTION:
            lines.append(f"   ⚠ {ATTENTION}")
    if last < total:
        lines += ["", f"--page {(last // len(codings)) + 1} for more"]
    return "\n".join(lines)


def codes_table(
    codes: Sequence[Code], by_doc: Sequence[CodeCount], by_coder: Sequence[CodeCount]
) -> str:
    """Codes × documents, then codes × coders: how many codings each; every code listed."""
    if not codes:
        return "There is no code yet: add themes to the codebook or create one with `code --new`."
    labels = short_labels(sorted({c.doc_id for c in by_doc}))
    docs = _matrix(codes, [(c.code, labels[c.doc_id], c.count) for c in by_doc])
    coders = _matrix(codes, [(c.code, c.coder or "?", c.count) for c in by_coder])
    total = sum(c.count for c in by_doc)
    lines = [f"{plural(len(codes), 'code')}, {plural(total, 'coding')}", "", "by document:"]
    lines += docs
    if by_coder:
        lines += ["", "by coder:", *coders]
    if labels:
        lines += ["", "documents: " + ", ".join(f"{v} = {k}" for k, v in labels.items())]
    return "\n".join(lines)


def codes_json(
    codes: Sequence[Code], by_doc: Sequence[CodeCount], by_coder: Sequence[CodeCount]
) -> dict[str, Any]:
    docs: dict[str, dict[str, int]] = defaultdict(dict)
    coders: dict[str, dict[str, int]] = defaultdict(dict)
    for c in by_doc:
        docs[c.code][c.doc_id] = docs[c.code].get(c.doc_id, 0) + c.count
    for c in by_coder:  # counted per document too: summed over documents here
        coders[c.code][c.coder or ""] = coders[c.code].get(c.coder or "", 0) + c.count
    return {
        "codes": [
            {
                "code": k.name,
                "description": k.description,
                "origin": k.origin,
                "total": sum(docs[k.name].values()),
                "documents": docs[k.name],
                "coders": coders[k.name],
            }
            for k in codes
        ]
    }


def _matrix(codes: Sequence[Code], cells: Sequence[tuple[str, str, int]]) -> list[str]:
    """Rows of codes, one column per key (the largest first; past MAX_COLUMNS, an "other")."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    per_column: dict[str, int] = defaultdict(int)
    for code, key, n in cells:
        counts[code][key] += n
        per_column[key] += n
    columns = sorted(per_column, key=lambda k: (-per_column[k], k))
    if len(columns) > MAX_COLUMNS:
        kept = sorted(columns[: MAX_COLUMNS - 1])
        for code_counts in counts.values():
            code_counts["other"] = sum(v for k, v in code_counts.items() if k not in kept)
        columns = [*kept, "other"]
    else:
        columns = sorted(columns)
    name_width = max([len("code"), *(len(k.name) for k in codes)])
    widths = [max(len(c), 3) for c in columns]
    header = ["code".ljust(name_width), *(c.rjust(w) for c, w in zip(columns, widths, strict=True))]
    lines = ["  ".join([*header, "total"]).rstrip()]
    for k in codes:
        row = counts.get(k.name, {})
        values = [str(row.get(c, 0) or "·").rjust(w) for c, w in zip(columns, widths, strict=True)]
        total = sum(row.get(c, 0) for c in columns)
        lines.append("  ".join([k.name.ljust(name_width), *values, str(total).rjust(5)]))
    return lines


def collection_text(
    collection: Collection, items: Sequence[SavedQuote], corpus: CorpusText, *, tty: bool
) -> str:
    """A collection's quotes in the order saved, each with its source and who saved it."""
    bold, dim, reset = (BOLD, DIM, RESET) if tty else ("", "", "")
    lines = [f"{collection.name}: {plural(len(items), 'quote')}"]
    for i, q in enumerate(items, 1):
        lines.append("")
        lines.append(f"{bold}{i}.{reset} {q.quote}")
        lines.append(
            f"   {dim}— {source_line(q.passage_id, q.doc_id, corpus)} · "
            f"saved by {q.saved_by}{reset}"
        )
        if q.note:
            lines.append(f"   note: {q.note}")
        if q.status == NEEDS_ATTENTION:
            lines.append(f"   ⚠ {ATTENTION}")
    return "\n".join(lines)


def collections_text(collections: Sequence[Collection]) -> str:
    if not collections:
        return "There is no collection yet: `save PASSAGE_ID` starts one."
    return "\n".join(f"{c.name}  (started by {c.created_by})" for c in collections)


def saved_json(q: SavedQuote, corpus: CorpusText) -> dict[str, Any]:
    return {
        "position": q.position,
        "passage_id": q.passage_id,
        "doc_id": q.doc_id,
        "source": source_line(q.passage_id, q.doc_id, corpus),
        "quote": q.quote,
        "saved_by": q.saved_by,
        "saved": q.saved,
        "note": q.note,
        "status": q.status,
    }


# -- agreement and checks ---------------------------------------------------------------------


def agreement_text(a: Agreement, names: Mapping[str, str]) -> str:
    """Kappa, percent agreement and the 2×2 counts behind them, with what the units were."""
    name_a, name_b = names.get(a.coder_a, a.coder_a), names.get(a.coder_b, a.coder_b)
    if not a.units:
        return (
            f"{name_a} and {name_b} have coded no document in common, so there is nothing to "
            f"compare on '{a.code}'."
        )
    kappa = f"{a.kappa:.3f}" if a.kappa is not None else "undefined (both gave one answer)"
    percent = f"{a.percent:.1f}%" if a.percent is not None else "–"
    lines = [
        f"'{a.code}': {name_a} vs {name_b}",
        f"Cohen's kappa {kappa} · agreement {percent} over {plural(a.units, 'passage')} of "
        f"{plural(len(a.documents), 'document')} both coded",
        f"both coded it {a.both_yes} · only {name_a} {a.a_only} · only {name_b} {a.b_only} · "
        f"neither {a.both_no}",
    ]
    if a.skipped:
        lines.append(
            f"{plural(a.skipped, 'coding')} left out: their passage is no longer in the corpus"
        )
    return "\n".join(lines)


def agreement_json(a: Agreement, names: Mapping[str, str]) -> dict[str, Any]:
    return {
        "code": a.code,
        "coder_a": names.get(a.coder_a, a.coder_a),
        "coder_b": names.get(a.coder_b, a.coder_b),
        "kappa": a.kappa,
        "percent_agreement": a.percent,
        "units": a.units,
        "documents": list(a.documents),
        "both_yes": a.both_yes,
        "a_only": a.a_only,
        "b_only": a.b_only,
        "both_no": a.both_no,
        "skipped": a.skipped,
    }


def check_text(report: CheckReport, path: str) -> str:
    """`store check`: integrity first, then what no longer matches the corpus."""
    lines = [
        f"{path}: schema version {report.schema_version}, {plural(report.codings, 'coding')}"
        f" ({report.needs_attention} need attention)",
        "integrity: ok" if report.integrity == ("ok",) else "integrity: DAMAGED",
    ]
    lines += [f"  {line}" for line in report.integrity if line != "ok"]
    if report.foreign_key_problems:
        lines.append(f"broken references: {report.foreign_key_problems}")
    if report.unknown_documents:
        lines.append(
            "codings of documents not in the corpus: " + ", ".join(report.unknown_documents)
        )
    if report.unknown_passages:
        shown = ", ".join(report.unknown_passages[:5])
        more = ", …" if len(report.unknown_passages) > 5 else ""
        lines.append(
            f"codings of passages not in the corpus: {len(report.unknown_passages)} ({shown}{more})"
        )
    if report.orphan_memos:
        lines.append(f"memos on passages or documents not in the corpus: {report.orphan_memos}")
    if report.unused_codes:
        lines.append("codes never applied: " + ", ".join(report.unused_codes))
    return "\n".join(lines)


def check_json(report: CheckReport, path: str) -> dict[str, Any]:
    return {
        "path": path,
        "ok": report.ok,
        "integrity": list(report.integrity),
        "foreign_key_problems": report.foreign_key_problems,
        "schema_version": report.schema_version,
        "codings": report.codings,
        "needs_attention": report.needs_attention,
        "unknown_passages": list(report.unknown_passages),
        "unknown_documents": list(report.unknown_documents),
        "unused_codes": list(report.unused_codes),
        "orphan_memos": report.orphan_memos,
    }


def _subject(subject: str) -> str:
    return {"coding": "coding", "memo": "memo", "saved_quote": "saved quote"}.get(subject, subject)


def _one_line(text: str, limit: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
