"""bench/RESULTS.md from the results of one run (see bench/run.py)."""

from __future__ import annotations

from .stats import fmt, table

TARGETS = """\
Targets (issue): warm full-answer p95 ≤ 150 ms (bundled) and ≤ 400 ms (30,000 docs); BM25 indexing
≥ 5,000 chunks/s; embedding ≥ 40 passages/s of 300 characters; adding one document ≤ 5 s; cold start
≤ 8 s; peak RSS ≤ 2 GB at 30,000 docs."""


def _rate(n, s):
    return n / s if s and s > 0 else None


def render(results: dict) -> str:
    m = results.get("machine", {})
    out = ["# Benchmark results", ""]
    out.append(
        f"Machine: {m.get('cpu')} · {m.get('cores')} cores · {m.get('ram_gib')} GiB RAM · Python {m.get('python')} · "
        f"torch {m.get('torch')} · faiss {m.get('faiss')} · bm25s {m.get('bm25s')} · sentence-transformers "
        f"{m.get('sentence_transformers')} · rank_bm25 {m.get('rank_bm25')} · run {m.get('date')} · load average "
        f"at start {m.get('load_at_start')}."
    )
    out += ["", "Absolute figures describe this machine only (shared with other jobs during the run: see the "
            "load average); compare sizes and peers as ratios within one run. Command: "
            "`.venv/bin/python -m bench.run` (or `make bench`). Sizes and parts not re-run are kept from the "
            "previous run (see the `measured` column); the machine line is from the latest invocation. Speed "
            "changes and their before/after figures: docs/scaling.md.", "", TARGETS, ""]
    sizes = results.get("sizes", [])
    if sizes:
        out += ["## Build throughput per stage", ""]
        rows = []
        for s in sizes:
            d, c = s["docs"], s["chunks"]
            emb = (f"{fmt(_rate(s['embedded_real'], s['embedded_real_s']))} passages/s ({s['embedded_real']:,} embedded)"
                   if s.get("embedded_real") else "all from cache")
            rows.append([
                s["size"], d, c, fmt(_rate(d, s["parse_s"]), 0), fmt(_rate(c, s["chunk_s"]), 0),
                fmt(_rate(c, s["bm25_index_only_s"]), 0), fmt(_rate(c, s["tokenize_s"]), 0),
                f"{s['embed_s']:.1f} s: {emb}", fmt(_rate(c, s["faiss_s"]), 0) + f" ({s['faiss_kind']})",
                f"{s['write_s']:.1f}", f"{s['build_total_s']:.1f}",
            ])
        out.append(table(["size", "docs", "chunks", "parse docs/s", "chunk chunks/s", "BM25 index chunks/s",
                          "BM25 tokenize chunks/s", "embed", "faiss chunks/s", "write s", "build total s"], rows))
        out += ["", "Embedding cache: " + "; ".join(
            f"{s['size']}: {s['cached_passages']:,} distinct passages cached, {s['missing_passages']:,} not"
            + (f" → **{s['synthetic']:,} SYNTHETIC random vectors** (speed only; quality not measured at this size)"
               if s.get("synthetic") else "") for s in sizes) + ".", ""]
        out += ["## Queries, cold start, memory, adding a document", ""]
        rows = []
        for s in sizes:
            r, a = s["retrieve"], s["answer"]
            rows.append([
                s["size"], s["docs"], r["n"], f"{r['p50_ms']:.0f} / {r['p95_ms']:.0f} / {r['p99_ms']:.0f}",
                f"{a['p50_ms']:.0f} / {a['p95_ms']:.0f} / {a['p99_ms']:.0f}", f"{s['cold_start_s']:.1f}",
                f"{s.get('load_s', float('nan')):.2f}",
                f"{s['serve_peak_rss_mib']:.0f}", f"{s.get('build_peak_rss_mib', float('nan')):.0f}",
                f"{s['child_peak_rss_mib']:.0f}", f"{s['add_one_s']:.1f}", s.get("measured_at", ""),
            ])
        out.append(table(["size", "docs", "queries", "retrieve p50/p95/p99 ms", "full answer p50/p95/p99 ms",
                          "cold start s", "index load s", "serving peak RSS MiB", "build peak RSS MiB",
                          "whole run peak RSS MiB (build, queries, add one)", "add one doc s", "measured"], rows))
        out += ["", "Cold start: a fresh `policyqa ask` process over the built index, best of 3 (" + "; ".join(
            f"{s['size']}: {s['cold_start_all_s']}" for s in sizes) + " s). Adding one document: `build_index` "
            "with one new document over the built index, embedder already loaded (" + "; ".join(
            f"{s['size']}: {s['add_one_detail']}" for s in sizes) + ").", ""]
    emb = results.get("embed_sample")
    if emb:
        out += ["## Embedding throughput (fixed sample)", "",
                f"{emb['sample']} passages of {emb['avg_chars']:.0f} characters cut from the bundled corpus, no cache.", ""]
        out.append(table(["threads", "batch", "passages/s", "seconds"],
                         [[r["threads"], r["batch"], fmt(r["per_s"]), fmt(r["seconds"], 2)] for r in emb["rows"]]))
        out += ["", "One question at a time (model call only): " + "; ".join(
            f"{k}: p50 {v['p50_ms']:.0f} ms, p95 {v['p95_ms']:.0f} ms" for k, v in emb["query_latency"].items()) + ".", ""]
    peers = results.get("peers")
    if peers:
        out += ["## Peers: lexical (whole documents, BEIR qrels)", ""]
        out.append(table(["set", "peer", "docs", "queries", "index s", "index docs/s", "query p50/p95 ms", "hit@10"], [
            [r["set"], r["peer"], r["docs"], r["queries"], fmt(r["index_s"], 2), fmt(r["docs_per_s"], 0),
             f"{r['latency']['p50_ms']:.1f} / {r['latency']['p95_ms']:.1f}", fmt(r["hit@10"], 3)]
            for r in peers["lexical"]]))
        d = peers["dense"]
        out += ["", f"## Peers: dense ({d['vectors']:,} real passage vectors, {d['queries']} real queries)", ""]
        out.append(table(["index", "build s", "query p50/p95 ms", "recall@10 vs exact"], [
            [r["peer"], fmt(r["build_s"], 2), f"{r['latency']['p50_ms']:.2f} / {r['latency']['p95_ms']:.2f}",
             fmt(r["recall@10_vs_exact"], 3)] for r in d["rows"]]))
        out.append("")
    return "\n".join(out) + "\n"
