"""Admin commands checked on the server, and /reload swapping corpora under concurrent searches."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
import threading
from typing import Any

import pytest

from bot.engine import Workspace
from bot.settings import Settings
from tests.discord.conftest import BotFactory, Harness, settle
from tests.discord.fake_discord import (
    ADMIN_ROLE_ID,
    DEFERRED_MESSAGE,
    EPHEMERAL,
    GUILD_ID,
    MANAGE_GUILD,
)

OTHER_ROLE_ID = ADMIN_ROLE_ID + 1  # a role the member has that is not the admin role
REFUSED = "Sorry, only members with Manage Server or the bot's admin role can use this command."
PASSAGE_ID_RE = re.compile(r"`([0-9a-f]{12})`")


def description(message: dict[str, Any]) -> str:
    return message["embeds"][0]["description"]


async def test_admin_commands_are_hidden_but_not_only_hidden(harness: Harness) -> None:
    """/reload and /sync are synced with Manage Server as default permission (hidden)."""
    [sync] = [r for r in harness.fake.requests if r.method == "PUT"]
    hidden = {c["name"]: c.get("default_member_permissions") for c in sync.json}
    assert int(hidden["reload"]) == int(hidden["sync"]) == MANAGE_GUILD
    assert hidden["search"] is None


@pytest.mark.parametrize(
    ("admin_role", "roles", "allowed"),
    [
        ("Corpus Admin", (ADMIN_ROLE_ID,), True),
        (str(ADMIN_ROLE_ID), (ADMIN_ROLE_ID,), True),
        ("Corpus Admin", (OTHER_ROLE_ID,), False),
        (str(ADMIN_ROLE_ID), (), False),
        (None, (ADMIN_ROLE_ID,), False),
        ("Corpus", (ADMIN_ROLE_ID,), False),  # a prefix of the name is not the name
    ],
    ids=["role-name", "role-id", "other-role", "no-role", "no-admin-role", "name-prefix"],
)
async def test_the_admin_role_by_name_or_id(
    make_harness: BotFactory, admin_role: str | None, roles: tuple[int, ...], allowed: bool
) -> None:
    """The configured admin role matches by name or id, nothing looser; no role, no /reload."""
    h = await make_harness(admin_role=admin_role)
    workspace = h.bot.workspace
    payload = await h.command("reload", _roles=roles)
    callback = h.fake.callback(payload)
    if allowed:
        assert callback["type"] == DEFERRED_MESSAGE
        assert h.fake.reply_to(payload)["embeds"][0]["title"] == "Corpus reloaded"
        assert h.bot.workspace is not workspace
    else:
        assert callback["data"]["flags"] & EPHEMERAL
        assert description(callback["data"]) == REFUSED
        assert h.bot.workspace is workspace


async def test_sync_by_a_non_admin_via_a_raw_payload_is_refused_and_logged_without_content(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """A member without rights posting /sync scope:global anyway: refused, nothing synced, and the
    log names who and where but not what they sent."""
    puts = sum(r.method == "PUT" for r in harness.fake.requests)
    with caplog.at_level(logging.INFO):
        payload = await harness.command("sync", scope="global", _roles=(OTHER_ROLE_ID,))
    callback = harness.fake.callback(payload)
    assert description(callback["data"]) == REFUSED
    assert sum(r.method == "PUT" for r in harness.fake.requests) == puts
    [refusal] = [r for r in caplog.records if "refused" in r.getMessage()]
    assert refusal.levelno == logging.WARNING
    user = payload["member"]["user"]["id"]
    assert (
        refusal.getMessage() == f"refused /sync for user {user} in guild {GUILD_ID}: not an admin"
    )
    assert "global" not in caplog.text


# -- /reload under load ---------------------------------------------------------------------

CORPUS_A = {
    "a.txt": "Alpha Report\n\nPolice in Mérida trained with new equipment from the initiative.\n",
    "b.txt": "Beta Notes\n\nPolice patrols crossed the border near Juárez during the night.\n",
}
CORPUS_B_ALPHA = "Alpha Report\n\nPolice in Mérida were retrained under a renewed agreement.\n"


async def test_searches_during_a_reload_each_come_from_one_corpus(
    make_harness: BotFactory, write_corpus, corpus_settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Searches started before, during and after a reload: each answer's footer version matches
    every passage id it quotes; in-flight ones finish on the old corpus; a second reload waits."""
    folder = write_corpus(dict(CORPUS_A))
    old = Workspace.load(corpus_settings(folder))
    h = await make_harness(workspace_=old, cooldown_rate=0, max_concurrent_searches=16)
    admin = h.bot.extensions["bot.exts.admin"]  # each bot loads its own copy of the module

    # Hold the reload's build, and the old engine's searches, until the test lets them go.
    build_started, release_build = threading.Event(), threading.Event()
    real_load = Workspace.load

    def held_load(settings: Settings, **kwargs: Any) -> Any:
        build_started.set()
        assert release_build.wait(30)
        return real_load(settings, **kwargs)

    swapped = asyncio.Event()
    real_compare = admin.compare_corpora

    def compare_and_tell(*args: Any) -> Any:  # called right after the swap
        swapped.set()
        return real_compare(*args)

    entered, release_old = threading.Semaphore(0), threading.Event()
    real_search = old.engine.search

    def held_search(*args: Any, **kwargs: Any) -> Any:
        entered.release()
        assert release_old.wait(30)
        return real_search(*args, **kwargs)

    monkeypatch.setattr(Workspace, "load", held_load)
    monkeypatch.setattr(admin, "compare_corpora", compare_and_tell)
    monkeypatch.setattr(old.engine, "search", held_search)
    (folder / "a.txt").write_text(CORPUS_B_ALPHA)

    def feed(payload: dict[str, Any]) -> dict[str, Any]:
        h.bot._connection.parsers["INTERACTION_CREATE"](payload)
        return payload

    before = asyncio.all_tasks()
    reload = feed(h.fake.command("reload", permissions=MANAGE_GUILD))
    await asyncio.to_thread(build_started.wait, 30)
    second = await h.send(h.fake.command("reload", permissions=MANAGE_GUILD))
    assert "already running" in description(h.fake.callback(second)["data"])
    during = [feed(h.fake.command("search", {"query": "police"})) for _ in range(6)]
    for _ in during:  # each has taken the old engine and is inside its search
        await asyncio.to_thread(entered.acquire, True, 30)
    release_build.set()
    await swapped.wait()
    new = h.bot.workspace
    assert new is not old and new.version != old.version
    after = [feed(h.fake.command("search", {"query": "police"})) for _ in range(6)]
    release_old.set()
    await settle(before)

    assert h.fake.reply_to(reload)["embeds"][0]["title"] == "Corpus reloaded"
    corpora = {w.version: {p.id for p in w.engine.corpus.passages} for w in (old, new)}
    for batch, workspace in ((during, old), (after, new)):
        for payload in batch:
            reply = h.fake.reply_to(payload)
            version = reply["embeds"][0]["footer"]["text"].split(" ")[1]
            quoted = set(PASSAGE_ID_RE.findall(description(reply)))
            assert version == workspace.version
            assert quoted and quoted <= corpora[version], (version, quoted)
    # the two corpora really differ in what they quote for this query
    assert corpora[old.version] != corpora[new.version]


async def test_reload_keeps_the_search_pool_and_cooldowns_unless_their_settings_change(
    make_harness: BotFactory,
) -> None:
    """A reload that keeps the cap and cooldown keeps the pool (no 2× cap) and users' cooldowns;
    a changed cap gets a pool of the new size."""
    h = await make_harness(cooldown_rate=1, cooldown_seconds=60.0)
    pool, cooldowns = h.bot.engine_threads, h.bot.cooldowns
    await h.command("docs")
    discord_settings = h.bot.settings.discord

    def reloaded(**changes: Any) -> Settings:
        return dataclasses.replace(
            h.bot.settings, discord=dataclasses.replace(discord_settings, **changes)
        )

    h.bot.settings_loader = lambda: reloaded(results_per_page=1)
    await h.command("reload", _permissions=MANAGE_GUILD)
    assert h.bot.engine_threads is pool and h.bot.cooldowns is cooldowns
    slowed = await h.command("docs")  # still within the minute of the first /docs
    assert "going a bit fast" in description(h.fake.callback(slowed)["data"])

    h.bot.settings_loader = lambda: reloaded(max_concurrent_searches=3)
    await h.command("reload", _permissions=MANAGE_GUILD)
    assert h.bot.engine_threads is not pool and h.bot.engine_threads._max_workers == 3
    assert pool._shutdown  # the old pool finishes what it holds, then its threads end
