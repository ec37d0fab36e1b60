"""The limits checker finds every way a message body breaks Discord's rules."""

from __future__ import annotations

from bot.rendering import limits


def _embed(**kw: object) -> dict:
    return {"title": "t", "description": "d", **kw}


def test_a_good_message_has_no_problems() -> None:
    body = {
        "content": "hi",
        "embeds": [_embed(fields=[{"name": "n", "value": "v"}], footer={"text": "f"})],
        "components": [{"type": 1, "components": [{"type": 2, "label": "Next", "custom_id": "x"}]}],
        "allowed_mentions": {"parse": []},
    }
    assert limits.check_message(body) == []
    assert limits.check_message({"type": 4, "data": body}) == []
    assert limits.safety_problems(body) == []


def test_each_size_limit_is_reported() -> None:
    body = {
        "content": "x" * 2001,
        "embeds": [
            _embed(
                title="t" * 257,
                description="d" * 4097,
                fields=[{"name": "n" * 257, "value": "v" * 1025}]
                + [{"name": "a", "value": "b"}] * 25,
                footer={"text": "f" * 2049},
            )
        ]
        * 11,
    }
    problems = " | ".join(limits.check_message(body))
    for expected in (
        "content has 2001 chars",
        "11 embeds",
        "embed 0 title has 257",
        "embed 0 description has 4097",
        "embed 0 has 26 fields",
        "field 0 name has 257",
        "field 0 value has 1025",
        "footer has 2049",
        "embeds hold",
    ):
        assert expected in problems


def test_component_limits_are_reported() -> None:
    button = {"type": 2, "label": "l" * 81, "custom_id": "c" * 101}
    select = {"type": 3, "custom_id": "s", "options": [{"label": "o" * 101, "value": "v"}] * 26}
    rows = [{"type": 1, "components": [button] * 6}, {"type": 1, "components": [select, button]}]
    problems = " | ".join(limits.check_components(rows * 3))
    for expected in (
        "6 action rows",
        "6 buttons",
        "label has 81",
        "custom_id has 101",
        "26 options",
        "option 0 label has 101",
        "mixes a select",
    ):
        assert expected in problems


def test_autocomplete_and_command_rules() -> None:
    assert limits.check_message({"type": 8, "data": {"choices": [{"name": "", "value": "x"}] * 26}})
    command = {
        "name": "Bad Name",
        "description": "",
        "options": [{"name": "ok", "description": "x" * 101}],
    }
    problems = " | ".join(limits.check_command(command))
    assert "not a lowercase" in problems and "description has 0" in problems
    assert "/Bad Name ok: description has 101" in problems
    assert limits.check_command({"name": "passage_id", "description": "d"}) == []


def test_safety_finds_live_mentions_and_broken_markup() -> None:
    body = {
        "content": "@everyone <@123>",
        "embeds": [_embed(description="**open and _stray")],
        "allowed_mentions": {"parse": ["everyone"]},
    }
    problems = " | ".join(limits.safety_problems(body))
    assert "allowed_mentions lets mentions through" in problems
    assert "content holds a live mention" in problems
    assert "unbalanced **" in problems and "unescaped '_'" in problems


def test_markdown_problems_ignores_escapes_code_and_links() -> None:
    assert limits.markdown_problems(r"\*\_ `a_b` https://x.org/a_b **ok**") == []
    assert limits.markdown_problems("```bibtex\n@misc{a_b, note = {~*}}\n```") == []
    assert limits.markdown_problems("```\nopen block, then a_b") != []
