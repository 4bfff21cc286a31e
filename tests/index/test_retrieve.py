"""Hybrid retrieval rules: whole-document evidence, BM25 left out where it cannot match, copies folded."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from index import retrieve
from index.chunking import chunk_document
from index.config import Settings
from index.dense import DenseIndex
from index.lexical import LexicalIndex
from index.retrieve import Retriever, document_view, prepare_query
from index.store import StoredIndex
from index.tokenize import tokenize, tokenize_question
from index.types import Chunk, DocMeta, Document

from .stored import ConstantEmbedder, stored_index

FILLER = "lorem ipsum"


def make_index(tmp_path: Path, docs: dict[str, tuple[str, list[str]]], metas: dict[str, DocMeta] | None = None) -> StoredIndex:
    """docs: id → (language, passages); metas: id → metadata (default: no title)."""
    documents, chunks = {}, []
    for doc_id, (lang, passages) in docs.items():
        meta = (metas or {}).get(doc_id) or DocMeta(title="", lang=lang)
        documents[doc_id] = Document(doc_id, "\n".join(passages), meta, sha256=doc_id)
        chunks += [Chunk(f"{doc_id}#{i}", doc_id, i, text) for i, text in enumerate(passages)]
    return stored_index(tmp_path / f"build-{len(chunks)}-{'-'.join(docs)}", documents, chunks)


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


def test_a_ranked_document_with_no_passage_among_the_candidates_enters_with_its_best_one(tmp_path, monkeypatch):
    monkeypatch.setattr(retrieve, "MIN_DOCUMENTS", 1)
    stored = make_index(tmp_path, {
        "a": ("vi", ["alpha beta gamma"]),
        "long": ("vi", ["zeta one", f"alpha beta gamma {FILLER} {FILLER}", "gamma two"]),
    })
    retriever = Retriever(stored, ConstantEmbedder(), Settings())
    # only "a" is a candidate: "long" ranks second as a whole document and brings the passage that
    # holds the question's words, not its first one
    fused = retriever._add_documents([(0, 1.0, {"bm25": 1})], prepare_query("alpha beta gamma", None), 1.0)
    assert [(stored.chunks[i].chunk_id, ranks.get("document")) for i, _, ranks in fused] == [("a#0", 1), ("long#1", 2)]


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


CLAUSE = "Hồ sơ đề nghị khen thưởng gửi về Sở Lao động chậm nhất ngày 30/12 hàng năm"


def test_a_clause_republished_in_other_documents_is_shown_once_naming_them(tmp_path):
    stored = make_index(tmp_path, {
        "a": ("vi", [CLAUSE, "Sở Y tế phối hợp giám sát", CLAUSE + "."]),  # a copy inside its own document
        "b": ("vi", ["Kinh phí thực hiện do ngân sách tỉnh bảo đảm", CLAUSE]),
        "c": ("vi", [CLAUSE + " theo quy định"]),  # nearly the same words: a copy too
        "d": ("vi", ["Hồ sơ đề nghị công nhận xã đạt chuẩn gửi về Sở Lao động"]),
    })
    retriever = Retriever(stored, ConstantEmbedder(), Settings(dense_weight=0.0))
    hits = retriever.search(prepare_query("hồ sơ khen thưởng gửi chậm nhất khi nào", None), k=4)
    with_clause = [h for h in hits if "30/12" in h.chunk.text]
    assert len(with_clause) == 1  # shown once ...
    [top] = with_clause
    named = [c.doc_id for c in top.also]
    assert sorted([top.chunk.doc_id, *named]) == ["a", "b", "c"]  # ... naming every document holding it, each once
    assert len(hits) == 4 and len({h.chunk.text.rstrip(".") for h in hits}) == 4  # still k distinct passages
    assert all(not h.also for h in hits if h is not top)



def zh_documents(small: str) -> dict[str, tuple[str, list[str]]]:
    return {
        "small": ("zh", [small, "补贴资金由市财政安排"]),
        "large": ("zh", ["大型企业创业补贴", "另行规定"]),
        "care": ("zh", ["养老服务机构建设", "床位运营补助"]),
        "count": ("zh", ["统计享受政策多少人次", "按季度报送"]),
    }


def _document_ranking(stored: StoredIndex, question: str) -> list[str]:
    """Documents in the order of the whole-document list of a hybrid search (dense out)."""
    hits = Retriever(stored, ConstantEmbedder(), Settings(dense_weight=0.0)).search(prepare_query(question, None), k=8)
    ranked = sorted((h for h in hits if "document" in h.ranks), key=lambda h: h.ranks["document"])
    return list(dict.fromkeys(h.chunk.doc_id for h in ranked))


@pytest.mark.parametrize("small, question", [
    ("对新办小微企业给予一次性创业补贴", "小微企业创业补贴有多少？"),  # the document's 小微 is no jieba word
    ("小微企业创业补贴，按有关规定执行", "对新办小微企业给予多少创业补贴？"),  # the question's 小微 is none
])
def test_a_chinese_document_jieba_cuts_otherwise_than_the_question_still_ranks_first(tmp_path, monkeypatch, small, question):
    monkeypatch.setattr(retrieve, "MIN_DOCUMENTS", 1)
    docs = zh_documents(small)
    stored = make_index(tmp_path, docs)
    # by jieba words alone "large" wins: "small" and the question share no word 小微
    words_only = LexicalIndex.build([tokenize("\n".join(passages)) for _, passages in docs.values()])
    assert list(docs)[words_only.search(tokenize_question(question), 1)[0][0]] == "large"
    assert _document_ranking(stored, question)[0] == "small"  # the pairs 小微 微企 match


def test_words_of_asking_do_not_rank_a_document_that_holds_them(tmp_path, monkeypatch):
    monkeypatch.setattr(retrieve, "MIN_DOCUMENTS", 1)
    stored = make_index(tmp_path, zh_documents("小微企业创业补贴"))
    assert "count" in _document_ranking(stored, "统计享受政策的人次")  # the document can be ranked ...
    assert "count" not in _document_ranking(stored, "补贴是多少？")  # ... but not by "多少"


def test_a_document_that_clearly_leads_the_document_list_gains_more_than_its_rank(tmp_path, monkeypatch):
    monkeypatch.setattr(retrieve, "MIN_DOCUMENTS", 1)
    stored = make_index(tmp_path, {
        "split": ("vi", [f"alpha {FILLER}", f"beta {FILLER}"]),  # the only document with both words
        "one": ("vi", ["alpha gamma"]),
        "two": ("vi", ["beta delta"]),
    })
    query = prepare_query("alpha beta", None)
    rank_only = Settings(dense_weight=0.0, document_confidence_weight=0.0)
    assert Retriever(stored, ConstantEmbedder(), rank_only).search(query, k=4)[0].chunk.doc_id != "split"
    hits = Retriever(stored, ConstantEmbedder(), Settings(dense_weight=0.0)).search(query, k=4)
    assert hits[0].chunk.doc_id == "split" and hits[0].ranks["document_lead"] == 1
    # a narrow lead adds nothing: the rank alone decides, as before
    narrow = Settings(dense_weight=0.0, document_confidence_margin=1e9)
    assert Retriever(stored, ConstantEmbedder(), narrow).search(query, k=4)[0].chunk.doc_id != "split"


def test_a_question_is_searched_in_translation_only_where_documents_are_in_the_other_language(tmp_path):
    question = "清化省出生性别比的目标是多少？"  # glossary: 清化 → Thanh Hóa, 出生性别比 → tỷ số giới tính khi sinh
    assert prepare_query(question, None).glossary_terms
    zh_only = Retriever(make_index(tmp_path / "zh", {f"zh{i}": ("zh", [f"出生性别比 {i}"]) for i in range(3)}),
                        ConstantEmbedder(), Settings())
    query = zh_only.query(question)
    assert query.dense_text == question and not query.translated  # no Vietnamese words blur its vector
    assert query.glossary_terms  # the answer still knows the places it names
    both = Retriever(make_index(tmp_path / "both", {"zh": ("zh", ["出生性别比"]), "vi": ("vi", ["tỷ số giới tính khi sinh"])}),
                     ConstantEmbedder(), Settings())
    assert "Thanh Hóa" in both.query(question).dense_text


def test_a_document_the_model_read_whole_is_ranked_by_its_own_vector(tmp_path, monkeypatch):
    monkeypatch.setattr(retrieve, "MIN_DOCUMENTS", 1)
    stored = make_index(tmp_path, {
        "split": ("vi", [f"alpha {FILLER}", f"beta {FILLER}"]),
        "one": ("vi", ["gamma"]),
        "two": ("vi", ["delta"]),
    })
    dim = ConstantEmbedder.dim
    question = ConstantEmbedder().embed_queries(["?"])[0]
    # passages nearer the question the further down: split#0 (cosine 0.35), split#1 (0.5), one, two (0.71)
    stored.vectors = np.stack([np.r_[np.ones(n), np.zeros(dim - n)] / np.sqrt(n) for n in (1, 2, 3, 4)]).astype(np.float32)
    stored.dense = DenseIndex.build(stored.vectors, ["vi"] * 4)
    # read whole, "split" is what the question asks about, though neither passage shows it
    stored.document_vectors["split"] = question.copy()
    # the nearest passage only is a candidate; the rest is the whole-document list's doing
    settings = Settings(bm25_weight=0.0, glossary_weight=0.0, document_weight=0.0, dense_weight=0.0,
                        dense_document_weight=3.0, candidates=1)
    query = prepare_query("epsilon", None)
    hits = Retriever(stored, ConstantEmbedder(), settings).search(query, k=4)
    assert hits[0].chunk.doc_id == "split" and hits[0].ranks == {"dense_document": 1}
    assert hits[0].chunk.text.startswith("beta")  # it enters with its passage nearest the question
    assert hits[1].chunk.doc_id == "two"  # any other document: by its best passage
    pieces_only = dataclasses.replace(stored, path=tmp_path / "pieces", document_vectors={})
    assert Retriever(pieces_only, ConstantEmbedder(), settings).search(query, k=4)[0].chunk.doc_id == "two"


def test_a_vietnamese_question_reaches_a_chinese_passage_by_the_words_it_reads_as(tmp_path):
    stored = make_index(tmp_path, {
        "zh": ("zh", ["市级建成1个500张床位的康养中心", "新建日间照料中心20个", "养老机构护理型床位"]),
        "vi": ("vi", ["Trung tâm y tế huyện", "Kế hoạch hỗ trợ hộ nghèo"]),
    })
    retriever = Retriever(stored, ConstantEmbedder(), Settings(dense_weight=0.0))
    query = retriever.query("Xây trung tâm khang dưỡng bao nhiêu giường?")
    assert query.read_as == ("康养",)  # "trung tâm" is the Vietnamese plan's own word: not read as 中心
    top = retriever.search(query, k=3)[0]
    assert top.chunk.text.endswith("康养中心") and top.ranks["readings"] == 1
    # a corpus in one language has nothing to read a question as
    vi_only = Retriever(make_index(tmp_path / "vi", {"vi": ("vi", ["Trung tâm y tế huyện"])}), ConstantEmbedder(), Settings())
    assert vi_only.query("Xây trung tâm khang dưỡng bao nhiêu giường?").read_as == ()


def test_in_long_plans_the_passage_with_the_questions_words_outranks_the_models_choice(tmp_path):
    """The passages of one long plan all sit near each other for the model, so there its first
    choice counts less than BM25's; among short documents it counts fully."""
    def index(texts: list[str], per_document: int) -> StoredIndex:
        docs = {f"d{n}": ("vi", texts[n : n + per_document]) for n in range(0, len(texts), per_document)}
        return make_index(tmp_path / f"per-{per_document}-{texts[0]}", docs)

    query = prepare_query("alpha beta", None)
    # the vectors do not depend on the texts: the model's order, found once
    probe = Retriever(index([f"w{i}" for i in range(16)], 8), ConstantEmbedder(), Settings())
    first, _, third = [int(h.chunk.doc_id[1:]) + h.chunk.ordinal for h in probe.search(query, k=3, mode="dense")]
    texts = [f"gamma {i}" for i in range(16)]
    texts[third], texts[first] = "alpha beta", "alpha"  # BM25: third, then first; the model: first, …, third

    long_plans = Retriever(index(texts, 8), ConstantEmbedder(), Settings())
    assert long_plans.dense_weight() == pytest.approx(0.5)
    assert long_plans.search(query, k=3)[0].chunk.text == "alpha beta"
    short_documents = Retriever(index(texts, 1), ConstantEmbedder(), Settings())
    assert short_documents.dense_weight() == 1.0
    assert short_documents.search(query, k=3)[0].chunk.text == "alpha"
    assert Retriever(index(texts, 8), ConstantEmbedder(), Settings(dense_weight=0.0)).dense_weight() == 0.0


def test_another_languages_passages_take_their_slots_and_no_more():
    from index.retrieve import near_enough, reserve

    fused = [(10, 0.9, {"bm25": 1}), (11, 0.8, {"bm25": 2}), (12, 0.7, {"bm25": 3}), (13, 0.6, {"bm25": 4})]
    out = reserve(fused, "dense:vi", [20, 11, 21], (1, 3))
    # the first passage keeps its place; the other language's best takes rank 1, its next unseen one rank 3
    assert [i for i, _, _ in out] == [10, 20, 11, 21, 12, 13]
    assert out[1][2] == {"dense:vi": 1} and out[1][1] == 0.8  # the score of the entry it displaced
    # a passage already above its slot is not moved down
    assert [i for i, _, _ in reserve(fused, "dense:vi", [10, 30], (1,))][:3] == [10, 30, 11]
    # a near tie opens the slots; a clear lead of the question's own language does not
    assert near_enough([(20, 0.31)], [(10, 0.33)], gap=0.05)
    assert not near_enough([(20, 0.20)], [(10, 0.33)], gap=0.05)


RECORD = """Thủ tục cấp lại giấy chứng nhận thương binh
Tên thủ tục: Thủ tục cấp lại giấy chứng nhận thương binh
Cấp thực hiện: Cấp Tỉnh
Lĩnh vực: Người có công
Cơ quan thực hiện: Bộ chỉ huy quân sự cấp tỉnh
Đối tượng thực hiện: Thương binh bị mất hoặc hỏng giấy chứng nhận thương binh
Thời hạn giải quyết: 20 Ngày làm việc
Phí, lệ phí: Không
Thành phần hồ sơ: Đơn đề nghị cấp lại giấy chứng nhận thương binh (Bản chính: 1)
Kết quả thực hiện: Giấy chứng nhận thương binh được cấp lại
Căn cứ pháp lý: Nghị định số 131/2021/NĐ-CP"""


@pytest.mark.parametrize("question, label", [
    ("Thương binh xin cấp lại giấy chứng nhận thì mất bao lâu?", "Thời hạn giải quyết"),
    ("thuong binh xin cap lai giay chung nhan co mat tien khong", "Phí, lệ phí"),
])
def test_the_field_labelled_for_what_is_asked_follows_its_records_first_passage(tmp_path, question, label):
    """The question's words name the procedure, so they reach its title and conditions; its kind
    (how long, how much) names the field that answers."""
    doc = Document("p.txt", RECORD, DocMeta(title="Thủ tục cấp lại giấy chứng nhận thương binh", lang="vi"), "0")
    stored = stored_index(tmp_path / "p", {"p.txt": doc}, chunk_document(doc, max_tokens=200))

    def labels(**settings) -> list[str]:
        retriever = Retriever(stored, ConstantEmbedder(), Settings(dense_weight=0.0, **settings))
        return [h.chunk.section[-1] if h.chunk.section else "" for h in retriever.search(retriever.query(question), k=3)]

    assert labels()[1] == label
    assert label not in labels(asked_field_documents=0)  # by its words alone it is not reached


@pytest.mark.parametrize("question, named", [
    ("在越南换驾驶证要多少天？", "vi"),  # names Vietnam: the Vietnamese page first, however far its vector
    ("换驾驶证要多少天？", "zh"),
    ("Theo luật Trung Quốc, đổi bằng lái xe mất mấy ngày?", "zh"),
    ("theo luat trung quoc doi bang lai xe mat may ngay", "zh"),
])
def test_a_question_naming_the_other_languages_country_gets_its_passages_first(tmp_path, question, named):
    stored = make_index(tmp_path, {
        "zh": ("zh", ["换领驾驶证 办理时限：十个工作日", "驾驶证 补领 材料：身份证"]),
        "vi": ("vi", ["Đổi giấy phép lái xe: thời hạn giải quyết 5 ngày làm việc", "Đổi bằng lái xe cần hộ chiếu"]),
    })
    # no nearness: only the country the question names gives the other language its ranks
    retriever = Retriever(stored, ConstantEmbedder(), Settings(other_language_gap=-1.0))
    first = retriever.search(retriever.query(question), k=3)[0]
    assert first.chunk.doc_id == named
