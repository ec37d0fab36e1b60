"""Nothing acknowledged is lost: a writer killed mid-stream, and writers racing each other."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bot.store import Actor, AlreadyCoded, CorpusText, Store
from tests.store.builders import pid

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 60  # an upper bound on waiting for a child's output, never a timing assertion


def _child(db: Path, coder: str, total: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.store.writer_child", str(db), coder, str(total)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _read_acks(proc: subprocess.Popen[str], wanted: int) -> list[int]:
    """Read `ack <id>` lines until `wanted` arrived (bounded wait, fails if the child stalls)."""
    assert proc.stdout is not None
    acks: list[int] = []
    deadline = time.monotonic() + WAIT_SECONDS
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while len(acks) < wanted:
            if not sel.select(timeout=max(0.0, deadline - time.monotonic())):
                pytest.fail(f"the writer stalled after {len(acks)} acks")
            line = proc.stdout.readline()
            if not line:
                stderr = proc.stderr.read() if proc.stderr else ""
                pytest.fail(f"the writer ended early: {stderr[-2000:]}")
            if line.startswith("ack "):
                acks.append(int(line.split()[1]))
    return acks


def test_a_writer_killed_mid_stream_loses_no_acknowledged_coding(tmp_path: Path) -> None:
    """SIGKILL mid-stream: the reopened file passes its integrity check and has every ack."""
    db = tmp_path / "crash.sqlite3"
    proc = _child(db, "crasher", 0)
    try:
        acks = _read_acks(proc, 300)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=WAIT_SECONDS)
        assert proc.stdout is not None
        acks += [int(line.split()[1]) for line in proc.stdout if line.startswith("ack ")]
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    with Store(db) as store:
        report = store.check()
        assert report.ok, report.integrity
        stored = {c.id for c in store.codings()}
    assert set(acks) <= stored
    assert len(acks) >= 300


def test_two_processes_coding_the_same_passages_at_once(tmp_path: Path) -> None:
    """Two processes writing at once both succeed in full; nothing is lost or doubled."""
    db = tmp_path / "race.sqlite3"
    Store(db).close()
    procs = [_child(db, name, 150) for name in ("one", "two")]
    try:
        acks = [_read_acks(p, 150) for p in procs]
        for p in procs:
            assert p.wait(timeout=WAIT_SECONDS) == 0
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
            p.wait()
    with Store(db) as store:
        assert store.count_codings(coder="one") == store.count_codings(coder="two") == 150
        assert {c.id for c in store.codings()} == set(acks[0]) | set(acks[1])
        assert store.check().ok


def test_threads_coding_one_passage_at_once_all_land(store: Store, corpus: CorpusText) -> None:
    """Eight members coding the same passage from eight threads: every coding is stored."""
    anchor = corpus.anchor(pid("alpha", 0))
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def member(n: int) -> None:
        try:
            start.wait()
            for code in ("human-rights", "corruption"):
                store.code(anchor, code, Actor.discord(1000 + n, f"member {n}"), guild_id=1)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=member, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.count_codings(passage_id=anchor.passage_id) == 16
    assert len([e for e in store.audit(limit=100) if e.action == "code"]) == 16


def test_the_same_member_racing_with_themselves_codes_once(
    store: Store, corpus: CorpusText
) -> None:
    """Eight simultaneous identical codings (double clicks): exactly one is stored."""
    anchor = corpus.anchor(pid("beta", 0))
    start = threading.Barrier(8)
    outcomes: list[str] = []
    lock = threading.Lock()

    def click() -> None:
        start.wait()
        try:
            store.code(anchor, "corruption", Actor.discord(7, "Clicker"))
            result = "coded"
        except AlreadyCoded:
            result = "refused"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=click) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["coded"] + ["refused"] * 7
    assert store.count_codings() == 1


def test_simultaneous_codebook_syncs_serialize_cleanly(tmp_path: Path) -> None:
    """Four threads syncing the same new themes at once (bot start + CLI): no error, added once."""
    from bot.store import CodebookEntry

    added: list[int] = []
    errors: list[BaseException] = []

    def sync(store: Store, start: threading.Barrier, entries: list[CodebookEntry]) -> None:
        try:
            start.wait()
            added.append(len(store.sync_codebook(entries).added))
        except BaseException as exc:
            errors.append(exc)

    with Store(tmp_path / "db.sqlite3", busy_timeout=30) as store:
        for round_ in range(3):  # a few rounds: the threads must overlap at least once
            entries = [CodebookEntry(f"theme {round_} {i}", "d") for i in range(150)]
            start = threading.Barrier(4)
            threads = [
                threading.Thread(target=sync, args=(store, start, entries)) for _ in range(4)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        assert errors == []
        assert sum(added) == 3 * 150 and len(store.codes()) == 3 * 150
