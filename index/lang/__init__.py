"""Language-specific rules live in vi.py and zh.py; this module only tells which one applies."""

from __future__ import annotations

import re

from . import vi, zh

LANGS = {"vi": vi, "zh": zh}


def cjk_share(text: str) -> float:
    """Share of CJK characters among the letters of ``text``."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(bool(zh.CJK_RUN.match(c)) for c in letters) / len(letters)


def question_lang(text: str) -> str:
    """The language to answer in: Chinese when the question is mostly CJK, else Vietnamese."""
    return "zh" if cjk_share(text) >= 0.3 else "vi"


def names_country(text: str, lang: str) -> bool:
    """Whether ``text`` names the country whose documents are in ``lang`` ("在越南…" for "vi")."""
    folded = vi.fold(text).lower()
    return any(name in folded for name in rules(lang).COUNTRY_NAMES)


def rules(lang: str):
    """The language module for ``lang`` (Vietnamese for anything we have no rules for)."""
    return LANGS.get(lang, vi)


_NOT_WORDS = re.compile(r"[^\w]+|_")


def small_talk(text: str) -> bool:
    """Whether a message only greets, thanks or acknowledges ("xin chào", "cảm ơn bot nhé", "谢谢",
    "ok", "👍🙏"): in some language's words (its ``small_talk``), or with no letter or digit at all."""
    words = _NOT_WORDS.sub(" ", text).strip().lower()
    if not words:
        return True
    return any(lang.small_talk(words) for lang in LANGS.values())
