"""Metadata found by rules: on the bundled seeds, and on the traps they contain."""

from __future__ import annotations

import pytest

from index.config import REPO_ROOT, Settings
from index.ingest import load_document
from index.metadata import detect_lang, extract_metadata

CORPUS = REPO_ROOT / "corpus"

SEEDS = {
    "000_f3a764e6249851b7.txt": dict(
        title="Kế hoạch 161/KH-UBND năm 2016 thực hiện Đề án kiểm soát tình trạng mất cân bằng giới tính "
        "khi sinh giai đoạn 2016-2020",
        lang="vi", number="161/KH-UBND", issuer="UBND tỉnh Thanh Hóa", place="Thanh Hóa",
        date="2016-10-24", period="2016-2020", period_end=2020,
    ),
    "001_3219cb14693d0162.txt": dict(
        title="Kế hoạch triển khai thực hiện Quyết định số 34/2014/QĐ-TTg, ngày 30/5/2014 của Thủ tướng "
        "Chính phủ về quy định tiêu chuẩn xã, phường, thị trấn phù hợp với trẻ em",
        # no period of its own: the target year of its objectives ("Phấn đấu đến năm 2020")
        lang="vi", number="2516/KH-UBND", issuer="UBND tỉnh Kon Tum", place="Kon Tum",
        date="2014-10-03", period="đến năm 2020", period_end=2020,
    ),
    "002_5e7dc1d007970a25.txt": dict(
        title="Kế hoạch triển khai, áp dụng và quản lý hệ thống truy xuất nguồn gốc trên địa bàn tỉnh Hà Tĩnh "
        "giai đoạn 2020 - 2025 định hướng đến năm 2030",
        # "Số: 385 /KH-UBND" with a stray space; the plan also sets targets for 2025 - 2030
        lang="vi", number="385/KH-UBND", issuer="UBND tỉnh Hà Tĩnh", place="Hà Tĩnh",
        date="2020-10-22", period="2020-2025 (định hướng đến 2030)", period_end=2030,
    ),
    "003_64bc9481ac27c912.txt": dict(
        # no number of its own: "绥财绩〔2023〕1号" in the first paragraph is the county finance bureau's
        title="2022年度部门整体支出绩效自评报告",
        lang="zh", number=None, issuer="绥宁县民政局", place="绥宁县",
        date="2023-03-24", period="2022", period_end=2022,
    ),
    "004_07941aeda37bff36.txt": dict(
        # issued 2018-07-06 (under the signature), registered on the website 2018-07-19
        title="关于全面放开养老服务市场提升养老服务质量的实施意见",
        lang="zh", number="郴政办发〔2018〕18号", issuer="郴州市人民政府办公室", place="郴州市",
        date="2018-07-06", period="到2020年", period_end=2020,
    ),
}


@pytest.mark.parametrize("name", SEEDS)
def test_seed_metadata(name):
    doc = load_document(CORPUS / name, name, Settings())
    assert doc.meta.to_dict() == SEEDS[name]


def test_fallback_title_and_nothing_invented():
    meta = extract_metadata(
        "Các cơ quan, đơn vị triển khai thực hiện nghiêm túc nội dung Quyết định số 34/2014/QĐ-TTg "
        "ngày 30/5/2014 giai đoạn 2014-2020.",
        fallback_title="ghi-chu",
    )
    found = (meta.title, meta.lang, meta.number, meta.issuer, meta.date)
    assert found == ("ghi-chu", "vi", None, None, None)


def test_cited_number_and_date_in_the_body_are_not_the_documents_own():
    text = (
        "KẾ HOẠCH\nTriển khai công tác dân số\nI. MỤC TIÊU\n"
        "Số: 99/KH-UBND\nHà Nội, ngày 01 tháng 01 năm 2001\n"  # below the first part: body, not header
    )
    meta = extract_metadata(text, fallback_title="x")
    assert meta.title == "Kế hoạch triển khai công tác dân số"
    assert (meta.number, meta.date) == (None, None)


def test_chinese_number_brackets_are_normalized_and_registration_date_is_a_fallback():
    text = "文号：郴政办发[2018] 18 号\n登记日期：2018-07-19\n关于加强养老服务的通知\n一、总体要求\n到2020年，建成体系。"
    meta = extract_metadata(text, fallback_title="x")
    assert (meta.number, meta.date, meta.title) == ("郴政办发〔2018〕18号", "2018-07-19", "关于加强养老服务的通知")


def test_chinese_five_year_plan_title():
    meta = extract_metadata("湖南省“十四五”民政事业发展规划\n一、发展基础\n民政事业稳步发展。", fallback_title="x")
    assert (meta.period, meta.period_end, meta.place) == ("2021-2025", 2025, None)


def test_vietnamese_header_cell_names_the_issuer():
    text = (
        "ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Số: 12/QĐ-UBND | Vũng Tàu, ngày 5 tháng 3 năm 2021\n"
        "QUYẾT ĐỊNH\nVỀ VIỆC BAN HÀNH QUY CHẾ\nĐiều 1. Ban hành"
    )
    meta = extract_metadata(text, fallback_title="x")
    assert (meta.issuer, meta.place, meta.number, meta.date) == (
        "UBND tỉnh Bà Rịa - Vũng Tàu", "Bà Rịa - Vũng Tàu", "12/QĐ-UBND", "2021-03-05"
    )
    assert meta.title == "Quyết định về việc ban hành quy chế"


def test_language_detection_is_deterministic():
    english = "The provincial committee approves the plan and allocates the budget for every district."
    assert {detect_lang(english) for _ in range(5)} == {"en"}
    assert detect_lang("关于全面放开养老服务市场提升养老服务质量的实施意见") == "zh"
    assert detect_lang("Kế hoạch triển khai thực hiện") == "vi"
