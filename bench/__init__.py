"""Benchmark scripts; figures go to BENCHMARKS.md."""
