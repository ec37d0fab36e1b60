"""The command line, end to end over temporary corpora."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
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


def run(*argv: str, tty: bool = False) -> tuple[int, str]:
    """The CLI with the repository's settings file named explicitly (never the working
    directory's `config/bot.yaml` nor `$CORPUS_BOT_CONFIG`), unless the test names another."""
    args = list(argv) if "--config" in argv else ["--config", str(CONFIG), *argv]
    out = Terminal() if tty else io.StringIO()
    code = main(args, stdout=out)
    return code, out.getvalue()


class Terminal(io.StringIO):
    """An output stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


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
    """Text output shows the passage, unmarked when piped, and its source line."""
    code, out = run("--corpus", str(corpus), "search", "fentanyl", "--top", "1")
    assert code == 0
    assert "1. Cartels moved fentanyl across the border" in out
    assert "Beta Notes · Drug trafficking · line 5 · ¶1 ·" in out


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
    """A folder without documents says so, and where that folder came from."""
    assert run("--corpus", str(tmp_path), "search", "x")[0] == 1
    err = capsys.readouterr().err
    assert "no documents found in" in err and "(the folder given by --corpus)" in err
    config = tmp_path / "bot.yaml"
    config.write_text("corpus:\n  folder: nowhere\n", encoding="utf-8")
    assert run("--config", str(config), "docs")[0] == 1
    assert f"(corpus.folder of {config} (--config);" in capsys.readouterr().err


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


# -- issue 10: the command line as people type it ------------------------------------------------


def test_the_query_takes_every_word_dashes_included(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`search police -military` excludes military; `-violence` is a word, not `-v`."""
    code, out = run("search", "police", "-military", "--top", "50", "--json")
    data = json.loads(out)
    assert code == 0 and data["query"] == "police -military" and data["hits"]
    assert all("military" not in h["text"].lower() for h in data["hits"])
    code, out = run("search", "human", "-violence", "-k", "3", "--json")
    assert code == 0 and json.loads(out)["query"] == "human -violence"
    code, out = run("search", "police", "-k3", "-kill", "--json")
    data = json.loads(out)
    assert code == 0 and data["query"] == "police -kill" and len(data["hits"]) == 3
    code, out = run("search", "--json", "--", "--top", "police")
    assert code == 0 and json.loads(out)["query"] == "--top police"
    assert capsys.readouterr().err == ""


def test_global_options_work_before_or_after_the_command(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--corpus`, `--config` and `-v` may come before the command or after it."""
    before = run("--corpus", str(corpus), "-v", "search", "fentanyl", "--json")
    after = run("search", "fentanyl", "--json", "--corpus", str(corpus), "-v")
    assert before[0] == after[0] == 0
    assert json.loads(before[1])["hits"][0]["doc_id"] == "beta"
    assert json.loads(after[1]) == json.loads(before[1])
    assert "settings: " in capsys.readouterr().err  # -v says which settings were used
    assert run("docs", "--corpus", str(corpus), "--json")[0] == 0
    assert run("themes", "--config", str(ROOT / "config" / "bot.yaml"))[0] == 0


def test_whole_passages_by_default_never_altered_in_a_pipe(corpus: Path) -> None:
    """Piped output quotes each passage whole and verbatim: no marks, no cuts, no re-indenting."""
    code, out = run("--corpus", str(corpus), "search", "police", "measures", "agencies")
    data = json.loads(
        run("--corpus", str(corpus), "search", "police measures agencies", "--json")[1]
    )
    assert code == 0 and data["hits"]
    for hit in data["hits"]:
        assert f"{hit['rank']}. {hit['text']}\n" in out
    assert "«" not in out and "\033[" not in out
    seeds = json.loads(run("search", "human", "rights", "--top", "50", "--json")[1])["hits"]
    text = run("search", "human", "rights", "--top", "50")[1]
    assert all(h["text"] in text for h in seeds)


def test_snippets_mark_every_cut_with_an_ellipsis() -> None:
    """`--snippets` prints the best sentences; text cut from a longer passage ends with "…"."""
    code, out = run("search", "human", "rights", "--top", "50", "--snippets")
    data = json.loads(run("search", "human", "rights", "--top", "50", "--json")[1])
    assert code == 0
    cut = [h for h in data["hits"] if h["snippet"] != h["text"]]
    assert cut
    for hit in cut:
        start = hit["text"].index(hit["snippet"])
        shown = hit["snippet"] + (" …" if start + len(hit["snippet"]) < len(hit["text"]) else "")
        shown = ("… " if start else "") + shown
        assert f"{hit['rank']}. {shown}\n" in out


def test_highlight_is_bold_on_a_terminal_only(corpus: Path) -> None:
    """On a terminal matched words are ANSI bold; the JSON text is never marked."""
    code, out = run("--corpus", str(corpus), "search", "fentanyl", tty=True)
    assert code == 0 and "\033[1mfentanyl\033[0m" in out
    data = json.loads(run("--corpus", str(corpus), "search", "fentanyl", "--json", tty=True)[1])
    assert "\033[" not in json.dumps(data) and "«" not in json.dumps(data)


@pytest.mark.parametrize("top", ["0", "-1", "many"])
def test_a_top_below_one_is_a_usage_error(top: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`--top 0`, `--top -1`: exit 2 with a message, never a silent default."""
    assert run("search", "police", "--top", top)[0] == 2
    assert "--top" in capsys.readouterr().err


def test_a_top_over_the_cap_is_said(
    write_corpus: Callable[[dict[str, str | bytes]], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """`--top` takes up to 1,000 hits (batch use); more prints 1,000 with a note saying so."""
    paragraphs = [
        f"The harbour record {i} lists " + " ".join(f"w{i}x{j}" for j in range(12)) + "."
        for i in range(1005)
    ]
    corpus = write_corpus({"harbour.txt": "Harbour Records\n\n" + "\n\n".join(paragraphs)})
    code, out = run("--corpus", str(corpus), "search", "harbour", "--top", "1000", "--json")
    assert code == 0 and len(json.loads(out)["hits"]) == 1000
    assert "at most" not in capsys.readouterr().err
    code, out = run("--corpus", str(corpus), "search", "harbour", "--top", "1001", "--json")
    data = json.loads(out)
    assert code == 0 and len(data["hits"]) == 1000 < data["total"] == 1005
    err = capsys.readouterr().err
    assert "showing 1000 of 1,005 matching passages (--top is at most 1000)" in err


def test_errors_are_json_with_json(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With --json every error is {"error", "code"} on stdout, with the documented exit codes."""
    code, out = run("--corpus", str(corpus), "search", "police", "--doc", "zzz", "--json")
    assert code == 1 and json.loads(out)["code"] == 1
    assert "No document matches 'zzz'" in json.loads(out)["error"]
    code, out = run("--corpus", str(corpus), "search", "police", "--top", "0", "--json")
    assert code == 2 and json.loads(out) == {
        "error": "argument --top/-k: expected 1 or more, got 0",
        "code": 2,
    }
    code, out = run("--corpus", str(corpus), "passage", "nope", "--json")
    assert code == 1 and "No passage has the id 'nope'" in json.loads(out)["error"]
    code, out = run("--corpus", str(corpus / "nothing"), "docs", "--json")
    assert code == 2 and "not a folder" in json.loads(out)["error"]
    code, out = run("search", "--json")
    assert code == 2 and json.loads(out)["error"] == "give a query, or --queries FILE"
    assert capsys.readouterr().err == ""


class Recorded(io.StringIO):
    """An output stream that remembers what had been flushed out when."""

    flushed = ""

    def flush(self) -> None:
        self.flushed = self.getvalue()
        super().flush()


class Typed:
    """Queries typed on stdin one at a time: the next is typed only after an answer came out."""

    def __init__(self, lines: list[str], out: Recorded) -> None:
        self.lines, self.out, self.read = lines, out, 0

    def __enter__(self) -> Typed:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __iter__(self) -> Typed:
        return self

    def __next__(self) -> str:
        answered = len(self.out.flushed.splitlines())
        assert answered == self.read, f"{self.read} queries read, {answered} answers out"
        if self.read == len(self.lines):
            raise StopIteration
        self.read += 1
        return self.lines[self.read - 1] + "\n"


def test_batch_answers_stream_as_each_is_ready(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--queries - --json`: each answer is flushed before the next query is read, so a program
    feeding queries on stdin reads every answer at once (no waiting on a pipe's buffer)."""
    out = Recorded()
    monkeypatch.setattr("sys.stdin", Typed(["fentanyl", "community trust", "police"], out))
    code = main(
        ["--config", str(CONFIG), "--corpus", str(corpus), "search", "--queries", "-", "--json"],
        stdout=out,
    )
    assert code == 0 and [json.loads(x)["query"] for x in out.flushed.splitlines()] == [
        "fentanyl",
        "community trust",
        "police",
    ]


def test_no_traceback_for_a_missing_queries_file_or_ctrl_c(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--queries /nonexistent` is a usage error; Ctrl-C stops quietly with 130."""
    assert run("search", "--queries", "/nonexistent/q.txt")[0] == 2
    assert "--queries /nonexistent/q.txt: No such file or directory" in capsys.readouterr().err

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("bot.cli.context.Workspace.load", interrupted)
    try:
        code = run("search", "police")[0]
    except KeyboardInterrupt:  # would stop the whole test run
        pytest.fail("Ctrl-C escaped the command line")
    assert code == 130
    assert "Traceback" not in capsys.readouterr().err


def test_a_bad_regular_expression_in_the_settings_names_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`cleaning.drop_lines: ['[']` stops with a settings error naming the key, not a traceback."""
    config = tmp_path / "bot.yaml"
    config.write_text("cleaning:\n  drop_lines: ['[']\n", encoding="utf-8")
    assert run("--config", str(config), "search", "police")[0] == 2
    assert "cleaning.drop_lines[0]: not a valid regular expression" in capsys.readouterr().err


def test_skipped_files_are_counted_and_listed_with_v(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Skipped files: a one-line count on stderr; `-v` lists each with its reason."""
    (corpus / "report.xlsx").write_bytes(b"PK\x03\x04")
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    assert run("--corpus", str(corpus), "search", "police")[0] == 0
    assert capsys.readouterr().err == "2 files skipped; -v lists them\n"
    assert run("--corpus", str(corpus), "search", "police", "-v")[0] == 0
    err = capsys.readouterr().err
    assert "skipped report.xlsx: unsupported format" in err
    assert "skipped empty.txt: the file is empty" in err


def test_doc_takes_prefixes_titles_fuzzy_titles_and_repeats(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--doc` by unique fuzzy title; an ambiguous one lists candidates; repeated, several."""
    code, out = run("search", "cooperation", "--doc", "US-Mexico", "--json")
    assert code == 0 and {h["doc_id"] for h in json.loads(out)["hits"]} == {"003_121f44817b1ca664"}
    code, out = run("search", "police", "--doc", "Mexico")
    assert code == 1
    err = capsys.readouterr().err
    assert "'Mexico' matches 4 documents" in err and "004_d3ba802543a45c7e (Mexico and US" in err
    code, out = run("search", "police", "--doc", "000", "--doc", "002", "--top", "50", "--json")
    data = json.loads(out)
    assert code == 0 and data["documents"] == ["000_c034f933b67255ab", "002_8cf809adbd8e0d4a"]
    assert {h["doc_id"][:3] for h in data["hits"]} == {"000", "002"}


def test_plus_word_is_required() -> None:
    """`+word` keeps only passages containing the word."""
    data = json.loads(run("search", "police", "+trust", "--top", "50", "--json")[1])
    assert data["hits"] and all("trust" in h["text"].lower() for h in data["hits"])
    plain = json.loads(run("search", "police", "trust", "--json")[1])
    assert data["total"] < plain["total"]


def test_passage_by_document_and_paragraph_in_any_case() -> None:
    """`passage 000¶32` and `passage F899896A8CCD` open the same passage."""
    by_number = json.loads(run("passage", "000¶32", "--json")[1])
    by_id = json.loads(run("passage", "F899896A8CCD", "--json")[1])
    assert by_number["passage"]["id"] == by_id["passage"]["id"] == "f899896a8ccd"
    assert by_number["passage"]["ordinal"] == 32


def test_docs_says_which_settings_were_used() -> None:
    """`docs` ends with the settings file used and why."""
    code, out = run("docs")
    assert code == 0 and out.rstrip().endswith(f"settings: {CONFIG.resolve()} (--config)")


def test_the_cli_works_from_any_directory(tmp_path: Path) -> None:
    """Away from the repository, `python -m bot search Merida` finds the shipped settings."""
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "search", "Merida", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["hits"][0]["doc_id"] == "003_121f44817b1ca664"


@pytest.mark.parametrize("command", [["theme", "human-rights"], ["related", "f899896a8ccd"]])
def test_every_top_option_refuses_zero(command: list[str]) -> None:
    """`theme --top 0` and `related --top 0` are usage errors too."""
    assert run(*command, "--top", "0")[0] == 2


def test_index_cache_options_choose_where_snapshots_go(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--index-cache DIR` writes a snapshot there and answers the same from it on the next
    run; `--no-index-cache` writes none, even where the settings or environment ask for one."""
    monkeypatch.delenv("CORPUS_BOT_INDEX_CACHE", raising=False)
    cache = tmp_path / "snapshots"
    code, built = run(
        "--corpus", str(corpus), "--index-cache", str(cache), "search", "police", "--json"
    )
    assert code == 0 and any(p.is_symlink() for p in cache.iterdir())
    code, served = run(
        "search", "police", "--json", "--corpus", str(corpus), "--index-cache", str(cache)
    )
    assert code == 0 and json.loads(served) == json.loads(built)
    other = tmp_path / "other"
    monkeypatch.setenv("CORPUS_BOT_INDEX_CACHE", str(other))
    code, _ = run("--no-index-cache", "--corpus", str(corpus), "search", "police", "--json")
    assert code == 0 and not other.exists()


def test_loading_bar_only_on_a_terminal() -> None:
    """The progress bar draws on a terminal (after its delay) and writes nothing to a pipe."""
    from bot.cli.progress import LoadingBar

    piped = io.StringIO()
    with LoadingBar(piped, delay=0.0) as bar:
        for done in range(0, 101, 10):
            bar("passages", done, 100)
    assert piped.getvalue() == ""
    terminal = Terminal()
    with LoadingBar(terminal, delay=0.0) as bar:
        bar("files", 3, 10)
        bar("passages", 50, 100)
    assert "Reading files" in terminal.getvalue() and "Analysing passages" in terminal.getvalue()


def test_cli_stderr_has_no_progress_bar_when_piped(
    corpus: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A script reading stderr gets no bar characters, even when loading is slow."""
    monkeypatch.setattr("bot.cli.progress.SHOW_AFTER", 0.0)
    code, _ = run("--corpus", str(corpus), "search", "police", "--json")
    assert code == 0 and "\r" not in capsys.readouterr().err


def test_speaker_keeps_one_speakers_turns(tmp_path: Path) -> None:
    """`search --speaker R1 --json` returns R1's turns only; an unknown speaker names the others."""
    from tests.engine.readers.test_transcripts import INTERVIEW

    folder = tmp_path / "interviews"
    folder.mkdir()
    (folder / "int07.txt").write_text(INTERVIEW, encoding="utf-8")
    code, out = run(
        "--corpus", str(folder), "search", "army", "soldiers", "--speaker", "R1", "--json"
    )
    assert code == 0
    hits = json.loads(out)["hits"]
    assert hits and {h["speaker"] for h in hits} == {"R1"}
    code, out = run("--corpus", str(folder), "search", "army", "--speaker", "R9")
    assert "No passage is spoken by 'R9'. Speakers: Interviewer, R1." in out
