import math

from bench.report import render
from bench.stats import latency_summary, percentile, table


def test_percentile_interpolates_like_numpy():
    xs = [5, 1, 3, 2, 4]
    assert percentile(xs, 50) == 3
    assert percentile(xs, 0) == 1 and percentile(xs, 100) == 5
    assert percentile(list(range(1, 101)), 95) == 95.05
    assert math.isnan(percentile([], 50))


def test_latency_summary_is_in_milliseconds():
    s = latency_summary([0.1, 0.2, 0.3])
    assert s["n"] == 3 and abs(s["p50_ms"] - 200) < 1e-9


def test_table_and_render_label_synthetic_vectors():
    assert table(["a", "b"], [[1, 2.0]]).splitlines()[2] == "| 1 | 2.0 |"
    size = {
        "size": "large", "docs": 10, "chunks": 20, "parse_s": 1.0, "chunk_s": 1.0, "bm25_index_only_s": 0.01,
        "tokenize_s": 0.1, "embed_s": 0.5, "embedded_real": 0, "embedded_real_s": 0.0, "faiss_s": 0.1,
        "faiss_kind": "IndexFlatIP", "write_s": 0.2, "build_total_s": 2.0, "cached_passages": 15,
        "missing_passages": 5, "synthetic": 5, "retrieve": latency_summary([0.1]), "answer": latency_summary([0.2]),
        "cold_start_s": 3.0, "cold_start_all_s": [3.0], "serve_peak_rss_mib": 900.0, "child_peak_rss_mib": 1000.0,
        "add_one_s": 1.0, "add_one_detail": {},
    }
    text = render({"machine": {"cpu": "x"}, "sizes": [size]})
    assert "SYNTHETIC" in text and "| large | 10 | 20 |" in text
