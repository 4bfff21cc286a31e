"""Fill the content-keyed embedding cache for a benchmark size, in slices, so a long run can be
stopped and resumed without losing work:

    .venv/bin/python -m bench.prefill large      # embeds only passages not cached yet
"""

from __future__ import annotations

import argparse
import sys
import time

from index.chunking import chunk_document
from index.config import Settings
from index.embcache import EmbeddingCache, text_key
from index.embedding import Embedder
from index.ingest import IngestError

from .corpora import source


def passages(size: str, settings: Settings) -> list[str]:
    out: list[str] = []
    for _, doc in source(size, settings):
        if isinstance(doc, IngestError):
            continue
        out.extend(c.text for c in chunk_document(doc, max_tokens=settings.chunk_max_tokens, min_chars=settings.chunk_min_chars))
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("size", choices=("small", "medium", "large"))
    p.add_argument("--slice", type=int, default=256, help="passages embedded and stored at a time")
    p.add_argument("--reverse", action="store_true", help="work from the end of the list (scale corpora first)")
    args = p.parse_args(argv)
    settings = Settings()
    embedder = Embedder.from_settings(settings)
    cache = EmbeddingCache(settings.cache_dir, f"{embedder.name}|{settings.passage_prefix}")
    texts = list(dict.fromkeys(passages(args.size, settings)))
    have = cache.get_many([text_key(t) for t in texts])
    todo = [t for t in texts if text_key(t) not in have]
    if args.reverse:
        todo.reverse()
    print(f"{len(texts)} distinct passages, {len(have)} cached, {len(todo)} to embed", flush=True)
    t0, done = time.perf_counter(), 0
    for i in range(0, len(todo), args.slice):
        part = todo[i : i + args.slice]
        # another process may have embedded some meanwhile
        fresh = cache.get_many([text_key(t) for t in part])
        part = [t for t in part if text_key(t) not in fresh]
        if part:
            cache.put_many({text_key(t): v for t, v in zip(part, embedder.embed_passages(part, show_progress=False))})
        done += len(part)
        rate = done / max(time.perf_counter() - t0, 1e-9)
        print(f"{min(i + args.slice, len(todo))}/{len(todo)} embedded={done} {rate:.1f} passages/s", flush=True)
    cache.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
