"""The team answers as Discord and the console compute them, at 100k codings: `/coded`, `/codes`,
`/export` — beside `/search` in the same run (the peer: an answer members already wait for).

Why: `bench/store.py` times the store and the command line; this times the pages a member gets,
which add the engine lookups (each quote's source line) and the rendering. The database is filled
fast: the seed corpus's passages are coded through `Store.code` by one coder, then those rows are
copied in SQL for more coders (read timings only; `bench/store.py` measures writes).

    python -m bench.team_answers --codings 100000 --repeats 5
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.engine import Workspace
from bot.rendering import answers, team_answers
from bot.rendering.team_answers import Team, corpus_text
from bot.settings import load_settings
from bot.store import Actor, Store

CONFIG = Path(__file__).resolve().parent.parent / "config" / "bot.yaml"
CODE = "corruption"


def fill(store: Store, ws: Workspace, total: int) -> int:
    """`total` codings of CODE (at least one per passage), by as many coders as that takes."""
    texts = corpus_text(ws)
    for p in ws.engine.corpus.passages:
        store.code(texts.anchor(p.id), CODE, Actor.local("coder0"))
    store.close()
    per_coder = len(ws.engine.corpus.passages)
    with sqlite3.connect(store.path) as conn:
        for n in range(1, max(1, -(-total // per_coder))):
            user = conn.execute(
                "INSERT INTO users (key, display_name, created) VALUES (?, ?, '2024')",
                (f"local:coder{n}", f"coder{n}"),
            ).lastrowid
            conn.execute(
                "INSERT INTO codings (code_id, user_id, guild_id, passage_id, doc_id, quote, "
                "start_offset, end_offset, memo, created) SELECT code_id, ?, guild_id, "
                "passage_id, doc_id, quote, start_offset, end_offset, memo, created "
                "FROM codings WHERE user_id = (SELECT id FROM users WHERE key = 'local:coder0')",
                (user,),
            )
        return int(conn.execute("SELECT count(*) FROM codings").fetchone()[0])


def median_seconds(fn: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(total: int, repeats: int) -> dict[str, Any]:
    ws = Workspace.load(load_settings(CONFIG))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "team.sqlite3"
        store = Store(path)
        team_answers.sync_workspace(ws, store)
        codings = fill(store, ws, total)
        with Store(path) as store:
            t = Team(store, Actor.local("bench"))
            timed = {
                "search": lambda: answers.search(ws, "police reform", per_page=3),
                "coded": lambda: team_answers.coded(ws, t, CODE, per_page=3),
                "codes": lambda: team_answers.codes(ws, t),
                "export_codings_csv": lambda: team_answers.export(ws, t, "codings", "csv"),
                "export_project_qdpx": lambda: team_answers.export(ws, t, "project", "qdpx"),
            }
            seconds = {name: median_seconds(fn, repeats) for name, fn in timed.items()}
    return {
        "codings": codings,
        "repeats": repeats,
        "seconds": seconds,
        "ratio_to_search": {k: v / seconds["search"] for k, v in seconds.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codings", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.codings, args.repeats), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
