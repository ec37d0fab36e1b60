"""Retrieval quality (nDCG@10, Recall@100) on public test collections: the product, the engine
alone, bm25s and rank_bm25.

Why: speed is worthless if the ranking is worse than the obvious alternative. SciFact (BEIR) has a
published BM25 figure (nDCG@10 = 0.665) and bm25s reports its own; Cranfield adds graded judgments.

**The product** (the headline): each collection is written as files the way a user's corpus is —
one Markdown file per document, `# title` then the text (a single top heading is the document's
title, README "How it reads a corpus") — and `corpus-bot --corpus DIR search --queries FILE
--json --top 1000` answers every query in a child process: the real corpus loader, cleaning,
passages (long abstracts split at sentences), BM25F over passages with their title, spelling
correction, near-duplicate removal and the JSON a script reads. A document's rank is that of its
best passage. **The engine alone** (second row): each document indexed as title + " " + text with
our Analyzer and PassageIndex; bm25s uses its recommended tokenizer (PyStemmer English, stop words
"en"); rank_bm25 scores our tokens, which checks the index rather than the analysis.

Parameters (k1, b, the title weight) are chosen without tuning on the figures reported: queries
are split in two folds by a hash of their id; for each fold, the setting with the best mean
nDCG@10 over both collections on the *other* fold is scored on this one (2-fold
cross-validation, `--tune`); the held-out figure is what the procedure is worth.

The ablation crosses the two analyses with the two scorers, so a gap to bm25s can be pinned on
tokenization/stop words/stemming or on the BM25 formula; the sweep tries our variants and k1, b.

    python -m bench.quality --json bench/out/quality.json      # product + engine + peers
    python -m bench.quality --tune --no-sweep                  # + the cross-validated choice
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import json
import logging
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench.engines import ENGINES
from bench.measure import REPO, environment
from bench.metrics import Qrels, Run, evaluate

log = logging.getLogger(__name__)

COLLECTIONS_DIR = REPO.parent / "shared" / "collections"  # ../shared/collections
DEFAULT_COLLECTIONS = "scifact,cranfield"
PUBLISHED = {"scifact": {"BEIR paper BM25 (Elasticsearch)": 0.665}}
DEPTH = 100
SWEEP_K1 = (0.9, 1.2, 1.5, 2.0)
SWEEP_B = (0.4, 0.75, 0.9)
SWEEP_VARIANTS = ("okapi", "plus")
# Through the product: passages asked for per query (the CLI's cap), and the tuning grid.
PRODUCT_TOP = 1000
TUNE_TITLE = (0.0, 1.0, 2.0, 3.0, 5.0)
TUNE_K1 = (0.9, 1.2, 1.5, 2.0)
TUNE_B = (0.6, 0.75, 0.9)


@dataclass(frozen=True, slots=True)
class Collection:
    """A test collection: documents (title + text), queries and graded qrels."""

    name: str
    doc_ids: list[str]
    titles: list[str]
    bodies: list[str]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]

    @property
    def texts(self) -> list[str]:
        """Title + " " + text: what the engine-only rows index."""
        return [f"{t} {b}".strip() for t, b in zip(self.titles, self.bodies, strict=True)]


def load_collection(folder: Path) -> Collection:
    """Read corpus.jsonl, queries.jsonl and qrels.tsv (header line) of one collection folder."""
    doc_ids, titles, bodies = [], [], []
    with open(folder / "corpus.jsonl", encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            doc_ids.append(str(doc["id"]))
            titles.append(" ".join((doc.get("title") or "").split()))
            bodies.append((doc.get("text") or "").strip())
    with open(folder / "queries.jsonl", encoding="utf-8") as f:
        queries = {str(q["id"]): q["text"] for q in map(json.loads, f)}
    qrels: dict[str, dict[str, int]] = {}
    with open(folder / "qrels.tsv", encoding="utf-8") as f:
        rows = csv.reader(f, delimiter="\t")
        next(rows)
        for qid, did, grade in rows:
            qrels.setdefault(qid, {})[did] = int(grade)
    qrels = {q: judged for q, judged in qrels.items() if q in queries}
    return Collection(folder.name, doc_ids, titles, bodies, queries, qrels)


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


# -- through the product ---------------------------------------------------------------------


def write_collection(coll: Collection, folder: Path) -> Path:
    """One Markdown file per document, `# title` and its text, as a user's corpus folder holds.

    A document with no text (Cranfield 471 and 995) is its title alone, which the loader skips
    ("no text left"): such a document cannot be quoted, so the product cannot return it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id, title, body in zip(coll.doc_ids, coll.titles, coll.bodies, strict=True):
        head = f"# {title}\n\n" if title else ""
        (folder / f"{doc_id}.md").write_text(f"{head}{body}\n", encoding="utf-8")
    return folder


def settings_file(folder: Path, title: float, k1: float, b: float) -> Path:
    """A settings file with these ranking parameters (the rest as shipped)."""
    path = folder / "bot.yaml"
    themes = REPO / "config" / "themes.yaml"
    path.write_text(
        f"bm25: {{k1: {k1}, b: {b}, field_weights: {{title: {title}}}}}\n"
        f"themes: {{file: {json.dumps(str(themes))}}}\n",
        encoding="utf-8",
    )
    return path


def documents_ranked(doc_ids: Sequence[str], depth: int = DEPTH) -> list[str]:
    """Documents in the order of their best passage (each once), the first `depth`."""
    return list(dict.fromkeys(doc_ids))[:depth]


def cli_run(
    corpus: Path, queries: list[str], config: Path | None = None, top: int = PRODUCT_TOP
) -> tuple[list[list[str]], float]:
    """Every query through `corpus-bot search --queries FILE --json` in a child process: the
    ranked document ids of each, and the child's wall time (load included)."""
    qfile = corpus.parent / "queries.txt"
    qfile.write_text("".join(" ".join(q.split()) + "\n" for q in queries), encoding="utf-8")
    cmd = [sys.executable, "-m", "bot", "--corpus", str(corpus)]
    cmd += ["--config", str(config)] if config else []
    cmd += ["search", "--queries", str(qfile), "--json", "--top", str(top)]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=REPO)
    seconds = time.perf_counter() - start
    results = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    if len(results) != len(queries):
        raise RuntimeError(f"{len(results)} answers for {len(queries)} queries")
    return [documents_ranked([h["doc_id"] for h in r["hits"]]) for r in results], seconds


def assess_product(coll: Collection, workdir: Path) -> dict[str, Any]:
    """nDCG@10 and Recall@100 through the CLI, shipped settings (and title weight 0 beside)."""
    qids = sorted(coll.queries, key=lambda q: (len(q), q))
    corpus = write_collection(coll, workdir / coll.name / "corpus")
    texts = [coll.queries[q] for q in qids]
    out: dict[str, Any] = {}
    for label, config in (
        ("product (CLI, shipped settings)", None),
        ("product (CLI), title weight 0", settings_file(corpus.parent, 0.0, 1.5, 0.75)),
    ):
        ranked, seconds = cli_run(corpus, texts, config)
        run: Run = dict(zip(qids, ranked, strict=True))
        out[label] = {**evaluate(run, coll.qrels, 10, DEPTH), "seconds": seconds}
    return out


def fold_of(qid: str) -> int:
    """0 or 1, from a hash of the query id: a fixed split no parameter choice can see."""
    return hashlib.sha256(qid.encode()).digest()[0] % 2


def tune(colls: Sequence[Collection], workdir: Path) -> dict[str, Any]:
    """2-fold cross-validation of (title weight, k1, b) through the product's engine.

    Each collection is loaded once by the real loader (`load_corpus`); every setting builds an
    `Engine` over it, as `Workspace.load` does, and ranks passages with the engine's top k.
    """
    from bot.engine.corpus import load_corpus
    from bot.engine.engine import Engine
    from bot.settings import FieldWeights, Settings

    base = Settings()
    grid = list(itertools.product(TUNE_TITLE, TUNE_K1, TUNE_B))
    per_query: dict[str, dict[tuple[float, float, float], dict[str, float]]] = {}
    for coll in colls:
        folder = write_collection(coll, workdir / coll.name / "corpus")
        corpus = load_corpus(base, folder)
        qids = sorted(q for q in coll.qrels if any(g > 0 for g in coll.qrels[q].values()))
        per_query[coll.name] = {}
        for title, k1, b in grid:
            bm25 = replace(base.bm25, k1=k1, b=b, field_weights=FieldWeights(title, 1.0))
            engine = Engine(replace(base, bm25=bm25), corpus)
            scores = {}
            for q in qids:
                rows = engine.index.top_k(engine.analyzer.terms(coll.queries[q]), PRODUCT_TOP)
                docs = documents_ranked([corpus.passages[r].doc_id for r, _ in rows])
                scores[q] = evaluate({q: docs}, {q: coll.qrels[q]}, 10, DEPTH)["ndcg"]
            per_query[coll.name][(title, k1, b)] = scores
            log.info("%s title=%s k1=%s b=%s %.4f", coll.name, title, k1, b, _mean(scores))

    def fold_mean(name: str, params: tuple[float, float, float], fold: int) -> float:
        return _mean({q: v for q, v in per_query[name][params].items() if fold_of(q) == fold})

    folds = []
    for held_out in (0, 1):
        chosen = max(
            grid, key=lambda p: sum(fold_mean(c.name, p, 1 - held_out) for c in colls) / len(colls)
        )
        folds.append(
            {
                "held_out_fold": held_out,
                "chosen_on_other_fold": dict(zip(("title", "k1", "b"), chosen, strict=True)),
                "held_out_ndcg": {c.name: fold_mean(c.name, chosen, held_out) for c in colls},
                "shipped_on_this_fold": {
                    c.name: fold_mean(c.name, _shipped(), held_out) for c in colls
                },
            }
        )
    cross_validated = {}
    for c in colls:
        n = [sum(1 for q in per_query[c.name][grid[0]] if fold_of(q) == f) for f in (0, 1)]
        cross_validated[c.name] = sum(
            f["held_out_ndcg"][c.name] * n[f["held_out_fold"]] for f in folds
        ) / sum(n)
    best_all = max(grid, key=lambda p: sum(_mean(per_query[c.name][p]) for c in colls))
    # What splitting costs: the shipped ranking over whole documents (one passage each).
    whole = replace(base, passages=replace(base.passages, max_chars=100_000))
    unsplit = {}
    for coll in colls:
        corpus = load_corpus(whole, workdir / coll.name / "corpus")
        engine = Engine(whole, corpus)
        qids = sorted(q for q in coll.qrels if any(g > 0 for g in coll.qrels[q].values()))
        run = {
            q: documents_ranked(
                [
                    corpus.passages[r].doc_id
                    for r, _ in engine.index.top_k(engine.analyzer.terms(coll.queries[q]), DEPTH)
                ]
            )
            for q in qids
        }
        unsplit[coll.name] = evaluate(run, coll.qrels, 10, DEPTH)["ndcg"]
    return {
        "folds": folds,
        "cross_validated_ndcg": cross_validated,
        "shipped": dict(zip(("title", "k1", "b"), _shipped(), strict=True)),
        "shipped_ndcg_all_queries": {c.name: _mean(per_query[c.name][_shipped()]) for c in colls},
        "shipped_ndcg_documents_not_split (passages.max_chars 100,000)": unsplit,
        "best_on_all_queries (tuned on the test set, for reference only)": {
            "params": dict(zip(("title", "k1", "b"), best_all, strict=True)),
            **{c.name: _mean(per_query[c.name][best_all]) for c in colls},
        },
        "grid": {
            c.name: [
                {"title": p[0], "k1": p[1], "b": p[2], "ndcg": _mean(per_query[c.name][p])}
                for p in grid
            ]
            for c in colls
        },
    }


def _shipped() -> tuple[float, float, float]:
    from bot.settings import Settings

    bm25 = Settings().bm25
    return (bm25.field_weights.title, bm25.k1, bm25.b)


def _mean(scores: dict[str, float]) -> float:
    return sum(scores.values()) / len(scores) if scores else 0.0


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
    if "product" in r:
        lines.append(f"-- through the product: {'nDCG@10':>8} {'R@100':>7}  child wall s")
        for label, m in r["product"].items():
            lines.append(f"   {label:<42} {m['ndcg']:.4f} {m['recall']:.4f}  {m['seconds']:.1f}")
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
    parser.add_argument("--no-product", action="store_true", help="skip the CLI runs")
    parser.add_argument("--tune", action="store_true", help="2-fold cross-validated choice")
    parser.add_argument("--json", type=Path, help="write all figures here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    results: dict[str, Any] = {}
    colls = [
        load_collection(args.root / n.strip()) for n in args.collections.split(",") if n.strip()
    ]
    with tempfile.TemporaryDirectory(prefix="quality-") as tmp:
        for coll in colls:
            results[coll.name] = assess(coll, sweep=not args.no_sweep)
            if not args.no_product:
                results[coll.name]["product"] = assess_product(coll, Path(tmp))
            print(format_report(coll.name, results[coll.name]), flush=True)
        if args.tune:
            results["tuning"] = tuned = tune(colls, Path(tmp))
            print("== tuning (2-fold cross-validation, through the product's engine)")
            print(json.dumps({k: v for k, v in tuned.items() if k != "grid"}, indent=1))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"environment": environment(), **results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
