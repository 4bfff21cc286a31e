"""Sino-Vietnamese readings: a question reaches the other language's words it reads as."""

from __future__ import annotations

from index.lang.sinoviet import ReadingBridge, reading


def test_a_chinese_word_reads_as_folded_vietnamese_syllables():
    assert reading("康养") == "khang_duong"
    assert reading("郴州") == "sam_chau"
    assert reading("民政局") == "dan_chinh_cuc"
    assert reading("丄丅") is None  # characters without a reading


def test_a_vietnamese_question_reaches_the_chinese_words_it_reads_as():
    bridge = ReadingBridge(["康养", "中心", "床位", "规模", "quy_mo"])
    found = bridge.chinese("Sâm Châu xây trung tâm khang dưỡng quy mô bao nhiêu giường?")
    assert found == ["中心", "康养"]  # 规模: the Vietnamese texts say "quy mô" themselves
    # typed without diacritics, and the words of asking never read as anything
    assert bridge.chinese("trung tam khang duong bao nhieu") == ["中心", "康养"]


def test_a_longer_run_reaches_a_longer_word():
    bridge = ReadingBridge(["社会救助", "社会", "救助"])
    assert bridge.chinese("chính sách xã hội cứu trợ") == ["社会", "救助", "社会救助"]
    # only a run of neighbouring content words: "xã hội" and "cứu trợ" apart are no 社会救助
    assert bridge.chinese("xã hội có cứu trợ không") == ["社会", "救助"]


def test_a_chinese_question_reaches_the_vietnamese_pairs_its_words_read_as():
    bridge = ReadingBridge(["thanh_hoa", "hoa_tinh", "tai_chinh", "财政"])
    assert bridge.vietnamese(["清化省", "财政", "多少"]) == ["thanh_hoa", "hoa_tinh"]  # 财政: the Chinese texts have it


def test_single_characters_read_as_nothing():
    bridge = ReadingBridge(["支", "chi"])
    assert bridge.chinese("chi bao nhiêu") == []
    assert bridge.vietnamese(["支"]) == []
