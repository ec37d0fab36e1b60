"""A child process that codes passages as fast as it can, printing `ack <id>` after each commit.

Usage: python -m tests.store.writer_child DB CODER COUNT   (COUNT 0 = until killed)
The parent kills it with SIGKILL mid-stream and checks that every acknowledged coding survived.
"""

from __future__ import annotations

import sys
from contextlib import suppress
from itertools import count

from bot.store import Actor, AlreadyCoded, CodeNameTaken, Store
from tests.store.builders import DOCS, make_corpus, pid


def spans(limit: int) -> list[tuple[int, int]]:
    return [(lo, hi) for lo in range(limit) for hi in range(lo + 1, limit + 1)]


def main(argv: list[str]) -> int:
    path, coder, total = argv[0], argv[1], int(argv[2])
    corpus = make_corpus()
    anchors = [
        corpus.anchor(pid(doc, i), span)
        for doc, texts in DOCS.items()
        for i in range(len(texts))
        for span in spans(40)
    ]
    actor = Actor.local(coder)
    with Store(path, busy_timeout=30) as store:
        with suppress(CodeNameTaken):  # the other writer made it first
            store.create_code("stress", actor)
        print("ready", flush=True)
        for n in count():
            if total and n >= total:
                break
            try:
                coding = store.code(anchors[n % len(anchors)], "stress", actor)
            except AlreadyCoded:
                continue
            print(f"ack {coding.id}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
