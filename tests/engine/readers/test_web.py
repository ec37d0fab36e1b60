"""HTML: the main text only, with headings as sections, lists as list passages, and metadata."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.engine.corpus import Corpus, load_corpus
from bot.engine.readers.web import NO_MAIN_TEXT
from bot.settings import Settings
from tests.engine.readers.builders import FIXTURES

Write = Callable[[dict[str, str | bytes]], Path]
WIKI = FIXTURES / "html" / "en.wikipedia.org.tsne.html"
LETTERS = FIXTURES / "html" / "mercurynews.com.letters.html"
needs_fixtures = pytest.mark.skipif(not WIKI.is_file(), reason="../shared/fixtures not present")

ARTICLE = """<!DOCTYPE html>
<html lang="es"><head><meta charset="windows-1252">
<title>La policía en la frontera - Diario Norte</title>
<link rel="canonical" href="https://example.org/policia-frontera">
<meta name="author" content="Ana López">
<meta property="article:published_time" content="2022-05-04">
<meta property="og:site_name" content="Diario Norte">
</head><body>
<nav><ul><li><a href="/">Inicio</a></li><li><a href="/deportes">Deportes</a></li></ul></nav>
<div class="cookie-banner">Usamos cookies para mejorar su experiencia. Aceptar todas</div>
<article>
<h1>La policía en la frontera</h1>
<p>La policía municipal de Ciudad Juárez patrulla la frontera desde hace diez años, con apoyo
del ejército en los barrios donde la violencia es más alta.</p>
<h2>Cooperación con el ejército</h2>
<p>Los acuerdos de cooperación incluyen lo siguiente, según el informe del gobierno estatal:</p>
<ul><li>patrullas conjuntas en las colonias del sur de la ciudad</li>
<li>entrenamiento de los agentes municipales en derechos humanos</li></ul>
<p>El informe concluye que la confianza de los vecinos en la policía sigue siendo baja.</p>
</article>
<aside class="related"><h3>Artículos relacionados</h3>
<ul><li><a href="/a">Otra nota</a></li></ul></aside>
<footer>© 2022 Diario Norte. Todos los derechos reservados.</footer>
</body></html>
"""


def test_main_text_with_sections_lists_and_metadata(write_corpus: Write) -> None:
    """An article's body passages carry its sections and its list; menus, cookie banner,
    related links and footer are gone; title, author, date, site and URL are its metadata."""
    corpus = load_corpus(Settings(), write_corpus({"nota.html": ARTICLE.encode("cp1252")}))
    text = "\n".join(p.text for p in corpus.passages)
    for boilerplate in ("Inicio", "Deportes", "cookies", "relacionados", "derechos reservados"):
        assert boilerplate not in text
    assert "policía municipal de Ciudad Juárez" in text  # cp1252 bytes, charset from the page
    doc = corpus.documents["nota"]
    assert doc.format == "html" and doc.sections == ("Cooperación con el ejército",)
    assert (doc.authors, doc.date, doc.site) == (("Ana López",), "2022-05-04", "Diario Norte")
    assert doc.url == "https://example.org/policia-frontera"
    listed = next(p for p in corpus.passages if "patrullas conjuntas" in p.text)
    assert listed.section == "Cooperación con el ejército"
    assert "\n• patrullas conjuntas" in listed.text and "\n• entrenamiento" in listed.text
    assert all(p.page is None and p.line_start is None for p in corpus.passages)


def test_a_page_without_main_text_is_skipped(write_corpus: Write) -> None:
    """A page of menus and scripts only is skipped, saying there is no main text."""
    page = "<html><body><nav><a href='/'>Home</a></nav><script>var x = 1;</script></body></html>"
    corpus = load_corpus(
        Settings(),
        write_corpus({"menu.html": page, "ok.txt": "Title\n\n" + "Plain words here. " * 8}),
    )
    assert set(corpus.documents) == {"ok"}
    assert f"menu.html: skipped, {NO_MAIN_TEXT}" in corpus.warnings


@pytest.fixture(scope="module")
def saved_pages(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    folder = tmp_path_factory.mktemp("html")
    for path in (WIKI, LETTERS):
        (folder / path.name).write_bytes(path.read_bytes())
    return load_corpus(Settings(), folder)


@needs_fixtures
def test_saved_wikipedia_article_reads_without_its_chrome(saved_pages: Corpus) -> None:
    """The saved Wikipedia page gives the article (sections, metadata) without navigation,
    edit links or footer."""
    doc = saved_pages.documents["en.wikipedia.org.tsne"]
    assert doc.title == "T-distributed stochastic neighbor embedding"
    assert doc.date == "2013-06-23" and doc.url is not None and "wikipedia.org" in doc.url
    assert "Details" in doc.sections and not any("[edit]" in s for s in doc.sections)
    text = "\n".join(p.text for p in saved_pages.passages_of(doc.doc_id))
    assert "Laurens van der Maaten and Geoffrey Hinton" in text
    for chrome in ("Jump to navigation", "Privacy policy", "Create account", "Main page"):
        assert chrome not in text


@needs_fixtures
def test_saved_newspaper_page_keeps_the_letters_only(saved_pages: Corpus) -> None:
    """The newspaper page gives its letters, each heading a section, without the site chrome."""
    doc = saved_pages.documents["mercurynews.com.letters"]
    assert doc.site == "The Mercury News" and doc.date == "2023-01-16"
    assert "Alameda County DA is coddling criminals" in doc.sections
    text = "\n".join(p.text for p in saved_pages.passages_of(doc.doc_id))
    assert "Pamela Price dropped special circumstances" in text
    for chrome in ("Subscribe", "Sign Up", "Newsletter", "Trending"):
        assert chrome not in text
