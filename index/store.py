"""The index on disk: one folder per build, published by an atomic symlink swap.

    <index_dir>/current -> builds/<id>      what readers open
    <index_dir>/builds/<id>/manifest.json   model, settings, per-document hashes, what was skipped
                            documents.jsonl metadata and cleaned text of each document
                            chunks.jsonl    passages with their section paths
                            vectors.npy     passage embeddings (float32, L2-normalized)
                            dense.faiss     faiss index over those vectors
                            bm25/           bm25s files (passages)
                            bm25-documents/ bm25s files (whole documents, in passage order)
                            restorer.json   Vietnamese syllable counts for diacritic restoration

A build is written into builds/<id>.tmp, flushed to disk, renamed, and only then does `current`
move to it (rename over a symlink is atomic on POSIX). A crash at any point leaves the previous
build in place and readable; readers that opened the old build keep using it.
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

from .dense import DenseIndex
from .lexical import LexicalIndex
from .lang.vi import DiacriticRestorer
from .types import Chunk, DocMeta, Document

FORMAT_VERSION = 1
DOCUMENT_BM25 = "bm25-documents"
RESTORER_FILE = "restorer.json"
KEEP_BUILDS = 2  # the current one and its predecessor, for readers that still have it open


class IndexMissingError(Exception):
    """No index has been built at this location yet."""


class IndexMismatchError(Exception):
    """The index on disk was built with other settings (model, chunking) than the ones asked for."""


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
    restorer: DiacriticRestorer
    document_lexical: LexicalIndex | None = None  # None: an index written before it was stored
    skipped: list[dict] = field(default_factory=list)


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
        raise IndexMismatchError(
            f"the index was written by another version of policyqa (format {manifest.get('format')}, "
            f"this one reads {FORMAT_VERSION}); rebuild it with: policyqa build --rebuild"
        )
    built = manifest.get("settings", {})
    diffs = [f"{k}: built with {built.get(k)!r}, asked for {v!r}" for k, v in signature.items() if built.get(k) != v]
    if diffs:
        raise IndexMismatchError(
            "the index was built with other settings (" + "; ".join(diffs) + "). "
            "Rebuild it with: policyqa build --rebuild (or ask with the settings it was built with)"
        )


def write_jsonl(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> Iterator:
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def write_build(
    folder: Path,
    *,
    manifest: dict,
    documents: list[Document],
    chunks: list[Chunk],
    vectors: np.ndarray,
    lexical: LexicalIndex,
    dense: DenseIndex,
    restorer: DiacriticRestorer,
    document_lexical: LexicalIndex | None = None,
) -> None:
    folder.mkdir(parents=True)
    write_jsonl(
        folder / "documents.jsonl",
        ({"doc_id": d.doc_id, "sha256": d.sha256, "meta": d.meta.to_dict(), "text": d.text} for d in documents),
    )
    write_jsonl(folder / "chunks.jsonl", (c.to_dict() for c in chunks))
    np.save(folder / "vectors.npy", np.ascontiguousarray(vectors, dtype=np.float32))
    dense.save(folder / "dense.faiss")
    lexical.save(folder / "bm25")
    if document_lexical is not None:
        document_lexical.save(folder / DOCUMENT_BM25)
    (folder / RESTORER_FILE).write_text(json.dumps(restorer.to_dict(), ensure_ascii=False), "utf-8")
    # facts.sqlite: responsibilities, deadlines, eligibility, amounts (index/facts/), in the same build
    from .facts.store import write_facts

    write_facts(folder / "facts.sqlite", documents, previous=folder.parent.parent / "current" / "facts.sqlite")
    # the manifest goes last: a folder without one is never taken for a build
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
            return _load_build(build, signature)
        except (OSError, RuntimeError):  # faiss says RuntimeError for a file removed under it
            if attempt == 4 or current_build(index_dir) == build:  # still current: a real error
                raise
    raise AssertionError("unreachable")


def _load_build(build: Path, signature: dict | None) -> StoredIndex:
    manifest, documents, chunks = _load_texts(build, signature)
    return StoredIndex(
        path=build,
        manifest=manifest,
        documents=documents,
        chunks=chunks,
        vectors=np.load(build / "vectors.npy", mmap_mode="r"),
        dense=DenseIndex.load(build / "dense.faiss"),
        lexical=LexicalIndex.load(build / "bm25"),
        restorer=load_restorer(build),
        skipped=manifest.get("skipped", []),
        document_lexical=LexicalIndex.load(build / DOCUMENT_BM25) if (build / DOCUMENT_BM25).is_dir() else None,
    )


def load_restorer(build: Path) -> DiacriticRestorer:
    """A build's Vietnamese word counts for restoring diacritics."""
    counts = json.loads((build / RESTORER_FILE).read_text("utf-8"))
    return DiacriticRestorer(counts["unigrams"], counts["bigrams"])


def load_texts(index_dir: Path, signature: dict | None = None) -> tuple[Path, dict[str, Document], list[Chunk]]:
    """The current build's documents and passages only (what an update reuses; no indexes)."""
    build = current_build(index_dir)
    if build is None:
        raise IndexMissingError(f"no index at {index_dir}; build one with: policyqa build")
    _, documents, chunks = _load_texts(build, signature)
    return build, documents, chunks


def _load_texts(build: Path, signature: dict | None) -> tuple[dict, dict[str, Document], list[Chunk]]:
    manifest = json.loads((build / "manifest.json").read_text("utf-8"))
    if signature is not None:
        check_compatible(manifest, signature)
    documents = {
        row["doc_id"]: Document(row["doc_id"], row["text"], DocMeta.from_dict(row["meta"]), row["sha256"])
        for row in read_jsonl(build / "documents.jsonl")
    }
    chunks = [Chunk.from_dict(row) for row in read_jsonl(build / "chunks.jsonl")]
    return manifest, documents, chunks
