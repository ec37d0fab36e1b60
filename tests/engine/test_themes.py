"""Themes: the codebook, its validation, theme passages, the overview table."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import EngineError, UnknownTheme, Workspace
from bot.engine.analysis import Analyzer
from bot.engine.codebook import load_codebook
from bot.engine.themes import ThemeMatcher, themes_overview
from bot.engine.wording import short_labels
from bot.rendering.terminal import BAR_GLYPHS, bar, overview_text, theme_text
from bot.settings import ConfigError
from tests.conftest import ROOT
from tests.engine.reading_corpora import (
    CIVIL_SOCIETY_HR,
    DOC_000,
    DOC_001,
    DOC_002,
    DOC_003,
    DOC_004,
    DRUG_ABUSE,
    EXTRAJUDICIAL,
    HR_CONCERNS,
    US_MEXICO_HR,
    make_workspace,
    theme_of,
)

CODEBOOK = ROOT / "config" / "themes.yaml"
REQUIRED = {
    "human-rights",
    "corruption",
    "accountability-transparency",
    "drug-trafficking",
    "us-mexico-cooperation",
    "militarization",
    "technology",
    "community-engagement",
    "training",
    "intelligence-sharing",
    "legal-framework",
    "root-causes",
}
TINY_THEMES = """
themes:
  - name: water-rights
    label: Water rights
    description: Who may take water from the river.
    terms: [irrigation]
    phrases: [water rights]
  - name: legal
    label: Legal matters
    terms: [law]
    exclude: [law enforcement]
"""
TINY_DOCS = {
    "a.txt": (
        "River Notes\n\n"
        "The farmers went to the district court over their water rights on the north bank.\n\n"
        "Villagers in the southern hills asked the council for irrigation before the summer.\n"
    ),
    "b.txt": (
        "Town Notes\n\n"
        "Law enforcement officers patrolled the market square every night of the long winter.\n\n"
        "The new law on market stalls takes effect early next spring, the town clerk said.\n"
    ),
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return make_workspace(tmp_path_factory.mktemp("tiny"), TINY_DOCS, TINY_THEMES)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "themes.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# -- the codebook -------------------------------------------------------------------------------


def test_shipped_codebook_has_the_required_themes() -> None:
    """config/themes.yaml loads and holds the twelve themes the team asked for, each described."""
    book = load_codebook(CODEBOOK)
    assert {t.name for t in book.themes} >= REQUIRED
    for theme in book.themes:
        assert theme.label and theme.description and theme.terms


def test_engine_lists_the_codebook(seeds_workspace: Workspace) -> None:
    """The workspace holds the codebook in file order (for autocomplete)."""
    names = [t.name for t in seeds_workspace.require_codebook().themes]
    assert names[0] == "human-rights" and set(names) >= REQUIRED


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "themes:\n  - {name: a, label: A, terms: [x], colour: red}\n",
            "theme 'a': unknown key 'colour'",
        ),
        (
            "themes:\n  - {name: a, label: A, terms: []}\n",
            "theme 'a': terms: expected a non-empty list of words",
        ),
        (
            "themes:\n  - {name: a, label: A, phrases: [x y]}\n",
            "theme 'a': terms: expected a non-empty list of words",
        ),
        (
            "themes:\n  - {name: a, label: A, terms: [fox]}\n"
            "  - {name: a, label: B, terms: [owl]}\n",
            "theme 'a' is defined twice (themes[0] and themes[1])",
        ),
        (
            "themes:\n  - {name: Human Rights, label: A, terms: [x]}\n",
            "themes[0]: name: expected a slug like 'human-rights'",
        ),
        (
            "themes:\n  - {name: a, label: A, terms: [the]}\n",
            "theme 'a': terms: 'the' has no searchable word",
        ),
        ("themes:\n  - {name: a, terms: [x]}\n", "theme 'a': label: expected a non-empty string"),
        (
            "themes:\n  - {name: a, label: A, terms: torture}\n",
            "theme 'a': terms: expected a list of strings",
        ),
        ("themes: []\n", "themes: expected a non-empty list of themes"),
        ("- name: a\n", "expected a mapping with one key, 'themes'"),
        ("themes: [\n", "not valid YAML"),
    ],
)
def test_a_broken_codebook_names_the_file_and_the_theme(
    tmp_path: Path, text: str, expected: str
) -> None:
    """Validation errors say which file, which theme and what was expected."""
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_codebook(path)
    assert str(err.value).startswith(f"{path}: ")
    assert expected in str(err.value)


def test_missing_codebook_is_a_config_error(tmp_path: Path) -> None:
    """No themes file: a ConfigError naming the path, raised when themes are first used."""
    ws = make_workspace(tmp_path, TINY_DOCS)
    with pytest.raises(ConfigError, match=r"themes\.yaml: theme codebook not found"):
        theme_of(ws, "legal")
    assert ws.engine.search("law").hits  # search does not need the codebook


# -- scoring on a made-up corpus ----------------------------------------------------------------


def test_phrases_count_more_than_loose_words(tiny: Workspace) -> None:
    """ "water rights" (a phrase) outranks "irrigation" (a term) in otherwise equal passages."""
    result = theme_of(tiny, "water-rights")
    assert [h.passage.ordinal for h in result.hits] == [1, 2]
    assert result.hits[0].score > result.hits[1].score
    assert "water rights" in result.hits[0].passage.text


def test_excluded_expressions_do_not_count(tiny: Workspace) -> None:
    """ "law" counts for legal, but not inside "law enforcement"."""
    result = theme_of(tiny, "legal")
    assert [h.passage.text[:12] for h in result.hits] == ["The new law "]
    assert result.by_doc == {"a": 0, "b": 1} and result.total == 1


def test_matcher_masks_exclusions_and_does_not_double_count() -> None:
    """A phrase consumes its words; a term inside an excluded expression is not counted."""
    analyzer = Analyzer()
    book = load_codebook(CODEBOOK, analyzer)
    matcher = ThemeMatcher.compile(book.find("human-rights"), analyzer)
    found = matcher.count(analyzer.terms("Human rights abuses, and drug abuse, and more abuses."))
    assert found == {("human", "right"): 1, "abus": 2}


# -- the seed corpus ----------------------------------------------------------------------------


def test_human_rights_first_returns_the_passages_about_human_rights(
    seeds_workspace: Workspace,
) -> None:
    """/theme human-rights: extrajudicial killings first, then each document's rights concerns.

    Regression check: the codebook and theme scoring were tuned on these seeds (dc90583).
    """
    result = theme_of(seeds_workspace, "human-rights", top=10)
    ids = [h.passage.id for h in result.hits]
    assert set(ids[:2]) == {EXTRAJUDICIAL, US_MEXICO_HR}
    assert {HR_CONCERNS, CIVIL_SOCIETY_HR} <= set(ids[:7])
    sections = [h.passage.section for h in result.hits]
    assert sections.count("Human rights concerns") >= 3
    assert {h.passage.doc_id for h in result.hits} >= {DOC_000, DOC_001, DOC_003}
    assert all(
        any(w in h.passage.text.casefold() for w in ("human rights", "abuse", "civil", "torture"))
        for h in result.hits
    )


def test_by_doc_counts_passages_touching_the_theme(seeds_workspace: Workspace) -> None:
    """by_doc has every document (zero included) and adds up to the total."""
    result = theme_of(seeds_workspace, "human-rights")
    assert list(result.by_doc) == [DOC_000, DOC_001, DOC_002, DOC_003, DOC_004]
    assert result.by_doc[DOC_004] == 0 and result.by_doc[DOC_000] >= 10
    assert sum(result.by_doc.values()) == result.total
    assert result.documents_touching == 4


def test_drug_abuse_is_not_a_human_rights_passage(seeds_workspace: Workspace) -> None:
    """The codebook's exclusion: "drug abuse" does not make a passage about human rights."""
    hits = theme_of(seeds_workspace, "human-rights", top=50).hits
    assert DRUG_ABUSE not in {h.passage.id for h in hits}
    assert theme_of(seeds_workspace, "human-rights").by_doc[DOC_002] == 1


def test_theme_hits_read_like_search_hits(seeds_workspace: Workspace) -> None:
    """Same Hit type and JSON as search: snippet, highlights, source, ranks 1..n."""
    result = theme_of(seeds_workspace, "corruption", top=4)
    search_keys = set(seeds_workspace.engine.search("corruption").hits[0].to_json())
    assert [h.rank for h in result.hits] == [1, 2, 3, 4]
    for hit in result.hits:
        assert set(hit.to_json()) == search_keys
        assert hit.snippet.text in hit.passage.text
        assert hit.highlights and hit.source.doc_id == hit.passage.doc_id
    data = result.to_json()
    assert data["theme"] == "corruption" and data["by_doc"][DOC_000] == 0
    assert len(data["hits"]) == 4


def test_theme_names_forgive_case_spaces_and_labels(seeds_workspace: Workspace) -> None:
    """ "Human rights", "HUMAN-RIGHTS" and the label all find human-rights."""
    for name in ("Human rights", "HUMAN-RIGHTS", " human rights "):
        assert theme_of(seeds_workspace, name).theme.name == "human-rights"
    assert theme_of(seeds_workspace, "US–Mexico cooperation").theme.name == "us-mexico-cooperation"


def test_unknown_theme_suggests_names_and_a_search(seeds_workspace: Workspace) -> None:
    """A typo raises UnknownTheme with the closest names and offers a search."""
    with pytest.raises(UnknownTheme) as err:
        theme_of(seeds_workspace, "human rigts")
    assert isinstance(err.value, EngineError)
    assert err.value.suggestions[0] == "human-rights"
    assert str(err.value) == (
        "No theme 'human rigts'. Did you mean human-rights? Or search for it: /search human rigts"
    )
    with pytest.raises(UnknownTheme, match=r"^No theme 'zzzz'\. Or search for it: /search zzzz$"):
        theme_of(seeds_workspace, "zzzz")


def test_top_is_bounded(seeds_workspace: Workspace) -> None:
    """top=0 still gives one hit; a huge top is capped at search.max_top."""
    assert len(theme_of(seeds_workspace, "drug-trafficking", top=0).hits) == 1
    assert len(theme_of(seeds_workspace, "drug-trafficking", top=500).hits) == 50


def test_theme_answers_are_deterministic(seeds_workspace: Workspace, settings: object) -> None:
    """A freshly built engine gives the same theme hits in the same order."""
    again = Workspace.load(settings)  # type: ignore[arg-type]
    for name in ("human-rights", "training"):
        a, b = theme_of(seeds_workspace, name), theme_of(again, name)
        assert [(h.passage.id, h.score) for h in a.hits] == [
            (h.passage.id, h.score) for h in b.hits
        ]


def test_text_output_labels_documents(seeds_workspace: Workspace) -> None:
    """theme_text says where the theme is ("in 4 of 5 documents") and cites each hit."""
    text = theme_text(theme_of(seeds_workspace, "human-rights", top=3))
    assert text.startswith("Human rights (human-rights) — ")
    assert "in 4 of 5 documents" in text and "By document: 000 " in text
    assert "\n1. " in text and "¶32" in text


def test_a_theme_nothing_touches(tmp_path: Path) -> None:
    """No passage matches: no hits, zero counts, and a message."""
    ws = make_workspace(
        tmp_path,
        TINY_DOCS,
        TINY_THEMES.replace("[irrigation]", "[glacier]").replace("[water rights]", "[ice sheet]"),
    )
    result = theme_of(ws, "water-rights")
    assert result.hits == () and result.total == 0
    assert result.message == "No passage of the corpus speaks to Water rights."


# -- the overview -------------------------------------------------------------------------------


def test_overview_counts_every_theme_in_every_document(seeds_workspace: Workspace) -> None:
    """Counts match each theme's by_doc; 000 never mentions corruption, 001 does most.

    The per-document counts are a regression check on the codebook tuned on the seeds (dc90583).
    """
    overview = themes_overview(seeds_workspace.themes())
    assert [t.name for t in overview.themes] == [
        t.name for t in seeds_workspace.require_codebook().themes
    ]
    for theme in overview.themes:
        assert overview.counts[theme.name] == theme_of(seeds_workspace, theme.name).by_doc
    corruption = overview.counts["corruption"]
    assert corruption[DOC_000] == 0 and max(corruption, key=corruption.__getitem__) == DOC_001
    assert overview.shares["corruption"][DOC_001] == corruption[DOC_001] / 55


def test_overview_text_fits_a_discord_message(seeds_workspace: Workspace) -> None:
    """The table has a row per theme, a column per document, and stays under 2,000 characters."""
    text = overview_text(themes_overview(seeds_workspace.themes()))
    assert len(text) < 2000
    lines = text.splitlines()
    assert lines[0].split() == ["000", "001", "002", "003", "004"]
    assert lines[1].startswith("human-rights") and lines[1].split()[-1] == "·"
    assert "003 US-Mexico Cooperation in Fighting Organized Crime" in text
    json = themes_overview(seeds_workspace.themes()).to_json()
    assert json["documents"][0]["label"] == "000" and len(json["themes"]) == len(lines[1:13])


def test_bar_glyphs_grow_with_the_share() -> None:
    """Zero is blank, anything above zero shows, 50 % and more is a full block."""
    assert bar(0.0) == BAR_GLYPHS[0]
    assert bar(0.001) == BAR_GLYPHS[1]
    assert bar(0.25) == BAR_GLYPHS[4]
    assert bar(0.5) == bar(1.0) == BAR_GLYPHS[-1]


def test_short_labels_stay_unique() -> None:
    """Document labels: the id's head before "_", or the shortest unique prefix."""
    assert short_labels(["000_ab", "001_cd"]) == {"000_ab": "000", "001_cd": "001"}
    assert short_labels(["report-a", "report-b"]) == {
        "report-a": "report-a",
        "report-b": "report-b",
    }
    assert short_labels(["x_1", "x_2"]) == {"x_1": "x_1", "x_2": "x_2"}


def test_autocomplete_matches_names_and_labels(seeds_workspace: Workspace) -> None:
    """The codebook's fuzzy match finds themes by name or label; empty text lists them all."""
    book = seeds_workspace.require_codebook()
    assert book.match("human")[0].name == "human-rights"
    assert book.match("drug")[0].name == "drug-trafficking"
    assert book.match("Intelligence")[0].name == "intelligence-sharing"
    assert [t.name for t in book.match("", limit=3)] == [t.name for t in book.themes[:3]]
