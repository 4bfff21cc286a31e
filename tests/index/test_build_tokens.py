"""An incremental build reuses the BM25 tokens of unchanged documents and indexes exactly what a
full build would."""

import json

import numpy as np

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
    assert 0 < len(calls) < len(first)  # only the new document's passages were tokenized

    build_index(fast_settings, embedder=HashingEmbedder(), progress=False, rebuild=True)
    full = store.load(fast_settings.index_dir)
    assert incremental_tokens == _tokens(fast_settings)
    for question in (["sở_y", "y", "tế"], ["khen", "thưởng"], ["kế", "hoạch"]):
        assert incremental.lexical.search(question, 10) == full.lexical.search(question, 10)
    assert np.array_equal(np.asarray(incremental.vectors), np.asarray(full.vectors))
