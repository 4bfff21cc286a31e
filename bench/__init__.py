"""Speed benchmarks (build, query, cold start, memory) and peer comparisons; see bench/run.py."""
