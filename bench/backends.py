"""The local backend (bm25s + faiss in the process) against Milvus (Milvus Lite, a local file), side by
side at the bench sizes: publishing a build, adding one document, warm query latency, a serving
process's cold start and peak RSS.

    .venv/bin/python -m bench.run --sizes small,medium,large --no-peers --no-embed-sample   # the indexes
    .venv/bin/python -m bench.backends                       # then this, over <cache>/bench-indexes
    .venv/bin/python -m bench.backends --sizes small --queries 30

Each size runs in its own child process per backend (its peak RSS is its own). Milvus Lite runs the
Milvus engine inside our process, so its memory is in that RSS (a Milvus server's would not be).
"Adding one document" is an incremental local build plus, on Milvus, publishing that build: the new
document's rows inserted into the published collections, which are renamed after the build. Results: printed, and appended to bench/RESULTS.md
under "Backends".
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parent.parent
QUESTION = "Hồ sơ đề nghị khen thưởng gửi chậm nhất khi nào?"
ADDED = "bench/backend-doc-"  # the documents "adding one document" adds, one a run


def run(size: str, backend: str, n_queries: int, uri: str) -> dict:
    import resource

    from index.config import Settings
    from index.engine import Engine

    from .run import questions, warm_latency

    base = Settings()
    settings = base.with_(index_dir=Path(base.cache_dir) / "bench-indexes" / size, backend=backend, milvus_uri=uri)
    out: dict = {"size": size, "backend": backend}
    t = time.perf_counter()
    engine = Engine(settings)
    engine.reload()  # on Milvus: the build is published first (two collections written, aliases set)
    out["open_s"] = time.perf_counter() - t
    out["passages"] = len(engine.index.chunks)
    out["retrieve"], out["answer"] = warm_latency(engine, questions(size, n_queries))
    out["serving_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def add_one(size: str, backend: str, uri: str) -> dict:
    """Adding one document: the incremental build, and on Milvus its publication."""
    import hashlib

    from index.build import build_index
    from index.config import Settings
    from index.engine import Engine
    from index.types import DocMeta, Document

    from .corpora import source

    base = Settings()
    settings = base.with_(index_dir=Path(base.cache_dir) / "bench-indexes" / size, backend=backend, milvus_uri=uri)
    engine = Engine(settings)
    engine.reload()
    good = [(p, d) for p, d in source(size, settings) if isinstance(d, Document)]
    # the documents earlier runs added stay, so that this is an addition, not an edit or a removal
    earlier = [(Path(d.doc_id), d) for d in engine.index.documents.values() if d.doc_id.startswith(ADDED)]
    run_id = f"{time.time():.0f}"
    text = ("Kế hoạch thí điểm đo tốc độ số 98/KH-BENCH\nI. Mục tiêu\n1. Sở Thông tin và Truyền thông chủ trì "
            f"việc đo thời gian thêm một văn bản (lần chạy {run_id}).")
    new = Document(f"{ADDED}{run_id}", text, DocMeta(title="Kế hoạch thí điểm đo tốc độ", lang="vi"),
                   hashlib.sha256(text.encode()).hexdigest())
    t = time.perf_counter()
    build_index(settings, embedder=engine.embedder, source=good + earlier + [(Path(new.doc_id), new)], progress=False)
    built = time.perf_counter() - t
    t = time.perf_counter()
    engine.reload()
    published = time.perf_counter() - t
    return {"build_s": built, "publish_s": published, "total_s": built + published}


def cold_start(size: str, backend: str, uri: str) -> tuple[float, float]:
    """(seconds, peak RSS MiB) of a fresh `policyqa ask` process on ``backend``."""
    from index.config import Settings

    from .run import cold_start_rss

    index_dir = Path(Settings().cache_dir) / "bench-indexes" / size
    return cold_start_rss(str(index_dir), QUESTION, POLICYQA_BACKEND=backend, POLICYQA_MILVUS_URI=uri)


def _child(args: list[str]) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.backends", *args], cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"bench child {args} failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="small,medium,large")
    p.add_argument("--queries", type=int, default=100)
    p.add_argument("--out", default=str(REPO / "bench" / "RESULTS.md"))
    p.add_argument("--child", nargs=4, help=argparse.SUPPRESS)  # kind size backend uri
    args = p.parse_args(argv)
    if args.child:
        kind, size, backend, uri = args.child
        result = run(size, backend, args.queries, uri) if kind == "query" else add_one(size, backend, uri)
        print(json.dumps(result))
        return 0
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes.split(","):
            for backend in ("local", "milvus"):
                uri = str(Path(tmp) / f"{size}.db")
                q = _child(["--child", "query", size, backend, uri, "--queries", str(args.queries)])
                cold = min((cold_start(size, backend, uri) for _ in range(3)), key=lambda x: x[0])
                add = _child(["--child", "add", size, backend, uri])
                rows.append({**q, "cold_s": cold[0], "cold_rss_mib": cold[1], "add": add})
                print(json.dumps(rows[-1]), file=sys.stderr)
    lines = [
        "",
        "## Backends: local against Milvus Lite (`python -m bench.backends`)",
        "",
        "| size | backend | passages | open (publish) s | retrieve p50/p95 ms | answer p50/p95 ms | serving RSS MiB "
        "| cold start s (RSS MiB) | add one document s (build + publish) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ms = lambda s: f"{s['p50_ms']:.0f} / {s['p95_ms']:.0f}"  # noqa: E731
        lines.append(
            f"| {r['size']} | {r['backend']} | {r['passages']:,} | {r['open_s']:.1f} | {ms(r['retrieve'])} | {ms(r['answer'])} "
            f"| {r['serving_rss_mib']:.0f} | {r['cold_s']:.1f} ({r['cold_rss_mib']:.0f}) "
            f"| {r['add']['total_s']:.1f} ({r['add']['build_s']:.1f} + {r['add']['publish_s']:.1f}) |"
        )
    lines.append(f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores.")
    text = "\n".join(lines) + "\n"
    print(text)
    with open(args.out, "a", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
