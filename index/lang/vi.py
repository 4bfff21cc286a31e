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

_TOKEN = re.compile(r"\d+(?:[./,:-]\d+)*|[^\W\d_]+", re.UNICODE)


def syllables(text: str) -> list[str]:
    """Folded, lower-cased syllables and numbers ("30/12", "5.444", "2016-2020" stay whole)."""
    return _TOKEN.findall(fold(text).lower())


def tokens(text: str) -> list[str]:
    """Index tokens: content syllables, their pairs, and the parts of compound numbers."""
    sylls = syllables(text)
    out: list[str] = []
    for i, s in enumerate(sylls):
        if s in STOPWORDS:
            continue
        out.append(s)
        if s[0].isdigit() and not s.isdigit():
            out.extend(p for p in re.split(r"[./,:-]", s) if p)
        if i + 1 < len(sylls) and sylls[i + 1] not in STOPWORDS and not s[0].isdigit():
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
        uni: Counter[str] = Counter()
        bi: Counter[str] = Counter()
        # questions use words plans rarely contain ("bao nhiêu", "khi nào"): seed them
        for text in [*texts, *[QUESTION_WORDS] * 20]:
            words = re.findall(r"[^\W\d_]+", text.lower())
            uni.update(words)
            bi.update(f"{a} {b}" for a, b in zip(words, words[1:]))
        return cls(dict(uni), {k: v for k, v in bi.items() if v > 1 or " " in k})

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
# A sentence ends at . ! ? ; followed by a space and a capital, digit, dash or quote; "5.444" and
# "TP. Hà Tĩnh"-style abbreviations do not end one.
SENTENCE_BREAK = re.compile(r"(?<=[.!?;])\s+(?=[\-–•+\"“(\d\w])(?<!\bTP\. )(?<!\bTp\. )")
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

# --- question types ------------------------------------------------------------------------------
# Cue phrases (folded, so bare queries match) for the kind of fact a question wants.

QUESTION_CUES: dict[str, tuple[str, ...]] = {
    "deadline": (
        "khi nao", "bao gio", "thoi han", "han chot", "cham nhat", "truoc ngay", "ngay nao",
        "thoi gian nao", "thoi diem", "luc nao", "dinh ky", "bao lau", "han nop", "thang may",
        "quy may", "nam nao", "han",
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
        "chi phi", "dong", "von", "tien", "muc", "bao nhieu",
    ),
    "target": (
        "muc tieu", "chi tieu", "phan dau", "ty le", "dat bao nhieu", "den nam", "ty so", "phan tram",
    ),
}

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
FACT_PATTERNS: dict[str, re.Pattern[str]] = {
    "deadline": re.compile(
        r"\d{1,2}/\d{1,2}(?:/\d{2,4})?|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}|[Qq]uý\s+[IV1-4]+|tháng\s+\d{1,2}"
        r"|(?:trước|chậm nhất|trong vòng|trong thời hạn)\s[^.;]{0,40}\d|hằng năm|hàng năm|định kỳ|năm\s+\d{4}"
    ),
    "amount": re.compile(rf"{_NUM}\s*(?:triệu|tỷ|nghìn|ngàn)?\s*(?:đồng|đ\b|VNĐ)|{_NUM}\s*%|kinh phí|ngân sách", re.I),
    "target": re.compile(rf"{_NUM}\s*%|{_NUM}\s*(?:nam/100 nữ|điểm|xã|huyện|tổ chức|sản phẩm|doanh nghiệp)|ít nhất|trở lên|đến năm\s+\d{{4}}", re.I),
    "responsibility": re.compile(
        r"(?:Sở|Ban|Ủy ban|UBND|Chi cục|Phòng|Công an|Hội|Đoàn|Trung tâm|Bộ|Cục|Hội đồng)\s+[A-ZĐÀ-Ỹ]"
        r"|chủ trì|phối hợp|chịu trách nhiệm|đầu mối|tham mưu"
    ),
    "eligibility": re.compile(r"đối tượng|điều kiện|hồ sơ|gồm|đạt từ|trở lên|tiêu chuẩn|được công nhận|phải", re.I),
}

LABELS = {
    "answer": "Trả lời",
    "source": "Nguồn",
    "section": "Mục",
    "number": "Số",
    "date": "ngày",
    "quote": "Trích",
    "period_ended": "Lưu ý: kế hoạch này áp dụng cho giai đoạn {period}, đã kết thúc.",
    "more": "Các đoạn liên quan khác",
}

NOT_FOUND = (
    "Không tìm thấy thông tin này trong các văn bản hiện có. "
    "Bạn có thể hỏi lại cụ thể hơn (tên kế hoạch, tỉnh, cơ quan)."
)

# --- metadata ------------------------------------------------------------------------------------
# (document numbers, issuing bodies, dates of issue, implementation periods)

# --- end metadata --------------------------------------------------------------------------------
