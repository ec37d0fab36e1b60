"""Trend: occurrences per 10,000 words per document, per section, and per date, hand-counted."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from bot.engine import UnknownDocument, Workspace
from bot.engine import occurrences as occurrences_module
from bot.engine import trend as trend_module
from bot.engine.kwic import concordance
from bot.engine.trend import date_key, trend
from tests.engine.explore_corpora import kwic_workspace


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return kwic_workspace(tmp_path)


def with_dates(ws: Workspace, dates: dict[str, object]) -> None:
    """Give documents dates, as the metadata (or the sidecar) would; any form trend accepts."""
    docs = ws.engine.corpus.documents
    for doc_id, date in dates.items():
        docs[doc_id] = dataclasses.replace(docs[doc_id], date=date)  # type: ignore[arg-type]


def test_per_document_relative_frequency(ws: Workspace) -> None:
    """'merida': a 4 in 35 words (1,142.86 per 10k), b 1 in 17 (588.24), c 0 in 13."""
    result = trend(ws.engine, "merida")
    assert [(p.key, p.count, p.words) for p in result.points] == [
        ("a", 4, 35),
        ("b", 1, 17),
        ("c", 0, 13),
    ]
    assert [round(p.per_10k, 2) for p in result.points] == [1142.86, 588.24, 0.0]
    assert (result.total, result.words) == (5, 65)
    assert result.kind == "word" and result.by == "document" and result.dates == ()


def test_agrees_with_kwic_on_every_count(ws: Workspace) -> None:
    """Trend and KWIC find a word the same way: the same count per document."""
    for word, stem in (("merida", False), ("killing", False), ("killing", True)):
        kwic = concordance(ws.engine, word, stem=stem)
        points = trend(ws.engine, word, stem=stem).points
        assert {p.key: p.count for p in points if p.count} == kwic.by_doc


def test_per_section_of_one_document(ws: Workspace) -> None:
    """In a: Origins has 3 of 'merida' in 20 words (1,500 per 10k), Markets 1 in 15 (666.67)."""
    result = trend(ws.engine, "merida", document="a")
    assert result.by == "section" and result.doc_filter == "a"
    assert [(p.key, p.count, p.words) for p in result.points] == [
        ("Origins", 3, 20),
        ("Markets", 1, 15),
    ]
    assert result.points[0].per_10k == pytest.approx(1500.0)


def test_a_codebook_theme_counts_its_terms(ws: Workspace) -> None:
    """Theme 'violence' (term "killing", stemmed): a 4 (killed, killing, killings, killing), b 2."""
    result = trend(ws.engine, "violence", codebook=ws.codebook)
    assert result.kind == "theme" and result.target == "Violence"
    assert [(p.key, p.count) for p in result.points] == [("a", 4), ("b", 2), ("c", 0)]


def test_quotes_ask_for_the_word_not_the_theme(ws: Workspace) -> None:
    """'"violence"' is the word itself, which no document uses."""
    result = trend(ws.engine, '"violence"', codebook=ws.codebook)
    assert result.kind == "word" and result.total == 0
    assert result.message and "No document uses the word 'violence'" in result.message


def test_per_date_when_documents_have_one(ws: Workspace) -> None:
    """With a dated at 2021-05-01 and b at 2019-03-02 (c undated): oldest first, c counted apart."""
    with_dates(ws, {"a": dt.date(2021, 5, 1), "b": "2019-03-02"})
    result = trend(ws.engine, "merida")
    assert [(p.key, p.count, p.words) for p in result.dates] == [
        ("2019-03-02", 1, 17),
        ("2021-05-01", 4, 35),
    ]
    assert result.undated == 1


def test_documents_of_the_same_year_are_summed_when_dates_are_many(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More distinct dates than fit a chart are grouped by month, then by year."""
    with_dates(ws, {"a": "2020-01-01", "b": "2020-06-30", "c": "2021-02-02"})
    assert len(trend(ws.engine, "merida").dates) == 3  # three dates fit
    monkeypatch.setattr(trend_module, "MAX_DATE_POINTS", 2)  # three months do not: years
    assert [(p.key, p.count, p.words) for p in trend(ws.engine, "merida").dates] == [
        ("2020", 5, 52),
        ("2021", 0, 13),
    ]


def test_date_keys() -> None:
    assert date_key(dt.datetime(2020, 1, 2, 3, 4)) == "2020-01-02"
    assert date_key(2019) == "2019"
    assert date_key("  ") is None and date_key(None) is None


def test_odd_input(ws: Workspace) -> None:
    assert trend(ws.engine, "").message == "Type a word or a phrase."
    assert "only common words" in (trend(ws.engine, "the of").message or "")
    with pytest.raises(UnknownDocument):
        trend(ws.engine, "merida", document="zzz")


def test_a_very_common_word_is_estimated_from_a_sample(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading 1 of the 3 passages with 'merida' (a ¶1: 3 of them) estimates a at 3 × 3 = 9."""
    monkeypatch.setattr(occurrences_module, "SCAN_LIMIT", 1)
    result = trend(ws.engine, "merida")
    assert result.sampled and result.passages_read == 1 and result.candidates == 3
    assert result.message and "sample" in result.message
    assert [(p.key, p.count) for p in result.points] == [("a", 9), ("b", 0), ("c", 0)]
