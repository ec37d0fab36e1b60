"""Loading a corpus folder: documents, titles, debris cleaning and bad files."""

from __future__ import annotations

import builtins
import io
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.engine import CorpusError, Engine
from bot.engine.cleaning import Cleaner
from bot.engine.corpus import load_corpus
from bot.settings import Settings

Write = Callable[[dict[str, str | bytes]], Path]
DEBRIS = re.compile(r"See also|Explore More|^\s*[-•]\s*$|^\s*-\s", re.M)


def test_seeds_load_five_documents_with_titles_and_site(seeds_engine: Engine) -> None:
    """Each seed becomes a document; the " - Site" suffix of 002 becomes its site."""
    docs = seeds_engine.corpus.documents
    assert len(docs) == 5
    assert docs["002_8cf809adbd8e0d4a"].title == (
        "Enhancing Safety Through Military and Police Collaboration"
    )
    assert docs["002_8cf809adbd8e0d4a"].site == "Total Military Insight"
    assert docs["003_121f44817b1ca664"].title == "US-Mexico Cooperation in Fighting Organized Crime"
    assert docs["004_d3ba802543a45c7e"].title.startswith("Mexico and US Strengthen Cooperation")
    assert not seeds_engine.corpus.warnings


def test_repeated_title_line_is_not_a_passage(seeds_engine: Engine) -> None:
    """003 and 004 repeat their title on the next line; neither copy becomes a passage."""
    for doc_id in ("003_121f44817b1ca664", "004_d3ba802543a45c7e"):
        title = seeds_engine.corpus.documents[doc_id].title
        assert all(p.text != title for p in seeds_engine.corpus.passages_of(doc_id))


def test_seed_passages_carry_no_scrape_debris(seeds_engine: Engine) -> None:
    """No "See also" links, "Explore More:", lone bullets or leading bullet glyphs remain."""
    for p in seeds_engine.corpus.passages:
        assert not DEBRIS.search(p.text), p.text[:80]
        assert "  " not in p.text and "\u00a0" not in p.text


def _words(text: str) -> list[str]:
    """Words of a text, list bullets (`-`, `•`…) left out: cleaning rewrites them."""
    return [w for w in text.split() if w.strip("-•·*▪◦‣")]


def test_passage_spans_point_into_the_source(seeds_engine: Engine) -> None:
    """A passage's span in its source file runs exactly from its first words to its last."""
    corpus = seeds_engine.corpus
    for p in corpus.passages:
        source = (corpus.folder / corpus.documents[p.doc_id].path).read_text(encoding="utf-8")
        assert 0 <= p.start < p.end <= len(source)
        span, text = _words(source[p.start : p.end]), _words(p.text)
        assert span[:3] == text[:3] and span[-3:] == text[-3:], (p.id, span[:3], text[:3])


def test_sections_come_from_headings(seeds_engine: Engine) -> None:
    """Short unpunctuated lines before body text are headings and name their passages' section."""
    passages = seeds_engine.corpus.passages_of("000_c034f933b67255ab")
    killings = next(p for p in passages if "extrajudicial killings" in p.text)
    assert killings.section == "Human rights concerns"
    doc = seeds_engine.corpus.documents["000_c034f933b67255ab"]
    assert "Human rights concerns" in doc.sections
    assert all(len(s.split()) <= 14 for s in doc.sections)


def test_a_list_stays_with_its_intro_line(seeds_engine: Engine) -> None:
    """ "Key aspects … include:" and its bullet items are one passage."""
    p = next(
        p for p in seeds_engine.corpus.passages if p.text.startswith("Key aspects of corruption")
    )
    assert "Misuse of power for personal gain" in p.text
    assert "Impeding investigations and obstructing justice" in p.text
    assert p.text.count("\n• ") == 4


def test_passage_ids_are_stable_across_loads(settings: Settings) -> None:
    """Loading the same files twice gives the same ids, in the same order."""
    a = [p.id for p in load_corpus(settings).passages]
    b = [p.id for p in load_corpus(settings).passages]
    assert a == b and len(set(a)) == len(a)


def test_ordinals_count_passages_within_each_document(seeds_engine: Engine) -> None:
    """Ordinals run 1..n inside each document; rows run over the whole corpus."""
    for doc in seeds_engine.documents:
        passages = seeds_engine.corpus.passages_of(doc.doc_id)
        assert [p.ordinal for p in passages] == list(range(1, doc.passage_count + 1))
        assert all(p.doc_id == doc.doc_id for p in passages)
    assert [p.row for p in seeds_engine.corpus.passages] == list(
        range(len(seeds_engine.corpus.passages))
    )


def test_seeds_passage_lengths_are_quotable(seeds_engine: Engine, settings: Settings) -> None:
    """No passage is a fragment or over the length limit."""
    for p in seeds_engine.corpus.passages:
        assert len(p.text) <= settings.passages.max_chars
        assert len(p.text) >= 60, p.text


def test_short_fragments_merge_and_long_paragraphs_split(write_corpus: Write) -> None:
    """A 3-word line joins its neighbour; a 3,000-character paragraph splits at sentences."""
    sentence = "The joint task force reviewed every checkpoint along the northern border. "
    folder = write_corpus(
        {
            "doc.txt": "A Title\n\nShort bit here.\n\n"
            "This paragraph is long enough to stand on its own as a passage of the document.\n\n"
            + sentence * 40
            + "\n"
        }
    )
    passages = load_corpus(Settings(), folder).passages
    assert passages[0].text.startswith("Short bit here.\nThis paragraph is long enough")
    long_parts = passages[1:]
    assert len(long_parts) >= 3
    assert all(len(p.text) <= 1200 and p.text.endswith("border.") for p in long_parts)
    assert "".join(p.text.replace(" ", "") for p in long_parts) == (sentence * 40).replace(" ", "")


def test_markdown_headings_and_hard_wrapped_paragraphs(write_corpus: Write) -> None:
    """`#` lines are the title and headings; wrapped lines join into one paragraph."""
    folder = write_corpus(
        {
            "notes.md": "# Field Notes\n\n## Border towns\n\nResidents of the border towns said\n"
            "that patrols had doubled since the spring, and that trust was low.\n"
        }
    )
    corpus = load_corpus(Settings(), folder)
    doc = corpus.documents["notes"]
    assert doc.title == "Field Notes" and doc.sections == ("Border towns",)
    (p,) = corpus.passages
    assert p.section == "Border towns"
    assert p.text == (
        "Residents of the border towns said that patrols had doubled since the spring, "
        "and that trust was low."
    )


def test_cleaning_patterns_come_from_settings() -> None:
    """The default patterns drop link lines and lone glyphs and strip bullet markers."""
    cleaner = Cleaner()
    assert cleaner.clean_line("See also  Maximizing Your Insight") is None
    assert cleaner.clean_line("Explore More:") is None
    assert cleaner.clean_line("  •  ") is None
    line = cleaner.clean_line("  • Bribery and\u00a0collusion")
    assert line is not None and line.bullet and line.text == "Bribery and collusion"


def test_non_utf8_bytes_are_decoded_by_a_guess_with_a_warning(write_corpus: Write) -> None:
    """A Latin-1 file reads with its accents intact, and a warning says the encoding was a guess."""
    latin = "Informe\n\nLa cooperación en Mérida fue amplia y duró muchos años.\n"
    valid = "Fine Title\n\nThis document is perfectly valid UTF-8 text of decent length.\n"
    folder = write_corpus({"latin.txt": latin.encode("latin-1"), "ok.txt": valid})
    corpus = load_corpus(Settings(), folder)
    assert set(corpus.documents) == {"latin", "ok"}
    assert corpus.passages_of("latin")[0].text == (
        "La cooperación en Mérida fue amplia y duró muchos años."
    )
    assert any(
        w.startswith("latin.txt: not valid UTF-8") and "a guess" in w for w in corpus.warnings
    )


def test_bad_files_are_skipped_with_warnings(write_corpus: Write) -> None:
    """Empty, binary, dangling-link and unsupported files never stop loading."""
    folder = write_corpus(
        {
            "good.txt": "Good Title\n\nThis is the one document that should load from the folder.",
            "empty.txt": "",
            "blank.md": "\n\n   \n",
            "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00binary",
            "notes.pdf": "not a corpus extension",
            "sheet.xlsx": "not a corpus extension",
        }
    )
    os.symlink(folder / "missing-target.txt", folder / "dangling.txt")
    corpus = load_corpus(Settings(), folder)
    assert set(corpus.documents) == {"good"}
    joined = "\n".join(corpus.warnings)
    for name in ("empty.txt", "blank.md", "image.txt", "dangling.txt"):
        assert name in joined
    assert "sheet.xlsx: skipped, unsupported format" in corpus.warnings


def test_huge_files_are_skipped(write_corpus: Write) -> None:
    """A file over max_file_mb is skipped with a warning, not read into memory."""
    from dataclasses import replace

    folder = write_corpus({"big.txt": "word " * 300_000, "small.txt": "Title\n\n" + "ok " * 40})
    settings = replace(Settings(), corpus=replace(Settings().corpus, max_file_mb=1.0))
    opened: list[str] = []
    real_open = io.open

    def recording_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(os.fspath(file) if isinstance(file, str | os.PathLike) else str(file))
        return real_open(file, *args, **kwargs)

    with pytest.MonkeyPatch.context() as m:  # Path.read_bytes/read_text open through io.open
        m.setattr(io, "open", recording_open)
        m.setattr(builtins, "open", recording_open)
        corpus = load_corpus(settings, folder)
    assert set(corpus.documents) == {"small"}
    assert any("big.txt: skipped, 2 MB is over the 1 MB limit" in w for w in corpus.warnings)
    assert any(name.endswith("small.txt") for name in opened)  # the spy sees reads
    assert not [name for name in opened if name.endswith("big.txt")]


def test_symlink_loop_is_walked_once(write_corpus: Write) -> None:
    """A folder linking to its parent does not loop forever or duplicate documents."""
    folder = write_corpus(
        {"sub/doc.txt": "Doc Title\n\nA document inside a sub-folder of the corpus.\n"}
    )
    os.symlink(folder, folder / "sub" / "loop")
    corpus = load_corpus(Settings(), folder)
    assert list(corpus.documents) == ["doc"]
    assert any("symlink loop" in w for w in corpus.warnings)


def test_empty_corpus_is_a_clear_error(tmp_path: Path) -> None:
    """A folder with no usable document fails with "no documents found in …"."""
    (tmp_path / "readme.pdf").write_text("x")
    with pytest.raises(CorpusError, match="no documents found in"):
        load_corpus(Settings(), tmp_path)
    with pytest.raises(CorpusError, match="no documents found in"):
        load_corpus(Settings(), tmp_path / "missing")


def test_file_deleted_while_loading_is_skipped(
    write_corpus: Write, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file listed and then deleted before it is read is skipped with a warning naming it."""
    import bot.engine.corpus as corpus_module

    folder = write_corpus(
        {
            "a.txt": "Stays Here\n\nThis document stays in the folder for the whole load.\n",
            "b.txt": "Goes Away\n\nThis document is deleted right after the folder is listed.\n",
        }
    )
    listed = corpus_module.list_documents

    def list_then_delete(*args: object, **kwargs: object) -> list[Path]:
        paths = listed(*args, **kwargs)  # type: ignore[arg-type]
        (folder / "b.txt").unlink()
        return paths

    monkeypatch.setattr(corpus_module, "list_documents", list_then_delete)
    corpus = load_corpus(Settings(), folder)
    assert set(corpus.documents) == {"a"}
    assert any(w.startswith("b.txt: skipped, cannot be read") for w in corpus.warnings)


def test_corpus_version_changes_with_any_file(write_corpus: Write) -> None:
    """The corpus version (shown in footers) is a hash of the indexed files."""
    folder = write_corpus({"a.txt": "Title A\n\nSome words that make a passage long enough.\n"})
    before = load_corpus(Settings(), folder).version
    (folder / "a.txt").write_text("Title A\n\nOther words that make a passage long enough here.\n")
    assert load_corpus(Settings(), folder).version != before
