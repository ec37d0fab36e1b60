"""Faults on Discord's side: stale buttons, expired tokens, 429s and 5xx on every way to answer.

Each case runs through discord.py's real HTTP and webhook code against the offline fake, which
answers the injected error; the `error_log` fixture fails any test in which something logged ERROR.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import pytest

from bot.engine import Workspace
from bot.exts._pager import EXPIRED, PaginatorView
from bot.rendering.help import COMMANDS as HELP
from tests.discord.conftest import BotFactory, Harness, settle
from tests.discord.fake_discord import (
    CALLBACK_PATH,
    CHANNEL_MESSAGE,
    EPHEMERAL,
    FOLLOWUP_PATH,
    INVALID_WEBHOOK_TOKEN,
    MANAGE_GUILD,
    ORIGINAL_PATH,
    UNKNOWN_INTERACTION,
    UNKNOWN_WEBHOOK,
    UPDATE_MESSAGE,
    FakeDiscord,
)

MERIDA_QUOTE = "has been the **Mérida** Initiative"


def text_of(body: dict[str, Any]) -> str:
    return str(body.get("content") or "") + "".join(
        str(e.get("description", "")) for e in body.get("embeds") or []
    )


def pager_of(h: Harness, message: dict[str, Any]) -> PaginatorView:
    """The live view discord.py routes clicks on `message` to."""
    items = h.bot._connection._view_store._views[int(message["id"])]
    view = next(iter(items.values())).view
    assert isinstance(view, PaginatorView)
    return view


# -- stale controls -------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["Next", "More context", "Related"])
async def test_a_click_after_a_restart_is_told_the_buttons_expired(
    make_harness: BotFactory, label: str
) -> None:
    """A fresh bot (no views) gets a click on an old pager: one private "expired" answer."""
    before = await make_harness(results_per_page=1)
    payload = await before.command("search", query="Merida")
    message = before.fake.reply_to(payload)
    await before.bot.close()
    after = await make_harness(fake=before.fake, results_per_page=1)  # same Discord, new process
    click = await after.click(message, label)
    callback = after.fake.callback(click)  # exactly one answer
    assert callback["type"] == CHANNEL_MESSAGE
    assert callback["data"]["flags"] & EPHEMERAL
    assert text_of(callback["data"]) == EXPIRED


async def test_a_click_on_a_live_pager_is_not_called_expired(make_harness: BotFactory) -> None:
    """The fallback stays silent when the view answered: one callback, the page turned."""
    h = await make_harness(results_per_page=1)
    payload = await h.command("search", query="Merida")
    click = await h.click(h.fake.reply_to(payload), "Next")
    assert h.fake.callback(click)["type"] == UPDATE_MESSAGE
    assert not any(EXPIRED in text_of(b) for b in h.fake.message_bodies())


async def test_a_timed_out_pager_that_could_not_be_disabled_answers_expired(
    make_harness: BotFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """Timeout edit refused (token expired after 15 min): WARNING; later clicks hear "expired"."""
    h = await make_harness(results_per_page=1)
    payload = await h.command("search", query="Merida")
    message = h.fake.reply_to(payload)
    h.fake.fail_next(
        "PATCH", ORIGINAL_PATH, 401, {"message": "Invalid Webhook Token", "code": 50027}
    )
    before = asyncio.all_tasks()
    with caplog.at_level(logging.WARNING, logger="bot"):
        pager_of(h, message)._dispatch_timeout()  # what the view's timer calls
        await settle(before)
    assert "could not disable an expired pager" in caplog.text
    assert payload["token"] not in caplog.text
    assert not any(c.get("disabled") and c["label"] == "Next" for c in h.fake.components(message))
    click = await h.click(message, "Next")
    assert text_of(h.fake.callback(click)["data"]) == EXPIRED


async def test_page_turns_keep_the_timeout_edit_on_a_fresh_token(make_harness: BotFactory) -> None:
    """After a page turn the timeout edit uses the click's token, not the command's older one."""
    h = await make_harness(results_per_page=1)
    payload = await h.command("search", query="Merida")
    message = h.fake.reply_to(payload)
    click = await h.click(message, "Next")
    before = asyncio.all_tasks()
    pager_of(h, message)._dispatch_timeout()
    await settle(before)
    edit = h.fake.requests[-1]
    assert edit.method == "PATCH" and edit.token == click["token"] != payload["token"]
    assert all(c["disabled"] for c in h.fake.components(h.fake.messages[int(message["id"])]))


@pytest.mark.parametrize("label", ["More context", "Related"])
async def test_a_passage_gone_after_a_reload_is_explained(
    make_harness: BotFactory, write_corpus, corpus_settings, label: str
) -> None:
    """An old hit's buttons after /reload changed the corpus: the engine's "may have changed"."""
    folder = write_corpus(
        {
            "a.txt": "Alpha Report\n\nThe Mérida Initiative funded police training in Mexico.\n",
            "b.txt": "Beta Notes\n\nCartels moved fentanyl across the border near Juárez today.\n",
        }
    )
    h = await make_harness(workspace_=Workspace.load(corpus_settings(folder)), results_per_page=1)
    payload = await h.command("search", query="Merida")
    message = h.fake.reply_to(payload)
    old_id = h.bot.workspace.engine.search("Merida").hits[0].passage.id
    (folder / "a.txt").write_text("Alpha Report\n\nThe Mérida Initiative was renegotiated.\n")
    await h.command("reload", _permissions=MANAGE_GUILD)
    assert old_id not in {p.id for p in h.bot.workspace.engine.corpus.passages}
    click = await h.click(message, label)
    callback = h.fake.callback(click)
    assert callback["data"]["flags"] & EPHEMERAL
    assert f"No passage has the id '{old_id}'" in text_of(callback["data"])
    assert "reloaded" in text_of(callback["data"])


# -- expired interactions -------------------------------------------------------------------


async def test_an_interaction_too_old_to_answer_is_dropped_with_a_warning(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Callback answered 404 Unknown interaction: a WARNING naming the route, no retry, no ERROR."""
    harness.fake.fail_next(
        "POST", CALLBACK_PATH, 404, {"message": "Unknown interaction", "code": UNKNOWN_INTERACTION}
    )
    with caplog.at_level(logging.WARNING, logger="bot"):
        payload = await harness.command("search", query="Merida")
    assert [r.status for r in harness.fake.for_interaction(payload)] == [404]
    [record] = [r for r in caplog.records if r.name.startswith("bot")]
    assert record.levelno == logging.WARNING
    assert "answer dropped for /search: POST " in record.getMessage()
    assert "/interactions/" in record.getMessage() and "/<token>/callback" in record.getMessage()
    assert f"code {UNKNOWN_INTERACTION}" in record.getMessage()
    assert payload["token"] not in caplog.text


@pytest.mark.parametrize(
    ("status", "code"), [(401, INVALID_WEBHOOK_TOKEN), (404, UNKNOWN_WEBHOOK)], ids=["401", "404"]
)
async def test_an_expired_token_on_the_edit_is_not_retried_as_a_followup(
    harness: Harness, busy_engine: None, caplog: pytest.LogCaptureFixture, status: int, code: int
) -> None:
    """Deferred, then the token is dead: the follow-up (same token) is not even tried."""
    harness.fake.fail_next("PATCH", ORIGINAL_PATH, status, {"message": "gone", "code": code})
    with caplog.at_level(logging.WARNING, logger="bot"):
        payload = await harness.command("search", query="Merida")
    calls = harness.fake.for_interaction(payload)
    assert [(c.method, c.status) for c in calls] == [("POST", 200), ("PATCH", status)]
    assert "answer dropped for /search: PATCH " in caplog.text
    assert payload["token"] not in caplog.text


# -- 429 and 5xx on the callback, the @original edit and the follow-up -------------------------

Fault = tuple[str, str, str, int]  # method, path regex, "429" / "429-cloudflare" / "500"…, times
ALWAYS = 50  # more failures than any number of retries discord.py might make
ORIGINAL_DEAD: Fault = ("PATCH", ORIGINAL_PATH, "503", ALWAYS)


def inject(fake: FakeDiscord, faults: list[Fault]) -> None:
    for method, path, kind, times in faults:
        if kind.startswith("429"):
            via = not kind.endswith("cloudflare")
            fake.rate_limit_next(method, path, retry_after=0.01, via_proxy=via, times=times)
        else:
            fake.server_error_next(method, path, int(kind), times=times)


def trace(calls: list[Any]) -> str:
    """The requests of an interaction as "METHOD:status …", e.g. "POST:500 POST:200"."""
    return " ".join(f"{c.method}:{c.status}" for c in calls)


# (faults, defer, the interaction's requests as a regex over `trace`, where the answer lands).
# How often and after which pauses discord.py retries is its business: "retried" is `{2,}`
# failures of one request, "not retried" exactly one.
SCENARIOS: dict[str, tuple[list[Fault], bool, str, str | None]] = {
    "callback-429": ([("POST", CALLBACK_PATH, "429", 1)], False, "POST:429 POST:200", "original"),
    "callback-429-cloudflare": (
        [("POST", CALLBACK_PATH, "429-cloudflare", 1)],
        False,
        "POST:429",
        None,
    ),
    "callback-500-once": (
        [("POST", CALLBACK_PATH, "500", 1)],
        False,
        "POST:500 POST:200",
        "original",
    ),
    "callback-503-always": (
        [("POST", CALLBACK_PATH, "503", ALWAYS)],
        False,
        "POST:503( POST:503)+",
        None,
    ),
    "original-429": (
        [("PATCH", ORIGINAL_PATH, "429", 1)],
        True,
        "POST:200 PATCH:429 PATCH:200",
        "original",
    ),
    "original-429-cloudflare": (
        [("PATCH", ORIGINAL_PATH, "429-cloudflare", 1)],
        True,
        "POST:200 PATCH:429 POST:200",
        "followup",
    ),
    "original-500-always": (
        [("PATCH", ORIGINAL_PATH, "500", ALWAYS)],
        True,
        "POST:200( PATCH:500){2,} POST:200",
        "followup",
    ),
    "followup-429": (
        [ORIGINAL_DEAD, ("POST", FOLLOWUP_PATH, "429", 1)],
        True,
        "POST:200( PATCH:503){2,} POST:429 POST:200",
        "followup",
    ),
    "followup-503-always": (
        [ORIGINAL_DEAD, ("POST", FOLLOWUP_PATH, "503", ALWAYS)],
        True,
        "POST:200( PATCH:503){2,}( POST:503){2,}",
        None,
    ),
}


@pytest.mark.usefixtures("retry_pauses")
@pytest.mark.parametrize("scenario", list(SCENARIOS))
async def test_discord_errors_on_an_answer(
    make_harness: BotFactory,
    request: pytest.FixtureRequest,
    caplog: pytest.LogCaptureFixture,
    scenario: str,
) -> None:
    """discord.py retries what it retries; then a follow-up if the edit failed; else a WARNING."""
    faults, defer, requests, lands = SCENARIOS[scenario]
    if defer:
        request.getfixturevalue("busy_engine")
    h = await make_harness(results_per_page=1)
    inject(h.fake, faults)
    with caplog.at_level(logging.WARNING):
        payload = await h.command("search", query="Merida")
    h.fake.failures.clear()  # the "always" faults left over
    calls = h.fake.for_interaction(payload)
    assert re.fullmatch(requests, trace(calls)), trace(calls)
    assert payload["token"] not in caplog.text
    if lands is None:
        assert "answer dropped for /search" in caplog.text
        assert "/<token>" in caplog.text
        return
    if lands == "original":
        message = h.fake.reply_to(payload)
    else:
        followup = calls[-1]
        assert followup.method == "POST" and followup.path.startswith("/webhooks/")
        message = h.fake.messages[max(h.fake.messages)]
        assert "sending the answer as a follow-up" in caplog.text
    assert MERIDA_QUOTE in text_of(message)
    # The pager works on whichever message carries the answer.
    click = await h.click(message, "Next")
    assert h.fake.callback(click)["type"] == UPDATE_MESSAGE


@pytest.mark.usefixtures("retry_pauses")
@pytest.mark.parametrize(
    ("status", "times", "requests"),
    [(500, 1, "PUT:500 PUT:200"), (503, ALWAYS, "PUT:503( PUT:503)*")],
    ids=["500-once", "503-always"],
)
async def test_discord_errors_on_a_rest_call_reach_the_admin(
    harness: Harness, caplog: pytest.LogCaptureFixture, status: int, times: int, requests: str
) -> None:
    """/sync's PUT: a 500 once is retried by discord.py; one that keeps failing is told to the
    admin (whether discord.py retried it first is its business)."""
    harness.fake.server_error_next("PUT", r"/guilds/\d+/commands$", status, times=times)
    synced_at_login = len(harness.fake.requests)
    with caplog.at_level(logging.WARNING, logger="bot"):
        payload = await harness.command("sync", _permissions=MANAGE_GUILD)
    harness.fake.failures.clear()
    puts = [r for r in harness.fake.requests[synced_at_login:] if r.method == "PUT"]
    assert re.fullmatch(requests, trace(puts)), trace(puts)
    reply = text_of(harness.fake.reply_to(payload))
    if times == 1:
        menus = 2  # the message context menus, which /help does not list
        assert reply.startswith(f"Synced {len(HELP) + menus} commands to this server.")
    else:
        assert reply == f"Discord refused that request ({status}); please try again later."
        assert "/sync: PUT https://discord.com/api/v10/applications/" in caplog.text
