"""The console offers the team commands, as the local user, on the same database as the bot."""

from __future__ import annotations

import dataclasses
import getpass
import io
import zipfile
from pathlib import Path

import pytest

from bot.console import UsageError, parse_command, run_console
from bot.settings import Settings, StoreSettings
from bot.store import Store


def session(settings: Settings, lines: list[str]) -> str:
    out = io.StringIO()
    assert run_console(settings, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out) == 0
    return out.getvalue()


def with_store(settings: Settings, path: Path) -> Settings:
    return dataclasses.replace(settings, store=StoreSettings(path=str(path)))


def test_code_coded_memo_and_export_as_the_local_user(settings: Settings, tmp_path: Path) -> None:
    """/code, /coded, /memo, /passage (memo shown) and /export in one console session; the
    coder is the local user name, and the exported project holds the coding."""
    pid = "000¶3"
    out = session(
        with_store(settings, tmp_path / "team.sqlite3"),
        [
            f"/code {pid} code:human-rights",
            "/coded human-rights",
            f"/memo {pid} text:Compare **this** with @everyone",
            f"/passage {pid}",
            f"/export project qdpx file:{tmp_path / 'out.qdpx'}",
        ],
    )
    user = getpass.getuser()
    assert "Coded as **human-rights**" in out
    assert f"— {user}," in out
    assert "Your memo on passage" in out and "Memos (1)" in out
    assert "Compare **this** with @everyone" in out  # the terminal shows it as typed
    assert "Wrote" in out and "1 codings" in out
    assert "project.qde" in zipfile.ZipFile(tmp_path / "out.qdpx").namelist()
    with Store(tmp_path / "team.sqlite3") as store:
        [coding] = store.codings()
    assert coding.coder_key == f"local:{user}"


def test_a_new_code_needs_create_yes(settings: Settings, tmp_path: Path) -> None:
    """An unknown code is not created by a typo: the console says how to create it."""
    path = tmp_path / "team.sqlite3"
    out = session(with_store(settings, path), ["/code 000¶3 code:Field notes"])
    assert "There is no code 'Field notes' yet" in out and "create:yes" in out
    out = session(with_store(settings, path), ["/code 000¶3 code:Field notes create:yes"])
    assert "Created the code **Field notes**" in out


def test_an_unusable_database_leaves_the_console_searching(
    settings: Settings, tmp_path: Path
) -> None:
    """A corrupt database: one warning at start, searches answer, team commands explain."""
    path = tmp_path / "team.sqlite3"
    path.write_bytes(b"not a database" * 100)
    before = path.read_bytes()
    out = session(with_store(settings, path), ["/search police", "/codes"])
    assert out.count("warning: The team database") == 1
    assert "Search: police" in out
    assert "it is not a readable database file" in out and "Search and reading still work" in out
    assert path.read_bytes() == before


def test_team_commands_need_their_options() -> None:
    """/code needs both a passage and a code; /agreement needs a code and two coders."""
    assert parse_command("/code abc code:x") == ("code", {"passage": "abc", "code": "x"})
    assert parse_command("/export project qdpx") == (
        "export",
        {"what": "project", "format": "qdpx"},
    )
    for line, missing in (("/code abc", "code"), ("/agreement x coder_a:a", "coder_b")):
        try:
            parse_command(line)
        except UsageError as exc:
            assert f"needs {missing}" in str(exc)
        else:
            raise AssertionError(f"{line} was accepted")


def test_a_system_without_a_user_name_codes_as_local(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where `getpass.getuser()` raises (a bare container), the console starts and codes as
    "local" instead of dying with a traceback (the CLI's rule)."""

    def no_user() -> str:
        raise OSError("No username set in the environment")

    monkeypatch.setattr("getpass.getuser", no_user)
    out = session(
        with_store(settings, tmp_path / "team.sqlite3"), ["/code 000¶3 code:human-rights"]
    )
    assert "Coded as **human-rights**" in out
    with Store(tmp_path / "team.sqlite3") as store:
        [coding] = store.codings()
    assert coding.coder_key == "local:local"
