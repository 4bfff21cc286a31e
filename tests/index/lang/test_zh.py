"""Chinese character pairs: every neighbouring pair of a document, only the content of a question."""

from index.lang import zh


def test_a_run_gives_every_neighbouring_pair():
    assert zh.pairs("残疾人补贴") == ["残疾", "疾人", "人补", "补贴"]
    assert zh.pairs("县") == []  # one character: its word is enough


def test_question_words_make_no_pairs_and_pairs_do_not_reach_across_them():
    pairs = zh.question_pairs("哪些部门负责养老服务")
    assert "哪些" not in pairs and "些部" not in pairs
    assert {"部门", "负责", "养老", "服务"} <= set(pairs)
    assert "多少" not in zh.question_pairs("补贴标准是多少") and "是多" not in zh.question_pairs("补贴标准是多少")
    assert zh.question_pairs("有哪些") == []  # nothing but asking: nothing to match

