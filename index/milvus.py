"""Retrieval on Milvus: a build's passages and documents searched by the Milvus engine.

The same client code talks to Milvus Lite (a local file, ``pymilvus[milvus_lite]``) and to a Milvus
server or cluster (``http://host:19530``, its token from ``MILVUS_TOKEN``). A build is published as
two collections, ``<prefix>_p2_<build>`` (one row a passage) and ``<prefix>_d2_<build>`` (one row a
document; 2: ``ROWS_FORMAT``), and made current by moving the aliases ``<prefix>_passages`` / ``<prefix>_documents``
onto them: the engine's counterpart of the local store's symlink swap, so readers of the old build
keep answering until the new one is in place.

Per passage: its number (the primary key, as ``StoredIndex.chunks`` numbers them), document number,
language, the centred e5 vector (``DenseIndex`` centres by language mean: the means the rows were
centred with are kept as a property of the collection, and questions are centred with them), and
BM25 as a sparse vector: each token's term-frequency part of the BM25 weight in that passage, as our
bm25s index holds it divided by the token's idf, so that an inner product with the question's token
counts times their idf (computed in our process) is our BM25 score. (Milvus's
own BM25 function reads text through its analyzers; with our tokens as its words, over the 158
questions of dev and dev2, its first passage was ours for 96% but its top 10 the same as ours for
only 28%: it counts idf and length its own way.)

A build that only added documents to the published one (``appended_to`` in its manifest) is
published by inserting the new rows into the published collections and renaming them after the new
build; the aliases follow the rename. Its rows keep the published collection's centring means and
their length normalization uses their own build's average length, so scores drift from a rebuild's
by the change those averages see (a fraction of a percent for one document among thousands) until
the next full build publishes every row anew.

Fusion, answer selection and the facts stay in our process: `attach` returns the build with its
``lexical``, ``document_lexical`` and ``dense`` replaced by adapters with the same search methods,
which keep the build's vocabulary and document frequencies for what the answer stage weighs.
"""

from __future__ import annotations

import base64
import json
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
# BM25 scores fetched for a score array asked for without naming the passages it will be read at
# (retrieval names them: a ranked document's passages): the best this many passages, 0 elsewhere
SCORES_LIMIT = 1000
_EMPTY = {0: 0.0}  # Milvus refuses an empty sparse row: a passage with no tokens scores 0 this way
MEANS_PROPERTY = "policyqa.means"  # the language means a collection's vectors were centred with
# what the rows hold, in the collections' names: a deployment written by an earlier version (rows
# of whole BM25 weights, no means kept) is then written anew on attach instead of misread
ROWS_FORMAT = 2


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
        return self._named(stored.path.name)

    def _named(self, build: str) -> tuple[str, str]:
        build = re.sub(r"\W", "_", build)
        return f"{self.prefix}_p{ROWS_FORMAT}_{build}", f"{self.prefix}_d{ROWS_FORMAT}_{build}"

    def current(self) -> str | None:
        """The passage collection the alias points at, if any."""
        return self._alias_target(self.aliases[0])

    def publish(self, stored: StoredIndex) -> None:
        """Write ``stored`` into new collections (unless they exist) and move the aliases onto
        them; the collections of the build they pointed at are dropped afterwards."""
        passages, documents = self.collections(stored)
        with self._lock:
            old = self.current()
            old_documents = self._alias_target(self.aliases[1])
            parent = stored.manifest.get("appended_to")
            appendable = parent and (old, old_documents) == self._named(parent) and not self.client.has_collection(passages)
            if appendable and self._append(stored, old, old_documents):
                # the published collections now hold this build: named after it, aliases and all
                self.client.rename_collection(old, passages)
                self.client.rename_collection(old_documents, documents)
                log.info("milvus: the new documents' rows added; %s and %s published at %s", passages, documents, self.uri)
                return
            self.write(stored)
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

    def _append(self, stored: StoredIndex, passages: str, documents: str) -> bool:
        """Insert the rows ``stored`` has beyond those of the published collections (whose build
        it extends); False, writing nothing, when it does not extend them."""
        have_p, have_d = self._count(passages), self._count(documents)
        if have_p > len(stored.chunks) or have_d > len(stored.documents):
            return False
        means = self.means(passages)
        self._write_passages(passages, stored, start=have_p, means=means)
        self._insert(documents, ({"id": i, "bm25": w} for i, w in
                                 enumerate(_bm25_rows(stored.document_lexical, have_d), start=have_d)))
        return True

    def _count(self, name: str) -> int:
        return int(self.client.query(name, filter="", output_fields=["count(*)"])[0]["count(*)"])

    def means(self, passages: str) -> dict[str, np.ndarray]:
        """The language means the collection's vectors were centred with."""
        stored = self.client.describe_collection(passages).get("properties", {}).get(MEANS_PROPERTY, "{}")
        return {lang: np.frombuffer(base64.b64decode(v), dtype=np.float32).copy()
                for lang, v in json.loads(stored).items()}

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
            dense=MilvusDense(self.client, self.aliases[0], stored.dense, self.means(passages)),
        )

    # -- writing --------------------------------------------------------------------------------

    def _alias_target(self, alias: str) -> str | None:
        if alias not in self.client.list_aliases().get("aliases", []):
            return None  # (describing a missing alias would log an error before raising)
        return self.client.describe_alias(alias).get("collection_name")

    def _create(self, name: str, dim: int | None, rows: int, means: dict[str, np.ndarray] | None = None) -> None:
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
        if means is not None:
            encoded = {lang: base64.b64encode(np.asarray(v, dtype=np.float32).tobytes()).decode() for lang, v in means.items()}
            self.client.alter_collection_properties(name, properties={MEANS_PROPERTY: json.dumps(encoded)})

    def _write_passages(self, name: str, stored: StoredIndex, *, start: int = 0,
                        means: dict[str, np.ndarray] | None = None) -> None:
        """The passages from number ``start`` on, centred with ``means`` (None: a new collection,
        centred with the build's own means)."""
        from .retrieve import document_view

        view = document_view(stored)
        langs = [str(x) for x in view.passage_langs[start:]]
        vectors = center(np.asarray(stored.vectors[start:], dtype=np.float32), langs,
                         stored.dense.means if means is None else means)
        weights = _bm25_rows(stored.lexical, start)
        if means is None:
            self._create(name, vectors.shape[1], len(stored.chunks), stored.dense.means)
        rows = ({"id": start + i, "doc": int(view.of_passage[start + i]), "lang": langs[i],
                 "vector": vectors[i].tolist(), "bm25": weights[i]} for i in range(len(langs)))
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


def _bm25_rows(lexical: LexicalIndex, start: int = 0) -> list[dict[int, float]]:
    """From text ``start`` on, each text's BM25 weight per token id divided by the token's idf: the
    part that depends on the text alone (bm25s keeps one column of postings per token, its length
    the token's document frequency)."""
    s = lexical.model.scores
    n = int(s["num_docs"])
    indptr = np.asarray(s["indptr"])
    data = np.asarray(s["data"], dtype=np.float64) / np.repeat(lexical.idfs(), np.diff(indptr))
    matrix = sparse.csc_matrix((data, np.asarray(s["indices"]), indptr), shape=(n, len(indptr) - 1)).tocsr()
    rows = []
    for i in range(start, n):
        lo, hi = matrix.indptr[i], matrix.indptr[i + 1]
        row = {int(t): float(v) for t, v in zip(matrix.indices[lo:hi], matrix.data[lo:hi], strict=True) if v > 0}
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
        """The question as a sparse vector: each token's idf, times its count (bm25s counts a
        repeated token each time); the rows hold the rest of the weight."""
        weights: dict[int, float] = {}
        for t in tokens:
            if t and self.local.holds(t):
                weights[self.vocab[t]] = weights.get(self.vocab[t], 0.0) + self.local.idf(t)
        return weights

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
        # a row beyond this build's texts belongs to a newer build published meanwhile
        return _ranked((int(h["id"]), float(h["distance"])) for h in found if h["distance"] > 0 and h["id"] < self.n_docs)

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

    def __init__(self, client: Any, collection: str, local: DenseIndex, means: dict[str, np.ndarray]):
        self.client, self.collection, self.local, self.means = client, collection, local, means

    def __len__(self) -> int:
        return len(self.local)

    def centred(self, query: np.ndarray, lang: str) -> np.ndarray:
        """The question centred as the collection's rows were (their means, not this build's)."""
        return center(np.asarray(query, dtype=np.float32)[None, :], [lang], self.means)[0]

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
        return _ranked((int(h["id"]), float(h["distance"])) for h in found if h["id"] < len(self.local))


def _ranked(hits) -> list[tuple[int, float]]:
    """Best first, equal scores by number: as faiss and bm25s order them (two copies of a page
    have the same vector, and which comes first decides which one an answer quotes)."""
    return sorted(hits, key=lambda h: (-h[1], h[0]))


def _among(ids: np.ndarray | None) -> str:
    return "" if ids is None else f"id in [{','.join(str(int(i)) for i in ids)}]"
