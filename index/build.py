"""Corpus folder → index on disk: ingest, chunk, embed, index, publish atomically.

An update that only adds documents (the common case: a plan uploaded to the bot) writes one new
segment holding them and links the others (index/store.py): unchanged documents are neither
parsed, read, chunked, tokenized nor embedded again, and BM25 is rebuilt from their stored token
ids. Any other change (a document edited or removed) writes the whole index as one segment,
still reusing the passages, token ids and vectors of unchanged documents.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from tqdm import tqdm

from . import store
from .chunking import chunk_document, document_head, indexed_document_text, indexed_text
from .config import Settings
from .dense import EXACT_LIMIT, DenseIndex
from .embcache import EmbeddingCache, text_key
from .embedding import Embedder
from .facts.store import add_facts, compatible, write_facts
from .ingest import IngestError, Unchanged, iter_corpus
from .lang import vi
from .lexical import LexicalIndex, TokenIds
from .reader import open_reader
from .store import Segment
from .tokenize import tokenize, tokenize_document
from .types import Chunk, Document

log = logging.getLogger(__name__)

# An update that only adds documents writes one more segment; past this many, it merges the
# segments added since the last full build into one (the first, usually by far the largest, stays).
MAX_SEGMENTS = 16


@dataclass
class BuildReport:
    path: Path
    documents: int
    chunks: int
    reused_documents: int  # unchanged since the previous build: not parsed again
    embedded: int  # texts sent to the model, passages and whole documents (the rest came from the cache)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    seconds: dict[str, float] = field(default_factory=dict)
    appended: bool = False  # only documents were added: the previous segments were kept as they are


@dataclass
class _Previous:
    """The current build, as far as an update needs it: its manifest and BM25 vocabulary."""

    path: Path
    manifest: dict
    vocab: dict[str, int]

    @property
    def sha256(self) -> dict[str, str]:
        return {doc_id: info["sha256"] for doc_id, info in self.manifest["documents"].items()}

    @property
    def segments(self) -> list[Path]:
        return store.segment_folders(self.path, self.manifest)


def _previous(settings: Settings) -> _Previous | None:
    """The current build when it was made with these settings; None otherwise (a full build)."""
    build = store.current_build(settings.index_dir)
    if build is None:
        return None
    try:
        manifest = store.read_manifest(settings.index_dir)
        store.check_compatible(manifest, settings.index_signature())
        vocab = LexicalIndex.load(build / store.PASSAGE_BM25).vocab
        return _Previous(build, manifest, vocab)
    except (store.IndexMismatchError, OSError, ValueError, KeyError, TypeError):
        return None


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
    previous = None if rebuild else _previous(settings)
    seconds["previous"] = time.perf_counter() - t0  # reading what an update reuses
    known = previous.sha256 if previous else {}
    embedder = embedder or Embedder.from_settings(settings)

    current: list[Document | Unchanged] = []
    skipped: list[tuple[str, str]] = []
    files = source if source is not None else iter_corpus(settings.corpus_dir, settings, known=known)
    for path, result in tqdm(files, desc="Reading documents", unit="doc", disable=not progress):
        if isinstance(result, IngestError):
            skipped.append((path.name, str(result)))
            log.warning("skipped %s: %s", path.name, result)
            continue
        if isinstance(result, Document) and known.get(result.doc_id) == result.sha256:
            result = Unchanged(result.doc_id, result.sha256)
        current.append(result)
    added = [d for d in current if isinstance(d, Document)]
    unchanged = {d.doc_id for d in current if isinstance(d, Unchanged)}
    appending = (
        previous is not None and unchanged == set(known) and compatible(previous.path / "facts.sqlite")
    )

    vocab = dict(previous.vocab) if previous else {}
    dim = previous.manifest.get("dim") if previous else None
    t = time.perf_counter()
    if appending:
        kept = previous.segments
        merged = [store.read_segment(folder) for folder in kept[1:]] if len(kept) >= MAX_SEGMENTS else []
        kept = kept[: len(kept) - len(merged)]
        tokens = [store.read_tokens(f) for f in kept]
        restorer = store.load_restorer(previous.path)
        seconds["previous"] += time.perf_counter() - t
        new, embedded = _segment(added, vocab, settings, embedder, progress, seconds, dim)
        segments = [Segment.concat([*merged, new])]
        tokens.append((segments[0].passage_tokens, segments[0].document_tokens))
        passage_tokens = TokenIds.concat([p for p, _ in tokens])
        document_tokens = TokenIds.concat([d for _, d in tokens])
        restorer = restorer.with_texts(d.text for d in added if d.meta.lang == "vi")
        described = {**previous.manifest["documents"], **_described(added)}
        n_chunks = previous.manifest["chunks"] + len(new.chunks)

        def facts(path: Path) -> None:
            add_facts(path, added, previous=previous.path / "facts.sqlite")
    else:
        kept = []
        old = Segment.concat([store.read_segment(f) for f in previous.segments]) if previous else None
        reused = _select(old, unchanged) if old else None
        seconds["previous"] += time.perf_counter() - t
        new, embedded = _segment(added, vocab, settings, embedder, progress, seconds, dim)
        whole = Segment.concat([s for s in (reused, new) if s is not None])
        whole, vocab = _compact(whole, vocab)
        segments, passage_tokens, document_tokens = [whole], whole.passage_tokens, whole.document_tokens
        restorer = vi.DiacriticRestorer.from_texts(d.text for d in whole.documents if d.meta.lang == "vi")
        described = _described(whole.documents)
        n_chunks = len(whole.chunks)
        previous_facts = previous.path / "facts.sqlite" if previous else None

        def facts(path: Path) -> None:
            write_facts(path, whole.documents, previous=previous_facts)

    t = time.perf_counter()
    lexical = LexicalIndex.from_ids(passage_tokens, vocab)
    document_lexical = LexicalIndex.from_ids(document_tokens, vocab)
    seconds["bm25"] = time.perf_counter() - t
    t = time.perf_counter()
    dense = None
    if n_chunks > EXACT_LIMIT:  # HNSW is built here and saved; an exact index is made at load
        everything = Segment.concat([store.read_segment(f) for f in kept] + segments)
        langs = {d.doc_id: d.meta.lang for d in everything.documents}
        dense = DenseIndex.build(everything.vectors, [langs[c.doc_id] for c in everything.chunks])
    seconds["faiss"] = time.perf_counter() - t

    manifest = {
        "format": store.FORMAT_VERSION,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "settings": settings.index_signature(),
        "model_name": embedder.name,
        "dim": int(segments[0].vectors.shape[1]),
        "documents": described,
        "chunks": n_chunks,
        "skipped": [{"file": f, "reason": r} for f, r in skipped],
        # the build this one only added documents to (its passages and documents numbered first):
        # a remote backend then inserts the new rows instead of writing every row (index/milvus.py)
        "appended_to": previous.path.name if appending else None,
    }
    t = time.perf_counter()

    def write(folder: Path) -> None:
        store.write_build(
            folder, manifest=manifest, kept=kept, added=segments, lexical=lexical,
            document_lexical=document_lexical, dense=dense, restorer=restorer, write_facts=facts,
        )

    path = store.publish(settings.index_dir, write)
    seconds["write"] = time.perf_counter() - t
    if settings.reader:
        # exported here, where torch is loaded anyway, so that a serving process never needs it
        open_reader(settings.cache_dir)
    seconds["total"] = time.perf_counter() - t0
    return BuildReport(path, len(current), n_chunks, len(unchanged), embedded, skipped, seconds, appending)


def _segment(
    documents: list[Document], vocab: dict[str, int], settings: Settings, embedder: Embedder, progress: bool,
    seconds: dict[str, float], dim: int | None = None,
) -> tuple[Segment, int]:
    """Chunk, tokenize (into ids of ``vocab``, which grows) and embed ``documents``; also the number
    of texts the model embedded (the rest came from the embedding cache)."""
    t = time.perf_counter()
    chunks = [c for doc in documents for c in chunk_document(doc, max_tokens=settings.chunk_max_tokens,
                                                              min_chars=settings.chunk_min_chars)]
    seconds["parse+chunk"] = time.perf_counter() - t

    t = time.perf_counter()
    cache = EmbeddingCache(settings.cache_dir, f"{embedder.name}|{settings.passage_prefix}")
    embedded = 0

    def embed_missing(missing: list[str]) -> np.ndarray:
        nonlocal embedded
        embedded += len(missing)
        return embedder.embed_passages(missing, show_progress=progress)

    # the model sees the passage alone (measured: titles on every passage blur them together)
    passages = [c.text for c in chunks]
    # no passages: the previous build's width, so that removing a document never loads the model
    vectors = cache.embed(passages, embed_missing) if chunks else np.zeros((0, dim or embedder.dim), np.float32)
    whole_ids, whole_vectors = _whole_documents(documents, chunks, cache, embed_missing, embedder, vectors.shape[1])
    cache.close()
    seconds["embed"] = time.perf_counter() - t

    t = time.perf_counter()
    heads = {d.doc_id: document_head(d.meta) for d in documents}

    def ids(tokens: list[str]) -> list[int]:
        return [vocab.setdefault(token, len(vocab)) for token in tokens]

    passage_tokens = TokenIds.from_lists([ids(tokenize(indexed_text(c, heads[c.doc_id]))) for c in chunks])
    # whole documents, in the order their passages come (index/retrieve.py numbers them so)
    with_passages = {c.doc_id for c in chunks}
    document_tokens = TokenIds.from_lists(
        [ids(tokenize_document(indexed_document_text(d))) for d in documents if d.doc_id in with_passages]
    )
    seconds["tokenize"] = time.perf_counter() - t
    return Segment(documents, chunks, vectors, passage_tokens, document_tokens, whole_ids, whole_vectors), embedded


# Whole documents longer than this are not measured in tokens: no model this project uses reads
# that many characters whole (e5: 512 tokens, about 2,000 characters of Vietnamese, fewer of Chinese).
WHOLE_MAX_CHARS = 4000


def _whole_documents(
    documents: list[Document], chunks: list[Chunk], cache: EmbeddingCache,
    embed_missing: Callable[[list[str]], np.ndarray], embedder: Embedder, dim: int,
) -> tuple[list[str], np.ndarray]:
    """A vector of each document cut into several passages that the model still reads whole
    (index/retrieve.py searches them as whole documents). Cached by text like the passages: the
    model is asked only about texts it has not embedded before."""
    several = {doc_id for doc_id, n in Counter(c.doc_id for c in chunks).items() if n > 1}
    texts = {d.doc_id: d.text for d in documents if d.doc_id in several and len(d.text) <= WHOLE_MAX_CHARS}
    cached = cache.get_many([text_key(t) for t in texts.values()])
    unseen = [doc_id for doc_id, t in texts.items() if text_key(t) not in cached]
    fits = embedder.reads_whole([texts[d] for d in unseen]) if unseen else []
    too_long = {doc_id for doc_id, ok in zip(unseen, fits) if not ok}
    ids = [doc_id for doc_id in texts if doc_id not in too_long]
    if not ids:
        return [], np.zeros((0, dim), np.float32)
    return ids, cache.embed([texts[d] for d in ids], embed_missing)


def _select(segment: Segment, doc_ids: set[str]) -> Segment:
    """The part of ``segment`` that belongs to the documents ``doc_ids``."""
    keep = np.array([c.doc_id in doc_ids for c in segment.chunks], dtype=bool)
    with_passages = list(dict.fromkeys(c.doc_id for c in segment.chunks))
    whole = np.array([d in doc_ids for d in segment.whole_ids], dtype=bool)
    return Segment(
        [d for d in segment.documents if d.doc_id in doc_ids],
        [c for c in segment.chunks if c.doc_id in doc_ids],
        segment.vectors[keep],
        segment.passage_tokens.selected(keep),
        segment.document_tokens.selected(np.array([d in doc_ids for d in with_passages], dtype=bool)),
        [d for d in segment.whole_ids if d in doc_ids],
        segment.whole_vectors[whole],
    )


def _compact(segment: Segment, vocab: dict[str, int]) -> tuple[Segment, dict[str, int]]:
    """Drop from ``vocab`` the tokens no passage or document uses any more (those of removed or
    edited documents) and renumber the rest."""
    used = np.zeros(len(vocab), dtype=bool)
    used[segment.passage_tokens.values] = True
    used[segment.document_tokens.values] = True
    new_id = np.cumsum(used) - 1
    by_id = [""] * len(vocab)
    for token, i in vocab.items():
        by_id[i] = token
    compact = {by_id[i]: int(new_id[i]) for i in np.flatnonzero(used)}
    return replace(
        segment,
        passage_tokens=segment.passage_tokens.remapped(new_id),
        document_tokens=segment.document_tokens.remapped(new_id),
    ), compact


def _described(documents: list[Document]) -> dict[str, dict]:
    return {d.doc_id: {"sha256": d.sha256, "title": d.meta.title} for d in documents}
