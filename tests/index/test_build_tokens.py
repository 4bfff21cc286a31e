"""An incremental build reuses the BM25 tokens of unchanged documents and indexes exactly what a
full build would."""

import json

import numpy as np
import pytest

from index import store
from index.build import TOKENS_FILE, build_index
from tests.conftest import HashingEmbedder


def _tokens(settings):
    path = store.current_build(settings.index_dir) / TOKENS_FILE
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_incremental_build_reuses_tokens_and_matches_a_full_build(fast_settings, monkeypatch):
    build_index(fast_settings, embedder=HashingEmbedder(), progress=False)
    first = _tokens(fast_settings)
    assert len(first) == len(store.load(fast_settings.index_dir).chunks)

    new = fast_settings.corpus_dir / "zz_new.txt"
    new.write_text("Kế hoạch thử nghiệm\nI. Mục tiêu\n1. Sở Y tế chủ trì, hoàn thành trước ngày 30/6/2027.", "utf-8")
    calls = []
    import index.build as build

    real = build.tokenize
    monkeypatch.setattr(build, "tokenize", lambda text: calls.append(text) or real(text))
    build_index(fast_settings, embedder=HashingEmbedder(), progress=False)
    incremental = store.load(fast_settings.index_dir)
    incremental_tokens = _tokens(fast_settings)
    new_passages = sum(c.doc_id == "zz_new.txt" for c in incremental.chunks)
    assert len(calls) == new_passages + 1  # the new document's passages, and its whole text

    build_index(fast_settings, embedder=HashingEmbedder(), progress=False, rebuild=True)
    full = store.load(fast_settings.index_dir)
    assert incremental_tokens == _tokens(fast_settings)
    for question in (["sở_y", "y", "tế"], ["khen", "thưởng"], ["kế", "hoạch"]):
        assert incremental.lexical.search(question, 10) == full.lexical.search(question, 10)
        assert incremental.document_lexical.search(question, 10) == full.document_lexical.search(question, 10)
    assert np.array_equal(np.asarray(incremental.vectors), np.asarray(full.vectors))
    # word counts for restoring diacritics: previous counts + the new document's = a full count
    assert "thử" in incremental.restorer.unigrams
    assert incremental.restorer.to_dict() == full.restorer.to_dict()


def test_a_loaded_index_ranks_whole_documents_without_tokenizing_them(fast_settings, monkeypatch):
    build_index(fast_settings, embedder=HashingEmbedder(), progress=False)
    stored = store.load(fast_settings.index_dir)
    import index.retrieve as retrieve

    # at 8,000 documents, tokenizing them all on the first question took 21 s
    monkeypatch.setattr(retrieve, "indexed_document_text", lambda doc: pytest.fail("documents tokenized at query time"))
    view = retrieve.DocumentView.of(stored)
    assert len(view.ids) == len(stored.documents)
    assert view.lexical.search(["khen", "thưởng"], 3)
