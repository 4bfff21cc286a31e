"""Deadline and responsibility questions answered from the facts, with complete lists and quotes."""

from types import SimpleNamespace

import pytest

from index.facts.answers import MAX_TEXT, answer_with_facts
from index.types import Answer, Chunk, Citation, Hit

from .conftest import CHENZHOU, HA_TINH, KON_TUM, SUINING


def _hits(*doc_ids):
    return [Hit(Chunk(f"{d}#0", d, 0, "…", ()), 1.0 / (i + 1)) for i, d in enumerate(doc_ids)]


def _ask(index_dir, documents, question, qtype, *doc_ids, base_text="", lang="vi", tokens=None, idf=lambda t: 1.0):
    from index.tokenize import tokenize_question

    base = Answer(question, lang, qtype, bool(base_text), base_text,
                  [Citation(doc_ids[0], "t", None, None, "", base_text)] if base_text else [])
    stored = SimpleNamespace(path=index_dir / "current", manifest={})
    return answer_with_facts(base, tokens or tokenize_question(question), _hits(*doc_ids), stored=stored,
                             idf=idf, documents=documents, year=2026)


@pytest.fixture(scope="module")
def corpus_idf(documents):
    """Word weights as the engine has them: BM25 idf over the corpus's passages."""
    from index.chunking import chunk_document, document_head, indexed_text
    from index.lexical import LexicalIndex
    from index.tokenize import tokenize

    texts = [indexed_text(c, document_head(d.meta)) for d in documents.values() for c in chunk_document(d)]
    return LexicalIndex.build([tokenize(t) for t in texts]).idf


def test_a_named_agency_gets_its_complete_list(index_dir, documents):
    a = _ask(index_dir, documents, "Sở Y tế có trách nhiệm gì trong kế hoạch xã phù hợp với trẻ em ở Kon Tum?",
             "responsibility", KON_TUM, HA_TINH)
    assert a.found and len(a.text) <= MAX_TEXT
    assert a.text.startswith("Sở Y tế")
    heading, first_item = a.text.splitlines()[1:3]
    assert heading == "Chủ trì / thực hiện:" and "[" not in a.text  # roles are headings, not tags
    assert "tiêu chí 8,9,10" in first_item  # "trách nhiệm" is asked: "chịu trách nhiệm …" comes first
    assert len(a.citations) == 4  # three duties of its own, one in the labour department's list
    assert all(c.doc_id == KON_TUM and c.quote and c.section for c in a.citations)
    assert all(c.period_ended for c in a.citations)  # the plan ran to 2020: the reply says it is over


def test_bare_questions_name_agencies_too(index_dir, documents):
    a = _ask(index_dir, documents, "mat tran to quoc doan thanh nien hoi phu nu lam gi trong ke hoach kon tum",
             "responsibility", KON_TUM)
    assert "Tham gia giám sát" in a.text and "vận động mọi tầng lớp nhân dân" in a.text


def test_which_agency_questions_get_the_best_covering_duty(index_dir, documents):
    a = _ask(index_dir, documents, "Cơ quan nào làm đầu mối quản lý hoạt động truy xuất nguồn gốc ở Hà Tĩnh?",
             "responsibility", HA_TINH)
    assert a.text.startswith("Sở Khoa học và Công nghệ (chủ trì/thực hiện): Thực hiện chức năng đầu mối")


def test_chinese_shared_duty_names_both_agencies(index_dir, documents):
    a = _ask(index_dir, documents, "郴州养老服务实施意见由哪两个部门牵头指导、督促检查并报告进展？", "responsibility",
             CHENZHOU, lang="zh")
    assert a.text.startswith("市民政局, 市发改委 (牵头/负责): 市民政局、市发改委要会同有关部门加强指导")
    assert len(a.citations) == 1 and a.citations[0].period_ended  # "到2020年"


def test_deadline_question_quotes_the_deadline(index_dir, documents):
    a = _ask(index_dir, documents, "Xã phải gửi hồ sơ đánh giá về phòng Lao động huyện trước ngày nào?", "deadline", KON_TUM)
    assert a.found and "trước ngày 15 tháng 11 hằng năm" in a.text.splitlines()[0]


def test_a_better_passage_answer_is_kept(index_dir, documents):
    base = "e) Định kỳ hàng năm hoặc đột xuất khi có yêu cầu báo cáo UBND tỉnh, Bộ Khoa học và Công nghệ kết quả triển khai thực hiện Đề án 100."
    a = _ask(index_dir, documents, "Sở Khoa học và Công nghệ báo cáo Bộ Khoa học và Công nghệ kết quả Đề án 100 bao lâu một lần?",
             "deadline", HA_TINH, base_text=base)
    assert a.text == base


def test_other_question_types_and_missing_facts_leave_the_answer_alone(index_dir, documents, tmp_path):
    base_text = "Dự kiến tổng kinh phí đầu tư giai đoạn 2016-2020: 5.444 triệu đồng."
    a = _ask(index_dir, documents, "Tổng kinh phí là bao nhiêu?", "amount", KON_TUM, base_text=base_text)
    assert a.text == base_text
    base = Answer("Sở Y tế làm gì?", "vi", "responsibility", False, "…", [])
    empty = SimpleNamespace(path=tmp_path, manifest={})  # an index built before facts existed
    assert answer_with_facts(base, ["so", "y", "te"], _hits(KON_TUM), stored=empty, idf=lambda t: 1.0,
                             documents=documents, year=2026) is base


def test_the_clause_picked_leads_when_it_is_one_of_the_facts(index_dir, documents):
    # several deadlines cover this question about as well; the clause answer selection chose (the
    # date the recognition must be done by) must come first, not the commune's earlier deadline
    base = "Thời gian hoàn thành việc công nhận trước ngày 30 tháng 11 hằng năm."
    a = _ask(index_dir, documents, "huyen phai ra quyet dinh cong nhan xa phu hop voi tre em truoc ngay nao",
             "deadline", KON_TUM, base_text=base)
    assert a.text.splitlines()[0].lstrip("- ") == base


def test_a_fact_cut_from_the_answer_sentence_does_not_replace_it(index_dir, documents):
    # the fact extracted from this sentence is its last clause (the daily work of the station),
    # which leaves out who heads the station: what was asked
    base = ("根据《关于加强乡镇人民政府（街道办事处）未成年人保护工作站建设的指导意见》，在我县建立17个乡镇未保站，"
            "每个未保站由乡镇分管民政工作的副镇长为站长，乡镇派出所负责人、社会事务中心负责人、妇联负责人、团委负责人、"
            "司法所负责人、学区负责人六位为成员，未保站日常事务由乡镇社会事务中心承担，统筹协调督促各部门履职尽责。")
    a = _ask(index_dir, documents, "绥宁县乡镇未保站的站长由谁担任？", "responsibility", SUINING, base_text=base, lang="zh")
    assert "副镇长为站长" in a.text


def test_asking_for_duties_in_so_many_words_still_gets_the_named_agencys(index_dir, documents, corpus_idf):
    # "nhiệm vụ" also stands in other agencies' duties ("các mục tiêu, nhiệm vụ của Kế hoạch"): it
    # asks for a duty and must not make the finance department look named only as context
    a = _ask(index_dir, documents, "Sở Tài chính có nhiệm vụ gì trong kế hoạch truy xuất nguồn gốc Hà Tĩnh?",
             "responsibility", HA_TINH, idf=corpus_idf)
    assert a.text.startswith("Sở Tài chính") and "bố trí kinh phí" in a.text


def test_a_duty_word_inside_the_agencys_name_still_names_it(index_dir, documents, corpus_idf):
    a = _ask(index_dir, documents, "Sở Nội vụ Kon Tum có nhiệm vụ gì trong kế hoạch xã phù hợp với trẻ em?",
             "responsibility", KON_TUM, idf=corpus_idf)
    assert a.text.startswith("Sở Nội vụ") and "khen thưởng" in a.text


def test_asking_who_set_up_a_named_body_keeps_the_clause_saying_who(index_dir, documents, corpus_idf):
    # the council is named, but as what was set up: its own duties do not answer
    clause = ("- Ủy ban nhân dân cấp huyện, thành phố thành lập Hội đồng xét duyệt cấp huyện để xem xét thẩm định, "
              "đánh giá lại tiêu chí xã, phường, thị trấn phù hợp với trẻ em.")
    for question in ("Ai thành lập Hội đồng xét duyệt cấp huyện ở Kon Tum?", "Hội đồng xét duyệt cấp huyện do ai thành lập?"):
        a = _ask(index_dir, documents, question, "responsibility", KON_TUM, base_text=clause, idf=corpus_idf)
        assert "Ủy ban nhân dân cấp huyện, thành phố thành lập Hội đồng xét duyệt" in a.text.splitlines()[0]


def test_asking_whom_a_named_agency_works_with_still_gets_its_duties(index_dir, documents, corpus_idf):
    a = _ask(index_dir, documents, "Sở Y tế Kon Tum phối hợp với ai?", "responsibility", KON_TUM, idf=corpus_idf)
    assert a.text.startswith("Sở Y tế")


def test_asking_who_sits_on_a_named_council_is_not_answered_with_its_duties(index_dir, documents, corpus_idf):
    clause = "Thành phần Hội đồng đánh giá gồm: Chủ tịch Hội đồng là Chủ tịch hoặc Phó Chủ tịch Ủy ban nhân dân cấp xã."
    for question in ("Thành phần Hội đồng đánh giá cấp xã gồm những ai?", "Chủ tịch Hội đồng đánh giá cấp xã là ai?"):
        a = _ask(index_dir, documents, question, "responsibility", KON_TUM, base_text=clause, idf=corpus_idf)
        assert a.text == clause
