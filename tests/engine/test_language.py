"""Each document's language: detected from its words, the sidecar's word final, unsure is None."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import docx

from bot.engine import Engine
from bot.engine.corpus import load_corpus
from bot.engine.language import detect_language, language_tag, sample_text
from bot.settings import Settings
from tests.engine.readers.builders import DocxItem, make_docx

Write = Callable[[dict[str, str | bytes]], Path]

SPANISH = (
    "Informe sobre la policía\n\n"
    "La corrupción en las corporaciones policiales de los estados del norte de México ha "
    "debilitado la confianza de los ciudadanos en las instituciones encargadas de la seguridad.\n\n"
    "Los gobiernos estatales firmaron convenios con el ejército para patrullar las carreteras y "
    "las ciudades fronterizas durante los últimos años.\n"
)
ENGLISH = (
    "Police Report\n\n"
    "Corruption in the police forces of the northern states of Mexico has weakened the trust "
    "citizens place in the institutions responsible for their security.\n\n"
    "State governments signed agreements with the army to patrol the highways and the border "
    "cities during the last few years.\n"
)


def test_the_seeds_come_out_english(seeds_engine: Engine) -> None:
    """Every seed document is detected as English."""
    assert {d.language for d in seeds_engine.documents} == {"en"}


def test_spanish_and_english_documents_are_told_apart(write_corpus: Write) -> None:
    """A Spanish text and an English text in one corpus each get their own language."""
    corpus = load_corpus(Settings(), write_corpus({"es.txt": SPANISH, "en.txt": ENGLISH}))
    assert corpus.documents["es"].language == "es"
    assert corpus.documents["en"].language == "en"


def test_the_sidecar_overrides_detection(write_corpus: Write) -> None:
    """metadata.yaml's language wins over what the words say (normalised: "PT-br" → "pt")."""
    folder = write_corpus({"es.txt": SPANISH, "metadata.yaml": "es:\n  language: PT-br\n"})
    assert load_corpus(Settings(), folder).documents["es"].language == "pt"


def test_detection_beats_a_template_language_property(write_corpus: Write) -> None:
    """A Word file whose language property says English (a template's) but whose text is
    Spanish is Spanish."""
    paragraphs = [p for p in SPANISH.split("\n\n") if p.strip()]
    raw = make_docx([DocxItem(p) for p in paragraphs])
    document = docx.Document(io.BytesIO(raw))
    document.core_properties.language = "en-US"
    out = io.BytesIO()
    document.save(out)
    corpus = load_corpus(Settings(), write_corpus({"informe.docx": out.getvalue()}))
    assert corpus.documents["informe"].language == "es"


def test_too_little_text_falls_back_to_the_declared_language(write_corpus: Write) -> None:
    """A document too short to judge keeps the language its file declares, or none."""
    assert detect_language("Hola") is None
    raw = make_docx([DocxItem("Hola, buenos días.")])
    document = docx.Document(io.BytesIO(raw))
    document.core_properties.language = "es-MX"
    out = io.BytesIO()
    document.save(out)
    corpus = load_corpus(
        Settings(), write_corpus({"short.docx": out.getvalue(), "tiny.txt": "Hola, buenos días."})
    )
    assert corpus.documents["short"].language == "es"
    assert corpus.documents["tiny"].language is None


def test_the_sample_comes_from_across_the_document() -> None:
    """The sample reads the start, the middle and the end, within its length."""
    texts = [f"start {'a' * 50}"] + [f"middle {'b' * 50}"] * 10 + [f"end {'c' * 50}"]
    sample = sample_text(texts, limit=300)
    assert "start" in sample and "middle" in sample and "end" in sample
    assert len(sample) <= 300 + len(texts)


def test_language_tags_keep_the_primary_language() -> None:
    """ "en-US" → "en", "ES" → "es"; something that is not a tag is no language."""
    assert language_tag("en-US") == "en"
    assert language_tag("ES") == "es"
    assert language_tag("Spanish (Mexico)") is None
    assert language_tag(None) is None
