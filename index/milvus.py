"""Retrieval on Milvus: a build's passages and documents searched by the Milvus engine.

The same client code talks to Milvus Lite (a local file, ``pymilvus[milvus_lite]``) and to a Milvus
server or cluster (``http://host:19530``, its token from ``MILVUS_TOKEN``). A build is published as
two collections, ``<prefix>_p_<build>`` (one row a passage) and ``<prefix>_d_<build>`` (one row a
document), and made current by moving the aliases ``<prefix>_passages`` / ``<prefix>_documents``
onto them: the engine's counterpart of the local store's symlink swap, so readers of the old build
keep answering until the new one is in place.

Per passage: its number (the primary key, as ``StoredIndex.chunks`` numbers them), document number,
language, the centred e5 vector (``DenseIndex`` centres by language mean; the means stay with the
local build), and BM25 as a sparse vector: each token's BM25 weight in that passage, exactly as our
bm25s index holds it, so an inner product with the question's token counts is our BM25 score. (Milvus's
own BM25 function reads text through its analyzers; with our tokens as its words, over the 158
questions of dev and dev2, its first passage was ours for 96% but its top 10 the same as ours for
only 28%: it counts idf and length its own way.)

Fusion, answer selection and the facts stay in our process: `attach` returns the build with its
``lexical``, ``document_lexical`` and ``dense`` replaced by adapters with the same search methods,
which keep the build's vocabulary and document frequencies for what the answer stage weighs.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from dataclasses import replace
from typing import Any

import numpy as np
from scipy import sparse

from .dense import EXACT_LIMIT, DenseIndex, center
from .lexical import LexicalIndex
from .store import StoredIndex

log = logging.getLogger(__name__)
# Milvus Lite answers pymilvus's AllocTimestamp (asked after an index is created) with "not
# implemented" and its in-process gRPC server logs that as a traceback; nothing has failed
logging.getLogger("grpc._server").setLevel(logging.CRITICAL)

TOKEN_ENV = "MILVUS_TOKEN"
INSERT_BATCH = 2000  # rows a request: a request is at most 64 MB
MAX_LIMIT = 16384  # Milvus's largest top-k
# BM25 scores fetched for the score array fusion reads (a ranked document's best passage): the best
# this many passages; a ranked document with none among them is represented by its first passage
SCORES_LIMIT = 1000
_EMPTY = {0: 0.0}  # Milvus refuses an empty sparse row: a passage with no tokens scores 0 this way


class MilvusBackend:
    """One Milvus deployment (``uri``: a Lite file or a server), holding builds under ``prefix``."""

    def __init__(self, uri: str, *, prefix: str = "policyqa", token: str | None = None):
        from pymilvus import MilvusClient

        self.uri, self.prefix = uri, re.sub(r"\W", "_", prefix)
        self.client = MilvusClient(uri, token=token if token is not None else os.environ.get(TOKEN_ENV, ""))
        self._lock = threading.Lock()  # one publish at a time from this process

    @property
    def aliases(self) -> tuple[str, str]:
        return f"{self.prefix}_passages", f"{self.prefix}_documents"

    def collections(self, stored: StoredIndex) -> tuple[str, str]:
        build = re.sub(r"\W", "_", stored.path.name)
        return f"{self.prefix}_p_{build}", f"{self.prefix}_d_{build}"

    def current(self) -> str | None:
        """The passage collection the alias points at, if any."""
        return self._alias_target(self.aliases[0])

    def publish(self, stored: StoredIndex) -> None:
        """Write ``stored`` into new collections (unless they exist) and move the aliases onto
        them; the collections of the build they pointed at are dropped afterwards."""
        passages, documents = self.collections(stored)
        with self._lock:
            self.write(stored)
            old = self.current()
            old_documents = self._alias_target(self.aliases[1])
            for alias, name in zip(self.aliases, (passages, documents), strict=True):
                if self._alias_target(alias) is None:
                    self.client.create_alias(name, alias)
                else:
                    self.client.alter_alias(name, alias)
            for name in (old, old_documents):
                if name and name not in (passages, documents):
                    self.client.drop_collection(name)
        log.info("milvus: %s and %s published at %s", passages, documents, self.uri)

    def write(self, stored: StoredIndex) -> None:
        """Write ``stored`` into its collections (those missing), leaving the aliases where they are."""
        passages, documents = self.collections(stored)
        if not self.client.has_collection(passages):
            self._write_passages(passages, stored)
        if not self.client.has_collection(documents):
            self._write_documents(documents, stored)

    def attach(self, stored: StoredIndex) -> StoredIndex:
        """``stored`` searched on Milvus: published first when the aliases point elsewhere."""
        passages, documents = self.collections(stored)
        if self.current() != passages or self._alias_target(self.aliases[1]) != documents:
            self.publish(stored)
        for name in (passages, documents):  # a restarted Milvus keeps collections released
            self.client.load_collection(name)
        return replace(
            stored,
            lexical=MilvusLexical(self.client, self.aliases[0], stored.lexical),
            document_lexical=MilvusLexical(self.client, self.aliases[1], stored.document_lexical),
            dense=MilvusDense(self.client, self.aliases[0], stored.dense),
        )

    # -- writing --------------------------------------------------------------------------------

    def _alias_target(self, alias: str) -> str | None:
        if alias not in self.client.list_aliases().get("aliases", []):
            return None  # (describing a missing alias would log an error before raising)
        return self.client.describe_alias(alias).get("collection_name")

    def _create(self, name: str, dim: int | None, rows: int) -> None:
        from pymilvus import DataType

        schema = self.client.create_schema(auto_id=False)
        schema.add_field("id", DataType.INT64, is_primary=True)
        schema.add_field("bm25", DataType.SPARSE_FLOAT_VECTOR)
        index = self.client.prepare_index_params()
        index.add_index("bm25", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
        if dim is not None:
            schema.add_field("doc", DataType.INT64)
            schema.add_field("lang", DataType.VARCHAR, max_length=16)
            schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
            if rows <= EXACT_LIMIT:  # as DenseIndex: exact up to here, HNSW beyond
                index.add_index("vector", index_type="FLAT", metric_type="IP")
            else:
                index.add_index("vector", index_type="HNSW", metric_type="IP", params={"M": 32, "efConstruction": 80})
        self.client.create_collection(name, schema=schema, index_params=index, consistency_level="Strong")

    def _write_passages(self, name: str, stored: StoredIndex) -> None:
        from .retrieve import document_view

        view = document_view(stored)
        langs = [str(x) for x in view.passage_langs]
        vectors = center(np.asarray(stored.vectors, dtype=np.float32), langs, stored.dense.means)
        weights = _bm25_rows(stored.lexical)
        self._create(name, vectors.shape[1], len(stored.chunks))
        rows = ({"id": i, "doc": int(view.of_passage[i]), "lang": langs[i], "vector": vectors[i].tolist(),
                 "bm25": weights[i]} for i in range(len(stored.chunks)))
        self._insert(name, rows)

    def _write_documents(self, name: str, stored: StoredIndex) -> None:
        weights = _bm25_rows(stored.document_lexical)
        self._create(name, None, len(weights))
        self._insert(name, ({"id": i, "bm25": w} for i, w in enumerate(weights)))

    def _insert(self, name: str, rows) -> None:
        batch: list[dict] = []
        for row in rows:
            batch.append(row)
            if len(batch) == INSERT_BATCH:
                self.client.insert(name, batch)
                batch = []
        if batch:
            self.client.insert(name, batch)
        self.client.flush(name)
        self.client.load_collection(name)


def _bm25_rows(lexical: LexicalIndex) -> list[dict[int, float]]:
    """Each text's BM25 weight per token id (bm25s keeps one column of postings per token)."""
    s = lexical.model.scores
    n = int(s["num_docs"])
    indptr = np.asarray(s["indptr"])
    matrix = sparse.csc_matrix((np.asarray(s["data"]), np.asarray(s["indices"]), indptr),
                               shape=(n, len(indptr) - 1)).tocsr()
    rows = []
    for i in range(n):
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        row = {int(t): float(v) for t, v in zip(matrix.indices[start:end], matrix.data[start:end], strict=True) if v > 0}
        rows.append(row or dict(_EMPTY))
    return rows


class MilvusLexical:
    """BM25 over a collection's sparse rows; vocabulary and document frequencies from the build."""

    def __init__(self, client: Any, collection: str, local: LexicalIndex, *, scores_limit: int = SCORES_LIMIT):
        self.client, self.collection, self.local = client, collection, local
        self.vocab, self.n_docs = local.vocab, local.n_docs
        self.scores_limit = scores_limit

    def holds(self, token: str) -> bool:
        return self.local.holds(token)

    def idf(self, token: str) -> float:
        return self.local.idf(token)

    def _query(self, tokens: list[str]) -> dict[int, float]:
        counts: dict[int, float] = {}
        for t in tokens:
            if t and self.local.holds(t):  # bm25s counts a repeated token each time
                counts[self.vocab[t]] = counts.get(self.vocab[t], 0.0) + 1.0
        return counts

    def search(self, query_tokens: list[str], k: int, among: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(text number, BM25 score) best first; texts sharing no token with the question left out."""
        return self._search(self._query(query_tokens), k, among)

    def _search(self, query: dict[int, float], k: int, among: np.ndarray | None) -> list[tuple[int, float]]:
        if not query or k <= 0:
            return []
        limit = min(k, MAX_LIMIT, len(among) if among is not None else self.n_docs)
        found = self.client.search(
            self.collection, data=[query], anns_field="bm25", limit=limit, output_fields=[],
            search_params={"metric_type": "IP", "params": {"drop_ratio_search": 0.0}},
            filter=_among(among),
        )[0]
        return _ranked((int(h["id"]), float(h["distance"])) for h in found if h["distance"] > 0)

    def scores(self, query_tokens: list[str], among: np.ndarray | None = None) -> np.ndarray | None:
        """BM25 scores as an array over texts: those of the best ``scores_limit`` (or of ``among``),
        0 elsewhere; None when no text holds a question token."""
        query = self._query(query_tokens)
        if not query:
            return None
        out = np.zeros(self.n_docs, dtype=np.float32)
        limit = len(among) if among is not None else self.scores_limit
        for i, score in self._search(query, limit, among):
            out[i] = score
        return out


class MilvusDense:
    """Dense search on a collection of centred passage vectors (the language means stay local)."""

    def __init__(self, client: Any, collection: str, local: DenseIndex):
        self.client, self.collection, self.local, self.means = client, collection, local, local.means

    def __len__(self) -> int:
        return len(self.local)

    def centred(self, query: np.ndarray, lang: str) -> np.ndarray:
        return self.local.centred(query, lang)

    def search(self, query: np.ndarray, k: int, lang: str, among: np.ndarray | None = None,
               language: str | None = None) -> list[tuple[int, float]]:
        """As ``DenseIndex.search``; a ``language`` is filtered on the passages' language field
        rather than by listing ``among`` (half the corpus in one filter)."""
        if not len(self.local) or k <= 0 or (among is not None and not len(among)):
            return []
        vector = self.centred(query, lang)
        limit = min(k, MAX_LIMIT, len(among) if among is not None else len(self.local))
        where = f'lang == "{language}"' if language else _among(among)
        found = self.client.search(
            self.collection, data=[vector.tolist()], anns_field="vector", limit=limit, output_fields=[],
            search_params={"metric_type": "IP", "params": {"ef": 128}}, filter=where,
        )[0]
        return _ranked((int(h["id"]), float(h["distance"])) for h in found)


def _ranked(hits) -> list[tuple[int, float]]:
    """Best first, equal scores by number: as faiss and bm25s order them (two copies of a page
    have the same vector, and which comes first decides which one an answer quotes)."""
    return sorted(hits, key=lambda h: (-h[1], h[0]))


def _among(ids: np.ndarray | None) -> str:
    return "" if ids is None else f"id in [{','.join(str(int(i)) for i in ids)}]"
