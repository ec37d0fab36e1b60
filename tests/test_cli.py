"""The command line, end to end over temporary corpora."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import CONFIG, ROOT, TINY_CORPUS


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in TINY_CORPUS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def run(*argv: str) -> tuple[int, str]:
    """The CLI with the repository's settings file named explicitly (never the working
    directory's `config/bot.yaml` nor `$CORPUS_BOT_CONFIG`), unless the test names another."""
    args = list(argv) if "--config" in argv else ["--config", str(CONFIG), *argv]
    out = io.StringIO()
    code = main(args, stdout=out)
    return code, out.getvalue()


def test_search_json_has_the_documented_shape(corpus: Path) -> None:
    """`search --json` prints one object with query and hits (rank, score, ids, text, snippet)."""
    code, out = run("--corpus", str(corpus), "search", "Merida", "human", "rights", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["query"] == "Merida human rights"
    hit = data["hits"][0]
    for key in ("rank", "score", "passage_id", "doc_id", "title", "section", "text", "snippet"):
        assert key in hit
    assert hit["doc_id"] == "alpha" and hit["section"] == "Human rights in Mérida"
    assert "Mérida Initiative funded training" in hit["text"]


def test_correction_and_suggestions_in_json(corpus: Path) -> None:
    """A misspelt word is corrected and reported under "corrected" and "suggestions"."""
    code, out = run("--corpus", str(corpus), "search", "extrajudical", "--json")
    data = json.loads(out)
    assert code == 0 and data["corrected"] == "extrajudicial"
    assert data["suggestions"] == {"extrajudical": ["extrajudicial"]}


def test_batch_queries_print_json_lines(corpus: Path, tmp_path: Path) -> None:
    """`--queries FILE --json` answers each line from one index, one JSON object per line."""
    queries = tmp_path / "q.txt"
    queries.write_text("fentanyl\n\ncommunity trust\nnothingmatcheshere\n", encoding="utf-8")
    code, out = run("--corpus", str(corpus), "search", "--queries", str(queries), "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["query"] for r in rows] == [
        "fentanyl",
        "community trust",
        "nothingmatcheshere",
    ]
    assert rows[0]["hits"][0]["doc_id"] == "beta" and rows[2]["hits"] == []


def test_readable_output_quotes_and_cites(corpus: Path) -> None:
    """Terminal output shows the snippet with marked words and a source line."""
    code, out = run("--corpus", str(corpus), "search", "fentanyl", "--top", "1")
    assert code == 0
    assert "«fentanyl»" in out and "Beta Notes · Drug trafficking · ¶1 ·" in out


def test_no_results_exit_zero_with_a_message(corpus: Path) -> None:
    """Nothing found is an answer, not an error."""
    code, out = run("--corpus", str(corpus), "search", "cocaine")
    assert code == 0 and "No passage matches 'cocaine'" in out


def test_passage_and_docs_commands(corpus: Path) -> None:
    """`passage ID --json` gives neighbours; `docs --json` lists every document."""
    _, out = run("--corpus", str(corpus), "search", "fentanyl", "--json")
    pid = json.loads(out)["hits"][0]["passage_id"]
    code, out = run("--corpus", str(corpus), "passage", pid, "--context", "1", "--json")
    ctx = json.loads(out)
    assert code == 0 and ctx["passage"]["id"] == pid and len(ctx["after"]) == 1
    code, out = run("--corpus", str(corpus), "docs", "--json")
    assert code == 0 and [d["doc_id"] for d in json.loads(out)["documents"]] == [
        "alpha",
        "beta",
        "gamma",
    ]


def test_usage_errors_exit_2(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No query, a missing corpus folder or a bad settings file exit 2 with a message."""
    assert run("--corpus", str(corpus), "search")[0] == 2
    assert run("--corpus", str(tmp_path / "missing"), "search", "x")[0] == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("bm25:\n  k1: fast\n", encoding="utf-8")
    assert run("--config", str(bad), "search", "x")[0] == 2
    assert "bm25.k1: expected a number" in capsys.readouterr().err


def test_unknown_passage_and_document_exit_1(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Unknown ids are a friendly error naming what was asked for."""
    assert run("--corpus", str(corpus), "passage", "nope")[0] == 1
    assert run("--corpus", str(corpus), "search", "police", "--doc", "zzz")[0] == 1
    err = capsys.readouterr().err
    assert "No passage has the id 'nope'" in err and "No document matches 'zzz'" in err


def test_empty_corpus_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A folder without documents says so."""
    assert run("--corpus", str(tmp_path), "search", "x")[0] == 1
    assert "no documents found in" in capsys.readouterr().err


def test_python_dash_m_bot_runs(corpus: Path) -> None:
    """`python -m bot` is the same program, in a real process."""
    argv = ["--config", str(CONFIG), "--corpus", str(corpus), "search", "fentanyl", "--json"]
    proc = subprocess.run(
        [sys.executable, "-m", "bot", *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["hits"][0]["doc_id"] == "beta"


def test_reading_commands_print_json_and_text(capsys: pytest.CaptureFixture[str]) -> None:
    """`summary`, `theme`, `themes` and `related` over the seeds, as JSON and as text."""
    code, out = run("summary", "003", "--json")
    data = json.loads(out)
    assert code == 0 and data["doc_id"] == "003_121f44817b1ca664"
    assert len(data["sentences"]) == len(data["passage_ids"]) > 0
    code, out = run("theme", "human-rights", "--top", "2", "--json")
    data = json.loads(out)
    assert code == 0 and data["theme"] == "human-rights" and len(data["hits"]) == 2
    assert "000_c034f933b67255ab" in data["by_doc"]
    code, out = run("themes")
    assert code == 0 and "human-rights" in out and "000" in out
    pid = data["hits"][0]["passage_id"]
    code, out = run("related", pid, "--top", "1", "--json")
    related = json.loads(out)["hits"]
    assert code == 0 and related and related[0]["doc_id"] != data["hits"][0]["doc_id"]
    assert run("theme", "nosuch")[0] == 1
    assert "No theme 'nosuch'" in capsys.readouterr().err
