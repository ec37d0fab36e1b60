"""The benchmark code still runs and returns sane structures (no timing assertions), and the
quality metrics give trec_eval's numbers on toy rankings."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

from bench import cli_query, quality, speed, startup, startup_scale
from bench.engines import overlap_at_k, top_rows
from bench.metrics import evaluate, ndcg_at_k, recall_at_k
from bench.synthetic import generate_corpus, generate_queries, made_up_word

SMALL = 2000


@pytest.fixture(scope="module")
def speed_results() -> list[dict]:
    return [speed.run_engine(e, SMALL, 5) for e in ("ours", "rank_bm25")]


def test_synthetic_corpus_is_deterministic_and_zipfian() -> None:
    """The same seed gives the same passages; the most common word outnumbers a mid-rank one."""
    a, b = generate_corpus(SMALL, seed=7), generate_corpus(SMALL, seed=7)
    assert a.passages == b.passages
    assert a.passages != generate_corpus(SMALL, seed=8).passages
    assert all(8 <= len(p) <= 200 for p in a.passages)
    flat = [w for p in a.passages for w in p]
    assert flat.count(a.vocabulary[0]) > 10 * flat.count(a.vocabulary[100])


def test_made_up_words_are_unique() -> None:
    """Every rank gets its own word, so the vocabulary has exactly the requested size."""
    words = [made_up_word(r) for r in range(20_000)]
    assert len(set(words)) == len(words)


def test_queries_have_two_to_five_distinct_terms() -> None:
    """Queries are deterministic bags of 2–5 distinct vocabulary words."""
    vocab = generate_corpus(10).vocabulary
    queries = generate_queries(vocab, 50, seed=3)
    assert queries == generate_queries(vocab, 50, seed=3)
    assert all(2 <= len(q) <= 5 and len(set(q)) == len(q) for q in queries)
    known = set(vocab)
    assert all(w in known for q in queries for w in q)


def test_speed_child_reports_every_figure(speed_results: list[dict]) -> None:
    """A child run reports build time, memory, latency percentiles and one top 10 per query."""
    for r in speed_results:
        assert r["size"] == SMALL and r["queries"] == 5
        # peak_mib is a difference of RSS readings: tiny runs can read slightly negative.
        assert r["build_s"] > 0 and isinstance(r["peak_mib"], float)
        lat = r["latency_ms"]
        assert 0 < lat["p50"] <= lat["p95"] <= lat["p99"]
        assert len(r["top10"]) == 5 and all(len(t) <= 10 for t in r["top10"])
    json.dumps(speed_results)  # what the parent parses


def test_ours_agrees_with_rank_bm25(speed_results: list[dict]) -> None:
    """On the same tokens our top 10 is rank_bm25's, so the speed ratios compare like with like."""
    (ratio,) = speed.compare(speed_results)
    assert ratio["peer"] == "rank_bm25"
    assert ratio["overlap_at_10"] == 1.0
    assert "rank_bm25" in speed.format_report(speed_results, [ratio])


def test_rank_bm25_is_skipped_when_projected_too_slow() -> None:
    """A slow smaller run projects linearly; past the budget rank_bm25 is skipped with a reason."""
    measured = [{"engine": "rank_bm25", "size": 1000, "build_s": 1.0, "query_total_s": 1.0}]
    assert speed.should_skip("rank_bm25", 100_000, measured) is None  # 200 s
    assert "projected" in speed.should_skip("rank_bm25", 1_000_000, measured)
    assert speed.should_skip("ours", 10**9, measured) is None


def test_top_rows_breaks_ties_by_row() -> None:
    """Dense top k is best first, equal scores in row order, like PassageIndex."""
    import numpy as np

    assert top_rows(np.array([0.5, 2.0, 1.0, 2.0, 1.0]), 3) == [1, 3, 2]
    assert overlap_at_k([1, 2, 3], [3, 2, 9], 10) == pytest.approx(2 / 3)
    assert overlap_at_k([], [], 10) == 1.0


def test_ndcg_uses_linear_graded_gains() -> None:
    """nDCG@10 = DCG / ideal DCG with gain = grade and discount log2(rank + 1), as trec_eval."""
    judged = {"b": 1, "c": 2}
    expected = (1 / math.log2(3) + 2 / math.log2(4)) / (2 / math.log2(2) + 1 / math.log2(3))
    assert ndcg_at_k(["a", "b", "c"], judged) == pytest.approx(expected)
    assert ndcg_at_k(["c", "b"], judged) == pytest.approx(1.0)
    assert ndcg_at_k(["a", "b", "c"], judged, k=1) == 0.0
    assert ndcg_at_k(["x"], {}) == 0.0


def test_binary_ndcg_and_recall_on_toy_qrels() -> None:
    """Known values on a binary toy: one hit at rank 2 of 2 relevant; unjudged queries skipped."""
    qrels = {"q1": {"d1": 1, "d2": 1}, "q2": {"d3": 1}, "q3": {"d4": 0}}
    run = {"q1": ["d9", "d1"], "q3": ["d4"]}  # q2 missing from the run: counts as 0
    assert recall_at_k(run["q1"], qrels["q1"], 100) == 0.5
    assert recall_at_k(run["q1"], qrels["q1"], 1) == 0.0
    q1_ndcg = (1 / math.log2(3)) / (1 + 1 / math.log2(3))
    assert q1_ndcg == pytest.approx(0.386852807)
    result = evaluate(run, qrels)
    assert result["queries"] == 2
    assert result["ndcg"] == pytest.approx(q1_ndcg / 2)
    assert result["recall"] == pytest.approx(0.25)


def test_quality_runs_on_a_toy_collection(tmp_path: Path) -> None:
    """The quality script reads the collection format and scores all three engines."""
    docs = [
        ("d1", "Human rights", "Universal declaration of human rights and freedoms."),
        ("d2", "Cats", "Cats purr and sleep in the sun."),
        ("d3", "Dogs", "Dogs bark at the postman."),
        ("d4", "Rights of cats", "Do cats have rights? Philosophers disagree."),
    ]
    with open(tmp_path / "corpus.jsonl", "w") as f:
        for i, t, x in docs:
            f.write(json.dumps({"id": i, "title": t, "text": x}) + "\n")
    with open(tmp_path / "queries.jsonl", "w") as f:
        f.write(json.dumps({"id": "1", "text": "human rights"}) + "\n")
        f.write(json.dumps({"id": "2", "text": "barking dogs"}) + "\n")
    qrels = "query-id\tcorpus-id\tscore\n1\td1\t2\n1\td4\t1\n2\td3\t1\n"
    (tmp_path / "qrels.tsv").write_text(qrels)
    result = quality.assess(quality.load_collection(tmp_path), sweep=False)
    assert set(result["headline"]) == {"ours", "bm25s", "rank_bm25 (our tokens)"}
    assert result["headline"]["ours"]["ndcg"] == pytest.approx(1.0)
    for m in [*result["headline"].values(), *result["ablation"].values()]:
        assert 0.0 <= m["ndcg"] <= 1.0 and 0.0 <= m["recall"] <= 1.0
    assert "ours" in quality.format_report("toy", result)
    product = quality.assess_product(quality.load_collection(tmp_path), tmp_path / "work")
    shipped = product["product (CLI, shipped settings)"]
    assert shipped["ndcg"] == pytest.approx(1.0) and shipped["queries"] == 2
    written = (tmp_path / "work" / tmp_path.name / "corpus" / "d4.md").read_text()
    assert written == "# Rights of cats\n\nDo cats have rights? Philosophers disagree.\n"


def test_cli_query_bench_times_every_answer() -> None:
    """The CLI bench feeds every query and reads every answer, with bm25s beside it."""
    result = cli_query.measure(size=400, n_queries=4, runs=1, top=5)
    assert len(result["ours_cli_ms_per_run"]) == 1 and result["ours_cli_ms_per_query"] > 0
    assert result["bm25s_ms_per_query"] > 0 and result["ratio"] > 0


def test_import_profile_parses_importtime() -> None:
    """The start-up script finds import times in `-X importtime` output."""
    profile = startup.import_profile([sys.executable, "-c", "import json"])
    assert profile["imports_s"] > 0
    assert "json" in {m["module"] for m in profile["packages"]}


def test_time_command_reports_cpu_time_beside_wall_time() -> None:
    """The start-up script measures each run's CPU time, which a busy machine does not inflate."""
    cpu: list[float] = []
    wall = startup.time_command([sys.executable, "-c", "sum(range(10**6))"], runs=2, cpu=cpu)
    assert len(wall) == len(cpu) == 2 and all(c > 0 for c in cpu)


def test_explore_bench_reports_every_command() -> None:
    """bench/explore.py times every command, the capped common word and the full-scan peer."""
    from bench import explore

    result = explore.run_size(1000, 3, 1, "config/bot.yaml")
    assert set(result["commands"]) >= {"search (peer)", "kwic engine", "/trend answer (with chart)"}
    for stats in result["commands"].values():
        assert 0 <= stats["p50_ms"] <= stats["p95_ms"] <= stats["max_ms"]
    assert result["most_common_word"]["candidates"] > 900
    assert len(result["full_scan_peer"]) == 1
    assert len(explore.pick_terms(5)) == 5


def test_startup_scale_child_reports_load_reload_and_latency(tmp_path: Path) -> None:
    """The end-to-end child loads from files, answers, times queries and the /reload path."""
    folder, queries = startup_scale.corpus_folder(tmp_path, 400)
    changed = startup_scale.changed_file(folder)
    before = changed.read_text()
    ours = startup_scale.child("ours", folder, tmp_path / "cache", queries[:4])
    assert ours["load_and_first_answer_s"] > 0 and ours["reload_s"] > 0
    assert 0 < ours["latency_ms"]["p50"] <= ours["latency_ms"]["p99"]
    assert ours["engine_only_ms"]["p50"] > 0
    assert changed.read_text() == before  # put back
    peer = startup_scale.child("bm25s", folder, None, queries[:4])
    assert peer["latency_ms"]["p50"] > 0
    json.dumps([ours, peer])


def test_startup_scale_measures_a_child_process_alone(tmp_path: Path) -> None:
    """Wall time, the child's own peak RSS (it allocates 64 MiB) and its output."""
    code = "b = bytearray(64 * 1024 * 1024); print('done')"
    r = startup_scale.run_measured([sys.executable, "-c", code])
    assert r["stdout"].strip() == "done" and r["peak_mib"] >= 64 and r["seconds"] > 0
    with pytest.raises(RuntimeError, match="failed"):
        startup_scale.run_measured([sys.executable, "-c", "raise SystemExit(3)"])


def test_team_answers_bench_runs_small() -> None:
    """bench/team_answers.py fills the codings it was asked for and times every answer."""
    from bench import team_answers

    result = team_answers.run(500, 1)
    assert result["codings"] >= 500
    assert set(result["seconds"]) == {
        "search",
        "coded",
        "codes",
        "export_codings_csv",
        "export_project_qdpx",
    }
