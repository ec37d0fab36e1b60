"""Building, starting, syncing and stopping the bot — with the token kept out of every output."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import signal

import aiohttp
import discord
import discord.http
import pytest
from discord.ext import commands

from bot import client
from bot.client import BAD_TOKEN, NO_TOKEN, CorpusBot, ShardedCorpusBot, create_bot, serve
from bot.engine import Workspace
from bot.exts.explore import MORE_LIKE_MENU, SEARCH_MENU
from bot.redaction import MASK
from bot.rendering.help import COMMANDS as HELP
from bot.settings import DiscordSettings, Settings
from tests.discord.conftest import Harness
from tests.discord.fake_discord import APP_ID, GUILD_ID, FakeDiscord

SECRET = "MTIzNDU2.c2VjcmV0.secret-token-never-shown"


def _settings(workspace: Workspace, **discord_settings: object) -> Settings:
    return dataclasses.replace(workspace.settings, discord=DiscordSettings(**discord_settings))


def test_create_bot_does_not_connect(workspace: Workspace) -> None:
    """Building the bot opens no session and loads no cog until login."""
    bot = create_bot(_settings(workspace), workspace)
    assert isinstance(bot, CorpusBot)
    assert bot.http._HTTPClient__session is discord.utils.MISSING
    assert bot.cogs == {}
    assert bot.workspace is workspace


def test_the_bot_asks_for_no_privileged_intent_and_pings_no_one(workspace: Workspace) -> None:
    """No message content, members or presences intents; mentions are off for every message."""
    bot = create_bot(_settings(workspace), workspace)
    assert not bot.intents.message_content
    assert not bot.intents.members and not bot.intents.presences
    mentions = bot.allowed_mentions
    assert mentions is not None
    assert mentions.to_dict() == {"parse": []}


def test_shards_setting_uses_the_auto_sharded_bot(workspace: Workspace) -> None:
    """`shards: 2` builds discord.py's AutoShardedBot with two shards."""
    bot = create_bot(_settings(workspace, shards=2), workspace)
    assert isinstance(bot, ShardedCorpusBot)
    assert isinstance(bot, commands.AutoShardedBot)
    assert bot.shard_count == 2


async def test_login_registers_every_cog(harness: Harness) -> None:
    """After login (setup_hook), every command family and the error handler are loaded."""
    assert set(harness.bot.cogs) == {
        "Search",
        "Reading",
        "Explore",
        "Admin",
        "Help",
        "Documents",
        "Coding",
        "Quotes",
        "ErrorHandler",
    }


def test_run_without_token_says_how_to_set_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No DISCORD_TOKEN: exit code 2 and one line saying how to set it."""
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert client.run_bot(Settings()) == 2
    err = capsys.readouterr().err
    assert err.strip() == NO_TOKEN
    assert "export DISCORD_TOKEN=" in err


def test_sync_without_token_or_guilds_explains(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`sync` needs the token, and guild ids unless --global."""
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert client.sync_commands(Settings(), global_sync=False) == 2
    monkeypatch.setenv("DISCORD_TOKEN", SECRET)
    assert client.sync_commands(Settings(), global_sync=False) == 2
    assert "discord.guild_ids" in capsys.readouterr().err


@pytest.mark.parametrize("global_sync", [False, True], ids=["guild", "global"])
def test_sync_registers_commands_and_never_shows_the_token(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    global_sync: bool,
) -> None:
    """`python -m bot sync [--global]` PUTs the commands where asked; the token is nowhere."""
    fake = FakeDiscord()
    monkeypatch.setattr(discord.http.aiohttp, "ClientSession", fake.session)
    monkeypatch.setenv("DISCORD_TOKEN", SECRET)
    settings = Settings(discord=DiscordSettings(guild_ids=(GUILD_ID,)))
    with caplog.at_level(logging.DEBUG):
        assert client.sync_commands(settings, global_sync=global_sync) == 0
    where = "commands" if global_sync else f"guilds/{GUILD_ID}/commands"
    puts = [r for r in fake.requests if r.method == "PUT"]
    assert [r.path for r in puts] == [f"/applications/{APP_ID}/{where}"]
    names = {c["name"] for c in puts[0].json}
    assert names == {h.name for h in HELP} | {SEARCH_MENU, MORE_LIKE_MENU}  # /help lists all
    out = capsys.readouterr()
    assert f"Synced {len(names)} commands" in out.out
    shown = out.out + out.err + caplog.text + repr(settings)
    assert SECRET not in shown and "secret-token" not in shown
    assert f"'Authorization': 'Bot {MASK}'" in caplog.text  # it was logged, and masked


def test_a_rejected_token_is_reported_without_echoing_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Discord answering 401 at login: exit code 1, the advice line, no token."""
    fake = FakeDiscord()
    fake.fail_next("GET", r"^/users/@me$", 401, {"message": "401: Unauthorized", "code": 0})
    monkeypatch.setattr(discord.http.aiohttp, "ClientSession", fake.session)
    monkeypatch.setenv("DISCORD_TOKEN", SECRET)
    settings = Settings(discord=DiscordSettings(guild_ids=(GUILD_ID,)))
    assert client.sync_commands(settings, global_sync=False) == 1
    err = capsys.readouterr().err
    assert err.strip() == BAD_TOKEN
    assert SECRET not in err


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_a_signal_closes_the_bot_cleanly(
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    sig: signal.Signals,
) -> None:
    """SIGTERM or SIGINT (Ctrl+C) while connected: the session closes, `serve` returns 0."""
    fake = FakeDiscord()
    bot = create_bot(_settings(workspace), workspace)
    connected, closed = asyncio.Event(), asyncio.Event()
    close = bot.close

    async def connect(*, reconnect: bool = True) -> None:  # the gateway, which tests never open
        connected.set()
        await closed.wait()  # like discord.py's loop, which ends when the socket closes

    async def close_and_tell() -> None:
        await close()
        closed.set()

    monkeypatch.setattr(bot, "connect", connect)
    monkeypatch.setattr(bot, "close", close_and_tell)
    monkeypatch.setattr(discord.http.aiohttp, "ClientSession", fake.session)
    with caplog.at_level(logging.DEBUG):
        task = asyncio.create_task(serve(bot, SECRET))
        await connected.wait()
        os.kill(os.getpid(), sig)
        assert await asyncio.wait_for(task, timeout=30) == 0
    assert bot.is_closed()
    assert bot.http._HTTPClient__session.closed
    assert bot.engine_threads._shutdown  # no search thread outlives the bot
    assert "shutting down" in caplog.text
    assert SECRET not in caplog.text
    assert f"'Authorization': 'Bot {MASK}'" in caplog.text  # it was logged, and masked
    # Ctrl+C raises KeyboardInterrupt again once `serve` is done (its handler was removed).
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_create_bot_without_settings_finds_the_codebook() -> None:
    """`create_bot()` alone serves the shipped seeds with the shipped theme codebook."""
    bot = create_bot()
    assert bot.workspace.codebook is not None and bot.workspace.problems == []
    assert len(bot.workspace.engine.documents) == 5


@pytest.mark.parametrize(
    "value", ["…", "<token>", "paste-your-token-here", "MTIz.abc def.xyz", "a.b.c.d"]
)
def test_a_token_that_cannot_be_a_token_is_refused_before_connecting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    """A placeholder in DISCORD_TOKEN: exit 2 with one line that does not repeat it, no request."""
    fake = FakeDiscord()
    monkeypatch.setattr(discord.http.aiohttp, "ClientSession", fake.session)
    monkeypatch.setenv("DISCORD_TOKEN", value)
    assert client.run_bot(Settings()) == 2
    settings = Settings(discord=DiscordSettings(guild_ids=(GUILD_ID,)))
    assert client.sync_commands(settings) == 2
    err = capsys.readouterr().err
    assert err.count("does not look like a bot token") == 2 and len(err.splitlines()) == 2
    assert value not in err and fake.requests == []


@pytest.mark.parametrize(
    "failure",
    [
        aiohttp.ClientConnectionError("Cannot connect to host discord.com:443"),
        OSError(-3, "Temporary failure in name resolution"),
    ],
    ids=["aiohttp", "dns"],
)
async def test_a_network_failure_at_login_is_one_line(
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    failure: Exception,
) -> None:
    """No network at login: `serve` prints "Cannot connect to discord.com: …" and returns 1."""

    async def no_network(*args: object, **kwargs: object) -> None:
        raise failure

    monkeypatch.setattr(discord.http.HTTPClient, "static_login", no_network)
    bot = create_bot(_settings(workspace), workspace)
    assert await serve(bot, SECRET) == 1
    err = capsys.readouterr().err
    assert err.startswith("Cannot connect to discord.com: ") and len(err.splitlines()) == 1
    assert SECRET not in err


def test_a_network_failure_during_sync_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`sync` without a network: one line, exit 1."""

    async def no_network(*args: object, **kwargs: object) -> None:
        raise aiohttp.ClientConnectionError("Cannot connect to host discord.com:443")

    monkeypatch.setattr(discord.http.HTTPClient, "static_login", no_network)
    monkeypatch.setenv("DISCORD_TOKEN", SECRET)
    settings = Settings(discord=DiscordSettings(guild_ids=(GUILD_ID,)))
    assert client.sync_commands(settings) == 1
    assert capsys.readouterr().err.startswith("Cannot connect to discord.com: ")
