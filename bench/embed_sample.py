"""Embedding throughput on a fixed sample: 256 passages of ~300 characters cut from the bundled
corpus' chunks (Vietnamese and Chinese), embedded with the product's Embedder, for a few settings.
Nothing is read from or written to the embedding cache."""

from __future__ import annotations

import time

from index.chunking import chunk_document
from index.config import Settings
from index.embedding import Embedder
from index.ingest import IngestError, iter_corpus

SAMPLE = 256
CHARS = 300


def sample_passages(settings: Settings) -> list[str]:
    texts: list[str] = []
    for _, doc in iter_corpus(settings.corpus_dir, settings):
        if isinstance(doc, IngestError):
            continue
        for c in chunk_document(doc, max_tokens=settings.chunk_max_tokens, min_chars=settings.chunk_min_chars):
            t = c.text.replace("\n", " ")
            texts += [t[i : i + CHARS] for i in range(0, len(t) - CHARS + 1, CHARS // 3)]
    texts = sorted(set(texts))  # fixed order, independent of the file system
    step = max(1, len(texts) // SAMPLE)
    return (texts[::step] * 2)[:SAMPLE]


def run_embed_sample() -> dict:
    import torch

    settings = Settings()
    texts = sample_passages(settings)
    emb = Embedder.from_settings(settings)
    emb.embed_passages(texts[:8])  # load the model and warm up
    rows = []
    default_threads = torch.get_num_threads()
    emb.embed_passages(texts)  # a full warm-up pass: the first timed setting must not pay for it
    for threads, batch in ((default_threads, 32), (default_threads, 16), (default_threads, 64), (1, 32), (default_threads, 32)):
        torch.set_num_threads(threads)
        emb._threads = threads  # the Embedder sets this count itself for batches of passages
        emb.batch_size = batch
        t = time.perf_counter()
        emb.embed_passages(texts)
        s = time.perf_counter() - t
        rows.append({"threads": threads, "batch": batch, "passages": len(texts), "seconds": s, "per_s": len(texts) / s})
    torch.set_num_threads(default_threads)
    # one question at a time, as the engine embeds them
    qs = [t[:60] for t in texts[:40]]
    lat = {}
    for threads in (default_threads, 1):
        torch.set_num_threads(threads)
        ts = []
        model = emb._load()
        for q in qs:
            t = time.perf_counter()
            # the model call itself (embed_queries would pick one thread on its own)
            model.encode([emb.query_prefix + q], convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False)
            ts.append(time.perf_counter() - t)
        ts.sort()
        lat[f"threads={threads}"] = {"p50_ms": ts[len(ts) // 2] * 1000, "p95_ms": ts[int(len(ts) * 0.95)] * 1000}
    torch.set_num_threads(default_threads)
    emb._threads = default_threads
    avg = sum(len(t) for t in texts) / len(texts)
    return {"sample": len(texts), "avg_chars": avg, "rows": rows, "query_latency": lat}
