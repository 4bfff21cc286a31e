"""Chinese character pairs: every neighbouring pair of a document, only the content of a question."""

import pytest

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



@pytest.mark.parametrize(
    "question, unit",
    [
        ("昆嵩省有多少个乡被认定为适合儿童的乡？", "个乡"),
        ("每个乡发放多少张宣传单？", "张"),
        ("免征企业所得税几年？", "time"),
        ("停泊后最晚几个小时内要交材料？", "time"),
        ("过了试用期想辞职，要提前多久？", "time"),
        ("每人能拿多少培训补贴？", "money"),  # no unit after 多少: the money word in the question
        ("部门预算总额是多少？", "money"),
        ("护理型床位的比例是多少？", "percent"),
        ("培训安排在哪几年进行？", None),  # which years, not how many
        ("总床位数是多少？", None),
    ],
)
def test_the_thing_a_figure_question_counts(question, unit):
    assert zh.asked_unit(question) == unit


@pytest.mark.parametrize(
    "text, span",
    [
        ("劳动者在试用期内提前三日通知用人单位", "三日"),
        ("竞业限制期限，不得超过二年", "二年"),
        ("应当在15个工作日内办结", "15个工作日"),
        ("缴费截止时间为2024年12月20日", None),  # a date, not a span
    ],
)
def test_a_span_of_time_answers_how_long_in_any_unit(text, span):
    m = zh.SPAN_OF_TIME.search(text)
    assert (m.group(0) if m else None) == span


def test_a_count_is_a_figure_with_the_thing_counted():
    assert zh.counts("全市共120个乡镇", "个乡") and zh.counts("建成养老服务中心12个", "个乡")
    assert zh.counts("自受理申请后10个工作日内颁发许可证", "天")  # working days answer "多少天"
    assert zh.counts("三年内免征", "年")
    assert not zh.counts("到2020年全市养老床位总数达到2.9万张", "年")  # a year of the calendar
    assert zh.MONEY_FIGURE.search("捐资207.2816万元") and not zh.MONEY_FIGURE.search("特困供养人员1340人")


@pytest.mark.parametrize(
    "question, kind",
    [("评估结果在哪个网站公示？", "site"), ("门户网站联系电话多少", "phone"), ("网格化管理由谁负责？", None)],
)
def test_questions_asking_for_an_address_or_a_phone_number(question, kind):
    assert zh.asked_contact(question) == kind
