"""Importing a codebook (.qdc) another tool wrote: merged into the codes, conflicts named."""

from __future__ import annotations

import pytest

from bot.exports import read_qdc
from bot.store import Actor, CodebookEntry, CodebookImportError, Store

# A codebook as ATLAS.ti / QualCoder write one: a category holding codes, colours, descriptions.
FOREIGN = b"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Another tool">
  <Codes>
    <Code guid="7a3b2c1d-0000-4000-8000-000000000001" name="Security" isCodable="false">
      <Description>A category, not a code.</Description>
      <Code guid="7a3b2c1d-0000-4000-8000-000000000002" name="Human Rights" isCodable="true"
            color="#aa0000"><Description>Theirs.</Description></Code>
      <Code guid="7a3b2c1d-0000-4000-8000-000000000003" name="Militarization" isCodable="true">
        <Code guid="7a3b2c1d-0000-4000-8000-000000000004" name="Troops in streets"
              isCodable="true"/>
      </Code>
    </Code>
    <Code guid="7a3b2c1d-0000-4000-8000-000000000005" name="corruption" isCodable="true"/>
    <Code guid="7a3b2c1d-0000-4000-8000-000000000006" name="CORRUPTION" isCodable="true"/>
  </Codes>
</CodeBook>
"""


def test_read_qdc_flattens_nested_codes_and_skips_categories() -> None:
    """Codable codes at any depth are read; a non-codable category is not a code."""
    entries = read_qdc(FOREIGN)
    assert [e.name for e in entries] == [
        "Human Rights",
        "Militarization",
        "Troops in streets",
        "corruption",
        "CORRUPTION",
    ]
    assert entries[0] == CodebookEntry("Human Rights", "Theirs.", "#aa0000")


def test_import_merges_new_codes_and_names_conflicts(tmp_path: object) -> None:
    """New codes are added (origin import); same-name codes stay; clashes are named."""
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    with Store(tmp_path / "db.sqlite3") as store:
        store.sync_codebook([CodebookEntry("human-rights", "Ours."), CodebookEntry("corruption")])
        report = store.import_codebook(read_qdc(FOREIGN), Actor.local("ann"))
        assert report.added == ("Militarization", "Troops in streets")
        assert report.unchanged == ("corruption",)
        assert len(report.conflicts) == 2
        assert "'Human Rights' matches the existing code 'human-rights'" in report.conflicts[0]
        assert "'CORRUPTION' skipped: it repeats 'corruption'" in report.conflicts[1]
        assert store.get_code("human rights").description == "Ours."
        assert store.get_code("troops in streets").origin == "import"
        assert store.audit(limit=1)[0].actor_key == "local:ann"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not xml at all", "not well-formed XML"),
        (b"<Other xmlns='urn:x'/>", "not a REFI-QDA codebook"),
        (
            b'<!DOCTYPE x [<!ENTITY a "aaaa">]><CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>',
            "DOCTYPE",
        ),
        (b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>', "no codable code"),
        (b'<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>', "holds no codebook"),
    ],
)
def test_a_bad_codebook_file_is_a_clear_error(data: bytes, message: str) -> None:
    """Malformed, foreign, entity-laden or empty files are refused with the reason."""
    with pytest.raises(CodebookImportError, match=message) as err:
        read_qdc(data, "team.qdc")
    assert str(err.value).startswith("The codebook team.qdc cannot be imported: ")


def test_a_project_file_codebook_is_read_too() -> None:
    """The CodeBook inside a project.qde (project namespace) is read like a .qdc."""
    data = (
        FOREIGN.replace(b"urn:QDA-XML:codebook:1.0", b"urn:QDA-XML:project:1.0")
        .replace(
            b'<CodeBook xmlns="urn:QDA-XML:project:1.0" origin="Another tool">',
            b'<Project xmlns="urn:QDA-XML:project:1.0" name="p"><CodeBook>',
        )
        .replace(b"</CodeBook>", b"</CodeBook></Project>")
    )
    assert len(read_qdc(data)) == 5
