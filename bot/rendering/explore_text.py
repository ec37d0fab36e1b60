"""The exploration reports as terminal text, for the command line.

A concordance is printed the way AntConc shows one — the left context right-aligned, the match in
bold on a terminal (between «guillemets» elsewhere), the right context, then where it stands — and
the tables are aligned columns, so the output reads in a terminal and pastes into a notebook.
"""

from __future__ import annotations

from bot.engine.collocates import CollocateResult
from bot.engine.keywords import KeywordResult
from bot.engine.kwic import Concordance
from bot.engine.trend import Trend, TrendPoint
from bot.engine.wording import plural, short_labels
from bot.rendering.terminal import BOLD, DIM, RESET, mark


def _one_line(text: str) -> str:
    return " ".join(text.split())


def kwic_text(result: Concordance, *, tty: bool) -> str:
    """Aligned concordance lines, each followed by its document label, ¶ and passage id."""
    bold, dim, reset = (BOLD, DIM, RESET) if tty else ("«", "", "»")
    end_dim = RESET if tty else ""
    lines: list[str] = []
    if result.message:
        lines.append(result.message)
    labels = short_labels(result.by_doc) if result.by_doc else {}
    width = max((len(_one_line(line.left)) for line in result.lines), default=0)
    for line in result.lines:
        left = _one_line(line.left).rjust(width)  # one column between it and every match
        gap_right = " " if line.right[:1].isspace() else ""
        label = labels.get(line.doc_id, line.doc_id)
        lines.append(
            f"{left} {bold}{_one_line(line.match)}{reset}{gap_right}"
            f"{_one_line(line.right)}  {dim}[{label} ¶{line.ordinal} {line.passage_id}]{end_dim}"
        )
    if result.total:
        per_doc = ", ".join(f"{labels[d]} {n}" for d, n in result.by_doc.items())
        summary = f"{plural(result.total, 'occurrence')} of {result.target} — {per_doc}"
        if result.truncated:
            summary += f" (first {len(result.lines):,} lines shown)"
        lines.append("\n" + summary)
    return "\n".join(lines)


def collocates_text(result: CollocateResult) -> str:
    """The collocate table, strongest first by the chosen measure, with the sizes behind it."""
    lines: list[str] = []
    if result.message:
        lines.append(result.message)
    if result.node_frequency:
        lines.append(
            f"{result.target}: {plural(result.node_frequency, 'occurrence')}, window "
            f"±{result.window}, ranked by {result.measure_name}; N = {result.corpus_terms:,} "
            f"words, {result.window_slots:,} window slots"
        )
    if result.collocates:
        lines.append(
            f"\n{'word':<20} {'n':>6} {'left':>6} {'right':>6} {'freq':>8} {'expected':>9} "
            f"{'LL':>9} {'MI':>6} {'t':>6}"
        )
        for c in result.collocates:
            lines.append(
                f"{c.word:<20} {c.together:>6} {c.left:>6} {c.right:>6} {c.frequency:>8} "
                f"{c.expected:>9.2f} {c.ll:>9.2f} {c.mi:>6.2f} {c.t:>6.2f}"
            )
    return "\n".join(lines)


def keywords_text(result: KeywordResult, *, tty: bool) -> str:
    """Each keyword with its counts, LL and Log Ratio, and its example sentence."""
    lines = [
        f"{result.title} ({result.doc_id}) against the rest of the corpus: "
        f"{result.document_terms:,} words vs {result.reference_terms:,}; LL ≥ {result.threshold} "
        f"(p < {result.p}), at least {result.min_freq} times"
    ]
    if result.message:
        lines.append(result.message)
    if result.keywords:
        lines.append(
            f"\n{'':>3} {'word':<20} {'here':>6} {'rest':>7} {'per 10k':>8} {'rest/10k':>9} "
            f"{'LL':>8} {'LogRatio':>8}"
        )
    for i, k in enumerate(result.keywords, start=1):
        lines.append(
            f"{i:>3} {k.word:<20} {k.frequency:>6} {k.reference_frequency:>7} {k.per_10k:>8.1f} "
            f"{k.reference_per_10k:>9.1f} {k.ll:>8.2f} {k.log_ratio:>+8.2f}"
        )
        if k.example is not None:
            e = k.example
            lines.append(f"      {mark(e.text, e.highlights, tty)}  [¶{e.ordinal} {e.passage_id}]")
    return "\n".join(lines)


def trend_text(result: Trend) -> str:
    """Counts, words and rate per document (or section), then per date."""
    lines: list[str] = []
    if result.message:
        lines.append(result.message)
    if result.points:
        where = f"by section of {result.doc_title}" if result.by == "section" else "by document"
        lines.append(
            f"{result.target} ({result.kind}), {where}: {result.total:,} in {result.words:,} "
            f"words, {result.per_10k:.1f} per 10,000"
        )
        lines += _table(result.points)
    if result.dates:
        lines.append("\nBy date:")
        lines += _table(result.dates)
        if result.undated:
            lines.append(f"({plural(result.undated, 'document')} without a date left out)")
    if result.sampled:
        lines.append(f"(estimated from {result.passages_read:,} of {result.candidates:,} passages)")
    return "\n".join(lines)


def _table(points: tuple[TrendPoint, ...]) -> list[str]:
    rows = [f"{'':<40} {'count':>8} {'words':>10} {'per 10k':>9}"]
    for p in points:
        label = p.title if p.label == p.key else f"{p.label} {p.title}"  # a date is its own label
        label = label if len(label) <= 40 else label[:39] + "…"
        rows.append(f"{label:<40} {p.count:>8,} {p.words:>10,} {p.per_10k:>9.1f}")
    return rows
