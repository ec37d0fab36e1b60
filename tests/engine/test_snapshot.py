"""Index snapshots: served only when whole and current, and always equal to a fresh build."""

from __future__ import annotations

import importlib.metadata
import json
import logging
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bot.engine import Engine, snapshot
from bot.engine.snapshot import slot_name
from bot.settings import IndexSettings, Settings
from tests.engine.test_languages_search import INFORME

QUERIES = ("human rights police", "border", '"precursor chemicals"', "trust -police", "juarez")
DOCS = {
    "alpha.txt": (
        "Alpha Report\n\nHuman rights in Mérida\n\n"
        "The Mérida Initiative funded training on human rights for police officers in Mexico.\n\n"
        "Critics reported extrajudicial killings and abuses by security forces in several states.\n"
    ),
    "beta.md": (
        "# Beta Notes\n\n## Drug trafficking\n\n"
        "Cartels moved fentanyl across the border while police and soldiers patrolled Juárez.\n\n"
        "Officials seized precursor chemicals at ports of entry on both sides of the border.\n"
    ),
    "gamma.txt": (
        "Gamma Brief\n\n"
        "Community engagement programs built trust between residents and local police in towns.\n\n"
        "Transparency and accountability rules require public reports on every joint operation.\n\n"
        "Community engagement programs built trust between residents and local police in towns.\n"
    ),
    "delta.txt": "Delta Memo\n\nUnique zebra-striped kangaroos appear in this memo only, twice.\n",
}


def settings_for(folder: Path, cache: Path | None) -> Settings:
    index = IndexSettings(cache=cache is not None, cache_dir=str(cache or "unused"))
    return replace(Settings(), corpus=replace(Settings().corpus, folder=str(folder)), index=index)


def load(folder: Path, cache: Path | None) -> Engine:
    return Engine.load(settings_for(folder, cache))


def same_engine(a: Engine, b: Engine) -> None:
    """Same passages, documents, vocabulary, impacts, speller words and answers."""
    assert list(a.corpus.passages) == list(b.corpus.passages)
    assert a.corpus.documents == b.corpus.documents
    assert a.corpus.version == b.corpus.version and a.corpus.warnings == b.corpus.warnings
    assert list(a.index.vocabulary.items()) == list(b.index.vocabulary.items())
    for name in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(a.index.matrix, name), getattr(b.index.matrix, name))
    assert np.array_equal(a.index.idf, b.index.idf)
    assert np.array_equal(a.index.term_freq, b.index.term_freq)
    assert a.speller.words == b.speller.words
    for q in QUERIES:
        ra, rb = a.search(q), b.search(q)
        assert [(h.passage.id, h.score) for h in ra.hits] == [
            (h.passage.id, h.score) for h in rb.hits
        ]
        assert (ra.total, ra.message, ra.suggestions) == (rb.total, rb.message, rb.suggestions)


@pytest.fixture
def corpus(write_corpus: Callable[[dict[str, str | bytes]], Path]) -> Path:
    return write_corpus(dict(DOCS))


def test_snapshot_round_trip_equals_a_fresh_build(corpus: Path, tmp_path: Path) -> None:
    """The second start maps the snapshot (no file read) and answers as a fresh build does."""
    cache = tmp_path / "cache"
    first = load(corpus, cache)
    assert first.built.terms is not None and (cache / slot_name(corpus)).is_symlink()
    second = load(corpus, cache)
    assert second.built.terms is None  # served from the snapshot
    same_engine(second, load(corpus, None))
    assert [p.duplicate_of is not None for p in second.corpus.passages].count(True) == 1


def data_dir(cache: Path, corpus: Path) -> Path:
    return (cache / slot_name(corpus)).resolve()


@pytest.mark.parametrize(
    "damage",
    ["flip", "truncate", "delete", "manifest"],
)
def test_a_damaged_snapshot_is_logged_and_rebuilt(
    corpus: Path, tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A corrupt, truncated, half-deleted or unreadable snapshot is never served."""
    cache = tmp_path / "cache"
    load(corpus, cache)
    target = data_dir(cache, corpus) / "passages.text_buf.npy"
    raw = bytearray(target.read_bytes())
    if damage == "flip":
        raw[-5] ^= 0x20  # one letter of a passage's text: same size, wrong words
        target.write_bytes(bytes(raw))
    elif damage == "truncate":
        target.write_bytes(bytes(raw[: len(raw) // 2]))
    elif damage == "delete":
        target.unlink()
    else:
        (data_dir(cache, corpus) / "manifest.json").write_text("{not json")
    with caplog.at_level(logging.WARNING, logger="bot.engine.loading"):
        engine = load(corpus, cache)
    assert engine.built.terms is not None  # rebuilt from the files
    assert "not used" in caplog.text
    same_engine(engine, load(corpus, None))
    assert load(corpus, cache).built.terms is None  # and the rewritten snapshot serves again


def test_a_snapshot_of_other_settings_or_another_folder_is_not_served(
    corpus: Path, tmp_path: Path, write_corpus: Callable[[dict[str, str | bytes]], Path]
) -> None:
    """Changing a setting that changes scores or analysis (no term ids of the old analysis are
    reused), or a manifest naming another folder, rebuilds."""
    cache = tmp_path / "cache"
    load(corpus, cache)
    other = settings_for(corpus, cache)
    other = replace(other, bm25=replace(other.bm25, k1=0.9))
    engine = Engine.load(other)
    assert engine.built.terms is not None
    fresh = Engine.load(replace(other, index=IndexSettings(cache=False)))
    assert engine.search("border").hits[0].score == fresh.search("border").hits[0].score
    unstemmed = replace(other, analysis=replace(other.analysis, stemmer="none"))
    same_engine(Engine.load(unstemmed), Engine.load(replace(unstemmed, index=IndexSettings(False))))
    manifest = data_dir(cache, corpus) / "manifest.json"
    data = json.loads(manifest.read_text())
    data["folder"] = "/somewhere/else"
    manifest.write_text(json.dumps(data))
    assert Engine.load(other).built.terms is not None


def test_a_snapshot_made_with_another_version_of_a_text_library_is_not_served(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An upgraded stemmer (or reader, or language detector) may give other terms: rebuilt."""
    cache = tmp_path / "cache"
    load(corpus, cache)
    real = importlib.metadata.version
    monkeypatch.setattr(
        importlib.metadata, "version", lambda name: "99.0" if name == "PyStemmer" else real(name)
    )
    snapshot._package_versions.cache_clear()
    try:
        assert load(corpus, cache).built.terms is not None
    finally:
        snapshot._package_versions.cache_clear()


def test_a_file_rewritten_with_the_same_size_and_mtime_after_the_build_is_read_again(
    corpus: Path, tmp_path: Path
) -> None:
    """A file written again in the clock tick of the build (same size, mtime and inode) is
    not served from the snapshot: its stat was too recent to trust, so its content is checked."""
    cache = tmp_path / "cache"
    alpha = corpus / "alpha.txt"
    load(corpus, cache)
    before = alpha.stat()
    alpha.write_text(alpha.read_text().replace("killings", "kidnaped"))  # in place, same size
    os.utime(alpha, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = alpha.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    engine = load(corpus, cache)
    assert engine.search("kidnaped").hits
    same_engine(engine, load(corpus, None))
    assert load(corpus, cache).search("kidnaped").hits


def change_corpus(corpus: Path) -> None:
    """Edit one document, add one, remove one."""
    beta = corpus / "beta.md"
    beta.write_text(
        beta.read_text() + "\nA new paragraph on border tunnels and kangaroo smuggling.\n"
    )
    (corpus / "epsilon.txt").write_text(
        "Epsilon Note\n\nHuman rights observers visited the border crossing at Juárez again.\n"
    )
    (corpus / "delta.txt").unlink()  # its words ("zebra", "kangaroos") must leave the speller


def test_incremental_reload_equals_a_full_rebuild(corpus: Path, tmp_path: Path) -> None:
    """After a change, only changed files are read; the result is a full rebuild's exactly."""
    cache = tmp_path / "cache"
    load(corpus, cache)
    change_corpus(corpus)
    incremental = load(corpus, cache)
    full = load(corpus, None)
    same_engine(incremental, full)
    words = incremental.speller.words  # "kangaroos" left with delta; its stem stays in beta
    assert "zebra" not in words and "kangaroos" not in words and "kangaroo" in words
    same_engine(load(corpus, cache), full)  # and its own snapshot serves the same


def test_incremental_reload_reads_only_changed_files(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unchanged documents are not read again (their passages come from the snapshot)."""
    cache = tmp_path / "cache"
    load(corpus, cache)
    change_corpus(corpus)
    import bot.engine.corpus as corpus_module

    read: list[str] = []
    real = corpus_module.read_bytes

    def spy(path: Path, *args: object) -> bytes | None:
        read.append(path.name)
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(corpus_module, "read_bytes", spy)
    load(corpus, cache)
    assert sorted(read) == ["beta.md", "epsilon.txt"]


VTT = (
    "WEBVTT\n\n00:00:01.000 --> 00:00:05.000\n"
    "<v Ana Ruiz>We crossed the border at night with the smugglers and the police.\n\n"
    "00:00:06.000 --> 00:00:09.000\n"
    "<v Bob>The police checkpoint asked for papers and money from everyone there.\n"
)


def test_incremental_reloads_of_languages_speakers_and_duplicates_equal_full_rebuilds(
    corpus: Path, tmp_path: Path
) -> None:
    """Reload after reload (an original of a duplicate removed, a speaker renamed, a Spanish
    document added then removed, a document shadowing another's id), each equals a full rebuild."""
    cache = tmp_path / "cache"
    (corpus / "interview.vtt").write_text(VTT)
    (corpus / "eta.txt").write_text(f"Eta\n\n{DOCS['gamma.txt'].splitlines()[2]}\n")  # a duplicate
    (corpus / "sub").mkdir()
    (corpus / "sub" / "zeta.txt").write_text("Zeta\n\nPolice and border words, long enough.\n")
    load(corpus, cache)
    changes: list[Callable[[], object]] = [
        (corpus / "gamma.txt").unlink,
        lambda: (corpus / "interview.vtt").write_text(VTT.replace("Bob", "Carla")),
        lambda: (corpus / "informe.txt").write_text(INFORME),
        (corpus / "informe.txt").unlink,
        lambda: (corpus / "zeta.txt").write_text("Zeta Top\n\nShadows sub/zeta: police.\n"),
    ]
    for change in changes:
        change()
        incremental, full = load(corpus, cache), load(corpus, None)
        same_engine(incremental, full)
        assert incremental.speakers == full.speakers


def _load_in_child(folder: str, cache: str) -> list[tuple[str, float]]:
    engine = load(Path(folder), Path(cache))
    return [(h.passage.id, h.score) for h in engine.search("human rights border").hits]


def test_two_processes_building_at_once_leave_one_whole_snapshot(
    corpus: Path, tmp_path: Path
) -> None:
    """Two processes starting together on an empty cache both answer; the snapshot left is whole."""
    cache = tmp_path / "cache"
    with ProcessPoolExecutor(2) as pool:
        runs = [pool.submit(_load_in_child, str(corpus), str(cache)) for _ in range(4)]
        answers = [r.result() for r in runs]
    assert all(a == answers[0] for a in answers)
    served = load(corpus, cache)
    assert served.built.terms is None
    assert _load_in_child(str(corpus), str(cache)) == answers[0]
    assert [p.name for p in cache.iterdir() if p.name.endswith(".link")] == []


def test_no_cache_writes_nothing(corpus: Path, tmp_path: Path) -> None:
    """With the cache off nothing is written; with it on, the folder is made on demand."""
    cache = tmp_path / "nested" / "cache"
    load(corpus, None)
    assert not cache.exists()
    load(corpus, cache)
    assert os.listdir(cache)
