"""One id per agency whatever the spelling, abbreviation, case or diacritics."""

import pytest

from index.facts.agencies import canonical, find_agencies, matches, nearest, resolve


@pytest.mark.parametrize(
    "spellings, agency_id",
    [
        (["Sở Lao động - TB&XH", "Sở LĐTBXH", "Sở Lao động, Thương binh và Xã hội", "Sở Lao động - Thương binh và Xã hội",
          "Sở Lao động - TBXH", "sở lao động thương binh xã hội", "so ldtbxh", "SO LAO DONG - TB&XH", "Sở LĐ-TB&XH"],
         "so-lao-dong-thuong-binh-xa-hoi"),
        (["Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", "sở Kế hoạch - Đầu tư", "so ke hoach dau tu", "Sở KHĐT"], "so-ke-hoach-dau-tu"),
        (["Sở Y tế", "Sở Y Tế", "so y te", "SỞ Y TẾ"], "so-y-te"),
        (["Sở Tài chính", "so tai chinh"], "so-tai-chinh"),
        (["Sở Giáo dục và Đào tạo", "Sở Giáo dục - Đào tạo", "Sở GD&ĐT"], "so-giao-duc-dao-tao"),
        (["Sở Văn hóa, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du Lịch", "Sở Văn hoá, Thể thao và Du lịch", "Sở VHTTDL"],
         "so-van-hoa-the-thao-du-lich"),
        (["Sở Khoa học và Công nghệ", "Sở KH&CN", "so khoa hoc cong nghe"], "so-khoa-hoc-cong-nghe"),
        (["Chi cục Dân số - KHHGĐ", "Chi cục DS-KHHGĐ", "Chi cục Dân số -KHHGĐ", "Chi cục Dân Số-KHHGĐ", "Chi cục Dân số- KHHGĐ",
          "Chi cục Dân số và Kế hoạch hóa gia đình", "Chi cục Dân số và kế hoạch hóa gia đình"], "chi-cuc-dan-so-khhgd"),
        (["UBND tỉnh", "Ủy ban nhân dân tỉnh", "Uỷ ban nhân dân tỉnh", "ubnd tinh"], "uy-ban-nhan-dan-tinh"),
        (["UBND các huyện, thành phố", "Ủy ban nhân dân cấp huyện", "Ủy ban nhân dân các huyện, thị xã, thành phố"], "uy-ban-nhan-dan-huyen"),
        (["Ủy ban nhân dân cấp xã, phường, thị trấn", "UBND các xã, phường, thị trấn", "Ủy ban nhân dân xã"], "uy-ban-nhan-dan-xa"),
        (["Công an tỉnh", "cong an tinh"], "cong-an-tinh"),
        (["县民政局", "民政局", "绥宁县民政局", "市民政局", "民政部门"], "民政局"),
        (["财政局", "县财政局", "县财政部门"], "财政局"),
        (["市发改委", "发展和改革委员会", "发改委"], "发改委"),
        (["卫健局", "卫生健康局"], "卫健局"),
    ],
)
def test_spellings_of_one_agency_share_its_id(spellings, agency_id):
    assert {canonical(s).id for s in spellings} == {agency_id}


def test_chinese_levels_are_kept_apart_from_the_id():
    assert canonical("县民政局").level == "县"
    assert canonical("绥宁县民政局").level == "县"
    assert canonical("市民政局").level == "市"
    assert canonical("民政局").level is None
    assert canonical("市场监督管理局").level is None  # 市 of 市场 is not a level


def test_a_level_in_the_query_narrows_chinese_matches():
    county, city, bare = canonical("县民政局"), canonical("市民政局"), canonical("民政局")
    assert matches(bare, county) and matches(bare, city)
    assert matches(county, county) and not matches(county, city)
    assert matches(county, bare)  # a fact whose text does not say the level


def test_bare_ubnd_matches_every_level():
    q = canonical("UBND")
    assert all(matches(q, canonical(n)) for n in ("UBND tỉnh", "UBND các huyện", "Ủy ban nhân dân cấp xã"))
    assert not matches(canonical("UBND tỉnh"), canonical("UBND các huyện"))


def test_mentions_in_a_sentence_with_offsets():
    text = "Chủ trì, phối hợp với Công an tỉnh, Sở Giáo dục - Đào tạo, Sở Y Tế, Sở Tư pháp, Ủy ban nhân dân các huyện, thành phố"
    found = find_agencies(text)
    assert [m.agency.id for m in found] == [
        "cong-an-tinh", "so-giao-duc-dao-tao", "so-y-te", "so-tu-phap", "uy-ban-nhan-dan-huyen"]
    assert [text[m.start : m.end] for m in found][:3] == ["Công an tỉnh", "Sở Giáo dục - Đào tạo", "Sở Y Tế"]


def test_a_job_title_is_not_the_ministry():
    # "cán bộ Lao động - Thương binh và Xã hội" are officials, not "Bộ Lao động …"
    assert find_agencies("tập huấn cho cán bộ Lao động - Thương binh và Xã hội") == []


def test_chinese_mentions_and_generic_references():
    found = find_agencies("市民政局、市发改委要会同有关部门加强指导")
    assert [(m.agency.id, m.agency.level) for m in found] == [("民政局", "市"), ("发改委", "市")]
    assert find_agencies("有关部门应按程序依据规划调整其土地使用性质") == []


def test_resolve_typed_queries_against_known_agencies():
    known = [canonical(n) for n in ("Sở Y tế", "Bộ Y tế", "Sở Lao động, Thương binh và Xã hội", "Các Sở quản lý chuyên ngành")]
    assert [a.id for a in resolve("so y te", known)] == ["so-y-te"]
    assert [a.id for a in resolve("Sở LĐTBXH", known)] == ["so-lao-dong-thuong-binh-xa-hoi"]
    assert {a.id for a in resolve("y te", known)} == {"so-y-te", "bo-y-te"}  # partial: every match
    assert [a.id for a in resolve("quản lý chuyên ngành", known)] == ["cac-so-quan-ly-chuyen-nganh"]
    assert resolve("Sở Xây dựng", known) == []


@pytest.mark.parametrize("typed, expected", [
    ("Sở Tài chánh", ["Sở Tài chính"]),  # misspelt
    ("Sở Văn hoá", ["Sở Văn hóa, Thể thao và Du lịch"]),  # the short name
    ("Phòng Lao động", ["Sở Lao động, Thương binh và Xã hội"]),  # another level's name
    ("Bộ Quốc phòng", []),  # nothing like it: no noise offered
    ("教育局", []),
])
def test_close_names_for_a_name_matching_no_agency(typed, expected):
    known = [canonical(n) for n in ("Sở Tài chính", "Sở Tư pháp", "Sở Văn hóa, Thể thao và Du lịch", "Công an tỉnh",
                                    "Sở Lao động, Thương binh và Xã hội", "Ủy ban Mặt trận Tổ quốc Việt Nam", "民政局")]
    assert [a.label for a in nearest(typed, known)] == expected
