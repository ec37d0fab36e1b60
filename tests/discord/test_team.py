"""The team's work through the offline Discord: search → Code… → /coded → /export, agreement,
codings that survive a reload, and a database that cannot be used."""

from __future__ import annotations

import io
import os
import re
import shutil
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import xmlschema

from bot.engine import Workspace
from bot.rendering.limits import check_message, safety_problems
from bot.rendering.team_answers import corpus_text
from bot.settings import CorpusSettings, Settings, StoreSettings
from bot.store import Actor, Store
from bot.store.sqlite.schema import APPLICATION_ID, LATEST_VERSION
from tests.conftest import CONFIG, SEEDS
from tests.discord.conftest import BotFactory, Harness
from tests.discord.fake_discord import ADMIN_ROLE_ID, EPHEMERAL, OTHER_USER_ID, USER_ID

SCHEMAS = Path(__file__).resolve().parents[2].parent / "shared" / "refi-qda"
NS = {"p": "urn:QDA-XML:project:1.0"}
PASSAGE_ID_RE = re.compile(r"`([0-9a-f]{12})`")
NOT_CODER = (
    "Sorry, only members with the bot's coder role (or its admins) can code, write memos and "
    "save quotes."
)
CODER_ROLE_ID = ADMIN_ROLE_ID + 1  # the fake guild's "Contributor" role, used as coder role here


def text_of(message: dict[str, Any]) -> str:
    """Every title, description and field of a message's embeds, as one string."""
    parts = []
    for e in message.get("embeds", []):
        parts += [e.get("title", ""), e.get("description", "")]
        parts += [f"{f['name']}\n{f['value']}" for f in e.get("fields", [])]
    return "\n".join(parts)


def uploads(h: Harness, payload: dict[str, Any]) -> dict[str, bytes]:
    """The files an interaction's answer uploaded, by form field."""
    return {k: v for r in h.fake.for_interaction(payload) for k, v in r.files.items()}


def assert_sendable(h: Harness) -> None:
    """Every message the bot sent is within Discord's limits and pings or formats nothing."""
    for body in h.fake.message_bodies():
        assert check_message(body) == [], body
        assert safety_problems(body) == [], body


@pytest.fixture
async def team(make_harness: BotFactory) -> Harness:
    """The bot over the seeds with its codebook; no cooldown (a session runs many commands)."""
    return await make_harness(cooldown_rate=0)


async def code_first_hit(h: Harness, query: str, code: str, user_id: int = USER_ID) -> str:
    """Search, open Code… for the first result, choose `code`; the passage id coded."""
    found = h.fake.reply_to(await h.command("search", query=query, _user_id=user_id))
    pid = PASSAGE_ID_RE.findall(text_of(found))[0]
    click = await h.click(found, "Code…", value=pid, user_id=user_id)
    picker = h.fake.reply_to(click)
    assert h.fake.callback(click)["data"]["flags"] & EPHEMERAL
    [select] = [c for c in h.fake.components(picker) if c["type"] == 3]
    [option] = [o for o in select["options"] if o["label"] == code]
    chosen = await h.click(picker, "Choose a code…", value=option["value"], user_id=user_id)
    assert "Coded as" in text_of(h.fake.reply_to(chosen))
    return pid


async def test_search_code_coded_export_a_valid_project(team: Harness) -> None:
    """Search → Code… → a code → /coded quotes it → /export project qdpx is a valid REFI-QDA
    project whose selection cuts exactly the coded passage out of its source text."""
    pid = await code_first_hit(team, "human rights abuses", "human-rights")
    coded = team.fake.reply_to(await team.command("coded", code="human-rights"))
    shown = text_of(coded)
    assert f"`{pid}`" in shown and "user111" in shown
    passage = team.bot.workspace.engine.passage(pid)
    assert passage.text.split()[0] in shown
    payload = await team.command("export", what="project", format="qdpx")
    reply = team.fake.reply_to(payload)
    assert [a["filename"] for a in reply["attachments"]] == ["project.qdpx"]
    [data] = uploads(team, payload).values()
    archive = zipfile.ZipFile(io.BytesIO(data))
    qde = archive.read("project.qde").decode("utf-8")
    xmlschema.XMLSchema(str(SCHEMAS / "Project-mrt2019.xsd")).validate(qde)
    root = ET.fromstring(qde)
    [source] = root.iterfind(".//p:TextSource", NS)
    name = source.get("plainTextPath", "").removeprefix("internal://")
    text = archive.read(f"sources/{name}").decode("utf-8")
    [selection] = source.iterfind("p:PlainTextSelection", NS)
    start, end = int(selection.get("startPosition", -1)), int(selection.get("endPosition", -1))
    assert text[start:end] == passage.text
    assert_sendable(team)


async def test_code_select_lists_codebook_themes_and_members_codes(team: Harness) -> None:
    """The Code… select offers the codebook's themes and a code a member created."""
    assert team.bot.store is not None
    team.bot.store.create_code("Field visit", Actor.local("ana"))
    found = team.fake.reply_to(await team.command("search", query="police training"))
    pid = PASSAGE_ID_RE.findall(text_of(found))[0]
    picker = team.fake.reply_to(await team.click(found, "Code…", value=pid))
    [select] = [c for c in team.fake.components(picker) if c["type"] == 3]
    labels = {o["label"] for o in select["options"]}
    assert {"human-rights", "corruption", "Field visit"} <= labels


async def test_more_than_25_codes_says_to_use_code_with_autocomplete(team: Harness) -> None:
    """With more codes than a select holds, the picker shows 25 and says how to reach the rest."""
    assert team.bot.store is not None
    for n in range(30):
        team.bot.store.create_code(f"extra {n:02}", Actor.local("ana"))
    found = team.fake.reply_to(await team.command("search", query="police training"))
    pid = PASSAGE_ID_RE.findall(text_of(found))[0]
    picker = team.fake.reply_to(await team.click(found, "Code…", value=pid))
    [select] = [c for c in team.fake.components(picker) if c["type"] == 3]
    assert len(select["options"]) == 25
    total = len(team.bot.store.codes())
    assert f"Showing 25 of {total} codes" in text_of(picker) and "/code" in text_of(picker)
    choices = await team.autocomplete("code", "code", passage=pid, code="extra 2")
    assert choices[0]["name"] == "new code: extra 2"  # typed, not yet a code: offered as new
    assert [c["value"] for c in choices][1:3] == ["extra 20", "extra 21"]


async def test_two_members_code_the_same_passage(team: Harness) -> None:
    """Two members code one passage with one code: both codings are kept, each with its coder."""
    pid = await code_first_hit(team, "corruption", "corruption", USER_ID)
    again = await code_first_hit(team, "corruption", "corruption", OTHER_USER_ID)
    assert again == pid
    shown = text_of(team.fake.reply_to(await team.command("coded", code="corruption")))
    assert (
        "user111" in shown
        and "user222" in shown
        and "2 codings"
        in str(
            team.fake.reply_to(await team.command("coded", code="corruption"))["embeds"][0][
                "footer"
            ]
        )
    )


async def test_code_command_asks_before_creating_a_new_code(team: Harness) -> None:
    """/code with a new name asks first; Create and code makes the code and the coding."""
    pid = team.bot.workspace.engine.corpus.passages[3].id
    payload = await team.command("code", passage=pid, code="Border economy")
    question = team.fake.reply_to(payload)
    assert "There is no code **Border economy** yet" in text_of(question)
    assert team.bot.store is not None and team.bot.store.count_codings() == 0
    done = team.fake.reply_to(await team.click(question, "Create and code"))
    assert "Created the code **Border economy**" in text_of(done)
    assert [c.code for c in team.bot.store.codings(passage_id=pid)] == ["Border economy"]


async def test_cancel_creates_nothing(team: Harness) -> None:
    """Cancel on the new-code question leaves no code and no coding."""
    pid = team.bot.workspace.engine.corpus.passages[3].id
    question = team.fake.reply_to(await team.command("code", passage=pid, code="Maybe later"))
    await team.click(question, "Cancel")
    assert team.bot.store is not None
    assert "Maybe later" not in {c.name for c in team.bot.store.codes()}


async def test_a_name_that_folds_to_an_existing_code_is_refused(team: Harness) -> None:
    """ "Human Rights" is refused, naming the existing code human-rights; nothing is coded."""
    pid = team.bot.workspace.engine.corpus.passages[3].id
    payload = await team.command("code", passage=pid, code="Human Rights")
    text = text_of(team.fake.reply_to(payload))
    assert "would clash with the existing code 'human-rights'" in text
    assert team.bot.store is not None and team.bot.store.count_codings() == 0


@pytest.mark.parametrize(
    ("options", "said"),
    [
        ({"passage": "ffffffffffff", "code": "corruption"}, "ffffffffffff"),
        ({"passage": "000¶9999", "code": "corruption"}, "9999"),
    ],
    ids=["unknown-id", "unknown-paragraph"],
)
async def test_unknown_passage_is_refused(team: Harness, options: dict, said: str) -> None:
    """An unknown passage is named in a private sentence; nothing is coded or asked."""
    payload = await team.command("code", **options)
    reply = team.fake.reply_to(payload)
    assert said in text_of(reply) and not team.fake.components(reply)
    assert team.bot.store is not None and team.bot.store.count_codings() == 0


async def test_unknown_code_in_coded_names_close_codes(team: Harness) -> None:
    """/coded with a code that does not exist says so and suggests the closest."""
    text = text_of(team.fake.reply_to(await team.command("coded", code="corruptoin")))
    assert "There is no code 'corruptoin'" in text and "corruption" in text


async def test_uncode_your_own_and_only_admins_anyone_s(team: Harness) -> None:
    """A member removes their own coding; another member cannot, an admin can; /undo restores."""
    pid = await code_first_hit(team, "corruption", "corruption", USER_ID)
    other = await team.command(
        "uncode", passage=pid, code="corruption", coder="user111", _user_id=OTHER_USER_ID
    )
    assert "belongs to user111" in text_of(team.fake.reply_to(other))
    store = team.bot.store
    assert store is not None and store.count_codings() == 1
    admin = await team.command(
        "uncode",
        passage=pid,
        code="corruption",
        coder="user111",
        _roles=(ADMIN_ROLE_ID,),
        _user_id=OTHER_USER_ID,
    )
    assert "Removed the coding" in text_of(team.fake.reply_to(admin))
    assert store.count_codings() == 0
    undone = await team.command("undo", _user_id=OTHER_USER_ID)
    assert "Undone" in text_of(team.fake.reply_to(undone))
    assert store.count_codings() == 1


async def test_uncode_of_several_codings_says_how_many_and_undo_restores_each(
    team: Harness,
) -> None:
    """Two parts of one passage coded apart are both removed by /uncode, which says so (not
    "the coding … /undo puts it back"); /undo twice restores both."""
    store = team.bot.store
    assert store is not None
    texts = corpus_text(team.bot.workspace)
    p = team.bot.workspace.engine.corpus.passages[0]
    me = Actor.discord(USER_ID, "user111")
    store.code(texts.anchor(p.id, (0, 10)), "corruption", me)
    store.code(texts.anchor(p.id, (10, 20)), "corruption", me)
    said = text_of(
        team.fake.reply_to(await team.command("uncode", passage=p.id, code="corruption"))
    )
    assert "Removed 2 codings **corruption**" in said and "one at a time" in said
    assert store.count_codings() == 0
    for _ in range(2):
        await team.command("undo")
    assert store.count_codings() == 2


async def test_the_coder_role_is_checked_for_commands_and_controls(
    make_harness: BotFactory,
) -> None:
    """With a coder role set, a member without it can neither /code nor use Code…/Save; a
    member with it can; reading (/coded) stays open to everyone."""
    h = await make_harness(cooldown_rate=0, coder_role="Contributor")
    pid = h.bot.workspace.engine.corpus.passages[3].id
    refused = await h.command("code", passage=pid, code="corruption")
    assert NOT_CODER in text_of(h.fake.reply_to(refused))
    found = h.fake.reply_to(await h.command("search", query="corruption"))
    first = PASSAGE_ID_RE.findall(text_of(found))[0]
    for control in ("Code…", "Save…"):
        click = await h.click(found, control, value=first)
        assert NOT_CODER in text_of(h.fake.reply_to(click))
    assert h.bot.store is not None and h.bot.store.count_codings() == 0
    allowed = await h.command("code", passage=pid, code="corruption", _roles=(CODER_ROLE_ID,))
    assert "Coded as" in text_of(h.fake.reply_to(allowed))
    assert "Coded corruption" in text_of(
        h.fake.reply_to(await h.command("coded", code="corruption"))
    )


async def test_memos_are_stored_as_typed_and_shown_escaped(team: Harness) -> None:
    """A memo of 10,000 characters with @everyone, a user mention and markdown is stored as
    typed; /passage shows it under the passage escaped, within Discord's limits."""
    pid = team.bot.workspace.engine.corpus.passages[5].id
    risky = "@everyone look **here** <@123> __now__ ||spoiler|| `code` "
    memo = (risky * 200)[:10_000]
    store = team.bot.store
    assert store is not None
    anchor = corpus_text(team.bot.workspace).anchor(pid)
    store.memo_passage(anchor, memo, Actor.local("ana"))  # as the console or the CLI would
    typed = await team.command("memo", target=pid, text=risky.strip(), _user_id=OTHER_USER_ID)
    assert "Your memo on passage" in text_of(team.fake.reply_to(typed))
    assert sorted(m.text for m in store.memos(target=pid)) == sorted([memo, risky.strip()])
    shown = team.fake.reply_to(await team.command("passage", id=pid))
    memos = shown["embeds"][1]
    assert memos["title"] == "Memos (2)"
    assert "ana" in memos["description"] and "user222" in memos["description"]
    assert "@\u200beveryone" in memos["description"] and "\\*\\*here\\*\\*" in memos["description"]
    assert_sendable(team)


async def test_save_and_collection(team: Harness) -> None:
    """Save under a result and /save fill a collection, listed in order with who saved each."""
    found = team.fake.reply_to(await team.command("search", query="police"))
    first, second = PASSAGE_ID_RE.findall(text_of(found))[:2]
    saved = await team.click(found, "Save…", value=first)
    assert "Saved to the collection **quotes**" in text_of(team.fake.reply_to(saved))
    await team.command("save", passage=second, _user_id=OTHER_USER_ID)
    shown = team.fake.reply_to(await team.command("collection", name="quotes"))
    text = text_of(shown)
    assert text.index(first) < text.index(second)
    assert "saved by user111" in text and "saved by user222" in text


async def test_agreement_of_two_coders(
    make_harness: BotFactory, write_corpus, corpus_settings
) -> None:
    """Two coders on one document of four passages: A codes ¶1, ¶2; B codes ¶1, ¶2, ¶3 →
    p_o = 0.75, p_e = 0.5, kappa = 0.5 over 4 units."""
    paragraphs = [
        f"Paragraph {n} reports on police training, border checks and local budgets in "
        f"the northern states during year {2000 + n} of the programme."
        for n in range(1, 5)
    ]
    folder = write_corpus({"report.txt": "Field Report\n\n" + "\n\n".join(paragraphs) + "\n"})
    h = await make_harness(Workspace.load(corpus_settings(folder)), cooldown_rate=0)
    ids = [p.id for p in h.bot.workspace.engine.corpus.passages]
    assert len(ids) == 4
    assert h.bot.store is not None
    h.bot.store.create_code("training", Actor.local("setup"))
    for user, coded in ((USER_ID, ids[:2]), (OTHER_USER_ID, ids[:3])):
        for pid in coded:
            await h.command("code", passage=pid, code="training", _user_id=user)
    payload = await h.command(
        "agreement", code="training", coder_a=f"discord:{USER_ID}", coder_b="user222"
    )
    text = text_of(h.fake.reply_to(payload))
    assert "**Cohen's kappa:** 0.500" in text
    assert "**Percent agreement:** 75.0 %" in text
    assert "**Units compared:** 4 passages of 1 document" in text


@pytest.fixture
def seed_copy(tmp_path: Path) -> Settings:
    """Settings over a copy of two seed documents and the shipped codebook (safe to edit)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(path, folder / path.name)
    shutil.copy(CONFIG.parent / "themes.yaml", tmp_path / "themes.yaml")
    return replace(Settings(), base_dir=str(tmp_path), corpus=CorpusSettings("corpus"))


async def test_a_coding_survives_a_reload_that_changes_its_passage(
    make_harness: BotFactory, seed_copy: Settings, tmp_path: Path
) -> None:
    """A passage is coded, then its file is edited (words added to the paragraph): after
    /reload the coding follows its quote to the new passage; a coding whose words were deleted
    is kept, marked needs attention, and named in the reload report and by /coded."""
    h = await make_harness(Workspace.load(seed_copy), cooldown_rate=0)
    engine = h.bot.workspace.engine
    kept, lost = engine.corpus.passages[2], engine.corpus.passages[4]
    for p in (kept, lost):
        await h.command("code", passage=p.id, code="corruption")
    path = seed_copy.corpus_dir / engine.corpus.documents[kept.doc_id].path
    text = path.read_text(encoding="utf-8")
    assert text.count(kept.text) == 1 and text.count(lost.text) == 1
    text = text.replace(kept.text, kept.text + " Added later by an editor.")
    path.write_text(text.replace(lost.text, "A paragraph rewritten from scratch."))
    report = text_of(h.fake.reply_to(await h.command("reload", _roles=(ADMIN_ROLE_ID,))))
    assert "Team codings re-anchored:** 1 quote" in report
    assert "**Needs attention:** 1 quote" in report
    new = h.bot.workspace.engine
    assert kept.id not in {p.id for p in new.corpus.passages}
    assert h.bot.store is not None
    [moved] = h.bot.store.codings(code="corruption", status="ok")
    assert new.passage(moved.passage_id).text.startswith(kept.text)
    coded = text_of(h.fake.reply_to(await h.command("coded", code="corruption")))
    assert f"`{moved.passage_id}`" in coded
    assert "needs attention" in coded and lost.text.split()[0] in coded


# -- a database that cannot be used -----------------------------------------------------------


def corrupt(path: Path) -> None:
    path.write_bytes(b"this is not a database" * 100)


def newer(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
        conn.execute("CREATE TABLE future (x)")
    conn.close()


def foreign(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    conn.close()


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (corrupt, "it is not a readable database file"),
        (newer, "it was written by a newer corpus-bot"),
        (foreign, "it is a SQLite database of some other program"),
    ],
    ids=["corrupt", "newer-schema", "foreign"],
)
async def test_an_unusable_database_is_explained_and_search_keeps_working(
    make_harness: BotFactory,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    make: Any,
    reason: str,
) -> None:
    """The bot starts, logs one line, answers searches (without Code…/Save), and a store
    command says why it cannot work; the file is left byte for byte as it was."""
    path = tmp_path / "team.sqlite3"
    make(path)
    before = path.read_bytes()
    h = await make_harness(store=path, cooldown_rate=0)
    warnings = [r.getMessage() for r in caplog.records if "team database" in r.getMessage()]
    assert len(warnings) == 1 and reason in warnings[0]
    found = h.fake.reply_to(await h.command("search", query="police"))
    assert PASSAGE_ID_RE.findall(text_of(found))
    labels = {c.get("label") or c.get("placeholder") for c in h.fake.components(found)}
    assert not {"Code…", "Save", "Save…"} & labels
    for command, options in (
        ("code", {"passage": "000¶3", "code": "corruption"}),
        ("coded", {"code": "corruption"}),
        ("export", {"what": "project", "format": "qdpx"}),
    ):
        reply = h.fake.reply_to(await h.command(command, **options))
        said = text_of(reply)
        assert reason in said.replace("\\", "") and "Search and reading still work" in said
    assert path.read_bytes() == before


async def test_a_read_only_database_is_explained_and_left_alone(
    make_harness: BotFactory, tmp_path: Path
) -> None:
    """A database file that cannot be written: the bot says so and changes nothing in it."""
    path = tmp_path / "team.sqlite3"
    Store(path).close()
    before = path.read_bytes()
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: cannot make a file read-only")
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
            pytest.skip("running as root and chattr +i is not permitted here")
    else:
        path.chmod(0o444)
    try:
        h = await make_harness(store=path, cooldown_rate=0)
        said = text_of(h.fake.reply_to(await h.command("codes")))
        assert "it is read-only" in said
        assert h.fake.reply_to(await h.command("search", query="police"))
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        else:
            path.chmod(0o644)
    assert path.read_bytes() == before


async def test_export_past_the_upload_limit_points_to_the_cli(team: Harness) -> None:
    """A file larger than the server's upload limit is not sent; the answer names the CLI."""
    await code_first_hit(team, "corruption", "corruption")
    payload = team.fake.command(
        "export", {"what": "project", "format": "qdpx"}, types=team.option_types("export")
    )
    payload["attachment_size_limit"] = 100
    await team.send(payload)
    text = text_of(team.fake.reply_to(payload))
    assert "over this server's upload limit" in text
    assert "corpus-bot export project --format qdpx -o FILE" in text
    assert "`corpus-bot export project --format qdpx -o FILE`" in text  # a code span, unescaped
    assert not uploads(team, payload)


async def test_nasty_names_and_memos_stay_within_limits(team: Harness) -> None:
    """Every nasty query of the limits sweep as a new code's name, a memo and a collection name:
    every message the team commands send (and every autocomplete) is sendable and pings no one."""
    from tests.discord.test_limits_sweep import NASTY_QUERIES, check_all_bodies

    passages = team.bot.workspace.engine.corpus.passages
    for n, nasty in enumerate(q[:100] for q in NASTY_QUERIES if q.strip()):
        pid = passages[n].id
        question = team.fake.reply_to(await team.command("code", passage=pid, code=nasty))
        if any(c.get("label") == "Create and code" for c in team.fake.components(question)):
            await team.click(question, "Create and code")
        await team.command("memo", target=pid, text=nasty)
        await team.command("save", passage=pid, collection=nasty)
        await team.autocomplete("coded", "code", code=nasty[:20])
        await team.autocomplete("collection", "name", name=nasty[:20])
        await team.autocomplete("memo", "target", target=nasty[:20], text="x")
        await team.command("passage", id=pid)
        await team.command("collection", name=nasty)
    assert team.bot.store is not None
    for code in team.bot.store.codes():
        await team.command("coded", code=code.name)
    await team.command("codes")
    check_all_bodies(team)


async def test_coded_shows_the_first_codings_and_counts_them_all(
    team: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the cap, /coded shows the first codings in document order, counts every one and
    says how to see the rest (the cap lowered from 300 to 4 here). The codings were made as the
    console or the command line makes them (no server): Discord shows them too."""
    from bot.rendering import team_answers

    monkeypatch.setattr(team_answers, "MAX_CODED", 4)
    store = team.bot.store
    assert store is not None
    texts = corpus_text(team.bot.workspace)
    for p in team.bot.workspace.engine.corpus.passages[:7]:
        store.code(texts.anchor(p.id), "corruption", Actor.local("ana"))
    message = team.fake.reply_to(await team.command("coded", code="corruption"))
    assert "Showing the first 4 of 7 codings" in text_of(message)
    assert message["embeds"][0]["footer"]["text"].startswith("corpus ")
    assert "7 codings" in message["embeds"][0]["footer"]["text"]
    assert len(PASSAGE_ID_RE.findall(text_of(message))) == 3  # the first page of 3


@pytest.mark.parametrize(
    ("target", "kind", "said"),
    [
        ("code:corruption", "code", "the code **corruption**"),
        ("corruption", "code", "the code **corruption**"),
        ("document:000", "document", "the document"),
        ("000¶3", "passage", "passage `"),
    ],
    ids=["code-prefix", "bare-code-name", "document-prefix", "passage"],
)
async def test_memo_on_a_code_a_document_or_a_passage(
    team: Harness, target: str, kind: str, said: str
) -> None:
    """/memo's target says what the memo is on; a bare name is a passage, else a code."""
    reply = team.fake.reply_to(await team.command("memo", target=target, text="Note."))
    assert f"Your memo on {said}" in text_of(reply)
    assert team.bot.store is not None
    assert [m.kind for m in team.bot.store.memos()] == [kind]


async def test_memo_on_nothing_known_says_how_to_name_it(team: Harness) -> None:
    """A target that is no passage, code or document is refused with how to say which."""
    reply = team.fake.reply_to(await team.command("memo", target="zzqqxx", text="Note."))
    assert "is no passage id, code or document" in text_of(reply)


async def test_code_controls_after_a_restart_say_they_expired(
    team: Harness, make_harness: BotFactory
) -> None:
    """A Code… select clicked after the bot restarted (no live view) is answered: expired."""
    found = team.fake.reply_to(await team.command("search", query="police"))
    pid = PASSAGE_ID_RE.findall(text_of(found))[0]
    picker = team.fake.reply_to(await team.click(found, "Code…", value=pid))
    restarted = await make_harness(fake=team.fake, cooldown_rate=0)
    [select] = [c for c in team.fake.components(picker) if c["type"] == 3]
    click = await restarted.click(picker, "Choose a code…", value=select["options"][0]["value"])
    assert "These buttons have expired" in text_of(team.fake.reply_to(click))
    assert restarted.bot.store is not None and restarted.bot.store.count_codings() == 0


async def test_a_reload_opens_a_database_fixed_since_the_start(
    make_harness: BotFactory, tmp_path: Path
) -> None:
    """A database unusable at start, then set right by an admin: /reload opens it, and the team
    commands work without restarting the bot."""
    path = tmp_path / "team.sqlite3"
    corrupt(path)
    h = await make_harness(store=path, cooldown_rate=0)
    assert h.bot.store is None
    path.unlink()  # the admin moves the damaged file away (a backup would be restored here)
    await h.command("reload", _roles=(ADMIN_ROLE_ID,))
    assert h.bot.store is not None and h.bot.store_problem is None
    reply = await h.command("code", passage="000¶3", code="corruption")
    assert "Coded as" in text_of(h.fake.reply_to(reply))


async def test_a_locked_database_is_explained_and_nothing_is_half_done(
    make_harness: BotFactory, tmp_path: Path
) -> None:
    """Another program holds the database's write lock: /code waits the busy timeout, then says
    so; nothing is written; once the lock is released, /code works."""
    path = tmp_path / "team.sqlite3"
    h = await make_harness(store=StoreSettings(str(path), busy_timeout=0.2), cooldown_rate=0)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        reply = await h.command("code", passage="000¶3", code="corruption")
        assert "kept it locked for more than 0.2 s" in text_of(h.fake.reply_to(reply))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert h.bot.store is not None and h.bot.store.count_codings() == 0
    reply = await h.command("code", passage="000¶3", code="corruption")
    assert "Coded as" in text_of(h.fake.reply_to(reply))


async def test_removing_a_coded_document_says_its_codings_need_attention(
    make_harness: BotFactory, seed_copy: Settings
) -> None:
    """/remove of a document with a coding: the coding is kept, marked needs attention, and the
    answer to /remove says so."""
    h = await make_harness(Workspace.load(seed_copy), cooldown_rate=0)
    doc = h.bot.workspace.engine.documents[0]
    pid = h.bot.workspace.engine.corpus.passages[0].id
    await h.command("code", passage=pid, code="corruption")
    reply = await h.command("remove", document=doc.doc_id, _roles=(ADMIN_ROLE_ID,))
    text = text_of(h.fake.reply_to(reply))
    assert "Removed" in text and "**Needs attention:** 1 quote" in text and "document gone" in text
    assert h.bot.store is not None
    assert [c.status for c in h.bot.store.codings()] == ["needs_attention"]


@pytest.mark.parametrize(
    ("what", "fmt", "filename", "starts"),
    [
        ("codings", "csv", "codings.csv", b"passage_id,doc_id,title"),
        ("codings", "markdown", "codings.md", b"# "),
        ("codings", "w3c", "codings.jsonld", b"{"),
        ("codebook", "qdc", "codebook.qdc", b"<?xml"),
        ("collection", "csv", "quotes.csv", b"collection,position"),
    ],
)
async def test_every_export_is_a_file(
    team: Harness, what: str, fmt: str, filename: str, starts: bytes
) -> None:
    """Each export answers with its file, named for what it holds."""
    pid = await code_first_hit(team, "corruption", "corruption")
    await team.command("save", passage=pid)
    options = {"what": what, "format": fmt}
    if what == "collection":
        options["collection"] = "quotes"
    payload = await team.command("export", **options)
    assert [a["filename"] for a in team.fake.reply_to(payload)["attachments"]] == [filename]
    [data] = uploads(team, payload).values()
    assert data.removeprefix(b"\xef\xbb\xbf").startswith(starts), data[:80]


async def test_an_export_format_the_thing_has_not_is_refused(team: Harness) -> None:
    """/export what:codebook format:csv says which formats a codebook has."""
    reply = team.fake.reply_to(await team.command("export", what="codebook", format="csv"))
    assert "Codebook export as qdc, not csv." in text_of(reply)


async def test_autocomplete_finds_passages_coders_and_collections(team: Harness) -> None:
    """Passage ids as typed or the best passages for typed words; coders by name (value: their
    key); this server's collections."""
    pid = await code_first_hit(team, "corruption", "corruption")
    by_id = await team.autocomplete("code", "passage", passage=pid, code="x")
    assert [c["value"] for c in by_id] == [pid]
    by_words = await team.autocomplete("code", "passage", passage="corruption", code="x")
    assert pid in [c["value"] for c in by_words] and len(by_words) > 1
    coders = await team.autocomplete("coded", "coder", code="corruption", coder="USER1")
    assert coders == [{"name": "user111", "value": f"discord:{USER_ID}"}]
    await team.command("save", passage=pid, collection="Chapter 2")
    found = await team.autocomplete("collection", "name", name="chap")
    assert [c["value"] for c in found] == ["Chapter 2"]


async def test_codes_counts_per_document_and_coder(team: Harness) -> None:
    """/codes: a code's codings per document and per coder, after two members coded."""
    first = await code_first_hit(team, "corruption", "corruption", USER_ID)
    await code_first_hit(team, "corruption", "corruption", OTHER_USER_ID)
    await code_first_hit(team, "cartels drug trafficking", "drug-trafficking", OTHER_USER_ID)
    other = next(p.id for p in team.bot.workspace.engine.corpus.passages if p.id != first)
    await team.command("code", passage=other, code="corruption")
    fields = {
        f["name"]: f["value"]
        for page in [team.fake.reply_to(await team.command("codes"))]
        for f in page["embeds"][0]["fields"]
    }
    assert fields["corruption · 3 codings"].endswith("Coders: user111 2, user222 1")
    assert fields["drug-trafficking · 1 coding"].endswith("Coders: user222 1")
    assert fields["human-rights · 0 codings"] == "not used yet"
