"""Benchmark harness: python -m bench.run --sizes N (see bench/README.md)."""
