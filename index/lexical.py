"""BM25 over language-aware tokens (bm25s: sparse, fast, saved as plain .npy/.json files)."""

from __future__ import annotations

import logging
import math
from pathlib import Path

import bm25s
import numpy as np

# bm25s sets its own logger to DEBUG, which would print through any handler the app installs
logging.getLogger("bm25s").setLevel(logging.WARNING)


class LexicalIndex:
    """BM25 over pre-tokenized passages; see index/tokenize.py for the tokens."""

    def __init__(self, model: bm25s.BM25):
        self.model = model
        self.vocab: dict[str, int] = model.vocab_dict
        self.n_docs = int(model.scores["num_docs"])
        # document frequency per token: the CSC matrix stores one column of postings per token
        self._df = np.diff(np.asarray(model.scores["indptr"]))

    @classmethod
    def build(cls, token_lists: list[list[str]], *, k1: float = 1.2, b: float = 0.75) -> LexicalIndex:
        model = bm25s.BM25(k1=k1, b=b, method="lucene")
        # an empty passage would otherwise break bm25s' vocabulary; it simply never matches
        model.index([tokens or [""] for tokens in token_lists], show_progress=False)
        return cls(model)

    def save(self, path: Path) -> None:
        self.model.save(str(path), show_progress=False)

    @classmethod
    def load(cls, path: Path, *, mmap: bool = True) -> LexicalIndex:
        return cls(bm25s.BM25.load(str(path), mmap=mmap, show_progress=False))

    def scores(self, query_tokens: list[str]) -> np.ndarray | None:
        """BM25 score of every passage; None when no query token is in the vocabulary."""
        known = [t for t in query_tokens if t in self.vocab and t]
        if not known or self.n_docs == 0:
            return None
        return self.model.get_scores(known)

    def search(self, query_tokens: list[str], k: int) -> list[tuple[int, float]]:
        """(passage index, BM25 score) best first; passages without a shared token are left out."""
        scores = self.scores(query_tokens)
        if scores is None:
            return []
        return top_k(scores, k)

    def idf(self, token: str) -> float:
        """Lucene's BM25 idf; 0 for a token the corpus does not have."""
        tid = self.vocab.get(token)
        if tid is None:
            return 0.0
        df = int(self._df[tid])
        return math.log(1 + (self.n_docs - df + 0.5) / (df + 0.5))


def top_k(scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The ``k`` best (index, score) of ``scores``, best first, leaving out scores ≤ 0."""
    k = min(k, len(scores))
    if k <= 0:
        return []
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

