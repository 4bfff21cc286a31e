"""Document metadata by rules: title, number, issuer, place, date of issue, period, language.

The patterns are language-specific and live in the metadata sections of index/lang/vi.py and
zh.py. This module decides where to look and in what order: a number, date or issuer is only
taken from the header (above the first part, "I." / "一、") or the signature, never from the
body, which cites other documents' numbers and dates all the time.
"""

from __future__ import annotations

import datetime as dt

from langdetect import DetectorFactory, detect
from langdetect.lang_detect_exception import LangDetectException

from index.fields import label_of
from index.lang import cjk_share, vi, zh
from index.types import DocMeta

DetectorFactory.seed = 0  # langdetect is random otherwise: the same text could flip language

_HEAD_LINES = 30  # the header never runs longer, even with a web page's metadata table
_TAIL_LINES = 12  # the signature: issuer and date under a Chinese text
_OPENING_LINES = 60  # where a plan states its own objectives
_OBJECTIVES_WINDOW = 8  # lines after "Mục tiêu" / "发展目标" that may hold the target year


def extract_metadata(text: str, fallback_title: str) -> DocMeta:
    """DocMeta of a cleaned document; ``fallback_title`` (the file name) when no title is found."""
    lines = [s for line in text.splitlines() if (s := line.strip())]
    lang = detect_lang(text)
    langs = (zh, vi) if lang == "zh" else (vi, zh)  # the document's language first
    head = _head(lines, langs)
    number = _number(head, langs)
    issuer, place = _issuer(head, lines, number, langs)
    title = _title(head, langs) or _first_line_title(lines) or fallback_title
    period, period_end = _period(title, head, lines, langs)
    return DocMeta(
        title=title,
        lang=lang,
        number=number,
        issuer=issuer,
        place=place,
        date=_date(head, lines[-_TAIL_LINES:], langs),
        period=period,
        period_end=period_end,
    )


def detect_lang(text: str) -> str:
    """ISO 639-1 code: "zh" or "vi" from the script when it is plain, else langdetect's guess."""
    sample = text[:5000]
    if cjk_share(sample) >= 0.3:
        return "zh"
    letters = sum(c.isalpha() for c in sample)
    if letters and len(vi.VI_SPECIFIC.findall(sample)) / letters >= 0.03:
        return "vi"
    try:
        code = detect(sample)
    except LangDetectException:  # no letters at all
        return "und"
    return "zh" if code.startswith("zh") else code


def _head(lines: list[str], langs) -> list[str]:
    """The lines above the first part of the body."""
    for i, line in enumerate(lines[:_HEAD_LINES]):
        if any(lang.BODY_START.match(line) for lang in langs):
            return lines[:i]
    return lines[:_HEAD_LINES]


def _number(head: list[str], langs) -> str | None:
    """A number after its cue ("Số:", "文号："), else one opening the title line or alone on a line."""
    for rule in ("NUMBER_CUE", "NUMBERED_TITLE"):
        for lang in langs:
            for line in head:
                pattern = getattr(lang, rule)
                if m := (pattern.search(line) if rule == "NUMBER_CUE" else pattern.fullmatch(line)):
                    return lang.normalize_number(m["num"])
    return None


def _issuer(head: list[str], lines: list[str], number: str | None, langs) -> tuple[str | None, ...]:
    for lang in langs:
        issuer, place = lang.find_issuer(head, lines, number)
        if issuer or place:
            return issuer, place
    return None, None


def _title(head: list[str], langs) -> str | None:
    """The first title-shaped line of the header: "Kế hoạch 161/KH-UBND năm 2016 …", "KẾ HOẠCH"
    followed by its subject line, "郴政办发〔2018〕18号 关于…的实施意见", "2022年度…自评报告"."""
    for i, line in enumerate(head):
        for lang in langs:
            if (m := lang.NUMBERED_TITLE.fullmatch(line)) and m["title"]:
                return m["title"].strip()
            if lang.DOC_TYPE_LINE and lang.DOC_TYPE_LINE.fullmatch(line) and i + 1 < len(head):
                subject = head[i + 1].lower() if head[i + 1].isupper() else head[i + 1]
                return f"{line.capitalize()} {subject[:1].lower()}{subject[1:]}"
            if lang.TITLE_LINE and (m := lang.TITLE_LINE.fullmatch(line)):
                return m["title"]
    return None


MAX_TITLE_CHARS = 300  # procedure titles run long: "Thủ tục giải quyết chế độ … thôi việc."


def _first_line_title(lines: list[str]) -> str | None:
    """A document with no recognized header (a procedure page, a law, a notice) is titled by its
    first line when that reads as a title: more lines follow it, it is short, no lead-in, no
    "Label: value" field."""
    if len(lines) < 2:
        return None
    line = lines[0]
    if len(line) > MAX_TITLE_CHARS or line.endswith((";", "；", ":", "：", ",", "，")) or label_of(line):
        return None
    return line.rstrip(".。 ")


def _date(head: list[str], tail: list[str], langs) -> str | None:
    """ISO date of issue: each language's rules in order, each looking in the header or the tail."""
    zones = {"head": head, "tail": tail}
    for lang in langs:
        for pattern, zone in lang.DATE_RULES:
            for line in zones[zone]:
                if (m := pattern.search(line)) and (iso := _iso(m["y"], m["m"], m["d"])):
                    return iso
    return None


def _iso(year: str, month: str, day: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _period(title: str, head: list[str], lines: list[str], langs) -> tuple[str | None, int | None]:
    """The plan's own period: stated in its title, else in its opening lines (not the ones citing
    other documents), else the target year of its objectives ("đến năm 2020", "到2020年")."""
    opening = [line for line in head if not any(lang.CITATION.match(line) for lang in langs)]
    for text, in_title in ((title, True), *((line, False) for line in opening)):
        for lang in langs:
            if found := lang.read_period(text, in_title):
                return found
    for lang in langs:
        for i, line in enumerate(lines[:_OPENING_LINES]):
            if lang.OBJECTIVES_CUE.search(line):
                for candidate in lines[i : i + _OBJECTIVES_WINDOW]:
                    if m := lang.TARGET_YEAR.search(candidate):
                        return m.group(0), int(m["b"])
                break
    return None, None
