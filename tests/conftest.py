"""Shared fixtures: a small fast embedder for tests of the plumbing, and the real engine for the rest."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from index.config import REPO_ROOT, Settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
CORPUS = REPO_ROOT / "corpus"


class HashingEmbedder:
    """Character-trigram hashing vectors: deterministic, instant, no model. For plumbing tests
    (atomic writes, incremental builds, CLI) where what matters is that vectors exist and match."""

    name = "test:hashing-trigrams"
    dim = 64

    def __init__(self):
        self.passages_embedded = 0

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for i in range(max(1, len(text) - 2)):
            h = int(hashlib.md5(text[i : i + 3].encode()).hexdigest()[:8], 16)
            v[h % self.dim] += 1.0
        return v / (np.linalg.norm(v) or 1.0)

    def embed_passages(self, texts, show_progress=False):
        self.passages_embedded += len(texts)
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_queries(self, texts):
        return np.stack([self._vec(t) for t in texts])

    def reads_whole(self, texts):
        return [len(t) <= self.window_chars for t in texts]

    window_chars = 1500  # "reads whole": a text of at most this many characters


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled corpus."""
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS, dest)
    return dest


@pytest.fixture
def fast_settings(tmp_path: Path, corpus_copy: Path) -> Settings:
    """Settings for a throwaway index with the hashing embedder (model name recorded as such), and
    answers chosen without the reader (it would need the real model in this throwaway cache)."""
    return Settings().with_(
        corpus_dir=corpus_copy,
        index_dir=tmp_path / "index",
        cache_dir=tmp_path / "cache",
        model=HashingEmbedder.name,
        reader=False,
    )


@pytest.fixture(scope="session")
def engine(tmp_path_factory):
    """The real engine (converted e5 model, cached under ~/.cache/policyqa) over the bundled corpus."""
    from index.engine import Engine

    settings = Settings().with_(corpus_dir=CORPUS, index_dir=tmp_path_factory.mktemp("engine") / "index")
    return Engine.open(settings, build_if_missing=True, progress=False)
