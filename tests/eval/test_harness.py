"""The evaluation harness: metric definitions of ../shared/EVAL_FORMAT.md on hand-made rankings,
and the files a run writes (metrics.json keys, results per retriever, report table, plot)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from eval.harness import run_qa, write_outputs, _metrics
from eval.datasets import QAItem
from eval.metrics import (
    BEIR_KEYS,
    QA_KEYS,
    abstain_auc,
    aggregate,
    answer_correct,
    distinct_documents,
    first_hit_rank,
    first_relevant_rank,
    grouped,
    hit_curve,
    ndcg_at_10,
    rank_scores,
)
from index.types import Answer, Chunk, Hit

SPEC_TOP_KEYS = {"dataset", "retriever", "n", "overall", "by_lang", "by_type", "cross_lingual"}


# --- metrics on hand-made rankings ------------------------------------------------------------


def test_evidence_matches_after_normalization():
    passages = ["Không liên quan.", "Hồ sơ gửi **chậm nhất**\n 30/12  hàng năm", "chậm nhất 30/12"]
    # case, '*', and runs of white space do not matter; the first passage that holds it counts
    assert first_hit_rank(passages, ("CHẬM NHẤT 30/12 hàng năm",)) == 2
    assert first_hit_rank(passages, ("31/12",)) is None
    assert first_hit_rank(passages, ("",)) is None  # an empty evidence string matches nothing


def test_hit_at_k_and_mrr_from_the_first_hit():
    assert rank_scores(1) == {"hit@1": 1.0, "hit@3": 1.0, "hit@5": 1.0, "hit@10": 1.0, "mrr@10": 1.0}
    s = rank_scores(4)
    assert (s["hit@1"], s["hit@3"], s["hit@5"], s["hit@10"]) == (0.0, 0.0, 1.0, 1.0)
    assert s["mrr@10"] == pytest.approx(0.25)
    assert rank_scores(11) == {"hit@1": 0.0, "hit@3": 0.0, "hit@5": 0.0, "hit@10": 0.0, "mrr@10": 0.0}
    assert rank_scores(None)["mrr@10"] == 0.0


def test_passages_map_to_documents_at_their_first_occurrence():
    ranked = distinct_documents(["a", "a", "b", "a", "c", "b"])
    assert ranked == ["a", "b", "c"]
    # the relevant document "c" is the 5th passage but the 3rd document
    assert first_relevant_rank(ranked, {"c"}) == 3


def test_ndcg_uses_graded_qrels():
    grades = {"d1": 2, "d2": 1}
    assert ndcg_at_10(["d1", "d2", "x"], grades) == pytest.approx(1.0)
    swapped = (1 + 2 / math.log2(3)) / (2 + 1 / math.log2(3))
    assert ndcg_at_10(["d2", "d1"], grades) == pytest.approx(swapped)
    assert ndcg_at_10(["x", "y"], grades) == 0.0
    # duplicates (two passages of d1) count once
    assert ndcg_at_10(["d1", "d1", "d2"], grades) == pytest.approx(1.0)
    # beyond the first 10 documents nothing counts
    assert ndcg_at_10([f"x{i}" for i in range(10)] + ["d1"], grades) == 0.0


def test_answer_accuracy_reads_only_the_first_400_characters():
    assert answer_correct("Chậm nhất **30/12** hàng năm", ("30/12",))
    assert not answer_correct("x" * 400 + " 30/12", ("30/12",))
    assert not answer_correct("anything", ("",))


def _row(lang="vi", type_="deadline", rank=1, found=True, answerable=True, xl=False, acc=1.0):
    scores = {}
    if answerable:
        scores = rank_scores(rank) | {"doc_recall@5": 1.0, "answer_acc": acc}
    return {"id": "x", "lang": lang, "type": type_, "cross_lingual": xl, "answerable": answerable,
            "found": found, "rank": rank if answerable else None, "scores": scores}


def test_groups_hold_exactly_the_spec_keys_with_n():
    rows = [
        _row(rank=1),
        _row(rank=3, acc=0.0),
        _row(lang="zh", type_="amount", rank=None, found=False, xl=True, acc=0.0),
        _row(lang="zh", type_="unanswerable", answerable=False, found=False),
        _row(lang="vi", type_="unanswerable", answerable=False, found=True),
    ]
    m = grouped(rows, QA_KEYS)
    o = m["overall"]
    assert set(o) == {"n", *QA_KEYS}
    assert o["n"] == 5
    assert o["hit@1"] == pytest.approx(1 / 3, abs=1e-4)  # over the 3 answerable questions
    assert o["hit@3"] == pytest.approx(2 / 3, abs=1e-4)
    assert o["mrr@10"] == pytest.approx((1 + 1 / 3) / 3, abs=1e-4)
    assert o["answer_acc"] == pytest.approx(1 / 3, abs=1e-4)
    assert o["abstain_ok"] == 0.5  # one of two unanswerable said "nothing found"
    assert o["false_abstain"] == pytest.approx(1 / 3, abs=1e-4)  # one answerable wrongly abstained
    assert m["by_lang"]["zh"]["n"] == 2 and m["by_lang"]["zh"]["hit@5"] == 0.0
    assert m["by_type"]["unanswerable"]["hit@5"] is None  # present, but no question behind it
    assert m["by_type"]["unanswerable"]["abstain_ok"] == 0.5
    assert m["cross_lingual"]["n"] == 1 and m["cross_lingual"]["hit@10"] == 0.0
    assert m["monolingual"]["n"] == 4
    for group in [m["overall"], m["cross_lingual"], *m["by_lang"].values(), *m["by_type"].values()]:
        assert set(group) == {"n", *QA_KEYS}
    assert set(aggregate([], BEIR_KEYS)) == {"n", *BEIR_KEYS}


def test_abstain_auc_says_how_well_the_evidence_tells_answerable_questions_apart():
    def rows(answerable_evidence, unanswerable_evidence):
        return ([_row() | {"evidence": e} for e in answerable_evidence]
                + [_row(answerable=False, found=False) | {"evidence": e} for e in unanswerable_evidence])

    assert abstain_auc(rows([0.9, 0.7, 0.6], [0.2, 0.5])) == 1.0  # every answerable one above
    assert abstain_auc(rows([0.2, 0.5], [0.9, 0.7])) == 0.0
    assert abstain_auc(rows([0.9, 0.3], [0.5])) == 0.5  # one above, one below: chance
    assert abstain_auc(rows([0.9, 0.3], [])) is None  # no unanswerable question to tell apart
    header = _row() | {"evidence": None}  # answered from a document's header: no evidence score
    assert abstain_auc(rows([0.9], [0.2]) + [header]) == 1.0


def test_hit_curve_rises_with_k():
    rows = [_row(rank=1), _row(rank=2), _row(rank=7), _row(rank=None), _row(answerable=False, found=False)]
    curve = hit_curve(rows)
    assert curve[0] == 0.25 and curve[1] == 0.5 and curve[6] == 0.75 and curve[9] == 0.75
    assert curve == sorted(curve)


# --- a QA set through an engine ---------------------------------------------------------------


class FakeEngine:
    """Answers from fixed passages: enough to check what run_qa scores and records."""

    def __init__(self, passages: dict[str, list[tuple[str, str]]], answers: dict[str, str]):
        self.passages, self.answers, self.modes = passages, answers, []

    def ask(self, question: str, k=None, mode="hybrid") -> Answer:
        self.modes.append(mode)
        hits = [Hit(Chunk(f"{d}#{i}", d, i, t, ("II", "2.1")), 1.0 / (i + 1)) for i, (d, t) in enumerate(self.passages[question])]
        text = self.answers.get(question)
        return Answer(question, "vi", "deadline", text is not None, text or "Không tìm thấy.", [], hits[:k],
                      evidence=0.9 if text else 0.1)


def test_run_qa_scores_retrieval_answers_and_abstention():
    items = [
        QAItem("q1", "vi", "deadline", False, "Hạn nộp?", "doc-a.txt", ("30/12",), ("chậm nhất 30/12",)),
        QAItem("q2", "zh", "amount", True, "补贴多少？", "doc-b.txt", ("200元",), ("每人每月200元",)),
        QAItem("q3", "vi", "unanswerable", False, "Mặt trăng?", None),
    ]
    engine = FakeEngine(
        {
            "Hạn nộp?": [("doc-x.txt", "khác")] * 2 + [("doc-a.txt", "Hồ sơ gửi chậm nhất 30/12 hàng năm.")],
            "补贴多少？": [("doc-c.txt", "无关")] * 12,
            "Mặt trăng?": [("doc-x.txt", "khác")],
        },
        {"Hạn nộp?": "Hồ sơ gửi chậm nhất 30/12 hàng năm."},
    )
    rows, results = run_qa(engine, items, retriever="bm25", progress=False)
    assert engine.modes == ["bm25"] * 3
    assert rows[0]["rank"] == 3 and rows[0]["scores"]["hit@3"] == 1.0 and rows[0]["scores"]["hit@1"] == 0.0
    assert rows[0]["scores"]["doc_recall@5"] == 1.0 and rows[0]["scores"]["answer_acc"] == 1.0
    assert rows[1]["rank"] is None and rows[1]["scores"]["doc_recall@5"] == 0.0
    assert rows[1]["scores"]["answer_acc"] == 0.0 and not rows[1]["found"]
    assert rows[2]["scores"] == {} and not rows[2]["found"]
    assert [r["evidence"] for r in rows] == [0.9, 0.1, 0.1]  # the evidence model's probability, kept
    assert [r["id"] for r in results] == ["q1", "q2", "q3"]
    assert len(results[1]["passages"]) == 10  # k = 10 passages kept, in rank order
    p = results[0]["passages"][2]
    assert set(p) == {"source", "section", "text", "score"} and p["source"] == "doc-a.txt" and p["section"] == "II › 2.1"
    assert {"id", "question", "found", "answer", "passages"} <= set(results[0])
    assert results[2]["answer"] == ""  # nothing found: no answer text


# --- the files of a run -----------------------------------------------------------------------


def _fake_run(rank_by_retriever: dict[str, int]):
    metrics, rows, results = {}, {}, {}
    for r, rank in rank_by_retriever.items():
        rows[r] = [_row(rank=rank), _row(lang="zh", rank=rank + 1, xl=True), _row(type_="unanswerable", answerable=False, found=False)]
        results[r] = [{"id": f"q{i}", "question": "?", "found": True, "answer": r, "passages": []} for i in range(3)]
        metrics[r] = _metrics("set.jsonl", r, rows[r], QA_KEYS)
    return metrics, rows, results


def test_all_retrievers_write_one_metrics_file_one_table_one_plot(tmp_path: Path):
    metrics, rows, results = _fake_run({"bm25": 1, "dense": 5, "hybrid": 2})
    top = write_outputs(tmp_path, "set.jsonl", metrics, rows, results)
    saved = json.loads((tmp_path / "metrics.json").read_text("utf-8"))
    assert saved == top
    # the top level is the hybrid (main) retriever's figures, in the EVAL_FORMAT shape
    assert SPEC_TOP_KEYS <= set(saved) and saved["retriever"] == "hybrid" and saved["n"] == 3
    assert set(saved["overall"]) == {"n", *QA_KEYS}
    assert set(saved["retrievers"]) == {"bm25", "dense", "hybrid"}
    assert saved["retrievers"]["bm25"]["overall"]["hit@1"] == 0.5
    # results.jsonl is hybrid's; the others carry their retriever's name
    assert json.loads((tmp_path / "results.jsonl").read_text("utf-8").splitlines()[0])["answer"] == "hybrid"
    assert json.loads((tmp_path / "results.bm25.jsonl").read_text("utf-8").splitlines()[0])["answer"] == "bm25"
    assert (tmp_path / "results.dense.jsonl").is_file()
    report = (tmp_path / "report.md").read_text("utf-8")
    assert "![hit@k" in report and "hitk.png" in report
    table = [line for line in report.splitlines() if line.startswith("| ")]
    assert table[0].startswith("| group | n | ans. | retriever | hit@1")
    # one table: every group, every retriever; bm25 wins hit@1 overall and is shown in bold
    assert any(line.startswith("| overall | 3 | 2 | hybrid |") for line in table)
    assert any(line.startswith("| | | | bm25 | **0.500**") for line in table)
    assert any(line.startswith("| cross-lingual | 1 | 1 |") for line in table)
    assert any(line.startswith("| lang=zh |") for line in table)
    png = (tmp_path / "hitk.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000


def test_one_retriever_writes_plain_results_file(tmp_path: Path):
    metrics, rows, results = _fake_run({"dense": 1})
    top = write_outputs(tmp_path, "set.jsonl", metrics, rows, results)
    assert top["retriever"] == "dense" and "retrievers" not in top
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hitk.png", "metrics.json", "report.md", "results.jsonl"]


# --- end to end through the CLI, real engine, a tiny corpus -------------------------------------

VI_PLAN = """KẾ HOẠCH
Thực hiện chương trình hỗ trợ người cao tuổi năm 2024
I. MỤC TIÊU
1. Mỗi người cao tuổi từ đủ 80 tuổi được trợ cấp 360.000 đồng mỗi tháng.
II. TỔ CHỨC THỰC HIỆN
1. Sở Lao động - Thương binh và Xã hội chủ trì, hướng dẫn các huyện lập danh sách.
2. Hồ sơ đề nghị gửi về Sở chậm nhất ngày 30/6/2024.
"""
ZH_PLAN = """关于做好2024年残疾人两项补贴发放工作的通知
一、补贴标准
困难残疾人生活补贴标准提高到每人每月90元。
二、工作要求
各乡镇于每季度第一个月10日前将审核名单报县民政局。
"""


@pytest.mark.slow
def test_eval_command_on_a_qa_set(tmp_path: Path):
    from policyqa.cli import main

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "vi_plan.txt").write_text(VI_PLAN, "utf-8")
    (corpus / "zh_plan.txt").write_text(ZH_PLAN, "utf-8")
    questions = [
        {"id": "vi-1", "lang": "vi", "type": "deadline", "cross_lingual": False,
         "question": "Hồ sơ đề nghị phải gửi về Sở chậm nhất khi nào?", "source": "vi_plan.txt",
         "answers": ["30/6/2024"], "evidence": ["chậm nhất ngày 30/6/2024"]},
        {"id": "zh-1", "lang": "zh", "type": "amount", "cross_lingual": False,
         "question": "困难残疾人生活补贴标准是每月多少元？", "source": "zh_plan.txt",
         "answers": ["90元"], "evidence": ["每人每月90元"]},
        {"id": "zh-2", "lang": "zh", "type": "amount", "cross_lingual": True,
         "question": "80岁以上老人每月补贴多少越南盾？", "source": "vi_plan.txt",
         "answers": ["360.000 đồng"], "evidence": ["360.000 đồng mỗi tháng"]},
        {"id": "vi-u", "lang": "vi", "type": "unanswerable", "cross_lingual": False,
         "question": "Giá vé tàu điện ngầm Hà Nội năm 2030 là bao nhiêu?", "source": None,
         "answers": [], "evidence": []},
    ]
    dataset = tmp_path / "tiny.jsonl"
    dataset.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions), "utf-8")
    out = tmp_path / "out"
    argv = ["eval", "--corpus", str(corpus), "--index", str(tmp_path / "index"), "--dataset", str(dataset),
            "--out", str(out), "--retriever", "all", "-q"]
    assert main(argv) == 0

    top = json.loads((out / "metrics.json").read_text("utf-8"))
    assert SPEC_TOP_KEYS <= set(top) and top["n"] == 4 and top["retriever"] == "hybrid"
    assert set(top["retrievers"]) == {"bm25", "dense", "hybrid"}
    assert top["by_lang"]["vi"]["n"] == 2 and top["by_lang"]["zh"]["n"] == 2
    assert top["cross_lingual"]["n"] == 1 and top["by_type"]["unanswerable"]["n"] == 1
    assert top["overall"]["hit@5"] == 1.0 and top["overall"]["doc_recall@5"] == 1.0  # two short documents
    for name in ("results.jsonl", "results.bm25.jsonl", "results.dense.jsonl"):
        records = [json.loads(line) for line in (out / name).read_text("utf-8").splitlines()]
        assert [r["id"] for r in records] == ["vi-1", "zh-1", "zh-2", "vi-u"]
        assert records[0]["passages"] and records[0]["passages"][0]["source"] in {"vi_plan.txt", "zh_plan.txt"}
    report = (out / "report.md").read_text("utf-8")
    assert "| cross-lingual | 1 | 1 | hybrid |" in report and "| type=unanswerable | 1 | 0 | hybrid |" in report
    assert (out / "hitk.png").stat().st_size > 5000
