"""The team's memory from a shell, end to end over a copy of the seeds and a temporary database."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import xmlschema

from bot.cli import main
from bot.cli.main import STORE_BUSY, STORE_UNUSABLE
from bot.engine.codebook import load_codebook
from bot.rendering.team_answers import codebook_entries
from bot.store import LATEST_VERSION, Store
from tests.conftest import CONFIG, ROOT, SEEDS
from tests.store.builders import read_only_file

SCHEMAS = ROOT.parent / "shared" / "refi-qda"
NS = {"p": "urn:QDA-XML:project:1.0"}
# Passages of the seeds: two of 000 (Military Collaboration…), one of 003 (US-Mexico Cooperation…).
RIGHTS_000 = "0e59c851d39c"  # ¶34 "Addressing these concerns … uphold human rights standards."
RIGHTS_003 = "c786de9a2b52"  # ¶8 "Furthermore, issues related to human rights …"
DOC_000 = "000_c034f933b67255ab"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the seeds and of the shipped settings (a short busy timeout), as a team has it."""
    (tmp_path / "config").mkdir()
    text = CONFIG.read_text(encoding="utf-8")
    text = text.replace("  busy_timeout: 5 ", "  busy_timeout: 0.1 ")
    assert "busy_timeout: 0.1 " in text
    (tmp_path / "config" / "bot.yaml").write_text(text, encoding="utf-8")
    shutil.copy(CONFIG.parent / "themes.yaml", tmp_path / "config" / "themes.yaml")
    shutil.copytree(SEEDS, tmp_path / "seeds")
    return tmp_path


@pytest.fixture
def db(project: Path) -> Path:
    return project / "team" / "memory.sqlite3"


class Shell:
    """Runs `corpus-bot` in-process with the project's settings and database."""

    def __init__(self, project: Path, db: Path) -> None:
        self.config = project / "config" / "bot.yaml"
        self.db = db

    def __call__(self, *argv: str, stdin: str | None = None) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        old_err, old_in = sys.stderr, sys.stdin
        sys.stderr = err
        if stdin is not None:
            sys.stdin = io.StringIO(stdin)
        try:
            code = main(["--config", str(self.config), "--store", str(self.db), *argv], stdout=out)
        finally:
            sys.stderr, sys.stdin = old_err, old_in
        return code, out.getvalue(), err.getvalue()

    def json(self, *argv: str) -> dict:
        code, out, err = self(*argv, "--json")
        assert code == 0, out + err
        return json.loads(out)


@pytest.fixture
def shell(project: Path, db: Path) -> Shell:
    return Shell(project, db)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- the workflow ------------------------------------------------------------------------------


def test_code_then_coded_codes_and_agreement_of_two_coders(shell: Shell, db: Path) -> None:
    """Two coders code passages; `coded` quotes them with sources, `codes` counts them per
    document and coder, and `agreement` compares them over the document both coded."""
    other_000 = shell.json("search", "training", "programs", "--top", "50")["hits"]
    third = next(
        h["passage_id"]
        for h in other_000
        if h["doc_id"] == DOC_000 and h["passage_id"] != RIGHTS_000
    )
    assert shell("code", RIGHTS_000, "human-rights", "--coder", "ana")[0] == 0
    assert shell("code", third, "human-rights", "--coder", "ana")[0] == 0
    assert shell("code", RIGHTS_000, "Human Rights", "--coder", "ben")[0] == 0
    code, out, _ = shell("code", RIGHTS_003, "human_rights", "--coder", "ben", "--memo", "see ¶9")
    assert code == 0 and out.startswith(
        f"coded passage {RIGHTS_003} as 'human-rights' (coding #4, by ben)"
    )
    assert db.is_file()  # made, with its folder, on first use

    code, out, _ = shell("coded", "human-rights")
    assert code == 0 and out.startswith("human-rights: 4 codings\n\n1. ")
    source = "US-Mexico Cooperation in Fighting Organized Crime · line 19 · ¶8 · c786de9a2b52"
    assert f"{source} · coded by ben" in out
    assert "   memo: see ¶9" in out
    data = shell.json("coded", "human-rights", "--coder", "ana")
    assert (data["total"], {c["coder"] for c in data["codings"]}) == (2, {"ana"})
    assert all(c["quote"] and c["status"] == "ok" for c in data["codings"])

    rights = next(c for c in shell.json("codes")["codes"] if c["code"] == "human-rights")
    assert rights["total"] == 4
    assert rights["documents"] == {DOC_000: 3, "003_121f44817b1ca664": 1}
    assert rights["coders"] == {"ana": 2, "ben": 2}

    a = shell.json("agreement", "human-rights", "ana", "ben")
    # Units: the 58 passages of 000, the only document both coded; ben's 003 coding is no unit.
    assert (a["units"], a["documents"]) == (58, [DOC_000])
    assert (a["both_yes"], a["a_only"], a["b_only"], a["both_no"]) == (1, 1, 0, 56)
    p_o, p_e = 57 / 58, (2 / 58) * (1 / 58) + (56 / 58) * (57 / 58)
    assert a["kappa"] == pytest.approx((p_o - p_e) / (1 - p_e))
    assert a["percent_agreement"] == pytest.approx(100 * 57 / 58)
    code, out, _ = shell("agreement", "human-rights", "ana", "ben")
    assert "Cohen's kappa 0.659 · agreement 98.3% over 58 passages of 1 document both coded" in out


def test_project_export_validates_and_its_selections_cut_the_quotes(
    shell: Shell, tmp_path: Path
) -> None:
    """`export project` writes a .qdpx whose project.qde is valid REFI-QDA and whose selections
    cut each coding's quote out of the text shipped in sources/."""
    shell(
        "code",
        RIGHTS_000,
        "human-rights",
        "--coder",
        "ana",
        "--quote",
        "uphold human rights standards",
    )
    shell("code", RIGHTS_003, "corruption", "--coder", "ben", "--memo", "**bold** <@1> & <tags>")
    shell("memo", "human-rights", "Where rights are named.", "--coder", "ana")
    target = tmp_path / "out" / "team.qdpx"
    code, out, _ = shell("export", "project", "-o", str(target))
    assert code == 0 and out.startswith(f"wrote {target} (project, qdpx: 2 codings")
    archive = zipfile.ZipFile(target)
    qde = archive.read("project.qde").decode("utf-8")
    xmlschema.XMLSchema(str(SCHEMAS / "Project-mrt2019.xsd")).validate(qde)
    quotes = {c["id"]: c["quote"] for c in shell.json("coded", "human-rights")["codings"]}
    quotes |= {c["id"]: c["quote"] for c in shell.json("coded", "corruption")["codings"]}
    cut = []
    for source in ET.fromstring(qde).iterfind(".//p:TextSource", NS):
        text = archive.read(
            "sources/" + source.get("plainTextPath", "").removeprefix("internal://")
        ).decode()
        for sel in source.iterfind("p:PlainTextSelection", NS):
            cut.append(text[int(sel.get("startPosition", "")) : int(sel.get("endPosition", ""))])
    assert sorted(cut) == sorted(quotes.values())
    assert "uphold human rights standards" in cut


def test_every_export_format_and_a_wrong_one(shell: Shell, tmp_path: Path) -> None:
    """Codings as CSV, Markdown and W3C, the codebook as .qdc, a collection as CSV; asking for
    a format an export does not come in is a usage error that names the right ones."""
    shell("code", RIGHTS_000, "human-rights", "--coder", "ana", "--memo", "*as is*")
    shell("save", RIGHTS_003, "--collection", "paper one", "--coder", "ana")
    files = {
        "codings.csv": ("codings", "csv"),
        "codings.md": ("codings", "markdown"),
        "codings.jsonld": ("codings", "w3c"),
        "codebook.qdc": ("codebook", "qdc"),
        "quotes.csv": ("collection", "csv"),
    }
    for name, (what, fmt) in files.items():
        extra = ["--collection", "paper one"] if what == "collection" else []
        code, out, err = shell("export", what, "--format", fmt, "-o", str(tmp_path / name), *extra)
        assert code == 0, out + err
    rows = (tmp_path / "codings.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("passage_id,doc_id,title") and RIGHTS_000 in rows[1]
    assert "*as is*" in rows[1]
    assert "## human-rights (1)" in (tmp_path / "codings.md").read_text(encoding="utf-8")
    w3c = json.loads((tmp_path / "codings.jsonld").read_text(encoding="utf-8"))
    selectors = {s["type"] for s in w3c["first"]["items"][0]["target"]["selector"]}
    assert selectors == {"TextQuoteSelector", "TextPositionSelector"}
    xmlschema.XMLSchema(str(SCHEMAS / "Codebook.xsd")).validate(str(tmp_path / "codebook.qdc"))
    assert RIGHTS_003 in (tmp_path / "quotes.csv").read_text(encoding="utf-8-sig")
    shell("code", RIGHTS_003, "corruption", "--coder", "ben")
    shell("export", "codings", "--code", "corruption", "-o", str(tmp_path / "one.csv"))
    rows = (tmp_path / "one.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 2 and RIGHTS_003 in rows[1]  # only the code asked for
    code, out, err = shell("export", "codebook", "--format", "csv", "-o", str(tmp_path / "x.csv"))
    assert code == 2 and "export codebook comes as qdc, not csv" in err
    assert not (tmp_path / "x.csv").exists()


def test_backup_then_store_check(shell: Shell, tmp_path: Path) -> None:
    """`backup` copies the live database (online backup API) into a file that opens with every
    coding; `store check` reports integrity ok and the codes never applied."""
    shell("code", RIGHTS_000, "human-rights", "--coder", "ana")
    copy = tmp_path / "backups" / "monday.sqlite3"
    code, out, _ = shell("backup", str(copy))
    assert code == 0 and out == f"backed up the team database to {copy} (1 coding)\n"
    with Store(copy) as restored:
        assert [c.passage_id for c in restored.codings()] == [RIGHTS_000]
    report = shell.json("store", "check")
    assert report["ok"] and report["integrity"] == ["ok"] and report["codings"] == 1
    assert "human-rights" not in report["unused_codes"] and "corruption" in report["unused_codes"]
    code, out, _ = shell("store", "check")
    assert code == 0 and "integrity: ok" in out


def test_save_collection_memo_uncode_and_undo(shell: Shell) -> None:
    """Quotes saved in order with who saved them; memos on a passage, code and document; a
    coding removed by passage and code; `undo` puts it back."""
    shell("save", RIGHTS_003, "--coder", "ana", "--note", "for the intro")
    shell("save", RIGHTS_000, "--coder", "ben")
    data = shell.json("collection", "quotes")
    assert [(q["passage_id"], q["saved_by"]) for q in data["quotes"]] == [
        (RIGHTS_003, "ana"),
        (RIGHTS_000, "ben"),
    ]
    code, out, _ = shell("collection", "quotes")
    assert out.startswith("quotes: 2 quotes\n\n1. Furthermore") and "note: for the intro" in out
    assert shell("memo", RIGHTS_000, "On", "the passage.", "--coder", "ana")[1].startswith(
        f"wrote ana's memo on passage {RIGHTS_000}"
    )
    assert (
        "memo on code human-rights"
        in shell("memo", "Human Rights", "On the code.", "--coder", "ana")[1]
    )
    assert (
        "memo on document 003_121f44817b1ca664"
        in shell(
            "memo", "US-Mexico Cooperation", "On the doc.", "--coder", "ana", "--on", "document"
        )[1]
    )
    shell("code", RIGHTS_000, "training", "--coder", "ana")
    shell("code", RIGHTS_003, "training", "--coder", "ana")
    code, out, _ = shell("uncode", RIGHTS_000, "training", "--coder", "ana")
    assert code == 0 and out.startswith("removed coding #1")
    left = shell.json("coded", "training")["codings"]
    assert [c["passage_id"] for c in left] == [RIGHTS_003]  # only that passage's coding went
    code, out, _ = shell("undo", "--coder", "ana")
    assert code == 0 and "restored the coding #1" in out
    assert shell.json("coded", "training")["total"] == 2


def test_the_coder_is_the_local_user_unless_named(
    shell: Shell, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --coder, codings are the logged-in user's (getpass.getuser())."""
    monkeypatch.setattr("getpass.getuser", lambda: "maria")
    shell("code", RIGHTS_000, "human-rights")
    assert shell.json("coded", "human-rights")["codings"][0]["coder"] == "maria"
    assert shell("undo")[1].startswith("Undone: code")


def test_store_option_before_or_after_the_command_and_the_setting(project: Path) -> None:
    """`--store` works before and after the command; without it, store.path of the settings is
    used (data/ beside config/, made on first use)."""
    config = str(project / "config" / "bot.yaml")
    first, second = project / "a.sqlite3", project / "b.sqlite3"
    out = io.StringIO()
    assert (
        main(
            ["--config", config, "--store", str(first), "code", RIGHTS_000, "training"], stdout=out
        )
        == 0
    )
    assert (
        main(
            ["--config", config, "code", RIGHTS_000, "training", "--store", str(second)], stdout=out
        )
        == 0
    )
    assert main(["--config", config, "code", RIGHTS_000, "training"], stdout=out) == 0
    for path in (first, second, project / "data" / "corpus-bot.sqlite3"):
        with Store(path) as store:
            assert store.count_codings() == 1


def test_the_cli_makes_the_codebook_codes_as_the_bot_does(shell: Shell, project: Path) -> None:
    """The CLI writes a theme's code with the bot's wording (label — description): two wordings
    would rewrite the code, and its audit trail, each time the bot and the CLI take turns."""
    codebook = load_codebook(project / "config" / "themes.yaml")
    wanted = {e.name: e.description for e in codebook_entries(codebook)}
    listed = {c["code"]: c["description"] for c in shell.json("codes")["codes"]}
    assert listed["human-rights"].startswith("Human rights — Violations")
    assert {name: listed[name] for name in wanted} == wanted


def test_import_codebook_merges_and_names_conflicts(shell: Shell, tmp_path: Path) -> None:
    """A .qdc from another tool: its new codes are added, a clash is named, nothing replaced."""
    qdc = tmp_path / "theirs.qdc"
    qdc.write_text(
        '<?xml version="1.0" encoding="utf-8"?>'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="NVivo"><Codes>'
        '<Code guid="a0000000-0000-4000-8000-000000000001" name="Border violence" '
        'isCodable="true"/>'
        '<Code guid="a0000000-0000-4000-8000-000000000002" name="Human Rights" isCodable="true">'
        "<Description>Something else entirely.</Description></Code>"
        "</Codes></CodeBook>",
        encoding="utf-8",
    )
    code, out, _ = shell("import", "codebook", str(qdc), "--coder", "ana")
    assert code == 0
    assert out.splitlines()[0] == "theirs.qdc: 1 code added, 0 already there, 1 conflict"
    assert "conflict: 'Human Rights' matches the existing code 'human-rights'" in out
    assert shell("code", RIGHTS_000, "border violence")[0] == 0


# -- re-anchoring after the corpus changed -----------------------------------------------------


def test_a_coding_follows_its_quote_when_its_document_is_edited(
    shell: Shell, project: Path
) -> None:
    """Text inserted above a coded passage and the passage's own words changed: `coded` finds
    the quote again, says so on stderr, and quotes the new place; the next command is quiet."""
    shell("code", RIGHTS_003, "human-rights", "--coder", "ana", "--quote", "extrajudicial killings")
    path = next((project / "seeds").glob("003_*.txt"))
    text = path.read_text(encoding="utf-8")
    anchor = "Furthermore, issues related to human rights"
    assert anchor in text
    text = text.replace(
        anchor, "A paragraph added above.\n\nMoreover, issues related to human rights", 1
    )
    path.write_text(text, encoding="utf-8")
    code, out, err = shell("coded", "human-rights", "--json")
    assert code == 0
    coding = json.loads(out)["codings"][0]
    assert "the corpus changed since the last check: 1 moved" in err
    assert coding["status"] == "ok" and coding["passage_id"] != RIGHTS_003
    assert coding["quote"] == "extrajudicial killings"
    assert (
        "Moreover, issues related" in shell.json("search", "Moreover", "issues")["hits"][0]["text"]
    )
    _code, out, err = shell("coded", "human-rights")
    assert err == "" and "needs attention" not in out


def test_a_coding_whose_words_are_gone_is_kept_and_marked(shell: Shell, project: Path) -> None:
    """The coded words deleted from the file: the coding is kept with its quote, `coded` marks
    it needs-attention, `store check` counts it."""
    shell("code", RIGHTS_003, "human-rights", "--coder", "ana", "--quote", "extrajudicial killings")
    path = next((project / "seeds").glob("003_*.txt"))
    path.write_text(
        path.read_text(encoding="utf-8").replace("extrajudicial killings", "harm"), encoding="utf-8"
    )
    _code, out, err = shell("coded", "human-rights")
    assert "1 need attention" in err and "quote gone" in err
    assert "1. extrajudicial killings" in out and "⚠ needs attention" in out
    assert shell.json("store", "check")["needs_attention"] == 1


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("code", "ffffffffffff", "human-rights"), "No passage has the id 'ffffffffffff'"),
        (
            ("code", RIGHTS_000, "humanrihgts"),
            "There is no code 'humanrihgts'. Did you mean: human-rights? To create it, add --new.",
        ),
        (("coded", "nothing-like-it"), "There is no code 'nothing-like-it'"),
        (("coded", "human-rights", "--doc", "zzzz-no-such-doc"), "zzzz-no-such-doc"),
        (("collection", "paper two"), "There is no collection 'paper two'"),
        (
            ("memo", "nowhere-at-all-xyz", "text"),
            "'nowhere-at-all-xyz' is no passage, code or document",
        ),
        (("agreement", "human-rights", "ana", "nobody"), "Nobody called 'ana'"),
        (("undo", "--coder", "zed"), "You have no change left to undo."),
        (("uncode", "#99"), "There is no coding #99."),
    ],
)
def test_unknown_things_are_one_sentence_and_exit_1(
    shell: Shell, argv: tuple[str, ...], message: str
) -> None:
    """Unknown passage, code, document, collection, coder: a sentence on stderr, exit 1; the
    same as a JSON object with --json; no traceback."""
    code, out, err = shell(*argv)
    assert code == 1 and out == ""
    assert message in err and "Traceback" not in err
    code, out, _ = shell(*argv, "--json")
    assert code == 1 and json.loads(out)["code"] == 1 and message in json.loads(out)["error"]


def test_an_unknown_code_is_not_created_without_new(shell: Shell) -> None:
    """A typo does not become a code: nothing is created until --new is given."""
    before = len(shell.json("codes")["codes"])
    assert shell("code", RIGHTS_000, "corruptoin")[0] == 1
    assert len(shell.json("codes")["codes"]) == before
    code, out, _ = shell("code", RIGHTS_000, "Cartel finance", "--new", "--description", "money")
    assert code == 0 and out.startswith("created the code 'Cartel finance'\ncoded passage")
    assert len(shell.json("codes")["codes"]) == before + 1
    code, _, err = shell("code", RIGHTS_000, "cartel-finance", "--new")
    assert code == 1 and "already coded passage" in err


def test_someone_elses_coding_needs_admin(shell: Shell) -> None:
    """`uncode #n` of another coder's coding is refused unless --admin."""
    shell("code", RIGHTS_000, "training", "--coder", "ana")
    code, _, err = shell("uncode", "#1", "--coder", "ben")
    assert code == 1 and "belongs to ana" in err
    assert shell("uncode", "#1", "--coder", "ben", "--admin")[0] == 0


def test_a_long_markdown_memo_is_stored_as_is(shell: Shell) -> None:
    """A 10,000-character memo with markdown and a mention, from stdin, comes back unchanged."""
    text = ("**bold** _it_ <@123> @everyone `code`\n> quote\n" * 250)[:10_000]
    assert len(text) == 10_000
    code, _out, err = shell("memo", RIGHTS_000, "-", "--coder", "ana", stdin=text)
    assert code == 0, err
    shell("code", RIGHTS_000, "training", "--coder", "ana", "--memo", text)
    assert shell.json("coded", "training")["codings"][0]["memo"] == text
    with Store(shell.db) as store:
        assert store.memos(kind="passage")[0].text == text


@pytest.fixture
def existing(shell: Shell, db: Path) -> Path:
    """The database with one coding, closed."""
    assert shell("code", RIGHTS_000, "training", "--coder", "ana")[0] == 0
    return db


def _damaged(kind: str, path: Path) -> None:
    if kind == "corrupt":
        path.write_bytes(b"these are my notes, not a database\n" * 200)
    elif kind == "newer":
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
        conn.close()
    else:
        path.unlink()
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        conn.close()


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("corrupt", "it is not a readable database file"),
        ("newer", "written by a newer corpus-bot"),
        ("foreign", "a SQLite database of some other program"),
    ],
)
def test_an_unusable_database_is_refused_and_left_alone(
    shell: Shell, existing: Path, kind: str, words: str
) -> None:
    """Corrupt, newer-schema and foreign files: one sentence, exit 3 (JSON too), not a byte
    changed, for a reading command and a writing one alike."""
    _damaged(kind, existing)
    before = _digest(existing)
    for argv in (
        ("coded", "training"),
        ("code", RIGHTS_003, "training"),
        ("backup", str(existing) + ".bak"),
    ):
        code, out, err = shell(*argv)
        assert code == STORE_UNUSABLE and words in err and "Traceback" not in err
        assert _digest(existing) == before
    code, out, _ = shell("code", RIGHTS_003, "training", "--json")
    assert code == STORE_UNUSABLE and json.loads(out)["code"] == STORE_UNUSABLE


def test_a_locked_database_says_try_again_and_loses_nothing(shell: Shell, existing: Path) -> None:
    """While another program holds the write lock, `code` waits the busy timeout, then exits 75
    with a sentence; the coding goes through once the lock is released."""
    other = sqlite3.connect(existing, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        code, _out, err = shell("code", RIGHTS_003, "training", "--coder", "ana")
        assert code == STORE_BUSY and "kept it locked for more than 0.1 s" in err
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert shell("code", RIGHTS_003, "training", "--coder", "ana")[0] == 0
    assert shell.json("coded", "training")["total"] == 2


@pytest.fixture
def read_only(existing: Path) -> Iterator[Path]:
    """The database file made unwritable: immutable when running as root, else mode 0444."""
    with read_only_file(existing):
        yield existing


def test_a_read_only_database_is_refused_and_unchanged(shell: Shell, read_only: Path) -> None:
    """A read-only file: one sentence naming the permissions, exit 3, the file unchanged."""
    before = _digest(read_only)
    code, _out, err = shell("code", RIGHTS_003, "training")
    assert code == STORE_UNUSABLE and "it is read-only" in err and "Traceback" not in err
    assert _digest(read_only) == before


def test_export_refuses_to_write_over_the_database(shell: Shell, existing: Path) -> None:
    """`-o` naming the database itself is a usage error; the database is untouched."""
    before = _digest(existing)
    code, _, err = shell("export", "codings", "-o", str(existing))
    assert code == 2 and "is the team database itself" in err
    assert _digest(existing) == before


def test_a_memo_target_that_names_a_code_and_a_document_asks_which(shell: Shell) -> None:
    """ "US-Mexico Cooperation" is a theme and a document's title: refused until --on says which."""
    code, _, err = shell("memo", "US-Mexico Cooperation", "text", "--coder", "ana")
    assert code == 1 and "names the code 'us-mexico-cooperation' and the document 003_" in err
    assert (
        "on code us-mexico-cooperation"
        in shell("memo", "US-Mexico Cooperation", "t", "--on", "code")[1]
    )


def test_store_check_names_the_documents_removed_since(shell: Shell) -> None:
    """After `corpus-bot remove`, the removed document's coding is kept and flagged, and
    `store check` names the document the corpus no longer has."""
    shell("code", RIGHTS_003, "human-rights", "--coder", "ana")
    assert shell("remove", "003")[0] == 0
    code, out, err = shell("store", "check", "--json")
    report = json.loads(out)
    assert code == 0 and "document gone" in err
    assert report["unknown_documents"] == ["003_121f44817b1ca664"]
    assert report["needs_attention"] == 1 and report["ok"]
    assert "⚠ needs attention" in shell("coded", "human-rights")[1]


def test_store_check_on_a_damaged_index_exits_3(shell: Shell, existing: Path) -> None:
    """An index out of step with its table (the file still opens): `store check` prints
    SQLite's finding under "integrity: DAMAGED" and exits 3; a sound file exits 0."""
    assert shell("store", "check")[0] == 0
    conn = sqlite3.connect(existing, isolation_level=None)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = 'CREATE INDEX codings_by_doc ON codings (doc_id, quote)' "
        "WHERE name = 'codings_by_doc'"
    )
    conn.close()
    code, out, err = shell("store", "check")
    assert code == STORE_UNUSABLE and "Traceback" not in err
    assert "integrity: DAMAGED\n  row 1 missing from index codings_by_doc" in out
