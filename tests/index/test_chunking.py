from index.chunking import chunk_document, indexed_text
from index.sentences import estimate_tokens
from index.types import DocMeta, Document

VI_PLAN = """KẾ HOẠCH
Triển khai thực hiện tiêu chuẩn xã phù hợp với trẻ em
I. Mục đích, yêu cầu
1. Nhằm tạo môi trường sống an toàn, thân thiện với trẻ em.
II. TỔ CHỨC THỰC HIỆN
1. Sở Khoa học và Công nghệ:
- Chủ trì hướng dẫn các tổ chức áp dụng truy xuất nguồn gốc.
- Định kỳ báo cáo UBND tỉnh trước ngày 15 tháng 11 hằng năm.
2. Sở Y tế:
Phối hợp thực hiện giám sát việc đánh giá tiêu chí 8, 9, 10.
"""

ZH_PLAN = """关于全面放开养老服务市场提升养老服务质量的实施意见
一、总体要求
（一）指导思想。全面贯彻党的十九大精神。
（二）基本原则
深化改革，放开市场。进一步降低准入门槛。
二、全面放开养老服务市场
（四）进一步放宽准入条件
降低准入门槛。民政部门应按有关规定及时发布养老服务机构设置信息。
"""


def _doc(text: str, lang: str) -> Document:
    return Document("plan.txt", text, DocMeta(title="Kế hoạch 1/KH-UBND", lang=lang), "0")


def test_vietnamese_section_paths_follow_headings():
    chunks = chunk_document(_doc(VI_PLAN, "vi"), max_tokens=60)
    by_text = {c.text.splitlines()[0]: c for c in chunks}
    assert by_text["1. Sở Khoa học và Công nghệ:"].section == ("II. TỔ CHỨC THỰC HIỆN", "1. Sở Khoa học và Công nghệ")
    sy_te = next(c for c in chunks if "tiêu chí 8, 9, 10" in c.text)
    assert sy_te.section_path == "II. TỔ CHỨC THỰC HIỆN › 2. Sở Y tế"


def test_chinese_section_paths_and_inline_headings():
    chunks = chunk_document(_doc(ZH_PLAN, "zh"), max_tokens=40)
    access = next(c for c in chunks if "民政部门应按" in c.text)
    assert access.section == ("二、全面放开养老服务市场", "（四）进一步放宽准入条件")
    guide = next(c for c in chunks if "十九大" in c.text)
    assert guide.section[-1] == "（一） 指导思想"  # the heading ends at the first 。


def test_small_document_is_one_chunk_and_nothing_is_lost():
    chunks = chunk_document(_doc(VI_PLAN, "vi"), max_tokens=1000)
    assert len(chunks) == 1
    assert chunks[0].text.splitlines() == [line for line in VI_PLAN.splitlines() if line]


def test_long_paragraph_is_split_between_sentences_never_inside_one():
    sentence = "Ủy ban nhân dân các huyện xây dựng kế hoạch cụ thể phù hợp điều kiện địa phương."
    text = "1. Nhiệm vụ\n" + " ".join([sentence] * 40)
    chunks = chunk_document(_doc(text, "vi"), max_tokens=120)
    assert len(chunks) > 3
    for c in chunks:
        assert estimate_tokens(c.text) <= 120
        body = c.text.removeprefix("1. Nhiệm vụ\n")
        assert body.startswith("Ủy ban") and body.endswith("địa phương.")


def test_table_chunks_repeat_the_header_row():
    rows = "\n".join(f"{i} | Hoạt động số {i} | {i * 10} | {i * 50}" for i in range(1, 40))
    text = "NHU CẦU KINH PHÍ THỰC HIỆN ĐỀ ÁN\nI. Kinh phí\nTT | Nội dung | 2016 | Tổng\n" + rows
    chunks = chunk_document(_doc(text, "vi"), max_tokens=80)
    table_chunks = [c for c in chunks if "Hoạt động số" in c.text]
    assert len(table_chunks) > 2
    assert all("TT | Nội dung | 2016 | Tổng" in c.text for c in table_chunks)


def test_lost_top_headings_still_nest_the_rest():
    # the scrape dropped "I." / "II.": numbering restarts, sub-items still nest under their parent
    text = "1. Mục tiêu\n- Giảm tỷ số giới tính khi sinh.\n1. Phạm vi thực hiện\n1.1. Cấp tỉnh: Sở Y tế chủ trì.\na) Các hoạt động chủ yếu:\n- Khảo sát."
    chunks = chunk_document(_doc(text, "vi"), max_tokens=20, min_chars=5)
    survey = next(c for c in chunks if "Khảo sát." in c.text)
    assert survey.section[0] == "1. Phạm vi thực hiện"


def test_indexed_text_carries_title_and_section():
    chunk = chunk_document(_doc(VI_PLAN, "vi"), max_tokens=60)[-1]
    text = indexed_text(chunk, "Kế hoạch 1/KH-UBND")
    assert text.startswith("Kế hoạch 1/KH-UBND › II. TỔ CHỨC THỰC HIỆN › 2. Sở Y tế\n")


def test_a_lead_in_standing_alone_joins_its_list_in_the_next_chunk():
    # the numbered items are headings to the tree, so the lead-in above them was a chunk of its own:
    # a list question then found its lead-in without items, and its items without what they list
    text = (
        "3.3. Khen thưởng\n"
        "- Xã được công nhận đạt tiêu chuẩn trong 03 năm liên tục được Chủ tịch Ủy ban nhân dân cấp huyện khen thưởng.\n"
        "- Xã được công nhận đạt tiêu chuẩn trong 05 năm liên tục được Chủ tịch Ủy ban nhân dân tỉnh khen thưởng.\n"
        "* Hồ sơ đề nghị UBND tỉnh khen thưởng bao gồm:\n"
        "(1) Tờ trình của Phòng Lao động - Thương binh và Xã hội đề nghị Chủ tịch Ủy ban nhân dân tỉnh khen thưởng.\n"
        "(2) Quyết định của Chủ tịch Ủy ban nhân dân cấp huyện công nhận xã đạt tiêu chuẩn hằng năm.\n"
        "(3) Hồ sơ gửi về Sở Lao động - Thương binh và Xã hội chậm nhất 30/12 hằng năm.\n"
    )
    chunks = chunk_document(_doc(text, "vi"), max_tokens=90)
    lead_in = next(c for c in chunks if "bao gồm:" in c.text)
    assert "(1) Tờ trình" in lead_in.text
    assert sum("bao gồm:" in c.text for c in chunks) == 1 and all(c.text.strip() for c in chunks)


def test_a_lone_lead_in_before_another_section_stays_in_its_own():
    text = ("KẾ HOẠCH\nUBND tỉnh ban hành Kế hoạch thực hiện Đề án với các nội dung sau:\n"
            "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\nNâng cao nhận thức của người dân về truy xuất nguồn gốc sản phẩm.")
    chunks = chunk_document(_doc(text, "vi"), max_tokens=25, min_chars=5)
    preamble = next(c for c in chunks if "các nội dung sau:" in c.text)
    assert not preamble.section and "Nâng cao nhận thức" not in preamble.text
    assert any("Nâng cao nhận thức" in c.text for c in chunks)  # nothing lost


def test_a_chunk_opening_with_a_short_lead_in_repeats_the_line_it_goes_on_from():
    # "Hồ sơ gồm:" alone says nothing of which papers: the sentence before it (which ends the
    # previous chunk) says they go to the district labour office, and a question says so too
    sent = "- Chủ tịch Ủy ban nhân dân cấp xã ký duyệt hồ sơ gửi phòng Lao động cấp huyện trước ngày 15 tháng 11 hằng năm."
    items = "\n".join(f"({i}) Giấy tờ số {i} của Ủy ban nhân dân xã đề nghị công nhận xã phù hợp với trẻ em;" for i in range(1, 5))
    text = f"2.1. Tổ chức đánh giá\n- Việc đánh giá được thực hiện mỗi năm một lần vào tháng 11.\n{sent}\nHồ sơ gồm:\n{items}"
    chunks = chunk_document(_doc(text, "vi"), max_tokens=70)
    papers = next(c for c in chunks if "Hồ sơ gồm:" in c.text)
    assert papers.text.startswith(sent) and "(1) Giấy tờ" in papers.text
    assert sum(sent in c.text for c in chunks) == 2  # repeated, not moved


PROCEDURE = """Thủ tục cấp lại giấy chứng nhận
Tên thủ tục: Thủ tục cấp lại giấy chứng nhận
Mã thủ tục: 1.000001
Cơ quan thực hiện: Ủy ban nhân dân cấp xã
Yêu cầu điều kiện thực hiện: - Người đề nghị phải có hộ khẩu thường trú tại xã.
- Không đang chấp hành án phạt tù.
Hình thức nộp: Trực tiếp; Thời hạn giải quyết: 15 Ngày làm việc; Phí, lệ phí: 50.000 Đồng
Thành phần hồ sơ: Đơn đề nghị (Bản chính: 1, Bản sao: 0)
Thành phần hồ sơ: Bản sao căn cước (Bản chính: 0, Bản sao: 1)"""


def test_each_field_of_a_record_is_a_chunk_named_by_its_label():
    chunks = chunk_document(_doc(PROCEDURE, "vi"), max_tokens=200)
    by_section = {c.section_path: c.text for c in chunks}
    assert by_section["Cơ quan thực hiện"] == "Cơ quan thực hiện: Ủy ban nhân dân cấp xã"
    # a field's continuation lines stay with it; a line of several fields is named by all of them
    assert "Không đang chấp hành án phạt tù" in by_section["Yêu cầu điều kiện thực hiện"]
    assert "15 Ngày làm việc" in by_section["Hình thức nộp; Thời hạn giải quyết; Phí, lệ phí"]
    # lines repeating a label are one field: the papers together
    assert by_section["Thành phần hồ sơ"].count("Thành phần hồ sơ:") == 2
    assert "".join(c.text for c in chunks).count("Mã thủ tục") == 1  # nothing lost, nothing twice


def test_each_article_of_a_law_is_a_chunk_named_by_its_number():
    law = ("中华人民共和国劳动合同法\n第一章 总则\n第一条 为了完善劳动合同制度，制定本法。\n"
           "第二条 本法适用于境内的企业。\n第四章 劳动合同的解除和终止\n"
           "第三十七条 劳动者提前三十日以书面形式通知用人单位，可以解除劳动合同。")
    paths = [c.section_path for c in chunk_document(_doc(law, "zh"), max_tokens=200)]
    assert paths[-3:] == ["第一章 总则 › 第一条", "第一章 总则 › 第二条", "第四章 劳动合同的解除和终止 › 第三十七条"]
    decree = ("Chương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi điều chỉnh\nNghị định này quy định mức hỗ trợ.\n"
              "Điều 2. Đối tượng áp dụng\nNgười lao động bị mất việc làm.")
    paths = [c.section_path for c in chunk_document(_doc(decree, "vi"), max_tokens=200)]
    assert any(p.endswith("Điều 1. Phạm vi điều chỉnh") for p in paths)
    assert any(p.endswith("Điều 2. Đối tượng áp dụng") for p in paths)
