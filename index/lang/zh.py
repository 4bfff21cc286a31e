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
# Used by index/metadata.py and index/ingest/cleanup.py on NFC text where a rebuilt table row
# reads "cell | cell".

# 文号: "郴政办发〔2018〕18号"; scraped pages also write [2018], （2018） or ［2018］
_NUMBER = f"[{CJK}]{{1,12}}\\s*[〔\\[［(（]\\s*\\d{{4}}\\s*[〕\\]］)）]\\s*\\d{{1,5}}\\s*号"
_NUMBER_PARTS = re.compile(
    f"(?P<org>[{CJK}]+)\\s*[〔\\[［(（]\\s*(?P<y>\\d{{4}})\\s*[〕\\]］)）]\\s*(?P<n>\\d+)\\s*号"
)
NUMBER_CUE = re.compile(f"(?:文号|发文字号)\\s*[：:]\\s*(?P<num>{_NUMBER})")
# A 文号 alone on its line, or a page title "郴政办发〔2018〕18号 关于…的实施意见" (fullmatch).
# A 文号 inside a sentence ("…的通知》（绥财绩〔2023〕1号）") cites another document: never matched.
NUMBERED_TITLE = re.compile(f"(?P<num>{_NUMBER})(?:\\s*(?P<title>[^\\s，。].*))?")
DOC_TYPE_LINE = None  # Chinese titles sit on one line
_DOC_TYPES = "实施意见|指导意见|意见|通知|通告|公告|决定|报告|方案|办法|规定|细则|规划|计划|纲要|条例|批复|要点|总结"
# "2022年度部门整体支出绩效自评报告" (fullmatch; "附件1" before it is dropped)
TITLE_LINE = re.compile(f"(?:附件\\s*[\\d-]*\\s*)?(?P<title>[^，。；！？\\s]{{2,80}}?(?:{_DOC_TYPES}))")


def normalize_number(raw: str) -> str:
    m = _NUMBER_PARTS.search(raw)
    return f"{m['org']}〔{m['y']}〕{m['n']}号" if m else re.sub(r"\s+", "", raw)


# The body starts at "一、" or "第一章/条"; the header is above it (match)
BODY_START = re.compile("一[、.．]|第一[章条部编]")
# Opening lines that cite other documents: their periods are not the plan's own (match)
CITATION = re.compile("根据|按照|依据|为贯彻|为落实")


# Dates of issue: the 成文日期 line under the title or the signature, then the page's own fields
# (登记日期 is when the website registered it: a fallback only).
_YMD = r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
_DATE_LINE = re.compile(f"^[（(]?{_YMD}[）)]?$")
_FIELD_DATE = r"\s*[：:]\s*(?P<y>\d{4})\s*[-年./]\s*(?P<m>\d{1,2})\s*[-月./]\s*(?P<d>\d{1,2})"
DATE_RULES = (
    (_DATE_LINE, "head"),
    (_DATE_LINE, "tail"),
    (re.compile(f"(?:成文日期|发文日期|签发日期|签署日期){_FIELD_DATE}"), "head"),
    (re.compile(f"(?:登记日期|发布日期|公开日期){_FIELD_DATE}"), "head"),
)

# Issuing body on its own line, maybe in brackets: "郴州市人民政府办公室", "（绥宁县民政局）" (fullmatch)
ISSUER_LINE = re.compile(
    f"[（(]?(?P<issuer>[{CJK}]{{2,24}}?(?:人民政府办公室|人民政府办公厅|人民政府|人大常委会|委员会"
    f"|办公室|办公厅|局|厅|委|署|院|部|中心))[）)]?"
)
# The place an issuer's name starts with: "郴州市", "绥宁县", "郴州市北湖区" (match at the start)
_PLACE = re.compile(f"(?:[{CJK}]{{2,7}}?(?:省|自治区|市|自治州|地区|盟|县|区|旗)){{1,2}}")


def find_issuer(head: list[str], lines: list[str], number: str | None) -> tuple[str | None, str | None]:
    """("郴州市人民政府办公室", "郴州市"): the body named on its own line in the header or signature."""
    for line in [*head, *lines[-12:]]:
        if m := ISSUER_LINE.fullmatch(line):
            place = _PLACE.match(m["issuer"])
            return m["issuer"], place.group(0) if place else None
    return None, None


# Periods: "（2021—2025年）", "“十四五”" and, in a title only, "2022年度" (search)
_SPAN = re.compile(r"(?P<a>\d{4})\s*[-—–~至到]\s*(?P<b>\d{4})\s*年")
_FIVE_YEAR_PLANS = {"十一五": (2006, 2010), "十二五": (2011, 2015), "十三五": (2016, 2020),
                    "十四五": (2021, 2025), "十五五": (2026, 2030)}
_FIVE_YEAR = re.compile("|".join(_FIVE_YEAR_PLANS))
_YEAR = re.compile(r"(?P<b>\d{4})\s*年度")
# Fallback: the target year of the plan's own objectives ("（三）发展目标。到2020年，…")
OBJECTIVES_CUE = re.compile(r"发展目标|主要目标|工作目标|总体目标")
TARGET_YEAR = re.compile(r"到\s*(?P<b>\d{4})\s*年")


def read_period(text: str, in_title: bool) -> tuple[str, int] | None:
    """("2021-2025", 2025): a period stated in ``text``; None when there is none."""
    if m := _SPAN.search(text):
        return f"{m['a']}-{m['b']}", int(m["b"])
    if in_title and (m := _FIVE_YEAR.search(text)):
        a, b = _FIVE_YEAR_PLANS[m.group(0)]
        return f"{a}-{b}", b
    if in_title and (m := _YEAR.search(text)):
        return m["b"], int(m["b"])
    return None


# Page chrome and back matter (cleanup). Whole lines only; nothing here may match real content.
_SITE_FIELDS = (
    "索引号|统一登记号|公开方式|公开范围|信息时效期|签署日期|登记日期|所属机构|所属主题|发文日期"
    "|公开责任部门|发布机构|发布日期|成文日期|主题分类|有效性|发文机关|文号"
)
_NAV = "网站地图|网站帮助|联系我们|关于我们|设为首页|加入收藏|网站声明|隐私声明|使用帮助|无障碍浏览"
CHROME_PATTERN = re.compile(
    "扫一扫在手机打开当前页|扫一扫在手机上查看当前页面|打印|分享|关闭|关闭窗口|返回顶部|上一篇.*|下一篇.*"
    "|【(?:打印|关闭|字体|我要打印|关闭窗口)[^】]*】.*|字号[：:]?\\s*大\\s*中\\s*小"
    f"|(?:{_NAV})(?:\\s*[|｜]\\s*(?:{_NAV}))*"
    "|(?:主办单位|承办单位|协办单位|联系电话|联系地址|网站标识码|技术支持|备案/许可证编号|ICP备案号)[：:].*"
    "|.{0,20}公网安备.{0,30}|.{0,20}ICP备\\s*\\d+号.{0,30}|版权所有.*"
    "|[（(]此件[^）)]{0,10}公开[^）)]{0,6}[）)]|[（(]此件不公开[）)]"
    f"|(?:{_SITE_FIELDS})\\s*[：:]\\s*"  # a page field left empty ("签署日期：")
    "|抄送[：:].*"
)
# Headers of link lists ("相关文章" then "» …" lines) and attachment lists ("文档附件：" then "….doc")
LINK_LIST_HEADERS = ("相关文章", "相关链接", "相关阅读", "相关新闻", "相关文件", "文档附件", "附件下载")
RECIPIENTS = RECIPIENT_ITEM = None  # 抄送 is one line: CHROME_PATTERN drops it
SIGNATURE_LINE = None  # the issuer and date under a Chinese text are kept: they date it
SIGNER_NAME = None
# A PDF page's number line: "第3页", "第 3 页 共 10 页", "共10页 第3页" (fullmatch)
PAGE_NUMBER = re.compile(r"第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页")


def continues(prev: str, line: str) -> bool:
    """A sentence cut mid-word: "…加强社区综合服" / "务设施建设". The previous line must be prose
    (it has inner punctuation), not a heading like "成绩六：坚决守住民政领域安全底线", and the
    line must not open an annex ("附件：…")."""
    return (
        bool(CJK_RUN.match(prev[-1:])) and bool(CJK_RUN.match(line[:1]))
        and bool(re.search("[，。；]", prev)) and not line.startswith("附件")
    )

# --- end metadata --------------------------------------------------------------------------------

# --- facts ---------------------------------------------------------------------------------------
# (responsibility roles, deadline and date forms, eligibility and amount cues for fact extraction)

# --- end facts -----------------------------------------------------------------------------------
