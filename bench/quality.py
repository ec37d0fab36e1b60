"""Retrieval quality (nDCG@10, Recall@100) on public test collections: ours, bm25s and rank_bm25.

Why: speed is worthless if the ranking is worse than the obvious alternative. SciFact (BEIR) has a
published BM25 figure (nDCG@10 = 0.665) and bm25s reports its own; Cranfield adds graded judgments.
Each document is indexed as title + " " + text. Ours uses our Analyzer and PassageIndex with default
settings; bm25s uses its recommended tokenizer (PyStemmer English, stop words "en"); rank_bm25
scores our tokens, which checks the index rather than the analysis.

The ablation crosses the two analyses with the two scorers, so a gap to bm25s can be pinned on
tokenization/stop words/stemming or on the BM25 formula; the sweep tries our variants and k1, b.

    python -m bench.quality --json bench/out/quality.json
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.engines import ENGINES
from bench.measure import environment
from bench.metrics import Qrels, Run, evaluate

log = logging.getLogger(__name__)

COLLECTIONS_DIR = Path("/work/shared/collections")
DEFAULT_COLLECTIONS = "scifact,cranfield"
PUBLISHED = {"scifact": {"BEIR paper BM25 (Elasticsearch)": 0.665}}
DEPTH = 100
SWEEP_K1 = (0.9, 1.2, 1.5, 2.0)
SWEEP_B = (0.4, 0.75, 0.9)
SWEEP_VARIANTS = ("okapi", "plus")


@dataclass(frozen=True, slots=True)
class Collection:
    """A test collection: documents (title + text), queries and graded qrels."""

    name: str
    doc_ids: list[str]
    texts: list[str]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]


def load_collection(folder: Path) -> Collection:
    """Read corpus.jsonl, queries.jsonl and qrels.tsv (header line) of one collection folder."""
    doc_ids, texts = [], []
    with open(folder / "corpus.jsonl", encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            doc_ids.append(str(doc["id"]))
            texts.append(f"{doc.get('title') or ''} {doc.get('text') or ''}".strip())
    with open(folder / "queries.jsonl", encoding="utf-8") as f:
        queries = {str(q["id"]): q["text"] for q in map(json.loads, f)}
    qrels: dict[str, dict[str, int]] = {}
    with open(folder / "qrels.tsv", encoding="utf-8") as f:
        rows = csv.reader(f, delimiter="\t")
        next(rows)
        for qid, did, grade in rows:
            qrels.setdefault(qid, {})[did] = int(grade)
    qrels = {q: judged for q, judged in qrels.items() if q in queries}
    return Collection(folder.name, doc_ids, texts, queries, qrels)


def our_tokens(texts: Sequence[str], **analysis: Any) -> list[list[str]]:
    """Our analyzer's terms for each text."""
    from bot.engine.analysis import Analyzer
    from bot.settings import AnalysisSettings

    analyzer = Analyzer(AnalysisSettings(**analysis))
    return [analyzer.terms(t) for t in texts]


def bm25s_tokens(texts: Sequence[str]) -> list[list[str]]:
    """bm25s's recommended tokenization: its regex, stop words "en", PyStemmer English."""
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    out = bm25s.tokenize(
        list(texts), stopwords="en", stemmer=stemmer, return_ids=False, show_progress=False
    )
    return [list(t) for t in out]


def retrieve(
    engine: str,
    doc_tokens: list[list[str]],
    query_tokens: list[list[str]],
    depth: int = DEPTH,
    **params: Any,
) -> list[list[int]]:
    """Top `depth` rows of each query with one engine built on `doc_tokens`."""
    spec = ENGINES[engine]
    index = spec.build(doc_tokens, **params)
    return [spec.top_k(index, q, depth) for q in query_tokens]


def score_run(coll: Collection, qids: list[str], rows: list[list[int]]) -> dict[str, float]:
    """nDCG@10 and Recall@100 of ranked rows, mapped to the collection's document ids."""
    run: Run = {q: [coll.doc_ids[r] for r in ranked] for q, ranked in zip(qids, rows, strict=True)}
    qrels: Qrels = coll.qrels
    return evaluate(run, qrels, 10, DEPTH)


def assess(coll: Collection, sweep: bool = True) -> dict[str, Any]:
    """Headline figures, the analysis × scorer ablation and (optionally) our parameter sweep."""
    qids = sorted(coll.queries, key=lambda q: (len(q), q))
    ours_docs = our_tokens(coll.texts)
    ours_queries = our_tokens([coll.queries[q] for q in qids])
    theirs_docs = bm25s_tokens(coll.texts)
    theirs_queries = bm25s_tokens([coll.queries[q] for q in qids])

    def run(engine: str, docs: list[list[str]], queries: list[list[str]], **params: Any) -> Any:
        return score_run(coll, qids, retrieve(engine, docs, queries, **params))

    headline = {
        "ours": run("ours", ours_docs, ours_queries),
        "bm25s": run("bm25s", theirs_docs, theirs_queries),
        "rank_bm25 (our tokens)": run("rank_bm25", ours_docs, ours_queries),
    }
    ablation = {
        "our analysis + our okapi": headline["ours"],
        "our analysis + bm25s lucene": run("bm25s", ours_docs, ours_queries),
        "bm25s analysis + our okapi": run("ours", theirs_docs, theirs_queries),
        "bm25s analysis + bm25s lucene": headline["bm25s"],
        "our analysis, no stop words + our okapi": run(
            "ours",
            our_tokens(coll.texts, stopwords="none"),
            our_tokens([coll.queries[q] for q in qids], stopwords="none"),
        ),
        "our analysis, epsilon=0 (no idf floor)": run("ours", ours_docs, ours_queries, epsilon=0.0),
    }
    out: dict[str, Any] = {
        "documents": len(coll.doc_ids),
        "queries_judged": len(coll.qrels),
        "headline": headline,
        "ablation": ablation,
        "published": PUBLISHED.get(coll.name, {}),
    }
    if sweep:
        out["sweep"] = [
            {
                "variant": v,
                "k1": k1,
                "b": b,
                **run("ours", ours_docs, ours_queries, variant=v, k1=k1, b=b),
            }
            for v, k1, b in itertools.product(SWEEP_VARIANTS, SWEEP_K1, SWEEP_B)
        ]
    return out


def format_report(name: str, r: dict[str, Any]) -> str:
    """One collection's figures as aligned text."""
    lines = [f"== {name}: {r['documents']} documents, {r['queries_judged']} judged queries"]
    for section in ("headline", "ablation"):
        lines.append(f"-- {section}: {'nDCG@10':>8} {'R@100':>7}")
        for label, m in r[section].items():
            lines.append(f"   {label:<42} {m['ndcg']:.4f} {m['recall']:.4f}")
    for label, value in r["published"].items():
        lines.append(f"   published: {label} nDCG@10 = {value}")
    if "sweep" in r:
        best = sorted(r["sweep"], key=lambda s: -s["ndcg"])[:5]
        lines.append("-- sweep (best 5 of ours by nDCG@10)")
        for s in best:
            lines.append(
                f"   {s['variant']:<5} k1={s['k1']:<4} b={s['b']:<4} "
                f"{s['ndcg']:.4f} {s['recall']:.4f}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--collections", default=DEFAULT_COLLECTIONS)
    parser.add_argument("--root", type=Path, default=COLLECTIONS_DIR)
    parser.add_argument("--no-sweep", action="store_true", help="skip the k1/b/variant sweep")
    parser.add_argument("--json", type=Path, help="write all figures here")
    args = parser.parse_args(argv)
    results = {}
    for name in (n.strip() for n in args.collections.split(",") if n.strip()):
        results[name] = assess(load_collection(args.root / name), sweep=not args.no_sweep)
        print(format_report(name, results[name]), flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"environment": environment(), **results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
