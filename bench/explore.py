"""Exploration at scale: /kwic, /collocates, /keywords and /trend over a synthetic corpus.

Why: each of these reads passages, not only postings, so its time grows with how often the word
occurs; this measures it for words of typical frequency (ranks drawn log-uniformly from 10 to
30,000, as `bench/synthetic.py` draws query words) and for the most common word, which occurs in
nearly every passage and must be capped. It goes through what the bot runs in its engine thread:
the workspace loaded from files (`Workspace.load`), the engine functions, and the answer functions
that render the pages and draw the charts (`bot.rendering.explore_answers`).

Peers in the same run, as ratios: `/search` for the same word (the bot's everyday command), and a
concordance that reads every passage (what a concordancer without an index does).

    .venv/bin/python -m bench.explore --sizes 10000,100000 --terms 30
    .venv/bin/python -m bench.explore --sizes 1000000 --terms 30 --json bench/out/explore-1m.json
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from bench.load import PASSAGES_PER_DOCUMENT, write_synthetic_corpus
from bench.synthetic import QUERY_RANKS, made_up_word
from bot.engine import Workspace
from bot.engine.collocates import collocates
from bot.engine.keywords import keywords
from bot.engine.kwic import concordance
from bot.engine.occurrences import Target, reader_for
from bot.engine.stopwords import ENGLISH_STOPWORDS
from bot.engine.trend import trend
from bot.rendering import explore_answers
from bot.settings import CorpusSettings, load_settings

log = logging.getLogger(__name__)

SEED = 20240614


def pick_terms(n: int, seed: int = SEED) -> list[str]:
    """`n` distinct words of typical frequency: ranks log-uniform in `QUERY_RANKS`, stop words
    (which a few short made-up words happen to be) left out."""
    rng = np.random.default_rng(seed)
    low, high = QUERY_RANKS
    words: list[str] = []
    while len(words) < n:
        rank = int(np.exp(rng.uniform(np.log(low), np.log(high))))
        word = made_up_word(rank - 1)
        if word not in words and word not in ENGLISH_STOPWORDS:  # "so", "do": nobody asks
            words.append(word)
    return words


def timed(func: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = func(*args)
    return time.perf_counter() - t0, out


def full_scan_kwic(ws: Workspace, word: str) -> int:
    """The peer: a concordance that reads every passage (no index), with the same tokenizer."""
    engine = ws.engine
    reader = reader_for(engine)
    form, term = reader.word(word)
    target = Target(word, (form,), (term,))
    return sum(len(reader.tokens(p.text).find(target)) for p in engine.corpus.passages)


def summary(seconds: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in seconds)
    return {
        "p50_ms": statistics.median(ms),
        "p95_ms": ms[int(0.95 * (len(ms) - 1))],
        "max_ms": ms[-1],
    }


def run_size(size: int, n_terms: int, full_scans: int, config: str) -> dict[str, Any]:
    """Load a synthetic corpus of `size` passages and time every command over the words."""
    settings = load_settings(config)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        t0 = time.perf_counter()
        write_synthetic_corpus(folder, size)
        written = time.perf_counter() - t0
        settings = dataclasses.replace(
            settings, base_dir=tmp, corpus=CorpusSettings(folder="corpus")
        )
        load_s, ws = timed(Workspace.load, settings)
    engine = ws.engine
    docs = engine.documents
    terms = pick_terms(n_terms)
    common = made_up_word(0)  # rank 1: in nearly every passage
    print(
        f"{size:,} passages in {len(docs):,} documents: written in {written:.0f} s, "
        f"loaded (engine + index) in {load_s:.0f} s",
        flush=True,
    )
    explore_answers.trend_pages(ws, terms[0])  # warm-up: matplotlib's import and font cache
    explore_answers.kwic(ws, terms[0])

    rows: dict[str, list[float]] = {}
    frequencies = []

    def add(name: str, seconds: float) -> None:
        rows.setdefault(name, []).append(seconds)

    for i, word in enumerate(terms):
        doc = docs[(i * 7919) % len(docs)].doc_id
        add("search (peer)", timed(engine.search, word)[0])
        s, result = timed(concordance, engine, word)
        add("kwic engine", s)
        frequencies.append(result.candidates)
        add("collocates engine", timed(collocates, engine, word)[0])
        add("keywords engine", timed(keywords, engine, doc)[0])
        add("trend engine", timed(trend, engine, word)[0])
        add("/kwic answer", timed(explore_answers.kwic, ws, word)[0])
        add("/collocates answer", timed(explore_answers.collocates_pages, ws, word)[0])
        add("/keywords answer", timed(explore_answers.keywords_pages, ws, doc)[0])
        add("/trend answer (with chart)", timed(explore_answers.trend_pages, ws, word)[0])

    capped: dict[str, Any] = {}
    for name, func in (
        ("kwic", lambda: concordance(engine, common)),
        ("collocates", lambda: collocates(engine, common)),
        ("trend", lambda: trend(engine, common)),
        ("/kwic answer", lambda: explore_answers.kwic(ws, common)),
        ("/trend answer (with chart)", lambda: explore_answers.trend_pages(ws, common)),
    ):
        s, out = timed(func)
        sampled = getattr(out, "sampled", None)
        capped[name] = {"ms": s * 1000, "sampled": sampled}
    common_result = concordance(engine, common)
    capped["candidates"] = common_result.candidates
    capped["passages_read"] = common_result.passages_read
    capped["says_so"] = bool(common_result.message and "sample" in common_result.message)

    scans = []
    whole = [w for w in terms if not concordance(engine, w, max_lines=0).sampled]
    for word in whole[:full_scans]:  # words read whole, so both must find the same
        s, found = timed(full_scan_kwic, ws, word)
        ours_s, ours = timed(concordance, engine, word)
        assert found == ours.total, (word, found, ours.total)  # same answer, read differently
        scans.append((s, ours_s))

    results = {name: summary(values) for name, values in rows.items()}
    search_p50 = results["search (peer)"]["p50_ms"]
    for stats in results.values():
        stats["x_search"] = stats["p50_ms"] / search_p50 if search_p50 else float("nan")
    return {
        "passages": size,
        "documents": len(docs),
        "passages_per_document": PASSAGES_PER_DOCUMENT,
        "load_s": load_s,
        "terms": len(terms),
        "term_passages_median": int(statistics.median(frequencies)),
        "term_passages_range": [int(min(frequencies)), int(max(frequencies))],
        "commands": results,
        "most_common_word": capped,
        "full_scan_peer": [
            {"full_scan_ms": a * 1000, "kwic_ms": b * 1000, "x": a / b if b else float("nan")}
            for a, b in scans
        ],
    }


def report(r: dict[str, Any]) -> None:
    print(
        f"\n{r['passages']:,} passages · {r['terms']} words of typical frequency (in "
        f"{r['term_passages_median']:,} passages at the median, "
        f"{r['term_passages_range'][0]:,}–{r['term_passages_range'][1]:,})"
    )
    print(f"{'command':<28} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9} {'÷ search p50':>13}")
    for name, s in r["commands"].items():
        print(
            f"{name:<28} {s['p50_ms']:>9.1f} {s['p95_ms']:>9.1f} {s['max_ms']:>9.1f} "
            f"{s['x_search']:>12.0f}×"
        )
    c = r["most_common_word"]
    print(
        f"most common word (in {c['candidates']:,} passages; read {c['passages_read']:,}, "
        f"answer says so: {'yes' if c['says_so'] else 'NO'}):"
    )
    for name in ("kwic", "collocates", "trend", "/kwic answer", "/trend answer (with chart)"):
        print(f"  {name:<26} {c[name]['ms']:>9.1f} ms  sampled={c[name]['sampled']}")
    for scan in r["full_scan_peer"]:
        print(
            f"full-scan concordance {scan['full_scan_ms']:,.0f} ms vs ours {scan['kwic_ms']:.1f} ms"
            f" ({scan['x']:,.0f}× faster)"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="passages, comma-separated")
    parser.add_argument("--terms", type=int, default=30, help="words of typical frequency")
    parser.add_argument("--full-scans", type=int, default=2, help="words for the full-scan peer")
    parser.add_argument("--config", default="config/bot.yaml")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    print(f"{os.cpu_count()} cores · load average {os.getloadavg()[0]:.1f}", flush=True)
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        result = run_size(size, args.terms, args.full_scans, args.config)
        report(result)
        results.append(result)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
