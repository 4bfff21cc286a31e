"""BM25 over language-aware tokens (bm25s: sparse, fast, saved as plain .npy/.json files)."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
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
        vocab: dict[str, int] = {}
        ids = [[vocab.setdefault(t, len(vocab)) for t in tokens] for tokens in token_lists]
        return cls.from_ids(TokenIds.from_lists(ids), vocab, k1=k1, b=b)

    @classmethod
    def from_ids(cls, tokens: TokenIds, vocab: dict[str, int], *, k1: float = 1.2, b: float = 0.75) -> LexicalIndex:
        """BM25 over texts given as token ids of ``vocab`` (token → id, ids 0..len-1). A build keeps
        the ids of unchanged documents, so an update neither reads nor maps their tokens again."""
        model = _BM25(k1=k1, b=b, method="lucene")
        model.index_ids(tokens, vocab)
        return cls(model)

    def save(self, path: Path) -> None:
        self.model.save(str(path), show_progress=False)

    @classmethod
    def load(cls, path: Path, *, mmap: bool = True) -> LexicalIndex:
        return cls(bm25s.BM25.load(str(path), mmap=mmap, show_progress=False))

    def holds(self, token: str) -> bool:
        """Whether some text of this index holds ``token``. The vocabulary is shared by the passage
        and the document BM25 of a build, so it also names tokens only the other one has (the
        Chinese character pairs of whole documents)."""
        tid = self.vocab.get(token)
        return tid is not None and self._df[tid] > 0

    def scores(self, query_tokens: list[str], among: np.ndarray | None = None) -> np.ndarray | None:
        """BM25 score of every passage; None when no text holds a query token. ``among``: the
        passages the caller will read (all are scored here; a remote index scores only those)."""
        known = [t for t in query_tokens if t and self.holds(t)]
        if not known or self.n_docs == 0:
            return None
        return self.model.get_scores(known)

    def search(self, query_tokens: list[str], k: int) -> list[tuple[int, float]]:
        """(passage index, BM25 score) best first; passages without a shared token are left out."""
        scores = self.scores(query_tokens)
        if scores is None:
            return []
        return top_k(scores, k)

    def idfs(self) -> np.ndarray:
        """Lucene's BM25 idf per token id, as the matrix's weights hold it."""
        return lucene_idf(self.n_docs, self._df)

    def idf(self, token: str) -> float:
        """Lucene's BM25 idf; 0 for a token the corpus does not have."""
        if not self.holds(token):
            return 0.0
        df = int(self._df[self.vocab[token]])
        return math.log(1 + (self.n_docs - df + 0.5) / (df + 0.5))


def lucene_idf(n_docs: int, df: np.ndarray) -> np.ndarray:
    """Lucene's BM25 idf (bm25s' "lucene" method), positive for every document frequency."""
    return np.log(1 + (n_docs - df + 0.5) / (df + 0.5))


class _BM25(bm25s.BM25):
    """bm25s' Lucene BM25, its matrix built from flat token-id arrays by vectorized numpy: bm25s
    offers ``build_index_from_ids`` to be overridden, and its own loops over every text in Python
    were 3 s of the 5.4 s it took to add one document to 34,000 (bench/RESULTS.md). The matrix
    is the one bm25s builds (tests/index/test_lexical.py), so saving, loading and scoring stay bm25s'."""

    def index_ids(self, tokens: TokenIds, vocab: dict[str, int]) -> None:
        n_docs, n_vocab = len(tokens), len(vocab)
        lengths = np.diff(tokens.offsets)
        doc = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
        # one sort in column order (token, then text) gives term frequencies and the CSC layout
        key, tf = np.unique(tokens.values.astype(np.int64) * max(n_docs, 1) + doc, return_counts=True)
        token, doc = np.divmod(key, max(n_docs, 1))
        df = np.bincount(token, minlength=n_vocab)
        idf = lucene_idf(n_docs, df)
        avg_length = lengths.mean() if n_docs else 1.0
        tfc = tf / (self.k1 * ((1 - self.b) + self.b * lengths[doc] / avg_length) + tf)
        indptr = np.zeros(n_vocab + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        self.scores = {
            "data": (idf[token] * tfc).astype(self.dtype),
            "indices": doc.astype(self.int_dtype),
            "indptr": indptr.astype(np.int32) if indptr[-1] < 2**31 else indptr,  # as bm25s stores it
            "num_docs": n_docs,
        }
        self.vocab_dict = dict(vocab)
        self.unique_token_ids_set = set(self.vocab_dict.values())
        self.nonoccurrence_array = None


@dataclass(frozen=True)
class TokenIds:
    """Token ids of many texts, as one flat array and where each text starts: what a build stores
    so that the next one rebuilds BM25 without tokenizing, parsing or mapping unchanged texts."""

    values: np.ndarray  # int32, every text's ids one after the other
    offsets: np.ndarray  # int64, len(texts) + 1: text i is values[offsets[i]:offsets[i + 1]]

    @classmethod
    def from_lists(cls, lists: list[list[int]]) -> TokenIds:
        lengths = np.fromiter((len(ids) for ids in lists), dtype=np.int64, count=len(lists))
        offsets = np.zeros(len(lists) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        values = np.fromiter((i for ids in lists for i in ids), dtype=np.int32, count=int(offsets[-1]))
        return cls(values, offsets)

    @classmethod
    def concat(cls, parts: list[TokenIds]) -> TokenIds:
        if not parts:
            return cls(np.zeros(0, np.int32), np.zeros(1, np.int64))
        starts = np.cumsum([0] + [len(p.values) for p in parts[:-1]])
        offsets = np.concatenate([parts[0].offsets[:1]] + [p.offsets[1:] + s for p, s in zip(parts, starts)])
        return cls(np.concatenate([p.values for p in parts]), offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def lists(self) -> list[list[int]]:
        flat, bounds = self.values.tolist(), self.offsets.tolist()
        return [flat[a:b] for a, b in zip(bounds, bounds[1:])]

    def selected(self, keep: np.ndarray) -> TokenIds:
        """The texts ``i`` where ``keep[i]`` (a boolean per text), in order."""
        lengths = np.diff(self.offsets)
        offsets = np.zeros(int(keep.sum()) + 1, dtype=np.int64)
        np.cumsum(lengths[keep], out=offsets[1:])
        return TokenIds(self.values[np.repeat(keep, lengths)], offsets)

    def remapped(self, new_id: np.ndarray) -> TokenIds:
        """The same texts with every id ``i`` replaced by ``new_id[i]``."""
        return TokenIds(new_id[self.values].astype(np.int32), self.offsets)

    def save(self, path: Path) -> None:
        np.savez(path, values=self.values, offsets=self.offsets)

    @classmethod
    def load(cls, path: Path) -> TokenIds:
        with np.load(path) as f:
            return cls(f["values"], f["offsets"])


def top_k(scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The ``k`` best (index, score) of ``scores``, best first, leaving out scores ≤ 0."""
    k = min(k, len(scores))
    if k <= 0:
        return []
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

