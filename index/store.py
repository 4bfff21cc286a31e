"""The index on disk: one folder per build, published by an atomic symlink swap.

    <index_dir>/current -> builds/<id>      what readers open
    <index_dir>/builds/<id>/manifest.json   model, settings, per-document hashes, segments, skipped files
                            segments/<n>/   the documents added together (see Segment)
                            bm25/           bm25s files (passages)
                            bm25-documents/ bm25s files (whole documents, in passage order)
                            dense.faiss     faiss HNSW index, only above dense.EXACT_LIMIT vectors
                                            (an exact index is made from the vectors when loaded)
                            restorer.json   Vietnamese syllable counts for diacritic restoration
                            facts.sqlite    responsibilities, deadlines, amounts (index/facts/)

A build is written into builds/<id>.tmp, flushed to disk, renamed, and only then does `current`
move to it (rename over a symlink is atomic on POSIX). A crash at any point leaves the previous
build in place and readable; readers that opened the old build keep using it.

Segments make adding a document cheap: a build that only adds documents hard-links the previous
build's segment folders (builds never change once written, so sharing their files is safe, and
nothing is copied, re-read or flushed again) and writes one new segment. Passages are numbered
across segments in the manifest's order.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import orjson

from .dense import DenseIndex
from .gcpause import paused_gc
from .lexical import LexicalIndex, TokenIds
from .lang.vi import DiacriticRestorer
from .types import Chunk, DocMeta, Document

FORMAT_VERSION = 2  # 2: segments, token ids
SEGMENTS = "segments"
PASSAGE_BM25 = "bm25"
DOCUMENT_BM25 = "bm25-documents"
DENSE_FILE = "dense.faiss"
RESTORER_FILE = "restorer.json"
WHOLE_FILE = "whole_vectors.npz"
KEEP_BUILDS = 2  # the current one and its predecessor, for readers that still have it open


class IndexMissingError(Exception):
    """No index has been built at this location yet."""


class IndexMismatchError(Exception):
    """The index on disk was built with other settings (model, chunking) than the ones asked for."""


class IndexOutdatedError(IndexMismatchError):
    """The index on disk was written by another version of policyqa: rebuilding it from the corpus
    loses nothing (the embeddings are cached), so callers that may build do so."""


@dataclass
class StoredIndex:
    """Everything a built index holds, loaded for querying."""

    path: Path
    manifest: dict
    documents: dict[str, Document]
    chunks: list[Chunk]
    vectors: np.ndarray
    dense: DenseIndex
    lexical: LexicalIndex
    document_lexical: LexicalIndex  # BM25 over whole documents, in passage order
    restorer: DiacriticRestorer
    skipped: list[dict] = field(default_factory=list)
    # doc_id → the vector of the whole document, for documents of several passages that the model
    # reads whole (index/retrieve.py: dense search over whole documents)
    document_vectors: dict[str, np.ndarray] = field(default_factory=dict)


def current_build(index_dir: Path) -> Path | None:
    link = Path(index_dir) / "current"
    if not link.is_symlink() and not link.is_dir():
        return None
    target = link.resolve()
    return target if (target / "manifest.json").is_file() else None


def read_manifest(index_dir: Path) -> dict | None:
    build = current_build(index_dir)
    return json.loads((build / "manifest.json").read_text("utf-8")) if build else None


def check_compatible(manifest: dict, signature: dict) -> None:
    """Refuse an index built with other settings, saying how to rebuild."""
    if manifest.get("format") != FORMAT_VERSION:
        raise IndexOutdatedError(
            f"the index was written by another version of policyqa (format {manifest.get('format')}, "
            f"this one reads {FORMAT_VERSION}); rebuild it with: policyqa build --rebuild"
        )
    built = manifest.get("settings", {})
    differ = [k for k, v in signature.items() if built.get(k) != v]
    if differ == ["pipeline"]:  # same settings, another version's tokens or passages
        raise IndexOutdatedError(
            f"the index was made by another version of policyqa's pipeline ({built.get('pipeline')}, "
            f"this one makes {signature['pipeline']}); rebuild it with: policyqa build --rebuild"
        )
    diffs = [f"{k}: built with {built.get(k)!r}, asked for {signature[k]!r}" for k in differ]
    if diffs:
        raise IndexMismatchError(
            "the index was built with other settings (" + "; ".join(diffs) + "). "
            "Rebuild it with: policyqa build --rebuild (or ask with the settings it was built with)"
        )


# orjson: reading the passages and documents was 0.6 s of a cold start at 34,000 documents with
# the json module, 0.3 s with orjson (same JSON, UTF-8 as written)
def write_jsonl(path: Path, rows) -> None:
    with path.open("wb") as f:
        for row in rows:
            f.write(orjson.dumps(row) + b"\n")


def read_jsonl(path: Path) -> Iterator:
    with path.open("rb") as f:
        for line in f:
            if line.strip():
                yield orjson.loads(line)


@dataclass
class Segment:
    """Documents added to the index together, with everything made from them once: passages,
    their vectors and BM25 token ids. A segment is written once and never changed."""

    documents: list[Document]
    chunks: list[Chunk]  # grouped by document, in the order of ``documents``
    vectors: np.ndarray  # one per chunk, L2-normalized float32
    passage_tokens: TokenIds  # one per chunk, ids of the build's vocabulary
    document_tokens: TokenIds  # one per document that has passages, in the order of its passages
    whole_ids: list[str]  # documents of several passages that the model reads whole …
    whole_vectors: np.ndarray  # … and their vectors, L2-normalized float32

    @classmethod
    def concat(cls, parts: list[Segment]) -> Segment:
        """One segment holding ``parts`` (at least one) in order."""
        return cls(
            [d for p in parts for d in p.documents],
            [c for p in parts for c in p.chunks],
            np.concatenate([p.vectors for p in parts]),
            TokenIds.concat([p.passage_tokens for p in parts]),
            TokenIds.concat([p.document_tokens for p in parts]),
            [d for p in parts for d in p.whole_ids],
            np.concatenate([p.whole_vectors for p in parts]),
        )


def write_segment(folder: Path, segment: Segment) -> None:
    folder.mkdir(parents=True)
    write_jsonl(
        folder / "documents.jsonl",
        ({"doc_id": d.doc_id, "sha256": d.sha256, "meta": d.meta.to_dict(), "text": d.text} for d in segment.documents),
    )
    write_jsonl(folder / "chunks.jsonl", (c.to_dict() for c in segment.chunks))
    np.save(folder / "vectors.npy", np.ascontiguousarray(segment.vectors, dtype=np.float32))
    segment.passage_tokens.save(folder / "passage_tokens.npz")
    segment.document_tokens.save(folder / "document_tokens.npz")
    np.savez(
        folder / WHOLE_FILE,
        ids=np.array(segment.whole_ids, dtype=str),
        vectors=np.ascontiguousarray(segment.whole_vectors, dtype=np.float32),
    )


def read_segment(folder: Path) -> Segment:
    return Segment(
        list(_read_documents(folder)),
        list(_read_chunks(folder)),
        np.load(folder / "vectors.npy"),
        *read_tokens(folder),
        *read_whole(folder),
    )


def read_whole(folder: Path) -> tuple[list[str], np.ndarray]:
    """A segment's whole-document vectors: (doc ids, vectors)."""
    with np.load(folder / WHOLE_FILE) as f:
        return [str(d) for d in f["ids"]], f["vectors"].astype(np.float32)


def read_tokens(folder: Path) -> tuple[TokenIds, TokenIds]:
    """A segment's token ids only (passages, whole documents): what an update rebuilds BM25 from."""
    return TokenIds.load(folder / "passage_tokens.npz"), TokenIds.load(folder / "document_tokens.npz")


def _read_documents(folder: Path) -> Iterator[Document]:
    for row in read_jsonl(folder / "documents.jsonl"):
        yield Document(row["doc_id"], row["text"], DocMeta.from_dict(row["meta"]), row["sha256"])


def _read_chunks(folder: Path) -> Iterator[Chunk]:
    return (Chunk.from_dict(row) for row in read_jsonl(folder / "chunks.jsonl"))


def _link_tree(source: Path, target: Path) -> None:
    """``target`` as hard links to ``source``'s files (a copy where the file system has none)."""
    target.mkdir(parents=True)
    for path in source.iterdir():
        try:
            os.link(path, target / path.name)
        except OSError:
            shutil.copy2(path, target / path.name)


def write_build(
    folder: Path,
    *,
    manifest: dict,
    kept: list[Path],
    added: list[Segment],
    lexical: LexicalIndex,
    document_lexical: LexicalIndex,
    dense: DenseIndex | None,
    restorer: DiacriticRestorer,
    write_facts: Callable[[Path], object],
) -> None:
    """Write a build: ``kept`` segment folders of earlier builds (linked), then the ``added``
    segments; ``dense`` only when it is not made from the vectors at load (dense.EXACT_LIMIT)."""
    folder.mkdir(parents=True)
    names = [p.name for p in kept]
    first = max((int(n) for n in names), default=-1) + 1
    for source in kept:
        _link_tree(source, folder / SEGMENTS / source.name)
    for n, segment in enumerate(added, start=first):
        names.append(f"{n:06d}")
        write_segment(folder / SEGMENTS / names[-1], segment)
    lexical.save(folder / PASSAGE_BM25)
    document_lexical.save(folder / DOCUMENT_BM25)
    if dense is not None:
        dense.save(folder / DENSE_FILE)
    (folder / RESTORER_FILE).write_text(json.dumps(restorer.to_dict(), ensure_ascii=False), "utf-8")
    write_facts(folder / "facts.sqlite")
    # the manifest goes last: a folder without one is never taken for a build
    manifest = {**manifest, "segments": names}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")


def _fsync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            with path.open("rb") as f:
                os.fsync(f.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(index_dir: Path, write: Callable[[Path], None]) -> Path:
    """Run ``write(folder)`` into a fresh build folder and make it current atomically."""
    index_dir = Path(index_dir)
    builds = index_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    # sortable to the microsecond: garbage collection keeps the newest builds by name
    now = time.time()
    build_id = time.strftime("%Y%m%dT%H%M%S", time.localtime(now)) + f".{int(now % 1 * 1e6):06d}-" + uuid.uuid4().hex[:8]
    tmp = builds / f"{build_id}.tmp"
    write(tmp)
    _fsync_tree(tmp)
    final = builds / build_id
    previous = current_build(index_dir)
    os.rename(tmp, final)
    link_tmp = index_dir / f"current.{build_id}.tmp"
    os.symlink(Path("builds") / build_id, link_tmp)
    os.replace(link_tmp, index_dir / "current")
    _fsync_dir(index_dir)
    _collect_garbage(index_dir, keep=final, previous=previous)
    return final


def _collect_garbage(index_dir: Path, keep: Path, previous: Path | None = None) -> None:
    """Remove leftovers of crashed builds and all but the newest finished builds."""
    builds = index_dir / "builds"
    for leftover in list(builds.glob("*.tmp")) + list(index_dir.glob("current.*.tmp")):
        if leftover.is_symlink() or leftover.is_file():
            leftover.unlink(missing_ok=True)
        else:
            shutil.rmtree(leftover, ignore_errors=True)
    finished = sorted((p for p in builds.iterdir() if p.is_dir() and not p.name.endswith(".tmp")), key=lambda p: p.name)
    for old in finished[:-KEEP_BUILDS]:
        if old != keep and (previous is None or old.resolve() != previous):  # readers may have it open
            shutil.rmtree(old, ignore_errors=True)


def load(index_dir: Path, signature: dict | None = None) -> StoredIndex:
    """Open the current build; with ``signature``, refuse one built with other settings.

    Between resolving `current` and reading the last file, two newer builds may be published and
    this one garbage-collected (a reader during back-to-back reindexing): then the new current
    build is opened instead."""
    for attempt in range(5):
        build = current_build(index_dir)
        if build is None:
            raise IndexMissingError(f"no index at {index_dir}; build one with: policyqa build")
        try:
            with paused_gc():
                return _load_build(build, signature)
        except (OSError, RuntimeError):  # faiss says RuntimeError for a file removed under it
            if attempt == 4 or current_build(index_dir) == build:  # still current: a real error
                raise
    raise AssertionError("unreachable")


def _load_build(build: Path, signature: dict | None) -> StoredIndex:
    manifest, documents, chunks = _load_texts(build, signature)
    parts = [np.load(folder / "vectors.npy", mmap_mode="r") for folder in segment_folders(build, manifest)]
    vectors = parts[0] if len(parts) == 1 else np.concatenate(parts)
    if (build / DENSE_FILE).is_file():
        dense = DenseIndex.load(build / DENSE_FILE)
    else:  # exact search: the index is a centred copy of the vectors, made in a fraction of a second
        dense = DenseIndex.build(vectors, [documents[c.doc_id].meta.lang for c in chunks])
    whole: dict[str, np.ndarray] = {}
    for folder in segment_folders(build, manifest):
        ids, matrix = read_whole(folder)
        whole.update(zip(ids, matrix))
    return StoredIndex(
        path=build,
        manifest=manifest,
        documents=documents,
        chunks=chunks,
        vectors=vectors,
        dense=dense,
        lexical=LexicalIndex.load(build / PASSAGE_BM25),
        restorer=load_restorer(build),
        skipped=manifest.get("skipped", []),
        document_lexical=LexicalIndex.load(build / DOCUMENT_BM25),
        document_vectors=whole,
    )


def segment_folders(build: Path, manifest: dict) -> list[Path]:
    return [build / SEGMENTS / name for name in manifest["segments"]]


def load_restorer(build: Path) -> DiacriticRestorer:
    """A build's Vietnamese word counts for restoring diacritics."""
    counts = json.loads((build / RESTORER_FILE).read_text("utf-8"))
    return DiacriticRestorer(counts["unigrams"], counts["bigrams"])


def _load_texts(build: Path, signature: dict | None) -> tuple[dict, dict[str, Document], list[Chunk]]:
    manifest = json.loads((build / "manifest.json").read_text("utf-8"))
    if signature is not None:
        check_compatible(manifest, signature)
    documents: dict[str, Document] = {}
    chunks: list[Chunk] = []
    for folder in segment_folders(build, manifest):
        documents.update((d.doc_id, d) for d in _read_documents(folder))
        chunks.extend(_read_chunks(folder))
    return manifest, documents, chunks
