"""Everything specific to Chinese: words (jieba), headings, question cues, document metadata."""

from __future__ import annotations

import logging
import re
import threading

# --- words ---------------------------------------------------------------------------------------
# BM25 runs over jieba's search-mode words: a long word and its parts ("残疾人", "残疾"), so a
# question phrased with a shorter or longer word still matches.

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{CJK}]+")

STOPWORDS = frozenset(
    "的 了 和 与 及 是 在 有 对 为 把 被 将 等 或 也 都 就 而 之 其 该 各 这 那 吗 呢 吧 啊 "
    "什么 哪些 哪个 哪 多少 几 怎么 怎样 如何 是否 请问 请 一下 我 我们 你 他们".split()
)

_jieba_lock = threading.Lock()
_jieba = None


def _segmenter():
    """jieba, loaded once on first use (its dictionary takes about a second)."""
    global _jieba
    with _jieba_lock:
        if _jieba is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            for word in USER_WORDS:
                jieba.add_word(word)
            _jieba = jieba
    return _jieba


# Policy terms jieba would otherwise split apart.
USER_WORDS = (
    "两项补贴", "残疾人两项补贴", "困难残疾人生活补贴", "重度残疾人护理补贴", "特困人员", "低保",
    "城乡低保", "临时救助", "养老机构", "护理型床位", "医养结合", "居家养老", "日间照料中心",
    "绩效自评", "一般公共预算", "政府性基金", "三公经费", "民政局", "财政局", "绥宁县", "郴州市",
)


def words(text: str) -> list[str]:
    """Content words of a CJK run, search-mode (overlapping) segmentation."""
    return [w for w in _segmenter().cut_for_search(text) if w.strip() and w not in STOPWORDS]


# --- sentences -----------------------------------------------------------------------------------
SENTENCE_BREAK = re.compile(r"(?<=[。！？；!?])(?![”’」』）)])")
CLAUSE_BREAK = re.compile(r"(?<=[，、：,:])")


# --- headings ------------------------------------------------------------------------------------
# Chinese documents number their parts 一、 （一） 1. （1） ①, and regulations 第X章 / 第X条.

_ZH_NUM = "一二三四五六七八九十百零〇两"
HEADING_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("zh-chapter", re.compile(f"^第[{_ZH_NUM}\\d]+[章编节]\\s*")),
    ("zh-article", re.compile(f"^第[{_ZH_NUM}\\d]+条\\s*")),
    ("zh-num", re.compile(f"^[{_ZH_NUM}]+[、.．]\\s*")),
    ("zh-paren-num", re.compile(f"^[（(][{_ZH_NUM}]+[）)]\\s*")),
    ("zh-arabic", re.compile(r"^\d{1,2}[、.．](?!\d)\s*")),
    ("zh-paren-arabic", re.compile(r"^[（(]\d{1,2}[）)]\s*")),
    ("zh-circled", re.compile("^[\u2460-\u2473]\\s*")),
]

# --- question types ------------------------------------------------------------------------------

QUESTION_CUES: dict[str, tuple[str, ...]] = {
    "deadline": ("什么时候", "何时", "截止", "期限", "之前", "以前", "多久", "哪一年", "几月", "时间", "日期", "何日", "前完成"),
    "responsibility": ("哪个部门", "哪些部门", "谁负责", "负责", "牵头", "配合", "职责", "由谁", "主管", "责任", "哪个单位", "哪些单位", "职能"),
    "eligibility": ("条件", "资格", "对象", "哪些人", "谁可以", "能否", "可以申请", "符合", "材料", "需提交", "申请", "范围", "享受"),
    "amount": ("多少钱", "金额", "资金", "经费", "预算", "补贴标准", "补助标准", "万元", "元", "支出", "收入", "多少"),
    "target": ("目标", "达到", "比例", "覆盖率", "指标", "到2020年", "不低于", "以上", "率"),
}

ANSWER_CUES: dict[str, tuple[str, ...]] = {
    "deadline": ("年", "月", "日", "前", "每年", "期间", "截至", "底"),
    "responsibility": ("负责", "牵头", "配合", "主管", "承担", "职责", "部门", "局"),
    "eligibility": ("符合", "条件", "对象", "凡", "申请", "提交", "材料", "享受"),
    "amount": ("万元", "元", "亿元", "资金", "经费", "预算", "标准"),
    "target": ("达到", "以上", "不低于", "不超过", "%", "率", "建成", "目标"),
}

_NUM = r"\d[\d.,，]*"
FACT_PATTERNS: dict[str, re.Pattern[str]] = {
    "deadline": re.compile(r"\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日|每年|每季度|之前|以前|前完成|年底|底前|截至"),
    "amount": re.compile(rf"{_NUM}\s*(?:万元|亿元|元|万)|{_NUM}\s*%|资金|经费|预算"),
    "target": re.compile(rf"{_NUM}\s*(?:%|张|家|个|人|万)|达到|以上|不低于|不超过|覆盖"),
    "responsibility": re.compile(rf"[{CJK}]{{1,12}}(?:局|部门|委员会|委|办公室|办|中心|政府)|负责|牵头|配合|主管|承担"),
    "eligibility": re.compile(r"符合|条件|对象|凡|申请|提交|材料|享受|纳入"),
}

LABELS = {
    "answer": "答复",
    "source": "来源",
    "section": "章节",
    "number": "文号",
    "date": "日期",
    "quote": "原文",
    "period_ended": "注意：该文件适用于{period}，实施期已结束。",
    "more": "其他相关段落",
}

NOT_FOUND = "在现有文件中没有找到相关内容。请换个问法，或写明文件、地区或部门名称。"

# --- metadata ------------------------------------------------------------------------------------
# (文号, issuing bodies, dates of issue, implementation periods)

# --- end metadata --------------------------------------------------------------------------------
