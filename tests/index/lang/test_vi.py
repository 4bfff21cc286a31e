import pytest

from index.lang import question_lang, vi


def test_fold_removes_every_diacritic_including_d_stroke():
    assert vi.fold("Hồ sơ đề nghị Ủy ban nhân dân tỉnh Đắk Lắk") == "Ho so de nghi Uy ban nhan dan tinh Dak Lak"


def test_bare_and_marked_questions_give_the_same_tokens():
    marked = vi.tokens("Hồ sơ đề nghị khen thưởng gửi chậm nhất khi nào?")
    bare = vi.tokens("ho so de nghi khen thuong gui cham nhat khi nao")
    assert marked == bare
    assert "khen_thuong" in bare  # syllable pairs stand in for compound words


def test_numbers_and_dates_stay_whole_and_also_split():
    toks = vi.tokens("chậm nhất 30/12 hàng năm, kinh phí 5.444 triệu đồng")
    assert "30/12" in toks and "30" in toks and "12" in toks
    assert "5.444" in toks


def test_stopwords_do_not_swallow_content_syllables():
    # "cơ quan" folds to "co quan": "co" must survive although "có" is a function word
    assert "co_quan" in vi.tokens("Cơ quan nào chủ trì?")


@pytest.mark.parametrize(
    "question, compound, asking",
    [
        ("neu co vuong mac thi phan anh ve co quan nao", "phan_anh", "anh"),  # the pronoun, or "ánh"
        ("neu co vuong mac thi phan anh ve co quan nao", "co_quan", "co"),  # "có", or "cơ"
        ("von dau tu lay tu nguon nao", "dau_tu", "dau"),  # "đâu" and "từ", or "đầu tư"
        ("xa duoc toi da bao nhieu diem", "toi_da", "toi"),  # "tôi", or "tối"
    ],
)
def test_a_word_of_asking_typed_without_marks_keeps_its_compounds(question, compound, asking):
    """Without marks "anh", "co", "dau", "toi" may be words of asking or half of a compound: the
    syllable is still left out, its pair is kept for BM25 to match or not."""
    tokens = vi.tokens(question, question="bare")
    assert compound in tokens and asking not in tokens


def test_a_word_of_asking_keeps_the_same_pairs_with_marks_and_without():
    """"lấy từ nguồn nào": "từ" asks, but the plans write "từ nguồn"; typed either way, the question
    searches the same pairs."""
    marked = vi.tokens("Kinh phí lấy từ nguồn nào?", question="marked")
    assert "tu_nguon" in marked and "tu" not in marked
    assert marked == vi.tokens("kinh phi lay tu nguon nao", question="bare")


def test_restorer_puts_back_diacritics_from_corpus_spellings():
    corpus = [
        "Hồ sơ đề nghị UBND tỉnh khen thưởng gửi về Sở Lao động chậm nhất 30/12 hàng năm.",
        "Sở Y tế phối hợp thực hiện giám sát. Sở Y tế chủ trì.",
    ]
    restorer = vi.DiacriticRestorer.from_texts(corpus)
    assert restorer.restore("ho so de nghi khen thuong gui cham nhat khi nao") == (
        "hồ sơ đề nghị khen thưởng gửi chậm nhất khi nào"
    )
    assert restorer.restore("So y te phoi hop gi") == "Sở y tế phối hợp gì"


def test_restorer_keeps_unknown_words_and_marked_words_as_typed():
    restorer = vi.DiacriticRestorer.from_texts(["Sở Y tế chủ trì."])
    assert restorer.restore("xyzzy Sở y te") == "xyzzy Sở y tế"


def test_question_language():
    assert question_lang("2022年绥宁县残疾人两项补贴标准提高到多少？") == "zh"
    assert question_lang("ho so de nghi khen thuong") == "vi"
    assert question_lang("Kon Tum 的计划什么时候报告？") == "zh"
    assert vi.looks_vietnamese("ho so de nghi khen thuong gui cham nhat khi nao")
    assert not vi.looks_vietnamese("what is the deadline")


@pytest.mark.parametrize(
    "question, unit",
    [
        ("Kon Tum có bao nhiêu xã đặc biệt khó khăn?", "xa"),
        ("ho so phai nop may bo", "bo"),
        ("Hồ sơ phải nộp mấy bộ?", "bo"),
        ("Bị phạt tù từ bao nhiêu đến bao nhiêu năm?", "time"),  # the first cue counts nothing
        ("Chậm nhất bao nhiêu tiếng trước khi tàu rời cảng phải nộp giấy tờ?", "time"),
        ("cap lai giay phep thi mat bao lau", "time"),
        ("Mỗi xã được hỗ trợ bao nhiêu tiền?", "money"),
        ("Mức hỗ trợ cho mỗi xã là bao nhiêu?", "money"),
        ("Đến 2030 tỷ lệ cơ sở áp dụng là bao nhiêu?", "percent"),
        ("Giá in tờ rơi bao nhiêu một tờ?", None),  # "một tờ" is per sheet, not a count of sheets
        ("Tỷ số giới tính khi sinh đạt bao nhiêu năm 2020?", None),  # "năm 2020" names a year
        ("Cổng thông tin có máy chủ ở đâu?", None),  # "máy", not "mấy"
        ("Chiến lược được xây dựng cho chu kỳ bao nhiêu lâu?", None),
    ],
)
def test_the_thing_a_figure_question_counts(question, unit):
    assert vi.asked_unit(question) == unit


@pytest.mark.parametrize(
    "text, span",
    [
        ("Chậm nhất 12 (mười hai) giờ, trước khi tàu rời cảng", "12 (mười hai) giờ"),
        ("Thời hạn giải quyết: 15 Ngày làm việc", "15 Ngày"),
        ("Ba năm liên tiếp hoạt động không hiệu quả", "Ba năm"),
        ("hàng năm tổ chức sơ kết", "hàng năm"),
        ("Quyết định ngày 15 tháng 3 năm 2020", None),  # a date, not a span
        ("Kế hoạch năm 2020", None),
    ],
)
def test_a_span_of_time_answers_how_long_in_any_unit(text, span):
    m = vi.SPAN_OF_TIME.search(text)
    assert (m.group(0) if m else None) == span


def test_a_count_is_a_figure_followed_by_the_thing_counted():
    assert vi.counts("Địa bàn triển khai: 300 xã của 20 huyện", "xa")
    assert vi.counts("Hồ sơ gồm hai bộ", "bo")
    assert not vi.counts("Nếu đạt từ 650 điểm trở lên thì xã được công nhận", "xa")
    assert vi.MONEY_FIGURE.search("5 triệu/huyện") and vi.MONEY_FIGURE.search("650.000/xã")
    assert not vi.MONEY_FIGURE.search("đạt từ 850 điểm trở lên")


@pytest.mark.parametrize(
    "question, kind",
    [
        ("dia chi website cong thong tin truy xuat nguon goc la gi", "url"),
        ("Kết quả được đăng trên trang web nào?", "site"),
        ("Số điện thoại đường dây nóng là bao nhiêu?", "phone"),
        ("Cổng thông tin truy xuất nguồn gốc do ai vận hành?", None),  # about the portal, not its address
    ],
)
def test_questions_asking_for_an_address_or_a_phone_number(question, kind):
    assert vi.asked_contact(question) == kind
