"""Index build time, peak memory and query latency of our engine against bm25s and rank_bm25.

Each (size, engine) pair runs in its own child process (`--child`), so the peak RSS it reports is
that engine's alone: the child generates the corpus, resets the kernel's high-water mark, builds,
queries, and reports the peak minus what it held before building. Every engine gets the same token
lists and the same queries; the parent also checks that their top 10s agree (overlap@10), so the
speed figures compare like with like.

    python -m bench.speed --sizes 10000,100000,1000000 --queries 200 --json bench/out/speed.json
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

from bench.engines import ENGINES, overlap_at_k
from bench.measure import (
    MIB,
    current_rss,
    environment,
    peak_rss,
    percentiles,
    reset_peak_rss,
    run_child,
    timed,
)
from bench.synthetic import DEFAULT_SEED, generate_corpus, generate_queries

log = logging.getLogger(__name__)

DEFAULT_SIZES = "10000,100000,1000000"
DEFAULT_ENGINES = "ours,bm25s,rank_bm25"
WARMUP_QUERIES = 5
TOP_K = 10
# rank_bm25 scores every passage in Python for every query term: past this size it is skipped unless
# a smaller size's measurement projects it under the time budget.
RANK_BM25_UNMEASURED_LIMIT = 100_000
RANK_BM25_BUDGET_S = 300.0
LIBRARIES = {
    "ours": "bot.engine.index",
    "bm25s": "bm25s",
    "bm25s_numba": "numba",
    "bm25s_robertson": "bm25s",
    "rank_bm25": "rank_bm25",
}


def run_engine(engine: str, size: int, n_queries: int, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """Build `engine` on a `size`-passage corpus here and measure it (the child's job)."""
    spec = ENGINES[engine]
    importlib.import_module(LIBRARIES[engine])  # library import is not part of the engine's peak
    (corpus, gen_s) = timed(lambda: generate_corpus(size, seed))
    queries = generate_queries(corpus.vocabulary, n_queries, seed + 1)
    gc.collect()
    exact_peak = reset_peak_rss()
    baseline = current_rss() if exact_peak else peak_rss()
    index, build_s = timed(lambda: spec.build(corpus.passages))
    after_build = current_rss()
    for q in queries[:WARMUP_QUERIES]:
        spec.top_k(index, q, TOP_K)
    latencies_ms, tops = [], []
    for q in queries:
        start = time.perf_counter()
        top = spec.top_k(index, q, TOP_K)
        latencies_ms.append((time.perf_counter() - start) * 1000.0)
        tops.append(top)
    peak = peak_rss()
    return {
        "engine": engine,
        "size": size,
        "queries": n_queries,
        "corpus_tokens": sum(map(len, corpus.passages)),
        "generate_s": gen_s,
        "build_s": build_s,
        "peak_mib": (peak - baseline) / MIB,
        "resident_after_build_mib": (after_build - baseline) / MIB,
        "index_mib": None if (n := spec.nbytes(index)) is None else n / MIB,
        "peak_exact": exact_peak,
        "latency_ms": percentiles(latencies_ms),
        "query_total_s": sum(latencies_ms) / 1000.0,
        "top10": tops,
    }


def projected_rank_bm25_s(size: int, measured: list[dict[str, Any]]) -> float | None:
    """rank_bm25's total time at `size`, scaled linearly from its largest smaller measurement."""
    smaller = [r for r in measured if r["engine"] == "rank_bm25" and r["size"] < size]
    if not smaller:
        return None
    ref = max(smaller, key=lambda r: r["size"])
    return float((ref["build_s"] + ref["query_total_s"]) * size / ref["size"])


def should_skip(engine: str, size: int, measured: list[dict[str, Any]]) -> str | None:
    """Why rank_bm25 is not run at this size, or None to run it."""
    if engine != "rank_bm25":
        return None
    projected = projected_rank_bm25_s(size, measured)
    if projected is None:
        if size > RANK_BM25_UNMEASURED_LIMIT:
            return f"skipped: O(N) Python per query term, no smaller run to project from (N={size})"
        return None
    if projected > RANK_BM25_BUDGET_S:
        return f"skipped: projected {projected / 60:.0f} min (> {RANK_BM25_BUDGET_S / 60:.0f} min)"
    return None


def compare(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per size: ours against each peer (ratios > 1 mean ours is better) and overlap@10."""
    out = []
    for size in sorted({r["size"] for r in results}):
        at = {r["engine"]: r for r in results if r["size"] == size and "build_s" in r}
        ours = at.get("ours")
        if ours is None:
            continue
        for peer, p in at.items():
            if peer == "ours":
                continue
            overlaps = [
                overlap_at_k(a, b, TOP_K) for a, b in zip(ours["top10"], p["top10"], strict=True)
            ]
            out.append(
                {
                    "size": size,
                    "peer": peer,
                    "build_speedup": p["build_s"] / ours["build_s"],
                    "p50_speedup": p["latency_ms"]["p50"] / ours["latency_ms"]["p50"],
                    "p95_speedup": p["latency_ms"]["p95"] / ours["latency_ms"]["p95"],
                    "peak_memory_ratio": _ratio(p["peak_mib"], ours["peak_mib"]),
                    "overlap_at_10": sum(overlaps) / len(overlaps),
                    "identical_top10": sum(o == 1.0 for o in overlaps) / len(overlaps),
                }
            )
    return out


def _ratio(a: float, b: float) -> float:
    return a / b if b > 0 else float("inf")


def format_report(results: list[dict[str, Any]], ratios: list[dict[str, Any]]) -> str:
    """The human-readable tables printed at the end of a run."""
    lines = [
        f"{'N':>9} {'engine':<10} {'build s':>9} {'peak MiB':>9} {'index MiB':>9} "
        f"{'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9}"
    ]
    for r in results:
        if "skipped" in r:
            lines.append(f"{r['size']:>9} {r['engine']:<10} {r['skipped']}")
            continue
        lat = r["latency_ms"]
        index = "-" if r["index_mib"] is None else f"{r['index_mib']:.1f}"
        lines.append(
            f"{r['size']:>9} {r['engine']:<10} {r['build_s']:>9.2f} {r['peak_mib']:>9.1f} "
            f"{index:>9} {lat['p50']:>9.3f} {lat['p95']:>9.3f} {lat['p99']:>9.3f}"
        )
    lines.append("")
    lines.append("ours vs peer (×: peer time / ours; > 1 = ours faster or smaller)")
    lines.append(
        f"{'N':>9} {'peer':<10} {'build ×':>8} {'p50 ×':>8} {'p95 ×':>8} {'memory ×':>9} "
        f"{'overlap@10':>10} {'same top10':>10}"
    )
    for c in ratios:
        lines.append(
            f"{c['size']:>9} {c['peer']:<10} {c['build_speedup']:>8.2f} {c['p50_speedup']:>8.1f} "
            f"{c['p95_speedup']:>8.1f} {c['peak_memory_ratio']:>9.2f} {c['overlap_at_10']:>10.3f} "
            f"{c['identical_top10']:>10.1%}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="comma-separated passage counts")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--engines", default=DEFAULT_ENGINES)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--json", type=Path, help="write all figures here")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # internal: measure one engine
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]

    if args.child:
        result = run_engine(args.child, sizes[0], args.queries, args.seed)
        print(json.dumps(result))
        return 0

    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = set(engines) - ENGINES.keys()
    if unknown:
        parser.error(f"unknown engines: {', '.join(sorted(unknown))} (known: {', '.join(ENGINES)})")
    results: list[dict[str, Any]] = []
    for size in sizes:
        for engine in engines:
            reason = should_skip(engine, size, results)
            if reason:
                print(f"[{size}] {engine}: {reason}", file=sys.stderr, flush=True)
                results.append({"engine": engine, "size": size, "skipped": reason})
                continue
            print(f"[{size}] {engine}: running…", file=sys.stderr, flush=True)
            r = run_child(
                [
                    "-m",
                    "bench.speed",
                    "--child",
                    engine,
                    "--sizes",
                    str(size),
                    "--queries",
                    str(args.queries),
                    "--seed",
                    str(args.seed),
                ]
            )
            print(
                f"[{size}] {engine}: build {r['build_s']:.2f}s, p50 "
                f"{r['latency_ms']['p50']:.3f} ms, peak {r['peak_mib']:.0f} MiB",
                file=sys.stderr,
                flush=True,
            )
            results.append(r)
    ratios = compare(results)
    print(format_report(results, ratios))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {"environment": environment(), "results": results, "ratios": ratios}, indent=1
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
