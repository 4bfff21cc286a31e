"""Passage embeddings cached by content, so unchanged passages are never embedded twice.

One SQLite file per model under the cache folder; the key is a hash of the exact text that was
embedded (prefix included). Survives rebuilds, and serves any corpus (bundled or evaluation).
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import numpy as np


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    def __init__(self, cache_dir: Path, model_name: str, dim: int | None = None):
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", model_name).strip("_")[:80]
        folder = Path(cache_dir) / "embeddings"
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{safe}-{text_key(model_name)[:8]}.sqlite"
        self.db = sqlite3.connect(self.path, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS vec (key TEXT PRIMARY KEY, v BLOB NOT NULL)")

    def get_many(self, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            batch = keys[start : start + 500]
            marks = ",".join("?" * len(batch))
            for key, blob in self.db.execute(f"SELECT key, v FROM vec WHERE key IN ({marks})", batch):
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO vec (key, v) VALUES (?, ?)",
                ((k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()),
            )

    def embed(self, texts: list[str], embed_missing: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        """Vectors for ``texts`` in order; only the texts not cached go to ``embed_missing``."""
        keys = [text_key(t) for t in texts]
        cached = self.get_many(list(dict.fromkeys(keys)))
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys) if k not in cached))
        if missing:
            fresh = embed_missing(missing)
            new = {text_key(t): v for t, v in zip(missing, fresh)}
            self.put_many(new)
            cached.update(new)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([cached[k] for k in keys]).astype(np.float32)

    def close(self) -> None:
        self.db.close()
