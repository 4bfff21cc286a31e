"""Corpus folder → index on disk: ingest, chunk, embed, index, publish atomically."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from . import store
from .chunking import chunk_document, document_head, indexed_document_text, indexed_text
from .config import Settings
from .dense import DenseIndex
from .embcache import EmbeddingCache
from .embedding import Embedder
from .ingest import IngestError, iter_corpus
from .lang import vi
from .lexical import LexicalIndex
from .tokenize import tokenize
from .types import Chunk, Document

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    path: Path
    documents: int
    chunks: int
    reused_documents: int  # unchanged since the previous build: not parsed again
    embedded: int  # passages sent to the model (the rest came from the embedding cache)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    seconds: dict[str, float] = field(default_factory=dict)


# BM25 tokens of every passage, one JSON list a line in passage order, and of every whole document,
# one [doc_id, tokens] a line: the next build reuses those of unchanged documents instead of
# tokenizing the whole corpus again (measured: tokenizing was 60% of adding one document to 8,000;
# bench/RESULTS.md). Optional: without them, tokens are remade.
TOKENS_FILE = "tokens.jsonl"
DOCUMENT_TOKENS_FILE = "document_tokens.jsonl"


@dataclass
class _Previous:
    """What an update reuses from the current build (empty when there is none, or it was built
    with other settings)."""

    documents: dict[str, tuple[Document, list[Chunk]]] = field(default_factory=dict)
    tokens: dict[str, list[list[str]]] = field(default_factory=dict)  # per document: its passages' tokens
    document_tokens: dict[str, list[str]] = field(default_factory=dict)  # per document: its whole text's
    restorer: vi.DiacriticRestorer | None = None


def _previous(settings: Settings) -> _Previous:
    try:
        path, old_documents, old_chunks = store.load_texts(settings.index_dir, settings.index_signature())
    except (store.IndexMissingError, store.IndexMismatchError, OSError, ValueError, KeyError):
        return _Previous()
    by_doc: dict[str, list[Chunk]] = {}
    for chunk in old_chunks:
        by_doc.setdefault(chunk.doc_id, []).append(chunk)
    tokens: dict[str, list[list[str]]] = {}
    try:
        rows = list(store.read_jsonl(path / TOKENS_FILE))
        if len(rows) == len(old_chunks):
            for chunk, row in zip(old_chunks, rows):
                tokens.setdefault(chunk.doc_id, []).append(row)
    except (OSError, ValueError):
        tokens = {}
    try:
        document_tokens = dict(store.read_jsonl(path / DOCUMENT_TOKENS_FILE))
    except (OSError, ValueError, TypeError):
        document_tokens = {}
    try:
        restorer = store.load_restorer(path)
    except (OSError, ValueError, KeyError):
        restorer = None
    documents = {doc_id: (doc, by_doc.get(doc_id, [])) for doc_id, doc in old_documents.items()}
    return _Previous(documents, tokens, document_tokens, restorer)


def _restorer(documents: list[Document], previous: _Previous) -> vi.DiacriticRestorer:
    """Vietnamese word counts for restoring diacritics: when the update only adds documents, the
    previous counts plus the new documents' (measured: counting every text again was ~0.7 s of
    adding one document to 8,000)."""
    vietnamese = [d for d in documents if d.meta.lang == "vi"]
    current = {d.doc_id: d.sha256 for d in documents}
    kept = all(current.get(doc_id) == doc.sha256 for doc_id, (doc, _) in previous.documents.items())
    if previous.restorer is None or not kept:
        return vi.DiacriticRestorer.from_texts(d.text for d in vietnamese)
    return previous.restorer.with_texts(d.text for d in vietnamese if d.doc_id not in previous.documents)


def build_index(
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    rebuild: bool = False,
    progress: bool = True,
    source: Iterable[tuple[Path, Document | IngestError]] | None = None,
) -> BuildReport:
    """Build (or update) the index of ``settings.corpus_dir`` at ``settings.index_dir``.

    ``source`` replaces the corpus folder with documents made elsewhere (an evaluation set that
    brings its own corpus): pairs of a name and a Document, or the IngestError it raised.
    """
    t0 = time.perf_counter()
    seconds: dict[str, float] = {}
    previous = _Previous() if rebuild else _previous(settings)
    embedder = embedder or Embedder.from_settings(settings)

    documents: list[Document] = []
    chunks: list[Chunk] = []
    known_tokens: list[list[str] | None] = []  # per chunk: BM25 tokens from the previous build
    document_tokens: dict[str, list[str]] = {}  # per unchanged document: from the previous build
    skipped: list[tuple[str, str]] = []
    reused = 0
    files = list(source if source is not None else iter_corpus(settings.corpus_dir, settings))
    for path, result in tqdm(files, desc="Reading documents", unit="doc", disable=not progress):
        if isinstance(result, IngestError):
            skipped.append((path.name, str(result)))
            log.warning("skipped %s: %s", path.name, result)
            continue
        doc = result
        old = previous.documents.get(doc.doc_id)
        old_tokens: list = []
        if old and old[0].sha256 == doc.sha256:
            doc, doc_chunks = old
            reused += 1
            old_tokens = previous.tokens.get(doc.doc_id, [])
            if doc.doc_id in previous.document_tokens:
                document_tokens[doc.doc_id] = previous.document_tokens[doc.doc_id]
        else:
            doc_chunks = chunk_document(doc, max_tokens=settings.chunk_max_tokens, min_chars=settings.chunk_min_chars)
        documents.append(doc)
        chunks.extend(doc_chunks)
        known_tokens.extend(old_tokens if len(old_tokens) == len(doc_chunks) else [None] * len(doc_chunks))
    seconds["parse+chunk"] = time.perf_counter() - t0

    heads = {d.doc_id: document_head(d.meta) for d in documents}
    langs = {d.doc_id: d.meta.lang for d in documents}

    t = time.perf_counter()
    cache = EmbeddingCache(settings.cache_dir, f"{embedder.name}|{settings.passage_prefix}")
    embedded = 0

    def embed_missing(missing: list[str]) -> np.ndarray:
        nonlocal embedded
        embedded = len(missing)
        return embedder.embed_passages(missing, show_progress=progress)

    # the model sees the passage alone (measured: titles on every passage blur them together)
    passages = [c.text for c in chunks]
    vectors = cache.embed(passages, embed_missing) if chunks else np.zeros((0, embedder.dim), np.float32)
    cache.close()
    seconds["embed"] = time.perf_counter() - t

    t = time.perf_counter()
    token_lists = [
        known if known is not None else tokenize(indexed_text(c, heads[c.doc_id]))
        for c, known in zip(chunks, known_tokens, strict=True)
    ]
    lexical = LexicalIndex.build(token_lists)
    # BM25 over whole documents, in the order their passages come (index/retrieve.py numbers them so)
    by_id = {d.doc_id: d for d in documents}
    with_passages = list(dict.fromkeys(c.doc_id for c in chunks))
    for doc_id in with_passages:
        if doc_id not in document_tokens:
            document_tokens[doc_id] = tokenize(indexed_document_text(by_id[doc_id]))
    document_lexical = LexicalIndex.build([document_tokens[d] for d in with_passages])
    seconds["bm25"] = time.perf_counter() - t
    t = time.perf_counter()
    dense = DenseIndex.build(vectors, [langs[c.doc_id] for c in chunks])
    seconds["faiss"] = time.perf_counter() - t
    restorer = _restorer(documents, previous)

    manifest = {
        "format": store.FORMAT_VERSION,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "settings": settings.index_signature(),
        "model_name": embedder.name,
        "dim": int(vectors.shape[1]) if len(vectors) else embedder.dim,
        "documents": {d.doc_id: {"sha256": d.sha256, "title": d.meta.title} for d in documents},
        "chunks": len(chunks),
        "skipped": [{"file": f, "reason": r} for f, r in skipped],
    }
    t = time.perf_counter()

    def write(folder: Path) -> None:
        store.write_build(
            folder,
            manifest=manifest,
            documents=documents,
            chunks=chunks,
            vectors=vectors,
            lexical=lexical,
            document_lexical=document_lexical,
            dense=dense,
            restorer=restorer,
        )
        # inside the build folder, before it is published
        store.write_jsonl(folder / TOKENS_FILE, token_lists)
        store.write_jsonl(folder / DOCUMENT_TOKENS_FILE, ([d, document_tokens[d]] for d in with_passages))

    path = store.publish(settings.index_dir, write)
    seconds["write"] = time.perf_counter() - t
    seconds["total"] = time.perf_counter() - t0
    return BuildReport(path, len(documents), len(chunks), reused, embedded, skipped, seconds)

