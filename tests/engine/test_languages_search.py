"""Each document analysed in its own language; a query read in every language of the corpus."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.engine.analysis import Analyzers
from bot.settings import AnalysisSettings, Settings

Write = Callable[[dict[str, str | bytes]], Path]

INFORME = (
    "Informe sobre la seguridad pública\n\n"
    "La corrupción en las corporaciones policiales de los estados del norte de México ha "
    "debilitado la confianza de los ciudadanos en las instituciones de seguridad.\n\n"
    "La militarización de la seguridad pública avanzó cuando la Guardia Nacional asumió las "
    "tareas de la policía federal en las carreteras y en las ciudades fronterizas.\n\n"
    "Las organizaciones civiles documentaron que muchas personas desaparecieron durante los "
    "operativos conjuntos de los últimos años en Tamaulipas y Veracruz.\n"
)
REPORT = (
    "Police Report\n\n"
    "Corruption in the police forces of the northern states has weakened the trust citizens "
    "place in the institutions responsible for their security.\n\n"
    "State governments signed agreements with the army to patrol the highways and the border "
    "cities during the last few years, and the national guard took over federal policing.\n"
)


def _engine(folder: Path, per_language: bool = True) -> Engine:
    settings = Settings()
    analysis = dataclasses.replace(settings.analysis, per_language=per_language)
    return Engine.load(dataclasses.replace(settings, analysis=analysis), folder)


@pytest.fixture
def bilingual(write_corpus: Write) -> Path:
    return write_corpus({"informe.txt": INFORME, "report.txt": REPORT})


def _docs(engine: Engine, query: str) -> list[str]:
    return [h.passage.doc_id for h in engine.search(query).hits]


def test_a_spanish_word_finds_spanish_passages_and_an_english_word_english_ones(
    bilingual: Path,
) -> None:
    """`corrupción` finds the Spanish report only, `corruption` the English one only; each
    passage is scored once, by the query read in its own language."""
    engine = _engine(bilingual)
    assert _docs(engine, "corrupción") == ["informe"]
    assert engine.search("corrupción").total == 1
    assert _docs(engine, "corruption") == ["report"]


def test_spanish_passages_are_stemmed_as_spanish(bilingual: Path) -> None:
    """`militarizar` finds "militarización" and `desaparecidos` "desaparecieron" (Spanish
    Snowball); the English stemmer joins neither pair."""
    engine = _engine(bilingual)
    assert _docs(engine, "militarizar") == ["informe"]
    assert _docs(engine, "desaparecidos") == ["informe"]
    english_only = _engine(bilingual, per_language=False)
    assert _docs(english_only, "militarizar") == []
    assert _docs(english_only, "desaparecidos") == []


def test_spanish_stop_words_score_nothing_in_spanish_passages(bilingual: Path) -> None:
    """In "la corrupción de la policía", only corrupción and policía score the Spanish passage."""
    engine = _engine(bilingual)
    hit = next(h for h in engine.search("la corrupción de la policía").hits)
    assert hit.passage.doc_id == "informe"
    assert set(hit.contributions) == {"corrupcion"}


def test_a_spanish_hit_highlights_the_words_as_written(bilingual: Path) -> None:
    """The highlight covers "militarización" itself, found through the Spanish stem."""
    engine = _engine(bilingual)
    hit = engine.search("militarizar").hits[0]
    marked = [hit.passage.text[a:b] for a, b in hit.highlights]
    assert marked == ["militarización"]


def test_a_spanish_phrase_is_checked_in_spanish(bilingual: Path) -> None:
    """ "guardia nacional" matches the Spanish passage word for word (its Spanish terms)."""
    engine = _engine(bilingual)
    assert _docs(engine, '"guardia nacional"') == ["informe"]
    assert _docs(engine, '"national guard"') == ["report"]
    assert _docs(engine, '"nacional guardia"') == []


def test_the_sidecar_language_decides_the_analysis(write_corpus: Write) -> None:
    """A Spanish text the sidecar calls English is analysed as English."""
    folder = write_corpus(
        {
            "informe.txt": INFORME,
            "report.txt": REPORT,
            "metadata.yaml": "informe:\n  language: en\n",
        }
    )
    assert _docs(_engine(folder), "militarizar") == []


def test_the_seeds_search_as_before(seeds_engine: Engine) -> None:
    """The seeds are English: per-language analysis changes no answer."""
    settings = seeds_engine.settings
    analysis = dataclasses.replace(settings.analysis, per_language=False)
    plain = Engine(dataclasses.replace(settings, analysis=analysis), seeds_engine.corpus)
    for query in ("police", "Guardia Nacional", '"human rights" -army', "Mérida +initiative"):
        ours, theirs = seeds_engine.search(query), plain.search(query)
        assert [(h.passage.id, h.score) for h in ours.hits] == [
            (h.passage.id, h.score) for h in theirs.hits
        ]
        assert ours.total == theirs.total


def test_analyzers_fall_back_to_the_default_language() -> None:
    """Unknown or unsupported languages, or per-language analysis off, get the default."""
    analyzers = Analyzers()
    assert analyzers.of("es").term("corrupciones") == "corrupcion"
    assert analyzers.of("es").term("de") is None
    assert analyzers.of(None) is analyzers.default
    assert analyzers.of("xx") is analyzers.default
    assert analyzers.of("es") is analyzers.of("es")
    off = Analyzers(AnalysisSettings(per_language=False))
    assert off.of("es") is off.default
