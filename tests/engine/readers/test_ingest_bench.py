"""bench/ingest.py still runs: every extractor reads the same pages and reports figures."""

from __future__ import annotations

from bench import ingest


def test_ingest_bench_reports_every_extractor() -> None:
    """A tiny run gives pages/s and a ratio to ours for each extractor, all reading text."""
    out = ingest.run(n_docs=1, n_pages=2, repeat=1)
    assert out["pages"] >= 2 and set(out["extractors"]) == set(ingest.EXTRACTORS)
    for figures in out["extractors"].values():
        assert figures["pages_per_s"] > 0 and figures["chars"] > 500
    assert out["extractors"]["ours"]["ratio_to_ours"] == 1.0
