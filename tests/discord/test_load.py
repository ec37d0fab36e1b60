"""Many interactions at once: every one acknowledged once, the search cap held, the loop free.

No timing here (project rule): `bench/load.py` measures arrival-to-acknowledgement times by
feeding the same fake.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from bot.client import ENGINE_THREAD
from bot.engine import Workspace
from tests.discord.conftest import BotFactory, settle
from tests.discord.fake_discord import (
    AUTOCOMPLETE,
    CHANNEL_MESSAGE,
    DEFERRED_MESSAGE,
    EPHEMERAL,
    USER_ID,
)

CROWD = 200
MERIDA_QUOTE = "has been the **Mérida** Initiative"


class CountedSearch:
    """Wraps `Engine.search`: counts calls in flight and their threads, and can hold them."""

    def __init__(self, search: Any, cap: int) -> None:
        self.search = search
        self.cap = cap
        self.lock = threading.Lock()
        self.in_flight = self.most = self.calls = 0
        self.threads: set[str] = set()
        self.full = threading.Event()  # `cap` calls are in flight at once
        self.go = threading.Event()  # let held calls run

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            self.calls += 1
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
            self.threads.add(threading.current_thread().name)
            if self.in_flight >= self.cap:
                self.full.set()
        try:
            assert self.go.wait(30), "the test never released the searches"
            return self.search(*args, **kwargs)
        finally:
            with self.lock:
                self.in_flight -= 1


def feed(h: Any, payload: dict[str, Any]) -> dict[str, Any]:
    """Deliver without waiting, as the gateway does when many events arrive together."""
    h.bot._connection.parsers["INTERACTION_CREATE"](payload)
    return payload


def text_of(message: dict[str, Any]) -> str:
    return "".join(str(e.get("description", "")) for e in message.get("embeds") or [])


async def test_200_searches_at_once_are_each_answered_within_the_cap(
    make_harness: BotFactory, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """200 users search together: one callback each, ≤ cap searches at once, all in the engine
    threads; while they are held, the loop answers an autocomplete and acknowledges the rest."""
    h = await make_harness()
    cap = h.bot.settings.discord.max_concurrent_searches
    counted = CountedSearch(workspace.engine.search, cap)
    monkeypatch.setattr(workspace.engine, "search", counted)
    types = h.option_types("search")

    deferred: list[Any] = []

    def last_deferral(request: Any) -> bool:
        if request.path.endswith("/callback") and request.json["type"] == DEFERRED_MESSAGE:
            deferred.append(request)
        return len(deferred) == CROWD - cap

    all_queued_deferred = h.fake.next_request(last_deferral)
    before = asyncio.all_tasks()
    crowd = [
        feed(h, h.fake.command("search", {"query": "Merida"}, types=types, user_id=USER_ID + i))
        for i in range(CROWD)
    ]
    assert await asyncio.to_thread(counted.full.wait, 30)
    # The cap is reached and the searches are stuck in their threads: the loop must still work.
    ac = h.fake.command("summary", {"document": "coop"}, focused="document")
    answered = h.fake.next_request(lambda r: r.token == ac["token"])
    feed(h, ac)
    autocomplete = await asyncio.wait_for(answered, 30)
    assert autocomplete.json["type"] == AUTOCOMPLETE and autocomplete.json["data"]["choices"]
    # Every interaction queued behind the held searches was acknowledged ("thinking…") already.
    await asyncio.wait_for(all_queued_deferred, 30)
    assert counted.in_flight == cap  # still held: neither answer waited for the engine
    counted.go.set()
    await settle(before)

    assert counted.calls == CROWD
    assert counted.most == cap  # reached, never exceeded
    assert counted.threads and all(t.startswith(ENGINE_THREAD) for t in counted.threads)
    types_sent = [h.fake.callback(payload)["type"] for payload in crowd]  # exactly one each
    # The first `cap` ran at once and answered directly; the rest were deferred while queued.
    assert types_sent.count(CHANNEL_MESSAGE) == cap
    assert types_sent.count(DEFERRED_MESSAGE) == CROWD - cap
    for payload in crowd:
        assert MERIDA_QUOTE in text_of(h.fake.reply_to(payload))


async def test_one_user_flooding_is_slowed_politely(
    make_harness: BotFactory, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One user sends 50 searches at once: the first `rate` are answered, the rest told to wait,
    each with exactly one private callback; the engine runs only the allowed ones."""
    h = await make_harness(cooldown_rate=5, cooldown_seconds=30.0)
    counted = CountedSearch(workspace.engine.search, cap=1)
    counted.go.set()
    monkeypatch.setattr(workspace.engine, "search", counted)
    types = h.option_types("search")
    before = asyncio.all_tasks()
    flood = [feed(h, h.fake.command("search", {"query": "Merida"}, types=types)) for _ in range(50)]
    await settle(before)

    answered, slowed = [], []
    for payload in flood:
        callback = h.fake.callback(payload)
        flags = (callback.get("data") or {}).get("flags", 0)
        (slowed if flags & EPHEMERAL else answered).append(payload)
    assert len(answered) == 5 and len(slowed) == 45
    assert counted.calls == 5
    for payload in slowed:
        text = text_of(h.fake.callback(payload)["data"])
        assert text.startswith("You're going a bit fast: please wait ")
    for payload in answered:
        assert MERIDA_QUOTE in text_of(h.fake.reply_to(payload))
