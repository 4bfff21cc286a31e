"""Labelled fields: which lines open a field, what a label holds, what a question asks for."""

import pytest

from index.fields import asked_kinds, field_title, is_record, kinds_of_label, label_of, split_fields, states_nothing

PROCEDURE = """Thủ tục cấp lại giấy phép
Tên thủ tục: Thủ tục cấp lại giấy phép
Cơ quan thực hiện: Ủy ban nhân dân cấp xã
Đối tượng thực hiện: Công dân Việt Nam
Hình thức nộp: Trực tiếp; Thời hạn giải quyết: 15 Ngày làm việc; Phí, lệ phí: 50.000 Đồng
Thành phần hồ sơ: Đơn đề nghị (Bản chính: 1, Bản sao: 0)
Thành phần hồ sơ: Bản sao căn cước (Bản chính: 0, Bản sao: 1)""".splitlines()

PLAN = """KẾ HOẠCH
Triển khai thực hiện tiêu chuẩn xã phù hợp với trẻ em
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích: nâng cao chất lượng công tác bảo vệ trẻ em.
2. Yêu cầu
Các sở, ngành phối hợp chặt chẽ trong quá trình thực hiện.
Tổ chức sơ kết hằng năm, tổng kết vào năm 2020.""".splitlines()


@pytest.mark.parametrize(
    "line, empty",
    [
        ("Cơ quan phối hợp: Không có thông tin", True),
        ("Địa chỉ tiếp nhận hồ sơ: không có thông tin.", True),
        ("联系电话：暂无信息", True),
        # "none" is an answer: there is no fee
        ("Phí, lệ phí: Không", False),
        ("收费标准：无", False),
        ("Thời hạn giải quyết: 15 Ngày làm việc", False),
        ("Các đơn vị không có thông tin thì báo cáo sau", False),  # no label
    ],
)
def test_a_field_that_says_the_page_has_no_information_states_nothing(line, empty):
    assert states_nothing(line) is empty


def test_a_procedure_page_is_a_record_and_a_plan_is_not():
    assert is_record(PROCEDURE)
    assert not is_record(PLAN)


@pytest.mark.parametrize(
    "line, label",
    [
        ("Thời hạn giải quyết: 15 Ngày làm việc", "Thời hạn giải quyết"),
        ("办理时限：15个工作日", "办理时限"),
        ("Phí, lệ phí: Phí : 0 Đồng", "Phí, lệ phí"),
        # a sentence with a colon late in it is no label
        ("Các sở, ngành, đoàn thể và Ủy ban nhân dân các huyện phối hợp thực hiện như sau: rà soát", None),
        ("15 ngày: thời hạn", None),
    ],
)
def test_a_short_label_before_a_colon_opens_a_field(line, label):
    assert label_of(line) == label


def test_a_line_of_several_fields_is_split_and_titled_by_all_its_labels():
    line = "Hình thức nộp: Trực tiếp; Thời hạn giải quyết: 15 Ngày làm việc; Phí, lệ phí: 50.000 Đồng"
    assert split_fields(line) == ["Hình thức nộp: Trực tiếp", "Thời hạn giải quyết: 15 Ngày làm việc", "Phí, lệ phí: 50.000 Đồng"]
    assert field_title(line) == "Hình thức nộp; Thời hạn giải quyết; Phí, lệ phí"
    # a ";" inside a value does not open a field
    assert split_fields("Thành phần hồ sơ: Đơn đề nghị; bản sao căn cước") == ["Thành phần hồ sơ: Đơn đề nghị; bản sao căn cước"]


@pytest.mark.parametrize(
    "label, kind",
    [
        ("Thời hạn giải quyết", "deadline"), ("办理时限", "deadline"),
        ("Phí, lệ phí", "fee"), ("收费标准", "fee"), ("Mức trợ cấp", "benefit"), ("补贴标准", "benefit"),
        ("Thành phần hồ sơ", "papers"), ("申请材料", "papers"),
        ("Cơ quan thực hiện", "agency"), ("受理部门", "agency"),
        ("Đối tượng thực hiện", "applicant"), ("办理条件", "applicant"),
        ("Địa chỉ tiếp nhận hs", "place"), ("办理地点", "place"),
    ],
)
def test_a_label_says_what_its_field_holds(label, kind):
    assert kind in kinds_of_label(label)


@pytest.mark.parametrize(
    "question, kind",
    [
        ("Làm lại giấy phép thì mất bao lâu?", "deadline"),
        ("lam lai giay phep mat bao lau", "deadline"),
        ("过了试用期想辞职，要提前多久跟公司打招呼？", "deadline"),
        ("Xin giấy phép thì lệ phí bao nhiêu tiền?", "fee"),
        ("办这个收不收费？", "fee"),
        ("Bố tôi được hưởng mức trợ cấp hàng tháng là bao nhiêu?", "benefit"),
        ("can nop nhung giay to gi", "papers"),
        ("申请要带什么材料？", "papers"),
        ("Nộp hồ sơ ở cơ quan nào?", "agency"),
        ("应该向哪个部门申请？", "agency"),
        ("Những ai được hưởng trợ cấp này?", "applicant"),
        ("nop ho so o dau", "place"),
    ],
)
def test_a_question_asks_for_a_kind_of_field(question, kind):
    assert kind in asked_kinds(question)


@pytest.mark.parametrize(
    "question, kind, not_kind",
    [
        ("在越南登外国船参观的许可证有效期是多长时间？", "validity", "deadline"),
        ("thẻ này có hiệu lực trong bao lâu", "validity", "deadline"),
    ],
)
def test_a_question_of_a_narrower_kind_is_not_asking_the_wider_one(question, kind, not_kind):
    asked = asked_kinds(question)
    assert kind in asked and not_kind not in asked


@pytest.mark.parametrize(
    "question, asked",
    [
        # a field the question only names ("thẩm quyền", "giấy tờ", "kết quả", "材料") is what it is
        # about; the words that ask ("bao lâu", "mấy ngày", "哪里") say what it wants
        ("Tố cáo cán bộ thuộc thẩm quyền giải quyết của cấp trung đoàn thì thời hạn giải quyết là bao lâu?", {"deadline"}),
        ("Giấy tờ cũ của ông tôi chỉ ghi phiên hiệu, muốn xin giấy xác nhận thì mấy ngày có kết quả?", {"deadline"}),
        ("在越南申请一次性领取社保，要到哪里交材料？", {"place"}),
        # a field named right before a word that asks is asked for too
        ("lam lai the can cuoc thi mat bao nhieu ngay va le phi bao nhieu", {"deadline", "fee"}),
        ("申请材料有哪些？", {"papers"}),
        # with no word that asks, the fields it names are all we have
        ("Cho tôi biết lệ phí và thời hạn giải quyết.", {"deadline", "fee"}),
    ],
)
def test_a_question_asks_for_what_its_asking_words_point_at(question, asked):
    assert asked_kinds(question) == asked


def test_a_question_of_no_kind_asks_for_none():
    assert asked_kinds("Kế hoạch này nhằm mục đích gì?") == frozenset()
