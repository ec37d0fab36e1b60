"""Timing and memory helpers shared by the benchmark scripts.

Why peak RSS per child process: Python rarely returns freed memory to the OS and every engine
allocates differently, so the only fair "peak memory" is the high-water mark of a process that built
just one engine, minus what that process held before building (interpreter, libraries, corpus).
"""

from __future__ import annotations

import json
import logging
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024


def percentiles(samples_ms: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/mean of latencies in milliseconds."""
    a = np.asarray(samples_ms, dtype=np.float64)
    if a.size == 0:
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan"), "mean": float("nan")}
    p50, p95, p99 = np.percentile(a, [50, 95, 99])
    return {"p50": float(p50), "p95": float(p95), "p99": float(p99), "mean": float(a.mean())}


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    """(fn(), seconds) by the monotonic high-resolution clock."""
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def current_rss() -> int:
    """This process's resident set size now, in bytes (Linux /proc)."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def peak_rss() -> int:
    """This process's resident high-water mark, in bytes (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def reset_peak_rss() -> bool:
    """Reset the kernel's high-water mark to the current RSS (Linux ≥ 4.0); False if refused.

    Without it a corpus generator's transient peak would hide an engine's smaller one.
    """
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return False
    return True


def run_child(args: list[str], timeout: float | None = None) -> dict[str, Any]:
    """Run `python -m ...args` in the repo and parse the JSON object it prints last on stdout."""
    proc = subprocess.run(
        [sys.executable, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    last = proc.stdout.strip().splitlines()[-1]
    return dict(json.loads(last))


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def environment() -> dict[str, Any]:
    """The machine and library versions, stored next to every result so figures stay traceable."""
    import platform
    from importlib import metadata

    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kib = int(f.readline().split()[1])
    versions = {}
    for dist in ("numpy", "scipy", "bm25s", "rank-bm25", "PyStemmer"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    return {
        "python": platform.python_version(),
        "cpu": cpu,
        "nproc": os.cpu_count(),
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "load_average": os.getloadavg(),
        "versions": versions,
    }
