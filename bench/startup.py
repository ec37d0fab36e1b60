"""Start-up time: process start → answer for the seed corpus, and where that time goes.

Why end to end: a bot restart or a CLI call pays interpreter start, imports, corpus loading and
indexing before the first answer, and the user sees only the sum. This times
`python -m bot search "human rights" --json` as a subprocess (median of several runs after one
warm-up, so the file cache is warm), then splits it: bare interpreter start (`python -c pass`),
imports (`-X importtime` of the same command), and the engine's own load/index/search phases timed
in a fresh process (`--phases`).

    python -m bench.startup --runs 5 --json bench/out/startup.json
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.measure import REPO, environment, median, run_child

log = logging.getLogger(__name__)

QUERY = "human rights"
DEFAULT_RUNS = 5
IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)")
SLOWEST_IMPORTS = 8


def cli_command(query: str = QUERY) -> list[str]:
    """The command whose start-up we time."""
    return [sys.executable, "-m", "bot", "search", query, "--json"]


def time_command(
    cmd: list[str], runs: int, check_json: bool = False, cpu: list[float] | None = None
) -> list[float]:
    """Wall-clock seconds of `runs` executions of `cmd` (after one untimed warm-up).

    `cpu` receives each run's CPU seconds (user + system): on a shared machine, wall time grows
    with everyone else's load, while CPU time stays close to what an idle machine's wall time is.
    """
    times = []
    for i in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if i and cpu is not None:
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
        if check_json:
            json.loads(proc.stdout)  # the answer must be complete, not just a fast failure
        if i:
            times.append(elapsed)
    return times


def import_profile(cmd: list[str]) -> dict[str, Any]:
    """Total import time of `cmd` from `-X importtime`, and the slowest packages in it.

    A package's cumulative time includes what it imports first (scipy's includes numpy's when numpy
    was not loaded yet), so the list says where to look, not an additive split.
    """
    proc = subprocess.run(
        [cmd[0], "-X", "importtime", *cmd[1:]],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    total = 0.0
    packages: list[tuple[float, str]] = []
    for line in proc.stderr.splitlines():
        m = IMPORT_LINE.match(line)
        if not m:
            continue
        seconds, name = int(m.group(2)) / 1e6, m.group(4)
        if not m.group(3):  # top level: no indentation before the module name
            total += seconds
        if "." not in name and name != "bot":
            packages.append((seconds, name))
    packages.sort(reverse=True)
    return {
        "imports_s": total,
        "packages": [{"module": n, "seconds": t} for t, n in packages],
        "slowest": [{"module": n, "seconds": t} for t, n in packages[:SLOWEST_IMPORTS]],
    }


def engine_phases(query: str = QUERY) -> dict[str, float]:
    """In this fresh process: import, load and index the seed corpus, first search (child's job)."""
    t0 = time.perf_counter()
    from bot.engine import Engine
    from bot.settings import load_settings

    t1 = time.perf_counter()
    engine = Engine.load(load_settings())
    t2 = time.perf_counter()
    engine.search(query)
    t3 = time.perf_counter()
    return {
        "import_engine_s": t1 - t0,
        "load_and_index_s": t2 - t1,
        "engine_build_seconds": float(getattr(engine, "build_seconds", float("nan"))),
        "first_search_s": t3 - t2,
        "passages": float(len(engine.corpus.passages)),
    }


def measure(runs: int = DEFAULT_RUNS, query: str = QUERY) -> dict[str, Any]:
    """All start-up figures; the CLI part is reported as missing until `bot search` exists."""
    interpreter = median(time_command([sys.executable, "-c", "pass"], runs))
    out: dict[str, Any] = {"runs": runs, "query": query, "interpreter_s": interpreter}
    try:
        out["phases"] = run_child(["-m", "bench.startup", "--phases", "--query", query])
    except RuntimeError as exc:
        out["phases_error"] = str(exc)[-500:]
    cmd = cli_command(query)
    cpu: list[float] = []
    try:
        cli_times = time_command(cmd, runs, check_json=True, cpu=cpu)
    except (RuntimeError, json.JSONDecodeError) as exc:
        out["cli_error"] = str(exc)[-500:]
        return out
    total = median(cli_times)
    imports = import_profile(cmd)
    out.update(
        {
            "cli_s": cli_times,
            "cli_median_s": total,
            "cli_cpu_s": cpu,
            "cli_cpu_median_s": median(cpu),
            "cli_imports": imports,
            "share": {
                "interpreter": interpreter / total,
                "imports": imports["imports_s"] / total,
                "load_index_search_rest": max(0.0, total - interpreter - imports["imports_s"])
                / total,
            },
        }
    )
    return out


def format_report(r: dict[str, Any]) -> str:
    """Start-up figures as text."""
    lines = [f"interpreter start (python -c pass): {r['interpreter_s'] * 1000:.0f} ms"]
    if "phases" in r:
        p = r["phases"]
        lines.append(
            f"in-process: import bot.engine {p['import_engine_s'] * 1000:.0f} ms, load+index "
            f"{p['load_and_index_s'] * 1000:.0f} ms ({p['passages']:.0f} passages), first search "
            f"{p['first_search_s'] * 1000:.1f} ms"
        )
    else:
        lines.append(f"in-process phases unavailable: {r.get('phases_error', '')}")
    if "cli_median_s" not in r:
        lines.append(f"CLI not measurable yet: {r.get('cli_error', '')}")
        return "\n".join(lines)
    s = r["share"]
    lines.append(
        f"`python -m bot search {r['query']!r} --json`: median {r['cli_median_s'] * 1000:.0f} ms "
        f"of {r['runs']} runs (min {min(r['cli_s']) * 1000:.0f}, max {max(r['cli_s']) * 1000:.0f})"
    )
    lines.append(
        f"CPU time (user + system) of the same runs: median {r['cli_cpu_median_s'] * 1000:.0f} ms "
        f"(min {min(r['cli_cpu_s']) * 1000:.0f}); wall time above it is waiting for a busy machine"
    )
    lines.append(
        f"share: interpreter {s['interpreter']:.0%}, imports {s['imports']:.0%}, "
        f"load/index/search/output {s['load_index_search_rest']:.0%}"
    )
    slowest = ", ".join(
        f"{m['module']} {m['seconds'] * 1000:.0f} ms" for m in r["cli_imports"]["slowest"]
    )
    lines.append(f"slowest top-level imports: {slowest}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS)
    parser.add_argument("--query", default=QUERY)
    parser.add_argument("--json", type=Path, help="write all figures here")
    parser.add_argument("--phases", action="store_true", help=argparse.SUPPRESS)  # child mode
    args = parser.parse_args(argv)
    if args.phases:
        print(json.dumps(engine_phases(args.query)))
        return 0
    result = measure(args.runs, args.query)
    print(format_report(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"environment": environment(), **result}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
