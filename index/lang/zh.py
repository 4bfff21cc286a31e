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

# Words of asking, not of the thing asked about: dropped from questions only (documents keep them).
QUESTION_STOPWORDS = frozenset(
    "一共 总共 共 几 几个 几月 几年 几天 多少 多大 多久 多高 多长 什么样 什么 哪 哪些 哪个 哪项 哪种 哪里 哪儿 "
    "给 里 的话 由 要 可以 不用 是 有 吗 呢 请问 意思 怎么 怎么样 如何 能 会 需要 应该 应当 是否 "
    "还是 或者 呀 吧 啊 我 我们 你 您 他们 谁 为什么 为何 到底 究竟 "
    "哪天 哪一天 何时 什么时候 几号 这份 这个 这项".split()
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


# --- character pairs -----------------------------------------------------------------------------
# Whole-document BM25 also gets every pair of neighbouring Han characters ("残疾人补贴" → 残疾 疾人
# 人补 补贴): a question and a document that jieba cuts into different words still share pairs.
# Measured over NCPQA's whole documents (BM25 alone, hit@10 / MRR@10): jieba words 0.959 / 0.829,
# words plus pairs 0.975 / 0.871 (0.978 / 0.878 with pairs of the question's words of asking too,
# which a question of only such words would then match). A pair is spelled like a two-character
# word, so the two add up (pairs kept apart by a mark: 0.975 / 0.865).


def pairs(run: str) -> list[str]:
    """Overlapping character pairs of a CJK run (none for a single character)."""
    return [run[i : i + 2] for i in range(len(run) - 1)]


def question_pairs(run: str) -> list[str]:
    """Pairs of a question's CJK run, only of characters a content word covers: the words of asking
    and stop-words that the question's words leave out ("哪些", "多少", "的") make no pairs either,
    nor do pairs reach across them ("哪些部门负责" → 部门 门负 负责)."""
    kept = [False] * len(run)
    for word, start, end in _segmenter().tokenize(run, mode="search"):
        if word.strip() and word not in STOPWORDS and word not in QUESTION_STOPWORDS:
            kept[start:end] = [True] * (end - start)
    return [run[i : i + 2] for i in range(len(run) - 1) if kept[i] and kept[i + 1]]


# --- sentences -----------------------------------------------------------------------------------
SENTENCE_BREAK = re.compile(r"(?<=[。！？!?])(?![”’」』）)])")
CLAUSE_BREAK = re.compile(r"(?<=[，、：,:；;])")


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

# How answer selection tells a heading or list item inside a passage: "一、", "（一）", "（1）", "①".
ANSWER_HEADING_MARKER = "[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\\d]+[）)]"
LIST_ITEM_MARKER = "[\u2460-\u2473]"

# --- question types ------------------------------------------------------------------------------

# Words that ask (search): a cue holding one, or followed by one within ASKING_REACH characters
# ("材料有哪些"), says what the question asks for; a cue without ("材料", "部门") may only say what
# it is about (index/fields.py matched_cues)
ASKING = re.compile("多久|多长|多少|多大|几|什么|哪|谁|何|怎么|如何|吗|是否|能否|能不能|有没有|收不收")
ASKING_REACH = 4
QUESTION_CUES: dict[str, tuple[str, ...]] = {
    "deadline": ("什么时候", "何时", "截止", "期限", "之前", "以前", "多久", "多长时间", "几天", "多少天", "哪一年", "几月", "时间", "日期", "何日", "前完成",
                 "最晚", "最迟", "几个小时", "多少小时", "几个月", "多少个工作日"),
    "responsibility": ("哪个部门", "哪些部门", "谁负责", "负责", "牵头", "配合", "职责", "由谁", "主管", "责任", "哪个单位", "哪些单位", "职能"),
    "eligibility": ("条件", "资格", "对象", "哪些人", "谁可以", "能否", "可以申请", "符合", "材料", "需提交", "申请", "范围", "享受"),
    "amount": ("多少钱", "金额", "资金", "经费", "预算", "补贴标准", "补助标准", "万元", "元", "支出", "收入", "多少"),
    "target": ("目标", "达到", "比例", "覆盖率", "指标", "到2020年", "不低于", "以上", "率"),
}

# Questions that want a list: the reply is the lead-in with its items, not one item (search)
LIST_QUESTION = re.compile("包括哪些|包括什么|包含哪些|有哪些|有什么|哪些(?:内容|方面|措施|任务|项目|服务|材料|工作|形式|渠道|领域|政策)|哪几")
# A sentence that enumerates: "包括A、B、C", "A、B、C等", "：A；B" (search)
LIST_ANSWER = re.compile("包括|包含|主要有|如下|[^。；]+、[^。；]+、|：[^。]*；")
# Questions about the document itself, answered from its header (search); group "ask", where
# there is one, holds the words of asking alone (the rest names the document)
DOC_QUESTIONS: dict[str, re.Pattern[str]] = {
    # bare "哪天发的" only of a document: "补贴哪天发的" asks when money is paid
    "date": re.compile("(?:印发|发布|发文|成文|出台|签发|颁布|落款)(?:的)?(?:日期|时间)"
                       "|(?:什么时候|何时|哪天|哪一天|哪年哪月|几月几日|几号)(?:印发|发布|出台|发文|签发|颁布)"
                       "|(?:意见|通知|计划|方案|办法|文件|规定|决定|报告|条例)[^，。？?]{0,6}?(?P<ask>(?:什么时候|何时|哪天|哪一天|几月几日|几号)(?:发|出)的)"),
    "number": re.compile("文号|发文字号|文件编号"),
    "issuer": re.compile("(?:哪个|什么|哪一)(?:部门|单位|机关|机构)(?:印发|发布|制定|出台|发文)|发文(?:机关|单位)|由(?:谁|哪个部门)(?:印发|发布|制定)"),
}
# Questions that ask which document: the answer holds a document number (search)
REFERENCE_QUESTION = re.compile("(?:哪(?:个|项|份|一)?|什么)(?:文件|决议|决定|通知|意见|办法|规定|条例|计划|方案)")
DOC_REFERENCE = re.compile(f"[{CJK}]{{1,12}}\\s*[〔\\[［(（]\\s*\\d{{4}}\\s*[〕\\]］)）]\\s*\\d{{1,5}}\\s*号|《[^》]{{2,60}}》")

# A year written short in a question ("22年绥宁…" for 2022): its two digits (search)
SHORT_YEAR = re.compile(r"(?<![\d.,])(\d{2})\s*年(?!\d)")

NUMBER_CUES = ("多少", "几", "多大", "多久", "比例", "数量", "多高", "标准是")
# What that figure counts: the words right after 多少 / 几 ("多少个乡", "几年"; not 哪几, 几乎), or
# money or a share named anywhere in the question (search)
ASKED_COUNT = re.compile(f"(?<!哪)(?:多少|几(?!乎))(?P<unit>[{CJK}]{{0,3}})")
_MEASURES = "个位名家所项张次条台座场套份批届期"
_COUNTED = "年月天日周人户乡镇县村床岁"  # nouns counted without a measure word
_COUNTED_WORDS = ("小时", "分钟", "工作日", "星期")
ASKED_MONEY = re.compile("钱|元|资金|经费|预算|补贴|补助|金额|费用|价格|收费|奖励|奖金|工资")
ASKED_PERCENT = re.compile("比例|百分之|比率|占比|率(?:是|为|达到|能达到)?多少")
# a question that counts time ("几个小时", "多少天", "多久") is answered by a span of time in any
# unit (SPAN_OF_TIME): "02 (hai) giờ" answers "几个小时", "三十日" "多长时间"
TIME_UNITS = frozenset(("年", "月", "天", "日", "周", "小时", "分钟", "工作日", "星期"))
ASKED_TIME = re.compile("多久|多长时间|多少时间")
_DATE_PARTS = ("月", "日")


def asked_unit(question: str) -> str | None:
    """What a figure question counts: "money", "percent", "time", a measure word with its noun
    ("个乡"), a counted noun ("岁"), or None when the question does not say."""
    m = ASKED_COUNT.search(question)
    unit = m["unit"] if m else ""
    if ASKED_MONEY.match(unit):
        return "money"
    counted = ""
    if unit and unit[0] in _MEASURES:
        rest = unit[1:]
        noun = next((w for w in _COUNTED_WORDS if rest.startswith(w)), rest[:1] if rest[:1] in _COUNTED else "")
        if noun in TIME_UNITS:
            return "time"
        return unit[0] + noun  # "个乡"; a measure word alone counts whatever it counts
    if word := next((w for w in _COUNTED_WORDS if unit.startswith(w)), None):
        counted = word
    elif unit and unit[0] in _COUNTED:
        counted = unit[0]
    if counted:
        # "几月几日" asks a date, "几个月" a span of time
        return "time" if counted in TIME_UNITS and counted not in _DATE_PARTS else counted
    if ASKED_TIME.search(question):
        return "time"
    if ASKED_MONEY.search(question):
        return "money"
    if ASKED_PERCENT.search(question):
        return "percent"
    return None


# Questions that ask for a web address, a site, a phone number or an e-mail address (search)
ASKED_CONTACT = {
    "url": re.compile("网址|网站地址|网站链接|链接"),
    "site": re.compile("哪个网站|什么网站|哪个平台|哪个网|什么网"),
    "phone": re.compile("(?:电话|热线|手机)(?:号码|号)|(?:电话|热线)(?:是|为)?(?:多少|什么)|哪个电话|联系方式"),
    "email": re.compile("邮箱|电子邮件|email", re.I),
}
SITE_NAMED = re.compile("网站|门户网|[^，。；]网(?![格络点])|平台")


def asked_contact(question: str) -> str | None:
    """"url", "site", "phone" or "email" when the question asks for one, else None."""
    return next((kind for kind, pattern in ASKED_CONTACT.items() if pattern.search(question)), None)


_COUNT = "\\d[\\d.,]*|[一二三四五六七八九十百千万两]+"
MONEY_FIGURE = re.compile(f"(?:{_COUNT})\\s*(?:亿元|万元|千元|元|万(?![张个家人户名床项所]))|(?<![\\d.,])\\d{{1,3}}(?:,\\d{{3}})+(?![\\d.,]*\\d)")
PERCENT_FIGURE = re.compile("\\d\\s*[%％]|百分之|[一二三四五六七八九]成")


def counts(text: str, unit: str) -> bool:
    """Whether ``text`` states a figure of ``unit``: "120个乡" or "120个" for "个乡", "3年" for
    "年" (not a year of the calendar: "2020年")."""
    count = "(?<!\\d)\\d{1,3}(?![\\d.,]*\\d)|[一二三四五六七八九十两]+" if unit == "年" else _COUNT
    if unit[0] in _MEASURES:
        what = f"{unit[0]}|[{_MEASURES}]?\\s*{unit[1:]}" if len(unit) > 1 else unit[0]
    elif unit in ("天", "日"):  # "10个工作日" answers "多少天"
        what = "[个]?\\s*(?:天|日|工作日)"
    else:
        what = f"[{_MEASURES}]?\\s*{unit}"
    return bool(re.search(f"(?:{count})\\s*(?:{what})", text))


ANSWER_CUES: dict[str, tuple[str, ...]] = {
    "deadline": ("年", "月", "日", "前", "每年", "期间", "截至", "底"),
    "responsibility": ("负责", "牵头", "配合", "主管", "承担", "职责", "部门", "局"),
    "eligibility": ("符合", "条件", "对象", "凡", "申请", "提交", "材料", "享受"),
    "amount": ("万元", "元", "亿元", "资金", "经费", "预算", "标准"),
    "target": ("达到", "以上", "不低于", "不超过", "%", "率", "建成", "目标"),
}

_NUM = r"\d[\d.,，]*"
# a span of time ("15个工作日", "三十日", "二年", "两个小时"), not a date ("2024年12月20日"), or how
# often ("每年", "定期"): what "多久", "几天", "多久一次" ask for
SPAN_OF_TIME = re.compile(r"(?<![\d.,月])(?:\d{1,3}(?![\d.,]*\d)|[一二两三四五六七八九十百]+)\s*"
                          r"(?:个)?(?:工作日|日|天|周|星期|月(?!\d)|年(?!\d)|小时|分钟)|每(?:年|季度|月|周|天|日)|定期")
FACT_PATTERNS: dict[str, re.Pattern[str]] = {
    # a date, or a span of time
    "deadline": re.compile(r"\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日|之前|以前|前完成|年底|底前|截至|"
                           + SPAN_OF_TIME.pattern),
    "amount": re.compile(rf"{_NUM}\s*(?:万元|亿元|元|万)|{_NUM}\s*%|资金|经费|预算"),
    "target": re.compile(rf"{_NUM}\s*(?:%|张|家|个|人|万)|达到|以上|不低于|不超过|覆盖"),
    "responsibility": re.compile(rf"[{CJK}]{{1,12}}(?:局|部门|委员会|委|办公室|办|中心|政府)|负责|牵头|配合|主管|承担"),
    "eligibility": re.compile(r"符合|条件|对象|凡|申请|提交|材料|享受|纳入"),
}

# --- small talk ----------------------------------------------------------------------------------
# A whole message (without punctuation) that greets, thanks or acknowledges (index/lang small_talk)
SMALL_TALK = re.compile(
    "^(?:(?:你好|您好|大家好|嗨|哈喽|谢谢|多谢|感谢|谢啦|好的|好|嗯|嗯嗯|收到|明白了?|知道了|再见|拜拜|辛苦了)"
    "(?:你|您|啦|了|呀|啊|哈|哦|喔|机器人|小助手)*)+$"
)


def small_talk(words: str) -> bool:
    """Whether ``words`` (punctuation gone) only greet, thank or acknowledge."""
    return bool(SMALL_TALK.match(words.replace(" ", "")))


# --- labelled fields ------------------------------------------------------------------------------
# Service guides and records state one field a line, "办理时限：15个工作日"; index/chunking.py makes
# each field an addressable unit once labels recur. A label is a few Han characters before a colon.
FIELD_LABEL = re.compile(f"^(?P<label>[{CJK}、（）()]{{2,12}})\\s*[：:]\\s*(?=\\S)")
MAX_LABEL_WORDS = 1
# a field the page leaves empty says so ("联系电话：暂无信息"): no answer to quote ("收费标准：无" is
# one: there is no fee)
NO_INFORMATION = re.compile(r"(?:暂无|无)(?:相关)?信息|信息待(?:更新|补充)|待(?:更新|补充)")

# What a label says its field holds (characters of the label), and what a question asks for (cues
# found anywhere in it): a question of a kind prefers the field labelled for it.
FIELD_KINDS: dict[str, tuple[str, ...]] = {
    "deadline": ("时限", "期限", "时间", "截止", "日期"),
    "fee": ("收费", "费用", "缴费"),
    "benefit": ("补贴", "补助", "津贴", "发放标准", "待遇"),
    "validity": ("有效期", "有效"),
    "papers": ("材料", "证件", "要件"),
    "agency": ("部门", "机关", "机构", "单位"),
    "applicant": ("对象", "条件", "范围", "资格"),
    "place": ("地点", "地址", "窗口"),
    "method": ("方式", "流程", "程序"),
    "result": ("结果",),
}
ASKS: dict[str, tuple[str, ...]] = {
    "deadline": ("多久", "多长时间", "几天", "多少天", "几日", "期限", "时限", "什么时候", "何时", "截止", "哪天",
                 "最迟", "最晚", "提前多久", "工作日", "几个月", "几个小时", "多少小时"),
    "fee": ("收费", "费用", "收不收", "交多少", "缴费", "免费", "多少钱", "手续费"),
    "benefit": ("补贴多少", "补助多少", "津贴多少", "领多少", "发多少", "补贴标准", "补助标准", "能拿多少"),
    "validity": ("有效期", "多久有效", "有效多久"),
    "papers": ("材料", "证件", "带什么", "提交什么", "提供什么", "证明"),
    "agency": ("哪个部门", "哪个机关", "向哪", "找谁", "谁负责", "哪里申请", "哪个单位", "哪个机构", "谁来", "由谁"),
    "applicant": ("谁可以", "哪些人", "条件", "资格", "能不能", "是否可以", "可以要求", "能否", "有没有权"),
    "place": ("在哪", "哪里", "地点", "地址", "去哪"),
    "method": ("怎么办理", "如何申请", "方式", "网上"),
    "result": ("拿到什么", "发什么"),
}

# how a question names the country whose documents are in this language, in either language
# (lower case, Vietnamese without diacritics): "Theo luật Trung Quốc, …" asks about Chinese documents
COUNTRY_NAMES = ("trung quoc", "trung hoa", "中国")

# between a label and its value ("Nguồn: …", "来源：…")
COLON = "："
# a date as readers write it (ISO dates are for programs)
DATE_FORMAT = "{y}年{m}月{d}日"

LABELS = {
    "answer": "答复",
    "source": "来源",
    "section": "章节",
    "number": "文号",
    "date": "日期",
    "quote": "原文",
    "period_ended": "注意：该文件的实施期（{period}）已结束。",
    "more": "其他相关段落",
    "also_in": "相同内容另见",
    "also_more": "等另{n}份文件",
    "sections_more": "等{n}个章节",
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
# The characters that end a place's name by its level: "郴州市" is asked about as "郴州"
ADMIN_SUFFIXES = "省市县区旗州"
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
# Used by index/facts/ on NFC text.

# Role cues: the first one in a clause decides its role; a clause whose subject is an agency
# followed by one of FACT_DUTY_VERBS (要, 应, 负责, 牵头 …) is a duty of that agency.
FACT_ROLE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("lead", re.compile("牵头|负责|主管|承担|承办|会同|主责|统筹")),
    ("support", re.compile("配合|协助|协同|参与")),
)
FACT_CLAUSE_BREAK = re.compile("[；;]")
FACT_SENTENCE_BREAK = re.compile("(?<=[。！？；;])")
# After an agency (or a list of them: "市民政局、市发改委"): the clause is its duty (match)
FACT_DUTY_VERBS = re.compile("(?:都|均|也|还)?(?:要|应当|应|须|必须|负责|牵头|会同|配合|协助|主管|承担)")
# "由乡镇社会事务中心承担" (search: the agency between 由 and the verb)
FACT_BY_AGENCY = re.compile("由(?P<agency>[^，。；、]{2,20}?)(?:负责|承担|牵头|主管|统筹)")
# Headings whose list items are the issuer's own duties: "（一）部门职能职责" (search)
FACT_DUTY_HEADING = re.compile("职能职责|主要职责|部门职能|工作职责|职责分工")
FACT_DUTY_AFTER = FACT_DUTY_VERBS
FACT_BY_BEFORE = re.compile("由\\s*$")
FACT_BY_AFTER = re.compile("^\\s*(?:负责|承担|牵头|主管|统筹)")
FACT_IMPLEMENTATION = re.compile("组织实施|职责分工|加强督促|保障措施|组织领导|部门职责")
FACT_LEVEL_LABEL = None
FACT_LEVEL_PHRASE = None
FACT_ASSIGN_VERB = None  # no "giao X làm …" form: duties are stated with 由 / 要 / 负责
FACT_HEADING_PREFIX = None

# Eligibility: conditions ("凡…的", "符合…条件的", "对…的…给予/免征", "…的，不需…"), papers (需提交 …)
FACT_CONDITION = re.compile(
    "凡(?:是)?[^，。；]{1,80}?的|凡(?:是)?[^。；]{1,80}?的|符合[^，。；]{0,24}?条件的"
    "|对[^，。；]{2,40}?(?:的|机构)[^。；]{0,40}?(?:给予|免征|减半|免收|享受|补贴|优先)"
    "|对[^，。；]{2,60}?的[^，。；]{0,6}[，,]\\s*可"
    "|[^，。；]{2,60}?的[，,][^，。；]{0,10}?(?:不需|无需|可以?|允许|均可|可依法)"
    "|前提下[，,]\\s*(?:允许|可)|均?同享|可依法使用"
    "|享受(?:同等|相关)?(?:优惠|补贴)|不需(?:要)?(?:办理|提供)|资格|优先保障|不得申请"
    "|免征|免收|减半收取"
    "|为[^，。；]{0,30}?(?:低收入|困难|失能|特困|高龄|贫困|留守|孤寡|独居|指定的|\\d+岁|不足的)[^，。；]{0,24}?(?:捐赠|发放|提供|开展)"
    "|向[^，。；]{0,30}?(?:特困|困难|贫困)[^，。；]{0,24}?(?:发放|提供|捐赠)"
    "|优先(?:安排|保障)[^，。；]{0,20}?(?:贫困|高龄|失能|特困|困难)"
    "|针对[^，。；]{0,20}?(?:困难|失能|高龄|贫困|特困)[^，。；]{0,12}?的(?:补贴|救助|保障)"
    "|对[^，。；]{4,60}?的(?:养老机构|机构|企业|项目|人员|劳动者)[^，。；]{0,8}?(?:实施|实行|给予|可)"
    "|对[^，。；]{2,20}?者[^，。；]{0,30}?(?:实行|给予|优先)|[，,]\\s*均可|支持有条件的"
)
# Beneficiary statements (who a measure is for) rather than conditions (match, on the cue)
FACT_WHO_CUE = re.compile("为|向|优先|针对")
# A condition's clause window: a clause opening with one of these is a consequence ("…的，不需…"),
# so the window reaches back to the clause before it (match)
FACT_CONSEQUENCE = re.compile("(?:不需|无需|不再|可|允许|均|享受|依法|\\d+年内|按规定|自受理|在原土地)")
# Not a citizen's or an organisation's condition: permissions for local governments (search)
FACT_NOT_CONDITION = re.compile("有条件的(?:地方|地区)")
FACT_WHO_HEADING = re.compile("(?:补助|补贴|救助|保障|服务)?对象[：:]|适用范围|申请条件")
FACT_PAPERS_LEADIN = re.compile("(?:需|须|应)(?:提交|提供)(?:以下|下列)?(?:材料|资料)?[：:]|(?:申请)?材料(?:包括|如下)[：:]")
FACT_THRESHOLD = re.compile("(?P<num>\\d[\\d.]*)\\s*(?P<unit>平方米|万元|年|分)\\s*(?:（含）)?\\s*(?:以上|以下)")

# Dates (named groups as in vi.py). Kinds index/facts/dates.py reads:
#   yearly_day      "每年11月15日前"
#   yearly_month    "每年11月底前", "每年11月前"
#   yearly_yearend  "每年年底前", "每年年前", "每年年末前"
#   date            "2020年10月28日"
#   month_range     "2024年1—6月", "2024年7-9月"
#   half            "2023年下半年", "2023年上半年"
#   quarter         "2020年第四季度", "2020年四季度"
#   year_end        "2020年底", "2020年末"
#   month           "2022年1月"
#   year_range      "2021—2025年"
#   year            "2020年" (not "2022年度")
#   relative        "10个工作日内", "30日内"
_Q = "一二三四1234"
FACT_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("yearly_day", re.compile("每年\\s*(?P<m>\\d{1,2})\\s*月\\s*(?P<d>\\d{1,2})\\s*日")),
    ("yearly_month", re.compile("每年\\s*(?P<m>\\d{1,2})\\s*月(?:底|末|份)?")),
    ("yearly_yearend", re.compile("每年(?:的)?\\s*(?:年底|年末|年前|年终|底)")),
    ("date", re.compile("(?P<y>\\d{4})\\s*年\\s*(?P<m>\\d{1,2})\\s*月\\s*(?P<d>\\d{1,2})\\s*日")),
    ("month_range", re.compile("(?P<y>\\d{4})\\s*年\\s*(?P<m1>\\d{1,2})\\s*(?:月)?\\s*[—–\\-~～至到]+\\s*(?P<m2>\\d{1,2})\\s*月")),
    ("half", re.compile("(?P<y>\\d{4})\\s*年\\s*(?P<h>上|下)半年")),
    ("quarter", re.compile(f"(?P<y>\\d{{4}})\\s*年\\s*(?:第)?\\s*(?P<q>[{_Q}])\\s*季度")),
    ("year_end", re.compile("(?P<y>\\d{4})\\s*年\\s*(?:底|末|年底|年末)")),
    ("month", re.compile("(?P<y>\\d{4})\\s*年\\s*(?P<m>\\d{1,2})\\s*月(?!\\s*\\d)")),
    ("year_range", re.compile("(?P<y1>\\d{4})\\s*[—–\\-~～至到]\\s*(?P<y2>\\d{4})\\s*年")),
    ("year", re.compile("(?<!\\d)(?P<y>\\d{4})\\s*年(?!度|\\s*\\d)")),
    ("relative", re.compile("(?P<n>\\d{1,3})\\s*个?\\s*(?P<unit>工作日|自然日|日|天|个月|周)\\s*内")),
)
# A date is a deadline when a cue follows it ("…前", "…完成") or opens its clause ("预计", "争取")
FACT_DEADLINE_AFTER = re.compile("^\\s*(?:前|之前|以前|底前|末前|内)")
FACT_DEADLINE_BEFORE = re.compile("(?:预计|计划|争取|力争|确保|须在|应在|要在|务必在)\\s*$")
FACT_DEADLINE_CLAUSE = re.compile("完成|竣工|运营|投入使用|颁发|办结|报送|上报|提交")
FACT_PAST = re.compile("已(?:经)?|完成了|顺利|了[，。]")
FACT_PERIOD_CUE = None

# Amounts: money, percentages, and counts that are targets or rates
_AMOUNT_NUM = "(?<![\\d.])(?P<num>\\d+(?:\\.\\d+)?)(?:\\s*[-—–~]\\s*(?P<num2>\\d+(?:\\.\\d+)?))?"
FACT_MONEY_UNITS = "亿元|万元|千元|元/人/月|元/月|元/年|元/人|元|万(?![张个家人户名床项所])"
FACT_COUNT_UNITS = "万张|张|家|个|所|名|人次|人|户|项|场次|次"
FACT_AMOUNT = re.compile(
    _AMOUNT_NUM + f"\\s*(?P<unit>{FACT_MONEY_UNITS}|%|{FACT_COUNT_UNITS})"
)
FACT_MONEY_WORDS = ("元", "万")
FACT_TARGET_CUE = re.compile("达到|达|不低于|不超过|至少|不少于|建成|建设|培育|引进|覆盖|增长|到\\d{4}年|提高到|提至")
FACT_TARGET_AFTER = re.compile("^\\s*(?:以上|及以上|以下)")  # "300张以上": right after the amount
FACT_RATE_CUE = re.compile("每(?!年年)[^，。；]{0,6}")
FACT_OBJECTIVES_HEADING = re.compile("发展目标|主要目标|工作目标|总体目标|目标任务")
FACT_NOT_AMOUNT_BEFORE = re.compile("(?:第|附件|〔|\\[|（|\\()\\s*$")

# Agencies: (id, display name, pattern). The id is the function ("民政局"): 县民政局, 绥宁县民政局,
# 民政局 and 民政部门 are one agency; the level (县/市/省: the character before the name) is kept
# apart and narrows a query that names one. Place names before the level ("绥宁县") are dropped.
FACT_AGENCIES: tuple[tuple[str, str, str], ...] = (
    ("民政局", "民政局", "民政(?:局|部门|厅|部)"),
    ("财政局", "财政局", "财政(?:局|部门|厅)"),
    ("发改委", "发展和改革委员会", "(?:发改|发展和改革|发展改革)(?:委员会|委|部门|局)"),
    ("教育局", "教育局", "教育(?:局|部门|厅)"),
    ("卫健局", "卫生健康局", "(?:卫健|卫生健康|卫生计生|卫计)(?:局|委员会|委|部门)"),
    ("人社局", "人力资源和社会保障局", "(?:人社|人力资源和社会保障|人力资源社会保障)(?:局|部门|厅)"),
    ("市场监管局", "市场监督管理局", "市场监(?:督管理|督|管)(?:局|部门)"),
    ("国土资源部门", "国土资源部门", "(?:国土资源|自然资源)(?:局|部门)?(?=[、，和及与]|部门|要|应|局)"),
    ("规划部门", "规划部门", "规划(?:局|部门)"),
    ("工商行政管理部门", "工商行政管理部门", "工商(?:行政管理)?(?:局|部门)"),
    ("公安局", "公安局", "公安(?:局|部门|机关)"),
    ("司法机关", "司法机关", "司法(?:局|部门|机关)"),
    ("妇联", "妇女联合会", "妇联"),
    ("团委", "共青团委员会", "团(?:县|市)?委"),
    ("慈善会", "慈善会", "慈善(?:总)?会"),
    ("领导小组", "未成年人保护工作领导小组", "(?:未成年人保护工作)?领导小组"),
    ("乡镇社会事务中心", "乡镇社会事务中心", "(?:乡镇)?社会事务中心"),
    ("人民政府", "人民政府", "(?:各)?(?:县市区|市县两级|县市|市县)?(?:人民)?政府"),
)
# "各县市区要…" names the county governments without 政府
FACT_AGENCY_ALIASES: tuple[tuple[str, str, str], ...] = (
    ("人民政府", "县", "各县市区(?=要|应|都要)"),
    ("人民政府", None, "市县两级政府"),
    ("人民政府", "乡", "各乡镇(?:人民政府)?(?=要|应|都要|负责)"),
)
FACT_NOT_AGENCY = re.compile("^(?:有关|相关|其他|各有关|各相关|其|该)")
# "谁负责…", "…由哪个部门负责", "…由哪些成员组成": see vi.FACT_ASKS_WHO (search)
FACT_ASKS_WHO = re.compile("^(?:谁|哪个|哪些|哪一)|由(?:谁|哪)|是谁|组成|成员")
# Words a responsibility question asks with ("负责什么", "职责"): see vi.FACT_DUTY_WORDS
FACT_DUTY_WORDS = ("负责", "职责", "任务", "责任", "职能")
FACT_LABELS = {
    "lead": "牵头/负责",
    "support": "配合",
    "via": "配合，{agency}牵头",
    "duties": "{agency}：共{n}项职责",
    "more": "……另有{n}项",
    "lead_heading": "牵头/负责",
    "support_heading": "配合",
    "deadlines_heading": "期限",
    "yearly": "每年",
    "no_date": "无固定日期",
}

# --- end facts -----------------------------------------------------------------------------------
