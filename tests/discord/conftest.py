"""Fixtures for driving the real bot through discord.py with the offline fake of Discord.

`harness` logs a freshly built bot in against `FakeDiscord` (the fake session replaces aiohttp's
only while `bot.login` runs), feeds `INTERACTION_CREATE` payloads to the parser the gateway would
call, and waits for every task discord.py spawned. Any ERROR logged (discord.py logs, rather than
raises, errors in commands and views) or any request the fake could not serve fails the test.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import discord
import discord.http
import discord.webhook.async_
import pytest

from bot.client import CorpusBot, create_bot
from bot.engine import Workspace
from bot.exts import _pager
from bot.redaction import forget_hidden
from bot.settings import DiscordSettings, Settings, StoreSettings
from tests.discord.fake_discord import GUILD_ID, FakeDiscord, guild_payload

SETTLE_TIMEOUT = 30.0
# Stands in for `_pager.DEFER_AFTER` (1 s of real time): no answer is deferred by the clock.
NEVER = 3600.0


@pytest.fixture(autouse=True)
def no_hidden_tokens() -> Iterator[None]:
    """Each test starts with no token hidden and logging's own record factory, and leaves so.

    Both are process-wide: without this, a token one test logged in with stays masked in the
    next, which then passes whether or not its own login hid anything.
    """
    forget_hidden()
    yield
    forget_hidden()


@pytest.fixture(autouse=True)
def no_deferral_by_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Answers wait for the engine however slow the machine: whether the bot defers is decided
    by the test (`busy_engine` defers at once), never by 1 s of wall time on a loaded runner."""
    monkeypatch.setattr(_pager, "DEFER_AFTER", NEVER)


@pytest.fixture(autouse=True)
def store_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test writes a team database outside its own folder — not the repository's (data/
    beside config/), nor one beside a corpus written in the session's temporary root, which
    other tests would share: such a path becomes a file in the test's folder."""
    real = Settings.store_path.fget  # type: ignore[attr-defined]
    here = tmp_path / "corpus-bot.sqlite3"

    def store_path(self: Settings) -> Path:
        found: Path = real(self)
        return found if found.is_relative_to(tmp_path) else here

    monkeypatch.setattr(Settings, "store_path", property(store_path))
    return here


@pytest.fixture
def workspace(seeds_workspace: Workspace) -> Workspace:
    """The seed corpus workspace, built once per run by the root conftest."""
    return seeds_workspace


class ErrorLog(logging.Handler):
    """Collects ERROR records from every logger during a test."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []
        self.allowed = False

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def error_log() -> Iterator[ErrorLog]:
    handler = ErrorLog()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
    if not handler.allowed:
        messages = [f"{r.name}: {r.getMessage()}" for r in handler.records]
        assert not messages, f"errors were logged: {messages}"


@pytest.fixture
def busy_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every engine thread looks taken, so each answer is deferred ("thinking…") at once and
    then edited in: the path a burst of interactions takes, made deterministic."""
    monkeypatch.setattr(CorpusBot, "engine_busy", property(lambda self: True))


@pytest.fixture
def retry_pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """discord.py's pauses before a retry (`retry_after`, or 1 s, 3 s… after a 5xx) pass at once.

    The retries themselves still happen, through discord.py's own code; the list records how long
    each pause would have been.
    """
    pauses: list[float] = []
    real_sleep = asyncio.sleep

    async def no_wait(delay: float, result: Any = None) -> Any:
        if delay > 0:  # discord.py also yields with sleep(0); that is no pause
            pauses.append(delay)
        return await real_sleep(0, result)

    fast = SimpleNamespace(**{**vars(asyncio), "sleep": no_wait})
    for module in (discord.webhook.async_, discord.http):
        monkeypatch.setattr(module, "asyncio", fast)
    return pauses


def _is_view_timer(task: asyncio.Task[Any]) -> bool:
    return "timeout_task_impl" in getattr(task.get_coro(), "__qualname__", "")


async def settle(before: set[asyncio.Task[Any]]) -> None:
    """Wait until every task started since `before` is done (views' timeout timers excepted)."""
    current = asyncio.current_task()
    while True:
        pending = {
            t
            for t in asyncio.all_tasks()
            if t not in before and t is not current and not t.done() and not _is_view_timer(t)
        }
        if not pending:
            return
        _, still = await asyncio.wait(pending, timeout=SETTLE_TIMEOUT)
        assert not still, f"tasks did not finish: {still}"


class Harness:
    """A logged-in bot, the fake Discord behind it, and helpers to send it interactions."""

    def __init__(self, bot: CorpusBot, fake: FakeDiscord) -> None:
        self.bot = bot
        self.fake = fake

    async def send(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Deliver a raw `INTERACTION_CREATE`, as the gateway does, and wait for the answer."""
        before = asyncio.all_tasks()
        self.bot._connection.parsers["INTERACTION_CREATE"](payload)
        await settle(before)
        return payload

    def option_types(self, name: str) -> dict[str, int]:
        command = self.bot.tree.get_command(name)
        assert isinstance(command, discord.app_commands.Command), f"no /{name}"
        return {p.name: p.type.value for p in command.parameters}

    async def command(self, name: str, /, **options: Any) -> dict[str, Any]:
        """Run `/name option:value …` as a plain member and return the payload sent."""
        user_id = options.pop("_user_id", None)
        extra: dict[str, Any] = {"user_id": user_id} if user_id else {}
        for key in ("_permissions", "_roles"):
            if key in options:
                extra[key[1:]] = options.pop(key)
        payload = self.fake.command(name, options, types=self.option_types(name), **extra)
        return await self.send(payload)

    async def autocomplete(self, name: str, focused: str, /, **options: Any) -> list[dict]:
        """The choices the bot offers while `focused` is being typed."""
        payload = self.fake.command(name, options, types=self.option_types(name), focused=focused)
        await self.send(payload)
        body = self.fake.callback(payload)
        assert body["type"] == 8, body
        return body["data"]["choices"]

    async def click(
        self, message: dict[str, Any], label: str, *, value: str | None = None, **kw: Any
    ) -> dict[str, Any]:
        """Click the button `label` (or choose `value` in the select) on a message."""
        component = self.fake.find_component(message, label)
        if component["type"] == 3:
            value = value or component["options"][0]["value"]
            payload = self.fake.click(
                int(message["id"]), component["custom_id"], values=[value], **kw
            )
        else:
            payload = self.fake.click(int(message["id"]), component["custom_id"], **kw)
        return await self.send(payload)


BotFactory = Callable[..., Awaitable[Harness]]


@pytest.fixture
async def make_harness(
    workspace: Workspace, error_log: ErrorLog, monkeypatch: pytest.MonkeyPatch, store_in_tmp: Path
) -> AsyncIterator[BotFactory]:
    """Build and log in bots with chosen Discord settings; all are closed after the test."""
    made: list[Harness] = []

    async def factory(
        workspace_: Workspace | None = None,
        fake: FakeDiscord | None = None,
        store: Path | StoreSettings | None = None,
        **discord_settings: Any,
    ) -> Harness:
        """`store`: the team database file or settings (default: the test's own file)."""
        discord_settings.setdefault("guild_ids", (GUILD_ID,))
        discord_settings.setdefault("admin_role", "Corpus Admin")
        ws = workspace_ or workspace
        settings = dataclasses.replace(ws.settings, discord=DiscordSettings(**discord_settings))
        # Every bot of a test shares the test's own database, whatever folder its corpus is in.
        if not isinstance(store, StoreSettings):
            store = StoreSettings(path=str(store or store_in_tmp))
        settings = dataclasses.replace(settings, store=store)
        fake = fake or FakeDiscord()
        bot = create_bot(settings, ws)
        with monkeypatch.context() as m:
            m.setattr(discord.http.aiohttp, "ClientSession", fake.session)
            await bot.login("fake-token")
        state = bot._connection
        state._add_guild(discord.Guild(data=guild_payload(), state=state))
        harness = Harness(bot, fake)
        made.append(harness)
        return harness

    yield factory
    for harness in made:
        await harness.bot.close()
        unserved = harness.fake.unserved
        assert not unserved, f"routes the fake could not serve: {unserved}"


@pytest.fixture
async def harness(make_harness: BotFactory) -> Harness:
    """The bot over the seed corpus with default settings (3 results a page)."""
    return await make_harness()
