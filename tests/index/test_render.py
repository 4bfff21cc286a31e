"""What a reader sees of an answer: the terminal reply and the JSON record."""

from __future__ import annotations

import json

from index.answer import answer
from index.config import Settings
from index.render import answer_record, answer_text, format_date
from index.retrieve import Retriever, prepare_query
from index.types import Answer, Citation, DocMeta, DocRef

from .stored import ConstantEmbedder
from .test_retrieve import make_index

CLAUSE = "Hồ sơ đề nghị khen thưởng gửi về Sở Lao động - Thương binh và Xã hội chậm nhất ngày 30/12 hàng năm."
OTHER = "Sở Y tế phối hợp giám sát việc thực hiện tiêu chí 8, 9, 10."


def ask(tmp_path, docs, metas, question):
    stored = make_index(tmp_path, docs, metas)
    retriever = Retriever(stored, ConstantEmbedder(), Settings(dense_weight=0.0))
    query = prepare_query(question, None)
    hits = retriever.search(query, k=5)
    return answer(query, hits, lexical=stored.lexical, documents=stored.documents, min_confidence=0.0, year=2026)


def test_an_answer_from_a_clause_several_plans_carry_names_them_capped(tmp_path):
    plans = {f"p{i}": ("vi", [CLAUSE, f"{OTHER} Kế hoạch số {i}."]) for i in range(6)}
    metas = {f"p{i}": DocMeta(title=f"Kế hoạch khen thưởng {i}", lang="vi", number=f"{i}/KH-UBND") for i in range(6)}
    reply = ask(tmp_path, plans, metas, "Hồ sơ đề nghị khen thưởng gửi chậm nhất khi nào?")
    assert reply.found and "30/12" in reply.text
    [cite] = reply.citations
    others = [r.number for r in cite.also_in]
    assert sorted([cite.number, *others]) == [f"{i}/KH-UBND" for i in range(6)]  # every plan holding it
    text = answer_text(reply)
    assert f"Nội dung này cũng có trong: {'; '.join(others[:3])} và 2 văn bản khác" in text.splitlines()
    record = json.loads(json.dumps(answer_record(reply), ensure_ascii=False))  # JSON-able
    assert [r["number"] for r in record["citations"][0]["also_in"]] == others


def test_a_clause_only_one_plan_holds_names_no_other(tmp_path):
    plans = {"p0": ("vi", [CLAUSE]), "p1": ("vi", [OTHER])}
    metas = {d: DocMeta(title=f"Kế hoạch {d}", lang="vi", number=f"{d}/KH") for d in plans}
    reply = ask(tmp_path, plans, metas, "Hồ sơ đề nghị khen thưởng gửi chậm nhất khi nào?")
    assert reply.found and not reply.citations[0].also_in
    assert "cũng có trong" not in answer_text(reply)


def test_a_plan_from_the_same_template_with_another_deadline_is_not_named(tmp_path):
    # one passage, two sentences besides the deadline: near-duplicates, but the quoted clause differs
    lead = ("Ủy ban nhân dân các huyện, thị xã, thành phố tổ chức đánh giá, xét công nhận xã, phường, thị trấn "
            "phù hợp với trẻ em theo đúng quy trình, tiêu chuẩn quy định; lập hồ sơ đề nghị khen thưởng.\n")
    plans = {"same": ("vi", [lead + CLAUSE]), "other": ("vi", [lead + CLAUSE.replace("30/12", "15/12")]),
             "main": ("vi", [lead + CLAUSE, OTHER])}
    metas = {d: DocMeta(title=f"Kế hoạch {d}", lang="vi", number=f"{d}/KH") for d in plans}
    reply = ask(tmp_path, plans, metas, "Hồ sơ đề nghị khen thưởng gửi chậm nhất khi nào?")
    folded = {c.doc_id for c in reply.hits[0].also} | {reply.hits[0].chunk.doc_id}
    assert folded == {"same", "other", "main"}  # shown once ...
    assert reply.found and reply.citations[0].doc_id == reply.hits[0].chunk.doc_id
    named = {reply.citations[0].doc_id} | {r.doc_id for r in reply.citations[0].also_in}
    quoted = "30/12" if "30/12" in reply.text else "15/12"
    assert quoted in reply.text and named == {d for d, (_, passages) in plans.items() if quoted in passages[0]}
    assert len(named) < 3  # ... but only the plans with the same deadline are named


def test_also_in_line_in_chinese_names_documents_by_number_else_title():
    refs = (
        DocRef("a", "关于做好2020年春耕生产工作的通知", "川疫指发〔2020〕17号"),
        DocRef("b", "关于进一步做好新冠肺炎疫情防控期间困难群众兜底保障工作的通知" * 3),
        DocRef("c", ""),
    )
    cite = Citation("d", "关于加强疫情防控的通知", None, None, "一、总体要求", "引文", also_in=refs)
    text = answer_text(Answer("问题", "zh", "other", True, "引文", [cite]))
    line = next(line for line in text.splitlines() if line.startswith("相同内容另见"))
    assert line.startswith("相同内容另见：川疫指发〔2020〕17号；关于进一步做好新冠肺炎疫情防控期间困难群众兜底保障工作的通知关于进一步做")
    assert "…；c" in line and line.endswith("；c")  # a long title is cut; no title: the id
    four = Citation("d", "t", None, None, "", "引文", also_in=refs + (DocRef("e", "", "e号"),))
    assert answer_text(Answer("问题", "zh", "other", True, "引文", [four])).splitlines()[-1].endswith("；c等另1份文件")


def test_dates_in_the_readers_language():
    assert format_date("2016-10-24", "vi") == "24/10/2016"
    assert format_date("2018-07-06", "zh") == "2018年7月6日"
    assert format_date("2016", "vi") == "2016"
