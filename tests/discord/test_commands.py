"""The slash commands end to end through discord.py, against the offline fake of Discord."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from pathlib import Path

import pytest

from bot.engine import Workspace
from bot.exts import _pager
from bot.exts._pager import NOT_YOURS, PaginatorView
from bot.rendering import limits
from bot.settings import ConfigError, Settings
from tests.discord.conftest import BotFactory, Harness, settle
from tests.discord.fake_discord import (
    ADMIN_ROLE_ID,
    CHANNEL_MESSAGE,
    DEFERRED_MESSAGE,
    EPHEMERAL,
    MANAGE_GUILD,
    OTHER_USER_ID,
    UPDATE_MESSAGE,
)

MERIDA_QUOTE = "has been the **Mérida** Initiative, a security cooperation agreement"


def description(message: dict) -> str:
    return message["embeds"][0]["description"]


def footer(message: dict) -> str:
    return message["embeds"][0]["footer"]["text"]


async def test_search_quotes_the_merida_passage_with_its_source(harness: Harness) -> None:
    """`/search query:Merida` answers at once with an embed quoting the Mérida passage."""
    payload = await harness.command("search", query="Merida")
    callback = harness.fake.callback(payload)
    assert callback["type"] == CHANNEL_MESSAGE
    embed = callback["data"]["embeds"][0]
    assert embed["title"] == "Search: Merida"
    assert MERIDA_QUOTE in embed["description"]
    first = embed["description"].split("\n\n")[0]
    assert first.startswith(
        "**1.** US-Mexico Cooperation in Fighting Organized Crime · line 11 · ¶4 · "
        "`039f1f822eee`\n> "
    )
    assert footer(callback["data"]).startswith(f"corpus {harness.bot.workspace.version} · ")
    assert "2 matching passages" in footer(callback["data"])
    assert callback["data"]["allowed_mentions"] == {"parse": []}
    assert not callback["data"].get("flags", 0) & EPHEMERAL
    assert limits.check_message(callback) == []


async def test_next_turns_the_page_and_previous_comes_back(make_harness: BotFactory) -> None:
    """Next edits the message to page 2 (hit 2), Previous back to page 1; the counter follows."""
    h = await make_harness(results_per_page=1)
    payload = await h.command("search", query="Merida")
    message = h.fake.reply_to(payload)
    assert h.fake.find_component(message, "1/2")["disabled"] is True
    assert h.fake.find_component(message, "Previous")["disabled"] is True
    assert "page 1/2" in footer(message)

    click = await h.click(message, "Next")
    assert h.fake.callback(click)["type"] == UPDATE_MESSAGE
    message = h.fake.reply_to(payload)
    assert description(message).startswith("**2.** US-Mexico Cooperation")
    assert "0dffed2c7f91" in description(message)
    assert "page 2/2" in footer(message)
    assert h.fake.find_component(message, "2/2")
    assert h.fake.find_component(message, "Next")["disabled"] is True

    await h.click(message, "Previous")
    assert description(h.fake.reply_to(payload)).startswith("**1.** ")


async def test_more_context_shows_the_neighbours_privately(harness: Harness) -> None:
    """Choosing a hit in "More context" replies, privately, with ¶3 and ¶5 around ¶4."""
    payload = await harness.command("search", query="Merida")
    message = harness.fake.reply_to(payload)
    click = await harness.click(message, "More context", value="039f1f822eee")
    callback = harness.fake.callback(click)
    assert callback["type"] == CHANNEL_MESSAGE
    assert callback["data"]["flags"] & EPHEMERAL
    text = callback["data"]["embeds"][0]["description"]
    assert (
        text.index("¶3 · line 9\n> ")
        < text.index("**¶4 · this passage**")
        < text.index("¶5 · line 13\n> ")
    )
    assert "Through the Mérida Initiative" in text  # ¶5, the passage after
    # the context answer offers "Related" for the passage, not another context
    reply = harness.fake.reply_to(click)
    labels = [c.get("label") for c in harness.fake.components(reply)]
    assert labels == ["Related"]


async def test_only_the_asker_can_turn_pages(make_harness: BotFactory) -> None:
    """Another member clicking Next gets a private, polite refusal; the page does not change."""
    h = await make_harness(results_per_page=1)
    payload = await h.command("search", query="Merida")
    before = h.fake.reply_to(payload)
    click = await h.click(before, "Next", user_id=OTHER_USER_ID)
    callback = h.fake.callback(click)
    assert callback["type"] == CHANNEL_MESSAGE
    assert callback["data"]["flags"] & EPHEMERAL
    assert callback["data"]["content"] == NOT_YOURS
    assert description(h.fake.reply_to(payload)) == description(before)


async def test_anyone_may_open_more_context(harness: Harness) -> None:
    """Opening a quote's context is not paging: another member gets it, privately."""
    payload = await harness.command("search", query="Merida")
    click = await harness.click(
        harness.fake.reply_to(payload), "More context", user_id=OTHER_USER_ID
    )
    assert "this passage" in harness.fake.callback(click)["data"]["embeds"][0]["description"]


async def test_timeout_disables_the_buttons_on_the_message(make_harness: BotFactory) -> None:
    """When the pager times out, the message is edited with every control disabled."""
    h = await make_harness(results_per_page=1)
    payload = await h.command("search", query="Merida")
    message_id = int(h.fake.reply_to(payload)["id"])
    view = h.bot._connection._view_store._views[message_id][(2, _custom_id(h, payload, "Next"))]
    pager = view.view
    assert isinstance(pager, PaginatorView)
    before = asyncio.all_tasks()
    pager._dispatch_timeout()  # what the view's timer calls; no sleeping in tests
    await settle(before)
    edit = h.fake.requests[-1]
    assert edit.method == "PATCH" and edit.path.endswith("/messages/@original")
    components = h.fake.components(h.fake.messages[message_id])
    assert components and all(c["disabled"] for c in components)


def _custom_id(h: Harness, payload: dict, label: str) -> str:
    return h.fake.find_component(h.fake.reply_to(payload), label)["custom_id"]


async def test_summary_autocomplete_offers_document_titles(harness: Harness) -> None:
    """Typing "coop" in /summary's document offers the matching titles, ids as values."""
    choices = await harness.autocomplete("summary", "document", document="coop")
    assert choices[0] == {
        "name": "US-Mexico Cooperation in Fighting Organized Crime (003_121f44817b1ca664)",
        "value": "003_121f44817b1ca664",
    }
    assert {c["value"] for c in choices} <= set(harness.bot.workspace.engine.corpus.documents)
    assert limits.check_choices(choices) == []


async def test_empty_autocomplete_lists_the_documents(harness: Harness) -> None:
    """Before anything is typed, every document is offered (at most 25)."""
    choices = await harness.autocomplete("search", "document", query="x", document="")
    titles = [d.title for d in harness.bot.workspace.engine.documents]
    assert [c["name"].rsplit(" (", 1)[0] for c in choices] == titles


async def test_reload_by_a_member_without_rights_is_refused_politely(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """A plain member's /reload: a private refusal, logged without content, nothing reloaded."""
    workspace = harness.bot.workspace
    with caplog.at_level("WARNING", logger="bot.exts._checks"):
        payload = await harness.command("reload")
    callback = harness.fake.callback(payload)
    assert callback["data"]["flags"] & EPHEMERAL
    text = callback["data"]["embeds"][0]["description"]
    assert text.startswith("Sorry, only members with Manage Server or the bot's admin role")
    assert harness.bot.workspace is workspace
    assert any("refused /reload for user" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    "who", [{"_permissions": MANAGE_GUILD}, {"_roles": (ADMIN_ROLE_ID,)}], ids=["manage", "role"]
)
async def test_reload_by_an_admin_swaps_the_engine(harness: Harness, who: dict) -> None:
    """Manage Server or the admin role may reload: a new engine serves, the report says so."""
    old = harness.bot.workspace
    payload = await harness.command("reload", **who)
    assert harness.fake.callback(payload)["type"] == DEFERRED_MESSAGE
    reply = harness.fake.reply_to(payload)
    assert reply["embeds"][0]["title"] == "Corpus reloaded"
    assert "Nothing changed." in description(reply)
    assert harness.bot.workspace is not old
    assert harness.bot.workspace.version == old.version


async def test_reload_reports_added_removed_and_changed(
    make_harness: BotFactory, write_corpus, corpus_settings, tmp_path: Path
) -> None:
    """After files change on disk, /reload names the added, removed and changed documents."""
    folder = write_corpus(
        {
            "a.txt": "Alpha Report\n\nThe Mérida Initiative funded police training in Mexico.\n",
            "b.txt": "Beta Notes\n\nCartels moved fentanyl across the border near Juárez today.\n",
        }
    )
    h = await make_harness(workspace_=Workspace.load(corpus_settings(folder)))
    (folder / "b.txt").unlink()
    (folder / "a.txt").write_text(
        "Alpha Report\n\nThe Mérida Initiative funded human rights training in Mexico.\n"
    )
    (folder / "c.txt").write_text("Gamma Brief\n\nCommunity programs built trust with police.\n")
    payload = await h.command("reload", _permissions=MANAGE_GUILD)
    text = description(h.fake.reply_to(payload))
    assert "**Added:** Gamma Brief" in text
    assert "**Removed:** Beta Notes" in text
    assert "**Changed:** Alpha Report" in text
    assert "Passages: 2 new, 2 gone" in text
    assert "theme codebook not found" in text  # checked at reload, not at first /theme
    assert [d.title for d in h.bot.workspace.engine.documents] == ["Alpha Report", "Gamma Brief"]


async def test_a_long_reload_shows_its_progress_in_the_deferred_reply(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reload past PROGRESS_EVERY edits its "thinking…" reply with the stage it is at; the
    report then replaces that text."""
    admin = harness.bot.extensions["bot.exts.admin"]
    monkeypatch.setattr(admin, "PROGRESS_EVERY", 0.0)  # every step counts as "long"
    payload = await harness.command("reload", _permissions=MANAGE_GUILD)
    edits = [
        r.json["content"]
        for r in harness.fake.for_interaction(payload)
        if r.method == "PATCH" and isinstance(r.json, dict) and r.json.get("content")
    ]
    assert edits and all(e.startswith("Reloading the corpus… ") for e in edits)
    assert any("reading files: " in e for e in edits) and any("indexing" in e for e in edits)
    reply = harness.fake.reply_to(payload)
    assert reply["embeds"][0]["title"] == "Corpus reloaded" and not reply.get("content")


async def test_failed_reload_keeps_the_old_engine_serving(
    make_harness: BotFactory, write_corpus, corpus_settings, tmp_path: Path
) -> None:
    """If the corpus folder empties, /reload says why and searches still use the old index."""
    folder = write_corpus({"a.txt": "Alpha Report\n\nThe Mérida Initiative funded training.\n"})
    h = await make_harness(workspace_=Workspace.load(corpus_settings(folder)))
    old = h.bot.workspace
    (folder / "a.txt").unlink()
    payload = await h.command("reload", _permissions=MANAGE_GUILD)
    reply = h.fake.reply_to(payload)
    assert reply["embeds"][0]["title"] == "Reload failed"
    assert "previous one is still being served" in description(reply)
    assert "no documents found" in description(reply)
    assert h.bot.workspace is old
    search = await h.command("search", query="Merida")
    assert "**Mérida**" in description(h.fake.reply_to(search))


async def test_a_second_reload_while_one_runs_is_refused(harness: Harness) -> None:
    """Two reloads at once: the second is told one is already running."""
    async with harness.bot.reload_lock:
        payload = await harness.command("reload", _permissions=MANAGE_GUILD)
    callback = harness.fake.callback(payload)
    assert callback["data"]["flags"] & EPHEMERAL
    assert "already running" in callback["data"]["embeds"][0]["description"]


async def test_unknown_document_is_a_private_sentence_with_suggestions(harness: Harness) -> None:
    """An unknown document filter answers privately with the engine's sentence, escaped."""
    payload = await harness.command("search", query="police", document="**nope**")
    callback = harness.fake.callback(payload)
    assert callback["data"]["flags"] & EPHEMERAL
    text = callback["data"]["embeds"][0]["description"]
    assert text.startswith("No document matches '\\*\\*nope\\*\\*'.")


async def test_unknown_passage_explains_it_may_have_changed(harness: Harness) -> None:
    """/passage with an id that does not exist says so, privately."""
    payload = await harness.command("passage", id="000000000000")
    callback = harness.fake.callback(payload)
    assert callback["data"]["flags"] & EPHEMERAL
    assert "No passage has the id '000000000000'" in description(callback["data"])


async def test_passage_shows_neighbours_and_offers_related(harness: Harness) -> None:
    """/passage id context:2 shows two passages either side, the passage marked."""
    payload = await harness.command("passage", id="039f1f822eee", context=2)
    message = harness.fake.reply_to(payload)
    text = description(message)
    for label in (
        "¶2 · line 7\n",
        "¶3 · line 9\n",
        "**¶4 · this passage**",
        "¶5 · line 13\n",
        "¶6 · line 15\n",
    ):
        assert label in text
    labels = [c.get("label") for c in harness.fake.components(message)]
    assert labels == ["Related", "Code…", "Save"]


async def test_docs_lists_every_document(harness: Harness) -> None:
    """/docs lists each document's title and id, and no buttons for a single page."""
    payload = await harness.command("docs")
    message = harness.fake.reply_to(payload)
    for doc in harness.bot.workspace.engine.documents:
        assert f"`{doc.doc_id}`" in description(message)
    assert message["components"] == []


async def test_help_is_private_and_lists_every_command(harness: Harness) -> None:
    """/help answers privately with one field per command, examples from this corpus."""
    payload = await harness.command("help")
    callback = harness.fake.callback(payload)
    assert callback["data"]["flags"] & EPHEMERAL
    names = [f["name"] for f in callback["data"]["embeds"][0]["fields"]]
    assert names[0] == "`/search query [document] [speaker] [results]`"
    assert any(n.startswith("`/reload") for n in names)


async def test_cooldown_answers_politely(make_harness: BotFactory) -> None:
    """Over the per-user rate, the next command is refused privately with the wait in seconds."""
    h = await make_harness(cooldown_rate=2, cooldown_seconds=60.0)
    for _ in range(2):
        ok = await h.command("docs")
        assert h.fake.callback(ok)["type"] == CHANNEL_MESSAGE
    payload = await h.command("search", query="police")
    callback = h.fake.callback(payload)
    assert callback["data"]["flags"] & EPHEMERAL
    assert callback["data"]["embeds"][0]["description"].startswith(
        "You're going a bit fast: please wait "
    )
    other = await h.command("docs", _user_id=OTHER_USER_ID)
    assert h.fake.callback(other)["type"] == CHANNEL_MESSAGE


async def test_slow_work_is_deferred_then_the_placeholder_replaced(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the engine is not done in time, the bot defers ("thinking…") and edits in the answer."""
    monkeypatch.setattr(_pager, "DEFER_AFTER", 0)
    engine = harness.bot.workspace.engine
    deferred, search = threading.Event(), engine.search

    def search_after_the_deferral(*args: object, **kwargs: object) -> object:
        assert deferred.wait(30), "the bot never deferred"
        return search(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "search", search_after_the_deferral)
    waiter = harness.fake.next_request(lambda r: r.path.endswith("/callback"))
    waiter.add_done_callback(lambda _: deferred.set())
    payload = await harness.command("search", query="Merida")
    calls = harness.fake.for_interaction(payload)
    assert [c.method for c in calls] == ["POST", "PATCH"]
    assert calls[0].json["type"] == DEFERRED_MESSAGE
    assert MERIDA_QUOTE in calls[1].json["embeds"][0]["description"]
    assert MERIDA_QUOTE in description(harness.fake.reply_to(payload))


async def test_an_unexpected_error_is_logged_and_told_briefly(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, error_log
) -> None:
    """A bug in a command: the user gets one private sentence, the log a traceback."""

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("bot.rendering.answers.render_documents", broken)
    payload = await harness.command("docs")
    callback = harness.fake.callback(payload)
    assert callback["data"]["flags"] & EPHEMERAL
    assert "Something went wrong on my side" in description(callback["data"])
    assert "boom" not in str(callback)
    error_log.allowed = True
    [record] = error_log.records
    assert record.exc_info and record.exc_info[0] is RuntimeError


async def test_responses_use_the_view_message_id_to_route_clicks(harness: Harness) -> None:
    """The pager is stored under the message id Discord returned for the response."""
    payload = await harness.command("search", query="police")
    message_id = int(harness.fake.reply_to(payload)["id"])
    assert message_id in harness.bot._connection._view_store._views


async def test_reload_rereads_the_settings_when_it_can(make_harness: BotFactory) -> None:
    """With a settings loader (the CLI's), /reload applies the re-read settings too."""
    h = await make_harness()
    new = dataclasses.replace(
        h.bot.settings, discord=dataclasses.replace(h.bot.settings.discord, results_per_page=1)
    )
    h.bot.settings_loader = lambda: new
    await h.command("reload", _permissions=MANAGE_GUILD)
    assert h.bot.settings is new
    payload = await h.command("search", query="Merida")
    assert "page 1/2" in footer(h.fake.reply_to(payload))


async def test_reload_with_broken_settings_keeps_everything(make_harness: BotFactory) -> None:
    """A settings file that fails validation: the reload fails, old settings and engine stay."""
    h = await make_harness()
    settings, workspace = h.bot.settings, h.bot.workspace

    def broken() -> Settings:
        raise ConfigError("config/bot.yaml: discord.cooldown_rate: expected an integer, got 'x'")

    h.bot.settings_loader = broken
    payload = await h.command("reload", _permissions=MANAGE_GUILD)
    text = description(h.fake.reply_to(payload))
    assert "discord.cooldown\\_rate: expected an integer" in text
    assert h.bot.settings is settings and h.bot.workspace is workspace
