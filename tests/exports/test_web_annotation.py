"""W3C Web Annotation JSON: one annotation per coding with quote and position selectors."""

from __future__ import annotations

import json
from typing import Any

from bot.exports import web_annotations
from bot.store import CorpusText, Snapshot


def _load(snapshot: Snapshot, corpus: CorpusText) -> dict[str, Any]:
    return json.loads(web_annotations(snapshot.codings, corpus).decode("utf-8"))


def test_one_annotation_per_coding_in_a_collection(snapshot: Snapshot, corpus: CorpusText) -> None:
    """An AnnotationCollection with the W3C context, its page holding one item per coding."""
    doc = _load(snapshot, corpus)
    assert doc["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["type"] == "AnnotationCollection" and doc["total"] == len(snapshot.codings)
    items = doc["first"]["items"]
    assert doc["first"]["type"] == "AnnotationPage" and len(items) == len(snapshot.codings)
    assert len({i["id"] for i in items}) == len(items)
    assert all(i["type"] == "Annotation" and i["motivation"] == "tagging" for i in items)
    first = items[0]
    assert first["body"][0] == {
        "type": "TextualBody",
        "purpose": "tagging",
        "value": "human-rights",
    }
    assert first["body"][1]["purpose"] == "commenting" and first["body"][1]["value"] == (
        "**why** <@123>"
    )
    assert first["creator"] == {
        "id": "urn:corpus-bot:user:local:alice",
        "type": "Person",
        "name": "alice",
    }
    assert first["target"]["source"] == "urn:corpus-bot:document:alpha"


def test_selectors_match_the_document_text(snapshot: Snapshot, corpus: CorpusText) -> None:
    """exact == text[start:end]; prefix and suffix are the text around it."""
    checked = 0
    for item, coding in zip(
        _load(snapshot, corpus)["first"]["items"], snapshot.codings, strict=True
    ):
        selectors = {s["type"]: s for s in item["target"]["selector"]}
        quote = selectors["TextQuoteSelector"]
        assert quote["exact"] == coding.quote
        if "TextPositionSelector" not in selectors:
            continue
        text = corpus.text(coding.doc_id)
        start, end = (
            selectors["TextPositionSelector"]["start"],
            selectors["TextPositionSelector"]["end"],
        )
        assert text[start:end] == quote["exact"]
        assert text[:start].endswith(quote["prefix"]) and text[end:].startswith(quote["suffix"])
        assert len(quote["prefix"]) == min(32, start)
        checked += 1
    assert checked == 5


def test_a_coding_whose_quote_is_gone_keeps_only_its_quote(
    snapshot: Snapshot, corpus: CorpusText
) -> None:
    """Needs-attention and removed-document codings carry the quote but no stale positions."""
    items = _load(snapshot, corpus)["first"]["items"]
    quote_only = [i for i in items if len(i["target"]["selector"]) == 1]
    assert len(quote_only) == 2
    assert {i["target"]["selector"][0]["exact"] for i in quote_only} == {
        "reported extrajudicial killings",
        "This document will be removed from the corpus before the export.",
    }


def test_same_codings_same_bytes(snapshot: Snapshot, corpus: CorpusText) -> None:
    """The JSON is deterministic."""
    assert web_annotations(snapshot.codings, corpus) == web_annotations(snapshot.codings, corpus)


def test_no_codings_is_an_empty_collection(corpus: CorpusText) -> None:
    """With nothing coded the file is still valid JSON: a collection of zero annotations."""
    doc = json.loads(web_annotations([], corpus))
    assert doc["total"] == 0 and doc["first"]["items"] == []
