"""bench/store.py still runs end to end at a toy size (no timing assertion)."""

from __future__ import annotations

from pathlib import Path

from bench import store as bench_store


def test_store_bench_reports_every_figure(tmp_path: Path) -> None:
    """A tiny run reports write rates against both peers, query times, export sizes and the
    command line's times."""
    result = bench_store.run(total=120, repeats=1, folder=tmp_path, sample=60)
    write = result["write"]
    assert write["sample"] == 60 and write["store_per_s"] > 0
    assert write["sqlite_full_per_s"] > 0 and write["store_time_x_sqlite_normal"] > 0
    assert result["fill"]["codings"] == 60
    assert result["query_ms"]["coded_first_page_rows"] <= 10
    assert set(result["export"]) == {"csv", "markdown", "web_annotation", "qdpx", "qdc"}
    assert all(e["mib"] >= 0 for e in result["export"].values())
    cli = result["cli"]  # the same answers through `corpus-bot coded` / `export`, and their peer
    assert {"coded_first_page_json", "export_project_qdpx", "peer_docs_json"} <= set(cli)
    assert cli["cli_first_command"] > 0 and (tmp_path / "out.qdpx").is_file()


def test_synthetic_corpus_and_anchors_are_deterministic() -> None:
    """The same seeds give the same passages and anchors, and every anchor cuts its quote."""
    a = bench_store.synthetic_corpus(3, 4)
    b = bench_store.synthetic_corpus(3, 4)
    assert [a.text(d) for d in a.doc_ids()] == [b.text(d) for d in b.doc_ids()]
    anchors = bench_store.anchors(a, 20)
    assert anchors == bench_store.anchors(b, 20)
    assert all(a.text(x.doc_id)[x.start : x.end] == x.quote for x in anchors)
