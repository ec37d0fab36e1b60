"""/add, /remove and /cite through the offline Discord: attachments served by the fake CDN, who
may add or remove, every refusal leaving the corpus and the served index as they were."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.engine import Workspace
from bot.settings import Settings
from tests.discord.conftest import BotFactory, Harness
from tests.discord.fake_discord import (
    ADMIN_ROLE_ID,
    CONTRIBUTOR_ROLE_ID,
    DEFERRED_MESSAGE,
    EPHEMERAL,
    MANAGE_GUILD,
)
from tests.engine.readers.builders import FIXTURES, PdfPage, PdfSpec, make_pdf

FIRST = "Inspections at the harbour found containers with undeclared chemical precursors."
SECOND = "Training for the municipal police ran through the winter in three northern states."
NOTES = (
    "Field Notes\n\nPatrols along the northern border doubled during the spring, said the report.\n"
)
OTHER = "Other Notes\n\nCommunity programmes built trust between residents and the local police.\n"
NOT_CONTRIBUTOR = (
    "Sorry, only members with Manage Server, the bot's admin role or its contributor role can "
    "add documents."
)
PASSAGE_ID_RE = re.compile(r"`([0-9a-f]{12})`")


def report_pdf(first: str = FIRST) -> bytes:
    """Two pages: `first` on page 1 (in the section Harbour controls), SECOND on page 2."""
    return make_pdf(
        PdfSpec(
            [PdfPage([first], bookmark=(0, "Harbour controls")), PdfPage([SECOND])],
            title="Harbour Inspections",
            author="Ana López",
        )
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def description(message: dict[str, Any]) -> str:
    return str(message["embeds"][0].get("description", ""))


def title(message: dict[str, Any]) -> str:
    return str(message["embeds"][0].get("title", ""))


@pytest.fixture
def folder(write_corpus: Callable[[dict[str, str | bytes]], Path]) -> Path:
    return write_corpus({"notes.txt": NOTES, "other.txt": OTHER})


@pytest.fixture
async def team(
    make_harness: BotFactory, folder: Path, corpus_settings: Callable[[Path], Settings]
) -> Harness:
    """The bot over a two-document corpus; `Contributor` may add."""
    workspace = Workspace.load(corpus_settings(folder))
    return await make_harness(workspace_=workspace, contributor_role="Contributor", cooldown_rate=0)


async def add(h: Harness, name: str, data: bytes, **kw: Any) -> dict[str, Any]:
    """Run /add with an attachment as a member with the contributor role (unless told)."""
    kw.setdefault("_roles", (CONTRIBUTOR_ROLE_ID,))
    size = kw.pop("size", None)
    attachment = h.fake.attachment(name, data, size=size)
    return await h.command("add", file=attachment, **kw)


async def test_add_a_pdf_then_search_finds_it_with_its_page(team: Harness, folder: Path) -> None:
    """A contributor adds a PDF: the private answer gives title, pages, passages and first
    section; a search right after quotes it with the page its words are on."""
    old = team.bot.workspace
    payload = await add(team, "harbour.pdf", report_pdf())
    assert team.fake.callback(payload)["type"] == DEFERRED_MESSAGE
    assert team.fake.callback(payload)["data"]["flags"] & EPHEMERAL
    reply = team.fake.reply_to(payload)
    assert title(reply) == "Added: Harbour Inspections"
    text = description(reply)
    assert "`harbour` · Ana López · 2021-03-15 · PDF, 2 pages · English · 2 passages" in text
    assert "First section: Harbour controls" in text
    assert (folder / "harbour.pdf").read_bytes() == report_pdf()
    assert team.bot.workspace is not old and "harbour" in team.bot.workspace.engine.corpus.documents
    found = description(team.fake.reply_to(await team.command("search", query="precursors")))
    assert "Harbour Inspections · Harbour controls · p. 1 · ¶1" in found
    found = description(team.fake.reply_to(await team.command("search", query="winter training")))
    assert "Harbour Inspections · Harbour controls · p. 2 · ¶2" in found


@pytest.mark.parametrize(
    ("roles", "permissions", "allowed"),
    [
        ((CONTRIBUTOR_ROLE_ID,), 0, True),
        ((ADMIN_ROLE_ID,), 0, True),
        ((), MANAGE_GUILD, True),
        ((), 0, False),
    ],
    ids=["contributor-role", "admin-role", "manage-server", "member"],
)
async def test_who_may_add(
    team: Harness, folder: Path, roles: tuple[int, ...], permissions: int, allowed: bool
) -> None:
    """The contributor role, the admin role and Manage Server may add; any other member is
    refused privately, before the file is downloaded, and nothing changes."""
    before, old = snapshot(folder), team.bot.workspace
    payload = await add(team, "harbour.pdf", report_pdf(), _roles=roles, _permissions=permissions)
    if allowed:
        assert title(team.fake.reply_to(payload)) == "Added: Harbour Inspections"
        return
    callback = team.fake.callback(payload)
    assert callback["data"]["flags"] & EPHEMERAL
    assert description(callback["data"]) == NOT_CONTRIBUTOR
    assert team.fake.cdn_downloads == []
    assert snapshot(folder) == before and team.bot.workspace is old


async def test_the_contributor_role_may_be_given_by_id(
    make_harness: BotFactory, folder: Path, corpus_settings: Callable[[Path], Settings]
) -> None:
    """`discord.contributor_role` set to the role's id works like its name; unset, the role
    gives no right."""
    workspace = Workspace.load(corpus_settings(folder))
    by_id = await make_harness(workspace_=workspace, contributor_role=str(CONTRIBUTOR_ROLE_ID))
    assert title(by_id.fake.reply_to(await add(by_id, "harbour.pdf", report_pdf()))).startswith(
        "Added"
    )
    unset = await make_harness(workspace_=by_id.bot.workspace)
    payload = await add(unset, "port.pdf", report_pdf())
    assert description(unset.fake.callback(payload)["data"]) == NOT_CONTRIBUTOR


BAD_UPLOADS = [
    ("locked.pdf", lambda: (FIXTURES / "pdf" / "encrypted-rc4-128.pdf").read_bytes(), "encrypted"),
    ("cut.pdf", lambda: report_pdf()[:900], "a damaged or truncated PDF"),
    ("report.pdf", lambda: b"<!DOCTYPE html><html><body><p>Not found</p></body></html>", "HTML"),
]


@pytest.mark.parametrize(("name", "make", "reason"), BAD_UPLOADS, ids=["encrypted", "cut", "html"])
async def test_a_bad_file_is_refused_and_nothing_changes(
    team: Harness,
    folder: Path,
    caplog: pytest.LogCaptureFixture,
    name: str,
    make: Callable[[], bytes],
    reason: str,
) -> None:
    """An encrypted or truncated PDF, or a page saved as .pdf: the answer names the file and the
    reason, the folder and the served workspace are unchanged, and the log has the detail."""
    before, old = snapshot(folder), team.bot.workspace
    with caplog.at_level(logging.WARNING):
        payload = await add(team, name, make())
    text = description(team.fake.reply_to(payload))
    assert text.startswith(f"**{name}** was not added: ") and reason in text
    assert text.endswith("Nothing changed.")
    assert snapshot(folder) == before and team.bot.workspace is old
    assert any(name in r.getMessage() and "refused" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("name", "size", "reason"),
    [
        ("huge.pdf", 200 * 1024 * 1024, "it is 210 MB, over the corpus's 64 MB limit"),
        ("../../etc/passwd", 10, "a file name may not contain a path"),
        ("CON.pdf", 10, "reserved by Windows"),
    ],
    ids=["200MB", "path", "reserved"],
)
async def test_refused_before_download(
    team: Harness, folder: Path, name: str, size: int, reason: str
) -> None:
    """A 200 MB upload or an unsafe name is refused from what Discord declares: no byte is
    downloaded, the answer comes at once, privately, and nothing changes."""
    before = snapshot(folder)
    payload = await add(team, name, b"%PDF-1.7 tiny", size=size)
    callback = team.fake.callback(payload)
    assert callback["data"]["flags"] & EPHEMERAL
    assert reason in description(callback["data"])
    assert team.fake.cdn_downloads == []
    assert snapshot(folder) == before


async def test_two_members_adding_at_once_are_served_in_turn(team: Harness, folder: Path) -> None:
    """Two adds sent together both land, each swap including the other's file; two adds of one
    name: one lands, the other is refused; no temporary file is left behind."""
    first = team.fake.command(
        "add",
        {"file": team.fake.attachment("harbour.pdf", report_pdf())},
        types=team.option_types("add"),
        roles=(CONTRIBUTOR_ROLE_ID,),
    )
    second = team.fake.command(
        "add",
        {"file": team.fake.attachment("port.pdf", report_pdf("Cranes at the port were idle."))},
        types=team.option_types("add"),
        user_id=222,
        roles=(CONTRIBUTOR_ROLE_ID,),
    )
    await asyncio.gather(team.send(first), team.send(second))
    assert {title(team.fake.reply_to(p)) for p in (first, second)} == {"Added: Harbour Inspections"}
    assert {"harbour", "port"} <= set(team.bot.workspace.engine.corpus.documents)
    same = [
        team.fake.command(
            "add",
            {"file": team.fake.attachment("again.pdf", report_pdf(text))},
            types=team.option_types("add"),
            user_id=300 + i,
            roles=(CONTRIBUTOR_ROLE_ID,),
        )
        for i, text in enumerate((FIRST, "Cranes at the port stood idle all week long."))
    ]
    await asyncio.gather(*(team.send(p) for p in same))
    answers = sorted(description(team.fake.reply_to(p)) for p in same)
    assert sum(a.startswith("`again`") for a in answers) == 1
    assert sum("already has a file of that name" in a for a in answers) == 1
    assert sorted(snapshot(folder)) == [
        "again.pdf",
        "harbour.pdf",
        "notes.txt",
        "other.txt",
        "port.pdf",
    ]


async def test_replace_keeps_the_old_file(team: Harness, folder: Path) -> None:
    """`replace:true` puts the new file in and moves the old one to .removed/."""
    await add(team, "harbour.pdf", report_pdf())
    refused = await add(team, "harbour.pdf", report_pdf("Cranes at the port were idle all week."))
    assert "already has a file of that name; use replace" in description(
        team.fake.reply_to(refused)
    )
    payload = await add(
        team, "harbour.pdf", report_pdf("Cranes at the port were idle all week."), replace=True
    )
    assert "Replaced harbour.pdf (kept in `.removed/`)" in description(team.fake.reply_to(payload))
    assert (folder / ".removed" / "harbour.pdf").read_bytes() == report_pdf()


async def test_a_failed_swap_undoes_the_add(
    team: Harness, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the corpus cannot be rebuilt after the write, the file is taken out again and the old
    workspace keeps serving."""
    before, old = snapshot(folder), team.bot.workspace

    def broken(*args: Any, **kwargs: Any) -> Workspace:
        raise OSError("disk trouble")

    monkeypatch.setattr(Workspace, "load", broken)
    payload = await add(team, "harbour.pdf", report_pdf())
    assert "could not be reloaded with it" in description(team.fake.reply_to(payload))
    assert snapshot(folder) == before and team.bot.workspace is old


async def test_remove_moves_the_file_aside_and_search_no_longer_finds_it(
    team: Harness, folder: Path
) -> None:
    """An admin removes a document: its file goes to .removed/, the index is swapped, and a
    search no longer quotes it; a member without rights is refused; the last document stays."""
    refused = await team.command("remove", document="notes")
    assert team.fake.callback(refused)["data"]["flags"] & EPHEMERAL
    assert (folder / "notes.txt").exists()
    payload = await team.command("remove", document="notes", _roles=(ADMIN_ROLE_ID,))
    reply = team.fake.reply_to(payload)
    assert title(reply) == "Removed: Field Notes"
    assert "kept as .removed/notes.txt" in description(reply)
    assert (folder / ".removed" / "notes.txt").read_text(encoding="utf-8") == NOTES
    assert set(team.bot.workspace.engine.corpus.documents) == {"other"}
    search = description(team.fake.reply_to(await team.command("search", query="patrols border")))
    assert "Field Notes" not in search
    last = await team.command("remove", document="other", _roles=(ADMIN_ROLE_ID,))
    assert "only document" in description(team.fake.reply_to(last))
    assert (folder / "other.txt").exists()


async def test_cite_gives_the_page_in_apa_chicago_and_bibtex(team: Harness) -> None:
    """/cite on a passage of an added PDF: APA and Chicago with its page, and a BibTeX entry;
    one style alone when asked."""
    await add(team, "harbour.pdf", report_pdf())
    search = team.fake.reply_to(await team.command("search", query="winter training"))
    [passage_id, *_] = PASSAGE_ID_RE.findall(description(search))
    text = description(team.fake.reply_to(await team.command("cite", passage_id=passage_id)))
    assert "In text: (López, 2021, p. 2)" in text
    assert "In text: (López 2021, 2)" in text
    assert "```bibtex\n@misc{lopez2021harbour," in text
    assert "`\\cite[p.~2]{lopez2021harbour}`" in text
    only = await team.command("cite", passage_id=passage_id, style="chicago")
    only_text = description(team.fake.reply_to(only))
    assert "Chicago author-date" in only_text and "APA" not in only_text


@pytest.mark.parametrize("command", ["add", "remove"])
async def test_adds_and_removes_wait_for_a_running_reload(
    team: Harness, folder: Path, command: str
) -> None:
    """While a reload (or another change) holds the lock, /add and /remove acknowledge at once
    but touch no file; they go ahead when it is released."""
    if command == "add":
        options: dict[str, Any] = {"file": team.fake.attachment("harbour.pdf", report_pdf())}
        roles = (CONTRIBUTOR_ROLE_ID,)
    else:
        options, roles = {"document": "notes"}, (ADMIN_ROLE_ID,)
    payload = team.fake.command(command, options, types=team.option_types(command), roles=roles)
    before = snapshot(folder)
    lock = team.bot.reload_lock
    async with lock:
        deferred = team.fake.next_request(lambda r: r.path.endswith("/callback"))
        sent = asyncio.create_task(team.send(payload))
        await deferred
        for _ in range(100):  # the command runs up to the lock in a few steps of the loop
            if lock._waiters:  # asyncio.Lock's queue: someone is waiting for it
                break
            await asyncio.sleep(0)
        assert lock._waiters, f"/{command} did not wait for the lock"
        assert snapshot(folder) == before
    await sent
    assert snapshot(folder) != before


async def test_a_failed_download_is_refused_and_nothing_changes(
    team: Harness, folder: Path
) -> None:
    """An attachment Discord's CDN no longer serves: "could not be downloaded", nothing changes."""
    before = snapshot(folder)
    attachment = team.fake.attachment("harbour.pdf", report_pdf())
    del team.fake.cdn[attachment["url"]]
    payload = await team.command("add", file=attachment, _roles=(CONTRIBUTOR_ROLE_ID,))
    text = description(team.fake.reply_to(payload))
    assert text.startswith("**harbour.pdf** was not added: it could not be downloaded")
    assert snapshot(folder) == before
