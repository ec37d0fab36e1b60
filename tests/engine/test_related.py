"""Related passages: the passage's own words as a query, answered from the other documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import UnknownPassage, Workspace
from bot.engine.related import QUERY_TERMS, passage_query, related_passages
from tests.engine.reading_corpora import EXTRAJUDICIAL, US_MEXICO_HR, make_workspace

CORRUPTION_001 = "e117fae3f682"  # 001 ¶8, "Corruption within security forces"
CORRUPTION_004 = "947b9fcd54fe"  # 004 ¶8, corruption within police and military ranks
GLACIERS = {
    "andes.txt": (
        "Andes Field Report\n\n"
        "Glaciers in the Andes are melting faster each decade, and meltwater lakes grow behind "
        "moraines.\n\n"
        "The Andes glaciers feed rivers that cities depend on; melting glaciers mean dry summers "
        "later.\n\n"
        "Llama herders in the high valleys sell wool at the Saturday market in the old town.\n"
    ),
    "alps.txt": (
        "Alps Notes\n\n"
        "Alpine glaciers are melting too, and meltwater lakes behind moraines worry the valley "
        "towns.\n\n"
        "Cheese makers in the Alps sell their wheels at the autumn fair held in the village "
        "square.\n"
    ),
    "sea.txt": (
        "Sea Notes\n\n"
        "Fishing boats leave the harbour before dawn and return with sardines for the market.\n"
    ),
}


def test_extrajudicial_killings_lead_to_the_us_mexico_human_rights_passage(
    seeds_workspace: Workspace,
) -> None:
    """Related to 000's extrajudicial killings: 003's passage on the same abuses comes first.

    Regression check: the query size (15 heaviest terms) was tuned on the seeds (b10a0b8).
    """
    hits = related_passages(seeds_workspace.engine, EXTRAJUDICIAL)
    assert hits[0].passage.id == US_MEXICO_HR
    assert "extrajudicial killings" in hits[0].passage.text


def test_corruption_passage_finds_corruption_elsewhere(seeds_workspace: Workspace) -> None:
    """Related to 001's corruption section: 004's corruption in the ranks, then 003's.

    Regression check: the query size (15 heaviest terms) was tuned on the seeds (b10a0b8).
    """
    hits = related_passages(seeds_workspace.engine, CORRUPTION_001, top=3)
    assert hits[0].passage.id == CORRUPTION_004
    assert all("corruption" in h.passage.text.casefold() for h in hits[:2])


def test_never_the_same_document(seeds_workspace: Workspace) -> None:
    """Every related hit comes from another document, once, ranked 1..n, at most top."""
    for pid in (EXTRAJUDICIAL, CORRUPTION_001, US_MEXICO_HR):
        origin = seeds_workspace.engine.passage(pid)
        hits = related_passages(seeds_workspace.engine, pid, top=8)
        assert 0 < len(hits) <= 8
        assert all(h.passage.doc_id != origin.doc_id for h in hits)
        assert len({h.passage.id for h in hits}) == len(hits)
        assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_hits_read_like_search_hits(seeds_workspace: Workspace) -> None:
    """Snippet from the passage, highlighted words among the query's, same JSON as search."""
    hit = related_passages(seeds_workspace.engine, EXTRAJUDICIAL, top=1)[0]
    query = passage_query(seeds_workspace.engine, seeds_workspace.engine.passage(EXTRAJUDICIAL))
    assert hit.snippet.text in hit.passage.text
    assert set(hit.contributions) <= set(query) and hit.contributions
    assert set(hit.to_json()) == set(seeds_workspace.engine.search("torture").hits[0].to_json())


def test_the_query_is_the_passages_heaviest_terms(seeds_workspace: Workspace) -> None:
    """At most QUERY_TERMS terms, scaled to 1, its distinctive words in, the same every time."""
    passage = seeds_workspace.engine.passage(EXTRAJUDICIAL)
    query = passage_query(seeds_workspace.engine, passage)
    assert len(query) == QUERY_TERMS
    assert max(query.values()) == 1.0
    assert {"extrajudici", "tortur", "detent"} <= set(query)
    assert query == passage_query(seeds_workspace.engine, passage)


def test_unknown_id_raises(seeds_workspace: Workspace) -> None:
    """A mistyped id raises UnknownPassage with its friendly message."""
    with pytest.raises(UnknownPassage, match="No passage has the id 'nope'"):
        related_passages(seeds_workspace.engine, "nope")


def test_made_up_corpus_follows_the_idea_across_documents(tmp_path: Path) -> None:
    """Melting glaciers in the Andes → melting glaciers in the Alps, not the Andes' own passages."""
    engine = make_workspace(tmp_path, GLACIERS).engine
    first = engine.corpus.passages_of("andes")[0]
    hits = related_passages(engine, first.id)
    assert hits[0].passage.doc_id == "alps"
    assert hits[0].passage.text.startswith("Alpine glaciers are melting")
    assert all(h.passage.doc_id != "andes" for h in hits)


def test_copies_are_not_related_passages(tmp_path: Path) -> None:
    """A passage copied into another document is itself, not a related passage, both ways."""
    copied = GLACIERS["alps.txt"].split("\n\n")[1]
    files = dict(GLACIERS, **{"copy.txt": "Copy Notes\n\n" + copied + "\n"})
    engine = make_workspace(tmp_path, files).engine
    original = engine.corpus.passages_of("alps")[0]
    copy = engine.corpus.passages_of("copy")[0]
    assert copy.duplicate_of == original.id
    assert copy.id not in {h.passage.id for h in related_passages(engine, original.id)}
    assert original.id not in {h.passage.id for h in related_passages(engine, copy.id)}


def test_a_single_document_has_no_related_passages(tmp_path: Path) -> None:
    """With one document, nothing else to relate to: an empty answer, no error."""
    engine = make_workspace(tmp_path, {"andes.txt": GLACIERS["andes.txt"]}).engine
    assert related_passages(engine, engine.corpus.passages_of("andes")[0].id) == ()
