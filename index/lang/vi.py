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
        "chi phi", "von", "bao nhieu",
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

# --- end facts -----------------------------------------------------------------------------------
