"""An index made in memory from documents and their passages, for retrieval and answering tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from index.chunking import indexed_document_text
from index.dense import DenseIndex
from index.lexical import LexicalIndex
from index.store import StoredIndex
from index.tokenize import tokenize, tokenize_document
from index.types import Chunk, Document


class ConstantEmbedder:
    """Every question the same vector: dense search ranks by the passages' random vectors alone."""

    dim = 8

    def embed_queries(self, texts):
        return np.ones((len(texts), self.dim), np.float32) / np.sqrt(self.dim)


def stored_index(path: Path, documents: dict[str, Document], chunks: list[Chunk]) -> StoredIndex:
    """The index of ``chunks`` (passages of ``documents``) as the build makes it, with seeded
    random vectors; ``path`` names the build (retrieval keeps its views per build folder)."""
    vectors = np.random.default_rng(0).normal(size=(len(chunks), ConstantEmbedder.dim)).astype(np.float32)
    return StoredIndex(
        path=path,
        manifest={},
        documents=documents,
        chunks=chunks,
        vectors=vectors,
        dense=DenseIndex.build(vectors, [documents[c.doc_id].meta.lang for c in chunks]),
        lexical=LexicalIndex.build([tokenize(c.text) for c in chunks]),
        # as the build makes it: each document with passages, in the order of its passages
        document_lexical=LexicalIndex.build(
            [tokenize_document(indexed_document_text(documents[d])) for d in dict.fromkeys(c.doc_id for c in chunks)]
        ),
        restorer=None,  # type: ignore[arg-type]
    )
