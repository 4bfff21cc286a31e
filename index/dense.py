"""Nearest passages by embedding: faiss inner product over L2-normalized vectors (= cosine).

Multilingual embeddings carry a strong language component: a Chinese question lands nearer to
any Chinese passage than to the Vietnamese passage that answers it. Subtracting each language's
mean vector (from the passages of that language) before normalizing removes most of it; the
question is centred with the mean of its own language. Measured on eval/sets/dev.jsonl, dense
top-5 on cross-lingual questions went from 1 of 8 to 5 of 8, with monolingual ones unchanged.
"""

from __future__ import annotations

import os
from pathlib import Path

import faiss
import numpy as np

# Exact search is fast enough below this many vectors; above it, HNSW keeps queries quick.
# Measured (bench/RESULTS.md, 2 cores, one thread per query): exact search over 61,515 vectors
# takes 8 ms, over 200,000 24 ms; building HNSW over 61,515 took 19-24 s, paid again on every
# added document (the centering means change). So exact, and exact results, up to 200,000. An
# exact index is not stored with the build but made from the vectors when the index is loaded
# (it is a centred copy of them): an update then writes and flushes none of it.
EXACT_LIMIT = 200_000


def _build_threads() -> int:
    """faiss threads for building: every core we may use, unless OMP_NUM_THREADS says otherwise."""
    if os.environ.get("OMP_NUM_THREADS", "").isdigit():
        return max(1, int(os.environ["OMP_NUM_THREADS"]))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _normalize(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    return (x / np.maximum(norms, 1e-12)).astype(np.float32)


MIN_PASSAGES_PER_LANGUAGE = 20  # fewer make a noisy mean


def language_means(vectors: np.ndarray, langs: list[str]) -> dict[str, np.ndarray]:
    """Mean passage vector per language, plus "*" over all passages (for other languages).

    Empty when fewer than two languages have enough passages: in a one-language corpus there is
    no bias between languages to remove, and centring a question in another language with this
    corpus' mean would push it away from its answers (measured on XQuAD vi→zh: hit@10 0.53
    centred, 0.94 not).
    """
    labels = np.asarray(langs)
    counts = {lang: int((labels == lang).sum()) for lang in set(langs)}
    enough = sorted(lang for lang, n in counts.items() if n >= MIN_PASSAGES_PER_LANGUAGE)
    if len(enough) < 2:
        return {}
    means = {"*": vectors.mean(axis=0)}
    for lang in enough:
        means[lang] = vectors[labels == lang].mean(axis=0)
    return means


def center(vectors: np.ndarray, langs: list[str], means: dict[str, np.ndarray]) -> np.ndarray:
    """Subtract each vector's language mean, then L2-normalize (unchanged when there are no means)."""
    if not len(vectors) or not means:
        return _normalize(vectors) if len(vectors) else vectors
    # one shift row per language, not per vector: centring 61,515 vectors took 0.25 s, now ~0.1 s
    codes, of_vector = np.unique(np.asarray(langs), return_inverse=True)
    shifts = np.stack([means.get(lang, means["*"]) for lang in codes]).astype(np.float32)
    centred = np.asarray(vectors, dtype=np.float32) - shifts[of_vector]
    centred /= np.maximum(np.linalg.norm(centred, axis=-1, keepdims=True), 1e-12)
    return centred


class DenseIndex:
    def __init__(self, index: faiss.Index, means: dict[str, np.ndarray]):
        self.index = index
        self.means = means

    @classmethod
    def build(cls, vectors: np.ndarray, langs: list[str]) -> DenseIndex:
        """Index ``vectors`` (one per passage, L2-normalized) of passages in languages ``langs``."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        means = language_means(vectors, langs)
        vectors = center(vectors, langs, means)
        dim = vectors.shape[1]
        faiss.omp_set_num_threads(_build_threads())  # per calling thread: search() sets 1 for itself
        if len(vectors) <= EXACT_LIMIT:
            index = faiss.IndexFlatIP(dim)
        else:
            index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = 80
            index.hnsw.efSearch = 128
        index.add(vectors)
        return cls(index, means)

    def save(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))
        np.savez(path.with_suffix(".means.npz"), **self.means)

    @classmethod
    def load(cls, path: Path) -> DenseIndex:
        with np.load(path.with_suffix(".means.npz")) as means:
            return cls(faiss.read_index(str(path)), {k: means[k] for k in means.files})

    def __len__(self) -> int:
        return self.index.ntotal

    def centred(self, query: np.ndarray, lang: str) -> np.ndarray:
        """A question's vector as the passages are stored: less its language's mean, normalized."""
        return center(np.asarray(query, dtype=np.float32).reshape(1, -1), [lang], self.means)[0]

    def search(self, query: np.ndarray, k: int, lang: str, among: np.ndarray | None = None,
               language: str | None = None) -> list[tuple[int, float]]:
        """(passage index, cosine after centering) best first, for a question in ``lang``; with
        ``among``, only those passages (one document's, or one language's: faiss filters while it
        searches). ``language`` names the language ``among`` holds, for a backend that filters by it."""
        if self.index.ntotal == 0:
            return []
        query = self.centred(query, lang).reshape(1, -1)
        # One question: one thread. An OpenMP team for a single query costs more than it saves, and
        # on busy cores it stalls: measured with 23,561 vectors (exact search) on 2 busy cores,
        # p50 36 ms with 2 threads, 1.3 ms with 1 (bench/RESULTS.md).
        faiss.omp_set_num_threads(1)
        params = None
        if among is not None:
            selector = faiss.IDSelectorBatch(np.ascontiguousarray(among, dtype=np.int64))
            hnsw = isinstance(self.index, faiss.IndexHNSW)
            params = faiss.SearchParametersHNSW(sel=selector, efSearch=self.index.hnsw.efSearch) if hnsw \
                else faiss.SearchParameters(sel=selector)
            k = min(k, len(among))
        scores, ids = self.index.search(query, min(k, self.index.ntotal), params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]
