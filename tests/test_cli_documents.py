"""`cite`, `add`, `remove` and `docs --json` from a terminal, end to end over a temporary corpus."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import TINY_CORPUS
from tests.engine.readers.builders import PdfPage, PdfSpec, make_pdf

FIRST = "Inspections at the harbour found containers with undeclared chemical precursors."
SECOND = "Training for the municipal police ran through the winter in three northern states."


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in TINY_CORPUS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def harbour(tmp_path: Path) -> Path:
    """A two-page PDF outside the corpus, as a researcher has it in Downloads."""
    path = tmp_path / "downloads" / "harbour.pdf"
    path.parent.mkdir()
    pdf = PdfSpec(
        [PdfPage([FIRST], bookmark=(0, "Harbour controls")), PdfPage([SECOND])],
        title="Harbour Inspections",
        author="Ana López",
    )
    path.write_bytes(make_pdf(pdf))
    return path


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), stdout=out)
    return code, out.getvalue()


def test_add_then_search_and_cite_the_page(corpus: Path, harbour: Path) -> None:
    """`add` copies the PDF in and says what was read; `search` then quotes it with its page,
    and `cite` gives the page in APA, Chicago and BibTeX."""
    code, out = run("--corpus", str(corpus), "add", str(harbour))
    assert code == 0
    assert out.startswith(
        "added harbour.pdf: Harbour Inspections — Ana López · 2021-03-15 · PDF, 2 pages · "
        "English · 2 passages\n  first section: Harbour controls\n"
    )
    assert (corpus / "harbour.pdf").read_bytes() == harbour.read_bytes()
    code, out = run("--corpus", str(corpus), "search", "winter", "training", "--json")
    hit = json.loads(out)["hits"][0]
    assert (hit["doc_id"], hit["page"]) == ("harbour", "2")
    code, out = run("--corpus", str(corpus), "cite", hit["passage_id"])
    assert code == 0
    assert "In text:   (López, 2021, p. 2)" in out and "In text:   (López 2021, 2)" in out
    assert "@misc{lopez2021harbour," in out and r"\cite[p.~2]{lopez2021harbour}" in out
    code, out = run("--corpus", str(corpus), "cite", hit["passage_id"], "--style", "apa", "--json")
    data = json.loads(out)
    assert data["apa"]["in_text"] == "(López, 2021, p. 2)" and "chicago" not in data
    assert data["csl"]["type"] == "report" and data["locator"] == {"label": "page", "value": "2"}


def test_add_refuses_bad_files_and_keeps_the_good_ones(
    corpus: Path, harbour: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A truncated PDF and an unsupported file are refused by name and reason (exit 1) while
    the good file in the same command is added; the corpus holds nothing else."""
    cut = tmp_path / "downloads" / "cut.pdf"
    cut.write_bytes(harbour.read_bytes()[:900])
    script = tmp_path / "downloads" / "setup.exe"
    script.write_bytes(b"MZ")
    before = sorted(p.name for p in corpus.iterdir())
    code, _ = run("--corpus", str(corpus), "add", str(cut), str(harbour), str(script))
    assert code == 1
    err = capsys.readouterr().err
    assert "error: cut.pdf: a damaged or truncated PDF" in err
    assert "error: setup.exe: the corpus holds only" in err
    assert sorted(p.name for p in corpus.iterdir()) == sorted([*before, "harbour.pdf"])


def test_add_without_replace_keeps_the_existing_file(
    corpus: Path, harbour: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second add of the same name is refused; `--replace` moves the old file to .removed/."""
    assert run("--corpus", str(corpus), "add", str(harbour))[0] == 0
    assert run("--corpus", str(corpus), "add", str(harbour))[0] == 1
    assert "use replace" in capsys.readouterr().err
    code, out = run("--corpus", str(corpus), "add", "--replace", str(harbour))
    assert code == 0 and "replaced harbour.pdf (kept in .removed/)" in out
    assert (corpus / ".removed" / "harbour.pdf").exists()


def test_remove_moves_the_file_aside(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`remove gamma` moves gamma.txt to .removed/; `docs` no longer lists it; the last document
    is never removed."""
    code, out = run("--corpus", str(corpus), "remove", "gamma")
    assert code == 0 and "its file is kept as .removed/gamma.txt" in out
    assert (corpus / ".removed" / "gamma.txt").exists() and not (corpus / "gamma.txt").exists()
    code, out = run("--corpus", str(corpus), "docs", "--json")
    assert [d["doc_id"] for d in json.loads(out)["documents"]] == ["alpha", "beta"]
    assert run("--corpus", str(corpus), "remove", "beta")[0] == 0
    assert run("--corpus", str(corpus), "remove", "alpha")[0] == 1
    assert "alpha.txt: it is the corpus's only document" in capsys.readouterr().err
    assert (corpus / "alpha.txt").exists()


def test_docs_json_carries_the_metadata(corpus: Path, harbour: Path) -> None:
    """`docs --json`: authors, date, url, format, pages and language for each document."""
    run("--corpus", str(corpus), "add", str(harbour))
    docs = {
        d["doc_id"]: d
        for d in json.loads(run("--corpus", str(corpus), "docs", "--json")[1])["documents"]
    }
    pdf = docs["harbour"]
    assert (pdf["authors"], pdf["date"], pdf["format"], pdf["pages"], pdf["language"]) == (
        ["Ana López"],
        "2021-03-15",
        "pdf",
        2,
        "en",
    )
    assert (docs["alpha"]["format"], docs["alpha"]["pages"], docs["alpha"]["url"]) == (
        "text",
        None,
        None,
    )
