"""The team database at scale: codings written per second, `/coded` and export times at 100k.

Why these figures: a member's `/code` must commit before the bot answers, `/coded` pages through
one code's quotes, and `/export` turns the whole store into a file while the bot keeps answering.
Writes are compared with two peers in the same run, on the same disk:

- `sqlite_full`: a bare `INSERT` + `COMMIT` of the same row, same pragmas (WAL, synchronous=FULL) —
  the ratio store/peer is the cost of what the store adds per coding (user upsert, duplicate
  check, audit row, reading the coding back);
- `sqlite_normal`: the bare insert with synchronous=NORMAL — the ratio is the cost of making every
  acknowledged coding survive a power cut (one fsync per commit).

The database is filled through the public `Store.code` (one transaction per coding, as the bot
does), on a deterministic synthetic corpus; queries and exports are timed as the median of
`--repeats` runs.

Then the same answers as a user meets them from a shell: `corpus-bot coded CODE` (its first page,
as text and `--json`) and `corpus-bot export` through the CLI's entry point (`main([...])`, in
process), over the same corpus written out as files. Every command loads the corpus (reads the
files, builds the index) before it touches the database, so its peer is `corpus-bot docs --json`,
the same load with no database: the difference is what the team's part costs (opening the store,
checking the anchors, the query, rendering). The first command after the fill checks every anchor
once (`cli_first_command`); later ones find the corpus unchanged and read no anchor.

    python -m bench.store --codings 100000 --json bench/out/store.json
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.measure import environment, median
from bot.cli import main as cli_main
from bot.engine import Engine
from bot.engine.model import Document, Passage
from bot.exports import (
    codebook_qdc,
    codings_csv,
    codings_markdown,
    project_qdpx,
    web_annotations,
)
from bot.settings import load_settings
from bot.store import Actor, AlreadyCoded, Anchor, CodebookEntry, CorpusText, Store

log = logging.getLogger(__name__)

DOCUMENTS = 500
PASSAGES_PER_DOCUMENT = 40
CODES = 30
CODERS = 20
WRITE_SAMPLE = 2000
THEMES = Path(__file__).resolve().parent.parent / "config" / "themes.yaml"
SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "pa", "do", "qu")


def synthetic_corpus(documents: int, per_document: int, seed: int = 1) -> CorpusText:
    """Deterministic documents of made-up words, ~300 characters a passage."""
    rng = random.Random(seed)
    words = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(5000)]
    docs: list[Document] = []
    passages: list[Passage] = []
    for d in range(documents):
        doc_id = f"doc{d:04d}"
        title = f"Document {d}"
        docs.append(Document(doc_id, title, None, f"{doc_id}.txt", "0" * 64, 0, per_document))
        for i in range(per_document):
            text = " ".join(rng.choice(words) for _ in range(rng.randint(30, 60))) + "."
            passages.append(
                Passage(f"{doc_id}p{i:03d}", doc_id, title, f"Part {i // 10}", i + 1, text, 0, 0)
            )
    return CorpusText.build(docs, passages)


def write_corpus_files(corpus: CorpusText, folder: Path, themes: Path) -> Path:
    """The corpus as text files (a title line, then its passages) and a settings file for it."""
    docs = folder / "corpus"
    docs.mkdir(parents=True, exist_ok=True)
    for doc_id in corpus.doc_ids():
        title = corpus.documents[doc_id].title
        body = "\n\n".join(p.text for p in corpus.passages_of(doc_id))
        (docs / f"{doc_id}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    config = folder / "bot.yaml"
    config.write_text(
        f"corpus:\n  folder: {json.dumps(str(docs))}\n"
        f"themes:\n  file: {json.dumps(str(themes))}\n"
        f"store:\n  path: {json.dumps(str(folder / 'store.sqlite3'))}\n",
        encoding="utf-8",
    )
    return config


def anchors(corpus: CorpusText, count: int, seed: int = 2) -> list[Anchor]:
    """`count` anchors: whole passages and sub-spans, spread over every document."""
    rng = random.Random(seed)
    ids = [p.id for d in corpus.doc_ids() for p in corpus.passages_of(d)]
    out = []
    for _ in range(count):
        pid = rng.choice(ids)
        start, end = corpus.span(pid)
        if rng.random() < 0.5:
            out.append(corpus.anchor(pid))
        else:
            lo = rng.randrange(0, end - start - 20)
            out.append(corpus.anchor(pid, (lo, lo + rng.randint(10, 20))))
    return out


class Writer:
    """Codes distinct random quotes through `Store.code`, as members would, one at a time."""

    def __init__(self, store: Store, corpus: CorpusText, pool: int, seed: int = 3) -> None:
        self.store = store
        self.rng = random.Random(seed)
        self.coders = [Actor.discord(10_000 + i, f"coder {i}") for i in range(CODERS)]
        self.codes = [f"code {i:02d}" for i in range(CODES)]
        self.pool = anchors(corpus, max(pool, 50), seed)

    def write(self, count: int) -> float:
        """Seconds to write `count` new codings (a repeat draw is skipped, not counted)."""
        rng, written = self.rng, 0
        start = time.perf_counter()
        while written < count:
            try:
                self.store.code(
                    rng.choice(self.pool),
                    rng.choice(self.codes),
                    rng.choice(self.coders),
                    guild_id=1,
                )
            except AlreadyCoded:
                continue
            written += 1
        return time.perf_counter() - start


class BareInserts:
    """The peer: the same coding row inserted and committed alone with plain sqlite3."""

    def __init__(self, path: Path, synchronous: str, rows: list[Anchor]) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute(f"PRAGMA synchronous = {synchronous}")
        self.conn.execute(
            "CREATE TABLE codings (id INTEGER PRIMARY KEY, code_id INTEGER, user_id INTEGER, "
            "guild_id INTEGER, passage_id TEXT, doc_id TEXT, quote TEXT, start_offset INTEGER, "
            "end_offset INTEGER, memo TEXT, status TEXT, created TEXT)"
        )
        self.rows = rows
        self.done = 0

    def write(self, count: int) -> float:
        start = time.perf_counter()
        for i in range(self.done, self.done + count):
            a = self.rows[i % len(self.rows)]
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.execute(
                "INSERT INTO codings (code_id, user_id, guild_id, passage_id, doc_id, quote, "
                "start_offset, end_offset, memo, status, created) "
                "VALUES (?, ?, 1, ?, ?, ?, ?, ?, '', 'ok', ?)",
                (i % CODES, i % CODERS, a.passage_id, a.doc_id, a.quote, a.start, a.end, "t"),
            )
            self.conn.execute("COMMIT")
        self.done += count
        return time.perf_counter() - start


def write_rates(
    store: Store, corpus: CorpusText, folder: Path, sample: int, block: int = 100
) -> tuple[Writer, dict[str, Any]]:
    """Codings per second of the store and both peers, interleaved in blocks.

    Interleaving matters on a shared machine: disk latency drifts over a run, and blocks taken
    in turn give each contender the same conditions.
    """
    rows = anchors(corpus, sample, seed=9)
    writer = Writer(store, corpus, pool=sample)
    contenders: dict[str, Writer | BareInserts] = {
        "store": writer,
        "sqlite_full": BareInserts(folder / "peer_full.sqlite3", "FULL", rows),
        "sqlite_normal": BareInserts(folder / "peer_normal.sqlite3", "NORMAL", rows),
    }
    seconds = dict.fromkeys(contenders, 0.0)
    done = 0
    while done < sample:
        n = min(block, sample - done)
        for name, contender in contenders.items():
            seconds[name] += contender.write(n)
        done += n
    for contender in contenders.values():
        if isinstance(contender, BareInserts):
            contender.conn.close()
    rate = {name: done / secs for name, secs in seconds.items()}
    result: dict[str, Any] = {
        "sample": done,
        "store_per_s": round(rate["store"], 1),
        "store_ms_per_coding": round(1000 * seconds["store"] / done, 3),
    }
    for peer in ("sqlite_full", "sqlite_normal"):
        result[f"{peer}_per_s"] = round(rate[peer], 1)
        # how many times longer a coding takes through the store than as the bare peer insert
        result[f"store_time_x_{peer}"] = round(rate[peer] / rate["store"], 2)
    return writer, result


def time_it(fn: Callable[[], Any], repeats: int) -> tuple[Any, float]:
    """(last result, median seconds) of `repeats` calls."""
    times = []
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return result, median(times)


def run(total: int, repeats: int, folder: Path, sample: int = WRITE_SAMPLE) -> dict[str, Any]:
    # The corpus grows with the codings up to DOCUMENTS (a toy run stays a toy); it is written
    # as files and loaded by the engine, so the CLI and the store see the same passages.
    documents = min(DOCUMENTS, max(3, total // 200))
    config = write_corpus_files(synthetic_corpus(documents, PASSAGES_PER_DOCUMENT), folder, THEMES)
    settings = load_settings(config)
    engine = Engine.load(settings)
    corpus = CorpusText.build(engine.documents, engine.corpus.passages)
    out: dict[str, Any] = {
        "codings": total,
        "documents": len(engine.documents),
        "passages": len(engine.corpus.passages),
    }

    # -- writes: the store against bare inserts, interleaved, same disk ------------------------
    store = Store(folder / "store.sqlite3")
    store.sync_codebook(CodebookEntry(f"code {i:02d}") for i in range(CODES))
    writer, out["write"] = write_rates(store, corpus, folder, min(sample, total))
    log.info("writes: %s", out["write"])

    # -- fill to the full size through the same API --------------------------------------------
    rest = total - out["write"]["sample"]
    writer.pool = anchors(corpus, max(total // 3, 50), seed=4)
    fill_seconds = writer.write(rest) if rest > 0 else 0.0
    out["fill"] = {
        "codings": max(rest, 0),
        "seconds": round(fill_seconds, 1),
        "per_s": round(rest / fill_seconds, 1) if rest > 0 else None,
    }
    store.close()
    db_bytes = sum(p.stat().st_size for p in folder.glob("store.sqlite3*"))
    out["database_mib"] = round(db_bytes / 2**20, 1)
    store = Store(folder / "store.sqlite3")

    # -- /coded and friends at full size --------------------------------------------------------
    code = "code 07"
    coder = "coder 3"
    doc = corpus.doc_ids()[min(17, len(corpus.doc_ids()) - 1)]
    queries: dict[str, Callable[[], Any]] = {
        "coded_first_page": lambda: store.codings(code=code, limit=10),
        "coded_count": lambda: store.count_codings(code=code),
        "coded_page_50": lambda: store.codings(code=code, limit=10, offset=500),
        "coded_doc_coder": lambda: store.codings(code=code, doc_id=doc, coder=coder),
        "coded_all_of_one_code": lambda: store.codings(code=code),
        "codes_table": lambda: store.code_counts(),
        "codes_table_by_coder": lambda: store.code_counts(by_coder=True),
        "codes_table_coders_summed": lambda: store.code_counts(by_coder=True, per_document=False),
        "agreement": lambda: store.agreement(code, coder, "coder 4", corpus),
        "snapshot": lambda: store.snapshot(),
        "reanchor_unchanged_corpus": lambda: store.reanchor(corpus),
        "refresh_anchors_unchanged": lambda: store.refresh_anchors(corpus),
        "check": lambda: store.check(corpus),
    }
    out["query_ms"] = {}
    for name, fn in queries.items():
        result, secs = time_it(fn, repeats)
        out["query_ms"][name] = round(1000 * secs, 2)
        if isinstance(result, list):
            out["query_ms"][f"{name}_rows"] = len(result)
    log.info("queries: %s", out["query_ms"])

    # -- exports of the whole store --------------------------------------------------------------
    snap = store.snapshot()
    exports: dict[str, Callable[[], bytes]] = {
        "csv": lambda: codings_csv(snap.codings, corpus),
        "markdown": lambda: codings_markdown(snap.codings, corpus),
        "web_annotation": lambda: web_annotations(snap.codings, corpus),
        "qdpx": lambda: project_qdpx(snap, corpus, exported_at="2024-01-01T00:00:00Z"),
        "qdc": lambda: codebook_qdc(snap.codes),
    }
    out["export"] = {}
    for name, make in exports.items():
        data, secs = time_it(make, max(1, repeats // 2))
        out["export"][name] = {"seconds": round(secs, 3), "mib": round(len(data) / 2**20, 2)}
    log.info("exports: %s", out["export"])
    store.close()

    out["cli"] = cli_figures(config, folder, code, repeats)
    log.info("command line: %s", out["cli"])
    return out


def cli_figures(config: Path, folder: Path, code: str, repeats: int) -> dict[str, Any]:
    """Seconds of `corpus-bot coded` and `export` through the CLI entry, against `docs --json`."""
    # The first command after the fill checks every anchor once: forget the check the store-level
    # figures recorded, as a database filled by the bot before this version would be.
    with sqlite3.connect(folder / "store.sqlite3") as conn:
        conn.execute("DELETE FROM anchor_checks")
    conn.close()
    commands = {
        "peer_docs_json": ["docs", "--json"],
        "coded_first_page": ["coded", code],
        "coded_first_page_json": ["coded", code, "--json"],
        "export_codings_csv": ["export", "codings", "-o", str(folder / "out.csv")],
        "export_project_qdpx": ["export", "project", "-o", str(folder / "out.qdpx")],
    }

    def call(argv: list[str]) -> None:
        sink = io.StringIO()
        code = cli_main(["--config", str(config), *argv], stdout=sink)
        if code != 0:
            raise RuntimeError(f"corpus-bot {' '.join(argv)} exited {code}: {sink.getvalue()}")

    _, first = time_it(lambda: call(commands["coded_first_page"]), 1)
    _, peer_once = time_it(lambda: call(commands["peer_docs_json"]), 1)
    # Rounds of every command in turn, the peer first: on a shared machine the load drifts, and
    # a command compared with the peer of its own round sees the same conditions.
    times: dict[str, list[float]] = {name: [] for name in commands}
    extra: dict[str, list[float]] = {name: [] for name in commands if name != "peer_docs_json"}
    for _ in range(repeats):
        for name, argv in commands.items():
            _, secs = time_it(lambda argv=argv: call(argv), 1)  # type: ignore[misc]
            times[name].append(secs)
            if name in extra:
                extra[name].append(secs - times["peer_docs_json"][-1])
    seconds: dict[str, Any] = {
        "rounds": repeats,
        "cli_first_command": round(first, 3),
        "cli_first_command_minus_peer": round(first - peer_once, 3),
    }
    for name in commands:
        seconds[name] = round(median(times[name]), 3)
    for name, diffs in extra.items():
        seconds[f"{name}_minus_peer"] = round(median(diffs), 3)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--codings", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sample", type=int, default=WRITE_SAMPLE, help="codings in write test")
    parser.add_argument("--dir", type=Path, default=None, help="where the databases go (temp)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    folder = args.dir or Path(tempfile.mkdtemp(prefix="bench-store-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        result = {
            "environment": environment(),
            **run(args.codings, args.repeats, folder, args.sample),
        }
    finally:
        if args.dir is None:
            shutil.rmtree(folder, ignore_errors=True)
    text = json.dumps(result, indent=2)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
