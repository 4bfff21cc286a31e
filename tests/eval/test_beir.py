"""BEIR sets (their own corpus): records → documents, the separate cached index, per-document
metrics, and a tiny Vietnamese/Chinese set evaluated end to end with the real engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval import beir
from eval.datasets import BeirSet, is_beir, load_beir
from eval.metrics import BEIR_KEYS
from index.config import Settings
from index.types import Chunk, Hit

DOCS = [
    {"_id": "vi/1", "title": "Luật Giao thông – Điều 5", "text": "Người điều khiển xe mô tô phải đội mũ bảo hiểm khi tham gia giao thông."},
    {"_id": "vi-2", "title": "Luật Thuế – Điều 9", "text": "Thuế suất thuế giá trị gia tăng đối với hàng hóa xuất khẩu là 0%."},
    {"_id": "vi-3", "title": "Luật Giáo dục – Điều 14", "text": "Giáo dục tiểu học là bắt buộc đối với trẻ em từ sáu tuổi đến mười bốn tuổi."},
    {"_id": "zh-1", "title": "", "text": "高龄津贴标准为每人每月200元，由县民政局按月发放到老人的银行账户。"},
    {"_id": "zh-2", "title": "地震应急", "text": "地震发生时应迅速躲到坚固的桌子下面，用枕头保护头部，震后有序撤离到空旷地带。"},
    {"_id": "zh-3", "title": "", "text": "申请营业执照需要提交身份证复印件、经营场所证明和名称预先核准通知书。"},
]
QUERIES = [
    {"_id": "q1", "text": "Đi xe mô tô có phải đội mũ bảo hiểm không?", "answer": "đội mũ bảo hiểm"},
    {"_id": "q2", "text": "Thuế suất giá trị gia tăng của hàng xuất khẩu là bao nhiêu?", "answer": "0%"},
    {"_id": "q3", "text": "高龄津贴每月发多少钱？", "answer": "200元"},
    {"_id": "q4", "text": "地震时怎样保护头部？", "answer": "Đúng"},  # a verdict: not scored for answer_acc
    {"_id": "q5", "text": "老人的津贴由哪个部门发放？", "answers": ["县民政局"]},
    {"_id": "q6", "text": "Trợ cấp cho người cao tuổi mỗi tháng bao nhiêu tiền?"},  # vi question, zh document
    {"_id": "q-no-qrels", "text": "không được chấm"},
]
QRELS = [("q1", "vi/1", 1), ("q2", "vi-2", 2), ("q2", "vi-3", 0), ("q3", "zh-1", 1), ("q4", "zh-2", 1),
         ("q5", "zh-1", 2), ("q6", "zh-1", 1)]


def make_set(folder: Path, docs=DOCS, qrels=QRELS, splits=("dev",)) -> Path:
    (folder / "qrels").mkdir(parents=True)
    (folder / "corpus.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), "utf-8")
    (folder / "queries.jsonl").write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in QUERIES), "utf-8")
    for split in splits:
        rows = "".join(f"{q}\t{d}\t{s}\n" for q, d, s in qrels)
        (folder / "qrels" / f"{split}.tsv").write_text("query-id\tcorpus-id\tscore\n" + rows, "utf-8")
    return folder


def test_loads_queries_that_have_qrels_and_picks_the_split(tmp_path: Path):
    folder = make_set(tmp_path / "tiny")
    assert is_beir(folder) and not is_beir(folder / "corpus.jsonl")
    s = load_beir(folder)
    assert s.split == "dev" and len(s.corpus) == 6
    assert set(s.queries) == {"q1", "q2", "q3", "q4", "q5", "q6"}  # q-no-qrels is not scored
    assert s.qrels["q2"] == {"vi-2": 2, "vi-3": 0}
    two = make_set(tmp_path / "two", splits=("dev", "test"))
    with pytest.raises(ValueError, match="--split"):
        load_beir(two)
    assert load_beir(two, "test").split == "test"


def test_records_become_documents_with_their_language():
    vi_doc = beir.record_document(DOCS[0])
    assert vi_doc.doc_id == "vi/1" and vi_doc.meta.lang == "vi"
    assert vi_doc.text.startswith("Luật Giao thông – Điều 5\nNgười điều khiển")
    zh_doc = beir.record_document(DOCS[3])
    assert zh_doc.meta.lang == "zh" and zh_doc.text == DOCS[3]["text"]  # no empty title line
    assert [d.doc_id for _, d in beir.corpus_documents(DOCS + [{"_id": "empty", "title": "", "text": " "}])] == [
        d["_id"] for d in DOCS
    ]


def test_accepted_answers():
    assert beir.accepted_answers({"answer": "07 năm"}) == ("07 năm",)
    assert beir.accepted_answers({"answers": ["118", "một trăm"]}) == ("118", "một trăm")
    assert beir.accepted_answers({"answer": "C", "choices": {"A": "06 tháng", "C": "03 tháng"}}) == ("03 tháng",)
    assert beir.accepted_answers({"answer": "Sai"}) == ()
    assert beir.accepted_answers({"text": "?"}) == ()


def test_index_folder_depends_on_corpus_and_settings(tmp_path: Path):
    settings = Settings(cache_dir=tmp_path / "cache")
    a = make_set(tmp_path / "a")
    first = beir.index_dir_for(a, settings)
    assert first.parent == tmp_path / "cache" / "eval-indexes" and first.name.startswith("a-")
    assert beir.index_dir_for(a, settings) == first
    assert beir.index_dir_for(a, settings.with_(chunk_max_tokens=100)) != first
    b = make_set(tmp_path / "b", docs=DOCS[:-1])
    assert beir.index_dir_for(b, settings).name.split("-")[1] != first.name.split("-")[1]


def test_best_passage_per_document():
    hits = [Hit(Chunk(f"{d}#{i}", d, i, f"t{i}"), 1.0 - i / 10) for i, d in enumerate("aabacdb")]
    top = beir.best_per_document(hits, n=3)
    assert [(h.chunk.doc_id, h.chunk.ordinal) for h in top] == [("a", 0), ("b", 2), ("c", 4)]


def test_a_passages_copies_rank_right_after_its_document():
    chunk = lambda d, i=0: Chunk(f"{d}#{i}", d, i, "t")  # noqa: E731
    hits = [
        Hit(chunk("a"), 0.9, also=[chunk("x"), chunk("b", 3)]),  # the same passage in x and b
        Hit(chunk("b"), 0.8),  # b was named already: not again
        Hit(chunk("c"), 0.7, also=[chunk("y")]),
    ]
    top = beir.best_per_document(hits, n=4)
    assert [h.chunk.doc_id for h in top] == ["a", "x", "b", "c"]
    assert [(h.chunk.ordinal, h.score) for h in top[1:3]] == [(0, 0.9), (3, 0.9)]  # the copy's passage, at its host's score


@pytest.fixture(scope="module")
def embedder():
    from index.embedding import Embedder

    return Embedder.from_settings(Settings())  # the converted model in the real cache


@pytest.mark.slow
def test_tiny_set_end_to_end(tmp_path: Path, embedder, monkeypatch):
    from eval.harness import evaluate

    folder = make_set(tmp_path / "tiny_vi_zh")
    bundled = tmp_path / "bundled-index"
    settings = Settings(cache_dir=tmp_path / "cache", index_dir=bundled)
    top = evaluate(folder, tmp_path / "out", settings=settings, retrievers=["bm25", "dense", "hybrid"],
                   embedder=embedder, progress=False)

    # a separate index in the cache; the bundled index is not touched
    built = list((tmp_path / "cache" / "eval-indexes").iterdir())
    assert len(built) == 1 and built[0].name.startswith("tiny_vi_zh-")
    assert not bundled.exists()

    assert top["retriever"] == "hybrid" and top["n"] == 6 and set(top["retrievers"]) == {"bm25", "dense", "hybrid"}
    for m in top["retrievers"].values():
        assert set(m["overall"]) == {"n", *BEIR_KEYS}
        assert m["overall"]["hit@10"] == 1.0  # six documents: every relevant one is in the top 10
    o = top["overall"]
    assert o["hit@1"] >= 0.8 and o["mrr@10"] >= 0.8 and 0 < o["ndcg@10"] <= 1
    assert set(top["by_lang"]) == {"vi", "zh"} and top["by_lang"]["vi"]["n"] == 3
    # q6 asks in Vietnamese about a Chinese document: the one cross-lingual question
    assert top["cross_lingual"]["n"] == 1 and top["monolingual"]["n"] == 5
    # answers are scored where the queries carry them (q4's verdict and q6 without one are not)
    assert o["answer_acc"] is not None
    assert o["false_abstain"] is not None and o["abstain_ok"] is None

    results = [json.loads(line) for line in (tmp_path / "out" / "results.jsonl").read_text("utf-8").splitlines()]
    assert [r["id"] for r in results] == ["q1", "q2", "q3", "q4", "q5", "q6"]
    for r in results:
        sources = [p["source"] for p in r["passages"]]
        assert len(sources) == len(set(sources)) == 6  # distinct documents (all six: fewer than 10 exist)
        assert set(sources) == {d["_id"] for d in DOCS}
        assert {"found", "answer"} <= set(r)
    assert results[0]["passages"][0]["source"] == "vi/1"
    assert (tmp_path / "out" / "results.bm25.jsonl").is_file() and (tmp_path / "out" / "hitk.png").is_file()
    report = (tmp_path / "out" / "report.md").read_text("utf-8")
    assert "ndcg@10" in report and "| cross-lingual | 1 | 1 |" in report

    # a second run reuses the cached index: nothing is built again
    def no_build(*a, **k):
        raise AssertionError("the cached evaluation index should have been reused")

    monkeypatch.setattr(beir, "build_index", no_build)
    again = evaluate(folder, tmp_path / "out2", settings=settings, retrievers=["hybrid"], embedder=embedder, progress=False)
    assert again["overall"] == top["overall"]


def test_identical_texts_are_known_as_copies():
    corpus = [
        {"_id": "Luật A|5", "title": "Luật A – Điều 5", "text": "Người  dưới 18 tuổi không bị tử hình."},
        {"_id": "01/VBHN|5", "title": "VBHN – Điều 5", "text": "người dưới 18 tuổi không bị tử hình."},
        {"_id": "Luật A|6", "title": "Luật A – Điều 6", "text": "Điều khác."},
    ]
    copies = beir.text_copies(corpus)
    assert set(copies) == {"Luật A|5", "01/VBHN|5"} and copies["Luật A|5"] == copies["01/VBHN|5"]


def test_the_copies_note_counts_misses_that_a_copy_explains():
    corpus = [{"_id": "a", "text": "same words"}, {"_id": "b", "text": "Same  words"}, {"_id": "c", "text": "other"}]
    s = BeirSet(name="x", corpus=corpus, queries={}, split="dev")
    rows = [
        {"answerable": True, "rank": None, "rank_with_copies": 2},  # a miss; the copy was at 2
        {"answerable": True, "rank": 12, "rank_with_copies": 12},  # a miss no copy explains
        {"answerable": True, "rank": 1, "rank_with_copies": 1},
        {"answerable": False, "rank": None, "rank_with_copies": None},
    ]
    note = beir.copies_note(s, {"hybrid": rows})
    assert "2 corpus documents repeat" in note
    assert "hybrid hit@10 0.667, mrr@10 0.500 (1 of its 2 misses@10" in note


def test_figures_per_question_type(tmp_path: Path):
    """ALQAC-like queries carry ``question_type``: each type is a group of its own, so short answers'
    answer accuracy shows apart from true/false (verdicts, not scored) and multiple choice."""
    from eval.harness import evaluate

    from ..conftest import HashingEmbedder

    queries = [
        {"_id": "s1", "text": "Người điều khiển xe mô tô phải đội gì?", "answer": "mũ bảo hiểm", "question_type": "short_answer"},
        {"_id": "s2", "text": "Thuế suất hàng hóa xuất khẩu là bao nhiêu?", "answer": "0%", "question_type": "short_answer"},
        {"_id": "t1", "text": "Giáo dục tiểu học là bắt buộc, đúng hay sai?", "answer": "Đúng", "question_type": "Đúng/Sai"},
        {"_id": "m1", "text": "Trẻ em mấy tuổi học tiểu học bắt buộc?", "answer": "B", "question_type": "Trắc nghiệm",
         "choices": {"A": "năm tuổi", "B": "sáu tuổi"}},
    ]
    folder = tmp_path / "typed"
    make_set(folder, docs=DOCS[:3], qrels=[("s1", "vi/1", 1), ("s2", "vi-2", 1), ("t1", "vi-3", 1), ("m1", "vi-3", 1)])
    (folder / "queries.jsonl").write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in queries), "utf-8")
    settings = Settings(cache_dir=tmp_path / "cache", index_dir=tmp_path / "bundled-index", model=HashingEmbedder.name)
    top = evaluate(folder, tmp_path / "out", settings=settings, embedder=HashingEmbedder(), progress=False)

    by_type = top["by_type"]
    assert {t: g["n"] for t, g in by_type.items()} == {"short_answer": 2, "Đúng/Sai": 1, "Trắc nghiệm": 1}
    assert by_type["short_answer"]["answer_acc"] is not None and by_type["short_answer"]["hit@10"] == 1.0
    assert by_type["Đúng/Sai"]["answer_acc"] is None  # a verdict is not quotable
    assert by_type["Trắc nghiệm"]["answer_acc"] is not None  # scored on the chosen option's text
    for group in by_type.values():
        assert set(group) == {"n", *BEIR_KEYS}
    report = (tmp_path / "out" / "report.md").read_text("utf-8")
    assert "type=short_answer" in report and "type=Đúng/Sai" in report and "carry no type" not in report
