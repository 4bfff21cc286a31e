from index.tokenize import tokenize


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
