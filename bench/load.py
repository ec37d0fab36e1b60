"""Load: many `/search` interactions arriving at once, timed from arrival to acknowledgement.

Why through the offline fake: it is the same path a real interaction takes inside the bot —
discord.py's gateway parser, command tree, checks, our cooldown, the engine's thread pool, the
webhook adapter posting the callback — minus the network. Discord gives a bot 3 seconds from an
interaction's creation to acknowledge it; the network adds its own latency on top of what is
measured here, so the margin under 3 s is what the bot leaves for the network.

"Acknowledged" is the interaction's first callback (the answer itself, or "thinking…" when the
engine was not done after `DEFER_AFTER`); "answered" is when the message with the results went out.

    .venv/bin/python -m bench.load                      # 200 searches over the seed corpus
    .venv/bin/python -m bench.load --synthetic 100000   # over 100k made-up passages
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import discord
import discord.http

from bot.client import CorpusBot, create_bot
from bot.engine import Workspace
from bot.exts import _pager
from bot.settings import CorpusSettings, Settings, load_settings
from tests.discord.fake_discord import GUILD_ID, USER_ID, FakeDiscord, guild_payload

log = logging.getLogger(__name__)

DEADLINE = 3.0  # seconds Discord allows before an interaction fails
SEED_QUERIES = [
    "Merida",
    "human rights",
    "organized crime",
    "police reform",
    "drug trafficking",
    '"security cooperation" -military',
    "cartel violence border",
    "merdia policee",  # misspelt: exercises "did you mean"
    "extradition of cartel leaders",
    "training of judges and prosecutors",
]
PASSAGES_PER_DOCUMENT = 200


def write_synthetic_corpus(folder: Path, n_passages: int) -> list[str]:
    """`n_passages` made-up passages as documents of 200 paragraphs; returns queries for them."""
    from bench.synthetic import generate_corpus, generate_queries

    corpus = generate_corpus(n_passages)
    for start in range(0, n_passages, PASSAGES_PER_DOCUMENT):
        chunk = corpus.passages[start : start + PASSAGES_PER_DOCUMENT]
        paragraphs = [" ".join(words).capitalize() + "." for words in chunk]
        text = f"Document {start // PASSAGES_PER_DOCUMENT}\n\n" + "\n\n".join(paragraphs)
        (folder / f"doc{start // PASSAGES_PER_DOCUMENT:05d}.txt").write_text(text)
    return [" ".join(q) for q in generate_queries(corpus.vocabulary, 50)]


async def settle(before: set[asyncio.Task[Any]]) -> None:
    """Wait for every task started since `before`, except views' timeout timers."""
    current = asyncio.current_task()
    while True:
        pending = {
            t
            for t in asyncio.all_tasks()
            if t not in before
            and t is not current
            and not t.done()
            and "timeout_task_impl" not in getattr(t.get_coro(), "__qualname__", "")
        }
        if not pending:
            return
        await asyncio.wait(pending)


async def logged_in(settings: Settings, workspace: Workspace, fake: FakeDiscord) -> CorpusBot:
    """The real bot, logged in against the fake (its HTTP session is the fake's)."""
    bot = create_bot(settings, workspace)
    real_session = discord.http.aiohttp.ClientSession
    discord.http.aiohttp.ClientSession = fake.session  # type: ignore[misc]
    try:
        await bot.login("fake-token")
    finally:
        discord.http.aiohttp.ClientSession = real_session  # type: ignore[misc]
    state = bot._connection
    state._add_guild(discord.Guild(data=guild_payload(), state=state))
    return bot


async def measure(settings: Settings, workspace: Workspace, queries: list[str], n: int) -> dict:
    fake = FakeDiscord()
    bot = await logged_in(settings, workspace, fake)
    command = bot.tree.get_command("search")
    assert isinstance(command, discord.app_commands.Command)
    types = {p.name: p.type.value for p in command.parameters}
    payloads = [
        fake.command(
            "search", {"query": queries[i % len(queries)]}, types=types, user_id=USER_ID + i
        )
        for i in range(n)
    ]
    arrived: dict[str, float] = {}
    parse = bot._connection.parsers["INTERACTION_CREATE"]
    before = asyncio.all_tasks()
    started = time.monotonic()
    for payload in payloads:  # all arrive together, as a burst from the gateway would
        arrived[payload["token"]] = time.monotonic()
        parse(payload)
    await settle(before)
    finished = time.monotonic()
    await bot.close()

    acked: dict[str, float] = {}
    answered: dict[str, float] = {}
    deferred = 0
    for request in fake.requests:
        token = request.token
        if token not in arrived or request.status >= 300:
            continue
        if request.path.endswith("/callback") and token not in acked:
            acked[token] = request.at - arrived[token]
            deferred += request.json["type"] == 5
        if request.message_body is not None:
            answered[token] = request.at - arrived[token]
    ack = sorted(acked.values())
    answer = sorted(answered.values())
    return {
        "interactions": n,
        "acknowledged": len(ack),
        "answered": len(answer),
        "deferred": deferred,
        "ack_p50": statistics.median(ack),
        "ack_p95": ack[int(0.95 * (len(ack) - 1))],
        "ack_max": ack[-1],
        "answer_p50": statistics.median(answer),
        "answer_p95": answer[int(0.95 * (len(answer) - 1))],
        "answer_max": answer[-1],
        "all_acked_within_3s": len(ack) == n and ack[-1] < DEADLINE,
        "wall_seconds": finished - started,
        "max_concurrent_searches": settings.discord.max_concurrent_searches,
        "defer_after": _pager.DEFER_AFTER,
        "passages": len(workspace.engine.corpus.passages),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--interactions", type=int, default=200)
    parser.add_argument("--config", default="config/bot.yaml", help="settings file (corpus)")
    parser.add_argument("--synthetic", type=int, default=0, help="made-up passages instead")
    parser.add_argument("--cap", type=int, help="max_concurrent_searches instead of the config's")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    settings = load_settings(args.config)
    discord_settings = dataclasses.replace(
        settings.discord,
        guild_ids=(GUILD_ID,),
        max_concurrent_searches=args.cap or settings.discord.max_concurrent_searches,
    )
    settings = dataclasses.replace(settings, discord=discord_settings)
    queries = SEED_QUERIES
    with tempfile.TemporaryDirectory() as tmp:
        if args.synthetic:
            folder = Path(tmp) / "corpus"
            folder.mkdir()
            queries = write_synthetic_corpus(folder, args.synthetic)
            settings = dataclasses.replace(
                settings, base_dir=tmp, corpus=CorpusSettings(folder="corpus")
            )
        t0 = time.perf_counter()
        workspace = Workspace.load(settings)
        passages = len(workspace.engine.corpus.passages)
        print(f"engine: {passages:,} passages in {time.perf_counter() - t0:.1f} s")
        result = asyncio.run(measure(settings, workspace, queries, args.interactions))
    cores = len(__import__("os").sched_getaffinity(0))
    print(
        f"{result['interactions']} /search at once · {result['passages']:,} passages · "
        f"cap {result['max_concurrent_searches']} · defer after {result['defer_after']} s · "
        f"{cores} cores"
    )
    for what in ("ack", "answer"):
        print(
            f"  arrival → {what + 'nowledged' if what == 'ack' else 'answered'}: "
            f"p50 {result[f'{what}_p50'] * 1000:.0f} ms · "
            f"p95 {result[f'{what}_p95'] * 1000:.0f} ms · "
            f"max {result[f'{what}_max'] * 1000:.0f} ms"
        )
    print(
        f"  acknowledged {result['acknowledged']}/{result['interactions']} "
        f"({result['deferred']} deferred); all within {DEADLINE:.0f} s: "
        f"{'yes' if result['all_acked_within_3s'] else 'NO'}"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0 if result["all_acked_within_3s"] else 1


if __name__ == "__main__":
    sys.exit(main())
