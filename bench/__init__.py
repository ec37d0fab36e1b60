"""Benchmarks of the search engine: speed, memory, start-up and retrieval quality.

Not part of the test suite (only `tests/test_bench_smoke.py` checks that this code still runs);
see `bench/README.md` for what each script measures and how to run it.
"""
