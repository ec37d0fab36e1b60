"""Summary quality: our extractive summaries against sumy's LexRank at the same length.

Why: "structure-aware and central" is a claim; this measures it on judgments written for the seed
documents (`bench/judgments/<doc_id>.yaml`): the key points a reader should learn from a summary of
each document, each as alternative keyword sets. A point is covered when the summary holds every
keyword of one alternative (at a word start, ignoring case and accents). Two scores per summary:

- key points: the share of the document's key points the summary covers;
- sections: the share of the document's sections (the opening counts as one) it quotes from.

Every method gets the same sentences (our sentence splitter over the cleaned passages; sumy's own
needs NLTK's punkt data, which is not installed) and the same budget, filled the same way: sentences
in the method's order of preference while they fit, joined by spaces, shown in document order.

- ours: `bot.engine.summary.summarize` (coverage + section diversity, see its docstring);
- lexrank: sumy's LexRankSummarizer (Erkan & Radev 2004), sumy's English stemmer and stop words;
- lexrank-filtered: the same, on our candidate sentences only (no list fragments or broken
  quotations), which separates what our selection adds from what our sentence filter adds;
- textrank: sumy's TextRankSummarizer, all sentences;
- lead: the document's first sentences (the usual news baseline).

    python -m bench.summary_quality [--budget 1500] [--json bench/out/summary_quality.json]
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.engine import Engine
from bot.engine.analysis import fold_accents
from bot.engine.sentences import sentence_spans
from bot.engine.summary import BULLET_PREFIX, OPENING, candidate_sentences, summarize
from bot.settings import load_settings

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
JUDGMENTS = ROOT / "bench" / "judgments"
CONFIG = ROOT / "config" / "bot.yaml"
METHODS = ("ours", "lexrank", "lexrank-filtered", "textrank", "lead")
WORD_RE = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


@dataclass(frozen=True, slots=True)
class KeyPoint:
    point: str
    any_of: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Judgment:
    doc_id: str
    key_points: tuple[KeyPoint, ...]


@dataclass(frozen=True, slots=True)
class Unit:
    """A sentence every method may pick: its text, passage section and position in the document."""

    text: str
    section: str
    position: int


def load_judgments(folder: Path = JUDGMENTS) -> list[Judgment]:
    out = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        points = tuple(
            KeyPoint(k["point"], tuple(tuple(str(w) for w in alt) for alt in k["any_of"]))
            for k in data["key_points"]
        )
        out.append(Judgment(str(data["doc_id"]), points))
    return out


def normalize(text: str) -> str:
    text = fold_accents(text.casefold())
    return text.replace("’", "'").replace("‘", "'").replace("‐", "-").replace("–", "-")


def covers(summary: str, point: KeyPoint) -> bool:
    """Whether the summary holds every keyword of one alternative of `point`."""
    text = normalize(summary)
    return any(
        all(re.search(r"(?<![a-z0-9])" + re.escape(normalize(w)), text) for w in alt)
        for alt in point.any_of
    )


def all_units(engine: Engine, doc_id: str) -> list[Unit]:
    """Every sentence of the document's passages (bullet marks dropped), in order."""
    out = []
    for p in engine.corpus.passages_of(doc_id):
        if p.duplicate_of is not None:
            continue
        for a, b in sentence_spans(p.text):
            if p.text.startswith(BULLET_PREFIX, a):
                a += len(BULLET_PREFIX)
            out.append(Unit(p.text[a:b], p.section or OPENING, len(out)))
    return out


def filtered_units(engine: Engine, doc_id: str) -> list[Unit]:
    passages = [p for p in engine.corpus.passages_of(doc_id) if p.duplicate_of is None]
    return [
        Unit(s.text, s.passage.section or OPENING, i)
        for i, s in enumerate(candidate_sentences(passages, engine))
    ]


def fill(units: Sequence[Unit], preference: Sequence[int], budget: int) -> list[Unit]:
    """Units by preference while they fit `budget` (joined by spaces), shown in document order."""
    chosen: list[int] = []
    used = 0
    for i in preference:
        extra = len(units[i].text) + (1 if chosen else 0)
        if used + extra <= budget:
            chosen.append(i)
            used += extra
    return [units[i] for i in sorted(chosen)]


def sumy_ranking(units: Sequence[Unit], algorithm: str) -> list[int]:
    """Unit indices best first by sumy's LexRank or TextRank score (ties: document order)."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    class Words:
        """sumy's tokenizer interface, with a regex for words (NLTK's needs punkt data)."""

        language = "english"

        @staticmethod
        def to_words(text: str) -> list[str]:
            return WORD_RE.findall(text)

    sentences = [Sentence(u.text, Words()) for u in units]
    document = ObjectDocumentModel([Paragraph(sentences)])
    cls = LexRankSummarizer if algorithm == "lexrank" else TextRankSummarizer
    summarizer = cls(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    order: list[int] = []

    def take_all(infos: list[Any]) -> list[Any]:
        # sumy calls this with the sentence infos sorted best first (a stable sort: ties keep
        # document order); keep that order.
        order.extend(int(i.order) for i in infos)
        return infos

    summarizer(document, take_all)
    return order


def evaluate_summary(
    judgment: Judgment, sentences: Sequence[str], sections: Sequence[str], all_sections: int
) -> dict[str, Any]:
    text = " ".join(sentences)
    covered = [k.point for k in judgment.key_points if covers(text, k)]
    return {
        "chars": len(text),
        "sentences": len(sentences),
        "key_points": len(covered) / len(judgment.key_points),
        "covered": covered,
        "missed": [k.point for k in judgment.key_points if k.point not in covered],
        "sections": len(set(sections)) / all_sections,
        "summary": list(sentences),
    }


def run(budget: int | None = None, methods: Sequence[str] = METHODS) -> dict[str, Any]:
    settings = load_settings(CONFIG)
    engine = Engine.load(settings)
    budget = budget or settings.summary.max_chars
    results: dict[str, dict[str, Any]] = {}
    for judgment in load_judgments():
        doc = engine.find_document(judgment.doc_id)
        n_sections = len({p.section for p in engine.corpus.passages_of(doc.doc_id)})
        per_method: dict[str, Any] = {}
        for method in methods:
            if method == "ours":
                s = summarize(engine, doc, max_chars=budget)
                texts = [x.text for x in s.sentences]
                sections = [x.section or OPENING for x in s.sentences]
            else:
                units = baseline(engine, doc.doc_id, method, budget)
                texts = [u.text for u in units]
                sections = [u.section for u in units]
            per_method[method] = evaluate_summary(judgment, texts, sections, n_sections)
        results[doc.doc_id] = per_method
    means = {
        m: {
            key: sum(results[d][m][key] for d in results) / len(results)
            for key in ("key_points", "sections", "chars")
        }
        for m in methods
    }
    return {"budget": budget, "documents": results, "mean": means}


def baseline(engine: Engine, doc_id: str, method: str, budget: int) -> list[Unit]:
    """The summary a baseline method makes of one document within `budget`."""
    if method == "lead":
        units = all_units(engine, doc_id)
        return fill(units, range(len(units)), budget)
    algorithm, _, variant = method.partition("-")
    units = filtered_units(engine, doc_id) if variant == "filtered" else all_units(engine, doc_id)
    return fill(units, sumy_ranking(units, algorithm), budget)


def print_table(report: dict[str, Any], out: Any = sys.stdout) -> None:
    methods = list(report["mean"])
    print(f"Summary quality at {report['budget']} characters", file=out)
    head = f"{'document':<10}" + "".join(f"{m:>22}" for m in methods)
    print(head, file=out)
    for doc_id, per in report["documents"].items():
        row = f"{doc_id[:8]:<10}"
        for m in methods:
            r = per[m]
            row += f"{r['key_points']:>10.0%} {r['sections']:>5.0%} {r['chars']:>5}"
        print(row, file=out)
    row = f"{'mean':<10}"
    for m in methods:
        r = report["mean"][m]
        row += f"{r['key_points']:>10.0%} {r['sections']:>5.0%} {r['chars']:>5.0f}"
    print(row, file=out)
    print("(each cell: key points, sections, characters)", file=out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--budget", type=int, help="characters per summary (default: settings)")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--json", type=Path, help="write the full report (with summaries) here")
    parser.add_argument("--show", action="store_true", help="print every summary")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    report = run(args.budget, [m for m in args.methods.split(",") if m])
    if args.show:
        for doc_id, per in report["documents"].items():
            for m, r in per.items():
                print(f"\n== {doc_id} · {m} · missed: {'; '.join(r['missed']) or 'nothing'}")
                for s in r["summary"]:
                    print(f"  - {s}")
        print()
    print_table(report)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
