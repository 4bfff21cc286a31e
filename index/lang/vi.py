"""Everything specific to Vietnamese: diacritics, words, headings, question cues, document metadata."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict

# --- diacritics ----------------------------------------------------------------------------------
# Citizens often type without diacritics ("ho so de nghi"). Lexical matching folds both sides to
# plain letters; dense retrieval gets the diacritics restored from the corpus' own vocabulary.

_VI_LETTERS = "ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
_VI_MARKED = set(_VI_LETTERS + _VI_LETTERS.upper())


def fold(text: str) -> str:
    """Remove Vietnamese diacritics: "Hồ sơ đề nghị" → "Ho so de nghi"."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped.replace("đ", "d").replace("Đ", "D"))


def has_diacritics(text: str) -> bool:
    return any(c in _VI_MARKED for c in text)


def looks_vietnamese(text: str) -> bool:
    """Vietnamese letters present, or Latin text with common Vietnamese syllables (typed bare)."""
    if has_diacritics(text):
        return True
    words = re.findall(r"[a-z]+", text.lower())
    return bool(words) and sum(w in _BARE_COMMON for w in words) >= max(1, len(words) // 4)


_BARE_COMMON = set(
    "cac cua va cho nhung duoc trong theo nay voi la co khong gi nao bao nhieu ai khi ke hoach "
    "tinh huyen xa so ubnd nguoi ho tro chinh sach nam ngay thang thuc hien trach nhiem".split()
)

# --- words ---------------------------------------------------------------------------------------
# BM25 runs over folded syllables plus folded syllable pairs: the pairs stand in for Vietnamese
# compound words ("khen_thuong") and are the same whether or not the query had diacritics.

# Only syllables whose bare form is never a content word: folding merges "có" with "cơ" (cơ quan)
# and "đâu" with "đầu" (đầu mối), so those stay; BM25's idf already discounts the rest.
STOPWORDS = frozenset("va cua cac nhung duoc voi la nay gi nao khong chua".split())

# Words of asking, not of the thing asked about: dropped from questions only (documents keep them;
# their pairs stay, see tokens).
# Judged with their marks, since folding merges them with content words: "hỏi" with "hội" (hội đồng,
# xã hội), "cần" with "cán" (cán bộ), "vậy" with "vay" (vay vốn), "đâu" with "đầu" (đầu tư), "biết"
# with "biệt" (đặc biệt), "tôi" with "tối" (tối đa), "muốn" with "muộn", "thì" with "thị" (thị trấn).
# A question typed without any marks is judged folded (its restored spelling is too often wrong on
# exactly these short words: "tôi muốn hỏi" → "tới muon hội"). "em" is left out: "trẻ em".
QUESTION_STOPWORDS = frozenset(
    "bao nhiêu mấy gì nào đâu ai sao thế làm ở khi phải muốn cần có được không là một lên ra vào lấy "
    "cho biết hỏi tôi mình anh ơi ạ nhé vậy thì như từ đến những các hay hoặc xin vui lòng giúp".split()
)
_FOLDED_QUESTION_STOPWORDS = frozenset(fold(w) for w in QUESTION_STOPWORDS)


def _asks(syllable: str, bare: bool) -> bool:
    """Whether a question's syllable (lower case, with its marks) is a word of asking; in a question
    without any diacritics it can only be judged folded ("hoi" may be "hỏi" or "hội")."""
    return syllable in QUESTION_STOPWORDS or (bare and fold(syllable) in _FOLDED_QUESTION_STOPWORDS)


_TOKEN = re.compile(r"\d+(?:[./,:-]\d+)*|[^\W\d_]+", re.UNICODE)


def syllables(text: str) -> list[str]:
    """Folded, lower-cased syllables and numbers ("30/12", "5.444", "2016-2020" stay whole)."""
    return _TOKEN.findall(fold(text).lower())


def padded(text: str) -> str:
    """The syllables joined by spaces, with a space at each end: what the folded cue patterns of
    this module search (" bao nhieu xa ")."""
    return f" {' '.join(syllables(text))} "


def _content(text: str, question: str | None) -> tuple[list[str], list[bool]]:
    """Folded syllables, and which of them are not content: stop-words, and in a question
    (``question`` = "marked" or "bare") its words of asking."""
    if question is None:
        sylls = syllables(text)
        return sylls, [s in STOPWORDS for s in sylls]
    marked = _TOKEN.findall(text.lower())
    sylls = [fold(m) for m in marked]
    return sylls, [s in STOPWORDS or _asks(m, question == "bare") for s, m in zip(sylls, marked)]


def content_runs(question: str) -> list[list[str]]:
    """A question's runs of neighbouring folded content syllables (no words of asking, no numbers)."""
    sylls, skip = _content(question, "marked" if has_diacritics(question) else "bare")
    runs: list[list[str]] = [[]]
    for s, skipped in zip(sylls, skip):
        if skipped or not (s.isascii() and s.isalpha()):  # folded Vietnamese is ASCII; CJK is not
            runs.append([])
        else:
            runs[-1].append(s)
    return [run for run in runs if run]


def is_pair(token: str) -> bool:
    """Whether an index token is a pair of syllables ("kinh_phi") rather than one word."""
    return "_" in token


def tokens(text: str, *, question: str | None = None) -> list[str]:
    """Index tokens: content syllables, their pairs, and the parts of compound numbers. For a
    question (``question`` = "marked" or "bare": whether it has diacritics anywhere), the words of
    asking are left out too, but not their pairs."""
    # plans write "70%", people ask "bao nhiêu phần trăm": both make the same tokens
    text = text.replace("%", " phần trăm ")
    sylls, skip = _content(text, question)
    # a word of asking left out of a question keeps its pairs: typed without marks it may be half
    # of a compound ("co quan" is "cơ quan", "phan anh" "phản ánh", "dau tu" "đầu tư"), and with
    # marks the plans still write the phrase ("lấy từ nguồn"); BM25 decides (a pair no text holds,
    # "có vướng", matches nothing), and marked and bare questions keep the same pairs
    soft = [question is not None and k and s not in STOPWORDS for s, k in zip(sylls, skip)]
    out: list[str] = []
    for i, s in enumerate(sylls):
        if not skip[i]:
            out.append(s)
            if s[0].isdigit() and not s.isdigit():
                out.extend(p for p in re.split(r"[./,:-]", s) if p)
        if i + 1 < len(sylls) and not s[0].isdigit():
            if (not skip[i] or soft[i]) and (not skip[i + 1] or soft[i + 1]):
                out.append(f"{s}_{sylls[i + 1]}")
    return out


class DiacriticRestorer:
    """Puts diacritics back on a bare query using syllable and pair counts from the corpus.

    A small Viterbi over the corpus' own spellings: "ho so de nghi khen thuong" → "hồ sơ đề nghị
    khen thưởng". Syllables the corpus never saw are left as typed.
    """

    def __init__(self, unigrams: dict[str, int], bigrams: dict[str, int]):
        self.unigrams = unigrams  # "hồ" → count
        self.bigrams = bigrams  # "hồ sơ" → count
        self.variants: dict[str, list[str]] = defaultdict(list)
        for word in unigrams:
            self.variants[fold(word)].append(word)

    @classmethod
    def from_texts(cls, texts) -> DiacriticRestorer:
        # questions use words plans rarely contain ("bao nhiêu", "khi nào"): seed them
        return cls({}, {}).with_texts([*texts, *[QUESTION_WORDS] * 20])

    def with_texts(self, texts) -> DiacriticRestorer:
        """These counts plus those of ``texts`` (an update that only adds documents)."""
        uni: Counter[str] = Counter(self.unigrams)
        bi: Counter[str] = Counter(self.bigrams)
        for text in texts:
            words = re.findall(r"[^\W\d_]+", text.lower())
            uni.update(words)
            bi.update(f"{a} {b}" for a, b in zip(words, words[1:]))
        return DiacriticRestorer(dict(uni), dict(bi))

    def to_dict(self) -> dict:
        return {"unigrams": self.unigrams, "bigrams": self.bigrams}

    def restore(self, text: str) -> str:
        """Restore diacritics on the bare words of ``text``; words already marked are kept."""
        parts = re.split(r"([^\W\d_]+)", text)
        words = parts[1::2]
        if not words:
            return text
        best = self._decode([w.lower() for w in words])
        for i, (typed, chosen) in enumerate(zip(words, best)):
            if typed[0].isupper():
                chosen = chosen[:1].upper() + chosen[1:]
            parts[2 * i + 1] = chosen
        return "".join(parts)

    def _decode(self, words: list[str]) -> list[str]:
        total = sum(self.unigrams.values()) or 1
        cands = [
            [w] if has_diacritics(w) or not self.variants.get(w) else self.variants[w] for w in words
        ]
        # scores[i][c]: best log-probability of a path ending in candidate c at word i
        scores = [{c: math.log((self.unigrams.get(c, 0) + 0.1) / total) for c in cands[0]}]
        back: list[dict[str, str]] = [{}]
        for i in range(1, len(words)):
            row, ptr = {}, {}
            for c in cands[i]:
                emit = math.log((self.unigrams.get(c, 0) + 0.1) / total)
                prev, score = max(
                    ((p, s + self._link(p, c)) for p, s in scores[-1].items()), key=lambda x: x[1]
                )
                row[c], ptr[c] = score + emit, prev
            scores.append(row)
            back.append(ptr)
        last = max(scores[-1], key=scores[-1].get)
        path = [last]
        for i in range(len(words) - 1, 0, -1):
            path.append(back[i][path[-1]])
        return path[::-1]

    def _link(self, a: str, b: str) -> float:
        # a seen pair is strong evidence; otherwise fall back on the unigram alone
        pair = self.bigrams.get(f"{a} {b}", 0)
        return math.log(1 + 50 * pair / (self.unigrams.get(a, 0) + 1))


# Spelled out so that bare questions get them right even when no plan uses them.
QUESTION_WORDS = (
    "bao nhiêu. khi nào. là gì. làm gì. những gì. ở đâu. ai chịu trách nhiệm. như thế nào. "
    "bao giờ. hạn chót. mấy. cơ quan nào. đơn vị nào. sở nào. được hỗ trợ bao nhiêu. "
    "có được không. cần những giấy tờ gì. điều kiện gì. nộp hồ sơ ở đâu. mức hỗ trợ. thời hạn nào."
)


# --- sentences -----------------------------------------------------------------------------------
# A sentence ends at . ! ? followed by a space and a letter, digit, dash or quote; "5.444" and
# "TP. Hà Tĩnh"-style abbreviations do not end one. Semicolons join clauses of one sentence.
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[\-–•+\"“(\d\w])(?<!\bTP\. )(?<!\bTp\. )")
CLAUSE_BREAK = re.compile(r"(?<=[,:;])\s+")


# --- headings ------------------------------------------------------------------------------------
# Vietnamese plans number their parts "I.", "1.", "1.1.", "a)", "(1)", and sometimes "Điều 1.",
# "Chương II", "Mục 3". Each kind is a level; the chunker nests them in the order they appear.

HEADING_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("vi-part", re.compile(r"^(?:Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC)\s+(?:[IVXLC]+|\d+)\b[.:]?\s*")),
    ("vi-article", re.compile(r"^(?:Điều|ĐIỀU)\s+\d+[a-zđ]?[.:]\s*")),
    ("roman", re.compile(r"^[IVXL]{1,5}[.)]\s+")),
    ("num3", re.compile(r"^\d{1,2}\.\d{1,2}\.\d{1,2}\.?\s+")),
    ("num2", re.compile(r"^\d{1,2}\.\d{1,2}\.?\s+")),
    ("num", re.compile(r"^\d{1,2}[.)]\s*(?=\D)")),
    ("letter", re.compile(r"^[a-zđ][)]\s+")),
    ("paren-num", re.compile(r"^\(\d{1,2}\)\s*")),
]

# How answer selection tells a heading or list item inside a passage: the marker that opens a
# numbered heading line ("I.", "1.1.", "a)", "(1)") and the one that opens a list item ("-", "+").
ANSWER_HEADING_MARKER = r"[IVXL]+\.|\d+(?:\.\d+)*\.?|[a-zđ]\)|\(\d+\)"
LIST_ITEM_MARKER = r"[-+*•–]"

# --- question types ------------------------------------------------------------------------------
# Cue phrases (folded, so bare queries match) for the kind of fact a question wants.

# Words that ask (folded, space-padded; search): a cue holding one, or followed by one within
# ASKING_REACH words ("lệ phí bao nhiêu"), says what the question asks for; a cue without ("thẩm
# quyền", "hồ sơ") may only say what it is about (index/fields.py matched_cues)
ASKING = re.compile(r" (?:bao lau|bao nhieu|bao gio|may|nao|ai|dau|gi|the nao|ra sao) ")
ASKING_REACH = 3
QUESTION_CUES: dict[str, tuple[str, ...]] = {
    "deadline": (
        "khi nao", "bao gio", "thoi han", "han chot", "cham nhat", "truoc ngay", "ngay nao",
        "thoi gian nao", "thoi diem", "luc nao", "dinh ky", "bao lau", "may ngay", "bao nhieu ngay", "han nop", "thang may",
        "quy may", "nam nao", "han", "bao nhieu tieng", "may tieng", "bao nhieu gio", "may thang",
    ),
    "responsibility": (
        "co quan nao", "don vi nao", "so nao", "ai chiu trach nhiem", "ai chu tri", "chu tri",
        "phoi hop", "trach nhiem", "nhiem vu", "ai phu trach", "phu trach", "dau moi", "ai lam",
        "lam gi", "giao cho", "ai thuc hien", "co quan", "ben nao", "ai",
    ),
    "eligibility": (
        "doi tuong", "dieu kien", "ai duoc", "duoc huong", "ho so", "giay to", "thu tuc",
        "tieu chuan", "tieu chi", "yeu cau", "duoc ho tro", "co duoc", "ap dung cho", "pham vi",
    ),
    "amount": (
        "bao nhieu tien", "kinh phi", "muc ho tro", "muc chi", "ngan sach", "so tien", "tong kinh phi",
        "chi phi", "von", "bao nhieu",
    ),
    "target": (
        "muc tieu", "chi tieu", "phan dau", "ty le", "dat bao nhieu", "den nam", "ty so", "phan tram",
    ),
}

# Questions that want a list ("gồm những gì", "bao gồm", "những nội dung nào"), on folded text
# padded with spaces (search): the reply is the list's lead-in with its items, not one item.
LIST_QUESTION = re.compile(
    r" (?:bao gom|gom|gom co) (?:nhung|cac)? ?\w*|(?: nhung| cac)(?: \w+){1,4} (?:nao|gi) |nhung gi "
    r"| gom (?:\w+ ){0,4}(?:nao|gi) "
)
# A sentence that enumerates: "… gồm: A; B; C", "… bao gồm A, B, C" (search)
LIST_ANSWER = re.compile(r"\b(?:gồm|bao gồm|gồm có|như sau)\b|:\s*[^;]+;[^;]+", re.I)
# Questions about the document itself, answered from its header (folded, space-padded; search):
# when it was issued, its number, who issued it; group "ask", where there is one, holds the words
# of asking alone (the rest names the document)
DOC_QUESTIONS: dict[str, re.Pattern[str]] = {
    # "ký" (signed) only after the document it is said of: bare "ky" is also "đăng ký", "định kỳ"
    "date": re.compile(r" (?:ky )?ban hanh (?:vao )?(?:ngay|thang|nam|khi|luc) (?:nao|bao gio|may) | ngay ban hanh "
                       r"| ban hanh (?:tu )?bao gio "
                       r"| (?:ke hoach|van ban|quyet dinh|nghi quyet|nghi dinh|thong tu|de an|chi thi|cong van)(?: \w+){0,3}"
                       r"(?<! dang)(?<! dinh)(?P<ask> (?:duoc )?ky (?:vao )?(?:ngay|khi|luc) (?:nao|bao gio) )"),
    "number": re.compile(r" so hieu | so ky hieu | (?:co )?so (?:van ban )?(?:la )?bao nhieu (?:va )?(?:ky hieu)? "),
    "issuer": re.compile(r" (?:co quan|don vi|ai|cap nao) (?:nao )?(?:da )?ban hanh | do (?:ai|co quan nao) ban hanh "),
}
# Questions that ask which document ("quyết định nào", "nghị quyết nào", "văn bản nào"): the
# answer holds a document number the question does not (folded, space-padded; search)
REFERENCE_QUESTION = re.compile(r" (?:quyet dinh|nghi quyet|nghi dinh|thong tu|van ban|chi thi|ke hoach|de an|luat) (?:\w+ ){0,2}(?:nao|gi|so may) ")
DOC_REFERENCE = re.compile(r"\d{1,5}(?:/\d{4})?/[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐ][A-Za-zĐđ0-9]*)+")

# A year written short in a question ("năm 22", bare "nam 22" for 2022): its two digits (search)
SHORT_YEAR = re.compile(r"\b(?:năm|nam)\s+(\d{2})(?![\d.,/])", re.I)

# A question with one of these wants a figure in its answer.
NUMBER_CUES = ("bao nhieu", "may", "bao lau", "ty le", "so luong", "muc", "phan tram", "bao nhieu phan tram")
# What that figure counts: the word after "bao nhiêu" / "mấy" ("bao nhiêu xã", "mấy bộ"), or money
# or a share named anywhere in the question (folded, space-padded; search)
ASKED_COUNT = re.compile(r" (?P<cue>bao nhieu|may) (?P<unit>[a-z]+)\b(?! \d)")  # "năm 2020" names a year
ASKED_MONEY = re.compile(
    r" (?:so tien|tien thuong|tien ho tro|kinh phi|chi phi|muc ho tro|muc chi|ngan sach|muc thuong|gia bao nhieu) "
)
ASKED_PERCENT = re.compile(r" (?:ty le|phan tram) ")
# a question that counts time ("bao nhiêu tiếng", "mấy ngày", "bao lâu") is answered by a span of
# time in any unit (SPAN_OF_TIME): "12 giờ" answers "bao nhiêu tiếng", "02 tháng" "mấy ngày"
TIME_UNITS = frozenset("gio tieng phut ngay tuan thang nam".split())
ASKED_TIME = re.compile(r" bao lau ")
_MONEY_UNITS = r"đồng|VNĐ|đ(?=\W|$)"
# words after "bao nhiêu" that are not a thing counted ("bao nhiêu một tờ", "bao nhiêu là đủ")
_NOT_COUNTED = frozenset("mot moi sau truoc tu den lau la thi de cho duoc nua va voi trong o tai khi neu con roi vay the a ha".split())


def asked_unit(question: str) -> str | None:
    """What a figure question counts: "money", "percent", "time", a folded syllable ("xa" for "bao
    nhiêu xã", "bo" for "mấy bộ"), or None when the question does not say."""
    folded = padded(question)
    # the first cue followed by a thing counted ("từ bao nhiêu đến bao nhiêu năm": năm); folded
    # "may" is also "máy" (machine): trust it only as "mấy", or in a question without marks
    m = next((m for m in ASKED_COUNT.finditer(folded) if m["unit"] not in _NOT_COUNTED and not (
        m["cue"] == "may" and has_diacritics(question) and "mấy" not in question.lower())), None)
    if m and m["unit"] in ("tien", "dong"):
        return "money"
    if m and m["unit"] == "phan":
        return "percent"
    if m:
        return "time" if m["unit"] in TIME_UNITS else m["unit"]
    if ASKED_TIME.search(folded):
        return "time"
    if ASKED_MONEY.search(folded):
        return "money"
    if ASKED_PERCENT.search(folded):
        return "percent"
    return None


# Questions that ask for a web address, a site, a phone number or an e-mail address (folded,
# space-padded; search): the answer must hold one (index/answer.py)
ASKED_CONTACT = {
    "url": re.compile(r" dia chi (?:website|web|trang web|trang thong tin dien tu|cong thong tin)| duong link | link "),
    "site": re.compile(r" (?:website|trang web|trang thong tin dien tu|cong thong tin dien tu) (?:nao|gi) "),
    "phone": re.compile(r" so (?:dien thoai|hotline|duong day nong) | (?:dien thoai|hotline|duong day nong) (?:la )?(?:bao nhieu|so may|so gi) "),
    "email": re.compile(r" (?:email|e mail|thu dien tu) "),
}
# a site named in a sentence ("đăng trên Cổng thông tin điện tử tỉnh"), for "trang web nào" (search)
SITE_NAMED = re.compile(r"[Cc]ổng thông tin|[Tt]rang thông tin điện tử|[Ww]ebsite|[Bb]áo điện tử")


def asked_contact(question: str) -> str | None:
    """"url", "site", "phone" or "email" when the question asks for one, else None."""
    folded = padded(question)
    return next((kind for kind, pattern in ASKED_CONTACT.items() if pattern.search(folded)), None)


# numbers spelled out, folded; not those that fold into another word ("tư"/"từ", "sáu"/"sau")
_NUMBER_WORDS = frozenset("mot hai ba bon bay chin muoi".split())
# money in a sentence: "5 triệu/huyện", "650.000 đồng", or a figure grouped in thousands (a budget
# table states its unit once, in a heading the passage may not hold)
MONEY_FIGURE = re.compile(
    rf"\d[\d.,]*\s*(?:triệu|tỷ|nghìn|ngàn)?\s*(?:{_MONEY_UNITS})|\d[\d.,]*\s*(?:triệu|tỷ)(?![^\W\d])"
    r"|(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d.,]*\d)",
    re.I,
)
PERCENT_FIGURE = re.compile(r"\d\s*%|phần trăm", re.I)


def counts(text: str, unit: str) -> bool:
    """Whether ``text`` states a figure of ``unit`` (a folded syllable): "300 xã", "hai bộ"."""
    words = syllables(text)
    return any(b == unit and (a[0].isdigit() or a in _NUMBER_WORDS) for a, b in zip(words, words[1:]))


# Cues in an answer sentence that make it a good reply to each question type.
ANSWER_CUES: dict[str, tuple[str, ...]] = {
    "deadline": ("truoc ngay", "cham nhat", "hang nam", "hang quy", "dinh ky", "quy", "thoi gian", "han"),
    "responsibility": ("chu tri", "phoi hop", "chiu trach nhiem", "dau moi", "giao", "tham muu", "huong dan"),
    "eligibility": ("doi tuong", "dieu kien", "ho so", "gom", "dat tu", "tro len", "duoc", "tieu chuan"),
    "amount": ("trieu dong", "ty dong", "nghin dong", "dong", "kinh phi", "ngan sach"),
    "target": ("phan dau", "dat", "tren", "%", "ty le", "den nam", "it nhat"),
}

# What a sentence must hold to answer each question type: a date, an amount with its unit, …
_NUM = r"\d[\d.,]*"
# a span of time ("15 Ngày làm việc", "12 (mười hai) giờ", "ba năm"), not a date's day or month
# ("ngày 15 tháng 3 năm 2020"), or how often ("hằng năm", "định kỳ"): what "bao lâu", "mấy
# ngày", "bao lâu một lần" ask for
_DIGIT_WORDS = "một|hai|ba|bốn|năm|sáu|bảy|tám|chín"
SPAN_OF_TIME = re.compile(
    rf"(?<![Nn]gày\s)(?<![Tt]háng\s)(?:(?<![\d.,]){_NUM}|\b(?i:{_DIGIT_WORDS}|mười)(?:\s+(?i:{_DIGIT_WORDS}|mươi|lăm|mốt))*)"
    r"\s*(?:\([^)]{1,20}\)\s*)?(?i:ngày|tháng|năm|giờ|tiếng|tuần|phút)\b|(?i:hằng|hàng|mỗi)\s+(?i:năm|quý|tháng|tuần|ngày)|(?i:định kỳ)"
)
FACT_PATTERNS: dict[str, re.Pattern[str]] = {
    "deadline": re.compile(
        r"\d{1,2}/\d{1,2}(?:/\d{2,4})?|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}|[Qq]uý\s+[IV1-4]+|tháng\s+\d{1,2}"
        r"|(?:trước|chậm nhất|trong vòng|trong thời hạn)\s[^.;]{0,40}\d|năm\s+\d{4}|"
        # a span of time is as much a deadline as a date: "Thời hạn giải quyết: 15 Ngày", "ít nhất 10 ngày trước"
        + SPAN_OF_TIME.pattern
    ),
    "amount": re.compile(rf"{_NUM}\s*(?:triệu|tỷ|nghìn|ngàn)?\s*(?:đồng|đ\b|VNĐ)|{_NUM}\s*%|kinh phí|ngân sách", re.I),
    "target": re.compile(rf"{_NUM}\s*%|{_NUM}\s*(?:nam/100 nữ|điểm|xã|huyện|tổ chức|sản phẩm|doanh nghiệp)|ít nhất|trở lên|đến năm\s+\d{{4}}", re.I),
    "responsibility": re.compile(
        r"(?:Sở|Ban|Ủy ban|UBND|Chi cục|Phòng|Công an|Hội|Đoàn|Trung tâm|Bộ|Cục|Hội đồng)\s+[A-ZĐÀ-Ỹ]"
        r"|chủ trì|phối hợp|chịu trách nhiệm|đầu mối|tham mưu"
    ),
    "eligibility": re.compile(r"đối tượng|điều kiện|hồ sơ|gồm|đạt từ|trở lên|tiêu chuẩn|được công nhận|phải", re.I),
}

# --- small talk ----------------------------------------------------------------------------------
# A whole message (folded, without punctuation) that greets, thanks or acknowledges: no question to
# search for (the bot answers it with how to ask, index/lang small_talk)
_GREETING = (r"(?:(?:xin )?chao|hello|hi|alo|cam on|thanks?|thank you|tks|ok|oke|okay|uh|u|vang|da|dung roi"
             r"|tot qua|hay qua|tuyet|tam biet|bye)(?: (?:ban|bot|em|anh|chi|nhe|nha|a|nhieu|lam|moi nguoi|ca nha))*")
SMALL_TALK = re.compile(rf"^{_GREETING}(?: {_GREETING})*$")


def small_talk(words: str) -> bool:
    """Whether ``words`` (lower case, punctuation gone) only greet, thank or acknowledge."""
    return bool(SMALL_TALK.match(" ".join(fold(words).split())))


# --- labelled fields ------------------------------------------------------------------------------
# Procedure pages and records state one field a line, "Label: value" ("Thời hạn giải quyết: 15 Ngày
# làm việc"), sometimes several on one line after "; ". A label is short, opens with a capital and
# holds no figure; index/chunking.py makes each field an addressable unit once labels recur.
FIELD_LABEL = re.compile(r"^(?P<label>[A-ZĐ\u00c0-\u1ef8][^:;.!?\d\n]{1,48}?)\s*:\s*(?=\S)")
MAX_LABEL_WORDS = 7
# a field the page leaves empty says so ("Cơ quan phối hợp: Không có thông tin"): no answer to quote.
# ("Phí, lệ phí: Không" is one: there is no fee.)
NO_INFORMATION = re.compile(r"(?:không có|chưa có) thông tin|đang cập nhật|không xác định", re.I)

# What a label says its field holds (folded words of the label), and what a question asks for (folded
# cues, matched space-padded): a question of a kind prefers the field labelled for it.
FIELD_KINDS: dict[str, tuple[str, ...]] = {
    "deadline": ("thoi han", "thoi gian giai quyet", "thoi gian thuc hien", "han nop", "thoi gian"),
    "fee": ("phi", "le phi", "muc thu", "gia"),
    "benefit": ("muc tro cap", "muc ho tro", "muc huong", "kinh phi"),
    "validity": ("hieu luc", "thoi han su dung", "gia tri su dung"),
    "papers": ("thanh phan ho so", "ho so", "giay to"),
    "agency": ("co quan", "don vi thuc hien", "tham quyen", "noi giai quyet"),
    "applicant": ("doi tuong", "dieu kien", "yeu cau", "tieu chuan"),
    "place": ("dia chi", "noi tiep nhan", "dia diem", "noi nop"),
    "method": ("hinh thuc nop", "cach thuc", "trinh tu", "hinh thuc"),
    "result": ("ket qua",),
}
ASKS: dict[str, tuple[str, ...]] = {
    "deadline": ("bao lau", "may ngay", "bao nhieu ngay", "bao nhieu gio", "may gio", "bao nhieu tieng", "may tieng",
                 "thoi han", "han chot", "cham nhat", "khi nao", "bao gio", "trong bao lau", "thoi gian"),
    "fee": ("le phi", "phi", "muc thu", "ton bao nhieu", "het bao nhieu", "mat bao nhieu tien", "nop bao nhieu",
            "mien phi", "tinh phi", "mat tien", "ton tien", "mat phi", "ton phi", "thu tien"),
    "benefit": ("muc tro cap", "tro cap bao nhieu", "duoc huong bao nhieu", "duoc ho tro bao nhieu", "muc ho tro",
                "muc huong", "duoc bao nhieu tien"),
    "validity": ("hieu luc", "co gia tri", "thoi han su dung", "dung duoc bao lau"),
    "papers": ("giay to", "ho so gom", "ho so can", "can nhung gi", "nop nhung gi", "mang theo", "can nop",
               "thanh phan ho so", "ban khai", "mau so", "phieu gi", "giay gi"),
    "agency": ("co quan nao", "don vi nao", "ai giai quyet", "ai cap", "ai quyet dinh", "tham quyen",
               "cap nao", "ai la", "ai ra", "trinh co quan", "do ai"),
    "applicant": ("ai duoc", "doi tuong", "dieu kien", "co duoc", "nhung ai", "truong hop nao", "tieu chuan",
                  "do tuoi", "yeu cau"),
    "place": ("o dau", "noi nao", "dia chi", "nop o", "den dau", "tai dau"),
    "method": ("bang cach nao", "hinh thuc nao", "truc tuyen", "buu chinh", "nop qua"),
    "result": ("duoc cap gi", "nhan duoc gi", "ket qua"),
}

# how a question names the country whose documents are in this language, in either language
# (lower case, Vietnamese without diacritics): "在越南换驾驶证…" asks about Vietnamese documents
COUNTRY_NAMES = ("viet nam", "越南")

# between a label and its value ("Nguồn: …", "来源：…")
COLON = ": "
# a date as readers write it (ISO dates are for programs)
DATE_FORMAT = "{d:02d}/{m:02d}/{y}"

LABELS = {
    "answer": "Trả lời",
    "source": "Nguồn",
    "section": "Mục",
    "number": "Số",
    "date": "ngày",
    "quote": "Trích",
    "period_ended": "Lưu ý: thời hạn thực hiện của kế hoạch này ({period}) đã kết thúc.",
    "more": "Các đoạn liên quan khác",
    "also_in": "Nội dung này cũng có trong",
    "also_more": "và {n} văn bản khác",
    "sections_more": "và {n} mục khác",
}

NOT_FOUND = (
    "Không tìm thấy thông tin này trong các văn bản hiện có. "
    "Bạn có thể hỏi lại cụ thể hơn (tên kế hoạch, tỉnh, cơ quan)."
)

# --- metadata ------------------------------------------------------------------------------------
# (document numbers, issuing bodies, dates of issue, implementation periods)
# Used by index/metadata.py and index/ingest/cleanup.py on NFC text where a rebuilt table row
# reads "cell | cell".

# Letters no other Latin-script language uses: their share tells Vietnamese apart, and tells a
# right decoding (cp1258, GB18030, …) from mojibake.
VI_SPECIFIC = re.compile("[ăđơưĩũĂĐƠƯĨŨ\u1ea0-\u1ef9]")
_UP = "A-ZĐ" + _VI_LETTERS.upper()
_CAP_WORD = f"[{_UP}][^\\W\\d_]*"

# "161/KH-UBND", "34/2014/QĐ-TTg", "385 /KH-UBND" (the stray space is dropped by normalize_number)
_NUMBER = r"\d{1,5}(?:\s*/\s*\d{4})?\s*/\s*[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐ][A-Za-zĐđ0-9]*)*"
# "Số: 2516/KH-UBND", "Số hiệu: | 161/KH-UBND" (a cell of a legal database's metadata table)
NUMBER_CUE = re.compile(rf"(?:^|\|)\s*(?:Số hiệu|Số)\s*:\s*(?:\|\s*)?(?P<num>{_NUMBER})")

DOC_TYPES = (
    "Kế hoạch", "Quyết định", "Nghị quyết", "Nghị định", "Thông tư liên tịch", "Thông tư",
    "Chỉ thị", "Công văn", "Công điện", "Thông báo", "Báo cáo", "Đề án", "Chương trình",
    "Hướng dẫn", "Quy chế", "Quy định", "Pháp lệnh", "Luật", "Tờ trình", "Kết luận",
)
_TYPES = "|".join(DOC_TYPES)
# A legal database's first line: "Kế hoạch 161/KH-UBND năm 2016 thực hiện Đề án …" (fullmatch)
NUMBERED_TITLE = re.compile(rf"(?P<title>(?:{_TYPES})\s+(?:số\s+)?(?P<num>{_NUMBER})(?:\s.*)?)")
# "KẾ HOẠCH" alone on its line; the next line is the subject (fullmatch)
DOC_TYPE_LINE = re.compile(rf"(?P<type>{_TYPES})", re.IGNORECASE)
TITLE_LINE = None  # Vietnamese titles are "type line + subject line", handled above


def normalize_number(raw: str) -> str:
    return re.sub(r"\s+", "", raw)


# The body starts at the first part ("I. MỤC TIÊU", "1. Mục tiêu"); the header is above it (match)
BODY_START = re.compile(r"(?:[IVX]+|1)\.\s|(?:Chương|CHƯƠNG|Điều|ĐIỀU|Phần|PHẦN)\s+(?:I|1)\b")
# Opening lines that cite other documents ("Căn cứ Quyết định … giai đoạn 2016-2025"): their
# periods are not the plan's own (match)
CITATION = re.compile(r"(?:Căn cứ|Thực hiện|Theo)\s")


# Dates of issue, all in the header (search).
_DMY = r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})"
# "Thanh Hóa, ngày 24 tháng 10 năm 2016" at the start of a line or a cell
PLACE_DATE = re.compile(rf"(?:^|\|)\s*(?P<place>[^\W\d_][^,|\d]{{0,40}}?),\s*{_DMY}", re.IGNORECASE)
DATE_RULES = (
    (PLACE_DATE, "head"),
    (re.compile(r"Ngày ban hành\s*:\s*\|?\s*(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})"), "head"),
)

# Issuing bodies: "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH" (header cell, fullmatch), "Ủy ban nhân dân tỉnh
# Hà Tĩnh ban hành …" (mention, search), "Nơi ban hành: | Tỉnh Thanh Hóa" (database cell).
_BODIES = {
    "ỦY BAN NHÂN DÂN": "UBND", "UỶ BAN NHÂN DÂN": "UBND", "UBND": "UBND",
    "HỘI ĐỒNG NHÂN DÂN": "HĐND", "HĐND": "HĐND",
}
_LEVELS = "tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn"
_PLACE = rf"(?P<place>{_CAP_WORD}(?:(?:\s+|\s*-\s*){_CAP_WORD}){{0,4}})"
ISSUER_HEADER = re.compile(
    rf"(?P<body>{'|'.join(_BODIES)})(?:\s+(?P<level>{_LEVELS.upper()})\s+{_PLACE})?"
)
ISSUER_MENTION = re.compile(
    rf"(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND)\s+(?P<level>{_LEVELS})\b(?:\s+{_PLACE})?"
)
PLACE_CUE = re.compile(
    r"Nơi ban hành\s*:\s*\|?\s*(?:(?P<level>Tỉnh|Thành phố|Huyện|Quận|Thị xã)\s+)?"
    r"(?P<place>[^|]+?)\s*(?:\||$)"
)
# The body a number's suffix names: "161/KH-UBND" → UBND (the place comes from the header)
_SUFFIX_BODIES = {"UBND": "UBND", "HĐND": "HĐND", "TTg": "Thủ tướng Chính phủ", "CP": "Chính phủ"}


def find_issuer(head: list[str], lines: list[str], number: str | None) -> tuple[str | None, str | None]:
    """("UBND tỉnh Kon Tum", "Kon Tum") from the header, the number's suffix and the first pages."""
    kind = level = place = None
    for line in head:
        for cell in line.split(" | "):
            if m := ISSUER_HEADER.fullmatch(cell.strip()):
                kind = _BODIES[m["body"].upper()]
                if m["place"]:
                    place = m["place"].title()
                    return f"{kind} {m['level'].lower()} {place}", place
        if m := PLACE_CUE.search(line):
            level, place = (m["level"] or "").lower() or None, m["place"]
        elif not place and (m := PLACE_DATE.search(line)):
            place = m["place"].strip()
    kind = kind or _SUFFIX_BODIES.get((number or "").rsplit("-", 1)[-1])
    if kind not in ("UBND", "HĐND"):
        return kind, place
    if not place:
        return None, None
    # the level is in the opening: "Ủy ban nhân dân tỉnh Hà Tĩnh ban hành", "UBND tỉnh ban hành …"
    mentions = (m for line in lines[:60] for m in ISSUER_MENTION.finditer(line))
    level = level or next((m["level"] for m in mentions if m["place"] in (None, place)), None)
    return " ".join(p for p in (kind, level, place) if p), place


# Implementation periods: "giai đoạn 2020 - 2025 định hướng đến năm 2030", "từ năm 2016 đến năm 2020"
_SPAN = re.compile(
    r"giai đoạn\s+(?P<a>\d{4})\s*[-–—]\s*(?P<b>\d{4})"
    r"(?:\s*,?\s*(?:và\s+)?(?:định hướng|tầm nhìn)\s+(?:đến\s+)?(?:năm\s+)?(?P<c>\d{4}))?",
    re.IGNORECASE,
)
_FROM_TO = re.compile(r"từ năm\s+(?P<a>\d{4})\s+đến năm\s+(?P<b>\d{4})", re.IGNORECASE)
# Fallback: the target year of the plan's own objectives ("Phấn đấu đến năm 2020, …")
OBJECTIVES_CUE = re.compile(r"^(?:[IVX]+\.\s*|\d+\.\s*)?(?:Mục tiêu|MỤC TIÊU)")
TARGET_YEAR = re.compile(r"đến năm\s+(?P<b>\d{4})", re.IGNORECASE)


def read_period(text: str, in_title: bool) -> tuple[str, int] | None:
    """("2020-2025 (định hướng đến 2030)", 2030): a period stated in ``text``, else None.

    The orientation year ends the period: the plan sets targets up to it. ``in_title`` is in the
    shared signature for Chinese, whose titles may carry a single year ("2022年度").
    """
    if m := _SPAN.search(text):
        if m["c"]:
            return f"{m['a']}-{m['b']} (định hướng đến {m['c']})", int(m["c"])
        return f"{m['a']}-{m['b']}", int(m["b"])
    if m := _FROM_TO.search(text):
        return f"{m['a']}-{m['b']}", int(m["b"])
    return None


# Page chrome and back matter (cleanup). Whole lines only; nothing here may match real content.
# Legal databases append lists of documents related by number:
# "Chỉ thị 04/CT-BYT năm 2017 về … Ban hành: 04/07/2017 | Cập nhật: 05/07/2017"
CHROME_PATTERN = re.compile(
    r".*\bBan hành:\s*\d{1,2}/\d{1,2}/\d{4}\s*\|\s*Cập nhật:\s*\d{1,2}/\d{1,2}/\d{4}"
    r"|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    r"|Độc lập\s*[-–]\s*Tự do\s*[-–]\s*Hạnh phúc"
    r"|(?:Lược đồ|Tải về|In văn bản|Lưu văn bản|Theo dõi hiệu lực VB|Chia sẻ qua:?|Văn bản gốc"
    r"|Văn bản tiếng Anh|Bạn Chưa Đăng Nhập Thành Viên!?|Đăng nhập|Đăng ký)"
)
LINK_LIST_HEADERS = ("Văn bản liên quan", "Bài viết liên quan", "Tin liên quan", "Tin cùng chuyên mục")
# "Nơi nhận:" opens the recipients list ("- Bộ LĐTBXH (B/c); … - Lưu: VT, VX2.") (match)
RECIPIENTS = re.compile(r"Nơi nhận\b")
RECIPIENT_ITEM = re.compile(r"[-+•]\s*.*|Lưu\s*:.*")  # fullmatch
# Signature block: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "(Đã ký)", then the name
_TITLES = "CHỦ TỊCH|GIÁM ĐỐC|BỘ TRƯỞNG|THỨ TRƯỞNG|THỦ TƯỚNG|CHÁNH VĂN PHÒNG|TRƯỞNG BAN|VIỆN TRƯỞNG"
SIGNATURE_LINE = re.compile(
    rf"(?:(?:TM|KT|TL|TUQ|Q|T/M|K/T)\.\s*[{_UP} .]+|(?:PHÓ\s+)?(?:TỔNG\s+)?(?:{_TITLES})"
    r"|\(?[Đđ]ã ký\)?|\(Ký,? ghi rõ họ tên[^)]*\))"
)
SIGNER_NAME = re.compile(rf"{_CAP_WORD}(?:\s+{_CAP_WORD}){{1,4}}")
# A PDF page's number line: "Trang 3", "Trang 3/10", "Trang 3 trên 10" (fullmatch)
PAGE_NUMBER = re.compile(r"Trang\s*\d{1,4}(?:\s*(?:/|trên)\s*\d{1,4})?", re.IGNORECASE)


def continues(prev: str, line: str) -> bool:
    """A line starting in lowercase continues the previous one ("… nâng dần" / "tỷ lệ xã …")."""
    return line[:1].islower()

# --- end metadata --------------------------------------------------------------------------------

# --- facts ---------------------------------------------------------------------------------------
# (responsibility roles, deadline and date forms, eligibility and amount cues for fact extraction)
# Used by index/facts/ on NFC text. Agency patterns run on *folded, lower-cased* text (fold keeps
# the length of NFC Vietnamese, so spans map back), so "Sở Y Tế", "sở y tế" and "so y te" match.

# Role cues, checked at the start of a duty clause (after its list marker), or right after the
# agency that is the clause's subject. The first cue in a clause decides its role.
FACT_ROLE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("lead", re.compile(r"chủ trì|làm đầu mối|chức năng đầu mối|là đầu mối|đầu mối|chịu trách nhiệm|có nhiệm vụ|có trách nhiệm", re.I)),
    ("support", re.compile(r"phối hợp|tham gia|hỗ trợ\s+(?=Sở|sở|UBND|Ủy ban)", re.I)),
)
# "X có nhiệm vụ …", "X có trách nhiệm …" after an agency: its own duty (match, after the agency)
FACT_DUTY_AFTER = re.compile(r"\s*,?\s*(?:có nhiệm vụ|có trách nhiệm|chịu trách nhiệm|chủ trì|làm đầu mối|phối hợp)", re.I)
# "… do Hội đồng đánh giá cấp xã thực hiện": the agency between "do" and the verb does it
FACT_BY_BEFORE = re.compile(r"\bdo\s+$", re.I)
FACT_BY_AFTER = re.compile(r"^[^.;]{0,30}?\s(?:thực hiện|chủ trì|phụ trách|tổ chức thực hiện)\b", re.I)
# Parts whose numbered lines name the agency, then its task ("1.1. Cấp tỉnh: Ban Chỉ đạo …, Sở Y tế
# … tổ chức triển khai …"): the implementation parts (search, on the section path)
FACT_IMPLEMENTATION = re.compile(r"tổ chức thực hiện|cơ chế phối hợp|đơn vị thực hiện|phân công|trách nhiệm thực hiện", re.I)
# A level label before the subject ("Cấp tỉnh: …") and a place phrase after it ("… các huyện, thị xã,
# thành phố xây dựng …") are skipped to reach the task (match)
FACT_LEVEL_LABEL = re.compile(r"Cấp\s+(?:tỉnh|huyện|xã)[^:]{0,30}:\s*", re.I)
FACT_LEVEL_PHRASE = re.compile(
    r"(?:\s*(?:,|và)?\s*(?:các\s+|cấp\s+)?(?:tỉnh|huyện|thị xã|thành phố|xã|phường|thị trấn)\b(?:\s+[A-ZĐ][\w]*(?:\s+[A-ZĐ]\w*)*)?)+"
)
# Assignments by the issuer: "Giao Sở … làm đầu mối …", "UBND tỉnh yêu cầu … UBND các huyện …" (search
# in the first words of a clause)
FACT_ASSIGN_VERB = re.compile(r"(?:^|[.;:]\s*)Giao\s|\byêu cầu\s")
# A duty clause is cut here: at ";" and before a second role ("… và chịu trách nhiệm về …"), but
# not at a ";" that only continues an enumeration ("… nội dung của Đề án 100; các mục tiêu …").
FACT_CLAUSE_BREAK = re.compile(
    r"\s*;(?!\s*(?:(?:các|những)\s+(?:mục tiêu|nội dung|nhiệm vụ)|lợi ích|quyết định|nghị quyết|thông tư|chỉ thị))\s*"
    r"|\s*[,]?\s+và\s+(?=chịu trách nhiệm|chủ trì)",
    re.I,
)
# Words that may open an agency heading before the name: "Đề nghị Ủy ban Mặt trận …" (match)
FACT_HEADING_PREFIX = re.compile(r"(?:Đề nghị|Giao|Các đơn vị:?)\s+", re.I)
# Headings whose list is the plan's target groups / conditions / papers (search, on the heading)
FACT_WHO_HEADING = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s*)?Đối tượng\b", re.I)
FACT_PAPERS_LEADIN = re.compile(r"^\W*Hồ sơ\b[^:]{0,160}?\b(?:gồm|bao gồm|gồm có)\s*:?\s*$", re.I)
FACT_CONDITION = re.compile(
    r"nếu đạt|đạt từ\s+[\d.,]+\s*\S+\s+trở lên|(?:có\s+)?đủ điều kiện\s+(?:được|hưởng|để được)|điều kiện được"
    r"|trong\s+\d+\s+năm liên tục|vẫn được tính"
    r"|được hưởng\s+(?:chế độ|chính sách|hỗ trợ|trợ cấp|ưu đãi)|được miễn|được giảm",
    re.I,
)
FACT_NOT_CONDITION = None
FACT_CONSEQUENCE = None
FACT_WHO_CUE = None  # Vietnamese target groups come from "Đối tượng" lists
# "Các phường thuộc thành phố Kon Tum: Nếu đạt từ 850 điểm …" → who, threshold (search)
FACT_THRESHOLD = re.compile(r"(?:đạt|từ)\s+(?:từ\s+)?(?P<num>\d[\d.,]*)\s*(?P<unit>điểm|%|năm)", re.I)

# Dates, in the order they are tried; an earlier kind wins where two overlap. Named groups:
# d, m, y (day, month, year), q (quarter), y1/y2 (year span). Kinds index/facts/dates.py reads:
#   yearly_day   "trước ngày 15 tháng 11 hằng năm", "chậm nhất 30/12 hàng năm"
#   yearly_month "vào tháng 11 hàng năm"
#   date         "trước ngày 28/10/2020", "ngày 22 tháng 10 năm 2020"
#   malformed    "22/4/201" (a truncated year: reported as unparsed, never a crash)
#   quarter      "Quý IV năm 2020", "Quý IV, năm 2020"
#   month        "tháng 10/2020", "tháng 10 năm 2020"
#   year_range   "từ năm 2016-2020", "giai đoạn 2016 - 2020", "từ năm 2016 đến năm 2020"
#   year         "Năm 2020"
_YEARLY = r"(?:hằng|hàng|mỗi)\s+năm"
FACT_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("yearly_day", re.compile(
        rf"(?:ngày\s+)?(?P<d>\d{{1,2}})\s*(?:tháng\s*|/\s*|-\s*)(?P<m>\d{{1,2}})\s*,?\s+{_YEARLY}", re.I)),
    ("yearly_month", re.compile(rf"tháng\s+(?P<m>\d{{1,2}})\s*,?\s+{_YEARLY}", re.I)),
    ("date", re.compile(r"(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})(?!\d)")),
    ("date", re.compile(r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})", re.I)),
    ("malformed", re.compile(r"(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{1,3}|\d{5,})(?![\d/])")),
    ("quarter", re.compile(r"[Qq]uý\s+(?P<q>IV|III|II|I|[1-4])\s*[,/]?\s*(?:năm\s+)?(?P<y>\d{4})")),
    ("month", re.compile(r"tháng\s+(?P<m>\d{1,2})\s*(?:/|năm)\s*(?P<y>\d{4})", re.I)),
    ("year_range", re.compile(r"(?:từ\s+)?năm\s+(?P<y1>\d{4})\s*(?:[-–—]|đến(?:\s+năm)?)\s*(?P<y2>\d{4})", re.I)),
    ("year_range", re.compile(r"giai đoạn\s+(?P<y1>\d{4})\s*[-–—]\s*(?P<y2>\d{4})", re.I)),
    ("year", re.compile(r"(?<![\d/])năm\s+(?P<y>\d{4})(?![\d/-])", re.I)),
)
# What makes a date in a sentence a deadline (search in the few words before the date), and what
# makes a period one ("Thời gian thực hiện: từ năm 2016-2020", "vào Quý IV, năm 2020").
FACT_DEADLINE_CUE = re.compile(
    r"(?:trước|chậm nhất|muộn nhất|hạn chót|hạn cuối|không quá|trong)\s+(?:ngày\s+)?$"
    r"|(?:vào|trong)\s+$|(?:Thời gian thực hiện|Thời gian hoàn thành|Thời hạn)\s*:?\s*(?:từ\s+)?$",
    re.I,
)
FACT_PERIOD_CUE = re.compile(r"Thời gian thực hiện|Thời gian hoàn thành|Thời hạn|hoàn thành|tổng kết|vào\s+Quý", re.I)

# Amounts. Numbers: "5.444" (thousands), "0,4" (decimal), "1.000" → parsed in index/facts/extract.
_AMOUNT_NUM = r"(?<![\d/.,])(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
FACT_MONEY_UNITS = r"triệu đồng|tỷ đồng|nghìn đồng|ngàn đồng|đồng|VNĐ|đ(?=\W|$)"
FACT_COUNT_UNITS = (
    r"cuộc nói chuyện|câu lạc bộ|CLB|cuốn|tờ|lần|cuộc|xã|huyện|trẻ em|người|tổ chức|doanh nghiệp"
    r"|sản phẩm|lớp|hộ|nam"
)
FACT_AMOUNT = re.compile(
    _AMOUNT_NUM + r"\s*(?:(?P<mult>ngàn|nghìn|triệu|tỷ)\s+(?=[^\W\d]))?"
    rf"(?P<unit>{FACT_MONEY_UNITS}|điểm phần trăm(?:/năm)?|%|phần trăm"
    rf"|(?:{FACT_COUNT_UNITS})(?:\s*/\s*(?:\d+\s+)?[^\W\d][^\W\d ]*(?:\s(?:nữ))?)?)(?![^\W\d])",
)
FACT_MONEY_WORDS = ("đồng", "vnđ", "đ")
FACT_TARGET_CUE = re.compile(
    r"ít nhất|tối thiểu|trở lên|phấn đấu|phần đầu|\bđạt\b|duy trì|không dưới|không quá|tối đa|đến năm\s+\d{4}",
    re.I,
)
FACT_TARGET_AFTER = re.compile(r"^\s*(?:trở lên)")
FACT_RATE_CUE = re.compile(r"\bmỗi\s+\S+|\bhằng năm|\bhàng năm", re.I)
FACT_OBJECTIVES_HEADING = re.compile(r"Mục tiêu|MỤC TIÊU|Yêu cầu|YÊU CẦU")

# Agencies: canonical id → display name, and the folded spellings that name it. Abbreviations are
# expanded by FACT_ABBREVIATIONS before matching, so a query "Sở LĐTBXH" finds "Sở Lao động,
# Thương binh và Xã hội". A name may also be found in a heading of the "Tổ chức thực hiện" part.
FACT_ABBREVIATIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bubnd\b"), "uy ban nhan dan"),
    (re.compile(r"\bhdnd\b"), "hoi dong nhan dan"),
    (re.compile(r"\bld\s*-?\s*tb\s*(?:&|va)?\s*xh\b|\bldtbxh\b"), "lao dong thuong binh va xa hoi"),
    (re.compile(r"\btb\s*(?:&|-|va)?\s*xh\b"), "thuong binh va xa hoi"),
    (re.compile(r"\bkh\s*(?:&|-)?\s*dt\b"), "ke hoach va dau tu"),
    (re.compile(r"\bkh\s*(?:&|-)?\s*cn\b"), "khoa hoc va cong nghe"),
    (re.compile(r"\bgd\s*(?:&|-)?\s*dt\b"), "giao duc va dao tao"),
    (re.compile(r"\bvh\s*,?\s*tt\s*(?:&|va)?\s*dl\b|\bvhttdl\b"), "van hoa the thao va du lich"),
    (re.compile(r"\btt\s*(?:&|va)\s*tt\b|\btttt\b"), "thong tin va truyen thong"),
    (re.compile(r"\bnn\s*(?:&|va)?\s*ptnt\b"), "nong nghiep va phat trien nong thon"),
    (re.compile(r"\bptnt\b"), "phat trien nong thon"),
    (re.compile(r"\btn\s*(?:&|va)?\s*mt\b"), "tai nguyen va moi truong"),
    (re.compile(r"\bds\s*-?\s*khhgd\b"), "dan so ke hoach hoa gia dinh"),
    (re.compile(r"\bkhhgd\b"), "ke hoach hoa gia dinh"),
    (re.compile(r"\blhpn\b"), "lien hiep phu nu"),
    (re.compile(r"\bmttq\b"), "mat tran to quoc"),
    (re.compile(r"\btdtt\b"), "the duc the thao"),
)
# Connectors dropped from a name's key: "và", "&", "-", ",", "các", "cấp", "của"
FACT_NAME_FILLERS = re.compile(r"\s*(?:\bva\b|&|[-–,.:;()]|\bcac\b|\bcap\b)\s*")
_LVL = r"(?:\s+(?:cac|cap))?\s+(?P<lvl>tinh|huyen|thanh pho|thi xa|quan|xa|phuong|thi tran)\b"
FACT_LEVELS = {"tinh": "tỉnh", "huyen": "huyện", "thanh pho": "huyện", "thi xa": "huyện", "quan": "huyện",
               "xa": "xã", "phuong": "xã", "thi tran": "xã"}
_SEP = r"\s*(?:,|-|–|&|va)?\s*"
# (id, display name, pattern on folded lower-case text with abbreviations expanded)
FACT_AGENCIES: tuple[tuple[str, str, str], ...] = (
    ("so-lao-dong-thuong-binh-xa-hoi", "Sở Lao động, Thương binh và Xã hội",
     rf"so\s+lao dong{_SEP}thuong binh{_SEP}xa hoi"),
    ("phong-lao-dong-thuong-binh-xa-hoi", "Phòng Lao động - Thương binh và Xã hội",
     rf"phong\s+lao dong{_SEP}thuong binh{_SEP}xa hoi"),
    ("bo-lao-dong-thuong-binh-xa-hoi", "Bộ Lao động - Thương binh và Xã hội",
     rf"bo\s+lao dong{_SEP}thuong binh{_SEP}xa hoi"),
    ("so-ke-hoach-dau-tu", "Sở Kế hoạch và Đầu tư", rf"so\s+ke hoach{_SEP}dau tu"),
    ("so-tai-chinh", "Sở Tài chính", r"so\s+tai chinh"),
    ("so-y-te", "Sở Y tế", r"so\s+y te"),
    ("bo-y-te", "Bộ Y tế", r"bo\s+y te"),
    ("so-noi-vu", "Sở Nội vụ", r"so\s+noi vu"),
    ("so-tu-phap", "Sở Tư pháp", r"so\s+tu phap"),
    ("so-giao-duc-dao-tao", "Sở Giáo dục và Đào tạo", rf"so\s+giao duc{_SEP}dao tao"),
    ("so-van-hoa-the-thao-du-lich", "Sở Văn hóa, Thể thao và Du lịch",
     rf"so\s+van hoa{_SEP}the thao{_SEP}du lich"),
    ("so-khoa-hoc-cong-nghe", "Sở Khoa học và Công nghệ", rf"so\s+khoa hoc{_SEP}cong nghe"),
    ("bo-khoa-hoc-cong-nghe", "Bộ Khoa học và Công nghệ", rf"bo\s+khoa hoc{_SEP}cong nghe"),
    ("so-thong-tin-truyen-thong", "Sở Thông tin và Truyền thông", rf"so\s+thong tin{_SEP}truyen thong"),
    ("so-nong-nghiep-phat-trien-nong-thon", "Sở Nông nghiệp và Phát triển nông thôn",
     rf"so\s+nong nghiep{_SEP}phat trien nong thon"),
    ("so-cong-thuong", "Sở Công Thương", r"so\s+cong thuong"),
    ("so-tai-nguyen-moi-truong", "Sở Tài nguyên và Môi trường", rf"so\s+tai nguyen{_SEP}moi truong"),
    ("so-xay-dung", "Sở Xây dựng", r"so\s+xay dung"),
    ("so-giao-thong-van-tai", "Sở Giao thông vận tải", r"so\s+giao thong{_SEP}van tai"),
    ("cac-so-quan-ly-chuyen-nganh", "Các sở quản lý chuyên ngành", r"(?:cac\s+)?so\s+quan ly chuyen nganh"),
    ("chi-cuc-dan-so-khhgd", "Chi cục Dân số - Kế hoạch hóa gia đình",
     rf"chi cuc\s+dan so{_SEP}ke hoach hoa gia dinh"),
    ("chi-cuc-tieu-chuan-do-luong-chat-luong", "Chi cục Tiêu chuẩn Đo lường Chất lượng",
     r"chi cuc\s+tieu chuan do luong chat luong"),
    ("van-phong-dieu-phoi-nong-thon-moi", "Văn phòng điều phối nông thôn mới tỉnh",
     r"van phong dieu phoi nong thon moi"),
    ("thanh-vien-ban-chi-dao-dan-so-khhgd", "Các sở, ban, ngành, đoàn thể thành viên Ban Chỉ đạo dân số - KHHGĐ",
     rf"cac so{_SEP}ban{_SEP}nganh{_SEP}doan the\s+thanh vien\s+ban chi dao(?:\s+cong tac)?\s+dan so{_SEP}ke hoach hoa gia dinh"),
    ("ban-chi-dao-dan-so-khhgd", "Ban Chỉ đạo công tác dân số - kế hoạch hóa gia đình",
     rf"ban chi dao(?:\s+cong tac)?\s+dan so{_SEP}ke hoach hoa gia dinh"),
    ("ban-thi-dua-khen-thuong", "Ban Thi đua - Khen thưởng tỉnh", rf"ban\s+thi dua{_SEP}khen thuong"),
    ("ban-dan-so", "Ban Dân số", r"ban dan so(?:\s+xa)?"),
    ("hoi-dong-danh-gia-cap-xa", "Hội đồng đánh giá cấp xã", r"hoi dong danh gia cap xa"),
    ("hoi-dong-xet-duyet-cap-huyen", "Hội đồng xét duyệt cấp huyện", r"hoi dong xet duyet cap huyen"),
    ("uy-ban-mat-tran-to-quoc", "Ủy ban Mặt trận Tổ quốc Việt Nam",
     r"(?:uy ban\s+)?mat tran to quoc(?:\s+viet nam)?"),
    ("doan-thanh-nien", "Đoàn Thanh niên Cộng sản Hồ Chí Minh", r"doan thanh nien(?:\s+cong san ho chi minh)?"),
    ("hoi-lien-hiep-phu-nu", "Hội Liên hiệp phụ nữ Việt Nam", r"hoi\s+(?:lien hiep\s+)?phu nu(?:\s+viet nam)?"),
    ("cong-an-tinh", "Công an tỉnh", r"cong an\s+tinh"),
    ("cong-an-huyen", "Công an huyện", r"cong an\s+(?:cac\s+)?huyen"),
    # levels last: "Ủy ban nhân dân tỉnh", "UBND các huyện, thành phố", "Ủy ban nhân dân cấp xã"
    ("uy-ban-nhan-dan-{lvl}", "Ủy ban nhân dân {lvl}", rf"(?:chu tich\s+)?uy ban nhan dan{_LVL}"),
    ("hoi-dong-nhan-dan-{lvl}", "Hội đồng nhân dân {lvl}", rf"hoi dong nhan dan{_LVL}"),
)
# A question that asks who does something to an agency it names ("Ai thành lập Hội đồng xét duyệt
# …?", "Hội đồng … do ai thành lập?"), or who chairs or sits on it: that agency's duties do not
# answer it (folded, space-padded; search)
FACT_ASKS_WHO = re.compile(
    r"^ (?:ai|co quan nao|don vi nao|so nao|cap nao|ben nao) | do (?:ai|co quan nao|don vi nao|cap nao) "
    r"| la ai | gom (?:nhung )?ai | thanh phan "  # who chairs it, who sits on it: not its duties
)
# Words a responsibility question asks with ("có nhiệm vụ gì", "trách nhiệm"): every duty is one,
# so they tell no fact of an agency from another's (index/facts/answers.py leaves them out)
FACT_DUTY_WORDS = ("nhiệm vụ", "trách nhiệm", "chức năng")
# How answers built from facts label roles and lists (index/facts/answers.py)
FACT_LABELS = {
    "lead": "chủ trì/thực hiện",
    "support": "phối hợp",
    "via": "phối hợp; {agency} chủ trì",
    "duties": "{agency} — {n} nhiệm vụ",
    "more": "… và {n} mục khác",
    "lead_heading": "Chủ trì / thực hiện",
    "support_heading": "Phối hợp",
    "deadlines_heading": "Hạn phải đáp ứng",
    "yearly": "hằng năm",
    "no_date": "không có ngày cố định",
}
# Mentions that are not agencies although they look like one (folded, search)
FACT_NOT_AGENCY = re.compile(r"^(?:uy ban nhan dan|so|ban|phong)$")
# A generic heading agency: "Sở …", "Ban …", "Văn phòng …", "Ủy ban nhân dân …" (match, NFC)
FACT_AGENCY_HEAD = re.compile(
    r"(?:Các\s+)?(?:Sở|Bộ|Ban|Phòng|Chi cục|Cục|Văn phòng|Trung tâm|Ủy ban|Uỷ ban|UBND|Công an|Hội|Đoàn"
    r"|Đài|Báo|Liên đoàn|Mặt trận)\b",
    re.I,
)

# --- end facts -----------------------------------------------------------------------------------
