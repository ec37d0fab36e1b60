"""The exploration commands of the command line, end to end over a hand-counted corpus."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from bot.cli import main
from tests.engine.explore_corpora import KWIC_CORPUS, VIOLENCE_THEME


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in KWIC_CORPUS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def config(tmp_path: Path, corpus: Path) -> Path:
    """Settings whose codebook holds the theme "violence"."""
    (tmp_path / "themes.yaml").write_text(VIOLENCE_THEME, encoding="utf-8")
    path = tmp_path / "bot.yaml"
    path.write_text(
        f"corpus:\n  folder: {corpus}\nthemes:\n  file: themes.yaml\n", encoding="utf-8"
    )
    return path


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), stdout=out)
    return code, out.getvalue()


def test_kwic_json_lines_then_the_total(corpus: Path) -> None:
    """One JSON object per occurrence (left, match, right, passage_id, doc_id), then a summary."""
    code, out = run("--corpus", str(corpus), "kwic", "merida", "--json")
    rows = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and len(rows) == 6
    for row in rows[:5]:
        assert {"left", "match", "right", "passage_id", "doc_id"} <= set(row)
    assert [r["match"] for r in rows[:5]] == ["Mérida", "MERIDA", "merida", "Mérida", "Merida"]
    assert rows[5]["total"] == 5 and rows[5]["by_doc"] == {"a": 4, "b": 1}


def test_kwic_text_aligns_the_matches(corpus: Path) -> None:
    code, out = run("--corpus", str(corpus), "kwic", "killing", "--stem", "--sort", "left")
    lines = [x for x in out.splitlines() if "«" in x]
    assert code == 0 and len(lines) == 6
    assert len({x.index("«") for x in lines}) == 1  # the matches start in one column
    assert "6 occurrences of killing (all forms) — a 4, b 2" in out


def test_collocates_and_keywords_json(corpus: Path) -> None:
    code, out = run("--corpus", str(corpus), "collocates", "merida", "--min-freq", "1", "--json")
    data = json.loads(out)
    assert code == 0 and data["node_frequency"] == 5 and data["measure"] == "ll"
    assert data["corpus_terms"] == 43 and data["collocates"]
    code, out = run(
        "--corpus", str(corpus), "keywords", "a", "--min-freq", "1", "--p", "0.05", "--json"
    )
    data = json.loads(out)
    assert code == 0 and data["doc_id"] == "a" and data["document_terms"] == 24


def test_trend_writes_its_chart(config: Path, tmp_path: Path) -> None:
    """`trend violence --png FILE` counts the theme and saves an 800×450 PNG."""
    png = tmp_path / "out" / "trend.png"
    png.parent.mkdir()
    code, out = run("--config", str(config), "trend", "violence", "--png", str(png), "--json")
    data = json.loads(out)
    assert code == 0 and data["kind"] == "theme"
    assert [(p["key"], p["count"]) for p in data["points"]] == [("a", 4), ("b", 2), ("c", 0)]
    assert Image.open(png).size == (800, 450)


def test_trend_with_nothing_to_draw_exits_1(corpus: Path, tmp_path: Path) -> None:
    png = tmp_path / "nothing.png"
    code, out = run("--corpus", str(corpus), "trend", "cocaine", "--png", str(png))
    assert code == 1 and not png.exists()
    assert "No document uses the word 'cocaine'" in out


def test_themes_png(config: Path, tmp_path: Path) -> None:
    png = tmp_path / "themes.png"
    code, _ = run("--config", str(config), "themes", "--png", str(png))
    assert code == 0 and Image.open(png).size == (800, 450)


def test_unknown_document_exits_1(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run("--corpus", str(corpus), "keywords", "zzz")
    assert code == 1 and "No document matches 'zzz'" in capsys.readouterr().err
