"""BM25 built from token ids: the very matrix bm25s builds itself, and ids that survive a save."""

import bm25s
import numpy as np
import pytest

from index.chunking import chunk_document
from index.config import Settings
from index.ingest import iter_corpus
from index.lexical import LexicalIndex, TokenIds
from index.tokenize import tokenize
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def seed_documents():
    return [doc for _, doc in iter_corpus(CORPUS, Settings())]


def _corpus_tokens(documents) -> list[list[str]]:
    return [tokenize(c.text) for doc in documents for c in chunk_document(doc, max_tokens=200, min_chars=40)]


def test_the_matrix_is_the_one_bm25s_builds_and_ranks_alike(seed_documents):
    token_lists = _corpus_tokens(seed_documents)
    ours = LexicalIndex.build(token_lists)
    theirs = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    theirs.index(bm25s.tokenization.Tokenized(ids=[[ours.vocab[t] for t in toks] for toks in token_lists],
                                              vocab=dict(ours.vocab)), show_progress=False, create_empty_token=False)
    for key in ("indices", "indptr"):
        assert np.array_equal(ours.model.scores[key], theirs.scores[key])
    assert np.allclose(ours.model.scores["data"], theirs.scores["data"], rtol=1e-6)
    for question in (["khen", "thưởng"], ["补贴", "标准"], ["sở_y", "y", "tế"]):
        assert ours.search(question, 10)
        assert np.allclose(ours.scores(question), theirs.get_scores(question), rtol=1e-6)


def test_an_index_saved_and_loaded_answers_the_same(tmp_path, seed_documents):
    index = LexicalIndex.build(_corpus_tokens(seed_documents))
    index.save(tmp_path / "bm25")
    loaded = LexicalIndex.load(tmp_path / "bm25")
    assert loaded.search(["khen", "thưởng"], 5) == index.search(["khen", "thưởng"], 5)
    assert loaded.idf("khen") == index.idf("khen") > loaded.idf("của")


def test_token_ids_keep_every_text_through_concat_remap_and_save(tmp_path):
    a, b = TokenIds.from_lists([[0, 1], [], [2, 2, 0]]), TokenIds.from_lists([[3]])
    both = TokenIds.concat([a, b])
    assert both.lists() == [[0, 1], [], [2, 2, 0], [3]] and len(both) == 4
    assert both.remapped(np.array([3, 2, 1, 0])).lists() == [[3, 2], [], [1, 1, 3], [0]]
    assert both.selected(np.array([True, True, False, True])).lists() == [[0, 1], [], [3]]
    assert both.selected(np.zeros(4, dtype=bool)).lists() == []
    both.save(tmp_path / "ids.npz")
    assert TokenIds.load(tmp_path / "ids.npz").lists() == both.lists()
    assert TokenIds.concat([]).lists() == []
