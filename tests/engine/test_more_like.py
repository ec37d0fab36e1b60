"""More like these: passages like a whole answer's quotes, never the quotes themselves."""

from __future__ import annotations

import pytest

from bot.engine import Engine, UnknownPassage
from bot.engine.more_like import more_like_these
from bot.engine.related import related_passages
from tests.engine.reading_corpora import EXTRAJUDICIAL, US_MEXICO_HR


def test_the_quotes_themselves_are_left_out(seeds_engine: Engine) -> None:
    """Like two human-rights quotes: other passages, led by one the quotes' words describe."""
    hits = more_like_these(seeds_engine, [EXTRAJUDICIAL, US_MEXICO_HR], top=5)
    ids = [h.passage.id for h in hits]
    assert len(hits) == 5 and EXTRAJUDICIAL not in ids and US_MEXICO_HR not in ids
    assert any("human rights" in h.passage.text.lower() for h in hits[:2])


def test_one_quote_is_related_passages_without_the_document_filter(seeds_engine: Engine) -> None:
    """With one quote, its best matches in other documents are among the answer too."""
    alone = {h.passage.id for h in more_like_these(seeds_engine, [EXTRAJUDICIAL], top=10)}
    elsewhere = [h.passage.id for h in related_passages(seeds_engine, EXTRAJUDICIAL, top=3)]
    assert set(elsewhere) <= alone


def test_unknown_ids_are_skipped_and_none_known_raises(seeds_engine: Engine) -> None:
    assert more_like_these(seeds_engine, ["000000000000", EXTRAJUDICIAL], top=3)
    with pytest.raises(UnknownPassage):
        more_like_these(seeds_engine, ["000000000000", "ffffffffffff"])
