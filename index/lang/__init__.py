"""Language-specific rules live in vi.py and zh.py; this module only tells which one applies."""

from __future__ import annotations

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


def rules(lang: str):
    """The language module for ``lang`` (Vietnamese for anything we have no rules for)."""
    return LANGS.get(lang, vi)
