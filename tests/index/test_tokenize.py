from index.tokenize import content_words, tokenize, tokenize_document, tokenize_question


def test_chinese_is_cut_into_words_not_whitespace_tokens():
    toks = tokenize("2022年绥宁县残疾人两项补贴标准提高到多少？")
    assert "残疾人" in toks and "补贴" in toks and "标准" in toks
    assert "多少" not in toks  # question words carry no content
    assert not any(len(t) > 8 for t in toks)  # no whole-sentence "token"


def test_full_width_digits_match_half_width():
    assert "2022" in tokenize("２０２２年度")


def test_mixed_scripts_are_tokenized_per_run():
    toks = tokenize("Kon Tum 的报告截止日期 30/12")
    assert {"kon", "tum", "kon_tum", "报告", "截止", "30/12"} <= set(toks)


def test_whole_documents_also_get_chinese_character_pairs():
    toks = tokenize_document("对新办小微企业给予一次性创业补贴")
    assert "小微" not in tokenize("对新办小微企业给予一次性创业补贴")  # jieba cuts it otherwise here ...
    assert "小微" in tokenize_question("小微企业创业补贴有多少？")  # ... than in the question
    assert {"小微", "微企", "企业", "创业"} <= set(toks)  # the pair still matches
    assert set(tokenize("对新办小微企业给予一次性创业补贴")) <= set(toks)  # words stay


def test_the_question_side_of_whole_documents_drops_the_words_of_asking_and_their_pairs():
    toks = tokenize_document("2022年绥宁县残疾人两项补贴标准提高到多少？", question=True)
    assert {"残疾人", "残疾", "疾人", "补贴", "标准"} <= set(toks)
    assert "多少" not in toks and "到多" not in toks
    assert tokenize_document("有哪些？是多少？", question=True) == []
    assert "哪些" in tokenize_document("有哪些？是多少？")  # a document keeps them


def test_vietnamese_tokens_are_the_same_for_whole_documents():
    text = "Hồ sơ đề nghị khen thưởng gửi chậm nhất khi nào? Sở Y tế chủ trì"
    assert tokenize_document(text) == tokenize(text)
    assert tokenize_document(text, question=True) == tokenize_question(text)
    mixed = tokenize_document("Kon Tum 的报告截止日期")
    assert {"kon_tum", "报告", "告截", "截止"} <= set(mixed)


def test_vietnamese_words_of_asking_are_told_from_content_words_by_their_marks():
    toks = tokenize_question("Tôi muốn hỏi cán bộ hội đồng được vay vốn tối đa bao nhiêu?")
    # folded alike, but content: "cán bộ", "hội đồng", "vay vốn", "tối đa"
    assert {"can_bo", "hoi_dong", "vay_von", "toi_da"} <= set(toks)
    assert not {"muon", "bao", "nhieu"} & set(toks)  # "tôi muốn hỏi … bao nhiêu" (their pairs stay, for BM25)
    assert {"tre_em"} <= set(tokenize_question("Xã phù hợp với trẻ em cần bao nhiêu điểm?"))


def test_a_question_typed_without_marks_drops_the_words_of_asking_by_their_bare_spelling():
    toks = tokenize_question("toi muon hoi ho tro bao nhieu")
    assert [t for t in toks if "_" not in t] == ["ho", "tro"] and "ho_tro" in toks


def test_a_percent_sign_matches_the_words_phan_tram():
    assert {"phan_tram"} <= set(tokenize("Phát triển ít nhất 70% tổ chức")) & set(tokenize_question("bao nhiêu phần trăm tổ chức"))


def test_content_words_count_what_a_question_asks_with():
    assert content_words("kinh phí thực hiện từ đâu?") == ["kinh", "phi", "thuc", "hien"]  # no pairs, no "từ đâu"
    assert content_words("thoi han bao lau?") == ["thoi", "han", "lau"]
    assert content_words("那需要什么材料？") == ["材料"]
