"""The question read once (index/question.py): its type, what it asks for, its figures and years."""

import pytest

from index.question import classify_question, read_question
from index.retrieve import prepare_query


@pytest.mark.parametrize(
    "question, qtype",
    [
        ("Hồ sơ đề nghị khen thưởng phải gửi chậm nhất khi nào?", "deadline"),
        ("ho so de nghi khen thuong gui cham nhat khi nao", "deadline"),
        ("Cơ quan nào chủ trì tổ chức hội thảo?", "responsibility"),
        ("so y te co trach nhiem gi", "responsibility"),
        ("Điều kiện để xã được công nhận phù hợp với trẻ em là gì?", "eligibility"),
        ("Tổng kinh phí thực hiện đề án là bao nhiêu?", "amount"),
        ("Mục tiêu tỷ lệ xã đạt chuẩn đến năm 2020 là bao nhiêu phần trăm?", "target"),
        ("2022年绥宁县残疾人两项补贴标准提高到多少？", "amount"),
        ("哪个部门负责养老机构的监管？", "responsibility"),
        ("申请养老服务补贴需要符合什么条件？", "eligibility"),
        ("到2020年全市养老床位总数的目标是多少？", "target"),
        ("自评报告什么时候之前要报送？", "deadline"),
        ("Kế hoạch này nhằm mục đích gì?", "other"),
        # the words that ask outweigh the topic named around them ("đơn vị", "giấy tờ")
        ("em bi mac benh khi lam nhiem vu, don vi lam ho so cong nhan benh binh thi phai cho bao lau", "deadline"),
        ("Giấy tờ cũ của ông tôi chỉ ghi phiên hiệu, muốn xin giấy xác nhận thì mấy ngày có kết quả?", "deadline"),
        ("在越南拿到许可证后，开工前至少要提前几天书面通知省人民委员会？", "deadline"),
    ],
)
def test_question_types(question, qtype):
    assert classify_question(question) == qtype


@pytest.mark.parametrize(
    "question, asks, figures, years",
    [
        # a document's number the question names is not one of its figures
        ("Theo Kế hoạch 215/KH-UBND, năm 2021 hồ sơ nộp trong bao nhiêu ngày?", "deadline", {"2021"}, {"2021"}),
        ("22年的高龄津贴申请要多久能办好？", "deadline", {"22"}, {"22"}),  # a year written short
        ("Bố tôi 70 tuổi được hỗ trợ bao nhiêu tiền?", "benefit", {"70"}, set()),  # the asker's age: no year
    ],
)
def test_a_question_is_read_once_into_what_it_asks_for(question, asks, figures, years):
    q = read_question(question)
    assert asks in q.asks and q.number
    assert q.figures == figures and q.years == years


def test_the_query_carries_the_question_read_once_to_retrieval_and_the_answer():
    # "Thời hạn giải quyết" is the field retrieval brings forward and the answer stage looks for
    query = prepare_query("Lam lai the bao hiem y te mat bao lau?", None)
    assert "deadline" in query.question.asks and query.question.text == query.text
