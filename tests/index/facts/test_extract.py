"""What the extractor finds in the plans: duties with roles, deadlines, conditions, amounts."""

from index.facts.extract import extract_document
from index.ingest.cleanup import clean
from index.metadata import extract_metadata
from index.types import Document

from .conftest import CHENZHOU, HA_TINH, KON_TUM, SUINING, THANH_HOA


def _of(facts, type_, **payload):
    out = []
    for f in facts:
        if f.type != type_:
            continue
        p = f.payload
        if all((getattr(p, k).id if k == "agency" else getattr(p, k)) == v for k, v in payload.items()):
            out.append(f)
    return out


def _doc(text: str) -> Document:
    text = clean(text)
    return Document("snippet.txt", text, extract_metadata(text, "snippet"), "0")


def test_every_fact_quotes_its_document_exactly(documents, corpus_facts):
    for doc_id, facts in corpus_facts.items():
        text = documents[doc_id].text
        assert facts, doc_id
        for f in facts:
            assert text[f.start : f.end] == f.quote
            assert text.count("\n", 0, f.start) + 1 == f.line


def test_kon_tum_health_department_supervises_criteria_8_9_10(corpus_facts):
    duties = _of(corpus_facts[KON_TUM], "responsibility", agency="so-y-te")
    lead = [f for f in duties if f.payload.role == "lead"]
    support = [f for f in duties if f.payload.role == "support"]
    assert any("tiêu chí 8,9,10" in f.quote for f in lead)
    assert any(f.quote.startswith("Phối hợp với Sở Lao động") for f in support)
    assert all(f.section.endswith("7. Sở Y tế") for f in duties)


def test_partners_named_by_the_lead_agency(corpus_facts):
    item = next(f for f in _of(corpus_facts[KON_TUM], "responsibility", agency="so-lao-dong-thuong-binh-xa-hoi")
                if "Công an tỉnh" in f.quote)
    assert item.payload.role == "lead"
    assert {"cong-an-tinh", "so-y-te", "so-tu-phap"} <= {a.id for a in item.payload.partners}


def test_a_lead_in_gives_its_role_to_the_items_under_it(corpus_facts):
    # "g) Phối hợp với Sở Khoa học và Công nghệ và các đơn vị liên quan:" then "- Quản lý, …"
    items = [f for f in _of(corpus_facts[HA_TINH], "responsibility", agency="cac-so-quan-ly-chuyen-nganh")
             if "g) Phối hợp" in f.section]
    assert len(items) == 2 and {f.payload.role for f in items} == {"support"}
    assert all("so-khoa-hoc-cong-nghe" in {a.id for a in f.payload.partners} for f in items)


def test_a_heading_naming_two_agencies_gives_each_the_duty(corpus_facts):
    facts = corpus_facts[THANH_HOA]
    for agency in ("so-y-te", "chi-cuc-dan-so-khhgd"):
        assert any(f.quote.startswith("Định kỳ tổng hợp, báo cáo kết quả") for f in _of(facts, "responsibility", agency=agency))
    # but a duty whose clause names one of them as its subject goes to that one only
    budget = [f for f in facts if f.type == "responsibility" and "xem xét thẩm định" in f.quote]
    assert [f.payload.agency.id for f in budget] == ["so-tai-chinh"]


def test_closing_paragraphs_are_not_the_last_agency_s_duties(corpus_facts):
    # Kon Tum's "Giao Sở Lao động - TBXH làm đầu mối …" closes the plan after "11. Đề nghị Ủy ban Mặt trận …"
    closing = [f for f in corpus_facts[KON_TUM] if f.type == "responsibility" and "làm đầu mối theo dõi" in f.quote]
    assert [f.payload.agency.id for f in closing] == ["so-lao-dong-thuong-binh-xa-hoi"]
    assert not _of(corpus_facts[THANH_HOA], "responsibility", agency="uy-ban-nhan-dan-tinh")  # "UBND tỉnh yêu cầu …"


def test_issuer_duties_under_a_chinese_duty_heading(corpus_facts):
    duties = _of(corpus_facts[SUINING], "responsibility", agency="民政局")
    assert len(duties) >= 25
    assert {f.payload.agency.level for f in duties} == {"县"}
    assert any(f.quote == "负责全县殡葬改革工作。" for f in duties)


def test_chinese_duty_verbs_after_agencies(corpus_facts):
    both = [f for f in corpus_facts[CHENZHOU] if f.type == "responsibility" and f.quote.startswith("市民政局、市发改委要会同")]
    assert {f.payload.agency.id for f in both} == {"民政局", "发改委"}


def test_kon_tum_and_ha_tinh_deadlines(corpus_facts):
    kon_tum = {f.key for f in corpus_facts[KON_TUM] if f.type == "deadline"}
    assert {"FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=15", "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=30",
            "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=10", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=30"} <= kon_tum
    ha_tinh = [f for f in corpus_facts[HA_TINH] if f.type == "deadline"]
    assert "2020-10-28" in {f.key for f in ha_tinh}


def test_dates_of_other_documents_and_past_events_are_not_deadlines(corpus_facts):
    keys = {f.key for facts in corpus_facts.values() for f in facts if f.type == "deadline"}
    assert "2014-05-30" not in keys  # "Quyết định số 34/2014/QĐ-TTg, ngày 30/5/2014"
    assert "2020-10-30" not in keys  # "于2020年10月30日动工建设": a past event
    assert "1998-09-01..1998-09-30" not in keys  # "凡1998年9月以前建设使用…的": a condition
    assert not any(k.startswith("unparsed") for k in keys)  # "22/4/201" is skipped, not kept


def test_deadline_says_what_is_due_and_who(corpus_facts):
    f = next(f for f in corpus_facts[KON_TUM] if f.type == "deadline" and f.key.endswith("BYMONTHDAY=10"))
    assert f.payload.agency.id == "so-lao-dong-thuong-binh-xa-hoi"
    assert "lập báo cáo kết quả thực hiện" in f.payload.what
    period = next(f for f in corpus_facts[THANH_HOA] if f.type == "deadline" and f.key == "2017-01-01..2019-12-31")
    assert period.payload.what == "2.7. Tổ chức tập huấn"  # a bare period line is due for its activity


def test_recognition_thresholds_and_papers(corpus_facts):
    facts = corpus_facts[KON_TUM]
    thresholds = sorted(f.payload.threshold for f in _of(facts, "eligibility", kind="condition") if f.payload.threshold)
    assert thresholds == [650, 750, 850]
    papers = {len(f.payload.papers) for f in _of(facts, "eligibility", kind="papers")}
    assert papers == {3, 4, 5}


def test_chinese_conditions_keep_their_consequence(corpus_facts):
    quotes = [f.quote for f in _of(corpus_facts[CHENZHOU], "eligibility", kind="condition")]
    assert any(q.startswith("凡1998年9月以前建设使用") and q.endswith("不需办理消防设计审核、消防验收或备案手续") for q in quotes)
    assert "凡是申请人符合设立条件的，自受理设立申请后10个工作日内颁发养老机构设立许可证" in quotes


def test_amounts_with_units(corpus_facts):
    vi = {f.key for f in corpus_facts[THANH_HOA] if f.type == "amount"}
    assert {"5444|triệu đồng", "200|tờ/xã", "0.4|điểm phần trăm/năm", "115|nam/100 nữ"} <= vi
    zh = {f.key for f in corpus_facts[SUINING] if f.type == "amount"}
    assert {"1015.49|万元", "75|元/月", "4620|元/年", "15332.27|万元"} <= zh
    targets = {f.key for f in corpus_facts[CHENZHOU] if f.type == "amount" and f.payload.target}
    assert {"2.9|万张", "35|张", "30|%"} <= targets


def test_counts_that_are_neither_targets_nor_rates_are_left_out(corpus_facts):
    keys = {f.key for f in corpus_facts[SUINING] if f.type == "amount"}
    assert "989|人" not in keys  # "90岁以上老年人989人": a head count, 以上 belongs to the age
    assert "42|人" not in keys


def test_unseen_vietnamese_plan():
    doc = _doc(
        "KẾ HOẠCH\nTHỰC HIỆN CHƯƠNG TRÌNH X GIAI ĐOẠN 2021-2025\nI. Mục tiêu\n"
        "- Phấn đấu đến năm 2025 có ít nhất 80% xã đạt chuẩn.\n"
        "II. Tổ chức thực hiện\n1. Sở Lao động - TBXH\n"
        "- Chủ trì, phối hợp với Sở Tài chính, Sở GD&ĐT hướng dẫn các huyện triển khai Kế hoạch; "
        "tổng hợp, báo cáo UBND tỉnh trước ngày 15/12 hằng năm.\n"
        "2. Sở Tài chính\nPhối hợp với Sở LĐTBXH bố trí kinh phí thực hiện Kế hoạch.\n"
        "Tổ chức sơ kết việc triển khai Kế hoạch vào Quý II năm 2023.\n"
    )
    facts = extract_document(doc)
    roles = {(f.payload.agency.id, f.payload.role) for f in facts if f.type == "responsibility"}
    assert {("so-lao-dong-thuong-binh-xa-hoi", "lead"), ("so-tai-chinh", "support")} <= roles
    keys = {f.key for f in facts if f.type == "deadline"}
    assert {"FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=15", "2023-04-01..2023-06-30"} <= keys
    assert "80|%" in {f.key for f in facts if f.type == "amount"}


def test_unseen_chinese_plan():
    doc = _doc(
        "关于加强困难老年人关爱服务的实施方案\n一、保障对象\n"
        "凡年满80周岁且家庭人均收入低于当地低保标准的老年人，可申请护理补贴，补贴标准为每人每月200元。\n"
        "二、组织实施\n（一）县民政局牵头，会同县财政局制定实施细则，于2024年6月底前报县人民政府。\n"
        "（二）县财政局负责落实补贴资金。\n（三）各乡镇要于每年12月10日前将补贴对象名单报送县民政局。\n"
    )
    facts = extract_document(doc)
    roles = {(f.payload.agency.id, f.payload.role) for f in facts if f.type == "responsibility"}
    assert {("民政局", "lead"), ("财政局", "lead"), ("人民政府", "lead")} <= roles
    keys = {f.key for f in facts if f.type == "deadline"}
    assert {"FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=10", "2024-06-01..2024-06-30"} <= keys
    assert any(f.type == "eligibility" and f.quote.startswith("凡年满80周岁") for f in facts)
    assert "200|元" in {f.key for f in facts if f.type == "amount"}


def test_odd_text_does_not_crash():
    for text in ("", "1.", "- ;;;", "Sở", "民政局要", "trước ngày 99/99/9999 hằng năm", "III. TỔ CHỨC THỰC HIỆN\n1. Sở Y tế:\n"):
        extract_document(Document("x.txt", text, extract_metadata(text or "x", "x"), "0"))
