"""Updates: adding documents writes only them and indexes exactly what a full build would; an edit
or a removal rebuilds from what is kept; unchanged files are not read again."""

import os

import numpy as np
import pytest

import index.build as build
from index import store
from index.build import build_index
from index.facts.store import FactStore
from tests.conftest import HashingEmbedder

NEW = "Kế hoạch thử nghiệm\nI. Mục tiêu\n1. Sở Y tế chủ trì, hoàn thành trước ngày 30/6/2027."
# short enough for the model to read whole, long enough to be cut into several passages
SHORT = """\
Kế hoạch hỗ trợ học nghề cho lao động nông thôn năm 2027
I. Mục tiêu
Hỗ trợ 500 lao động nông thôn học nghề ngắn hạn, ưu tiên người dân tộc thiểu số, người khuyết tật, thành viên hộ nghèo và hộ cận nghèo trên địa bàn huyện; phấn đấu ít nhất 80% người học có việc làm mới hoặc tiếp tục làm nghề cũ với năng suất, thu nhập cao hơn sau khi học.
II. Đối tượng và mức hỗ trợ
Lao động nông thôn trong độ tuổi lao động được hỗ trợ chi phí đào tạo tối đa 3 triệu đồng mỗi người mỗi khóa, tiền ăn 30.000 đồng mỗi ngày thực học và tiền đi lại 200.000 đồng mỗi người mỗi khóa nếu nơi học cách nơi ở từ 15 km trở lên.
III. Kinh phí
Tổng kinh phí thực hiện là 1.200 triệu đồng từ ngân sách tỉnh, giao Phòng Lao động - Thương binh và Xã hội huyện quản lý, thanh quyết toán theo quy định hiện hành.
IV. Tổ chức thực hiện
Phòng Lao động - Thương binh và Xã hội chủ trì, phối hợp với Ủy ban nhân dân các xã lập danh sách người học, báo cáo kết quả về Ủy ban nhân dân huyện trước ngày 15/12/2027."""
QUESTIONS = (["sở_y", "y", "tế"], ["khen", "thưởng"], ["kế", "hoạch"], ["补贴"])


def _same_index(a: store.StoredIndex, b: store.StoredIndex) -> None:
    assert [c.chunk_id for c in a.chunks] == [c.chunk_id for c in b.chunks]
    assert a.documents.keys() == b.documents.keys()
    for q in QUESTIONS:
        assert a.lexical.search(q, 10) == b.lexical.search(q, 10)
        assert a.document_lexical.search(q, 10) == b.document_lexical.search(q, 10)
    assert np.array_equal(np.asarray(a.vectors), np.asarray(b.vectors))
    query = np.asarray(a.vectors[3])
    assert a.dense.search(query, 5, "vi") == b.dense.search(query, 5, "vi")
    assert a.restorer.to_dict() == b.restorer.to_dict()
    assert a.document_vectors.keys() == b.document_vectors.keys()
    assert all(np.array_equal(a.document_vectors[d], b.document_vectors[d]) for d in a.document_vectors)
    facts_a, facts_b = FactStore(a.path / "facts.sqlite"), FactStore(b.path / "facts.sqlite")
    assert sorted((f.doc_id, f.start, f.key) for f in facts_a.facts()) == sorted((f.doc_id, f.start, f.key) for f in facts_b.facts())


def test_adding_a_document_writes_only_it_and_matches_a_full_build(fast_settings, monkeypatch):
    first = build_index(fast_settings, embedder=HashingEmbedder(), progress=False)
    before = store.load(fast_settings.index_dir)
    (fast_settings.corpus_dir / "zz_new.txt").write_text(NEW, "utf-8")
    tokenized, parsed = [], []
    real_tokenize, real_load = build.tokenize, build.iter_corpus.__globals__["load_document"]
    real_document = build.tokenize_document
    monkeypatch.setattr(build, "tokenize", lambda text: tokenized.append(text) or real_tokenize(text))
    monkeypatch.setattr(build, "tokenize_document", lambda text: tokenized.append(text) or real_document(text))
    monkeypatch.setitem(build.iter_corpus.__globals__, "load_document",
                        lambda path, *a, **k: parsed.append(path.name) or real_load(path, *a, **k))

    report = build_index(fast_settings, embedder=HashingEmbedder(), progress=False)
    monkeypatch.undo()
    assert report.appended and report.reused_documents == 5 and report.documents == 6
    assert parsed == ["zz_new.txt"]  # the five unchanged files were hashed, not parsed
    incremental = store.load(fast_settings.index_dir)
    new_passages = sum(c.doc_id == "zz_new.txt" for c in incremental.chunks)
    assert len(tokenized) == new_passages + 1  # the new document's passages, and its whole text
    assert report.chunks == len(incremental.chunks) == first.chunks + new_passages
    # the previous segment is the same file on disk, not a copy
    old_segment, kept = store.segment_folders(before.path, before.manifest)[0], store.segment_folders(incremental.path, incremental.manifest)[0]
    assert os.stat(old_segment / "chunks.jsonl").st_ino == os.stat(kept / "chunks.jsonl").st_ino
    assert "thử" in incremental.restorer.unigrams
    assert FactStore(incremental.path / "facts.sqlite").facts(doc_ids={"zz_new.txt"})

    build_index(fast_settings, embedder=HashingEmbedder(), progress=False, rebuild=True)
    _same_index(incremental, store.load(fast_settings.index_dir))


def test_an_edited_or_removed_document_is_dropped_from_every_part_of_the_index(fast_settings):
    build_index(fast_settings, embedder=HashingEmbedder(), progress=False)
    (fast_settings.corpus_dir / "zz_new.txt").write_text(NEW, "utf-8")
    (fast_settings.corpus_dir / "zz_short.txt").write_text(SHORT, "utf-8")
    build_index(fast_settings, embedder=HashingEmbedder(), progress=False)
    assert "zz_short.txt" in store.load(fast_settings.index_dir).document_vectors
    (fast_settings.corpus_dir / "zz_new.txt").unlink()
    (fast_settings.corpus_dir / "zz_short.txt").unlink()
    edited = sorted(fast_settings.corpus_dir.iterdir())[0]
    edited.write_text(edited.read_text("utf-8") + "\nPhụ lục: Sở Y tế báo cáo trước ngày 15/12 hằng năm.\n", "utf-8")

    report = build_index(fast_settings, embedder=HashingEmbedder(), progress=False)
    assert not report.appended and report.reused_documents == 4 and report.documents == 5
    updated = store.load(fast_settings.index_dir)
    assert len(updated.manifest["segments"]) == 1 and "zz_new.txt" not in updated.documents
    assert "zz_short.txt" not in updated.document_vectors
    assert "thử" not in updated.lexical.vocab  # the removed document's words left the vocabulary
    assert "Phụ lục: Sở Y tế" in updated.documents[edited.name].text
    build_index(fast_settings, embedder=HashingEmbedder(), progress=False, rebuild=True)
    full = store.load(fast_settings.index_dir)
    for q in QUESTIONS:  # same passages and scores; passage numbers differ (the edited plan moved last)
        assert sorted((updated.chunks[i].chunk_id, round(s, 4)) for i, s in updated.lexical.search(q, 10)) == \
            sorted((full.chunks[i].chunk_id, round(s, 4)) for i, s in full.lexical.search(q, 10))


def test_many_small_updates_are_merged_into_few_segments(fast_settings, monkeypatch):
    monkeypatch.setattr(build, "MAX_SEGMENTS", 3)
    build_index(fast_settings, embedder=HashingEmbedder(), progress=False)
    for n in range(4):
        text = SHORT.replace("15/12/2027", f"{n + 1}/12/2027") if n % 2 else NEW.replace("30/6/2027", f"{n + 1}/7/2027")
        (fast_settings.corpus_dir / f"zz_{n}.txt").write_text(text, "utf-8")
        report = build_index(fast_settings, embedder=HashingEmbedder(), progress=False)
        assert report.appended
        stored = store.load(fast_settings.index_dir)
        assert len(stored.manifest["segments"]) <= 3
    assert {f"zz_{n}.txt" for n in range(4)} <= stored.documents.keys()
    assert set(stored.document_vectors) == {"zz_1.txt", "zz_3.txt"}
    assert len(stored.chunks) == stored.manifest["chunks"] == len(stored.dense) == stored.lexical.n_docs
    build_index(fast_settings, embedder=HashingEmbedder(), progress=False, rebuild=True)
    _same_index(stored, store.load(fast_settings.index_dir))


def test_a_loaded_index_ranks_whole_documents_without_tokenizing_them(fast_settings, monkeypatch):
    build_index(fast_settings, embedder=HashingEmbedder(), progress=False)
    stored = store.load(fast_settings.index_dir)
    import index.retrieve as retrieve

    # at 8,000 documents, tokenizing them all on the first question took 21 s
    monkeypatch.setattr(retrieve, "tokenize_document", lambda *a, **k: pytest.fail("documents tokenized at query time"))
    view = retrieve.DocumentView.of(stored)
    assert len(view.ids) == len(stored.documents)
    assert view.lexical.search(["khen", "thưởng"], 3)


class _NoModel(HashingEmbedder):
    """An embedder that must not be used: loading the real model costs seconds."""

    @property
    def dim(self):
        raise AssertionError("the model was loaded")

    def embed_passages(self, texts, show_progress=False):
        raise AssertionError("a cached passage was embedded again")

    def reads_whole(self, texts):
        assert not texts, "a cached whole document was measured again"
        return []


def test_rebuilds_and_removals_never_load_the_model_when_every_passage_is_cached(fast_settings):
    (fast_settings.corpus_dir / "zz_short.txt").write_text(SHORT, "utf-8")
    build_index(fast_settings, embedder=HashingEmbedder(), progress=False)
    report = build_index(fast_settings, embedder=_NoModel(), progress=False, rebuild=True)
    assert report.embedded == 0 and store.read_manifest(fast_settings.index_dir)["dim"] == HashingEmbedder.dim
    sorted(fast_settings.corpus_dir.iterdir())[0].unlink()
    assert build_index(fast_settings, embedder=_NoModel(), progress=False).documents == 5


def test_the_built_whole_document_bm25_has_the_chinese_pairs_the_question_side_looks_for(fast_settings):
    import index.retrieve as retrieve
    from index.chunking import indexed_document_text
    from index.lexical import LexicalIndex
    from index.tokenize import tokenize_document

    build_index(fast_settings, embedder=HashingEmbedder(), progress=False)
    stored = store.load(fast_settings.index_dir)
    view = retrieve.DocumentView.of(stored)
    built = view.lexical
    made_at_load = LexicalIndex.build([tokenize_document(indexed_document_text(stored.documents[d])) for d in view.ids])
    assert "疾人" in built.vocab and "疾人" in made_at_load.vocab  # a pair, no jieba word
    question = tokenize_document("民政局的整体支出绩效怎么样", question=True)
    assert built.search(question, 5) == made_at_load.search(question, 5)
    # passages share the build's vocabulary but hold no pairs: for their BM25 and for answer
    # selection's idf a pair is a token the corpus does not have (0, not the rarest of all)
    assert not stored.lexical.holds("疾人") and stored.lexical.idf("疾人") == 0.0
    assert stored.lexical.scores(["疾人"]) is None and stored.lexical.idf("残疾人") > 0


def test_a_short_document_cut_into_passages_also_gets_a_vector_of_its_own(fast_settings):
    """The model reads it whole (index/retrieve.py searches such vectors as whole documents); the
    bundled plans are far longer than its window and get none."""
    (fast_settings.corpus_dir / "zz_short.txt").write_text(SHORT, "utf-8")
    embedder = HashingEmbedder()
    build_index(fast_settings, embedder=embedder, progress=False)
    stored = store.load(fast_settings.index_dir)
    assert sum(c.doc_id == "zz_short.txt" for c in stored.chunks) > 1
    assert list(stored.document_vectors) == ["zz_short.txt"]
    whole = embedder.embed_passages([stored.documents["zz_short.txt"].text])[0]
    assert np.allclose(stored.document_vectors["zz_short.txt"], whole)

    embedder.window_chars = 100  # a model with a shorter window reads it in pieces only
    build_index(fast_settings.with_(cache_dir=fast_settings.cache_dir / "other"), embedder=embedder, rebuild=True, progress=False)
    assert store.load(fast_settings.index_dir).document_vectors == {}
