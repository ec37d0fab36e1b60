"""End to end at scale: files → first answer, cold, from the snapshot, after one document changed.

Why this and not `bench/speed.py`: a user meets the whole pipeline — reading and cleaning files,
cutting passages, analysing, indexing, the snapshot — not `PassageIndex.build` on pre-tokenized
lists (that engine-only figure stays in `bench/speed.py`). Every row runs in its own process and
reports that process's wall time and peak RSS (`os.wait4`), side by side with bm25s and rank-bm25
given the same files, cut into the same paragraphs, tokenized their own documented way:

- ours, first build: `python -m bot --corpus DIR --index-cache EMPTY search Q --json`
  (reads every file, builds, writes the snapshot, answers);
- ours, unchanged corpus: the same command again (maps the snapshot, answers);
- ours, one document changed: a paragraph appended to one file, then `Workspace.load` in a warm
  process (what `/reload` runs), and the same CLI command from a cold start;
- bm25s / rank-bm25: read the same files, split paragraphs, tokenize (stop words + Snowball
  stemmer), index, answer the first query.

Query latency: after each load, the same queries, whose terms are sampled log-uniformly over the
*whole* frequency range (rank 1 to the rarest words the corpus still holds, not only mid ranks),
timed one by one (ours: `Engine.search`, snippets and all, and engine-only `top_k`); p50/p95/p99,
and their spread over `--repeats` runs.

    python -m bench.startup_scale --sizes 100000,1000000 --json bench/out/startup_scale.json
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.measure import REPO, environment, percentiles

log = logging.getLogger(__name__)

DEFAULT_SIZES = "100000,1000000"
DEFAULT_QUERIES = 200
DEFAULT_REPEATS = 3
RANK_BM25_MAX = 200_000  # rank-bm25 keeps a dict per passage: past this it is projected, not run
RANK_BM25_QUERIES = 20  # it scores every passage in Python per query term
VOCABULARY = 300_000  # bench.synthetic's vocabulary size
MARKER = ".complete"
APPENDED = (
    "\n\nA new paragraph about brai chou and the zzqqx border tunnels, added for the reload.\n"
)


# -- corpus and queries -----------------------------------------------------------------------


def corpus_folder(workdir: Path, size: int) -> tuple[Path, list[str]]:
    """The size's synthetic files (written once, reused by later runs) and its query texts."""
    from bench.load import write_synthetic_corpus

    folder = workdir / f"corpus-{size}"
    if not (folder / MARKER).exists():
        folder.mkdir(parents=True, exist_ok=True)
        write_synthetic_corpus(folder, size)
        (folder / MARKER).write_text("")
    return folder, query_texts(size, DEFAULT_QUERIES)


def query_texts(size: int, n: int) -> list[str]:
    """Queries whose terms are drawn log-uniformly from rank 1 to the rank a corpus of `size`
    passages still uses (about `size`): frequent and rare words alike, few absent ones."""
    from bench.synthetic import generate_corpus, generate_queries

    vocab = generate_corpus(0).vocabulary
    ranks = (1, max(10, min(VOCABULARY, size)))
    return [" ".join(q) for q in generate_queries(vocab, n, ranks=ranks)]


def changed_file(folder: Path) -> Path:
    """The document the reload rows change: the middle one, so rows move on both sides."""
    files = sorted(folder.glob("*.txt"))
    return files[len(files) // 2]


def paragraphs(folder: Path) -> list[str]:
    """The corpus's paragraphs as a plain reader sees them: blank-line separated, title dropped."""
    out: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        parts = path.read_text(encoding="utf-8").split("\n\n")
        out.extend(p.strip() for p in parts[1:] if p.strip())
    return out


# -- child processes --------------------------------------------------------------------------


def run_measured(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run `cmd`; its wall seconds, peak RSS (MiB, that process alone, by `os.wait4`), stdout."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            cmd,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            env={**os.environ, **(env or {})},
        )
        assert proc.stdout is not None
        out = proc.stdout.read()  # to the end, so the child never blocks on a full pipe
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.read()[-3000:]}")
    return {"seconds": wall, "peak_mib": usage.ru_maxrss / 1024, "stdout": out}


def cli(folder: Path, cache: Path | None, query: str) -> list[str]:
    cached = ["--index-cache", str(cache)] if cache else ["--no-index-cache"]
    return [
        sys.executable,
        "-m",
        "bot",
        "--corpus",
        str(folder),
        *cached,
        "search",
        query,
        "--json",
    ]


def child(mode: str, folder: Path, cache: Path | None, queries: list[str]) -> dict[str, Any]:
    """In this process: load one engine, answer the first query, time the others (child's job)."""
    t0 = time.perf_counter()
    if mode == "ours":
        import dataclasses

        from bot.engine import Workspace
        from bot.settings import load_settings, with_index_cache

        settings = with_index_cache(load_settings(REPO / "config" / "bot.yaml"), cache or "off")
        corpus = dataclasses.replace(settings.corpus, folder=str(folder))
        settings = dataclasses.replace(settings, corpus=corpus)
        loaded = Workspace.load(settings).engine

        def search(q: str) -> int:
            return len(loaded.search(q).hits)

        def engine_only(q: str) -> int:
            return len(loaded.index.top_k(loaded.analyzer.terms(q), 10))

        def after() -> dict[str, Any]:
            """The engine-only latency, then the /reload path: one file changed."""
            extra: dict[str, Any] = {"engine_only_ms": percentiles(timed_each(engine_only))}
            if cache is None:
                return extra
            path = changed_file(folder)
            original = path.read_text(encoding="utf-8")
            path.write_text(original + APPENDED, encoding="utf-8")
            try:
                r0 = time.perf_counter()
                Workspace.load(settings)
                extra["reload_s"] = time.perf_counter() - r0
            finally:
                path.write_text(original, encoding="utf-8")
            Workspace.load(settings)  # the snapshot matches the files again for the next run
            return extra

    elif mode == "bm25s":
        import bm25s
        import Stemmer

        stemmer = Stemmer.Stemmer("english")
        texts = paragraphs(folder)
        retriever = bm25s.BM25()
        retriever.index(
            bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False),
            show_progress=False,
        )

        def search(q: str) -> int:
            tokens = bm25s.tokenize([q], stopwords="en", stemmer=stemmer, show_progress=False)
            if not tokens.vocab:
                return 0
            docs, _ = retriever.retrieve(tokens, k=10, show_progress=False)
            return int(docs.shape[1])

    elif mode == "rank_bm25":
        import Stemmer
        from rank_bm25 import BM25Okapi

        from bot.engine.stopwords import ENGLISH_STOPWORDS

        stem = Stemmer.Stemmer("english").stemWords
        word = re.compile(r"\w+")

        def tokenize(text: str) -> list[str]:
            return stem([w for w in word.findall(text.lower()) if w not in ENGLISH_STOPWORDS])

        bm25 = BM25Okapi([tokenize(t) for t in paragraphs(folder)])

        def search(q: str) -> int:
            return len(bm25.get_top_n(tokenize(q), range(bm25.corpus_size), n=10))

    else:
        raise ValueError(mode)
    search(queries[0])
    first_answer = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def timed_each(fn: Callable[[str], int]) -> list[float]:
        out = []
        for q in queries[1:]:
            s = time.perf_counter()
            fn(q)
            out.append((time.perf_counter() - s) * 1000)
        return out

    result = {
        "mode": mode,
        "load_and_first_answer_s": first_answer,
        "peak_mib": peak,  # after the first answer: what serving needs
        "latency_ms": percentiles(timed_each(search)),
    }
    if mode == "ours":
        result.update(after())
    return result


def run_child(
    mode: str, folder: Path, cache: Path | None, n_queries: int, size: int
) -> dict[str, Any]:
    args = [sys.executable, "-m", "bench.startup_scale", "--child", mode, "--folder", str(folder)]
    args += ["--size", str(size)]
    args += ["--queries", str(n_queries)] + (["--cache", str(cache)] if cache else [])
    measured = run_measured(args)
    result = dict(json.loads(measured["stdout"].strip().splitlines()[-1]))
    result["process_s"] = measured["seconds"]
    return result


# -- one size ---------------------------------------------------------------------------------


def measure_size(
    size: int, workdir: Path, n_queries: int, repeats: int, peers: bool = True
) -> dict[str, Any]:
    """Every row for one corpus size."""
    folder, queries = corpus_folder(workdir, size)
    first_query = queries[0]
    out: dict[str, Any] = {"size": size, "queries": n_queries, "repeats": repeats}
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        cache = Path(tmp) / "index"
        cold = run_measured(cli(folder, cache, first_query))
        warm = run_measured(cli(folder, cache, first_query))
        path = changed_file(folder)
        original = path.read_text(encoding="utf-8")
        path.write_text(original + APPENDED, encoding="utf-8")
        try:
            changed = run_measured(cli(folder, cache, first_query))
        finally:
            path.write_text(original, encoding="utf-8")
        for name, r in (("cold", cold), ("warm", warm), ("changed", changed)):
            hits = json.loads(r.pop("stdout"))["hits"]
            out[f"ours_cli_{name}"] = {**r, "hits": len(hits)}
        # Warm process: queries and the /reload path, `repeats` times.
        runs = [run_child("ours", folder, cache, n_queries, size) for _ in range(repeats)]
        out["ours_runs"] = runs
    if peers:
        out["bm25s_runs"] = [
            run_child("bm25s", folder, None, n_queries, size) for _ in range(repeats)
        ]
        if size <= RANK_BM25_MAX:
            out["rank_bm25_runs"] = [
                run_child("rank_bm25", folder, None, min(n_queries, RANK_BM25_QUERIES), size)
            ]
        else:
            out["rank_bm25_skipped"] = (
                f"not run above {RANK_BM25_MAX:,} passages (a Python dict per passage); "
                "see the smaller size's figure"
            )
    return out


def spread(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def format_report(results: list[dict[str, Any]]) -> str:
    lines = []
    for r in results:
        n = r["size"]
        lines.append(f"== {n:,} passages ({r['repeats']} repeats; ranges are min–max) ==")
        c, w, ch = r["ours_cli_cold"], r["ours_cli_warm"], r["ours_cli_changed"]
        lines.append(
            f"ours CLI, first build (files → snapshot → answer): {c['seconds']:.1f} s, "
            f"peak {c['peak_mib']:.0f} MiB"
        )
        lines.append(
            f"ours CLI, unchanged corpus (snapshot → answer): {w['seconds']:.2f} s, "
            f"peak {w['peak_mib']:.0f} MiB"
        )
        lines.append(
            f"ours CLI, one document changed: {ch['seconds']:.2f} s, peak {ch['peak_mib']:.0f} MiB"
        )
        reloads = [x["reload_s"] for x in r["ours_runs"] if x.get("reload_s") is not None]
        lines.append(f"ours /reload path (warm process, one document changed): {spread(reloads)} s")
        for name in ("ours", "bm25s", "rank_bm25"):
            runs = r.get(f"{name}_runs")
            if not runs:
                if name == "rank_bm25" and "rank_bm25_skipped" in r:
                    lines.append(f"rank_bm25: {r['rank_bm25_skipped']}")
                continue
            first = [x["load_and_first_answer_s"] for x in runs]
            peak = [x["peak_mib"] for x in runs]
            p = {k: [x["latency_ms"][k] for x in runs] for k in ("p50", "p95", "p99")}
            lines.append(
                f"{name}: load → first answer {spread(first)} s, peak {spread(peak)} MiB; "
                f"query ms p50 {spread(p['p50'])}, p95 {spread(p['p95'])}, p99 {spread(p['p99'])}"
            )
            if name == "ours":
                e = {k: [x["engine_only_ms"][k] for x in runs] for k in ("p50", "p95", "p99")}
                lines.append(
                    f"ours engine-only (index.top_k, no snippets): query ms p50 "
                    f"{spread(e['p50'])}, p95 {spread(e['p95'])}, p99 {spread(e['p99'])}"
                )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES)
    parser.add_argument("--queries", type=int, default=DEFAULT_QUERIES)
    parser.add_argument("--repeats", type=int, default=DEFAULT_REPEATS)
    parser.add_argument(
        "--repeats-over-200k", type=int, default=1, help="repeats for the big sizes (minutes each)"
    )
    parser.add_argument("--workdir", type=Path, default=REPO / "bench" / "out" / "startup_scale")
    parser.add_argument("--no-peers", action="store_true", help="ours only (quick checks)")
    parser.add_argument("--json", type=Path, help="write all figures here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=VOCABULARY, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.child:
        queries = query_texts(args.size, args.queries)
        print(json.dumps(child(args.child, args.folder, args.cache, queries)))
        return 0
    args.workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        repeats = args.repeats if size <= RANK_BM25_MAX else args.repeats_over_200k
        results.append(measure_size(size, args.workdir, args.queries, repeats, not args.no_peers))
        print(format_report(results[-1:]), flush=True)
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(
                json.dumps({"environment": environment(), "results": results}, indent=1)
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
