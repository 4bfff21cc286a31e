"""Hybrid retrieval rules: whole-document evidence, and BM25 left out where it cannot match."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index import retrieve
from index.config import Settings
from index.dense import DenseIndex
from index.lexical import LexicalIndex
from index.retrieve import Retriever, document_view, prepare_query
from index.store import StoredIndex
from index.tokenize import tokenize
from index.types import Chunk, DocMeta, Document

FILLER = "lorem ipsum"


class ConstantEmbedder:
    dim = 8

    def embed_queries(self, texts):
        return np.ones((len(texts), self.dim), np.float32) / np.sqrt(self.dim)


def make_index(tmp_path: Path, docs: dict[str, tuple[str, list[str]]]) -> StoredIndex:
    """docs: id → (language, passages)."""
    documents, chunks = {}, []
    for doc_id, (lang, passages) in docs.items():
        documents[doc_id] = Document(doc_id, "\n".join(passages), DocMeta(title="", lang=lang), sha256=doc_id)
        chunks += [Chunk(f"{doc_id}#{i}", doc_id, i, text) for i, text in enumerate(passages)]
    vectors = np.random.default_rng(0).normal(size=(len(chunks), ConstantEmbedder.dim)).astype(np.float32)
    return StoredIndex(
        path=tmp_path / f"build-{len(chunks)}-{'-'.join(docs)}",
        manifest={},
        documents=documents,
        chunks=chunks,
        vectors=vectors,
        dense=DenseIndex.build(vectors, [documents[c.doc_id].meta.lang for c in chunks]),
        lexical=LexicalIndex.build([tokenize(c.text) for c in chunks]),
        restorer=None,  # type: ignore[arg-type]
    )


def test_a_document_holding_all_the_question_words_comes_first(tmp_path, monkeypatch):
    monkeypatch.setattr(retrieve, "MIN_DOCUMENTS", 1)
    stored = make_index(tmp_path, {
        "split": ("vi", [f"alpha {FILLER}", f"beta {FILLER}"]),  # the words, but in two passages
        "one": ("vi", ["alpha gamma"]),
        "two": ("vi", ["beta delta"]),
    })
    query = prepare_query("alpha beta", None)
    lexical_only = Settings(dense_weight=0.0, document_weight=6.0)  # × split share 1/3
    passages_only = Retriever(stored, ConstantEmbedder(), lexical_only.with_(document_weight=0.0)).search(query, k=4)
    assert passages_only[0].chunk.doc_id != "split"  # short passages win on BM25 alone
    hits = Retriever(stored, ConstantEmbedder(), lexical_only).search(query, k=4)
    assert hits[0].chunk.doc_id == "split" and hits[0].ranks["document"] == 1
    assert document_view(stored).split_share == pytest.approx(1 / 3)


def test_no_document_ranking_over_a_handful_of_documents(tmp_path):
    stored = make_index(tmp_path, {"a": ("vi", ["alpha", "beta"]), "b": ("vi", ["gamma"])})
    assert len(document_view(stored).ids) < retrieve.MIN_DOCUMENTS
    assert document_view(stored).document_evidence == 0.0
    hits = Retriever(stored, ConstantEmbedder(), Settings()).search(prepare_query("alpha beta", None), k=3)
    assert hits and all("document" not in h.ranks for h in hits)


def test_bm25_counts_only_when_the_index_has_documents_in_the_questions_language(tmp_path):
    zh_only = make_index(tmp_path, {f"zh{i}": ("zh", [f"高龄津贴 2022 标准 {i}"]) for i in range(3)})
    retriever = Retriever(zh_only, ConstantEmbedder(), Settings())
    vi_query = prepare_query("Trợ cấp năm 2022 là bao nhiêu", None)
    assert retriever.lexical_weight(vi_query) == 0.0
    hits = retriever.search(vi_query, k=3)
    assert hits and all("bm25" not in h.ranks for h in hits)  # "2022" alone must not vote
    assert "bm25" in retriever.search(vi_query, k=3, mode="bm25")[0].ranks  # plain BM25 stays
    zh_query = prepare_query("2022年高龄津贴标准", None)
    assert retriever.lexical_weight(zh_query) == 1.0
    assert any("bm25" in h.ranks for h in retriever.search(zh_query, k=3))


def test_glossary_share_is_the_translated_part_of_the_question():
    query = prepare_query("Thanh Hóa tỷ số giới tính khi sinh năm 2020 là bao nhiêu", None)
    assert 0.0 < Retriever.glossary_share(query) <= 1.0
    assert Retriever.glossary_share(prepare_query("không có từ nào trong từ điển", None)) == 0.0
