"""Query time end to end through the CLI (batch, JSON) against bm25s in-process, at 100k passages.

Why this row: `bench/speed.py` times `PassageIndex.top_k` alone, but a script meets the whole
answer: query parsing, spelling, phrase and filter checks, ranking, near-duplicate removal,
snippets, highlights, sources and the JSON line. Here `corpus-bot --corpus DIR search --queries
- --json` answers N queries fed on its stdin in a child process; the CLI flushes each answer, so
the time between two answers arriving is one query's whole cost in a batch, with the load (the
time to the first answer) left out — the mean over the batch, median of `--runs` runs, and the
percentiles of all intervals. bm25s, in this process (its runs interleaved with ours), tokenizes
the same query texts with its recommended tokenizer (stop words "en", PyStemmer English) and
retrieves the top k in one batch call — its fastest use, with ids and scores only (no text, no
JSON).

The corpus is `bench/synthetic.py`'s, written as text files of 200 paragraphs (as
`bench/load.py` does); query terms are drawn log-uniformly over ranks 1–30,000, so frequent
terms (rank 1 is in most passages) are asked for too.

    python -m bench.cli_query --size 100000 --queries 1000 --runs 3 --json bench/out/cli_query.json
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.measure import REPO, environment, percentiles
from bench.synthetic import generate_corpus, generate_queries

log = logging.getLogger(__name__)

PASSAGES_PER_DOCUMENT = 200
QUERY_RANKS = (1, 30_000)
SEED = 20240601


def write_corpus(folder: Path, passages: list[list[str]]) -> list[str]:
    """Passages as text files of 200 paragraphs; returns the paragraphs' texts in row order."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = [" ".join(words).capitalize() + "." for words in passages]
    for start in range(0, len(texts), PASSAGES_PER_DOCUMENT):
        n = start // PASSAGES_PER_DOCUMENT
        body = "\n\n".join(texts[start : start + PASSAGES_PER_DOCUMENT])
        (folder / f"doc{n:05d}.txt").write_text(f"Document {n}\n\n{body}\n", encoding="utf-8")
    return texts


def cli_stream(corpus: Path, queries: list[str], top: int) -> tuple[float, list[float]]:
    """Feed `queries` to one `search --queries - --json` child and time each answer's arrival.

    Returns (seconds to the first answer: the load, and the answers' intervals in seconds).
    The CLI flushes each answer, so an interval is one query's whole cost in the batch: parse,
    spelling, rank, hits, snippets, JSON and the pipe.
    """
    cmd = [sys.executable, "-m", "bot", "--corpus", str(corpus), "search"]
    cmd += ["--queries", "-", "--json", "--top", str(top)]
    start = time.perf_counter()
    child = subprocess.Popen(
        cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO, bufsize=1
    )
    assert child.stdin is not None and child.stdout is not None
    writer = threading.Thread(target=_feed, args=(child.stdin, queries))
    writer.start()
    arrivals = []
    for line in child.stdout:
        arrivals.append(time.perf_counter())
        if not json.loads(line).get("query"):
            raise RuntimeError(f"not an answer: {line[:200]}")
    writer.join()
    if child.wait() != 0 or len(arrivals) != len(queries):
        raise RuntimeError(f"{len(arrivals)} answers for {len(queries)} queries")
    return arrivals[0] - start, [b - a for a, b in itertools.pairwise(arrivals)]


def _feed(stream: Any, queries: list[str]) -> None:
    with stream:
        for q in queries:
            stream.write(q + "\n")


def bm25s_batch(texts: list[str]) -> Callable[[list[str], int], float]:
    """bm25s over `texts`; returns a function timing one batch (per-query seconds)."""
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    retriever = bm25s.BM25()
    retriever.index(
        bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False),
        show_progress=False,
    )

    def run(queries: list[str], top: int) -> float:
        start = time.perf_counter()
        tokens = bm25s.tokenize(queries, stopwords="en", stemmer=stemmer, show_progress=False)
        retriever.retrieve(tokens, k=top, show_progress=False)
        return (time.perf_counter() - start) / len(queries)

    return run


def measure(size: int, n_queries: int, runs: int, top: int) -> dict[str, Any]:
    corpus = generate_corpus(size, SEED)
    queries = [
        " ".join(q) for q in generate_queries(corpus.vocabulary, n_queries, SEED + 1, QUERY_RANKS)
    ]
    with tempfile.TemporaryDirectory(prefix="cli-query-") as tmp:
        root = Path(tmp)
        texts = write_corpus(root / "corpus", corpus.passages)
        del corpus
        batch, single = root / "queries.txt", root / "one.txt"
        batch.write_text("".join(q + "\n" for q in queries), encoding="utf-8")
        single.write_text(queries[0] + "\n", encoding="utf-8")
        bm25s_run = bm25s_batch(texts)
        del texts
        loads, per_run, theirs = [], [], []
        for _ in range(runs):  # interleaved: a busy spell of the machine hits both
            theirs.append(bm25s_run(queries, top))
            load, intervals = cli_stream(root / "corpus", queries, top)
            loads.append(load)
            per_run.append(intervals)
    means = [statistics.fmean(r) * 1000 for r in per_run]
    ours = statistics.median(means)
    bm25s_ms = statistics.median(theirs) * 1000
    pooled = [x * 1000 for r in per_run for x in r]
    return {
        "size": size,
        "queries": n_queries,
        "top": top,
        "runs": runs,
        "ours_cli_ms_per_query": ours,
        "ours_cli_ms_per_run": means,
        "ours_cli_latency_ms": percentiles(pooled),
        "ours_cli_load_s": loads,
        "bm25s_ms_per_query": bm25s_ms,
        "bm25s_ms_per_run": [t * 1000 for t in theirs],
        "ratio": ours / bm25s_ms,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    r = measure(args.size, args.queries, args.runs, args.top)
    lat = r["ours_cli_latency_ms"]
    print(
        f"{r['size']:,} passages, {r['queries']} queries, top {r['top']}: "
        f"CLI (batch, JSON) {r['ours_cli_ms_per_query']:.2f} ms/query "
        f"(runs {', '.join(f'{x:.2f}' for x in r['ours_cli_ms_per_run'])}; p50/p95/p99 "
        f"{'/'.join(f'{lat[p]:.2f}' for p in ('p50', 'p95', 'p99'))} ms; "
        f"load {min(r['ours_cli_load_s']):.1f} s), "
        f"bm25s in-process {r['bm25s_ms_per_query']:.2f} ms/query "
        f"(runs {', '.join(f'{x:.2f}' for x in r['bm25s_ms_per_run'])}): "
        f"{r['ratio']:.2f}× bm25s"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"environment": environment(), **r}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
