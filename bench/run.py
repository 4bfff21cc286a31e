"""Build and query speed at three corpus sizes, the peers in the same run, and a results file.

    .venv/bin/python -m bench.run                          # all sizes, peers, embedding sample
    .venv/bin/python -m bench.run --sizes small --queries 50 --no-peers
    make bench

Each size is built and queried in its own process (so its peak RSS is its own, read with wait4):
parse, chunk, embed (from the content-keyed cache; the rest embedded for real, or with
``--missing synthetic`` replaced by random unit vectors, counted and labelled in the table), BM25,
faiss, write; then warm query latency for retrieval alone and for the full answer; then adding one
document to the built index. Cold start is a fresh `policyqa ask` process over the same index.
Indexes live in <cache>/bench-indexes/<size>. Figures are for this machine only: compare them as
ratios within one run. Results: printed, and written to bench/RESULTS.md (and .json).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"


def _peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def questions(size: str, n: int, seed: int = 0) -> list[str]:
    """Questions for latency: eval/sets/dev.jsonl, plus BEIR queries for the bigger sizes."""
    from eval.datasets import load_qa

    from .corpora import BEIR_SETS, SHARED

    qs = [item.question for item in load_qa(REPO / "eval" / "sets" / "dev.jsonl")]
    if size != "small":
        for name in BEIR_SETS:
            path = SHARED / name / "queries.jsonl"
            if path.is_file():
                with open(path, encoding="utf-8") as f:
                    qs += [json.loads(line)["text"] for line in f if line.strip()][:200]
    rng = random.Random(seed)
    rng.shuffle(qs)
    return qs[:n]


# ------------------------------------------------------------------------------------------------
# one size, in a child process
# ------------------------------------------------------------------------------------------------


def warm_latency(engine, qs: list[str]) -> tuple[dict, dict]:
    """Latency summaries of retrieval alone and of the full answer over ``qs``, after five warm-ups."""
    from .stats import latency_summary

    for q in qs[:5]:
        engine.ask(q)
    lat_r, lat_a = [], []
    for q in qs:
        t = time.perf_counter()
        engine.retrieve(q)
        lat_r.append(time.perf_counter() - t)
        t = time.perf_counter()
        engine.ask(q)
        lat_a.append(time.perf_counter() - t)
    return latency_summary(lat_r), latency_summary(lat_a)


class _CacheOnly:
    """An embedder that embeds for real, except passages listed as missing at the start of the
    run, which get random unit vectors (``--missing synthetic``: clearly not a quality setting)."""

    def __init__(self, real, synthetic: set[str] | None):
        self.real = real
        self.synthetic = synthetic or set()
        self.name = real.name
        self.n_synthetic = 0
        self.n_real = 0
        self.real_seconds = 0.0

    @property
    def dim(self) -> int:
        return self.real.dim

    def embed_queries(self, texts):
        return self.real.embed_queries(texts)

    def reads_whole(self, texts):
        return self.real.reads_whole(texts)

    def embed_passages(self, texts, show_progress: bool = False):
        import numpy as np

        out = np.zeros((len(texts), 384), dtype=np.float32)
        fake = [i for i, t in enumerate(texts) if t in self.synthetic]
        real = [i for i, t in enumerate(texts) if t not in self.synthetic]
        if fake:
            rng = np.random.default_rng(len(fake))
            v = rng.standard_normal((len(fake), out.shape[1])).astype(np.float32)
            out[fake] = v / np.linalg.norm(v, axis=1, keepdims=True)
            self.n_synthetic += len(fake)
        if real:
            t = time.perf_counter()
            out[real] = self.real.embed_passages([texts[i] for i in real])
            self.real_seconds += time.perf_counter() - t
            self.n_real += len(real)
        return out


def run_size(size: str, n_queries: int, missing: str) -> dict:
    from collections import Counter

    from index import embcache
    from index.build import WHOLE_MAX_CHARS, build_index
    from index.chunking import chunk_document
    from index.config import Settings
    from index.embcache import EmbeddingCache, text_key
    from index.embedding import Embedder
    from index.engine import Engine
    from index.ingest import IngestError

    from .corpora import source

    base = Settings()
    settings = base.with_(index_dir=Path(base.cache_dir) / "bench-indexes" / size)
    out: dict = {"size": size}

    # parse: files → Documents (records → Documents for the shared corpora)
    t = time.perf_counter()
    docs = list(source(size, settings))
    out["parse_s"] = time.perf_counter() - t
    good = [(p, d) for p, d in docs if not isinstance(d, IngestError)]
    out["docs"] = len(good)

    # chunk, separately timed (build_index chunks again below; its "parse+chunk" then is chunking)
    t = time.perf_counter()
    chunks = [c for _, d in good for c in chunk_document(d, max_tokens=settings.chunk_max_tokens, min_chars=settings.chunk_min_chars)]
    out["chunk_s"] = time.perf_counter() - t
    out["chunks"] = len(chunks)

    real = Embedder.from_settings(settings)
    cache = EmbeddingCache(settings.cache_dir, f"{real.name}|{settings.passage_prefix}")
    # what the build embeds: the passages, and documents of several passages it may read whole
    several = Counter(c.doc_id for c in chunks)
    wholes = [d.text for _, d in good if several[d.doc_id] > 1 and len(d.text) <= WHOLE_MAX_CHARS]
    texts = list(dict.fromkeys([c.text for c in chunks] + wholes))
    have = cache.get_many([text_key(x) for x in texts])
    cache.close()
    not_cached = {x for x in texts if text_key(x) not in have}
    out["cached_passages"] = len(texts) - len(not_cached)
    out["missing_passages"] = len(not_cached)
    embedder = _CacheOnly(real, not_cached if missing == "synthetic" else None)
    if missing == "synthetic" and not_cached:
        # never store random vectors in the shared cache
        embcache.EmbeddingCache.put_many = lambda self, items: None  # type: ignore[method-assign]

    import shutil

    shutil.rmtree(settings.index_dir, ignore_errors=True)  # a full build, not an incremental one
    report = build_index(settings, embedder=embedder, source=good, progress=False, rebuild=True)
    out["build_peak_rss_mib"] = _peak_rss_mib()  # the build alone (before the extra passes below)
    s = report.seconds
    out.update(
        chunk_in_build_s=s["parse+chunk"], embed_s=s["embed"], bm25_s=s["bm25"], faiss_s=s["faiss"],
        write_s=s["write"], build_total_s=s["total"], embedded_real=embedder.n_real,
        embedded_real_s=embedder.real_seconds, synthetic=embedder.n_synthetic, index_dir=str(settings.index_dir),
    )
    # BM25 indexing alone (tokens ready), for the ≥ 5,000 chunks/s target
    from index.chunking import document_head, indexed_text
    from index.lexical import LexicalIndex
    from index.tokenize import tokenize

    heads = {d.doc_id: document_head(d.meta) for _, d in good}
    t = time.perf_counter()
    toks = [tokenize(indexed_text(c, heads[c.doc_id])) for c in chunks]
    out["tokenize_s"] = time.perf_counter() - t
    t = time.perf_counter()
    LexicalIndex.build(toks)
    out["bm25_index_only_s"] = time.perf_counter() - t
    del toks
    from index.dense import EXACT_LIMIT

    out["faiss_kind"] = "IndexFlatIP, made at load" if len(chunks) <= EXACT_LIMIT else "IndexHNSWFlat"
    from index import store
    from index.dense import DenseIndex

    t = time.perf_counter()
    stored = store.load(settings.index_dir)
    out["load_s"] = time.perf_counter() - t
    if len(chunks) <= EXACT_LIMIT:  # an exact index is made from the vectors when the index is loaded
        t = time.perf_counter()
        DenseIndex.build(stored.vectors, [stored.documents[c.doc_id].meta.lang for c in stored.chunks])
        out["faiss_s"] = time.perf_counter() - t
    del stored

    # warm query latency, retrieval alone and the full answer
    engine = Engine(settings, embedder=real)
    engine.reload()
    out["retrieve"], out["answer"] = warm_latency(engine, questions(size, n_queries))
    out["query_peak_rss_mib"] = _peak_rss_mib()

    # adding one document to the built index (incremental: the rest comes from the previous build)
    from index.types import DocMeta, Document

    text = (
        "Kế hoạch thí điểm đo tốc độ chỉ mục số 99/KH-BENCH\n"
        "I. Mục tiêu\n1. Sở Thông tin và Truyền thông chủ trì, hoàn thành trước ngày 30/6/2027 "
        f"việc đo thời gian thêm một văn bản vào chỉ mục (lần chạy {time.time():.0f})."
    )
    import hashlib

    new = Document("bench/new-doc", text, DocMeta(title="Kế hoạch thí điểm đo tốc độ", lang="vi"),
                   hashlib.sha256(text.encode()).hexdigest())
    t = time.perf_counter()
    rep = build_index(settings, embedder=embedder, source=good + [(Path("bench_new.txt"), new)], progress=False)
    out["add_one_s"] = time.perf_counter() - t
    out["add_one_detail"] = {k: round(v, 2) for k, v in rep.seconds.items()}
    out["add_one_reused"] = rep.reused_documents
    out["peak_rss_mib"] = _peak_rss_mib()
    return out  # the index keeps the extra document: cold start is timed over docs + 1


def _child(args: list[str]) -> tuple[dict, float]:
    """Run ``bench.run`` as a child; return its JSON and its own peak RSS (MiB, via wait4)."""
    proc = subprocess.Popen([sys.executable, "-m", "bench.run", *args], cwd=REPO, stdout=subprocess.PIPE)
    data = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"bench child {args} failed ({proc.returncode})")
    return json.loads(data.decode().strip().splitlines()[-1]), usage.ru_maxrss / 1024


def cold_start_rss(index_dir: str, question: str, **env_more: str) -> tuple[float, float]:
    """(seconds, peak RSS MiB) of a fresh `policyqa ask` process (``env_more``: more of its environment)."""
    env = dict(os.environ, POLICYQA_INDEX=index_dir, **env_more)
    t = time.perf_counter()
    proc = subprocess.Popen([str(Path(sys.executable).parent / "policyqa"), "ask", question], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        return float("nan"), float("nan")
    return seconds, usage.ru_maxrss / 1024


# ------------------------------------------------------------------------------------------------
# the parent: run everything, print, write RESULTS.md
# ------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="small,medium,large", help="comma-separated: small, medium, large")
    p.add_argument("--queries", type=int, default=100, help="questions timed per size (default 100)")
    p.add_argument("--missing", choices=("embed", "synthetic"), default="embed",
                   help="passages not in the embedding cache: embed them (slow), or use random unit vectors "
                        "(speed figures only; counted and labelled in the results)")
    p.add_argument("--no-peers", action="store_true", help="skip the BM25 and faiss peer comparison")
    p.add_argument("--no-embed-sample", action="store_true", help="skip the embedding throughput sample")
    p.add_argument("--out", default=str(BENCH / "RESULTS.md"), help="results file (default bench/RESULTS.md)")
    p.add_argument("--child", help=argparse.SUPPRESS)
    args = p.parse_args(argv)

    if args.child:
        kind, _, arg = args.child.partition(":")
        if kind == "size":
            result = run_size(arg, args.queries, args.missing)
        elif kind == "peers":
            from .peers import run_peers

            result = run_peers()
        elif kind == "embed":
            from .embed_sample import run_embed_sample

            result = run_embed_sample()
        else:
            raise SystemExit(f"unknown child {args.child}")
        print(json.dumps(result, ensure_ascii=False, default=float))
        return 0

    from .report import render
    from .stats import machine

    results: dict = {"machine": machine(), "sizes": [], "args": vars(args)}
    out_json = Path(args.out).with_suffix(".json")
    if out_json.is_file():  # keep parts measured by an earlier run that this one skips
        try:
            old = json.loads(out_json.read_text("utf-8"))
            results["peers"] = old.get("peers")
            results["embed_sample"] = old.get("embed_sample")
            results["sizes"] = [s for s in old.get("sizes", []) if s["size"] not in args.sizes.split(",")]
        except (ValueError, KeyError):
            pass
    for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
        print(f"[bench] {size}: building and querying …", file=sys.stderr, flush=True)
        r, rss = _child([f"--child=size:{size}", "--queries", str(args.queries), "--missing", args.missing])
        r["child_peak_rss_mib"] = rss
        colds = [cold_start_rss(r["index_dir"], "Hồ sơ đề nghị UBND tỉnh khen thưởng phải gửi chậm nhất khi nào?") for _ in range(3)]
        r["cold_start_s"] = min(c[0] for c in colds)
        r["cold_start_all_s"] = [round(c[0], 2) for c in colds]
        r["serve_peak_rss_mib"] = max(c[1] for c in colds)
        r["measured_at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        results["sizes"] = [s for s in results["sizes"] if s["size"] != size] + [r]
        _save(results, args.out, render)
    if not args.no_embed_sample:
        print("[bench] embedding throughput sample …", file=sys.stderr, flush=True)
        results["embed_sample"], _ = _child(["--child=embed:"])
        _save(results, args.out, render)
    if not args.no_peers:
        print("[bench] peers …", file=sys.stderr, flush=True)
        results["peers"], _ = _child(["--child=peers:"])
        _save(results, args.out, render)
    print(render(results))
    return 0


def _save(results: dict, out: str, render) -> None:
    order = {"small": 0, "medium": 1, "large": 2}
    results["sizes"].sort(key=lambda s: order.get(s["size"], 9))
    Path(out).write_text(render(results), "utf-8")
    Path(out).with_suffix(".json").write_text(json.dumps(results, ensure_ascii=False, indent=1, default=float), "utf-8")


if __name__ == "__main__":
    sys.exit(main())
