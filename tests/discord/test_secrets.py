"""The bot token and interaction tokens never reach a log, at any level, from any logger.

A full start against the offline fake — login, `setup_hook`, command sync, commands fed through
discord.py's real gateway parser (which logs each event whole at DEBUG), a click, an autocomplete,
an answer Discord refuses, shutdown — with every logger at DEBUG. The fake logs each request's
headers, so the bot token does reach a log record: only the redaction the login installs hides it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import subprocess
from pathlib import Path
from typing import Any

import discord
import discord.http
import pytest
from discord.gateway import DiscordWebSocket

from bot.client import create_bot, serve
from bot.engine import Workspace
from bot.redaction import MASK, hide_in_logs, redact
from bot.settings import DiscordSettings
from tests.discord.conftest import settle
from tests.discord.fake_discord import CALLBACK_PATH, GUILD_ID, FakeDiscord, guild_payload

ROOT = Path(__file__).resolve().parents[2]
SECRET = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.fake-test-token"


async def test_a_full_start_logs_no_token_even_at_debug(
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    error_log,
) -> None:
    """Start, sync, answer, refuse, stop at DEBUG: neither token is in any log line or traceback."""
    fake = FakeDiscord()
    settings = dataclasses.replace(
        workspace.settings, discord=DiscordSettings(guild_ids=(GUILD_ID,), results_per_page=1)
    )
    bot = create_bot(settings, workspace)
    connected, stop = asyncio.Event(), asyncio.Event()

    async def connect(*, reconnect: bool = True) -> None:  # the gateway, which tests never open
        connected.set()
        await stop.wait()

    monkeypatch.setattr(bot, "connect", connect)
    monkeypatch.setattr(discord.http.aiohttp, "ClientSession", fake.session)
    gateway = DiscordWebSocket(socket=None, loop=asyncio.get_running_loop())  # type: ignore[arg-type]
    gateway.shard_id = None

    async def from_gateway(payload: dict[str, Any]) -> dict[str, Any]:
        """Deliver an event the way the gateway does (discord.py logs it whole at DEBUG)."""
        before = asyncio.all_tasks()
        event = {"op": 0, "t": "INTERACTION_CREATE", "s": 1, "d": payload}
        await gateway.received_message(json.dumps(event))
        await settle(before)
        return payload

    payloads = []
    with caplog.at_level(logging.DEBUG):
        task = asyncio.create_task(serve(bot, SECRET, stop))
        await connected.wait()
        state = bot._connection
        state._add_guild(discord.Guild(data=guild_payload(), state=state))
        gateway._discord_parsers = state.parsers
        types = {"query": 3}
        search = await from_gateway(fake.command("search", {"query": "Merida"}, types=types))
        payloads.append(search)
        message = fake.reply_to(search)
        next_id = fake.find_component(message, "Next")["custom_id"]
        payloads.append(await from_gateway(fake.click(int(message["id"]), next_id)))
        focus = {"query": "x", "document": "coop"}
        payloads.append(await from_gateway(fake.command("search", focus, focused="document")))
        fake.rate_limit_next("POST", CALLBACK_PATH, via_proxy=False)  # refused: logged WARNING
        payloads.append(await from_gateway(fake.command("docs")))
        stop.set()
        assert await asyncio.wait_for(task, timeout=30) == 0
    assert bot.is_closed()
    assert any(r.name == "discord.gateway" for r in caplog.records)  # the gateway's DEBUG line
    assert any(r.name == "discord.webhook.async_" for r in caplog.records)  # response URLs
    assert "answer dropped for /docs" in caplog.text
    shown = caplog.text + "".join(r.getMessage() for r in caplog.records)
    assert SECRET not in shown
    for payload in payloads:
        assert payload["token"] not in shown
    # Both kinds reached a record and were masked: the fake logs request headers, discord.py
    # logs each interaction's payload and response URL.
    assert f"'Authorization': 'Bot {MASK}'" in shown
    assert f"'token': '{MASK}'" in shown and f"/{MASK}/callback" in shown
    for thing in (bot, bot.http, bot._connection):
        assert SECRET not in repr(thing) and SECRET not in str(thing)
    assert not fake.unserved


def test_redact_masks_tokens_in_urls_payloads_and_text() -> None:
    """The masks: response and follow-up URLs, `'token': …` in payload dumps, the bot token."""
    hide_in_logs(SECRET)
    url = "POST https://discord.com/api/v10/interactions/123/aW50ZXJhY3Rpb24.abc/callback?x=1"
    assert redact(url) == f"POST https://discord.com/api/v10/interactions/123/{MASK}/callback?x=1"
    assert (
        redact("/webhooks/9/tok-en_1/messages/@original")
        == f"/webhooks/9/{MASK}/messages/@original"
    )
    assert redact("{'id': '5', 'token': 'abc.def'}") == f"{{'id': '5', 'token': '{MASK}'}}"
    assert redact('{"token": "abc"}') == f'{{"token": "{MASK}"}}'
    assert redact(f"Authorization: Bot {SECRET}") == f"Authorization: Bot {MASK}"
    assert redact("/webhooks/123") == "/webhooks/123"  # no token: left alone


def test_log_records_are_masked_in_message_args_and_tracebacks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Whatever logger logs a token — in its arguments or an exception's text — shows the mask."""
    hide_in_logs(SECRET)
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("aiohttp.client").debug("headers %s", {"Authorization": f"Bot {SECRET}"})
        try:
            raise RuntimeError(f"connect failed: https://discord.com/api/webhooks/1/{SECRET}")
        except RuntimeError:
            logging.getLogger("asyncio").exception("Task exception was never retrieved")
    assert SECRET not in caplog.text
    assert f"{{'Authorization': 'Bot {MASK}'}}" in caplog.text
    assert f"RuntimeError: connect failed: https://discord.com/api/webhooks/1/{MASK}" in caplog.text


@pytest.mark.parametrize("name", [".env", ".env.local", "config/.env", "discord.env"])
def test_env_files_are_ignored_by_git(name: str) -> None:
    """A token pasted into an env file is never committed: git ignores it."""
    result = subprocess.run(
        ["git", "-C", str(ROOT), "check-ignore", "-q", name], capture_output=True, check=False
    )
    assert result.returncode == 0, f"{name} is not git-ignored"
